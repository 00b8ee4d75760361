// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_fuzz.c - libFuzzer harness for the iSCSI target's parsers
 *
 * An input is a PDU as an initiator would send it: a basic header segment
 * and a login text data segment.  The header goes through iscsi_pdu_parse(),
 * the rest through iscsi_text_split() and every pair it finds through the
 * key negotiation and CHAP's value decoders, with the same source files the
 * kernel module builds.  The whole input also goes to the CHAP decoders and
 * to iscsi_text_add().  Besides the sanitizers' checks, what the parsers
 * promise is checked here: accepted lengths are within the limits, pairs
 * lie inside the input, decoded values have the length their text implies.
 */
#include <stdio.h>
#include <stdlib.h>

#include "iscsi_chap.h"
#include "iscsi_pdu.h"
#include "iscsi_text.h"

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "broken promise: %s\n", #cond);	\
			abort();					\
		}							\
	} while (0)

static void fuzz_header(const u8 *data, size_t size)
{
	struct iscsi_pdu_hdr h;

	if (size < ISCSI_BHS_LEN)
		return;
	if (iscsi_pdu_parse(data, ISCSI_LOGIN_MAX_DATA, &h))
		return;
	CHECK(h.data_len <= ISCSI_LOGIN_MAX_DATA);
	CHECK(!h.ahs_len || h.opcode == ISCSI_OP_SCSI_CMD);
	if (h.opcode == ISCSI_OP_SCSI_CMD)
		CHECK(h.data_len <= h.edtl);
	if (h.opcode == ISCSI_OP_DATA_OUT)
		CHECK((u64)h.buffer_offset + h.data_len <= U32_MAX);
}

/*
 * A CHAP binary value, decoded into a buffer of exactly @max bytes (so
 * that the address sanitizer sees a write past it), and a CHAP_A list.
 */
static void fuzz_chap_value(const char *s, u32 len, u32 max)
{
	u8 *out = malloc(max ? max : 1);
	u32 n, digits;
	u8 alg;

	CHECK(out);
	if (!iscsi_chap_decode(s, len, out, max, &n)) {
		CHECK(len > 2 && s[0] == '0' && n >= 1 && n <= max);
		if (s[1] == 'x' || s[1] == 'X') {
			CHECK(n == (len - 1) / 2);
		} else {
			CHECK(s[1] == 'b' || s[1] == 'B');
			for (digits = len - 2; s[digits + 1] == '='; digits--)
				;
			CHECK(n == digits * 6 / 8);
		}
	}
	free(out);
	if (!iscsi_chap_choose_alg(s, len, &alg))
		CHECK(alg == ISCSI_CHAP_ALG_MD5 || alg == ISCSI_CHAP_ALG_SHA256);
}

/*
 * iscsi_text_add() of a key and a value cut from the input, into a buffer
 * whose size and fill come from the input: a pair is added whole or not
 * at all, and nothing is written past the buffer.
 */
static void fuzz_text_add(const u8 *data, size_t size)
{
	struct iscsi_text_out out = { 0 };
	size_t klen, vlen;
	char *copy;
	u32 before;

	if (size < 2)
		return;
	copy = malloc(size + 1);
	CHECK(copy);
	memcpy(copy, data + 2, size - 2);
	copy[size - 2] = '\0';
	copy[size - 1] = '\0';
	klen = strlen(copy);
	vlen = strlen(copy + klen + 1);
	out.size = data[0];
	out.len = data[1] <= out.size ? data[1] : out.size;
	out.buf = malloc(out.size ? out.size : 1);
	CHECK(out.buf);
	before = out.len;
	iscsi_text_add(&out, copy, copy + klen + 1);
	if (out.overflow) {
		CHECK(out.len == before && before + klen + vlen + 2 > out.size);
	} else {
		CHECK(out.len == before + klen + vlen + 2 && out.len <= out.size);
		CHECK(!memcmp(out.buf + before, copy, klen));
		CHECK(out.buf[before + klen] == '=');
		CHECK(!memcmp(out.buf + before + klen + 1, copy + klen + 1, vlen));
		CHECK(!out.buf[out.len - 1]);
	}
	free(out.buf);
	free(copy);
}

static void fuzz_text(const u8 *data, size_t size)
{
	struct iscsi_kv kv[32];
	const struct iscsi_key *k;
	unsigned int n, i;
	u32 r;

	if (iscsi_text_split(data, size, kv, 32, &n))
		return;
	for (i = 0; i < n; i++) {
		CHECK((const u8 *)kv[i].key >= data);
		CHECK((const u8 *)kv[i].value + kv[i].value_len < data + size);
		CHECK(!kv[i].value[kv[i].value_len]);
		CHECK(kv[i].key_len >= 1 && kv[i].key_len <= ISCSI_KEY_NAME_MAX);
		CHECK(kv[i].value_len <= ISCSI_VALUE_MAX);
		fuzz_chap_value(kv[i].value, kv[i].value_len,
				ISCSI_CHAP_CHALLENGE_MAX);
		k = iscsi_key_find(kv[i].key, kv[i].key_len);
		if (!k || iscsi_key_negotiate(k, kv[i].value, kv[i].value_len,
					      k->def, &r))
			continue;
		switch (k->kind) {
		case ISCSI_KEY_NUM_MIN:
		case ISCSI_KEY_NUM_MAX:
		case ISCSI_KEY_NUM_DECL:
			CHECK(r >= k->min && r <= k->max);
			break;
		case ISCSI_KEY_BOOL_AND:
		case ISCSI_KEY_BOOL_OR:
			CHECK(r <= 1);
			break;
		case ISCSI_KEY_DIGEST:
			CHECK(r == ISCSI_DIGEST_NONE);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	fuzz_header(data, size);
	if (size > ISCSI_BHS_LEN)
		fuzz_text(data + ISCSI_BHS_LEN, size - ISCSI_BHS_LEN);
	/* The whole input as text, too: no header needed to reach it. */
	fuzz_text(data, size);
	/* And as one CHAP value, with room for all of it and for a digest. */
	fuzz_chap_value((const char *)data, size, ISCSI_CHAP_CHALLENGE_MAX);
	fuzz_chap_value((const char *)data, size, ISCSI_CHAP_DIGEST_MAX);
	fuzz_text_add(data, size);
	return 0;
}
