// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_order_kunit.c - KUnit tests of the task set: which commands may run
 * when, by task attribute, and TASK SET FULL
 *
 * The task sets here are private; no device of the loaded scst.ko is used.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "scst_priv.h"

#define N	8

struct order_case {
	struct scst_order o;
	struct scst_order_entry e[N];
};

static struct order_case *order_case_new(struct kunit *test,
					 unsigned int depth)
{
	struct order_case *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	scst_order_init(&c->o, depth);
	return c;
}

/* Leave entry @i and return a bit mask of the entries it released. */
static unsigned int order_leave(struct order_case *c, int i)
{
	struct scst_order_entry *e, *tmp;
	unsigned int released = 0;
	LIST_HEAD(ready);

	scst_order_leave(&c->o, &c->e[i], &ready);
	list_for_each_entry_safe(e, tmp, &ready, ready) {
		list_del(&e->ready);
		released |= BIT(e - c->e);
	}
	return released;
}

static void order_enter(struct kunit *test, struct order_case *c, int i,
			u8 attr)
{
	KUNIT_ASSERT_EQ(test, scst_order_enter(&c->o, &c->e[i], attr), 0);
}

static void order_simple_commands_run_at_once(struct kunit *test)
{
	struct order_case *c = order_case_new(test, N);
	int i;

	for (i = 0; i < 4; i++)
		order_enter(test, c, i, SCST_TASK_SIMPLE);
	/* In any order, e.g. the newest first. */
	for (i = 3; i >= 0; i--)
		KUNIT_EXPECT_TRUE(test, scst_order_may_run(&c->o, &c->e[i]));
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, order_leave(c, i), 0u);
	KUNIT_EXPECT_EQ(test, c->o.count, 0u);
}

/*
 * A WRITE waiting for its data (entered, not run) holds back a later
 * ORDERED command, which holds back the SIMPLE one after it.
 */
static void order_ordered_waits_for_older_and_holds_newer(struct kunit *test)
{
	struct order_case *c = order_case_new(test, N);

	order_enter(test, c, 0, SCST_TASK_SIMPLE);	/* the WRITE */
	order_enter(test, c, 1, SCST_TASK_ORDERED);
	order_enter(test, c, 2, SCST_TASK_SIMPLE);
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[1]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[2]));
	KUNIT_EXPECT_TRUE(test, scst_order_may_run(&c->o, &c->e[0]));
	/* The WRITE ends: only the ORDERED command is released. */
	KUNIT_EXPECT_EQ(test, order_leave(c, 0), BIT(1));
	KUNIT_EXPECT_TRUE(test, c->e[1].may_run);
	KUNIT_EXPECT_FALSE(test, c->e[2].may_run);
	/* The ORDERED command ends: the SIMPLE one after it runs. */
	KUNIT_EXPECT_EQ(test, order_leave(c, 1), BIT(2));
	KUNIT_EXPECT_EQ(test, order_leave(c, 2), 0u);
	KUNIT_EXPECT_EQ(test, c->o.waiting, 0u);
}

static void order_head_of_queue_runs_at_once(struct kunit *test)
{
	struct order_case *c = order_case_new(test, N);

	order_enter(test, c, 0, SCST_TASK_SIMPLE);
	order_enter(test, c, 1, SCST_TASK_ORDERED);
	order_enter(test, c, 2, SCST_TASK_HEAD_OF_QUEUE);
	order_enter(test, c, 3, SCST_TASK_ORDERED);
	KUNIT_EXPECT_TRUE(test, scst_order_may_run(&c->o, &c->e[2]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[1]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[3]));
	/* A later ORDERED command also waits for the head of queue one. */
	KUNIT_EXPECT_EQ(test, order_leave(c, 0), BIT(1));
	KUNIT_EXPECT_EQ(test, order_leave(c, 1), 0u);
	KUNIT_EXPECT_EQ(test, order_leave(c, 2), BIT(3));
	KUNIT_EXPECT_EQ(test, order_leave(c, 3), 0u);
}

static void order_consecutive_ordered_run_one_by_one(struct kunit *test)
{
	struct order_case *c = order_case_new(test, N);
	int i;

	for (i = 0; i < 3; i++)
		order_enter(test, c, i, SCST_TASK_ORDERED);
	KUNIT_EXPECT_TRUE(test, scst_order_may_run(&c->o, &c->e[0]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[1]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[2]));
	KUNIT_EXPECT_EQ(test, order_leave(c, 0), BIT(1));
	KUNIT_EXPECT_EQ(test, order_leave(c, 1), BIT(2));
	KUNIT_EXPECT_EQ(test, order_leave(c, 2), 0u);
}

/*
 * A waiting command that leaves without running (an abort) releases its
 * followers as if it had run, and is not counted as waiting any more: the
 * SIMPLE command behind the aborted ORDERED one runs beside the older
 * SIMPLE one.
 */
static void order_waiting_command_may_leave(struct kunit *test)
{
	struct order_case *c = order_case_new(test, N);

	order_enter(test, c, 0, SCST_TASK_SIMPLE);
	order_enter(test, c, 1, SCST_TASK_ORDERED);
	order_enter(test, c, 2, SCST_TASK_SIMPLE);
	KUNIT_EXPECT_TRUE(test, scst_order_may_run(&c->o, &c->e[0]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[1]));
	KUNIT_EXPECT_FALSE(test, scst_order_may_run(&c->o, &c->e[2]));
	KUNIT_EXPECT_EQ(test, order_leave(c, 1), BIT(2));
	KUNIT_EXPECT_EQ(test, c->o.waiting, 0u);
	KUNIT_EXPECT_EQ(test, order_leave(c, 0), 0u);
	KUNIT_EXPECT_EQ(test, order_leave(c, 2), 0u);
	KUNIT_EXPECT_EQ(test, c->o.waiting, 0u);
	KUNIT_EXPECT_EQ(test, c->o.ordered, 0u);
}

static void order_full_task_set_is_refused(struct kunit *test)
{
	struct order_case *c = order_case_new(test, 2);

	order_enter(test, c, 0, SCST_TASK_SIMPLE);
	order_enter(test, c, 1, SCST_TASK_SIMPLE);
	KUNIT_EXPECT_EQ(test, scst_order_enter(&c->o, &c->e[2],
					       SCST_TASK_SIMPLE), -EBUSY);
	KUNIT_EXPECT_EQ(test, c->o.count, 2u);
	order_leave(c, 0);
	order_enter(test, c, 2, SCST_TASK_SIMPLE);
	order_leave(c, 1);
	order_leave(c, 2);
	KUNIT_EXPECT_EQ(test, c->o.count, 0u);
}

static struct kunit_case scst_order_cases[] = {
	KUNIT_CASE(order_simple_commands_run_at_once),
	KUNIT_CASE(order_ordered_waits_for_older_and_holds_newer),
	KUNIT_CASE(order_head_of_queue_runs_at_once),
	KUNIT_CASE(order_consecutive_ordered_run_one_by_one),
	KUNIT_CASE(order_waiting_command_may_leave),
	KUNIT_CASE(order_full_task_set_is_refused),
	{}
};

static struct kunit_suite scst_order_suite = {
	.name = "scst_order",
	.test_cases = scst_order_cases,
};

kunit_test_suite(scst_order_suite);

MODULE_DESCRIPTION("KUnit tests of SCST's task set ordering");
MODULE_LICENSE("GPL");
