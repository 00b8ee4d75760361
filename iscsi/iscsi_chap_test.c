// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_chap_test.c - KUnit tests of the iSCSI target's CHAP: decoding of
 * binary values, the choice of algorithm, and whole exchanges checked
 * against responses computed outside the kernel (Python's hashlib), so
 * that a wrong hash input order or length cannot pass unnoticed
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/test.h>
#include <linux/module.h>

/* Their own copy of the code: iscsi_scst.ko exports none of it. */
#include "iscsi_text.c"
#include "iscsi_chap_text.c"
#include "iscsi_chap.c"

static int decode(const char *s, u8 *out, u32 max, u32 *len)
{
	return iscsi_chap_decode(s, strlen(s), out, max, len);
}

static void decode_hex_values(struct kunit *test)
{
	static const u8 b3[] = { 0x01, 0x02, 0xab };
	static const u8 b2[] = { 0x01, 0x23 };
	u8 out[8];
	u32 len;

	KUNIT_ASSERT_EQ(test, decode("0x0102aB", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 3U);
	KUNIT_EXPECT_EQ(test, memcmp(out, b3, 3), 0);
	KUNIT_ASSERT_EQ(test, decode("0X0102AB", out, 3, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, b3, 3), 0);
	/* An odd number of digits: a leading zero digit is implied. */
	KUNIT_ASSERT_EQ(test, decode("0x123", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 2U);
	KUNIT_EXPECT_EQ(test, memcmp(out, b2, 2), 0);
	KUNIT_ASSERT_EQ(test, decode("0xf", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 1U);
	KUNIT_EXPECT_EQ(test, out[0], 0x0f);
	/* Only @len bytes are read. */
	KUNIT_ASSERT_EQ(test, iscsi_chap_decode("0x01zz", 4, out, 8, &len), 0);
	KUNIT_ASSERT_EQ(test, len, 1U);
	KUNIT_EXPECT_EQ(test, out[0], 0x01);
}

static void decode_base64_values(struct kunit *test)
{
	static const u8 b3[] = { 0x01, 0x02, 0x03 };
	u8 out[16];
	u32 len;

	KUNIT_ASSERT_EQ(test, decode("0bAQID", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 3U);
	KUNIT_EXPECT_EQ(test, memcmp(out, b3, 3), 0);
	KUNIT_ASSERT_EQ(test, decode("0BAQI=", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 2U);
	KUNIT_EXPECT_EQ(test, memcmp(out, b3, 2), 0);
	KUNIT_ASSERT_EQ(test, decode("0bAQ==", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 1U);
	KUNIT_EXPECT_EQ(test, out[0], 0x01);
	/* The padding may be left out. */
	KUNIT_ASSERT_EQ(test, decode("0bAQI", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 2U);
	KUNIT_EXPECT_EQ(test, memcmp(out, b3, 2), 0);
	KUNIT_ASSERT_EQ(test, decode("0bAQ", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 1U);
	KUNIT_ASSERT_EQ(test, decode("0baGVsbG8gd29ybGQhIQ==", out, sizeof(out),
				     &len), 0);
	KUNIT_ASSERT_EQ(test, len, 13U);
	KUNIT_EXPECT_EQ(test, memcmp(out, "hello world!!", 13), 0);
	KUNIT_ASSERT_EQ(test, decode("0b+/+/", out, sizeof(out), &len), 0);
	KUNIT_ASSERT_EQ(test, len, 3U);
	KUNIT_EXPECT_EQ(test, out[0], 0xfb);
	KUNIT_EXPECT_EQ(test, out[1], 0xff);
	KUNIT_EXPECT_EQ(test, out[2], 0xbf);
}

static void decode_refuses_malformed_values(struct kunit *test)
{
	u8 out[4];
	u32 len;

	KUNIT_EXPECT_EQ(test, decode("", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0x", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0xZZ", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0x12 ", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("12", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0y12", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0b", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0b@@", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0bA", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0b====", out, sizeof(out), &len), -EINVAL);
	/* Wrong padding, padding inside, bits set beyond the data. */
	KUNIT_EXPECT_EQ(test, decode("0bAQ=", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0bAQI==", out, sizeof(out), &len), -EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0bAQ==AQ==", out, sizeof(out), &len),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, decode("0bAR==", out, sizeof(out), &len), -EINVAL);
	/* More bytes than room. */
	KUNIT_EXPECT_EQ(test, decode("0x0102030405", out, 4, &len), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, decode("0x102030405", out, 4, &len), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, decode("0x01020304", out, 4, &len), 0);
	KUNIT_EXPECT_EQ(test, decode("0bAQIDBAU=", out, 4, &len), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, decode("0bAQIDBA==", out, 4, &len), 0);
}

static int choose(const char *offer, u8 *alg)
{
	return iscsi_chap_choose_alg(offer, strlen(offer), alg);
}

static void choose_alg_takes_first_supported(struct kunit *test)
{
	u8 alg = 0;
	u32 v = 0;

	KUNIT_EXPECT_EQ(test, choose("5", &alg), 0);
	KUNIT_EXPECT_EQ(test, alg, ISCSI_CHAP_ALG_MD5);
	KUNIT_EXPECT_EQ(test, choose("7,5", &alg), 0);
	KUNIT_EXPECT_EQ(test, alg, ISCSI_CHAP_ALG_SHA256);
	KUNIT_EXPECT_EQ(test, choose("5,7", &alg), 0);
	KUNIT_EXPECT_EQ(test, alg, ISCSI_CHAP_ALG_MD5);
	/* 6 (SHA-1) and numbers we never heard of are passed over. */
	KUNIT_EXPECT_EQ(test, choose("6,5", &alg), 0);
	KUNIT_EXPECT_EQ(test, alg, ISCSI_CHAP_ALG_MD5);
	KUNIT_EXPECT_EQ(test, choose("99999999999,128,7", &alg), 0);
	KUNIT_EXPECT_EQ(test, alg, ISCSI_CHAP_ALG_SHA256);
	KUNIT_EXPECT_EQ(test, choose("6", &alg), -ENOENT);
	KUNIT_EXPECT_EQ(test, iscsi_chap_choose_alg("6,5", 1, &alg), -ENOENT);
	KUNIT_EXPECT_EQ(test, choose("5,,7", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose("x", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose("", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose("5,", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose("05", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose("0x5", &alg), -EINVAL);
	KUNIT_EXPECT_EQ(test, choose(" 5", &alg), -EINVAL);

	KUNIT_EXPECT_EQ(test, iscsi_chap_number("0", 1, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, iscsi_chap_number("255", 3, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 255U);
	KUNIT_EXPECT_EQ(test, iscsi_chap_number("-1", 2, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, iscsi_chap_number("4294967296", 10, &v), -ERANGE);
}

static void text_add_appends_whole_pairs(struct kunit *test)
{
	char buf[10];
	struct iscsi_text_out out = { .buf = buf, .size = sizeof(buf) };

	memset(buf, 'z', sizeof(buf));
	iscsi_text_add(&out, "A", "1");
	KUNIT_EXPECT_EQ(test, out.len, 4U);
	KUNIT_EXPECT_FALSE(test, out.overflow);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "A=1\0zz", 6), 0);
	/* 8 bytes in the 6 left: nothing is written. */
	iscsi_text_add(&out, "BB", "1234");
	KUNIT_EXPECT_TRUE(test, out.overflow);
	KUNIT_EXPECT_EQ(test, out.len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 4, "zzzzzz", 6), 0);
	out.overflow = false;
	iscsi_text_add(&out, "BB", "12");
	KUNIT_EXPECT_FALSE(test, out.overflow);
	KUNIT_EXPECT_EQ(test, out.len, 10U);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "A=1\0BB=12\0", 10), 0);
	iscsi_text_add(&out, "", "");
	KUNIT_EXPECT_TRUE(test, out.overflow);
	KUNIT_EXPECT_EQ(test, out.len, 10U);
}

/* One login's CHAP: the request's pairs, the response being built. */
struct chap_login {
	struct iscsi_chap chap;
	struct iscsi_chap_secret in;
	struct iscsi_chap_secret tgt;
	const struct iscsi_chap_secret *outgoing;
	struct iscsi_text_out out;
	u32 out_size;
	char buf[512];
	struct iscsi_kv kv[8];
	struct iscsi_kv reply[8];
	unsigned int nreply;
};

/* Initiator alice; a secret with a NUL inside; the target, for mutual. */
static const u8 alice_secret[] = "abc\0def-ghijkl";
static const u8 target_secret[] = "target-secret-99";
static const u8 md5_challenge[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static const u8 sha256_secret[] = "0123456789abcdef";
static const u8 sha256_challenge[32] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
};

/*
 * Responses computed on the host, e.g. for the first:
 * hashlib.md5(bytes([0x2a]) + b"abc\0def-ghijkl" + bytes(range(16)))
 */
#define MD5_R_ALICE	"0x8cdeeb24ac955d20533057a2e05d7f8a"
#define SHA256_R_B64	"0bHyFtxNqb0HobNb97Box4uGZZJQat2RDNYc8EAafKlqA="
/* md5(bytes([7]) + b"target-secret-99" + bytes.fromhex("f0e1...0f")) */
#define MD5_R_TARGET	"0x940c089a117a373b086fa9f68f155f12"
/* sha256(bytes([200]) + b"target-secret-99" + bytes(range(100, 120))) */
#define SHA256_R_TARGET	"0x802b0e2d635d0b0314635cae5c2bfb31" \
			"2d59a73bd10db4af4f907a996156088c"

#define TARGET_NAME	"iqn.2026-12.org.example:disk"

static struct chap_login *login_new(struct kunit *test, const u8 *secret,
				    u32 secret_len)
{
	struct chap_login *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, l);
	strscpy(l->in.user, "alice", sizeof(l->in.user));
	memcpy(l->in.secret, secret, secret_len);
	l->in.secret_len = secret_len;
	strscpy(l->tgt.user, TARGET_NAME, sizeof(l->tgt.user));
	memcpy(l->tgt.secret, target_secret, sizeof(target_secret) - 1);
	l->tgt.secret_len = sizeof(target_secret) - 1;
	l->outgoing = &l->tgt;
	l->out_size = sizeof(l->buf);
	return l;
}

/* Run one step on a request text (NUL-separated pairs). */
#define STEP(test, l, text) step(test, l, text, sizeof(text) - 1)

static int step(struct kunit *test, struct chap_login *l, const char *text,
		u32 len)
{
	unsigned int n;
	int ret;

	KUNIT_ASSERT_EQ(test, iscsi_text_split((const u8 *)text, len, l->kv,
					       ARRAY_SIZE(l->kv), &n), 0);
	l->out.buf = l->buf;
	l->out.size = l->out_size;
	l->out.len = 0;
	l->out.overflow = false;
	ret = iscsi_chap_step(&l->chap, l->kv, n, &l->in, l->outgoing, &l->out);
	KUNIT_ASSERT_EQ(test, iscsi_text_split((const u8 *)l->buf, l->out.len,
					       l->reply, ARRAY_SIZE(l->reply),
					       &l->nreply), 0);
	return ret;
}

/* The value the target answered for @key, or "" when it did not. */
static const char *reply(struct chap_login *l, const char *key)
{
	const struct iscsi_kv *kv = iscsi_chap_find(l->reply, l->nreply, key);

	return kv ? kv->value : "";
}

/* Step 1 with @offer, then our own id and challenge instead of random. */
static void challenged(struct kunit *test, struct chap_login *l,
		       const char *offer, u8 id, const u8 *challenge, u32 len)
{
	char text[64];
	u8 c[ISCSI_CHAP_DIGEST_MAX];
	u32 tlen, clen, v;

	tlen = snprintf(text, sizeof(text), "CHAP_A=%s", offer) + 1;
	KUNIT_ASSERT_EQ(test, step(test, l, text, tlen), 0);
	KUNIT_ASSERT_EQ(test, l->chap.state, (u8)ISCSI_CHAP_WAIT_R);
	KUNIT_ASSERT_EQ(test, l->nreply, 3U);
	KUNIT_ASSERT_EQ(test, iscsi_chap_number(reply(l, "CHAP_A"),
						strlen(reply(l, "CHAP_A")), &v), 0);
	KUNIT_EXPECT_EQ(test, v, (u32)l->chap.alg);
	KUNIT_ASSERT_EQ(test, iscsi_chap_number(reply(l, "CHAP_I"),
						strlen(reply(l, "CHAP_I")), &v), 0);
	KUNIT_EXPECT_EQ(test, v, (u32)l->chap.id);
	KUNIT_ASSERT_EQ(test, decode(reply(l, "CHAP_C"), c, sizeof(c), &clen), 0);
	KUNIT_ASSERT_EQ(test, clen, l->chap.challenge_len);
	KUNIT_EXPECT_EQ(test, memcmp(c, l->chap.challenge, clen), 0);
	KUNIT_ASSERT_EQ(test, l->chap.challenge_len,
			iscsi_chap_digest_len(l->chap.alg));
	KUNIT_ASSERT_EQ(test, l->chap.challenge_len, len);

	l->chap.id = id;
	memcpy(l->chap.challenge, challenge, l->chap.challenge_len);
}

static void md5_exchange_with_known_response(struct kunit *test)
{
	struct chap_login *l = login_new(test, alice_secret,
					 sizeof(alice_secret) - 1);

	KUNIT_ASSERT_EQ(test, sizeof(alice_secret) - 1, (size_t)14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_A"), "5");
	KUNIT_EXPECT_EQ(test, strlen(reply(l, "CHAP_C")), (size_t)2 + 32);
	/* Outgoing configured, but the initiator does not ask: no answer. */
	KUNIT_EXPECT_EQ(test, STEP(test, l, "InitiatorName=iqn.x\0CHAP_N=alice\0"
				   "CHAP_R=" MD5_R_ALICE "\0"), 1);
	KUNIT_EXPECT_EQ(test, l->out.len, 0U);
	KUNIT_EXPECT_EQ(test, l->chap.state, (u8)ISCSI_CHAP_DONE);
	/* A later request may carry other keys, not CHAP ones. */
	KUNIT_EXPECT_EQ(test, STEP(test, l, "HeaderDigest=None\0"), 1);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_A=5\0"), -EPROTO);
	KUNIT_EXPECT_EQ(test, STEP(test, l, ""), -EACCES);
}

static void sha256_exchange_with_known_response(struct kunit *test)
{
	struct chap_login *l = login_new(test, sha256_secret,
					 sizeof(sha256_secret) - 1);

	l->outgoing = NULL;
	challenged(test, l, "6,7,5", 0xff, sha256_challenge, 32);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_A"), "7");
	KUNIT_EXPECT_EQ(test, strlen(reply(l, "CHAP_C")), (size_t)2 + 64);
	/* The response in base64 this time. */
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_R=" SHA256_R_B64 "\0"
				   "CHAP_N=alice\0"), 1);
	KUNIT_EXPECT_EQ(test, l->out.len, 0U);
}

static void challenges_are_random(struct kunit *test)
{
	struct chap_login *a = login_new(test, alice_secret, 14);
	struct chap_login *b = login_new(test, alice_secret, 14);

	KUNIT_ASSERT_EQ(test, STEP(test, a, "CHAP_A=7\0"), 0);
	KUNIT_ASSERT_EQ(test, STEP(test, b, "CHAP_A=7\0"), 0);
	KUNIT_EXPECT_NE(test, memcmp(a->chap.challenge, b->chap.challenge, 32),
			0);
	KUNIT_EXPECT_STRNEQ(test, reply(a, "CHAP_C"), reply(b, "CHAP_C"));
}

static void wrong_secret_or_user_is_refused(struct kunit *test)
{
	static const u8 other[] = "abc\0def-ghijkX";
	struct chap_login *l;

	/* A secret that differs after its NUL only: all of it is hashed. */
	l = login_new(test, other, sizeof(other) - 1);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);
	KUNIT_EXPECT_EQ(test, l->chap.state, (u8)ISCSI_CHAP_FAILED);
	/* A failed exchange stays failed, even with the right answer. */
	memcpy(l->in.secret, alice_secret, 14);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);

	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alicE\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alic\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);
	/* The right response for another id or challenge. */
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2b, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, sha256_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0"), -EACCES);
	/* No incoming identity: nobody can log in. */
	l = login_new(test, alice_secret, 0);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_A=5\0"), -EACCES);
}

static void mutual_md5_answers_the_initiator(struct kunit *test)
{
	struct chap_login *l = login_new(test, alice_secret, 14);

	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=7\0"
				   "CHAP_C=0xf0e1d2c3b4a5968778695a4b3c2d1e0f\0"),
			1);
	KUNIT_EXPECT_EQ(test, l->nreply, 2U);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_N"), TARGET_NAME);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_R"), MD5_R_TARGET);
}

static void mutual_sha256_answers_the_initiator(struct kunit *test)
{
	struct chap_login *l = login_new(test, sha256_secret, 16);

	challenged(test, l, "7", 0xff, sha256_challenge, 32);
	/* A challenge of 20 bytes, in base64. */
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_C=0bZGVmZ2hpamtsbW5vcHFyc3R1dnc=\0"
				   "CHAP_I=200\0CHAP_N=alice\0"
				   "CHAP_R=" SHA256_R_B64 "\0"), 1);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_N"), TARGET_NAME);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_R"), SHA256_R_TARGET);
}

static void mutual_refusals(struct kunit *test)
{
	struct chap_login *l;

	/* Our own challenge sent back, in either encoding. */
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=42\0"
				   "CHAP_C=0x000102030405060708090a0b0c0d0e0f\0"),
			-EACCES);
	KUNIT_EXPECT_EQ(test, l->out.len, 0U);
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=1\0CHAP_C=0bAAECAwQFBgcICQoLDA0ODw==\0"),
			-EACCES);
	/* Mutual CHAP asked, but the target has no identity. */
	l = login_new(test, alice_secret, 14);
	l->tgt.user[0] = '\0';
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=7\0CHAP_C=0x01\0"), -EACCES);
	l = login_new(test, alice_secret, 14);
	l->outgoing = NULL;
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=7\0CHAP_C=0x01\0"), -EACCES);
	/* CHAP_I out of range or alone. */
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=256\0CHAP_C=0x01\0"), -EPROTO);
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=7\0"), -EPROTO);
}

static void malformed_requests_are_initiator_errors(struct kunit *test)
{
	struct chap_login *l;

	l = login_new(test, alice_secret, 14);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0"), -EPROTO);
	l = login_new(test, alice_secret, 14);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_A=5,,7\0"), -EPROTO);
	/* Nothing we support: CHAP_A=Reject, authentication failure. */
	l = login_new(test, alice_secret, 14);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_A=6\0"), -EACCES);
	KUNIT_EXPECT_STREQ(test, reply(l, "CHAP_A"), "Reject");

	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0"), -EPROTO);
	KUNIT_EXPECT_EQ(test, l->chap.state, (u8)ISCSI_CHAP_FAILED);
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=0x8cZZ\0"),
			-EPROTO);
	/* A response of the other algorithm's length. */
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R="
				   SHA256_R_TARGET "\0"), -EPROTO);
}

static void overflow_is_reported(struct kunit *test)
{
	struct chap_login *l;

	/* CHAP_A=5, CHAP_I=n and a 32-digit CHAP_C do not fit 40 bytes. */
	l = login_new(test, alice_secret, 14);
	l->out_size = 40;
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_A=5\0"), -ENOSPC);
	/* The mutual answer does not fit. */
	l = login_new(test, alice_secret, 14);
	challenged(test, l, "5", 0x2a, md5_challenge, 16);
	l->out_size = 40;
	KUNIT_EXPECT_EQ(test, STEP(test, l, "CHAP_N=alice\0CHAP_R=" MD5_R_ALICE
				   "\0CHAP_I=7\0"
				   "CHAP_C=0xf0e1d2c3b4a5968778695a4b3c2d1e0f\0"),
			-ENOSPC);
}

static struct kunit_case iscsi_chap_cases[] = {
	KUNIT_CASE(decode_hex_values),
	KUNIT_CASE(decode_base64_values),
	KUNIT_CASE(decode_refuses_malformed_values),
	KUNIT_CASE(choose_alg_takes_first_supported),
	KUNIT_CASE(text_add_appends_whole_pairs),
	KUNIT_CASE(md5_exchange_with_known_response),
	KUNIT_CASE(sha256_exchange_with_known_response),
	KUNIT_CASE(challenges_are_random),
	KUNIT_CASE(wrong_secret_or_user_is_refused),
	KUNIT_CASE(mutual_md5_answers_the_initiator),
	KUNIT_CASE(mutual_sha256_answers_the_initiator),
	KUNIT_CASE(mutual_refusals),
	KUNIT_CASE(malformed_requests_are_initiator_errors),
	KUNIT_CASE(overflow_is_reported),
	{}
};

static struct kunit_suite iscsi_chap_suite = {
	.name = "scst_iscsi_chap",
	.test_cases = iscsi_chap_cases,
};

kunit_test_suite(iscsi_chap_suite);

MODULE_DESCRIPTION("KUnit tests of the SCST iSCSI target's CHAP authentication");
MODULE_LICENSE("GPL");
