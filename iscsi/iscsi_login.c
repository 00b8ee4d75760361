// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_login.c - the login phase of a connection (RFC 7143 6.3, 11.12)
 *
 * Runs in the connection's receive work, one Login Request at a time:
 * security negotiation (AuthMethod, CHAP), then operational negotiation
 * of the keys in iscsi_text.c's table, then the session.  Any error ends
 * in a Login Response with a failure status, and the connection closes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "iscsi.h"

#define ISCSI_STAGE_SECURITY	0
#define ISCSI_STAGE_OPERATIONAL	1
#define ISCSI_STAGE_FFP		3

/* Status-Class << 8 | Status-Detail (RFC 7143 11.13.5). */
#define ISCSI_LOGIN_OK			0x0000
#define ISCSI_LOGIN_INITIATOR_ERROR	0x0200
#define ISCSI_LOGIN_AUTH_FAILED		0x0201
#define ISCSI_LOGIN_FORBIDDEN		0x0202
#define ISCSI_LOGIN_NOT_FOUND		0x0203
#define ISCSI_LOGIN_TARGET_REMOVED	0x0204
#define ISCSI_LOGIN_BAD_VERSION		0x0205
#define ISCSI_LOGIN_TOO_MANY_CONNS	0x0206
#define ISCSI_LOGIN_MISSING_PARAM	0x0207
#define ISCSI_LOGIN_BAD_SESSION_TYPE	0x0209
#define ISCSI_LOGIN_NO_SESSION		0x020a
#define ISCSI_LOGIN_TARGET_ERROR	0x0300
#define ISCSI_LOGIN_NO_RESOURCES	0x0302

#define ISCSI_LOGIN_MAX_KEYS	64

/**
 * struct iscsi_login - a login in progress
 * @conn: its connection
 * @first: no request's text handled yet
 * @hdr_seen: the first request's header fields are taken
 * @text_len: bytes of login text gathered in conn->buf (C bit)
 * @discovery: SessionType=Discovery
 * @stage: the current stage
 * @isid: the initiator's session ID, fixed by the first request
 * @tsih: TSIH of the first request
 * @cmd_sn: CmdSN of the login (it is immediate: the session starts there)
 * @auth_chap: AuthMethod=CHAP was agreed
 * @auth_done: the initiator is authenticated (or needs not be)
 * @declared: MaxRecvDataSegmentLength and TargetPortalGroupTag sent
 * @initiator: InitiatorName
 * @target: TargetName
 * @ours: the target's offer per key (a copy: the target may go meanwhile)
 * @params: the values agreed so far; RFC 7143 defaults until negotiated
 * @chap_in: the secret the initiator must prove
 * @chap_out: the target's secret for mutual CHAP
 * @chap: the CHAP exchange
 * @kv: the pairs of the current request
 * @out: the response text
 */
struct iscsi_login {
	struct iscsi_conn *conn;
	bool first;
	bool hdr_seen;
	u32 text_len;
	bool discovery;
	u8 stage;
	u8 isid[6];
	u16 tsih;
	u32 cmd_sn;
	bool auth_chap;
	bool auth_done;
	bool declared;
	char initiator[ISCSI_NAME_MAX + 1];
	char target[ISCSI_NAME_MAX + 1];
	u32 ours[ISCSI_KEY_NEGOTIATED];
	u32 params[ISCSI_KEY_NEGOTIATED];
	struct iscsi_chap_secret chap_in;
	struct iscsi_chap_secret chap_out;
	struct iscsi_chap chap;
	struct iscsi_kv kv[ISCSI_LOGIN_MAX_KEYS];
	struct iscsi_text_out out;
};

static bool iscsi_kv_is(const struct iscsi_kv *kv, const char *key)
{
	return kv->key_len == strlen(key) && !memcmp(kv->key, key, kv->key_len);
}

static const struct iscsi_kv *iscsi_kv_get(const struct iscsi_login *lg,
					   unsigned int n, const char *key)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (iscsi_kv_is(&lg->kv[i], key))
			return &lg->kv[i];
	return NULL;
}

/* Whether the comma-separated list @kv's value has @item. */
static bool iscsi_kv_list_has(const struct iscsi_kv *kv, const char *item)
{
	size_t ilen = strlen(item);
	const char *p = kv->value;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? comma - p : strlen(p);

		if (len == ilen && !memcmp(p, item, len))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

/* Copy a name value; false if empty or too long. */
static bool iscsi_name_copy(char *dst, const struct iscsi_kv *kv)
{
	if (!kv || !kv->value_len || kv->value_len > ISCSI_NAME_MAX)
		return false;
	memcpy(dst, kv->value, kv->value_len + 1);
	return true;
}

/* A key's negotiated value as text. */
static void iscsi_login_add_value(struct iscsi_login *lg, unsigned int id)
{
	const struct iscsi_key *key = iscsi_key_get(id);
	u32 v = lg->params[id];
	char num[16];

	switch (key->kind) {
	case ISCSI_KEY_DIGEST:
		iscsi_text_add(&lg->out, key->name,
			       v == ISCSI_DIGEST_CRC32C ? "CRC32C" : "None");
		break;
	case ISCSI_KEY_BOOL_AND:
	case ISCSI_KEY_BOOL_OR:
		iscsi_text_add(&lg->out, key->name, v ? "Yes" : "No");
		break;
	default:
		snprintf(num, sizeof(num), "%u", v);
		iscsi_text_add(&lg->out, key->name, num);
		break;
	}
}

/* The first request: who logs in to what. */
static int iscsi_login_first(struct iscsi_login *lg, unsigned int n)
{
	const struct iscsi_kv *type = iscsi_kv_get(lg, n, "SessionType");
	struct iscsi_conn *conn = lg->conn;
	struct iscsi_target *target;
	unsigned int i;
	int status = ISCSI_LOGIN_OK;

	if (!iscsi_name_copy(lg->initiator, iscsi_kv_get(lg, n, "InitiatorName"))) {
		pr_warn("%s: login without a valid InitiatorName\n",
			conn->portal_text);
		return ISCSI_LOGIN_MISSING_PARAM;
	}
	if (type && !strcmp(type->value, "Discovery")) {
		lg->discovery = true;
	} else if (type && strcmp(type->value, "Normal")) {
		pr_warn("%s: %s: unknown SessionType\n", conn->portal_text,
			lg->initiator);
		return ISCSI_LOGIN_BAD_SESSION_TYPE;
	}
	for (i = 0; i < ISCSI_KEY_NEGOTIATED; i++)
		lg->params[i] = iscsi_key_get(i)->def;

	mutex_lock(&iscsi_mutex);
	if (lg->discovery) {
		memcpy(lg->ours, lg->params, sizeof(lg->ours));
		lg->ours[ISCSI_KEY_HEADER_DIGEST] = ISCSI_DIGEST_NONE |
						    ISCSI_DIGEST_CRC32C;
		lg->ours[ISCSI_KEY_DATA_DIGEST] = ISCSI_DIGEST_NONE |
						  ISCSI_DIGEST_CRC32C;
		lg->chap_in = iscsi_discovery_chap;
		goto unlock;
	}
	if (!iscsi_name_copy(lg->target, iscsi_kv_get(lg, n, "TargetName"))) {
		pr_warn("%s: %s: normal login without a TargetName\n",
			conn->portal_text, lg->initiator);
		status = ISCSI_LOGIN_MISSING_PARAM;
		goto unlock;
	}
	target = iscsi_target_find(lg->target);
	if (!target) {
		pr_warn("%s: %s: no target %s\n", conn->portal_text,
			lg->initiator, lg->target);
		status = ISCSI_LOGIN_NOT_FOUND;
		goto unlock;
	}
	if (!iscsi_target_allows(target, lg->initiator)) {
		pr_warn("%s: %s may not log in to %s: its group there has no LUN\n",
			conn->portal_text, lg->initiator, lg->target);
		status = ISCSI_LOGIN_FORBIDDEN;
		goto unlock;
	}
	if (lg->tsih) {
		/* Adding a connection to a session: MaxConnections is 1. */
		struct iscsi_session *sess;

		status = ISCSI_LOGIN_NO_SESSION;
		list_for_each_entry(sess, &target->sessions, entry)
			if (sess->tsih == lg->tsih)
				status = ISCSI_LOGIN_TOO_MANY_CONNS;
		pr_warn("%s: %s: login with TSIH %u refused: one connection per session\n",
			conn->portal_text, lg->initiator, lg->tsih);
		goto unlock;
	}
	memcpy(lg->ours, target->params, sizeof(lg->ours));
	lg->chap_in = target->chap_in;
	lg->chap_out = target->chap_out;
unlock:
	mutex_unlock(&iscsi_mutex);
	return status;
}

/* AuthMethod: CHAP when the target has a secret, else None. */
static int iscsi_login_auth_method(struct iscsi_login *lg,
				   const struct iscsi_kv *kv)
{
	bool chap = lg->chap_in.user[0];

	if (lg->stage != ISCSI_STAGE_SECURITY) {
		iscsi_text_add(&lg->out, "AuthMethod", "Reject");
		return ISCSI_LOGIN_OK;
	}
	if (chap && iscsi_kv_list_has(kv, "CHAP")) {
		iscsi_text_add(&lg->out, "AuthMethod", "CHAP");
		lg->auth_chap = true;
		return ISCSI_LOGIN_OK;
	}
	if (!chap && iscsi_kv_list_has(kv, "None")) {
		iscsi_text_add(&lg->out, "AuthMethod", "None");
		lg->auth_done = true;
		return ISCSI_LOGIN_OK;
	}
	pr_warn("%s: %s: AuthMethod=%s is not acceptable (%s required)\n",
		lg->conn->portal_text, lg->initiator, kv->value,
		chap ? "CHAP" : "None");
	return ISCSI_LOGIN_AUTH_FAILED;
}

/* One operational key the initiator offered. */
static void iscsi_login_negotiate(struct iscsi_login *lg,
				  const struct iscsi_kv *kv,
				  const struct iscsi_key *key)
{
	unsigned int id = key - iscsi_key_get(0);
	u32 result;

	if (id >= ISCSI_KEY_NEGOTIATED)
		return;		/* names: handled by iscsi_login_first() */
	if (id == ISCSI_KEY_TPGT) {
		/* Only the target declares it. */
		iscsi_text_add(&lg->out, key->name, "Irrelevant");
		return;
	}
	if (iscsi_key_negotiate(key, kv->value, kv->value_len, lg->ours[id],
				&result)) {
		pr_info("%s: %s: %s=%s rejected\n", lg->conn->portal_text,
			lg->initiator, key->name, kv->value);
		iscsi_text_add(&lg->out, key->name, "Reject");
		return;
	}
	lg->params[id] = result;
	/* The initiator's own limit is a declaration: nothing to answer. */
	if (id != ISCSI_KEY_MAX_RECV_DSL)
		iscsi_login_add_value(lg, id);
}

static bool iscsi_kv_is_chap(const struct iscsi_kv *kv)
{
	return kv->key_len > 5 && !memcmp(kv->key, "CHAP_", 5);
}

/* The keys of one request; the response text goes to lg->out. */
static int iscsi_login_keys(struct iscsi_login *lg, unsigned int n)
{
	const struct iscsi_key *key;
	bool chap_keys = false;
	unsigned int i;
	int status, ret;

	for (i = 0; i < n; i++) {
		const struct iscsi_kv *kv = &lg->kv[i];

		if (iscsi_kv_is(kv, "AuthMethod")) {
			status = iscsi_login_auth_method(lg, kv);
			if (status)
				return status;
			continue;
		}
		if (iscsi_kv_is_chap(kv)) {
			chap_keys = true;
			continue;
		}
		key = iscsi_key_find(kv->key, kv->key_len);
		if (key) {
			iscsi_login_negotiate(lg, kv, key);
		} else {
			char name[ISCSI_KEY_NAME_MAX + 1];

			memcpy(name, kv->key, kv->key_len);
			name[kv->key_len] = 0;
			iscsi_text_add(&lg->out, name, "NotUnderstood");
		}
	}
	if (!chap_keys)
		return ISCSI_LOGIN_OK;
	if (lg->stage != ISCSI_STAGE_SECURITY || !lg->auth_chap ||
	    lg->auth_done) {
		pr_warn("%s: %s: CHAP keys out of place\n",
			lg->conn->portal_text, lg->initiator);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	ret = iscsi_chap_step(&lg->chap, lg->kv, n, &lg->chap_in,
			      &lg->chap_out, &lg->out);
	if (ret == 1) {
		lg->auth_done = true;
		return ISCSI_LOGIN_OK;
	}
	if (!ret)
		return ISCSI_LOGIN_OK;
	pr_warn("%s: %s: CHAP authentication failed (%d)\n",
		lg->conn->portal_text, lg->initiator, ret);
	return ret == -EACCES ? ISCSI_LOGIN_AUTH_FAILED :
	       ret == -EPROTO ? ISCSI_LOGIN_INITIATOR_ERROR :
	       ISCSI_LOGIN_TARGET_ERROR;
}

/*
 * What the target declares once, in its first response of the
 * operational stage (open-iscsi refuses operational keys in a response
 * of the security stage, even one that moves on).
 */
static void iscsi_login_declare(struct iscsi_login *lg)
{
	char num[16];

	if (lg->declared)
		return;
	lg->declared = true;
	snprintf(num, sizeof(num), "%u", lg->ours[ISCSI_KEY_MAX_RECV_DSL]);
	iscsi_text_add(&lg->out, "MaxRecvDataSegmentLength", num);
}

static int iscsi_login_fits(struct iscsi_login *lg)
{
	if (!lg->out.overflow)
		return ISCSI_LOGIN_OK;
	pr_warn("%s: login response does not fit\n", lg->conn->portal_text);
	return ISCSI_LOGIN_TARGET_ERROR;
}

/* The login is complete: settle the values and start the session. */
static int iscsi_login_finish(struct iscsi_login *lg)
{
	struct iscsi_conn *conn = lg->conn;
	u32 *p = lg->params;
	int ret;

	/* Every path here went through authentication; never trust that. */
	if (WARN_ON_ONCE(!lg->auth_done))
		return ISCSI_LOGIN_AUTH_FAILED;
	if (p[ISCSI_KEY_FIRST_BURST] > p[ISCSI_KEY_MAX_BURST])
		p[ISCSI_KEY_FIRST_BURST] = p[ISCSI_KEY_MAX_BURST];
	/* Without our declaration the initiator assumes the default. */
	conn->max_recv = lg->declared ? lg->ours[ISCSI_KEY_MAX_RECV_DSL] :
			 iscsi_key_get(ISCSI_KEY_MAX_RECV_DSL)->def;
	conn->max_xmit = p[ISCSI_KEY_MAX_RECV_DSL];
	ret = iscsi_session_start(conn, lg->discovery ? NULL : lg->target,
				  lg->initiator, lg->isid, lg->cmd_sn, p);
	if (!ret)
		return ISCSI_LOGIN_OK;
	if (ret == -ENOENT)
		return ISCSI_LOGIN_TARGET_REMOVED;
	return ret == -ENOMEM ? ISCSI_LOGIN_NO_RESOURCES :
	       ISCSI_LOGIN_TARGET_ERROR;
}

/*
 * The header fields every Login Request of the connection must repeat:
 * taken from the first one, checked in the others.  Returns a login
 * status.
 */
static int iscsi_login_header(struct iscsi_login *lg, const u8 *bhs)
{
	struct iscsi_conn *conn = lg->conn;

	if (!lg->hdr_seen) {
		/* Version-min above 0: RFC 7143's version is 0. */
		if (bhs[3] > 0)
			return ISCSI_LOGIN_BAD_VERSION;
		lg->hdr_seen = true;
		memcpy(lg->isid, bhs + 8, sizeof(lg->isid));
		lg->tsih = get_unaligned_be16(bhs + 14);
		lg->cmd_sn = get_unaligned_be32(bhs + 24);
		conn->cid = get_unaligned_be16(bhs + 20);
		conn->stat_sn = get_unaligned_be32(bhs + 28);
		lg->stage = (bhs[1] >> 2) & 3;
	} else if (memcmp(lg->isid, bhs + 8, sizeof(lg->isid)) ||
		   lg->tsih != get_unaligned_be16(bhs + 14)) {
		pr_warn("%s: ISID or TSIH changed during login\n",
			conn->portal_text);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	return ISCSI_LOGIN_OK;
}

/*
 * A Login Request with C=1: its text goes on in the next one (RFC 7143
 * 11.12.2).  The pieces are gathered in conn->buf, up to ISCSI_TEXT_MAX
 * in all; each gets an empty Login Response that does not transit.
 * Returns a login status; *@more: the text is not complete yet.
 */
static int iscsi_login_gather(struct iscsi_login *lg, const u8 *bhs,
			      u32 data_len, bool *more)
{
	struct iscsi_conn *conn = lg->conn;

	*more = bhs[1] & 0x40;
	if (*more && (bhs[1] & 0x80)) {
		pr_warn("%s: Login Request with both C and T set\n",
			conn->portal_text);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	if (*more && ((bhs[1] >> 2) & 3) != lg->stage) {
		pr_warn("%s: login stage changed within continued text\n",
			conn->portal_text);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	lg->text_len += data_len;
	return ISCSI_LOGIN_OK;
}

/*
 * Handle one Login Request whose text (maybe gathered from several) is
 * in conn->buf; *@rsp_flags gets byte 1 of the response.  Returns a login
 * status.
 */
static int iscsi_login_request(struct iscsi_login *lg, const u8 *bhs,
			       u8 *rsp_flags)
{
	struct iscsi_conn *conn = lg->conn;
	u8 csg = (bhs[1] >> 2) & 3, nsg = bhs[1] & 3;
	bool transit = bhs[1] & 0x80;
	unsigned int n;
	int status, ret;

	*rsp_flags = csg << 2;
	if (csg != lg->stage || csg > ISCSI_STAGE_OPERATIONAL ||
	    (transit && (nsg <= csg || nsg == 2))) {
		pr_warn("%s: login stage %u -> %u out of order\n",
			conn->portal_text, csg, nsg);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	ret = iscsi_text_split(conn->buf, lg->text_len, lg->kv,
			       ARRAY_SIZE(lg->kv), &n);
	if (ret) {
		pr_warn("%s: malformed login text (%d)\n", conn->portal_text,
			ret);
		return ISCSI_LOGIN_INITIATOR_ERROR;
	}
	if (lg->first) {
		lg->first = false;
		status = iscsi_login_first(lg, n);
		if (status)
			return status;
		/* RFC 7143 13.9: in the first response of a normal session. */
		if (!lg->discovery)
			iscsi_text_add(&lg->out, "TargetPortalGroupTag", "1");
		/* Starting in operational stage skips authentication. */
		if (csg == ISCSI_STAGE_OPERATIONAL) {
			if (lg->chap_in.user[0]) {
				pr_warn("%s: %s: CHAP is required\n",
					conn->portal_text, lg->initiator);
				return ISCSI_LOGIN_AUTH_FAILED;
			}
			lg->auth_done = true;
		}
	}
	status = iscsi_login_keys(lg, n);
	if (status)
		return status;
	if (csg == ISCSI_STAGE_OPERATIONAL)
		iscsi_login_declare(lg);
	if (!transit)
		return iscsi_login_fits(lg);
	/* Leaving the security stage needs a completed authentication. */
	if (csg == ISCSI_STAGE_SECURITY && !lg->auth_done) {
		if (lg->auth_chap)
			return iscsi_login_fits(lg);	/* the exchange goes on */
		if (lg->chap_in.user[0]) {
			pr_warn("%s: %s: CHAP is required\n", conn->portal_text,
				lg->initiator);
			return ISCSI_LOGIN_AUTH_FAILED;
		}
		lg->auth_done = true;
	}
	if (nsg == ISCSI_STAGE_FFP) {
		status = iscsi_login_finish(lg);
		if (status)
			return status;
	}
	status = iscsi_login_fits(lg);
	if (status)
		return status;
	*rsp_flags = 0x80 | csg << 2 | nsg;
	lg->stage = nsg;
	return ISCSI_LOGIN_OK;
}

static int iscsi_login_respond(struct iscsi_login *lg, const u8 *req,
			       u8 flags, int status)
{
	struct iscsi_conn *conn = lg->conn;
	struct iscsi_session *sess = conn->sess;
	u8 bhs[ISCSI_BHS_LEN] = { ISCSI_OP_LOGIN_RSP, flags };
	int ret;

	memcpy(bhs + 8, req + 8, 6);			/* ISID */
	if (sess && lg->stage == ISCSI_STAGE_FFP)
		put_unaligned_be16(sess->tsih, bhs + 14);
	memcpy(bhs + 16, req + 16, 4);			/* ITT */
	put_unaligned_be32(conn->stat_sn++, bhs + 24);
	put_unaligned_be32(lg->cmd_sn, bhs + 28);
	put_unaligned_be32(lg->cmd_sn + ISCSI_QUEUE_DEPTH - 1, bhs + 32);
	bhs[36] = status >> 8;
	bhs[37] = status & 0xff;
	mutex_lock(&conn->tx_mutex);
	ret = iscsi_send_pdu(conn, bhs, lg->out.buf, status ? 0 : lg->out.len);
	mutex_unlock(&conn->tx_mutex);
	return ret;
}

/**
 * iscsi_login() - run the login phase of a new connection
 * @conn: the connection
 *
 * On success the connection has its session (conn->sess) and is in full
 * feature phase, with the negotiated digests and data segment limits.
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno after which the connection is closed.
 */
int iscsi_login(struct iscsi_conn *conn)
{
	struct iscsi_pdu_hdr hdr;
	struct iscsi_login *lg;
	u8 bhs[ISCSI_BHS_LEN];
	bool more;
	u8 flags;
	int ret, status;

	lg = kzalloc(sizeof(*lg), GFP_KERNEL);
	if (!lg)
		return -ENOMEM;
	lg->conn = conn;
	lg->first = true;
	lg->out.size = ISCSI_TEXT_MAX;
	lg->out.buf = kmalloc(lg->out.size, GFP_KERNEL);
	if (!lg->out.buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		ret = iscsi_recv(conn, bhs, sizeof(bhs));
		if (ret)
			goto out;
		ret = iscsi_pdu_parse(bhs, ISCSI_LOGIN_MAX_DATA, &hdr);
		if (ret || hdr.opcode != ISCSI_OP_LOGIN_REQ) {
			pr_warn("%s: expected a Login Request, got opcode 0x%02x (%d)\n",
				conn->portal_text, bhs[0] & 0x3f, ret);
			if (!ret && lg->first)
				ret = -EPROTO;
			/* A Login Request too large still gets an answer. */
			if (hdr.opcode == ISCSI_OP_LOGIN_REQ)
				iscsi_login_respond(lg, bhs, 0,
						    ISCSI_LOGIN_INITIATOR_ERROR);
			ret = ret ? ret : -EPROTO;
			goto out;
		}
		if (lg->text_len + hdr.data_len > conn->buf_size) {
			pr_warn("%s: login text over %u bytes\n",
				conn->portal_text, conn->buf_size);
			iscsi_login_respond(lg, bhs, 0,
					    ISCSI_LOGIN_INITIATOR_ERROR);
			ret = -EMSGSIZE;
			goto out;
		}
		ret = iscsi_recv_data(conn, hdr.data_len,
				      conn->buf + lg->text_len);
		if (ret)
			goto out;
		lg->out.len = 0;
		lg->out.overflow = false;
		status = iscsi_login_header(lg, bhs);
		if (!status)
			status = iscsi_login_gather(lg, bhs, hdr.data_len,
						    &more);
		if (!status && more) {
			/* Empty, in the same stage: "send the rest". */
			ret = iscsi_login_respond(lg, bhs, lg->stage << 2, 0);
			if (ret)
				goto out;
			continue;
		}
		if (!status)
			status = iscsi_login_request(lg, bhs, &flags);
		else
			flags = 0;
		lg->text_len = 0;
		ret = iscsi_login_respond(lg, bhs, flags, status);
		if (status) {
			ret = -EACCES;
			goto out;
		}
		if (ret)
			goto out;
		if (lg->stage == ISCSI_STAGE_FFP)
			break;
	}
	conn->hdigest = lg->params[ISCSI_KEY_HEADER_DIGEST] == ISCSI_DIGEST_CRC32C;
	conn->ddigest = lg->params[ISCSI_KEY_DATA_DIGEST] == ISCSI_DIGEST_CRC32C;
	pr_info("%s: %s logged in%s%s (header digest %s, data digest %s)\n",
		conn->portal_text, lg->initiator, lg->discovery ? " for discovery" : " to ",
		lg->discovery ? "" : lg->target, conn->hdigest ? "CRC32C" : "None",
		conn->ddigest ? "CRC32C" : "None");
out:
	if (ret && conn->sess)
		iscsi_session_end(conn);
	memzero_explicit(&lg->chap_in, sizeof(lg->chap_in));
	memzero_explicit(&lg->chap_out, sizeof(lg->chap_out));
	kfree(lg->out.buf);
	kfree(lg);
	return ret;
}
