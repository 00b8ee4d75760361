// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_pr_kunit.c - KUnit tests of the persistent reservation state
 * machine: for every reservation type, what the holder, another registrant
 * and an unregistered nexus may do, and every PERSISTENT RESERVE OUT
 * service action from each of them
 *
 * The states here are private; no device of the loaded scst.ko is used.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_priv.h"

/* Three nexuses: A holds the reservation, B is registered, C is not. */
static const struct scst_pr_nexus nx_a = { "ini.a", "tgt" };
static const struct scst_pr_nexus nx_b = { "ini.b", "tgt" };
static const struct scst_pr_nexus nx_c = { "ini.c", "tgt" };
#define KEY_A	0xaaULL
#define KEY_B	0xbbULL

static const u8 pr_types[] = {
	SCST_PR_WE, SCST_PR_EA, SCST_PR_WE_RO, SCST_PR_EA_RO,
	SCST_PR_WE_AR, SCST_PR_EA_AR,
};

/**
 * struct pr_fixture - a state and what its operations reported
 * @pr:		the state
 * @freed:	registrations removed (freed at the end of the test)
 * @uas:	"initiator:ascq" of every unit attention, in order
 */
struct pr_fixture {
	struct scst_pr pr;
	struct list_head freed;
	char uas[256];
};

static void pr_record_ua(void *data, struct scst_pr_reg *reg, u8 ascq)
{
	struct pr_fixture *f = data;
	size_t n = strlen(f->uas);

	snprintf(f->uas + n, sizeof(f->uas) - n, "%s:%02x ", reg->initiator,
		 ascq);
}

static struct scst_pr_reg *pr_new_reg(struct kunit *test,
				      const struct scst_pr_nexus *nx)
{
	size_t il = strlen(nx->initiator) + 1, tl = strlen(nx->target) + 1;
	struct scst_pr_reg *reg;

	reg = kunit_kzalloc(test, sizeof(*reg) + il + tl, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	memcpy(reg->initiator, nx->initiator, il);
	reg->target = reg->initiator + il;
	memcpy(reg->target, nx->target, tl);
	return reg;
}

/* Run one service action from @nx. */
static enum scst_pr_status pr_do(struct kunit *test, struct pr_fixture *f,
				 const struct scst_pr_nexus *nx, u8 sa,
				 u8 type, u64 key, u64 sa_key)
{
	struct scst_pr_out req = {
		.sa = sa, .scope = SCST_PR_SCOPE_LU, .type = type,
		.key = key, .sa_key = sa_key,
	};
	bool used = false;
	struct scst_pr_ctx ctx = {
		.new_reg = pr_new_reg(test, nx),
		.used_new_reg = &used,
		.freed = &f->freed,
		.ua = pr_record_ua,
		.ua_data = f,
	};

	return scst_pr_out(&f->pr, nx, &req, &ctx);
}

/* A holds a reservation of @type with key A, B is registered with key B. */
static struct pr_fixture *pr_setup(struct kunit *test, u8 type)
{
	struct pr_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	scst_pr_init(&f->pr);
	INIT_LIST_HEAD(&f->freed);
	KUNIT_ASSERT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_REGISTER, 0,
				    0, KEY_A), SCST_PR_GOOD);
	KUNIT_ASSERT_EQ(test, pr_do(test, f, &nx_b, SCST_PR_OUT_REGISTER, 0,
				    0, KEY_B), SCST_PR_GOOD);
	if (type)
		KUNIT_ASSERT_EQ(test, pr_do(test, f, &nx_a,
					    SCST_PR_OUT_RESERVE, type, KEY_A,
					    0), SCST_PR_GOOD);
	return f;
}

static bool pr_type_we(u8 t)
{
	return t == SCST_PR_WE || t == SCST_PR_WE_RO || t == SCST_PR_WE_AR;
}

static bool pr_type_registrants(u8 t)
{
	return t != SCST_PR_WE && t != SCST_PR_EA;
}

/* SPC-4 table 80, for each type and each kind of nexus. */
static void pr_access_by_type_and_nexus(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_types); i++) {
		u8 t = pr_types[i];
		struct pr_fixture *f = pr_setup(test, t);
		bool b_in = pr_type_registrants(t);

		/* The holder does everything. */
		KUNIT_EXPECT_FALSE(test, scst_pr_conflicts(&f->pr, &nx_a,
							   SCST_RES_READS));
		KUNIT_EXPECT_FALSE(test, scst_pr_conflicts(&f->pr, &nx_a,
							   SCST_RES_WRITES));
		/* A registrant too with registrants-only or all types. */
		KUNIT_EXPECT_EQ_MSG(test, scst_pr_conflicts(&f->pr, &nx_b,
							    SCST_RES_WRITES),
				    !b_in, "type %u", t);
		KUNIT_EXPECT_EQ_MSG(test, scst_pr_conflicts(&f->pr, &nx_b,
							    SCST_RES_READS),
				    !b_in && !pr_type_we(t), "type %u", t);
		/* The others read under Write Exclusive types only. */
		KUNIT_EXPECT_TRUE(test, scst_pr_conflicts(&f->pr, &nx_c,
							  SCST_RES_WRITES));
		KUNIT_EXPECT_EQ_MSG(test, scst_pr_conflicts(&f->pr, &nx_c,
							    SCST_RES_READS),
				    !pr_type_we(t), "type %u", t);
	}
}

static void pr_no_reservation_no_conflict(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, 0);

	KUNIT_EXPECT_FALSE(test, scst_pr_conflicts(&f->pr, &nx_c,
						   SCST_RES_WRITES));
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 2U);
	KUNIT_EXPECT_EQ(test, f->pr.generation, 2U);
}

/* Only REGISTER (with key 0) and REGISTER AND IGNORE from outsiders. */
static void pr_unregistered_nexus_may_only_register(struct kunit *test)
{
	unsigned int i;
	static const u8 sas[] = {
		SCST_PR_OUT_RESERVE, SCST_PR_OUT_RELEASE, SCST_PR_OUT_CLEAR,
		SCST_PR_OUT_PREEMPT, SCST_PR_OUT_PREEMPT_AND_ABORT,
	};

	for (i = 0; i < ARRAY_SIZE(pr_types); i++) {
		struct pr_fixture *f = pr_setup(test, pr_types[i]);
		unsigned int j;

		for (j = 0; j < ARRAY_SIZE(sas); j++)
			KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_c, sas[j],
						    pr_types[i], 0, KEY_A),
					SCST_PR_CONFLICT);
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_c,
					    SCST_PR_OUT_REGISTER, 0, 5, 7),
				SCST_PR_CONFLICT);
		/* Registering with key 0 is a no-op, not a change. */
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_c,
					    SCST_PR_OUT_REGISTER, 0, 0, 0),
				SCST_PR_GOOD);
		KUNIT_EXPECT_EQ(test, f->pr.generation, 2U);
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_c,
					    SCST_PR_OUT_REGISTER_AND_IGNORE, 0,
					    99, 7), SCST_PR_GOOD);
		KUNIT_EXPECT_EQ(test, f->pr.generation, 3U);
		KUNIT_EXPECT_STREQ(test, f->uas, "");
	}
}

/* A registrant's key must match for every action but REGISTER AND IGNORE. */
static void pr_wrong_key_conflicts(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, SCST_PR_WE);
	u8 sa;

	for (sa = SCST_PR_OUT_REGISTER; sa <= SCST_PR_OUT_PREEMPT_AND_ABORT;
	     sa++)
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, sa, SCST_PR_WE,
					    KEY_B, KEY_B), SCST_PR_CONFLICT);
	KUNIT_EXPECT_TRUE(test, f->pr.reserved);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a,
				    SCST_PR_OUT_REGISTER_AND_IGNORE, 0, KEY_B,
				    0x11), SCST_PR_GOOD);
	KUNIT_EXPECT_EQ(test, scst_pr_find(&f->pr, &nx_a)->key, 0x11ULL);
}

static void pr_reserve_rules(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, 0);

	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_RESERVE, 2,
				    KEY_A, 0), SCST_PR_INVALID_CDB);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_RESERVE,
				    SCST_PR_EA, KEY_A, 0), SCST_PR_GOOD);
	/* Again, same type: fine.  Another type, or another nexus: no. */
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_RESERVE,
				    SCST_PR_EA, KEY_A, 0), SCST_PR_GOOD);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_RESERVE,
				    SCST_PR_WE, KEY_A, 0), SCST_PR_CONFLICT);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b, SCST_PR_OUT_RESERVE,
				    SCST_PR_EA, KEY_B, 0), SCST_PR_CONFLICT);
	/* RESERVE does not count as a registration change. */
	KUNIT_EXPECT_EQ(test, f->pr.generation, 2U);
}

/* All registrants: everybody holds it; RESERVE of the same type is GOOD. */
static void pr_all_registrants_hold_it(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, SCST_PR_WE_AR);

	KUNIT_EXPECT_TRUE(test, scst_pr_is_holder(&f->pr,
						  scst_pr_find(&f->pr, &nx_b)));
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b, SCST_PR_OUT_RESERVE,
				    SCST_PR_WE_AR, KEY_B, 0), SCST_PR_GOOD);
	/* It ends with its last registrant. */
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_REGISTER, 0,
				    KEY_A, 0), SCST_PR_GOOD);
	KUNIT_EXPECT_TRUE(test, f->pr.reserved);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b, SCST_PR_OUT_REGISTER, 0,
				    KEY_B, 0), SCST_PR_GOOD);
	KUNIT_EXPECT_FALSE(test, f->pr.reserved);
}

static void pr_release_by_type(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_types); i++) {
		u8 t = pr_types[i];
		struct pr_fixture *f = pr_setup(test, t);
		bool all = t == SCST_PR_WE_AR || t == SCST_PR_EA_AR;

		/* An unrelated registrant's RELEASE is a no-op. */
		if (!all) {
			KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b,
						    SCST_PR_OUT_RELEASE, t,
						    KEY_B, 0), SCST_PR_GOOD);
			KUNIT_EXPECT_TRUE(test, f->pr.reserved);
		}
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a,
					    SCST_PR_OUT_RELEASE,
					    t == SCST_PR_WE ? SCST_PR_EA :
					    SCST_PR_WE, KEY_A, 0),
				SCST_PR_INVALID_RELEASE);
		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a,
					    SCST_PR_OUT_RELEASE, t, KEY_A, 0),
				SCST_PR_GOOD);
		KUNIT_EXPECT_FALSE(test, f->pr.reserved);
		/* Registrants of the shared types are told. */
		KUNIT_EXPECT_STREQ_MSG(test, f->uas,
				       pr_type_registrants(t) ? "ini.b:04 " :
				       "", "type %u", t);
		KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 2U);
	}
}

static void pr_clear_removes_everything(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, SCST_PR_EA);

	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b, SCST_PR_OUT_CLEAR, 0,
				    KEY_B, 0), SCST_PR_GOOD);
	KUNIT_EXPECT_FALSE(test, f->pr.reserved);
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->pr.regs));
	KUNIT_EXPECT_EQ(test, f->pr.generation, 3U);
	KUNIT_EXPECT_STREQ(test, f->uas, "ini.a:03 ");
}

static void pr_preempt_the_holder(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_types); i++) {
		u8 t = pr_types[i];
		struct pr_fixture *f = pr_setup(test, t);
		bool all = t == SCST_PR_WE_AR || t == SCST_PR_EA_AR;

		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_b,
					    SCST_PR_OUT_PREEMPT, SCST_PR_EA,
					    KEY_B, all ? 0 : KEY_A),
				SCST_PR_GOOD);
		KUNIT_EXPECT_NULL(test, scst_pr_find(&f->pr, &nx_a));
		KUNIT_EXPECT_TRUE(test, f->pr.reserved);
		KUNIT_EXPECT_EQ(test, f->pr.type, SCST_PR_EA);
		KUNIT_EXPECT_PTR_EQ(test, f->pr.holder,
				    scst_pr_find(&f->pr, &nx_b));
		KUNIT_EXPECT_STREQ(test, f->uas, "ini.a:05 ");
		KUNIT_EXPECT_EQ(test, f->pr.generation, 3U);
	}
}

static void pr_preempt_registrations_only(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, 0);

	/* No reservation: a zero key is invalid, an unknown one conflicts. */
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_PREEMPT,
				    SCST_PR_WE, KEY_A, 0),
			SCST_PR_INVALID_PARAM);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_PREEMPT,
				    SCST_PR_WE, KEY_A, 0x77),
			SCST_PR_CONFLICT);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_PREEMPT,
				    SCST_PR_WE, KEY_A, KEY_B), SCST_PR_GOOD);
	KUNIT_EXPECT_FALSE(test, f->pr.reserved);
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 1U);
	KUNIT_EXPECT_STREQ(test, f->uas, "ini.b:05 ");
	/* A reservation held by another key: only registrations go. */
	f = pr_setup(test, SCST_PR_WE);
	KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a, SCST_PR_OUT_PREEMPT,
				    SCST_PR_EA, KEY_A, KEY_B), SCST_PR_GOOD);
	KUNIT_EXPECT_EQ(test, f->pr.type, SCST_PR_WE);
}

static void pr_unregister_holder_releases(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pr_types); i++) {
		u8 t = pr_types[i];
		struct pr_fixture *f = pr_setup(test, t);
		bool all = t == SCST_PR_WE_AR || t == SCST_PR_EA_AR;
		bool ro = t == SCST_PR_WE_RO || t == SCST_PR_EA_RO;

		KUNIT_EXPECT_EQ(test, pr_do(test, f, &nx_a,
					    SCST_PR_OUT_REGISTER, 0, KEY_A, 0),
				SCST_PR_GOOD);
		/* All registrants: B still holds it. */
		KUNIT_EXPECT_EQ_MSG(test, f->pr.reserved, all, "type %u", t);
		KUNIT_EXPECT_STREQ_MSG(test, f->uas, ro ? "ini.b:04 " : "",
				       "type %u", t);
	}
}

/* ALL_TG_PT registers the initiator on every target port. */
static void pr_all_tg_pt_matches_any_target(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, 0);
	struct scst_pr_nexus other_port = { "ini.c", "tgt2" };
	struct scst_pr_out req = {
		.sa = SCST_PR_OUT_REGISTER, .sa_key = 0xcc, .all_tg_pt = true,
	};
	bool used = false;
	struct scst_pr_ctx ctx = {
		.new_reg = pr_new_reg(test, &nx_c),
		.used_new_reg = &used,
		.freed = &f->freed,
	};

	KUNIT_EXPECT_EQ(test, scst_pr_out(&f->pr, &nx_c, &req, &ctx),
			SCST_PR_GOOD);
	KUNIT_EXPECT_TRUE(test, used);
	KUNIT_EXPECT_NOT_NULL(test, scst_pr_find(&f->pr, &other_port));
	other_port.initiator = "ini.a";
	KUNIT_EXPECT_NULL(test, scst_pr_find(&f->pr, &other_port));
}

/* REGISTER AND MOVE from A (holder) to C, with @unreg; @dst may be NULL. */
static enum scst_pr_status pr_move(struct kunit *test, struct pr_fixture *f,
				   const struct scst_pr_nexus *from, u64 key,
				   const struct scst_pr_nexus *dst, bool unreg)
{
	struct scst_pr_out req = {
		.sa = SCST_PR_OUT_REGISTER_AND_MOVE, .key = key,
		.sa_key = 0xcc, .unreg = unreg,
	};
	bool used = false;
	struct scst_pr_ctx ctx = {
		.new_reg = dst ? pr_new_reg(test, dst) : NULL,
		.used_new_reg = &used,
		.freed = &f->freed,
	};

	return scst_pr_out(&f->pr, from, &req, &ctx);
}

static void pr_register_and_move(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, SCST_PR_EA);

	/* Only the holder moves it, and not to itself. */
	KUNIT_EXPECT_EQ(test, pr_move(test, f, &nx_b, KEY_B, &nx_c, false),
			SCST_PR_CONFLICT);
	KUNIT_EXPECT_EQ(test, pr_move(test, f, &nx_a, KEY_A, &nx_a, false),
			SCST_PR_INVALID_PARAM);
	KUNIT_EXPECT_EQ(test, pr_move(test, f, &nx_a, KEY_A, &nx_c, true),
			SCST_PR_GOOD);
	KUNIT_EXPECT_NULL(test, scst_pr_find(&f->pr, &nx_a));
	KUNIT_EXPECT_PTR_EQ(test, f->pr.holder, scst_pr_find(&f->pr, &nx_c));
	KUNIT_EXPECT_EQ(test, f->pr.holder->key, 0xccULL);
	KUNIT_EXPECT_EQ(test, f->pr.type, SCST_PR_EA);
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 2U);
	KUNIT_EXPECT_EQ(test, f->pr.generation, 3U);
	/* An "all registrants" reservation has no one holder to move. */
	f = pr_setup(test, SCST_PR_WE_AR);
	KUNIT_EXPECT_EQ(test, pr_move(test, f, &nx_a, KEY_A, &nx_c, false),
			SCST_PR_CONFLICT);
}

static void pr_register_spec_i_pt(struct kunit *test)
{
	struct pr_fixture *f = pr_setup(test, 0);
	static const struct scst_pr_nexus nx_d = { "ini.d", "tgt" };
	struct scst_pr_out req = {
		.sa = SCST_PR_OUT_REGISTER, .sa_key = 0xcc, .spec_i_pt = true,
	};
	bool used = false;
	LIST_HEAD(spec);
	struct scst_pr_ctx ctx = {
		.new_reg = pr_new_reg(test, &nx_c),
		.used_new_reg = &used,
		.spec_regs = &spec,
		.freed = &f->freed,
	};

	/* Naming a registered initiator: nothing is registered. */
	list_add_tail(&pr_new_reg(test, &nx_d)->entry, &spec);
	list_add_tail(&pr_new_reg(test, &nx_b)->entry, &spec);
	KUNIT_EXPECT_EQ(test, scst_pr_out(&f->pr, &nx_c, &req, &ctx),
			SCST_PR_INVALID_PARAM);
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 2U);
	KUNIT_EXPECT_FALSE(test, used);
	list_del(&list_last_entry(&spec, struct scst_pr_reg, entry)->entry);
	KUNIT_EXPECT_EQ(test, scst_pr_out(&f->pr, &nx_c, &req, &ctx),
			SCST_PR_GOOD);
	KUNIT_EXPECT_TRUE(test, list_empty(&spec));
	KUNIT_EXPECT_EQ(test, f->pr.nr_regs, 4U);
	KUNIT_EXPECT_EQ(test, scst_pr_find(&f->pr, &nx_d)->key, 0xccULL);
	KUNIT_EXPECT_EQ(test, scst_pr_find(&f->pr, &nx_c)->key, 0xccULL);
	KUNIT_EXPECT_EQ(test, f->pr.generation, 3U);
	/* A registered nexus may not name others. */
	KUNIT_EXPECT_EQ(test, scst_pr_out(&f->pr, &nx_a, &req, &ctx),
			SCST_PR_INVALID_PARAM);
}

static struct kunit_case scst_pr_cases[] = {
	KUNIT_CASE(pr_access_by_type_and_nexus),
	KUNIT_CASE(pr_no_reservation_no_conflict),
	KUNIT_CASE(pr_unregistered_nexus_may_only_register),
	KUNIT_CASE(pr_wrong_key_conflicts),
	KUNIT_CASE(pr_reserve_rules),
	KUNIT_CASE(pr_all_registrants_hold_it),
	KUNIT_CASE(pr_release_by_type),
	KUNIT_CASE(pr_clear_removes_everything),
	KUNIT_CASE(pr_preempt_the_holder),
	KUNIT_CASE(pr_preempt_registrations_only),
	KUNIT_CASE(pr_unregister_holder_releases),
	KUNIT_CASE(pr_all_tg_pt_matches_any_target),
	KUNIT_CASE(pr_register_and_move),
	KUNIT_CASE(pr_register_spec_i_pt),
	{}
};

static struct kunit_suite scst_pr_suite = {
	.name = "scst_pr",
	.test_cases = scst_pr_cases,
};

kunit_test_suite(scst_pr_suite);

MODULE_DESCRIPTION("KUnit tests of the SCST persistent reservation state machine");
MODULE_LICENSE("GPL");
