/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi_chap.h - CHAP authentication of a login (RFC 7143 12.1.3, RFC 1994)
 *
 * The security stage of a login goes:
 *   initiator: CHAP_A=<list of algorithms>
 *   target:    CHAP_A=<chosen> CHAP_I=<id> CHAP_C=<challenge>
 *   initiator: CHAP_N=<user> CHAP_R=<response> [CHAP_I=<id> CHAP_C=<challenge>]
 *   target:    [CHAP_N=<user> CHAP_R=<response>]   (mutual CHAP only)
 * iscsi_chap_step() runs the target's side one request at a time.
 */
#ifndef __ISCSI_CHAP_H
#define __ISCSI_CHAP_H

#include "iscsi_env.h"
#include "iscsi_text.h"

/* CHAP_A values (IANA "PPP Authentication Algorithms"). */
#define ISCSI_CHAP_ALG_MD5	5
#define ISCSI_CHAP_ALG_SHA256	7

#define ISCSI_CHAP_NAME_MAX	255
#define ISCSI_CHAP_SECRET_MAX	255
/* The largest challenge we send or accept, and the largest digest. */
#define ISCSI_CHAP_CHALLENGE_MAX 1024
#define ISCSI_CHAP_DIGEST_MAX	32

/**
 * struct iscsi_chap_secret - one configured CHAP identity
 * @user: CHAP_N, NUL-terminated; empty when not configured
 * @secret: the secret, @secret_len bytes (not terminated in general)
 */
struct iscsi_chap_secret {
	char user[ISCSI_CHAP_NAME_MAX + 1];
	u8 secret[ISCSI_CHAP_SECRET_MAX];
	u32 secret_len;
};

/**
 * struct iscsi_text_out - response text being built for a Login/Text PDU
 * @buf: the buffer
 * @size: its size
 * @len: bytes used; each pair ends with a NUL
 * @overflow: a pair did not fit (the caller fails the login)
 */
struct iscsi_text_out {
	char *buf;
	u32 size;
	u32 len;
	bool overflow;
};

void iscsi_text_add(struct iscsi_text_out *out, const char *key,
		    const char *value);

/* Where a login's CHAP exchange stands. */
enum iscsi_chap_state {
	ISCSI_CHAP_WAIT_A,	/* expecting CHAP_A */
	ISCSI_CHAP_WAIT_R,	/* challenge sent; expecting CHAP_N, CHAP_R */
	ISCSI_CHAP_DONE,	/* the initiator (and target, if mutual) proved */
	ISCSI_CHAP_FAILED,	/* refused: every later step fails too */
};

/**
 * struct iscsi_chap - the target's side of one CHAP exchange
 * @state: enum iscsi_chap_state
 * @alg: the chosen algorithm (ISCSI_CHAP_ALG_*)
 * @id: CHAP_I sent
 * @challenge: CHAP_C sent, @challenge_len bytes
 */
struct iscsi_chap {
	u8 state;
	u8 alg;
	u8 id;
	u32 challenge_len;
	u8 challenge[ISCSI_CHAP_CHALLENGE_MAX];
};

int iscsi_chap_decode(const char *s, u32 len, u8 *out, u32 max, u32 *out_len);
int iscsi_chap_choose_alg(const char *offer, u32 len, u8 *alg);
int iscsi_chap_number(const char *s, u32 len, u32 *out);

#ifdef __KERNEL__
int iscsi_chap_step(struct iscsi_chap *chap, const struct iscsi_kv *kv,
		    unsigned int n, const struct iscsi_chap_secret *incoming,
		    const struct iscsi_chap_secret *outgoing,
		    struct iscsi_text_out *out);
#endif

#endif /* __ISCSI_CHAP_H */
