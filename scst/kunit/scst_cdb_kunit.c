// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb_kunit.c - KUnit tests of the CDB table and parser
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <scsi/scsi_proto.h>

#include <scst.h>

#define BS	512

/* CDB length implied by the group code in the operation code (SPC-4 4.2.5). */
static unsigned int scst_group_cdb_len(u8 opcode)
{
	static const u8 len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

	return len[opcode >> 5];
}

/*
 * Every row is self-consistent: sorted, its usage data starts with its
 * operation code, its length matches the group code, and its LBA and length
 * fields lie inside the CDB in bits the usage data marks as used.
 */
static void scst_cdb_check_row(struct kunit *test, const struct scst_opcode *op,
			       const struct scst_opcode *prev)
{
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, op->usage[0], op->opcode, "%s", op->name);
	KUNIT_EXPECT_EQ_MSG(test, (unsigned int)op->cdb_len,
			    scst_group_cdb_len(op->opcode), "%s", op->name);
	if (prev)
		KUNIT_EXPECT_TRUE_MSG(test, prev->opcode < op->opcode ||
				      (prev->opcode == op->opcode &&
				       prev->sa < op->sa),
				      "%s after %s", op->name, prev->name);
	if (op->len_off) {
		KUNIT_EXPECT_LE_MSG(test, op->len_off + op->len_size,
				    op->cdb_len - 1, "%s", op->name);
		for (i = 0; i < op->len_size; i++)
			KUNIT_EXPECT_EQ_MSG(test, op->usage[op->len_off + i],
					    0xff, "%s", op->name);
	}
	if (op->lba_off && op->lba_size != 3)
		for (i = 0; i < op->lba_size; i++)
			KUNIT_EXPECT_EQ_MSG(test, op->usage[op->lba_off + i],
					    0xff, "%s", op->name);
	/* Every control byte accepts NACA (ACA is central); none LINK. */
	KUNIT_EXPECT_EQ_MSG(test, op->usage[op->cdb_len - 1] & 0x05, 0x04,
			    "%s", op->name);
	/* No protection information: no *PROTECT field is accepted. */
	if (op->lba_off && op->dir != SCST_DATA_NONE)
		KUNIT_EXPECT_EQ_MSG(test, op->usage[1] & 0xe0, 0, "%s", op->name);
	/* The service action field is always fully used. */
	if (op->has_sa)
		KUNIT_EXPECT_EQ_MSG(test, op->usage[1] & 0x1f, 0x1f, "%s", op->name);
}

/*
 * Every row is self-consistent, for every device type: sorted, its usage
 * data starts with its operation code, its length matches the group code,
 * and its LBA and length fields lie inside the CDB in bits marked as used.
 */
static void scst_cdb_table_is_consistent(struct kunit *test)
{
	const struct scst_opcode *op, *prev;
	unsigned int rows = 0;
	u8 type;

	for (type = 0; type < 32; type++) {
		prev = NULL;
		for (op = scst_opcode_next(NULL, type); op;
		     prev = op, op = scst_opcode_next(op, type)) {
			scst_cdb_check_row(test, op, prev);
			KUNIT_EXPECT_PTR_EQ(test, op,
					    scst_opcode_find(op->opcode, op->sa,
							     type));
			rows++;
		}
	}
	KUNIT_EXPECT_GT(test, rows, 32U);
	KUNIT_EXPECT_NULL(test, scst_opcode_next(NULL, 32));
}

static void scst_cdb_parse_read10(struct kunit *test)
{
	const u8 cdb[10] = { 0x28, 0x08, 0x12, 0x34, 0x56, 0x78, 0, 0x01, 0x02, 0 };
	struct scst_cdb_parse p;

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(cdb, 10, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_STREQ(test, p.op->name, "READ(10)");
	KUNIT_EXPECT_EQ(test, p.lba, 0x12345678ULL);
	KUNIT_EXPECT_EQ(test, p.len, 0x102U);
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_READ);
	KUNIT_EXPECT_EQ(test, p.data_len, 0x102ULL * BS);

	/* The same CDB padded to 16 bytes by a transport parses the same. */
	{
		u8 padded[16] = {};

		memcpy(padded, cdb, sizeof(cdb));
		padded[12] = 0xff;
		KUNIT_ASSERT_EQ(test, scst_cdb_parse(padded, 16, TYPE_DISK, BS, &p), 0);
		KUNIT_EXPECT_EQ(test, p.lba, 0x12345678ULL);
	}
}

static void scst_cdb_parse_rw6_and_16(struct kunit *test)
{
	const u8 read6[6] = { 0x08, 0x1f, 0xff, 0xff, 0x00, 0 };
	const u8 write16[16] = { 0x8a, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
				 0x07, 0x08, 0, 0, 0x10, 0x00, 0, 0 };
	struct scst_cdb_parse p;

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(read6, 6, TYPE_DISK, 4096, &p), 0);
	KUNIT_EXPECT_EQ(test, p.lba, 0x1fffffULL);
	KUNIT_EXPECT_EQ(test, p.len, 256U);
	KUNIT_EXPECT_EQ(test, p.data_len, 256ULL * 4096);

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(write16, 16, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.lba, 0x0102030405060708ULL);
	KUNIT_EXPECT_EQ(test, p.len, 0x1000U);
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_WRITE);
}

/* A reserved bit is INVALID FIELD IN CDB pointing at that very bit. */
static void scst_cdb_parse_reserved_bits(struct kunit *test)
{
	static const struct {
		u8 cdb[16];
		u8 byte, bit;
	} cases[] = {
		{ { 0x00, 0, 0, 0, 0x01, 0 }, 4, 0 },		/* TUR byte 4 */
		{ { 0x12, 0x02, 0, 0, 0x24, 0 }, 1, 1 },	/* INQUIRY CMDDT */
		{ { 0x28, 0x20 }, 1, 5 },			/* RDPROTECT */
		{ { 0x2a, 0xe0 }, 1, 7 },			/* WRPROTECT */
		{ { 0x00, 0, 0, 0, 0, 0x01 }, 5, 0 },		/* LINK */
		{ { 0xa0, 0x10 }, 1, 4 },			/* REPORT LUNS */
	};
	struct scst_cdb_parse p;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test, scst_cdb_parse(cases[i].cdb, 16,
							 TYPE_DISK, BS, &p),
				    -EINVAL, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p.asc, 0x24, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p.ascq, 0x00, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p.field_byte, cases[i].byte, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p.field_bit, cases[i].bit, "case %u", i);
	}
}

/* Unknown commands and commands of another device type: INVALID OPCODE. */
static void scst_cdb_parse_unsupported(struct kunit *test)
{
	const u8 unknown[16] = { 0xff };
	const u8 get_config[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0 };
	const u8 read_cap16[16] = { 0x9e, 0x10, [13] = 32 };
	const u8 bad_sa[16] = { 0x9e, 0x11, [13] = 32 };
	struct scst_cdb_parse p;

	KUNIT_EXPECT_EQ(test, scst_cdb_parse(unknown, 16, TYPE_DISK, BS, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.asc, 0x20);
	KUNIT_EXPECT_EQ(test, scst_cdb_parse(get_config, 10, TYPE_DISK, BS, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.asc, 0x20);
	KUNIT_EXPECT_EQ(test, scst_cdb_parse(get_config, 10, TYPE_ROM, 2048, &p), 0);
	KUNIT_EXPECT_EQ(test, p.data_len, 8ULL);

	KUNIT_EXPECT_EQ(test, scst_cdb_parse(read_cap16, 16, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_STREQ(test, p.op->name, "READ CAPACITY(16)");
	KUNIT_EXPECT_EQ(test, p.data_len, 32ULL);
	/* An unknown service action of a known command is an invalid field. */
	KUNIT_EXPECT_EQ(test, scst_cdb_parse(bad_sa, 16, TYPE_DISK, BS, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.asc, 0x24);
	KUNIT_EXPECT_EQ(test, p.field_byte, 1);
	KUNIT_EXPECT_EQ(test, p.field_bit, 4);
}

/* The same operation code means different commands for different types. */
static void scst_cdb_parse_per_type(struct kunit *test)
{
	const u8 cdb[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	struct scst_cdb_parse p;

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(cdb, 10, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_STREQ(test, p.op->name, "UNMAP");
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_WRITE);
	KUNIT_ASSERT_EQ(test, scst_cdb_parse(cdb, 10, TYPE_ROM, 2048, &p), 0);
	KUNIT_EXPECT_STREQ(test, p.op->name, "READ SUB-CHANNEL");
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_READ);
	KUNIT_EXPECT_NULL(test, scst_opcode_find(0x2a, 0, TYPE_ROM));
	KUNIT_EXPECT_NOT_NULL(test, scst_opcode_find(0x28, 0, TYPE_ROM));
}

/* Data length rules that do not follow from the length field alone. */
static void scst_cdb_parse_data_len(struct kunit *test)
{
	u8 verify[10] = { 0x2f, 0, 0, 0, 0, 0x10, 0, 0, 4, 0 };
	const u8 ws[16] = { 0x93, 0, [13] = 100 };
	const u8 caw[16] = { 0x89, 0, [13] = 3 };
	const u8 inq0[6] = { 0x12, 0, 0, 0, 0, 0 };
	const u8 short_cdb[6] = { 0x28, 0, 0, 0, 0, 0 };
	struct scst_cdb_parse p;

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(verify, 10, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.data_len, 0ULL);
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_NONE);
	verify[1] = 0x02;	/* BYTCHK 01b */
	KUNIT_ASSERT_EQ(test, scst_cdb_parse(verify, 10, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.data_len, 4ULL * BS);
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_WRITE);
	verify[1] = 0x06;	/* BYTCHK 11b */
	KUNIT_ASSERT_EQ(test, scst_cdb_parse(verify, 10, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.data_len, (u64)BS);
	verify[1] = 0x04;	/* BYTCHK 10b is reserved */
	KUNIT_EXPECT_EQ(test, scst_cdb_parse(verify, 10, TYPE_DISK, BS, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.field_byte, 1);

	KUNIT_ASSERT_EQ(test, scst_cdb_parse(ws, 16, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.len, 100U);
	KUNIT_EXPECT_EQ(test, p.data_len, (u64)BS);
	KUNIT_ASSERT_EQ(test, scst_cdb_parse(caw, 16, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.data_len, 6ULL * BS);
	KUNIT_ASSERT_EQ(test, scst_cdb_parse(inq0, 6, TYPE_DISK, BS, &p), 0);
	KUNIT_EXPECT_EQ(test, p.dir, SCST_DATA_NONE);
	/* A CDB shorter than its command cannot be parsed. */
	KUNIT_EXPECT_EQ(test, scst_cdb_parse(short_cdb, 6, TYPE_DISK, BS, &p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.asc, 0x24);
}

static struct kunit_case scst_cdb_cases[] = {
	KUNIT_CASE(scst_cdb_table_is_consistent),
	KUNIT_CASE(scst_cdb_parse_read10),
	KUNIT_CASE(scst_cdb_parse_rw6_and_16),
	KUNIT_CASE(scst_cdb_parse_reserved_bits),
	KUNIT_CASE(scst_cdb_parse_unsupported),
	KUNIT_CASE(scst_cdb_parse_per_type),
	KUNIT_CASE(scst_cdb_parse_data_len),
	{}
};

static struct kunit_suite scst_cdb_suite = {
	.name = "scst_cdb",
	.test_cases = scst_cdb_cases,
};

kunit_test_suite(scst_cdb_suite);

MODULE_DESCRIPTION("KUnit tests of SCST's CDB table and parser");
MODULE_LICENSE("GPL");
