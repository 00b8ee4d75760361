// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_ua_kunit.c - KUnit tests of a nexus' unit attention queue: order,
 * no duplicates, overflow, and what REPORT LUNS clears
 *
 * The queues here are private; no nexus of the loaded scst.ko is used.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "scst_priv.h"

static struct scst_uaq *uaq_new(struct kunit *test)
{
	struct scst_uaq *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	scst_uaq_init(q);
	return q;
}

/* Take the next condition and check it is @asc/@ascq. */
static void uaq_expect(struct kunit *test, struct scst_uaq *q, u8 asc,
		       u8 ascq)
{
	u8 a = 0xff, aq = 0xff;

	KUNIT_ASSERT_TRUE(test, scst_uaq_take(q, &a, &aq));
	KUNIT_EXPECT_EQ(test, a, asc);
	KUNIT_EXPECT_EQ(test, aq, ascq);
}

static void uaq_expect_empty(struct kunit *test, struct scst_uaq *q)
{
	u8 a, aq;

	KUNIT_EXPECT_FALSE(test, scst_uaq_take(q, &a, &aq));
}

static void uaq_oldest_first_one_per_take(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);

	uaq_expect_empty(test, q);
	scst_uaq_add(q, 0x29, 0x01);
	scst_uaq_add(q, 0x3f, 0x0e);
	scst_uaq_add(q, 0x2a, 0x01);
	uaq_expect(test, q, 0x29, 0x01);
	uaq_expect(test, q, 0x3f, 0x0e);
	uaq_expect(test, q, 0x2a, 0x01);
	uaq_expect_empty(test, q);
}

static void uaq_pending_condition_is_not_queued_twice(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);

	scst_uaq_add(q, 0x2a, 0x01);
	scst_uaq_add(q, 0x29, 0x03);
	scst_uaq_add(q, 0x2a, 0x01);
	uaq_expect(test, q, 0x2a, 0x01);
	uaq_expect(test, q, 0x29, 0x03);
	uaq_expect_empty(test, q);
	/* Once reported, the same condition may be established again. */
	scst_uaq_add(q, 0x2a, 0x01);
	uaq_expect(test, q, 0x2a, 0x01);
}

static void uaq_overflow_ends_with_a_reset_condition(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);
	unsigned int i;

	for (i = 0; i < SCST_MAX_UA + 5; i++)
		scst_uaq_add(q, 0x80, i);
	for (i = 0; i < SCST_MAX_UA - 1; i++)
		uaq_expect(test, q, 0x80, i);
	/* What did not fit is summed up by POWER ON, RESET ... OCCURRED. */
	uaq_expect(test, q, 0x29, 0x00);
	uaq_expect_empty(test, q);
}

static void uaq_forget_removes_only_that_condition(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);

	scst_uaq_add(q, 0x29, 0x01);
	scst_uaq_add(q, 0x3f, 0x0e);
	scst_uaq_add(q, 0x2a, 0x09);
	scst_uaq_forget(q, 0x3f, 0x0e);
	scst_uaq_forget(q, 0x3f, 0x0e);
	uaq_expect(test, q, 0x29, 0x01);
	uaq_expect(test, q, 0x2a, 0x09);
	uaq_expect_empty(test, q);
}

static void uaq_clear_empties_the_queue(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);

	scst_uaq_add(q, 0x29, 0x01);
	scst_uaq_add(q, 0x2a, 0x01);
	scst_uaq_clear(q);
	uaq_expect_empty(test, q);
	scst_uaq_add(q, 0x2a, 0x01);
	uaq_expect(test, q, 0x2a, 0x01);
}

static void uaq_peek_leaves_the_oldest_queued(struct kunit *test)
{
	struct scst_uaq *q = uaq_new(test);
	u8 a = 0xff, aq = 0xff;

	KUNIT_EXPECT_FALSE(test, scst_uaq_peek(q, &a, &aq));
	scst_uaq_add(q, 0x29, 0x01);
	scst_uaq_add(q, 0x2a, 0x01);
	KUNIT_ASSERT_TRUE(test, scst_uaq_peek(q, &a, &aq));
	KUNIT_EXPECT_EQ(test, a, 0x29);
	KUNIT_EXPECT_EQ(test, aq, 0x01);
	KUNIT_ASSERT_TRUE(test, scst_uaq_peek(q, &a, &aq));
	KUNIT_EXPECT_EQ(test, aq, 0x01);
	uaq_expect(test, q, 0x29, 0x01);
	uaq_expect(test, q, 0x2a, 0x01);
	uaq_expect_empty(test, q);
}

static struct kunit_case scst_ua_cases[] = {
	KUNIT_CASE(uaq_oldest_first_one_per_take),
	KUNIT_CASE(uaq_pending_condition_is_not_queued_twice),
	KUNIT_CASE(uaq_overflow_ends_with_a_reset_condition),
	KUNIT_CASE(uaq_forget_removes_only_that_condition),
	KUNIT_CASE(uaq_clear_empties_the_queue),
	KUNIT_CASE(uaq_peek_leaves_the_oldest_queued),
	{}
};

static struct kunit_suite scst_ua_suite = {
	.name = "scst_ua",
	.test_cases = scst_ua_cases,
};

kunit_test_suite(scst_ua_suite);

MODULE_DESCRIPTION("KUnit tests of the SCST unit attention queue");
MODULE_LICENSE("GPL");
