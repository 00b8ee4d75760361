/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi_text.h - key=value text of Login and Text PDUs (RFC 7143 6, 13)
 */
#ifndef __ISCSI_TEXT_H
#define __ISCSI_TEXT_H

#include "iscsi_env.h"

/*
 * RFC 7143 6.1: key names of at most 63 bytes; values (CHAP's large
 * binary values aside) of at most 255 bytes per list item.
 */
#define ISCSI_KEY_NAME_MAX	63
#define ISCSI_VALUE_ITEM_MAX	255
#define ISCSI_VALUE_MAX		8192

/**
 * struct iscsi_kv - one key=value pair, pointing into the PDU's data
 * @key: the key name, @key_len bytes, not terminated
 * @value: the value, terminated by the pair's NUL byte
 * @value_len: strlen(@value)
 */
struct iscsi_kv {
	const char *key;
	u32 key_len;
	const char *value;
	u32 value_len;
};

/* How the two sides' values combine into the result (RFC 7143 6.2). */
enum iscsi_key_kind {
	ISCSI_KEY_NUM_MIN,	/* the smaller number */
	ISCSI_KEY_NUM_MAX,	/* the larger number */
	ISCSI_KEY_NUM_DECL,	/* declarative: each side says its own */
	ISCSI_KEY_BOOL_AND,	/* Yes only if both say Yes */
	ISCSI_KEY_BOOL_OR,	/* Yes if either says Yes */
	ISCSI_KEY_DIGEST,	/* list: the first offered that is acceptable */
	ISCSI_KEY_STRING,	/* declarative text (names, SessionType) */
};

/* Digest choices, as bits of an acceptable set. */
#define ISCSI_DIGEST_NONE	0x1
#define ISCSI_DIGEST_CRC32C	0x2

/**
 * struct iscsi_key - a key the target negotiates
 * @name: as on the wire
 * @kind: enum iscsi_key_kind
 * @min: smallest valid number (numeric kinds)
 * @max: largest valid number (numeric kinds)
 * @def: the value when the key is not negotiated (numbers, booleans as
 *	0/1, digests as one ISCSI_DIGEST_* bit)
 */
struct iscsi_key {
	const char *name;
	u8 kind;
	u32 min;
	u32 max;
	u32 def;
};

/* Index of each negotiated key in the table and in parameter arrays. */
enum iscsi_key_id {
	ISCSI_KEY_HEADER_DIGEST,
	ISCSI_KEY_DATA_DIGEST,
	ISCSI_KEY_MAX_CONNECTIONS,
	ISCSI_KEY_INITIAL_R2T,
	ISCSI_KEY_IMMEDIATE_DATA,
	ISCSI_KEY_MAX_RECV_DSL,
	ISCSI_KEY_MAX_BURST,
	ISCSI_KEY_FIRST_BURST,
	ISCSI_KEY_TIME2WAIT,
	ISCSI_KEY_TIME2RETAIN,
	ISCSI_KEY_MAX_OUTSTANDING_R2T,
	ISCSI_KEY_DATA_PDU_IN_ORDER,
	ISCSI_KEY_DATA_SEQ_IN_ORDER,
	ISCSI_KEY_ERL,
	ISCSI_KEY_TPGT,
	ISCSI_KEY_NEGOTIATED,	/* keys below are names, not values */
	ISCSI_KEY_INITIATOR_NAME = ISCSI_KEY_NEGOTIATED,
	ISCSI_KEY_INITIATOR_ALIAS,
	ISCSI_KEY_TARGET_NAME,
	ISCSI_KEY_TARGET_ALIAS,
	ISCSI_KEY_SESSION_TYPE,
	ISCSI_KEY_COUNT,
};

int iscsi_text_split(const u8 *buf, u32 len, struct iscsi_kv *kv,
		     unsigned int max, unsigned int *n);
int iscsi_hex_digit(char c);
int iscsi_text_number(const char *s, u32 len, u32 *out);
const struct iscsi_key *iscsi_key_find(const char *name, u32 len);
const struct iscsi_key *iscsi_key_get(enum iscsi_key_id id);
int iscsi_key_negotiate(const struct iscsi_key *key, const char *offer,
			u32 offer_len, u32 ours, u32 *result);

#endif /* __ISCSI_TEXT_H */
