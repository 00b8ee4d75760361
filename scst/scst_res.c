// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_res.c - reservations: RESERVE/RELEASE (SPC-2) and PERSISTENT
 * RESERVE IN/OUT (SPC-4), executed by the core for every device
 *
 * Only the core knows which initiator sent a command, so only it can tell
 * the holder of a reservation from the others.  A RESERVE(6/10)
 * reservation belongs to one I_T_L nexus (a struct scst_tgt_dev) and ends
 * with RELEASE, a LUN or target reset, or the loss of that nexus.
 * Persistent reservations belong to initiator and target port names
 * (scst_pr.c) and survive resets and the loss of sessions.
 *
 * Every command to a reserved device is checked after parse(), when the
 * core knows what it does; a conflicting one ends in RESERVATION CONFLICT
 * without reaching the handler.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_core.h"

#define SCST_PR_OUT_PARAM_LEN	24
/* Longest parameter list taken: room for some hundreds of TransportIDs. */
#define SCST_PR_OUT_PARAM_MAX	65536
/* Byte 20 of the PERSISTENT RESERVE OUT parameter list. */
#define SCST_PR_SPEC_I_PT	0x08
#define SCST_PR_ALL_TG_PT	0x04
#define SCST_PR_APTPL		0x01
/* RESERVE(10) byte 1: third-party reservations are not supported. */
#define SCST_RES10_3RDPTY	0x10
#define SCST_RES10_LONGID	0x02
/* SPC-4 iSCSI TransportID: protocol 5h, and at least 24 bytes long. */
#define SCST_TID_ISCSI		0x05
#define SCST_TID_MIN_LEN	24

/**
 * scst_res_init() - no reservation, or the ones kept with APTPL
 * @dev: a device being registered, not visible to commands yet
 *
 * Context: process; sleeps (reads the saved state).
 */
void scst_res_init(struct scst_device *dev)
{
	spin_lock_init(&dev->res_lock);
	mutex_init(&dev->pr_mutex);
	scst_pr_init(&dev->pr);
	scst_pr_load(dev);
}

/* The device is going away: nothing uses its state any more. */
void scst_res_free(struct scst_device *dev)
{
	struct scst_pr_reg *reg, *tmp;

	list_for_each_entry_safe(reg, tmp, &dev->pr.regs, entry)
		kfree(reg);
	scst_pr_init(&dev->pr);
}

bool scst_res_core_cmd(u8 opcode)
{
	switch (opcode) {
	case RESERVE:
	case RELEASE:
	case RESERVE_10:
	case RELEASE_10:
	case PERSISTENT_RESERVE_IN:
	case PERSISTENT_RESERVE_OUT:
		return true;
	}
	return false;
}

/* The I_T nexus of @sess, by name. */
static void scst_res_nexus(struct scst_session *sess, struct scst_pr_nexus *nx)
{
	nx->initiator = sess->initiator_name;
	nx->target = sess->tgt->name;
}

/* SPC-2 5.5.1: what another nexus may still do under RESERVE. */
static bool scst_res_spc2_allowed(const struct scst_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
	case LOG_SENSE:
	case RELEASE:
	case RELEASE_10:
	case MAINTENANCE_IN:
		return true;
	case ALLOW_MEDIUM_REMOVAL:
		return !(cmd->cdb[4] & 0x3);
	}
	return false;
}

/* SPC-4 table 80, SBC-3 table 13: what a command is, to a reservation. */
static enum scst_res_access scst_res_access(const struct scst_cmd *cmd)
{
	const struct scst_opcode *op = cmd->parse.op;

	switch (cmd->cdb[0]) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
	case TEST_UNIT_READY:
	case READ_CAPACITY:
	case LOG_SENSE:
	case PERSISTENT_RESERVE_IN:
	case PERSISTENT_RESERVE_OUT:	/* checked by scst_pr_out() */
	case MAINTENANCE_IN:
		return SCST_RES_ANY_NEXUS;
	case SERVICE_ACTION_IN_16:
		return (cmd->cdb[1] & 0x1f) == SAI_READ_CAPACITY_16 ?
		       SCST_RES_ANY_NEXUS : SCST_RES_READS;
	case ALLOW_MEDIUM_REMOVAL:
		return cmd->cdb[4] & 0x3 ? SCST_RES_WRITES : SCST_RES_ANY_NEXUS;
	case MODE_SENSE:
	case MODE_SENSE_10:
	case READ_BUFFER:
	case RECEIVE_DIAGNOSTIC:
		return SCST_RES_READS;
	case SYNCHRONIZE_CACHE:
	case SYNCHRONIZE_CACHE_16:
		return SCST_RES_WRITES;
	}
	/* READ and VERIFY: they address blocks without changing them. */
	if (op && op->lba_size && !op->writes_medium)
		return SCST_RES_READS;
	return SCST_RES_WRITES;
}

/**
 * scst_res_check() - whether a reservation keeps a parsed command out
 * @cmd: the command, parsed
 *
 * Sets RESERVATION CONFLICT status on @cmd if so.
 *
 * Context: any; takes the device's res_lock only while a reservation
 * exists.
 * Return: true if the command ends here with that status.
 */
bool scst_res_check(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	struct scst_pr_nexus nx;
	enum scst_res_access access;
	unsigned long flags;
	bool conflict = false;

	if (likely(!READ_ONCE(dev->res_holder) && !READ_ONCE(dev->pr.reserved)))
		return false;
	access = scst_res_access(cmd);
	scst_res_nexus(cmd->sess, &nx);
	spin_lock_irqsave(&dev->res_lock, flags);
	if (dev->res_holder && dev->res_holder != cmd->tgt_dev)
		conflict = !scst_res_spc2_allowed(cmd);
	else if (access != SCST_RES_ANY_NEXUS)
		conflict = scst_pr_conflicts(&dev->pr, &nx, access);
	spin_unlock_irqrestore(&dev->res_lock, flags);
	if (conflict)
		cmd->status = SAM_STAT_RESERVATION_CONFLICT;
	return conflict;
}

/**
 * scst_res_nexus_gone() - an I_T_L nexus is lost: its RESERVE ends
 * @tgt_dev: the nexus
 *
 * Context: any; takes the device's res_lock.
 */
void scst_res_nexus_gone(struct scst_tgt_dev *tgt_dev)
{
	struct scst_device *dev = tgt_dev->dev;
	unsigned long flags;

	spin_lock_irqsave(&dev->res_lock, flags);
	if (dev->res_holder == tgt_dev)
		WRITE_ONCE(dev->res_holder, NULL);
	spin_unlock_irqrestore(&dev->res_lock, flags);
}

/**
 * scst_res_reset() - a LUN or target reset ends the RESERVE of a device
 * @dev: the device
 *
 * Persistent reservations are not affected (SPC-4 5.13.1).
 *
 * Context: any; takes @dev->res_lock.
 */
void scst_res_reset(struct scst_device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->res_lock, flags);
	WRITE_ONCE(dev->res_holder, NULL);
	spin_unlock_irqrestore(&dev->res_lock, flags);
}

/* --------------------------------------------------- RESERVE / RELEASE */

/*
 * SPC-3 5.6.3: while any persistent registration exists, RESERVE and
 * RELEASE conflict whoever sends them.
 */
static void scst_res_reserve(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	unsigned long flags;
	bool conflict;

	if (cmd->cdb[0] == RESERVE_10 &&
	    (cmd->cdb[1] & (SCST_RES10_3RDPTY | SCST_RES10_LONGID))) {
		scst_cmd_set_sense_field(cmd, 1, 4);
		return;
	}
	spin_lock_irqsave(&dev->res_lock, flags);
	conflict = dev->pr.nr_regs || dev->pr.reserved ||
		   (dev->res_holder && dev->res_holder != cmd->tgt_dev);
	if (!conflict)
		WRITE_ONCE(dev->res_holder, cmd->tgt_dev);
	spin_unlock_irqrestore(&dev->res_lock, flags);
	if (conflict)
		cmd->status = SAM_STAT_RESERVATION_CONFLICT;
}

/* A RELEASE from a nexus that holds nothing succeeds and does nothing. */
static void scst_res_release(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	unsigned long flags;
	bool conflict;

	spin_lock_irqsave(&dev->res_lock, flags);
	conflict = dev->pr.nr_regs || dev->pr.reserved;
	if (!conflict && dev->res_holder == cmd->tgt_dev)
		WRITE_ONCE(dev->res_holder, NULL);
	spin_unlock_irqrestore(&dev->res_lock, flags);
	if (conflict)
		cmd->status = SAM_STAT_RESERVATION_CONFLICT;
}

/* ---------------------------------------------- PERSISTENT RESERVE IN */

/**
 * struct scst_pr_buf - a PERSISTENT RESERVE IN response being built
 * @buf:	what fits in the allocation length
 * @size:	size of @buf
 * @len:	bytes of the whole response so far (may exceed @size)
 */
struct scst_pr_buf {
	u8 *buf;
	u32 size;
	u32 len;
};

/* Append @n bytes (NULL: zeros), keeping what fits. */
static void scst_pr_buf_put(struct scst_pr_buf *b, const void *data, u32 n)
{
	u32 fit = b->len < b->size ? min(n, b->size - b->len) : 0;

	if (fit && data)
		memcpy(b->buf + b->len, data, fit);
	b->len += n;
}

static void scst_pr_buf_put_be64(struct scst_pr_buf *b, u64 v)
{
	__be64 be = cpu_to_be64(v);

	scst_pr_buf_put(b, &be, sizeof(be));
}

static void scst_pr_buf_put_be32(struct scst_pr_buf *b, u32 v)
{
	__be32 be = cpu_to_be32(v);

	scst_pr_buf_put(b, &be, sizeof(be));
}

static void scst_pr_buf_put_byte(struct scst_pr_buf *b, u8 v)
{
	scst_pr_buf_put(b, &v, 1);
}

/* Length of the iSCSI TransportID of @name: NUL included, 4-byte padded. */
static u32 scst_pr_tid_len(const char *name)
{
	return max_t(u32, 4 + round_up(strlen(name) + 1, 4), SCST_TID_MIN_LEN);
}

static void scst_pr_buf_put_tid(struct scst_pr_buf *b, const char *name)
{
	u32 len = scst_pr_tid_len(name), n = strlen(name);

	scst_pr_buf_put_byte(b, SCST_TID_ISCSI);
	scst_pr_buf_put_byte(b, 0);
	scst_pr_buf_put_byte(b, (len - 4) >> 8);
	scst_pr_buf_put_byte(b, (len - 4) & 0xff);
	scst_pr_buf_put(b, name, n);
	scst_pr_buf_put(b, NULL, len - 4 - n);
}

/* READ KEYS, READ RESERVATION and READ FULL STATUS; @b->len is 8. */
static void scst_pr_in_fill(struct scst_pr *pr, u8 sa, struct scst_pr_buf *b)
{
	struct scst_pr_reg *reg;

	switch (sa) {
	case 0x00:	/* READ KEYS */
		list_for_each_entry(reg, &pr->regs, entry)
			scst_pr_buf_put_be64(b, reg->key);
		break;
	case 0x01:	/* READ RESERVATION */
		if (!pr->reserved)
			break;
		/* An "all registrants" reservation has key 0 (SPC-4 6.15.3). */
		scst_pr_buf_put_be64(b, pr->holder ? pr->holder->key : 0);
		scst_pr_buf_put(b, NULL, 5);
		scst_pr_buf_put_byte(b, SCST_PR_SCOPE_LU << 4 | pr->type);
		scst_pr_buf_put(b, NULL, 2);
		break;
	case 0x03:	/* READ FULL STATUS */
		list_for_each_entry(reg, &pr->regs, entry) {
			bool holder = scst_pr_is_holder(pr, reg);

			scst_pr_buf_put_be64(b, reg->key);
			scst_pr_buf_put(b, NULL, 4);
			scst_pr_buf_put_byte(b, (reg->all_tg_pt ? 0x2 : 0) |
					     (holder ? 0x1 : 0));
			scst_pr_buf_put_byte(b, holder ?
					     SCST_PR_SCOPE_LU << 4 | pr->type :
					     0);
			scst_pr_buf_put(b, NULL, 4);
			/* One port per target: relative port 1. */
			scst_pr_buf_put_byte(b, 0);
			scst_pr_buf_put_byte(b, reg->all_tg_pt ? 0 : 1);
			scst_pr_buf_put_be32(b,
					     scst_pr_tid_len(reg->initiator));
			scst_pr_buf_put_tid(b, reg->initiator);
		}
		break;
	}
}

/* REPORT CAPABILITIES (SPC-4 6.15.4): what scst_pr_out() accepts. */
static void scst_pr_report_caps(struct scst_device *dev, struct scst_pr_buf *b)
{
	u8 caps[8] = {
		0x00, 0x08,
		0x0c,		/* SIP_C, ATP_C; no CRH */
		0x80,		/* TMV; ALLOW COMMANDS 000b */
		0xea, 0x01,	/* every type */
	};

	if (scst_pr_can_persist())
		caps[2] |= 0x01;	/* PTPL_C */
	if (READ_ONCE(dev->pr_aptpl))
		caps[3] |= 0x01;	/* PTPL_A */
	scst_pr_buf_put(b, caps, sizeof(caps));
}

static void scst_pr_in(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	u8 sa = cmd->cdb[1] & 0x1f;
	struct scst_pr_buf b = { .size = cmd->parse.data_len };
	unsigned long flags;

	if (sa > 0x03) {
		scst_cmd_set_sense_field(cmd, 1, 4);
		return;
	}
	if (!b.size)
		return;
	b.buf = kzalloc(b.size, GFP_KERNEL);
	if (!b.buf) {
		cmd->status = SAM_STAT_BUSY;
		return;
	}
	if (sa == 0x02) {
		scst_pr_report_caps(dev, &b);
	} else {
		spin_lock_irqsave(&dev->res_lock, flags);
		scst_pr_buf_put_be32(&b, dev->pr.generation);
		scst_pr_buf_put_be32(&b, 0);
		scst_pr_in_fill(&dev->pr, sa, &b);
		spin_unlock_irqrestore(&dev->res_lock, flags);
		/* ADDITIONAL LENGTH: all of it, whatever fits. */
		if (b.size >= 8)
			put_unaligned_be32(b.len - 8, b.buf + 4);
	}
	scst_cmd_copy_to_buf(cmd, b.buf, min(b.len, b.size));
	kfree(b.buf);
}

/* --------------------------------------------- PERSISTENT RESERVE OUT */

/* Does @reg register the nexus of @sess? */
static bool scst_pr_reg_matches(const struct scst_pr_reg *reg,
				struct scst_session *sess)
{
	struct scst_pr_nexus nx;

	scst_res_nexus(sess, &nx);
	return scst_pr_reg_is(reg, &nx);
}

/* Queue 2Ah/@ascq on every nexus of the device that @reg registers. */
static void scst_pr_ua(void *data, struct scst_pr_reg *reg, u8 ascq)
{
	struct scst_device *dev = data;
	struct scst_tgt_dev *tgt_dev;

	/* Lock order: res_lock, then tgt_dev_lock. */
	spin_lock(&dev->tgt_dev_lock);
	list_for_each_entry(tgt_dev, &dev->tgt_dev_list, dev_entry)
		if (scst_pr_reg_matches(reg, tgt_dev->sess))
			scst_ua_queue(tgt_dev, 0x2a, ascq);
	spin_unlock(&dev->tgt_dev_lock);
}

/**
 * scst_pr_reg_alloc() - a registration of @nx, its key not set
 * @nx: the nexus
 *
 * Context: process (GFP_KERNEL).
 * Return: the registration (kfree() it), or NULL.
 */
struct scst_pr_reg *scst_pr_reg_alloc(const struct scst_pr_nexus *nx)
{
	size_t ilen = strlen(nx->initiator) + 1, tlen = strlen(nx->target) + 1;
	struct scst_pr_reg *reg;

	reg = kzalloc(struct_size(reg, initiator, ilen + tlen), GFP_KERNEL);
	if (!reg)
		return NULL;
	memcpy(reg->initiator, nx->initiator, ilen);
	reg->target = reg->initiator + ilen;
	memcpy(reg->target, nx->target, tlen);
	return reg;
}

static void scst_pr_set_status(struct scst_cmd *cmd, enum scst_pr_status st)
{
	switch (st) {
	case SCST_PR_GOOD:
		break;
	case SCST_PR_CONFLICT:
		cmd->status = SAM_STAT_RESERVATION_CONFLICT;
		break;
	case SCST_PR_INVALID_CDB:
		scst_cmd_set_sense_field(cmd, 2, 7);
		break;
	case SCST_PR_INVALID_PARAM:
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x26, 0x00);
		break;
	case SCST_PR_INVALID_RELEASE:
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x26, 0x04);
		break;
	case SCST_PR_NO_RESOURCES:
		/* INSUFFICIENT REGISTRATION RESOURCES */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
		break;
	}
}

/* Is @sess a nexus of one of the registrations on the list @data? */
static bool scst_pr_sess_preempted(struct scst_session *sess, void *data)
{
	struct list_head *regs = data;
	struct scst_pr_reg *reg;

	list_for_each_entry(reg, regs, entry)
		if (scst_pr_reg_matches(reg, sess))
			return true;
	return false;
}

/*
 * An iSCSI TransportID (SPC-4 7.6.4.6, formats 00b and 01b) at @p, at
 * most @len bytes: put the initiator name (without ",i,0x" and the ISID)
 * in @name.  Return: its length, or 0 if it is not one.
 */
static u32 scst_pr_parse_tid(const u8 *p, u32 len, char *name)
{
	u32 tlen, n;
	char *isid;

	if (len < 4 || (p[0] & 0x0f) != SCST_TID_ISCSI || (p[0] >> 6) > 1)
		return 0;
	tlen = 4 + get_unaligned_be16(p + 2);
	if (tlen > len || tlen % 4)
		return 0;
	n = strnlen(p + 4, tlen - 4);
	if (!n || n == tlen - 4 || n > SCST_ACN_NAME_MAX)
		return 0;
	memcpy(name, p + 4, n);
	name[n] = '\0';
	isid = strstr(name, ",i,0x");
	if ((p[0] >> 6) == 1) {
		if (!isid || isid == name)
			return 0;
		*isid = '\0';
	}
	return tlen;
}

/*
 * The TransportIDs of @len bytes at @p: a registration on @target for
 * each, onto @regs.  Return: false if one is malformed, or out of memory.
 */
static bool scst_pr_tids_to_regs(const u8 *p, u32 len, const char *target,
				 struct list_head *regs)
{
	char name[SCST_ACN_NAME_MAX + 1];
	struct scst_pr_nexus nx = { name, target };
	struct scst_pr_reg *reg;
	u32 tlen;

	while (len) {
		tlen = scst_pr_parse_tid(p, len, name);
		if (!tlen)
			return false;
		reg = scst_pr_reg_alloc(&nx);
		if (!reg)
			return false;
		list_add_tail(&reg->entry, regs);
		p += tlen;
		len -= tlen;
	}
	return true;
}

/* The parameter list is well formed: the sense to set if not, or 0. */
static u8 scst_pr_out_decode_param(struct scst_cmd *cmd, const u8 *param,
				   u32 len, struct scst_pr_out *req,
				   struct scst_pr_ctx *ctx)
{
	const char *target = cmd->sess->tgt->name;
	char name[SCST_ACN_NAME_MAX + 1];
	struct scst_pr_nexus dst = { name, target };
	u32 tid_len;

	req->key = get_unaligned_be64(param);
	req->sa_key = get_unaligned_be64(param + 8);
	if (req->sa == SCST_PR_OUT_REGISTER_AND_MOVE) {
		/* Its own layout (SPC-4 6.16.4): one TransportID. */
		req->unreg = param[17] & 0x02;
		req->aptpl = param[17] & SCST_PR_APTPL;
		tid_len = get_unaligned_be32(param + 20);
		if (tid_len != len - SCST_PR_OUT_PARAM_LEN)
			return 0x1a;
		/* One target port per target: relative port 1. */
		if (get_unaligned_be16(param + 18) != 1 || !tid_len ||
		    scst_pr_parse_tid(param + 24, tid_len, name) != tid_len)
			return 0x26;
		ctx->new_reg = scst_pr_reg_alloc(&dst);
		return 0;
	}
	req->all_tg_pt = param[20] & SCST_PR_ALL_TG_PT;
	req->aptpl = param[20] & SCST_PR_APTPL;
	req->spec_i_pt = param[20] & SCST_PR_SPEC_I_PT;
	if (!req->spec_i_pt)
		return len == SCST_PR_OUT_PARAM_LEN ? 0 : 0x1a;
	if (req->sa != SCST_PR_OUT_REGISTER)
		return 0x26;
	if (len < SCST_PR_OUT_PARAM_LEN + 4)
		return 0x1a;
	tid_len = get_unaligned_be32(param + SCST_PR_OUT_PARAM_LEN);
	if (tid_len != len - SCST_PR_OUT_PARAM_LEN - 4)
		return 0x1a;
	if (!scst_pr_tids_to_regs(param + SCST_PR_OUT_PARAM_LEN + 4, tid_len,
				  target, ctx->spec_regs))
		return 0x26;
	return 0;
}

/*
 * Decode the CDB and the parameter list; false with the sense set if they
 * are bad.  Prepares the registrations the service action may add.
 */
static bool scst_pr_out_decode(struct scst_cmd *cmd, struct scst_pr_out *req,
			       struct scst_pr_ctx *ctx)
{
	u32 len = cmd->parse.data_len;
	u8 *param, asc;

	memset(req, 0, sizeof(*req));
	req->sa = cmd->cdb[1] & 0x1f;
	req->scope = cmd->cdb[2] >> 4;
	req->type = cmd->cdb[2] & 0xf;
	if (req->sa > SCST_PR_OUT_REGISTER_AND_MOVE) {
		scst_cmd_set_sense_field(cmd, 1, 4);
		return false;
	}
	if (len < SCST_PR_OUT_PARAM_LEN || len > SCST_PR_OUT_PARAM_MAX) {
		/* PARAMETER LIST LENGTH ERROR */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
		return false;
	}
	param = kmalloc(len, GFP_KERNEL);
	if (!param) {
		cmd->status = SAM_STAT_BUSY;
		return false;
	}
	if (sg_copy_to_buffer(cmd->sg, cmd->sg_cnt, param, len) != len)
		asc = 0x1a;
	else
		asc = scst_pr_out_decode_param(cmd, param, len, req, ctx);
	kfree(param);
	/* APTPL needs somewhere to keep the state (REPORT CAPABILITIES). */
	if (!asc && req->aptpl && !scst_pr_can_persist())
		asc = 0x26;
	if (asc)
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, asc, 0x00);
	return !asc;
}

static void scst_pr_out_cmd(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	struct scst_pr_reg *reg, *tmp;
	struct scst_pr_nexus nx;
	struct scst_pr_out req;
	enum scst_pr_status st;
	unsigned long flags;
	bool used = false, register_sa;
	LIST_HEAD(freed);
	LIST_HEAD(spec_regs);
	struct scst_pr_ctx ctx = {
		.used_new_reg = &used,
		.spec_regs = &spec_regs,
		.freed = &freed,
		.ua = scst_pr_ua,
		.ua_data = dev,
	};

	scst_res_nexus(cmd->sess, &nx);
	if (!scst_pr_out_decode(cmd, &req, &ctx))
		goto out;
	register_sa = req.sa == SCST_PR_OUT_REGISTER ||
		      req.sa == SCST_PR_OUT_REGISTER_AND_IGNORE ||
		      req.sa == SCST_PR_OUT_REGISTER_AND_MOVE;
	if (req.sa == SCST_PR_OUT_REGISTER ||
	    req.sa == SCST_PR_OUT_REGISTER_AND_IGNORE)
		ctx.new_reg = scst_pr_reg_alloc(&nx);
	mutex_lock(&dev->pr_mutex);
	spin_lock_irqsave(&dev->res_lock, flags);
	if (dev->res_holder && dev->res_holder != cmd->tgt_dev)
		st = SCST_PR_CONFLICT;
	else
		st = scst_pr_out(&dev->pr, &nx, &req, &ctx);
	spin_unlock_irqrestore(&dev->res_lock, flags);
	if (st == SCST_PR_GOOD) {
		/* The last REGISTER's APTPL applies (SPC-4 5.13.5). */
		if (register_sa)
			WRITE_ONCE(dev->pr_aptpl, req.aptpl);
		/* Saved before the status goes out. */
		scst_pr_save(dev);
	}
	mutex_unlock(&dev->pr_mutex);
	/* PREEMPT AND ABORT: the preempted nexuses' commands end first. */
	if (st == SCST_PR_GOOD && req.sa == SCST_PR_OUT_PREEMPT_AND_ABORT &&
	    !list_empty(&freed))
		scst_dev_abort_nexuses(dev, scst_pr_sess_preempted, &freed);
	scst_pr_set_status(cmd, st);
out:
	if (!used)
		kfree(ctx.new_reg);
	list_splice_tail_init(&spec_regs, &freed);
	list_for_each_entry_safe(reg, tmp, &freed, entry)
		kfree(reg);
}

/**
 * scst_res_exec() - execute RESERVE, RELEASE or PERSISTENT RESERVE IN/OUT
 * @cmd: the command, parsed, its write data there
 *
 * Context: process (allocates with GFP_KERNEL); takes the device's
 * res_lock, and under it the device's tgt_dev_lock.
 */
void scst_res_exec(struct scst_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case RESERVE:
	case RESERVE_10:
		scst_res_reserve(cmd);
		break;
	case RELEASE:
	case RELEASE_10:
		scst_res_release(cmd);
		break;
	case PERSISTENT_RESERVE_IN:
		scst_pr_in(cmd);
		break;
	case PERSISTENT_RESERVE_OUT:
		scst_pr_out_cmd(cmd);
		break;
	}
}
