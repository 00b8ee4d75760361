// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_acg_kunit.c - KUnit tests of the /proc command word splitter and of
 * the choice of a session's access group
 *
 * The groups here live on a private list, never on scst_acg_list, so the
 * tests do not touch the configuration of the loaded scst.ko.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "scst_priv.h"

/* ---------------------------------------------------------------- words */

static void scst_words_expect(struct kunit *test, const char *input,
			      unsigned int max, int ret,
			      const char * const *expect)
{
	char *words[8] = {};
	char *line;
	int i, n;

	line = kunit_kzalloc(test, strlen(input) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, line);
	strcpy(line, input);
	n = scst_split_words(line, words, max);
	KUNIT_EXPECT_EQ_MSG(test, n, ret, "input '%s'", input);
	for (i = 0; i < n && i < ret; i++)
		KUNIT_EXPECT_STREQ_MSG(test, words[i], expect[i],
				       "word %d of '%s'", i, input);
}

static void scst_words_split_on_blanks(struct kunit *test)
{
	static const char * const three[] = { "add", "lun0", "7" };
	static const char * const one[] = { "clear" };

	scst_words_expect(test, "add lun0 7", 4, 3, three);
	scst_words_expect(test, "add lun0 7\n", 4, 3, three);
	scst_words_expect(test, "  add\t\tlun0  7 \t", 4, 3, three);
	scst_words_expect(test, "clear", 1, 1, one);
	scst_words_expect(test, "clear\n", 1, 1, one);
}

static void scst_words_empty(struct kunit *test)
{
	scst_words_expect(test, "", 4, 0, NULL);
	scst_words_expect(test, "\n", 4, 0, NULL);
	scst_words_expect(test, " \t ", 4, 0, NULL);
	scst_words_expect(test, "", 0, 0, NULL);
}

static void scst_words_too_many(struct kunit *test)
{
	static const char * const two[] = { "a", "b" };

	scst_words_expect(test, "a b", 2, 2, two);
	scst_words_expect(test, "a b c", 2, -E2BIG, NULL);
	scst_words_expect(test, "a", 0, -E2BIG, NULL);
}

/* Only one trailing newline is allowed: anything else is a second line. */
static void scst_words_control_characters(struct kunit *test)
{
	scst_words_expect(test, "add a\nadd b", 4, -EINVAL, NULL);
	scst_words_expect(test, "add a\n\n", 4, -EINVAL, NULL);
	scst_words_expect(test, "add a\r\n", 4, -EINVAL, NULL);
	scst_words_expect(test, "add \x7f", 4, -EINVAL, NULL);
	scst_words_expect(test, "a b c d e f \x01", 2, -EINVAL, NULL);
}

/* ---------------------------------------------------------------- groups */

static struct scst_acg *scst_test_acg(struct kunit *test,
				      struct list_head *groups,
				      const char *name)
{
	struct scst_acg *acg;

	acg = kunit_kzalloc(test, sizeof(*acg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, acg);
	INIT_LIST_HEAD(&acg->names);
	strscpy(acg->name, name, sizeof(acg->name));
	list_add_tail(&acg->entry, groups);
	return acg;
}

static void scst_test_acn(struct kunit *test, struct scst_acg *acg,
			  const char *name)
{
	struct scst_acn *acn;

	acn = kunit_kzalloc(test, sizeof(*acn) + strlen(name) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, acn);
	strcpy(acn->name, name);
	list_add_tail(&acn->entry, &acg->names);
}

static void scst_choose_falls_back_to_default(struct kunit *test)
{
	struct scst_acg *def, *other;
	LIST_HEAD(groups);

	other = scst_test_acg(test, &groups, "other");
	def = scst_test_acg(test, &groups, "Default");
	scst_test_acn(test, other, "iqn.2024-01.org.example:a");

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.b", "tgt"),
			    def);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "", "tgt"), def);
	KUNIT_EXPECT_PTR_EQ(test,
			    scst_acg_choose(&groups,
					    "iqn.2024-01.org.example:a", "t"),
			    other);
}

/* Without group Default (only possible here), nothing is chosen. */
static void scst_choose_without_default(struct kunit *test)
{
	LIST_HEAD(groups);

	KUNIT_EXPECT_NULL(test, scst_acg_choose(&groups, "i", "t"));
	scst_test_acg(test, &groups, "Default_x");
	KUNIT_EXPECT_NULL(test, scst_acg_choose(&groups, "i", "t"));
}

static void scst_choose_exact_beats_pattern(struct kunit *test)
{
	struct scst_acg *wild, *exact, *def;
	LIST_HEAD(groups);

	def = scst_test_acg(test, &groups, "Default");
	/* The pattern group comes first, so order alone would pick it. */
	wild = scst_test_acg(test, &groups, "wild");
	exact = scst_test_acg(test, &groups, "exact");
	scst_test_acn(test, wild, "iqn.*");
	scst_test_acn(test, exact, "iqn.host1");

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.host1", "t"),
			    exact);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.host2", "t"),
			    wild);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "eui.host1", "t"),
			    def);
}

static void scst_choose_wildcards(struct kunit *test)
{
	struct scst_acg *q, *star, *def;
	LIST_HEAD(groups);

	def = scst_test_acg(test, &groups, "Default");
	q = scst_test_acg(test, &groups, "q");
	star = scst_test_acg(test, &groups, "star");
	scst_test_acn(test, q, "host?");
	scst_test_acn(test, star, "*:disk*");

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "host7", "t"), q);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "host", "t"), def);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "host12", "t"),
			    def);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.x:disk", "t"),
			    star);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "a:b:disk9", "t"),
			    star);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.x:dis", "t"),
			    def);
	/* Patterns are case-sensitive, as names are. */
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "HOST7", "t"), def);
}

/* Of two matching patterns, the group created first wins. */
static void scst_choose_first_pattern_in_list_order(struct kunit *test)
{
	struct scst_acg *first, *second;
	LIST_HEAD(groups);

	scst_test_acg(test, &groups, "Default");
	first = scst_test_acg(test, &groups, "first");
	second = scst_test_acg(test, &groups, "second");
	scst_test_acn(test, second, "iqn.a*");
	scst_test_acn(test, first, "*");

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "iqn.ab", "t"),
			    first);
}

static void scst_choose_per_target_default(struct kunit *test)
{
	struct scst_acg *def, *def_t1, *named;
	LIST_HEAD(groups);

	def = scst_test_acg(test, &groups, "Default");
	def_t1 = scst_test_acg(test, &groups, "Default_iqn.t1");
	named = scst_test_acg(test, &groups, "named");
	scst_test_acn(test, named, "ini?");

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", "iqn.t1"),
			    def_t1);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", "iqn.t2"),
			    def);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", "iqn.t"),
			    def);
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", ""), def);
	/* A name or pattern match beats the target's default group. */
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "ini1", "iqn.t1"),
			    named);
}

/* The longest target name whose default group fits, and a longer one. */
static void scst_choose_long_target_name(struct kunit *test)
{
	const size_t fit = SCST_ACG_NAME_MAX - strlen(SCST_DEFAULT_ACG_PREFIX);
	char group[SCST_ACG_NAME_MAX + 1];
	char target[SCST_ACN_NAME_MAX + 1];
	struct scst_acg *def, *def_t;
	LIST_HEAD(groups);

	memset(target, 'a', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	snprintf(group, sizeof(group), "%s%.*s", SCST_DEFAULT_ACG_PREFIX,
		 (int)fit, target);
	KUNIT_ASSERT_EQ(test, strlen(group), (size_t)SCST_ACG_NAME_MAX);
	def = scst_test_acg(test, &groups, "Default");
	def_t = scst_test_acg(test, &groups, group);

	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", target), def);
	target[fit] = '\0';
	KUNIT_EXPECT_PTR_EQ(test, scst_acg_choose(&groups, "x", target), def_t);
}

static struct kunit_case scst_acg_cases[] = {
	KUNIT_CASE(scst_words_split_on_blanks),
	KUNIT_CASE(scst_words_empty),
	KUNIT_CASE(scst_words_too_many),
	KUNIT_CASE(scst_words_control_characters),
	KUNIT_CASE(scst_choose_falls_back_to_default),
	KUNIT_CASE(scst_choose_without_default),
	KUNIT_CASE(scst_choose_exact_beats_pattern),
	KUNIT_CASE(scst_choose_wildcards),
	KUNIT_CASE(scst_choose_first_pattern_in_list_order),
	KUNIT_CASE(scst_choose_per_target_default),
	KUNIT_CASE(scst_choose_long_target_name),
	{}
};

static struct kunit_suite scst_acg_suite = {
	.name = "scst_acg",
	.test_cases = scst_acg_cases,
};

kunit_test_suite(scst_acg_suite);

MODULE_DESCRIPTION("KUnit tests of SCST's command splitter and group choice");
MODULE_LICENSE("GPL");
