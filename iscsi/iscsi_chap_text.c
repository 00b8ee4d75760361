// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_chap_text.c - the text side of CHAP (RFC 7143 12.1.3): building
 * response pairs, decoding binary values, choosing the algorithm
 *
 * Everything here reads an initiator's bytes, so nothing is trusted: a
 * value is read only within the length given, never up to a NUL.  No
 * allocation, no logging, no kernel-only API: the same file builds into
 * the fuzz harness (tests/fuzz/).
 */
#include "iscsi_chap.h"

/**
 * iscsi_text_add() - append "key=value" and its NUL to a response text
 * @out: the text being built
 * @key: the key, NUL-terminated
 * @value: the value, NUL-terminated
 *
 * A pair that does not fit is not appended, not even in part, and sets
 * @out->overflow.
 *
 * Context: any; takes no locks.
 */
void iscsi_text_add(struct iscsi_text_out *out, const char *key,
		    const char *value)
{
	size_t klen = strlen(key), vlen = strlen(value);
	char *p;

	if (out->len > out->size || klen + vlen + 2 < klen ||
	    klen + vlen + 2 > out->size - out->len) {
		out->overflow = true;
		return;
	}
	p = out->buf + out->len;
	memcpy(p, key, klen);
	p[klen] = '=';
	memcpy(p + klen + 1, value, vlen);
	p[klen + 1 + vlen] = '\0';
	out->len += klen + vlen + 2;
}

/* The digits of a hex-constant; an odd count has an implied leading 0. */
static int iscsi_chap_decode_hex(const char *s, u32 len, u8 *out, u32 max,
				 u32 *out_len)
{
	u32 bytes = len / 2 + len % 2, i, o = 0;
	int hi = 0, d;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (iscsi_hex_digit(s[i]) < 0)
			return -EINVAL;
	if (bytes > max)
		return -EMSGSIZE;
	for (i = 0; i < len; i++) {
		d = iscsi_hex_digit(s[i]);
		/* With an odd count, the first digit is a byte of its own. */
		if ((len - i) % 2) {
			out[o++] = (hi << 4) | d;
			hi = 0;
		} else {
			hi = d;
		}
	}
	*out_len = bytes;
	return 0;
}

static int iscsi_chap_b64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * A base64-constant (RFC 4648 4): digits, then the '=' that pad the last
 * group to 4 characters, which may also be left out.  The bits the last
 * digit carries beyond the data must be zero, so that each byte string
 * has one encoding only.
 */
static int iscsi_chap_decode_b64(const char *s, u32 len, u8 *out, u32 max,
				 u32 *out_len)
{
	u32 digits, pad, bytes, i, o = 0, acc = 0, nbits = 0;

	for (pad = 0; pad < len && s[len - 1 - pad] == '='; pad++)
		;
	digits = len - pad;
	if (!digits || digits % 4 == 1)
		return -EINVAL;
	if (pad && (pad > 2 || (digits + pad) % 4))
		return -EINVAL;
	for (i = 0; i < digits; i++)
		if (iscsi_chap_b64_digit(s[i]) < 0)
			return -EINVAL;
	bytes = digits / 4 * 3 + (digits % 4 ? digits % 4 - 1 : 0);
	if (bytes > max)
		return -EMSGSIZE;
	for (i = 0; i < digits; i++) {
		acc = (acc << 6 | iscsi_chap_b64_digit(s[i])) & 0xfff;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			out[o++] = acc >> nbits;
		}
	}
	if (acc & ((1U << nbits) - 1))
		return -EINVAL;
	*out_len = bytes;
	return 0;
}

/**
 * iscsi_chap_decode() - decode a CHAP binary value (CHAP_C, CHAP_R)
 * @s: the value: "0x" or "0X" and hex digits, or "0b" or "0B" and base64
 * @len: its length; @s is not read beyond it
 * @out: the bytes; undefined when the value is refused
 * @max: room in @out
 * @out_len: how many bytes @out got
 *
 * RFC 7143 6.1 binary-value.  An odd number of hex digits has an implied
 * leading zero digit.  Base64 padding with '=' may be present or not.
 *
 * Context: any; takes no locks.
 * Return: 0; -EINVAL for a malformed or empty value; -EMSGSIZE for more
 * than @max bytes.
 */
int iscsi_chap_decode(const char *s, u32 len, u8 *out, u32 max, u32 *out_len)
{
	*out_len = 0;
	if (len < 2 || s[0] != '0')
		return -EINVAL;
	if (s[1] == 'x' || s[1] == 'X')
		return iscsi_chap_decode_hex(s + 2, len - 2, out, max, out_len);
	if (s[1] == 'b' || s[1] == 'B')
		return iscsi_chap_decode_b64(s + 2, len - 2, out, max, out_len);
	return -EINVAL;
}

/**
 * iscsi_chap_number() - a CHAP number (an item of CHAP_A, CHAP_I)
 * @s: the text
 * @len: its length; @s is not read beyond it
 * @out: the number
 *
 * A decimal-constant: digits only, no sign, no leading zero (RFC 7143 6.1).
 *
 * Context: any; takes no locks.
 * Return: 0; -EINVAL if malformed; -ERANGE if over U32_MAX.
 */
int iscsi_chap_number(const char *s, u32 len, u32 *out)
{
	u64 v = 0;
	u32 i;

	if (!len || (len > 1 && s[0] == '0'))
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < len; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > U32_MAX)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

/**
 * iscsi_chap_choose_alg() - the algorithm to answer a CHAP_A offer with
 * @offer: the CHAP_A value: numbers separated by commas, the initiator's
 *	preferred first
 * @len: its length; @offer is not read beyond it
 * @alg: the first offered algorithm the target supports
 *	(ISCSI_CHAP_ALG_SHA256 or ISCSI_CHAP_ALG_MD5)
 *
 * Numbers the target does not know are passed over (RFC 7143 6.2).
 *
 * Context: any; takes no locks.
 * Return: 0; -EINVAL for a malformed list (an empty or non-numeric item,
 * an item over ISCSI_VALUE_ITEM_MAX bytes); -ENOENT when no offered
 * algorithm is supported (the target answers CHAP_A=Reject).
 */
int iscsi_chap_choose_alg(const char *offer, u32 len, u8 *alg)
{
	u32 pos = 0, end, v;
	bool found = false;
	int ret;

	/* The whole list is checked, even after a supported item. */
	while (pos <= len) {
		for (end = pos; end < len && offer[end] != ','; end++)
			;
		if (end - pos > ISCSI_VALUE_ITEM_MAX)
			return -EINVAL;
		ret = iscsi_chap_number(offer + pos, end - pos, &v);
		if (ret == -EINVAL)
			return ret;
		if (!ret && !found &&
		    (v == ISCSI_CHAP_ALG_SHA256 || v == ISCSI_CHAP_ALG_MD5)) {
			*alg = v;
			found = true;
		}
		pos = end + 1;
	}
	return found ? 0 : -ENOENT;
}
