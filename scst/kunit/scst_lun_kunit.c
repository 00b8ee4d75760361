// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_lun_kunit.c - KUnit tests of LUN address encoding (SAM-5 4.6)
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <scsi/scsi_common.h>

#include <scst.h>

/* Every LUN number the core supports survives encode -> decode. */
static void scst_lun_roundtrip_all(struct kunit *test)
{
	struct scsi_lun field;
	u64 lun;

	for (lun = 0; lun <= SCST_MAX_LUN; lun++) {
		KUNIT_ASSERT_EQ(test, scst_lun_encode(lun, &field), 0);
		KUNIT_ASSERT_EQ(test, scst_lun_decode(field.scsi_lun, 8), lun);
	}
}

/* LUNs below 256 use the peripheral method, the rest the flat method. */
static void scst_lun_encode_methods(struct kunit *test)
{
	static const struct {
		u64 lun;
		u8 b0, b1;
	} cases[] = {
		{ 0, 0x00, 0x00 },
		{ 1, 0x00, 0x01 },
		{ 255, 0x00, 0xff },
		{ 256, 0x41, 0x00 },
		{ 0x1234, 0x52, 0x34 },
		{ SCST_MAX_LUN, 0x7f, 0xff },
	};
	struct scsi_lun field;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ(test, scst_lun_encode(cases[i].lun, &field), 0);
		KUNIT_EXPECT_EQ(test, field.scsi_lun[0], cases[i].b0);
		KUNIT_EXPECT_EQ(test, field.scsi_lun[1], cases[i].b1);
		for (j = 2; j < 8; j++)
			KUNIT_EXPECT_EQ(test, field.scsi_lun[j], 0);
	}
}

static void scst_lun_encode_out_of_range(struct kunit *test)
{
	struct scsi_lun field;

	memset(&field, 0xaa, sizeof(field));
	KUNIT_EXPECT_EQ(test, scst_lun_encode(SCST_MAX_LUN + 1, &field),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, scst_lun_decode(field.scsi_lun, 8), 0ULL);
	KUNIT_EXPECT_EQ(test, scst_lun_encode(U64_MAX, &field), -ERANGE);
}

/* Address methods and layouts the core does not serve are refused. */
static void scst_lun_decode_rejects(struct kunit *test)
{
	static const u8 bad[][8] = {
		{ 0x01, 0x00 },				/* peripheral, bus 1 */
		{ 0x80, 0x01 },				/* logical unit method */
		{ 0xc1, 0x01 },				/* extended (W-LUN) */
		{ 0x00, 0x01, 0x00, 0x02 },		/* second level */
		{ 0x00, 0x00, 0, 0, 0, 0, 0, 0x01 },	/* fourth level */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, scst_lun_decode(bad[i], 8),
				    SCST_LUN_INVALID, "case %u", i);
}

static void scst_lun_decode_lengths(struct kunit *test)
{
	static const u8 flat[] = { 0x40, 0x05 };
	static const u8 long_field[10] = { 0x00, 0x07, [9] = 0x01 };

	KUNIT_EXPECT_EQ(test, scst_lun_decode(flat, 2), 5ULL);
	KUNIT_EXPECT_EQ(test, scst_lun_decode(flat, 1), SCST_LUN_INVALID);
	KUNIT_EXPECT_EQ(test, scst_lun_decode(flat, 0), SCST_LUN_INVALID);
	KUNIT_EXPECT_EQ(test, scst_lun_decode(long_field, 8), 7ULL);
	KUNIT_EXPECT_EQ(test, scst_lun_decode(long_field, 10),
			SCST_LUN_INVALID);
}

/* Linux's initiator turns our field into sdev->lun and back unchanged. */
static void scst_lun_linux_initiator_view(struct kunit *test)
{
	struct scsi_lun field, back;
	u64 lun;

	for (lun = 0; lun <= SCST_MAX_LUN; lun += 97) {
		KUNIT_ASSERT_EQ(test, scst_lun_encode(lun, &field), 0);
		int_to_scsilun(scsilun_to_int(&field), &back);
		KUNIT_EXPECT_EQ(test, scst_lun_decode(back.scsi_lun, 8), lun);
	}
}

static struct kunit_case scst_lun_cases[] = {
	KUNIT_CASE(scst_lun_roundtrip_all),
	KUNIT_CASE(scst_lun_encode_methods),
	KUNIT_CASE(scst_lun_encode_out_of_range),
	KUNIT_CASE(scst_lun_decode_rejects),
	KUNIT_CASE(scst_lun_decode_lengths),
	KUNIT_CASE(scst_lun_linux_initiator_view),
	{}
};

static struct kunit_suite scst_lun_suite = {
	.name = "scst_lun",
	.test_cases = scst_lun_cases,
};

kunit_test_suite(scst_lun_suite);

MODULE_DESCRIPTION("KUnit tests of SCST's LUN address encoding");
MODULE_LICENSE("GPL");
