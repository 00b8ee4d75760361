// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_text.c - split and negotiate the key=value text of Login and Text
 * PDUs (RFC 7143 6 and 13)
 *
 * The initiator controls every byte here, so nothing is trusted: a pair
 * must end in a NUL inside the buffer, a key name must be a valid one, a
 * value must fit the limits, a number must be well formed and in range.
 * The functions only read the buffer they are given and allocate nothing;
 * the same file builds into the fuzz harness (tests/fuzz/).
 */
#include "iscsi_text.h"

/*
 * Operational keys of RFC 7143 13, with their ranges and defaults, in the
 * order of enum iscsi_key_id.
 */
static const struct iscsi_key iscsi_keys[ISCSI_KEY_COUNT] = {
	{ "HeaderDigest", ISCSI_KEY_DIGEST, 0, 0, ISCSI_DIGEST_NONE },
	{ "DataDigest", ISCSI_KEY_DIGEST, 0, 0, ISCSI_DIGEST_NONE },
	{ "MaxConnections", ISCSI_KEY_NUM_MIN, 1, 65535, 1 },
	{ "InitialR2T", ISCSI_KEY_BOOL_OR, 0, 1, 1 },
	{ "ImmediateData", ISCSI_KEY_BOOL_AND, 0, 1, 1 },
	{ "MaxRecvDataSegmentLength", ISCSI_KEY_NUM_DECL, 512, 16777215, 8192 },
	{ "MaxBurstLength", ISCSI_KEY_NUM_MIN, 512, 16777215, 262144 },
	{ "FirstBurstLength", ISCSI_KEY_NUM_MIN, 512, 16777215, 65536 },
	{ "DefaultTime2Wait", ISCSI_KEY_NUM_MAX, 0, 3600, 2 },
	{ "DefaultTime2Retain", ISCSI_KEY_NUM_MIN, 0, 3600, 20 },
	{ "MaxOutstandingR2T", ISCSI_KEY_NUM_MIN, 1, 65535, 1 },
	{ "DataPDUInOrder", ISCSI_KEY_BOOL_OR, 0, 1, 1 },
	{ "DataSequenceInOrder", ISCSI_KEY_BOOL_OR, 0, 1, 1 },
	{ "ErrorRecoveryLevel", ISCSI_KEY_NUM_MIN, 0, 2, 0 },
	{ "TargetPortalGroupTag", ISCSI_KEY_NUM_DECL, 0, 65535, 1 },
	{ "InitiatorName", ISCSI_KEY_STRING, 0, 0, 0 },
	{ "InitiatorAlias", ISCSI_KEY_STRING, 0, 0, 0 },
	{ "TargetName", ISCSI_KEY_STRING, 0, 0, 0 },
	{ "TargetAlias", ISCSI_KEY_STRING, 0, 0, 0 },
	{ "SessionType", ISCSI_KEY_STRING, 0, 0, 0 },
};

/**
 * iscsi_key_get() - the negotiation rules of a key, by its index
 * @id: the key
 *
 * Context: any.
 */
const struct iscsi_key *iscsi_key_get(enum iscsi_key_id id)
{
	return &iscsi_keys[id];
}

static bool iscsi_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' ||
	       c == '@' || c == '_';
}

/*
 * A key name starts with a capital letter and has letters, digits and
 * . - + @ _ only; vendor keys registered with IANA start with "X#".
 */
static bool iscsi_key_name_valid(const u8 *s, u32 len)
{
	u32 i;

	if (!len || len > ISCSI_KEY_NAME_MAX || s[0] < 'A' || s[0] > 'Z')
		return false;
	for (i = 1; i < len; i++)
		if (!iscsi_key_char(s[i]) && !(i == 1 && s[0] == 'X' && s[1] == '#'))
			return false;
	return true;
}

static bool iscsi_kv_same_key(const struct iscsi_kv *kv, const u8 *key,
			      u32 len)
{
	return kv->key_len == len && !memcmp(kv->key, key, len);
}

/**
 * iscsi_text_split() - split a text data segment into key=value pairs
 * @buf: the data segment
 * @len: its length (DataSegmentLength, padding not included)
 * @kv: room for @max pairs; they point into @buf
 * @max: how many pairs the caller accepts
 * @n: how many were found
 *
 * Each pair ends with a NUL byte; NUL bytes may follow the last one.
 *
 * Context: any; takes no locks.
 * Return: 0; -EPROTO for a pair without NUL or '=', a key sent twice, or
 * bytes after padding; -EINVAL for an invalid key name; -EMSGSIZE for a
 * value over ISCSI_VALUE_MAX bytes; -E2BIG for more than @max pairs.
 */
int iscsi_text_split(const u8 *buf, u32 len, struct iscsi_kv *kv,
		     unsigned int max, unsigned int *n)
{
	unsigned int count = 0, i;
	u32 pos = 0, end, eq;

	*n = 0;
	while (pos < len) {
		if (!buf[pos]) {
			for (end = pos; end < len; end++)
				if (buf[end])
					return -EPROTO;
			break;
		}
		for (end = pos; end < len && buf[end]; end++)
			;
		if (end == len)
			return -EPROTO;
		for (eq = pos; eq < end && buf[eq] != '='; eq++)
			;
		if (eq == end)
			return -EPROTO;
		if (!iscsi_key_name_valid(buf + pos, eq - pos))
			return -EINVAL;
		if (end - eq - 1 > ISCSI_VALUE_MAX)
			return -EMSGSIZE;
		for (i = 0; i < count; i++)
			if (iscsi_kv_same_key(&kv[i], buf + pos, eq - pos))
				return -EPROTO;
		if (count == max)
			return -E2BIG;
		kv[count].key = (const char *)buf + pos;
		kv[count].key_len = eq - pos;
		kv[count].value = (const char *)buf + eq + 1;
		kv[count].value_len = end - eq - 1;
		count++;
		pos = end + 1;
	}
	*n = count;
	return 0;
}

/**
 * iscsi_hex_digit() - the value of a hexadecimal digit
 * @c: the character
 *
 * Context: any.
 * Return: 0..15, or -1 if @c is not a hex digit.
 */
int iscsi_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * iscsi_text_number() - a numerical value: decimal, or hex after "0x"
 * @s: the value
 * @len: its length
 * @out: the number
 *
 * Context: any.
 * Return: 0; -EINVAL if malformed (a decimal with a leading zero
 * included); -ERANGE if over U32_MAX.
 */
int iscsi_text_number(const char *s, u32 len, u32 *out)
{
	int base = 10;
	u64 v = 0;
	u32 i = 0;
	int d;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (!len || (len > 1 && s[0] == '0')) {
		return -EINVAL;
	}
	for (; i < len; i++) {
		d = iscsi_hex_digit(s[i]);
		if (d < 0 || d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > U32_MAX)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

/**
 * iscsi_key_find() - the negotiation rules of a key
 * @name: the key name
 * @len: its length
 *
 * Context: any.
 * Return: the key, or NULL for a key the target does not negotiate (it
 * answers NotUnderstood).
 */
const struct iscsi_key *iscsi_key_find(const char *name, u32 len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(iscsi_keys); i++)
		if (strlen(iscsi_keys[i].name) == len &&
		    !memcmp(iscsi_keys[i].name, name, len))
			return &iscsi_keys[i];
	return NULL;
}

static int iscsi_bool(const char *s, u32 len, u32 *out)
{
	if (len == 3 && !memcmp(s, "Yes", 3))
		*out = 1;
	else if (len == 2 && !memcmp(s, "No", 2))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

/* The first digest of the offered list that is in @ours. */
static int iscsi_digest_choose(const char *s, u32 len, u32 ours, u32 *out)
{
	u32 pos = 0, end, choice;

	while (pos <= len) {
		for (end = pos; end < len && s[end] != ','; end++)
			;
		if (end - pos > ISCSI_VALUE_ITEM_MAX || end == pos)
			return -EINVAL;
		choice = 0;
		if (end - pos == 4 && !memcmp(s + pos, "None", 4))
			choice = ISCSI_DIGEST_NONE;
		else if (end - pos == 6 && !memcmp(s + pos, "CRC32C", 6))
			choice = ISCSI_DIGEST_CRC32C;
		/* Values we do not know are passed over, not refused. */
		if (choice & ours) {
			*out = choice;
			return 0;
		}
		pos = end + 1;
	}
	return -ENOENT;
}

/**
 * iscsi_key_negotiate() - the result of a key the initiator offered
 * @key: the key (iscsi_key_find())
 * @offer: the initiator's value
 * @offer_len: its length
 * @ours: the target's value: a number, 0/1 for booleans, a set of
 *	ISCSI_DIGEST_* bits for digests; unused for declarative keys
 * @result: the negotiated value (for a declarative number: the offer)
 *
 * Context: any.
 * Return: 0; -EINVAL for a malformed value; -ERANGE for a number outside
 * the key's range; -ENOENT when no offered digest is acceptable.  The
 * target answers Reject in each case.
 */
int iscsi_key_negotiate(const struct iscsi_key *key, const char *offer,
			u32 offer_len, u32 ours, u32 *result)
{
	u32 v;
	int ret;

	switch (key->kind) {
	case ISCSI_KEY_NUM_MIN:
	case ISCSI_KEY_NUM_MAX:
	case ISCSI_KEY_NUM_DECL:
		ret = iscsi_text_number(offer, offer_len, &v);
		if (ret)
			return ret;
		if (v < key->min || v > key->max)
			return -ERANGE;
		if (key->kind == ISCSI_KEY_NUM_MIN)
			*result = v < ours ? v : ours;
		else if (key->kind == ISCSI_KEY_NUM_MAX)
			*result = v > ours ? v : ours;
		else
			*result = v;
		return 0;
	case ISCSI_KEY_BOOL_AND:
	case ISCSI_KEY_BOOL_OR:
		ret = iscsi_bool(offer, offer_len, &v);
		if (ret)
			return ret;
		*result = key->kind == ISCSI_KEY_BOOL_AND ? v && ours : v || ours;
		return 0;
	case ISCSI_KEY_DIGEST:
		return iscsi_digest_choose(offer, offer_len, ours, result);
	default:
		if (!offer_len || offer_len > ISCSI_VALUE_ITEM_MAX)
			return -EINVAL;
		*result = 0;
		return 0;
	}
}
