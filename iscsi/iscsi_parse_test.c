// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_parse_test.c - KUnit tests of the iSCSI PDU header and login text
 * parsers: what they accept, and that every malformed input is refused
 * with the error that selects the right Reject (tests/fuzz/ feeds them
 * random input in user space)
 */
#include <kunit/test.h>
#include <linux/module.h>

/* Their own copy of the parsers: iscsi_scst.ko exports none of them. */
#include "iscsi_pdu.c"
#include "iscsi_text.c"

/* Split a string literal, embedded NULs included, into at most 4 pairs. */
#define SPLIT(s, n) split((const u8 *)(s), sizeof(s) - 1, (n))

static int split(const u8 *buf, u32 len, unsigned int *n)
{
	struct iscsi_kv kv[4];

	return iscsi_text_split(buf, len, kv, ARRAY_SIZE(kv), n);
}

static void text_split_finds_each_pair(struct kunit *test)
{
	static const char text[] = "HeaderDigest=CRC32C,None\0X#Ven-1=\0\0\0";
	struct iscsi_kv kv[4];
	unsigned int n;

	KUNIT_ASSERT_EQ(test, iscsi_text_split((const u8 *)text, sizeof(text) - 1,
					       kv, 4, &n), 0);
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, kv[0].key_len, 12U);
	KUNIT_EXPECT_STREQ(test, kv[0].value, "CRC32C,None");
	KUNIT_EXPECT_EQ(test, kv[0].value_len, 11U);
	KUNIT_EXPECT_EQ(test, kv[1].value_len, 0U);
	KUNIT_EXPECT_EQ(test, SPLIT("", &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0U);
}

static void text_split_refuses_malformed_text(struct kunit *test)
{
	static u8 big[ISCSI_VALUE_MAX + 8];
	unsigned int n;

	KUNIT_EXPECT_EQ(test, SPLIT("A=1", &n), -EPROTO);
	KUNIT_EXPECT_EQ(test, SPLIT("A1\0", &n), -EPROTO);
	KUNIT_EXPECT_EQ(test, SPLIT("A=1\0A=2\0", &n), -EPROTO);
	KUNIT_EXPECT_EQ(test, SPLIT("A=1\0\0B=2\0", &n), -EPROTO);
	KUNIT_EXPECT_EQ(test, SPLIT("a=1\0", &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, SPLIT("=1\0", &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, SPLIT("A/B=1\0", &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, SPLIT("A=1\0B=1\0C=1\0D=1\0E=1\0", &n), -E2BIG);
	/* A key name of 64 bytes. */
	memset(big, 'K', 64);
	memcpy(big + 64, "=1", 3);
	KUNIT_EXPECT_EQ(test, split(big, 67, &n), -EINVAL);
	KUNIT_EXPECT_EQ(test, split(big + 1, 66, &n), 0);
	memset(big, 'v', sizeof(big));
	memcpy(big, "A=", 2);
	big[sizeof(big) - 1] = 0;
	KUNIT_EXPECT_EQ(test, split(big, sizeof(big), &n), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, n, 0U);
}

static void text_numbers_are_decimal_or_hex(struct kunit *test)
{
	u32 v = 0;

	KUNIT_EXPECT_EQ(test, iscsi_text_number("0", 1, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("262144", 6, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 262144U);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("0x2000", 6, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 8192U);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("4294967295", 10, &v), 0);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("4294967296", 10, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("012", 3, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("0x", 2, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("", 0, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("12a", 3, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_text_number("-1", 2, &v), -EINVAL);
}

static int negotiate(const char *key, const char *offer, u32 ours, u32 *res)
{
	const struct iscsi_key *k = iscsi_key_find(key, strlen(key));

	if (!k)
		return -ENOKEY;
	return iscsi_key_negotiate(k, offer, strlen(offer), ours, res);
}

static void keys_negotiate_by_their_result_function(struct kunit *test)
{
	u32 r = 0;

	KUNIT_EXPECT_EQ(test, negotiate("MaxBurstLength", "1048576", 262144, &r), 0);
	KUNIT_EXPECT_EQ(test, r, 262144U);
	KUNIT_EXPECT_EQ(test, negotiate("DefaultTime2Wait", "5", 2, &r), 0);
	KUNIT_EXPECT_EQ(test, r, 5U);
	KUNIT_EXPECT_EQ(test, negotiate("MaxRecvDataSegmentLength", "65536", 8192, &r), 0);
	KUNIT_EXPECT_EQ(test, r, 65536U);
	KUNIT_EXPECT_EQ(test, negotiate("InitialR2T", "No", 1, &r), 0);
	KUNIT_EXPECT_EQ(test, r, 1U);
	KUNIT_EXPECT_EQ(test, negotiate("ImmediateData", "Yes", 0, &r), 0);
	KUNIT_EXPECT_EQ(test, r, 0U);
	KUNIT_EXPECT_EQ(test, negotiate("HeaderDigest", "CRC32C,None", ISCSI_DIGEST_NONE, &r), 0);
	KUNIT_EXPECT_EQ(test, r, (u32)ISCSI_DIGEST_NONE);
	KUNIT_EXPECT_EQ(test, negotiate("DataDigest", "MD5,CRC32C", ISCSI_DIGEST_NONE |
					ISCSI_DIGEST_CRC32C, &r), 0);
	KUNIT_EXPECT_EQ(test, r, (u32)ISCSI_DIGEST_CRC32C);
	KUNIT_EXPECT_EQ(test, negotiate("SessionType", "Discovery", 0, &r), 0);
}

static void keys_refuse_what_the_rfc_does_not_allow(struct kunit *test)
{
	u32 r = 0;

	KUNIT_EXPECT_EQ(test, negotiate("MaxBurstLength", "511", 262144, &r), -ERANGE);
	KUNIT_EXPECT_EQ(test, negotiate("ErrorRecoveryLevel", "3", 0, &r), -ERANGE);
	KUNIT_EXPECT_EQ(test, negotiate("MaxConnections", "0", 1, &r), -ERANGE);
	KUNIT_EXPECT_EQ(test, negotiate("MaxConnections", "one", 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, negotiate("InitialR2T", "yes", 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, negotiate("HeaderDigest", "CRC32C", ISCSI_DIGEST_NONE, &r), -ENOENT);
	KUNIT_EXPECT_EQ(test, negotiate("HeaderDigest", "None,", ISCSI_DIGEST_CRC32C, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, negotiate("TargetAlias", "", 0, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, negotiate("MaxRecvDataSegmentLength", "16777216", 8192, &r), -ERANGE);
	KUNIT_EXPECT_EQ(test, negotiate("FooBar", "1", 0, &r), -ENOKEY);
}

/* A header with @op in byte 0, @flags in byte 1 and @data_len bytes of data. */
static void bhs_init(u8 *bhs, u8 op, u8 flags, u32 data_len)
{
	memset(bhs, 0, ISCSI_BHS_LEN);
	bhs[0] = op;
	bhs[1] = flags;
	bhs[5] = data_len >> 16;
	bhs[6] = data_len >> 8;
	bhs[7] = data_len;
}

static void pdu_headers_that_are_valid_parse(struct kunit *test)
{
	struct iscsi_pdu_hdr h;
	u8 bhs[ISCSI_BHS_LEN];

	bhs_init(bhs, 0x40 | ISCSI_OP_LOGIN_REQ, 0x87, 300);
	KUNIT_ASSERT_EQ(test, iscsi_pdu_parse(bhs, ISCSI_LOGIN_MAX_DATA, &h), 0);
	KUNIT_EXPECT_EQ(test, h.opcode, (u8)ISCSI_OP_LOGIN_REQ);
	KUNIT_EXPECT_TRUE(test, h.immediate);
	KUNIT_EXPECT_TRUE(test, h.final);
	KUNIT_EXPECT_EQ(test, h.data_len, 300U);
	/* A WRITE with 512 bytes of immediate data of 4096 expected. */
	bhs_init(bhs, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_WRITE | 1, 512);
	bhs[22] = 0x10;
	bhs[16] = 0xab;
	KUNIT_ASSERT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), 0);
	KUNIT_EXPECT_EQ(test, h.edtl, 4096U);
	KUNIT_EXPECT_EQ(test, h.itt, 0xab000000U);
	bhs_init(bhs, ISCSI_OP_DATA_OUT, 0x80, 8192);
	bhs[40] = 0xff;
	KUNIT_ASSERT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), 0);
	KUNIT_EXPECT_EQ(test, h.buffer_offset, 0xff000000U);
}

static void pdu_headers_that_are_invalid_are_refused(struct kunit *test)
{
	struct iscsi_pdu_hdr h;
	u8 bhs[ISCSI_BHS_LEN];

	bhs_init(bhs, 0x3f, 0x80, 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_reject_reason(-EOPNOTSUPP), 0x05);
	bhs_init(bhs, ISCSI_OP_NOP_OUT, 0x80, 8193);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_reject_reason(-EMSGSIZE), 0x09);
	bhs_init(bhs, ISCSI_OP_NOP_OUT, 0x80, 0);
	bhs[4] = 1;
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EPROTO);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_reject_reason(-EPROTO), 0x04);
	bhs_init(bhs, ISCSI_OP_LOGOUT_REQ, 0x80, 4);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EPROTO);
	bhs_init(bhs, ISCSI_OP_LOGIN_REQ, 0x87, 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	bhs_init(bhs, ISCSI_OP_TMF_REQ, 0x01, 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	/*
	 * More immediate data than expected; data on a READ; a reserved task
	 * attribute; an expected length without a data phase.
	 */
	bhs_init(bhs, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_WRITE, 1024);
	bhs[22] = 0x02;
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	bhs_init(bhs, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_READ, 512);
	bhs[22] = 0x02;
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	bhs_init(bhs, ISCSI_OP_SCSI_CMD, 0x80 | ISCSI_CMD_READ | 5, 0);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	bhs_init(bhs, ISCSI_OP_SCSI_CMD, 0x80, 0);
	bhs[23] = 1;
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
	/* A Data-Out whose offset and length wrap around. */
	bhs_init(bhs, ISCSI_OP_DATA_OUT, 0x80, 16);
	memset(bhs + 40, 0xff, 4);
	KUNIT_EXPECT_EQ(test, iscsi_pdu_parse(bhs, 8192, &h), -EINVAL);
}

static struct kunit_case iscsi_parse_cases[] = {
	KUNIT_CASE(text_split_finds_each_pair),
	KUNIT_CASE(text_split_refuses_malformed_text),
	KUNIT_CASE(text_numbers_are_decimal_or_hex),
	KUNIT_CASE(keys_negotiate_by_their_result_function),
	KUNIT_CASE(keys_refuse_what_the_rfc_does_not_allow),
	KUNIT_CASE(pdu_headers_that_are_valid_parse),
	KUNIT_CASE(pdu_headers_that_are_invalid_are_refused),
	{}
};

static struct kunit_suite iscsi_parse_suite = {
	.name = "scst_iscsi_parse",
	.test_cases = iscsi_parse_cases,
};

kunit_test_suite(iscsi_parse_suite);

MODULE_DESCRIPTION("KUnit tests of the SCST iSCSI PDU and text parsers");
MODULE_LICENSE("GPL");
