// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_fuzz.c - libFuzzer harness for the iSCSI target's parsers
 *
 * An input is a PDU as an initiator would send it: a basic header segment
 * and a login text data segment.  The header goes through iscsi_pdu_parse(),
 * the rest through iscsi_text_split() and every pair it finds through the
 * key negotiation, with the same source files the kernel module builds.
 * Besides the sanitizers' checks, what the parsers promise is checked here:
 * accepted lengths are within the limits, pairs lie inside the input.
 */
#include <stdio.h>
#include <stdlib.h>

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
	return 0;
}
