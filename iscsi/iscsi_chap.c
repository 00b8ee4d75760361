// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_chap.c - the target's side of a CHAP exchange (RFC 7143 12.1.3,
 * RFC 1994): challenge the initiator, check its response and, for mutual
 * CHAP, answer the initiator's challenge
 *
 * A response is Hash(identifier || secret || challenge), the identifier
 * being one octet, with MD5 or SHA-256 from the kernel's crypto API.  The
 * secrets are read only by the hash: never copied or logged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/md5.h>
#include <crypto/sha2.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "iscsi_chap.h"

/* A binary value as we send it: "0x", two hex digits a byte, a NUL. */
#define ISCSI_CHAP_HEX_MAX	(2 + 2 * ISCSI_CHAP_DIGEST_MAX + 1)

static const struct iscsi_kv *iscsi_chap_find(const struct iscsi_kv *kv,
					      unsigned int n, const char *key)
{
	size_t len = strlen(key);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (kv[i].key_len == len && !memcmp(kv[i].key, key, len))
			return &kv[i];
	return NULL;
}

static bool iscsi_chap_any_key(const struct iscsi_kv *kv, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (kv[i].key_len > 5 && !memcmp(kv[i].key, "CHAP_", 5))
			return true;
	return false;
}

static u32 iscsi_chap_digest_len(u8 alg)
{
	return alg == ISCSI_CHAP_ALG_SHA256 ? SHA256_DIGEST_SIZE :
	       MD5_DIGEST_SIZE;
}

/* @len bytes as "0x<hex>"; @buf has room for 2 * @len + 3 bytes. */
static void iscsi_chap_hex(char *buf, const u8 *bin, u32 len)
{
	buf[0] = '0';
	buf[1] = 'x';
	*bin2hex(buf + 2, bin, len) = '\0';
}

/* Hash(@id || @secret || @challenge) into @digest (RFC 1994 4.1). */
static int iscsi_chap_hash(struct crypto_shash *tfm, u8 id, const u8 *secret,
			   u32 secret_len, const u8 *challenge,
			   u32 challenge_len, u8 *digest)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	int ret;

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = crypto_shash_update(desc, &id, 1);
	if (!ret)
		ret = crypto_shash_update(desc, secret, secret_len);
	if (!ret)
		ret = crypto_shash_finup(desc, challenge, challenge_len, digest);
	/* The state holds what was hashed of the secret. */
	shash_desc_zero(desc);
	return ret;
}

/* WAIT_A: choose the algorithm, send CHAP_A, CHAP_I and CHAP_C. */
static int iscsi_chap_challenge(struct iscsi_chap *chap,
				const struct iscsi_kv *kv, unsigned int n,
				struct iscsi_text_out *out)
{
	const struct iscsi_kv *a = iscsi_chap_find(kv, n, "CHAP_A");
	char value[ISCSI_CHAP_HEX_MAX];
	int ret;

	if (!a) {
		pr_debug("CHAP: no CHAP_A\n");
		return -EPROTO;
	}
	ret = iscsi_chap_choose_alg(a->value, a->value_len, &chap->alg);
	if (ret == -ENOENT) {
		pr_debug("CHAP: no supported algorithm offered\n");
		iscsi_text_add(out, "CHAP_A", "Reject");
		return -EACCES;
	}
	if (ret) {
		pr_debug("CHAP: malformed CHAP_A\n");
		return -EPROTO;
	}
	/* As long as the digest: as hard to guess as the response. */
	chap->challenge_len = iscsi_chap_digest_len(chap->alg);
	get_random_bytes(&chap->id, sizeof(chap->id));
	get_random_bytes(chap->challenge, chap->challenge_len);

	snprintf(value, sizeof(value), "%u", chap->alg);
	iscsi_text_add(out, "CHAP_A", value);
	snprintf(value, sizeof(value), "%u", chap->id);
	iscsi_text_add(out, "CHAP_I", value);
	iscsi_chap_hex(value, chap->challenge, chap->challenge_len);
	iscsi_text_add(out, "CHAP_C", value);
	if (out->overflow)
		return -ENOSPC;
	chap->state = ISCSI_CHAP_WAIT_R;
	return 0;
}

/*
 * The initiator's challenge for mutual CHAP, checked: CHAP_I a decimal
 * octet, CHAP_C a binary value that is not the challenge we sent (an
 * attacker reflecting it would get our answer to it from us).
 */
static int iscsi_chap_peer_challenge(const struct iscsi_chap *chap,
				     const struct iscsi_kv *i,
				     const struct iscsi_kv *c, u8 *id,
				     u8 *challenge, u32 *challenge_len)
{
	u32 v;

	if (iscsi_chap_number(i->value, i->value_len, &v) || v > 255) {
		pr_debug("CHAP: malformed CHAP_I\n");
		return -EPROTO;
	}
	*id = v;
	if (iscsi_chap_decode(c->value, c->value_len, challenge,
			      ISCSI_CHAP_CHALLENGE_MAX, challenge_len)) {
		pr_debug("CHAP: malformed CHAP_C\n");
		return -EPROTO;
	}
	if (*challenge_len == chap->challenge_len &&
	    !memcmp(challenge, chap->challenge, *challenge_len)) {
		pr_debug("CHAP: the initiator reflected our challenge\n");
		return -EACCES;
	}
	return 0;
}

/*
 * WAIT_R: check CHAP_N and CHAP_R; if the initiator sent CHAP_I and
 * CHAP_C, answer them with CHAP_N and CHAP_R of our own.
 */
static int iscsi_chap_response(struct iscsi_chap *chap,
			       const struct iscsi_kv *kv, unsigned int n,
			       const struct iscsi_chap_secret *incoming,
			       const struct iscsi_chap_secret *outgoing,
			       struct iscsi_text_out *out)
{
	const struct iscsi_kv *name = iscsi_chap_find(kv, n, "CHAP_N");
	const struct iscsi_kv *resp = iscsi_chap_find(kv, n, "CHAP_R");
	const struct iscsi_kv *peer_i = iscsi_chap_find(kv, n, "CHAP_I");
	const struct iscsi_kv *peer_c = iscsi_chap_find(kv, n, "CHAP_C");
	u32 dlen = iscsi_chap_digest_len(chap->alg), rlen, clen = 0;
	u8 response[ISCSI_CHAP_DIGEST_MAX], digest[ISCSI_CHAP_DIGEST_MAX];
	char value[ISCSI_CHAP_HEX_MAX];
	struct crypto_shash *tfm;
	u8 *challenge = NULL;
	u8 peer_id = 0;
	int ret;

	if (!name || !resp || !peer_i != !peer_c) {
		pr_debug("CHAP: CHAP_N, CHAP_R missing or CHAP_I, CHAP_C unpaired\n");
		return -EPROTO;
	}
	if (iscsi_chap_decode(resp->value, resp->value_len, response,
			      sizeof(response), &rlen) || rlen != dlen) {
		pr_debug("CHAP: malformed CHAP_R\n");
		return -EPROTO;
	}
	if (peer_c) {
		if (!outgoing || !outgoing->user[0]) {
			pr_debug("CHAP: mutual CHAP asked, none configured\n");
			return -EACCES;
		}
		challenge = kmalloc(ISCSI_CHAP_CHALLENGE_MAX, GFP_KERNEL);
		if (!challenge)
			return -ENOMEM;
		ret = iscsi_chap_peer_challenge(chap, peer_i, peer_c, &peer_id,
						challenge, &clen);
		if (ret)
			goto out_free;
	}

	tfm = crypto_alloc_shash(chap->alg == ISCSI_CHAP_ALG_SHA256 ?
				 "sha256" : "md5", 0, 0);
	if (IS_ERR(tfm)) {
		ret = PTR_ERR(tfm);
		pr_debug("CHAP: no hash for algorithm %u: %d\n", chap->alg, ret);
		goto out_free;
	}
	ret = iscsi_chap_hash(tfm, chap->id, incoming->secret,
			      incoming->secret_len, chap->challenge,
			      chap->challenge_len, digest);
	if (ret)
		goto out_tfm;
	if (name->value_len != strlen(incoming->user) ||
	    memcmp(name->value, incoming->user, name->value_len) ||
	    crypto_memneq(digest, response, dlen)) {
		pr_debug("CHAP: wrong user or response\n");
		ret = -EACCES;
		goto out_tfm;
	}
	if (challenge) {
		ret = iscsi_chap_hash(tfm, peer_id, outgoing->secret,
				      outgoing->secret_len, challenge, clen,
				      digest);
		if (ret)
			goto out_tfm;
		iscsi_chap_hex(value, digest, dlen);
		iscsi_text_add(out, "CHAP_N", outgoing->user);
		iscsi_text_add(out, "CHAP_R", value);
		if (out->overflow) {
			ret = -ENOSPC;
			goto out_tfm;
		}
	}
	chap->state = ISCSI_CHAP_DONE;
	ret = 1;
out_tfm:
	crypto_free_shash(tfm);
out_free:
	memzero_explicit(digest, sizeof(digest));
	kfree(challenge);
	return ret;
}

/**
 * iscsi_chap_step() - the target's answer to one Login Request of CHAP
 * @chap: the exchange; zeroed (ISCSI_CHAP_WAIT_A) before the first step
 * @kv: every key=value pair of the request; keys other than CHAP_* are
 *	ignored, and so are CHAP_* keys not expected at this step
 * @n: how many
 * @incoming: the identity the initiator must prove (CHAP_N, secret)
 * @outgoing: the target's identity for mutual CHAP; NULL or an empty
 *	user when not configured
 * @out: the response text; the CHAP_* pairs of the answer are added
 *
 * Called for each Login Request of the security stage after the one in
 * which AuthMethod=CHAP was agreed.  The first expects CHAP_A and answers
 * CHAP_A, CHAP_I and CHAP_C; the second expects CHAP_N and CHAP_R (and
 * CHAP_I, CHAP_C for mutual CHAP, answered with CHAP_N and CHAP_R).  A
 * request after that may carry no CHAP_* key.  A failed step ends the
 * exchange: every later step fails with -EACCES.  An incoming identity
 * that is not configured or has an empty secret authenticates nobody.
 *
 * Context: process (allocates, may sleep); takes no locks.
 * Return: 0 when the exchange goes on; 1 when the initiator (and, for
 * mutual CHAP, the target) is authenticated; -EPROTO for a missing or
 * malformed key (initiator error); -EACCES for a wrong user or response,
 * no supported algorithm offered (CHAP_A=Reject is added), mutual CHAP
 * asked but not configured, or a reflected challenge (authentication
 * failure); -ENOSPC when @out overflows; -EINVAL for a secret longer
 * than ISCSI_CHAP_SECRET_MAX or an unknown state; -ENOMEM or the crypto
 * API's error when hashing fails (target error).
 */
int iscsi_chap_step(struct iscsi_chap *chap, const struct iscsi_kv *kv,
		    unsigned int n, const struct iscsi_chap_secret *incoming,
		    const struct iscsi_chap_secret *outgoing,
		    struct iscsi_text_out *out)
{
	int ret;

	if (incoming->secret_len > ISCSI_CHAP_SECRET_MAX ||
	    (outgoing && outgoing->secret_len > ISCSI_CHAP_SECRET_MAX))
		return -EINVAL;
	switch (chap->state) {
	case ISCSI_CHAP_WAIT_A:
		if (!incoming->user[0] || !incoming->secret_len) {
			pr_debug("CHAP: no incoming identity configured\n");
			ret = -EACCES;
			break;
		}
		ret = iscsi_chap_challenge(chap, kv, n, out);
		break;
	case ISCSI_CHAP_WAIT_R:
		ret = iscsi_chap_response(chap, kv, n, incoming, outgoing, out);
		break;
	case ISCSI_CHAP_DONE:
		ret = iscsi_chap_any_key(kv, n) ? -EPROTO : 1;
		break;
	case ISCSI_CHAP_FAILED:
		return -EACCES;
	default:
		return -EINVAL;
	}
	if (ret < 0) {
		chap->state = ISCSI_CHAP_FAILED;
		memzero_explicit(chap->challenge, sizeof(chap->challenge));
		chap->challenge_len = 0;
	}
	return ret;
}
