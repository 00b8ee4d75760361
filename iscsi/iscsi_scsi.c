// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_scsi.c - the full feature phase: SCSI commands and their data,
 * task management, NOP, Text and Logout (RFC 7143 11)
 *
 * The receive work hands each SCSI Command to the core at once
 * (SCST_CONTEXT_DIRECT_ATOMIC: the core runs what does not block right
 * here and moves the rest to its threads).  For a write the core calls
 * rdy_to_xfer() before it lets go, so the receive work knows where the
 * data goes before it reads the immediate data: every byte of write data
 * is received straight into the command's buffer.  R2Ts ask for the rest,
 * up to MaxOutstandingR2T at a time, MaxBurstLength each.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "iscsi.h"

static struct kmem_cache *iscsi_cmd_cache;

static bool lend_data_in = true;
module_param(lend_data_in, bool, 0644);
MODULE_PARM_DESC(lend_data_in,
		 "Lend read data pages to TCP instead of copying them (default: Y)");

static void iscsi_cmd_release(struct kref *ref)
{
	kmem_cache_free(iscsi_cmd_cache, container_of(ref, struct iscsi_cmd,
						      ref));
}

static void iscsi_cmd_put(struct iscsi_cmd *icmd)
{
	kref_put(&icmd->ref, iscsi_cmd_release);
}

static void iscsi_hdr_init(u8 *bhs, u8 opcode, u8 flags)
{
	memset(bhs, 0, ISCSI_BHS_LEN);
	bhs[0] = opcode;
	bhs[1] = flags;
}

/* A failed send leaves the stream unusable: end the connection. */
static int iscsi_sent(struct iscsi_conn *conn, int ret)
{
	if (ret)
		iscsi_conn_close(conn);
	return ret;
}

/**
 * iscsi_send_reject() - answer a PDU with a Reject
 * @conn: the connection
 * @bhs: the rejected header, sent back as data
 * @reason: enum iscsi_reject_reason
 *
 * Context: process; conn->tx_mutex held.
 * Return: 0 or a negative errno.
 */
int iscsi_send_reject(struct iscsi_conn *conn, const u8 *bhs, u8 reason)
{
	u8 rsp[ISCSI_BHS_LEN];

	iscsi_hdr_init(rsp, ISCSI_OP_REJECT, 0x80);
	rsp[2] = reason;
	put_unaligned_be32(ISCSI_RESERVED_TAG, rsp + 16);
	put_unaligned_be32(conn->stat_sn++, rsp + 24);
	if (conn->sess)
		iscsi_sn_fill(conn->sess, rsp);
	return iscsi_send_pdu(conn, rsp, bhs, ISCSI_BHS_LEN);
}

static int iscsi_reject(struct iscsi_conn *conn, const u8 *bhs, u8 reason)
{
	int ret;

	mutex_lock(&conn->tx_mutex);
	ret = iscsi_send_reject(conn, bhs, reason);
	mutex_unlock(&conn->tx_mutex);
	return iscsi_sent(conn, ret);
}

/*
 * Send a response PDU that takes the next StatSN: @bhs has its opcode,
 * flags and tags; StatSN, ExpCmdSN and MaxCmdSN are filled in here.
 */
static int iscsi_send_rsp(struct iscsi_conn *conn, u8 *bhs, const void *data,
			  u32 len)
{
	int ret;

	mutex_lock(&conn->tx_mutex);
	put_unaligned_be32(conn->stat_sn++, bhs + 24);
	iscsi_sn_fill(conn->sess, bhs);
	ret = iscsi_send_pdu(conn, bhs, data, len);
	mutex_unlock(&conn->tx_mutex);
	return iscsi_sent(conn, ret);
}

/* ---------------------------------------------------------------- data out */

/* Look up a command waiting for data by ITT, with a reference. */
static struct iscsi_cmd *iscsi_cmd_find_data(struct iscsi_conn *conn, u32 itt)
{
	struct iscsi_cmd *icmd;

	spin_lock_bh(&conn->cmd_lock);
	list_for_each_entry(icmd, &conn->cmds, entry) {
		if (icmd->itt == itt && icmd->want_data) {
			kref_get(&icmd->ref);
			icmd->rx_busy = true;
			spin_unlock_bh(&conn->cmd_lock);
			return icmd;
		}
	}
	spin_unlock_bh(&conn->cmd_lock);
	return NULL;
}

/* The receive work no longer receives into @icmd's buffer. */
static void iscsi_cmd_rx_idle(struct iscsi_conn *conn, struct iscsi_cmd *icmd)
{
	spin_lock_bh(&conn->cmd_lock);
	icmd->rx_busy = false;
	spin_unlock_bh(&conn->cmd_lock);
}

/* Ask for more write data, up to MaxOutstandingR2T R2Ts at a time. */
static int iscsi_send_r2ts(struct iscsi_conn *conn, struct iscsi_cmd *icmd)
{
	struct iscsi_session *sess = conn->sess;
	u32 max_burst = sess->params[ISCSI_KEY_MAX_BURST];
	u32 max_r2t = sess->params[ISCSI_KEY_MAX_OUTSTANDING_R2T];
	u8 bhs[ISCSI_BHS_LEN];
	int ret = 0;
	u32 len;

	mutex_lock(&conn->tx_mutex);
	while (!ret && icmd->r2t_out < max_r2t &&
	       icmd->r2t_next < icmd->write_len) {
		len = min(max_burst, icmd->write_len - icmd->r2t_next);
		iscsi_hdr_init(bhs, ISCSI_OP_R2T, 0x80);
		memcpy(bhs + 8, icmd->lun, sizeof(icmd->lun));
		put_unaligned_be32(icmd->itt, bhs + 16);
		put_unaligned_be32(icmd->ttt, bhs + 20);
		/* StatSN is only reported: an R2T does not advance it. */
		put_unaligned_be32(conn->stat_sn, bhs + 24);
		iscsi_sn_fill(sess, bhs);
		put_unaligned_be32(icmd->r2t_sn++, bhs + 36);
		put_unaligned_be32(icmd->r2t_next, bhs + 40);
		put_unaligned_be32(len, bhs + 44);
		icmd->r2t_next += len;
		icmd->r2t_out++;
		ret = iscsi_send_pdu(conn, bhs, NULL, 0);
	}
	mutex_unlock(&conn->tx_mutex);
	return iscsi_sent(conn, ret);
}

/*
 * @len bytes of write data for @icmd at its next offset; those past the
 * command's buffer (the initiator expected more than the CDB asked for)
 * are dropped.
 */
static int iscsi_cmd_recv_data(struct iscsi_conn *conn, struct iscsi_cmd *icmd,
			       u32 len)
{
	u32 off = icmd->data_off;
	u32 in_buf = off < icmd->write_len ? min(len, icmd->write_len - off) : 0;
	int ret;

	ret = iscsi_recv_data_sg(conn, icmd->sg, icmd->sg_cnt, off, in_buf,
				 len);
	if (!ret)
		icmd->data_off += len;
	return ret;
}

/*
 * The receive work is done with @icmd's data for now: hand it to the
 * core if all of it is in or it was aborted, else ask for more.
 */
static int iscsi_cmd_data_step(struct iscsi_conn *conn, struct iscsi_cmd *icmd)
{
	enum scst_rx_status status;
	bool end;

	spin_lock_bh(&conn->cmd_lock);
	icmd->rx_busy = false;
	end = icmd->abort_data || icmd->data_off >= icmd->data_end;
	status = icmd->abort_data ? SCST_RX_STATUS_ABORTED :
		 SCST_RX_STATUS_SUCCESS;
	if (end)
		icmd->want_data = false;
	spin_unlock_bh(&conn->cmd_lock);
	if (end) {
		scst_rx_data(icmd->scmd, status, SCST_CONTEXT_DIRECT_ATOMIC);
		return 0;
	}
	return iscsi_send_r2ts(conn, icmd);
}

static int iscsi_data_out(struct iscsi_conn *conn, const u8 *bhs,
			  const struct iscsi_pdu_hdr *hdr)
{
	struct iscsi_cmd *icmd;
	int ret;

	icmd = iscsi_cmd_find_data(conn, hdr->itt);
	if (!icmd)	/* its command ended already: drop the data */
		return iscsi_recv_discard(conn, hdr->data_len);
	/*
	 * In order (DataPDUInOrder and DataSequenceInOrder are Yes): each
	 * PDU continues where the last one ended, and DataSN counts from 0
	 * in each sequence (the unsolicited one, then one per R2T).
	 */
	if (hdr->buffer_offset != icmd->data_off ||
	    hdr->data_len > icmd->data_end - icmd->data_off ||
	    get_unaligned_be32(bhs + 36) != icmd->data_sn) {
		/*
		 * ErrorRecoveryLevel 0 cannot ask again: the task ends in
		 * CHECK CONDITION, its later Data-Out PDUs are dropped.
		 */
		pr_warn_ratelimited("%s: Data-Out DataSN %u at %u+%u for task 0x%x, expected DataSN %u at %u..%u; the task fails\n",
				    conn->portal_text,
				    get_unaligned_be32(bhs + 36),
				    hdr->buffer_offset, hdr->data_len, hdr->itt,
				    icmd->data_sn, icmd->data_off,
				    icmd->data_end);
		ret = iscsi_recv_discard(conn, hdr->data_len);
		spin_lock_bh(&conn->cmd_lock);
		icmd->rx_busy = false;
		icmd->want_data = false;
		spin_unlock_bh(&conn->cmd_lock);
		scst_rx_data(icmd->scmd, SCST_RX_STATUS_ERROR,
			     SCST_CONTEXT_DIRECT_ATOMIC);
		iscsi_cmd_put(icmd);
		return ret;
	}
	ret = iscsi_cmd_recv_data(conn, icmd, hdr->data_len);
	if (ret)
		goto out;
	icmd->data_sn = hdr->final ? 0 : icmd->data_sn + 1;
	/* The last PDU of a solicited sequence frees an R2T slot. */
	if (hdr->final && get_unaligned_be32(bhs + 20) != ISCSI_RESERVED_TAG &&
	    icmd->r2t_out)
		icmd->r2t_out--;
	ret = iscsi_cmd_data_step(conn, icmd);
out:
	if (ret)
		iscsi_cmd_rx_idle(conn, icmd);
	iscsi_cmd_put(icmd);
	return ret;
}

/* ---------------------------------------------------------------- command */

static enum scst_task_attr iscsi_task_attr(u8 flags)
{
	switch (flags & ISCSI_CMD_ATTR_MASK) {
	case 2:
		return SCST_TASK_ORDERED;
	case 3:
		return SCST_TASK_HEAD_OF_QUEUE;
	case 4:
		return SCST_TASK_ACA;
	default:	/* untagged (0) is treated as simple */
		return SCST_TASK_SIMPLE;
	}
}

/* A response without the core: BUSY when no command could be allocated. */
static int iscsi_send_status(struct iscsi_conn *conn, u32 itt, u8 status)
{
	u8 bhs[ISCSI_BHS_LEN];

	iscsi_hdr_init(bhs, ISCSI_OP_SCSI_RSP, 0x80);
	bhs[3] = status;
	put_unaligned_be32(itt, bhs + 16);
	return iscsi_send_rsp(conn, bhs, NULL, 0);
}

/* The CDB: 16 bytes in the header, the rest in an Extended CDB AHS. */
static int iscsi_cmd_cdb(struct iscsi_conn *conn, const u8 *bhs,
			 const struct iscsi_pdu_hdr *hdr, u8 *cdb)
{
	const u8 *ahs = conn->ahs;
	u32 ext;

	memcpy(cdb, bhs + 32, 16);
	if (!hdr->ahs_len)
		return 16;
	/* AHSLength counts the CDB bytes plus the reserved byte. */
	ext = get_unaligned_be16(ahs);
	if (ahs[2] != 1 || ext < 1 || ext - 1 > SCST_MAX_CDB_SIZE - 16 ||
	    ext + 3 > hdr->ahs_len)
		return -EINVAL;
	memcpy(cdb + 16, ahs + 4, ext - 1);
	return 16 + ext - 1;
}

static int iscsi_scsi_cmd(struct iscsi_conn *conn, const u8 *bhs,
			  const struct iscsi_pdu_hdr *hdr)
{
	struct iscsi_session *sess = conn->sess;
	bool write = hdr->flags & ISCSI_CMD_WRITE;
	bool read = hdr->flags & ISCSI_CMD_READ;
	u8 cdb[SCST_MAX_CDB_SIZE];
	struct iscsi_cmd *icmd;
	struct scst_cmd *scmd;
	u32 unsol;
	int cdb_len, ret;
	bool busy;

	if (!sess->scst_sess) {
		pr_warn("%s: SCSI command on a discovery session; closing the connection\n",
			conn->portal_text);
		iscsi_reject(conn, bhs, ISCSI_REJECT_PROTOCOL_ERROR);
		return -EPROTO;
	}
	if (hdr->data_len && !sess->params[ISCSI_KEY_IMMEDIATE_DATA]) {
		pr_warn("%s: immediate data although ImmediateData=No; closing the connection\n",
			conn->portal_text);
		iscsi_reject(conn, bhs, ISCSI_REJECT_PROTOCOL_ERROR);
		return -EPROTO;
	}
	cdb_len = iscsi_cmd_cdb(conn, bhs, hdr, cdb);
	if (cdb_len < 0) {
		pr_warn("%s: bad additional header segment; closing the connection\n",
			conn->portal_text);
		iscsi_reject(conn, bhs, ISCSI_REJECT_INVALID_PDU_FIELD);
		return -EPROTO;
	}
	if (!iscsi_cmd_sn_check(sess, get_unaligned_be32(bhs + 24),
				hdr->immediate, true))
		return iscsi_recv_discard(conn, hdr->data_len);

	icmd = kmem_cache_zalloc(iscsi_cmd_cache, GFP_KERNEL);
	scmd = icmd ? scst_rx_cmd(sess->scst_sess, bhs + 8, 8, cdb, cdb_len,
				  false) : NULL;
	if (!scmd) {
		if (icmd)
			kmem_cache_free(iscsi_cmd_cache, icmd);
		iscsi_cmd_sn_done(sess);
		ret = iscsi_recv_discard(conn, hdr->data_len);
		return ret ? ret : iscsi_send_status(conn, hdr->itt,
						     SAM_STAT_BUSY);
	}
	/* One reference for the core's command, one for this function. */
	kref_init(&icmd->ref);
	kref_get(&icmd->ref);
	icmd->conn = conn;
	icmd->scmd = scmd;
	icmd->itt = hdr->itt;
	icmd->ttt = hdr->itt;
	icmd->edtl = hdr->edtl;
	icmd->read = read;
	icmd->write = write;
	memcpy(icmd->lun, bhs + 8, sizeof(icmd->lun));
	init_completion(&icmd->ready);
	scst_cmd_set_tag(scmd, hdr->itt);
	scst_cmd_set_task_attr(scmd, iscsi_task_attr(hdr->flags));
	scst_cmd_set_expected(scmd, write ? SCST_DATA_WRITE : read ?
			      SCST_DATA_READ : SCST_DATA_NONE, hdr->edtl);
	scst_cmd_set_tgt_priv(scmd, icmd);
	spin_lock_bh(&conn->cmd_lock);
	list_add_tail(&icmd->entry, &conn->cmds);
	spin_unlock_bh(&conn->cmd_lock);

	scst_cmd_init_done(scmd, SCST_CONTEXT_DIRECT_ATOMIC);
	if (!write) {
		iscsi_cmd_put(icmd);
		return 0;
	}
	/* The core says where the data goes, or that it wants none. */
	wait_for_completion(&icmd->ready);
	spin_lock_bh(&conn->cmd_lock);
	busy = icmd->want_data;
	icmd->rx_busy = busy;
	spin_unlock_bh(&conn->cmd_lock);
	if (!busy) {
		iscsi_cmd_put(icmd);
		return iscsi_recv_discard(conn, hdr->data_len);
	}
	/*
	 * Unsolicited data: the immediate data, plus Data-Out PDUs up to
	 * FirstBurstLength unless InitialR2T=Yes or the F bit says none
	 * follow.  Everything beyond it and within the CDB's length is
	 * asked for with R2Ts.
	 */
	unsol = hdr->data_len;
	if (!sess->params[ISCSI_KEY_INITIAL_R2T] && !hdr->final)
		unsol = min(hdr->edtl, sess->params[ISCSI_KEY_FIRST_BURST]);
	icmd->data_end = max(unsol, icmd->write_len);
	icmd->r2t_next = unsol;
	ret = iscsi_cmd_recv_data(conn, icmd, hdr->data_len);
	if (!ret)
		ret = iscsi_cmd_data_step(conn, icmd);
	else
		iscsi_cmd_rx_idle(conn, icmd);
	iscsi_cmd_put(icmd);
	return ret;
}

/**
 * iscsi_rdy_to_xfer() - the core asks for a command's write data
 * @scmd: the command
 *
 * Only notes where the data goes: the receive work, which waits for this,
 * receives it.
 *
 * Context: any (rdy_to_xfer_atomic).
 */
enum scst_tgt_res iscsi_rdy_to_xfer(struct scst_cmd *scmd)
{
	struct iscsi_cmd *icmd = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *conn = icmd->conn;

	icmd->sg = scst_cmd_get_sg(scmd, &icmd->sg_cnt);
	icmd->write_len = scst_cmd_get_write_len(scmd);
	spin_lock_bh(&conn->cmd_lock);
	icmd->want_data = true;
	/* An abort just before: see data_wait_aborted in scst.h. */
	if (scst_cmd_aborted(scmd))
		icmd->abort_data = true;
	spin_unlock_bh(&conn->cmd_lock);
	complete(&icmd->ready);
	return SCST_TGT_RES_SUCCESS;
}

/* Commands whose data an abort cut short: hand them back to the core. */
void iscsi_abort_work_fn(struct work_struct *work)
{
	struct iscsi_conn *conn = container_of(work, struct iscsi_conn,
					       abort_work);
	struct iscsi_cmd *icmd, *found;

	do {
		found = NULL;
		spin_lock_bh(&conn->cmd_lock);
		list_for_each_entry(icmd, &conn->cmds, entry) {
			if (icmd->want_data && icmd->abort_data &&
			    !icmd->rx_busy) {
				icmd->want_data = false;
				found = icmd;
				break;
			}
		}
		spin_unlock_bh(&conn->cmd_lock);
		if (found)
			scst_rx_data(found->scmd, SCST_RX_STATUS_ABORTED,
				     SCST_CONTEXT_THREAD);
	} while (found);
}

/**
 * iscsi_data_wait_aborted() - a TMF aborted a command waiting for data
 * @scmd: the command
 *
 * The initiator sends no more data for it: the abort work ends its data
 * phase, or the receive work does if it is receiving some right now.
 *
 * Context: atomic; the core's session command lock held.
 */
void iscsi_data_wait_aborted(struct scst_cmd *scmd)
{
	struct iscsi_cmd *icmd = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *conn = icmd->conn;

	spin_lock(&conn->cmd_lock);
	icmd->abort_data = true;
	spin_unlock(&conn->cmd_lock);
	iscsi_conn_queue_work(conn, &conn->abort_work);
}

/**
 * iscsi_conn_abort_cmds() - end the data phase of every command
 * @conn: a closed connection
 *
 * Context: the connection's receive work, at its end.
 */
void iscsi_conn_abort_cmds(struct iscsi_conn *conn)
{
	struct iscsi_cmd *icmd;

	/* The caller is the receive work: nothing is being received. */
	spin_lock_bh(&conn->cmd_lock);
	list_for_each_entry(icmd, &conn->cmds, entry) {
		icmd->abort_data = true;
		icmd->rx_busy = false;
	}
	spin_unlock_bh(&conn->cmd_lock);
	iscsi_abort_work_fn(&conn->abort_work);
	flush_work(&conn->abort_work);
}

/* ---------------------------------------------------------------- response */

/* Residual flags (byte 1) and count (bytes 44-47) of a response. */
static void iscsi_residual(struct scst_cmd *scmd, u8 *bhs)
{
	s64 resid = scst_cmd_get_resid(scmd);

	if (resid > 0) {
		bhs[1] |= 0x02;		/* underflow */
		put_unaligned_be32(min_t(s64, resid, U32_MAX), bhs + 44);
	} else if (resid < 0) {
		bhs[1] |= 0x04;		/* overflow */
		put_unaligned_be32(min_t(s64, -resid, U32_MAX), bhs + 44);
	}
}

/*
 * TCP gave back every page of a command's read data that it was lent (or
 * the command's own reference went): the buffer may be reused now.
 * Context: any, softirq included, maybe under the socket's lock.
 */
static void iscsi_lend_complete(struct sk_buff *skb, struct ubuf_info *uarg,
				bool zerocopy_success)
{
	struct iscsi_cmd *icmd = container_of(uarg, struct iscsi_cmd, lend);
	struct iscsi_conn *conn = icmd->conn;

	if (!refcount_dec_and_test(&uarg->refcnt))
		return;
	/* The session's end waits for the command after this. */
	if (atomic_dec_and_test(&conn->lent_cmds))
		wake_up(&conn->lent_wait);
	scst_tgt_cmd_done(icmd->scmd, SCST_CONTEXT_DIRECT_ATOMIC);
}

SCST_UBUF_OPS(iscsi_lend_ops, iscsi_lend_complete);

/*
 * The command's reference on its lent pages; TCP takes one for each
 * socket buffer that points to them.  tx_mutex held.
 */
static struct ubuf_info *iscsi_lend_start(struct iscsi_conn *conn,
					  struct iscsi_cmd *icmd)
{
	struct ubuf_info *uarg = &icmd->lend;

	scst_ubuf_set_ops(uarg, iscsi_lend_ops);
	refcount_set(&uarg->refcnt, 1);
	uarg->flags = SKBFL_ZEROCOPY_FRAG;
	atomic_inc(&conn->lent_cmds);
	icmd->lending = true;
	return uarg;
}

/* Data-In PDUs, and the status (in the last one, or in a SCSI Response). */
static int iscsi_send_response(struct iscsi_conn *conn, struct iscsi_cmd *icmd)
{
	struct scst_cmd *scmd = icmd->scmd;
	struct iscsi_session *sess = conn->sess;
	unsigned int sense_len, sg_cnt;
	const u8 *sense = scst_cmd_get_sense(scmd, &sense_len);
	struct scatterlist *sg = scst_cmd_get_sg(scmd, &sg_cnt);
	u32 len = icmd->read ? scst_cmd_get_resp_len(scmd) : 0;
	u8 status = scst_cmd_get_status(scmd);
	u8 bhs[ISCSI_BHS_LEN];
	u8 *sense_seg = NULL;
	struct ubuf_info *lend = NULL;
	u32 off = 0, n, data_sn = 0;
	int ret = 0;

	if (len > icmd->edtl)
		len = icmd->edtl;
	mutex_lock(&conn->tx_mutex);
	if (len && READ_ONCE(lend_data_in) && !READ_ONCE(conn->closing))
		lend = iscsi_lend_start(conn, icmd);
	while (off < len) {
		bool last;

		n = min(len - off, conn->max_xmit);
		last = off + n == len;
		iscsi_hdr_init(bhs, ISCSI_OP_DATA_IN, last ? 0x80 : 0);
		put_unaligned_be32(icmd->itt, bhs + 16);
		put_unaligned_be32(ISCSI_RESERVED_TAG, bhs + 20);
		iscsi_sn_fill(sess, bhs);
		put_unaligned_be32(data_sn++, bhs + 36);
		put_unaligned_be32(off, bhs + 40);
		/* Phase collapse: the status rides on the last Data-In. */
		if (last && !sense_len) {
			bhs[1] |= 0x01;
			bhs[3] = status;
			put_unaligned_be32(conn->stat_sn++, bhs + 24);
			iscsi_residual(scmd, bhs);
		}
		ret = iscsi_send_pdu_sg(conn, bhs, sg, sg_cnt, off, n, lend);
		if (ret)
			goto out;
		off += n;
		if (last && !sense_len)
			goto out;
	}
	iscsi_hdr_init(bhs, ISCSI_OP_SCSI_RSP, 0x80);
	bhs[3] = status;
	put_unaligned_be32(icmd->itt, bhs + 16);
	put_unaligned_be32(conn->stat_sn++, bhs + 24);
	iscsi_sn_fill(sess, bhs);
	put_unaligned_be32(icmd->read ? data_sn : icmd->r2t_sn, bhs + 36);
	iscsi_residual(scmd, bhs);
	if (sense_len) {
		/* SenseLength, then the sense data (RFC 7143 11.4.7). */
		sense_seg = conn->sense_buf;
		sense_len = min_t(unsigned int, sense_len,
				  sizeof(conn->sense_buf) - 2);
		put_unaligned_be16(sense_len, sense_seg);
		memcpy(sense_seg + 2, sense, sense_len);
		sense_len += 2;
	}
	ret = iscsi_send_pdu(conn, bhs, sense_seg, sense_len);
out:
	mutex_unlock(&conn->tx_mutex);
	return iscsi_sent(conn, ret);
}

/**
 * iscsi_xmit_response() - send a command's data, status and sense
 * @scmd: the command
 *
 * Context: any (xmit_response_atomic); sends only where it may sleep: in
 * the receive work, or when the core runs it in a thread.
 */
enum scst_tgt_res iscsi_xmit_response(struct scst_cmd *scmd)
{
	struct iscsi_cmd *icmd = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *conn = icmd->conn;
	bool atomic = scst_cmd_atomic(scmd);

	if (atomic && current != conn->rx_thread)
		return SCST_TGT_RES_NEED_THREAD;
	if (icmd->write) {
		spin_lock_bh(&conn->cmd_lock);
		icmd->want_data = false;
		spin_unlock_bh(&conn->cmd_lock);
		complete(&icmd->ready);
	}
	if (!icmd->counted_done) {
		icmd->counted_done = true;
		iscsi_cmd_sn_done(conn->sess);
	}
	/* An aborted task has no response (SAM-5 5.6). */
	spin_lock_bh(&conn->cmd_lock);
	icmd->responded = true;
	spin_unlock_bh(&conn->cmd_lock);
	if (!scst_cmd_aborted(scmd) && !READ_ONCE(conn->closing))
		iscsi_send_response(conn, icmd);
	/* Lent pages: done when TCP lets go of them, maybe right here. */
	if (icmd->lending)
		net_zcopy_put(&icmd->lend);
	else
		scst_tgt_cmd_done(scmd, atomic ? SCST_CONTEXT_DIRECT_ATOMIC :
				  SCST_CONTEXT_DIRECT);
	return SCST_TGT_RES_SUCCESS;
}

/**
 * iscsi_on_free_cmd() - the core frees a command
 * @scmd: the command
 *
 * Context: any.
 */
void iscsi_on_free_cmd(struct scst_cmd *scmd)
{
	struct iscsi_cmd *icmd = scst_cmd_get_tgt_priv(scmd);
	struct iscsi_conn *conn;

	if (!icmd)
		return;
	conn = icmd->conn;
	spin_lock_bh(&conn->cmd_lock);
	list_del(&icmd->entry);
	icmd->want_data = false;
	spin_unlock_bh(&conn->cmd_lock);
	iscsi_cmd_put(icmd);
}

/* ---------------------------------------------------------------- events */

/**
 * iscsi_report_luns_changed() - the LUN set of a session's group changed
 * @scst_sess: the core's session
 *
 * The initiator learns it at once from an Async Message (a SCSI event
 * carrying REPORTED LUNS DATA HAS CHANGED, RFC 7143 11.9), on which
 * open-iscsi rescans, instead of from its next command's unit attention.
 * The unit attention stays queued for the initiators that ignore the
 * message.
 *
 * Context: process; the core's scst_config_mutex held.
 */
void iscsi_report_luns_changed(struct scst_session *scst_sess)
{
	struct iscsi_session *sess = scst_sess_get_tgt_priv(scst_sess);
	struct iscsi_conn *conn = sess->conn;
	/* SenseLength, then fixed-format UNIT ATTENTION 3F/0E. */
	u8 data[2 + 18] = { 0, 18, 0x70, 0, UNIT_ATTENTION, [9] = 10,
			    [14] = 0x3f, [15] = 0x0e };
	u8 bhs[ISCSI_BHS_LEN];

	if (READ_ONCE(conn->closing))
		return;
	iscsi_hdr_init(bhs, ISCSI_OP_ASYNC_MSG, 0x80);
	put_unaligned_be32(ISCSI_RESERVED_TAG, bhs + 16);
	bhs[36] = 0;		/* AsyncEvent: SCSI asynchronous event */
	iscsi_send_rsp(conn, bhs, data, sizeof(data));
}

/* ---------------------------------------------------------------- TMF */

/* RFC 7143 11.6.1 responses. */
#define ISCSI_TMF_COMPLETE		0
#define ISCSI_TMF_NO_TASK		1
#define ISCSI_TMF_NO_LUN		2
#define ISCSI_TMF_NO_REASSIGN		4
#define ISCSI_TMF_NOT_SUPPORTED		5
#define ISCSI_TMF_REJECTED		255

struct iscsi_tmf {
	struct iscsi_conn *conn;
	u32 itt;
	bool cold;
};

static int iscsi_send_tmf_rsp(struct iscsi_conn *conn, u32 itt, u8 response)
{
	u8 bhs[ISCSI_BHS_LEN];

	iscsi_hdr_init(bhs, ISCSI_OP_TMF_RSP, 0x80);
	bhs[2] = response;
	put_unaligned_be32(itt, bhs + 16);
	return iscsi_send_rsp(conn, bhs, NULL, 0);
}

/**
 * iscsi_tmf_done() - a task management function ended
 * @sess: the core's session
 * @priv: the struct iscsi_tmf
 * @status: how it ended
 *
 * Context: process.
 */
void iscsi_tmf_done(struct scst_session *sess, void *priv,
		    enum scst_tmf_status status)
{
	struct iscsi_tmf *tmf = priv;
	struct iscsi_conn *conn = tmf->conn;
	u8 response;

	switch (status) {
	case SCST_TMF_COMPLETE:
	case SCST_TMF_SUCCEEDED:
		response = ISCSI_TMF_COMPLETE;
		break;
	case SCST_TMF_INCORRECT_LUN:
		response = ISCSI_TMF_NO_LUN;
		break;
	default:
		response = ISCSI_TMF_REJECTED;
		break;
	}
	if (!READ_ONCE(conn->closing))
		iscsi_send_tmf_rsp(conn, tmf->itt, response);
	/* TARGET COLD RESET also ends the connection (RFC 7143 11.5.1). */
	if (tmf->cold)
		iscsi_conn_close(conn);
	kfree(tmf);
	if (atomic_dec_and_test(&conn->tmf_pending))
		wake_up(&conn->tmf_wait);
}

/* Whether task @itt is alive and has not had its response yet. */
static bool iscsi_task_exists(struct iscsi_conn *conn, u32 itt)
{
	struct iscsi_cmd *icmd;
	bool found = false;

	spin_lock_bh(&conn->cmd_lock);
	list_for_each_entry(icmd, &conn->cmds, entry)
		if (icmd->itt == itt && !icmd->responded)
			found = true;
	spin_unlock_bh(&conn->cmd_lock);
	return found;
}

/*
 * ABORT TASK for a task that does not exist (RFC 7143 11.5.1): if its
 * command was received (RefCmdSN below ExpCmdSN) it has ended, and the
 * answer is "Task does not exist"; else it may still come, and the answer
 * is "Function complete".
 */
static int iscsi_tmf_req(struct iscsi_conn *conn, const u8 *bhs,
			 const struct iscsi_pdu_hdr *hdr)
{
	struct iscsi_session *sess = conn->sess;
	u8 fn = bhs[1] & 0x7f;
	enum scst_tmf_fn sfn;
	struct iscsi_tmf *tmf;
	int ret;

	if (!iscsi_cmd_sn_check(sess, get_unaligned_be32(bhs + 24),
				hdr->immediate, false))
		return 0;
	if (!sess->scst_sess)
		return iscsi_send_tmf_rsp(conn, hdr->itt, ISCSI_TMF_NOT_SUPPORTED);
	switch (fn) {
	case 1:
		if (!iscsi_task_exists(conn, get_unaligned_be32(bhs + 20)) &&
		    iscsi_cmd_sn_received(sess, get_unaligned_be32(bhs + 32)))
			return iscsi_send_tmf_rsp(conn, hdr->itt,
						  ISCSI_TMF_NO_TASK);
		sfn = SCST_TMF_ABORT_TASK;
		break;
	case 2:
		sfn = SCST_TMF_ABORT_TASK_SET;
		break;
	case 3:
		sfn = SCST_TMF_CLEAR_ACA;
		break;
	case 4:
		sfn = SCST_TMF_CLEAR_TASK_SET;
		break;
	case 5:
		sfn = SCST_TMF_LUN_RESET;
		break;
	case 6:
	case 7:
		sfn = SCST_TMF_TARGET_RESET;
		break;
	case 8:		/* TASK REASSIGN needs ErrorRecoveryLevel 2 */
		return iscsi_send_tmf_rsp(conn, hdr->itt, ISCSI_TMF_NO_REASSIGN);
	default:
		return iscsi_send_tmf_rsp(conn, hdr->itt, ISCSI_TMF_NOT_SUPPORTED);
	}
	tmf = kzalloc(sizeof(*tmf), GFP_KERNEL);
	if (!tmf)
		return iscsi_send_tmf_rsp(conn, hdr->itt, ISCSI_TMF_REJECTED);
	tmf->conn = conn;
	tmf->itt = hdr->itt;
	tmf->cold = fn == 7;
	atomic_inc(&conn->tmf_pending);
	ret = scst_rx_tmf(sess->scst_sess, sfn, bhs + 8, 8,
			  get_unaligned_be32(bhs + 20), false, tmf);
	if (ret) {
		kfree(tmf);
		atomic_dec(&conn->tmf_pending);
		return iscsi_send_tmf_rsp(conn, hdr->itt, ISCSI_TMF_REJECTED);
	}
	return 0;
}

/* ---------------------------------------------------------------- NOP */

static int iscsi_nop_out(struct iscsi_conn *conn, const u8 *bhs,
			 const struct iscsi_pdu_hdr *hdr)
{
	u8 rsp[ISCSI_BHS_LEN];
	u32 len = hdr->data_len;
	int ret;

	/* A ping: its data comes back.  Only what fits our buffer. */
	if (len > conn->buf_size)
		return iscsi_recv_discard(conn, len);
	ret = iscsi_recv_data(conn, len, conn->buf);
	if (ret)
		return ret;
	if (!iscsi_cmd_sn_check(conn->sess, get_unaligned_be32(bhs + 24),
				hdr->immediate, false))
		return 0;
	if (hdr->itt == ISCSI_RESERVED_TAG) {
		/* The answer to our ping (or a bare CmdSN update). */
		if (get_unaligned_be32(bhs + 20) == conn->nop_ttt)
			WRITE_ONCE(conn->nop_ttt, ISCSI_RESERVED_TAG);
		return 0;
	}
	iscsi_hdr_init(rsp, ISCSI_OP_NOP_IN, 0x80);
	memcpy(rsp + 8, bhs + 8, 8);
	put_unaligned_be32(hdr->itt, rsp + 16);
	put_unaligned_be32(ISCSI_RESERVED_TAG, rsp + 20);
	return iscsi_send_rsp(conn, rsp, conn->buf, min(len, conn->max_xmit));
}

/**
 * iscsi_nop_ping() - send a NOP-In that asks for an answer
 * @conn: the connection
 *
 * Context: process.
 * Return: 0 or a negative errno.
 */
int iscsi_nop_ping(struct iscsi_conn *conn)
{
	u8 bhs[ISCSI_BHS_LEN];
	int ret;

	iscsi_hdr_init(bhs, ISCSI_OP_NOP_IN, 0x80);
	put_unaligned_be32(ISCSI_RESERVED_TAG, bhs + 16);
	mutex_lock(&conn->tx_mutex);
	conn->nop_ttt = (conn->nop_ttt_next++ & 0x7fffffff) | 0x40000000;
	conn->nop_sent = jiffies;
	put_unaligned_be32(conn->nop_ttt, bhs + 20);
	put_unaligned_be32(conn->stat_sn, bhs + 24);
	iscsi_sn_fill(conn->sess, bhs);
	ret = iscsi_send_pdu(conn, bhs, NULL, 0);
	mutex_unlock(&conn->tx_mutex);
	return iscsi_sent(conn, ret);
}

/* ---------------------------------------------------------------- text */

/* SendTargets: the targets this initiator may see, with their portals. */
static void iscsi_send_targets(struct iscsi_conn *conn, const char *which,
			       struct iscsi_text_out *out)
{
	struct iscsi_session *sess = conn->sess;
	struct iscsi_target *target;

	mutex_lock(&iscsi_mutex);
	list_for_each_entry(target, &iscsi_targets, entry) {
		if (!strcmp(which, "All")) {
			if (sess->scst_sess)	/* only in discovery */
				continue;
		} else if (*which ? strcmp(which, target->name) :
			   target != sess->target) {
			continue;
		}
		if (!iscsi_target_allows(target, sess->initiator))
			continue;
		iscsi_text_add(out, "TargetName", target->name);
		iscsi_portal_addresses(conn, out);
	}
	mutex_unlock(&iscsi_mutex);
}

/*
 * The answer to a Text request, built whole: SendTargets=All lists every
 * target, which may take many PDUs.  Returns the length, or -ENOMEM.
 */
static int iscsi_text_answer(struct iscsi_conn *conn,
			     const struct iscsi_kv *kv, unsigned int n)
{
	struct iscsi_text_out out;
	u32 size = ISCSI_TEXT_MAX;
	unsigned int i;

	for (;;) {
		out = (struct iscsi_text_out){ .size = size };
		out.buf = kvmalloc(size, GFP_KERNEL);
		if (!out.buf)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			if (kv[i].key_len == 11 &&
			    !memcmp(kv[i].key, "SendTargets", 11)) {
				iscsi_send_targets(conn, kv[i].value, &out);
			} else {
				char name[ISCSI_KEY_NAME_MAX + 1];

				memcpy(name, kv[i].key, kv[i].key_len);
				name[kv[i].key_len] = 0;
				iscsi_text_add(&out, name, "NotUnderstood");
			}
		}
		if (!out.overflow || size >= ISCSI_TEXT_RSP_MAX)
			break;
		kvfree(out.buf);
		size *= 4;
	}
	if (out.overflow)
		pr_warn("%s: Text response truncated to %u bytes\n",
			conn->portal_text, out.len);
	conn->text_rsp = out.buf;
	conn->text_rsp_len = out.len;
	conn->text_rsp_off = 0;
	return out.len;
}

/*
 * The next Text Response of the answer: at most the initiator's
 * MaxRecvDataSegmentLength; if more follows, C is set and the initiator
 * asks for it with an empty Text Request carrying our TTT (RFC 7143
 * 11.10.2, 11.11.1).
 */
static int iscsi_text_rsp_next(struct iscsi_conn *conn, const u8 *bhs)
{
	u32 left = conn->text_rsp_len - conn->text_rsp_off;
	u32 n = min(left, conn->max_xmit);
	u8 rsp[ISCSI_BHS_LEN];
	int ret;

	iscsi_hdr_init(rsp, ISCSI_OP_TEXT_RSP, n < left ? 0x40 : 0x80);
	memcpy(rsp + 8, bhs + 8, 8);
	put_unaligned_be32(conn->text_itt, rsp + 16);
	if (n < left) {
		/* Never the reserved tag: it means "no continuation". */
		if (++conn->text_ttt == ISCSI_RESERVED_TAG)
			conn->text_ttt = 1;
		put_unaligned_be32(conn->text_ttt, rsp + 20);
	} else {
		put_unaligned_be32(ISCSI_RESERVED_TAG, rsp + 20);
	}
	ret = iscsi_send_rsp(conn, rsp, conn->text_rsp + conn->text_rsp_off, n);
	conn->text_rsp_off += n;
	if (n == left) {
		kvfree(conn->text_rsp);
		conn->text_rsp = NULL;
	}
	return ret;
}

static int iscsi_text_req(struct iscsi_conn *conn, const u8 *bhs,
			  const struct iscsi_pdu_hdr *hdr)
{
	u32 ttt = get_unaligned_be32(bhs + 20);
	struct iscsi_kv kv[16];
	unsigned int n;
	int ret;

	ret = iscsi_recv_data(conn, hdr->data_len, conn->buf);
	if (ret)
		return ret;
	if (!iscsi_cmd_sn_check(conn->sess, get_unaligned_be32(bhs + 24),
				hdr->immediate, false))
		return 0;
	if (ttt != ISCSI_RESERVED_TAG) {
		/* The initiator asks for the rest of our answer. */
		if (!conn->text_rsp || ttt != conn->text_ttt ||
		    hdr->itt != conn->text_itt || hdr->data_len) {
			pr_warn("%s: Text request continues no response of ours\n",
				conn->portal_text);
			return iscsi_reject(conn, bhs, ISCSI_REJECT_INVALID_PDU_FIELD);
		}
		return iscsi_text_rsp_next(conn, bhs);
	}
	/* A new request ends an unfinished answer (RFC 7143 11.10.4). */
	kvfree(conn->text_rsp);
	conn->text_rsp = NULL;
	if ((bhs[1] & 0x40) || !hdr->final) {
		pr_warn("%s: Text request continuation is not supported\n",
			conn->portal_text);
		return iscsi_reject(conn, bhs, ISCSI_REJECT_CMD_NOT_SUPPORTED);
	}
	if (iscsi_text_split(conn->buf, hdr->data_len, kv, ARRAY_SIZE(kv), &n)) {
		pr_warn("%s: malformed Text request\n", conn->portal_text);
		return iscsi_reject(conn, bhs, ISCSI_REJECT_PROTOCOL_ERROR);
	}
	if (iscsi_text_answer(conn, kv, n) < 0) {
		pr_warn("%s: out of memory for a Text response\n",
			conn->portal_text);
		return -ENOMEM;
	}
	conn->text_itt = hdr->itt;
	return iscsi_text_rsp_next(conn, bhs);
}

/* ---------------------------------------------------------------- logout */

static bool iscsi_conn_idle(struct iscsi_conn *conn)
{
	bool idle;

	spin_lock_bh(&conn->cmd_lock);
	idle = list_empty(&conn->cmds);
	spin_unlock_bh(&conn->cmd_lock);
	return idle;
}

static int iscsi_logout_req(struct iscsi_conn *conn, const u8 *bhs,
			    const struct iscsi_pdu_hdr *hdr)
{
	u8 reason = bhs[1] & 0x7f, response = 0;
	u8 rsp[ISCSI_BHS_LEN];
	int ret, tries;

	if (!iscsi_cmd_sn_check(conn->sess, get_unaligned_be32(bhs + 24),
				hdr->immediate, false))
		return 0;
	if (reason == 2)
		response = 2;	/* recovery needs ErrorRecoveryLevel 2 */
	else if (reason == 1 && get_unaligned_be16(bhs + 20) != conn->cid)
		response = 1;	/* CID not found */
	if (!response) {
		/*
		 * Commands in progress end first; those still waiting for
		 * write data will not get it.
		 */
		iscsi_conn_abort_cmds(conn);
		for (tries = 0; tries < 300 && !iscsi_conn_idle(conn); tries++)
			msleep(100);
	}
	iscsi_hdr_init(rsp, ISCSI_OP_LOGOUT_RSP, 0x80);
	rsp[2] = response;
	put_unaligned_be32(hdr->itt, rsp + 16);
	ret = iscsi_send_rsp(conn, rsp, NULL, 0);
	if (ret || response)
		return ret;
	pr_info("%s: %s logged out\n", conn->portal_text,
		conn->sess->initiator);
	return -ECONNRESET;
}

/* ---------------------------------------------------------------- dispatch */

/**
 * iscsi_ffp_pdu() - handle one PDU of the full feature phase
 * @conn: the connection
 * @bhs: its header (and conn->ahs its additional header segments)
 * @hdr: the header as iscsi_pdu_parse() checked it
 *
 * The handler receives the PDU's data segment.
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno that ends the connection.
 */
int iscsi_ffp_pdu(struct iscsi_conn *conn, const u8 *bhs,
		  const struct iscsi_pdu_hdr *hdr)
{
	switch (hdr->opcode) {
	case ISCSI_OP_SCSI_CMD:
		return iscsi_scsi_cmd(conn, bhs, hdr);
	case ISCSI_OP_DATA_OUT:
		return iscsi_data_out(conn, bhs, hdr);
	case ISCSI_OP_NOP_OUT:
		return iscsi_nop_out(conn, bhs, hdr);
	case ISCSI_OP_TMF_REQ:
		return iscsi_tmf_req(conn, bhs, hdr);
	case ISCSI_OP_TEXT_REQ:
		return iscsi_text_req(conn, bhs, hdr);
	case ISCSI_OP_LOGOUT_REQ:
		return iscsi_logout_req(conn, bhs, hdr);
	case ISCSI_OP_SNACK_REQ:
		/* No SNACK at ErrorRecoveryLevel 0. */
		return iscsi_reject(conn, bhs, ISCSI_REJECT_PROTOCOL_ERROR);
	default:
		pr_warn("%s: opcode 0x%02x in full feature phase; closing the connection\n",
			conn->portal_text, hdr->opcode);
		iscsi_reject(conn, bhs, ISCSI_REJECT_PROTOCOL_ERROR);
		return -EPROTO;
	}
}

/**
 * iscsi_scsi_init() - create the command cache
 *
 * Context: process (module load).
 * Return: 0 or -ENOMEM.
 */
int iscsi_scsi_init(void)
{
	iscsi_cmd_cache = KMEM_CACHE(iscsi_cmd, 0);
	return iscsi_cmd_cache ? 0 : -ENOMEM;
}

/**
 * iscsi_scsi_exit() - destroy the command cache
 *
 * Context: process (module unload), once every command is freed.
 */
void iscsi_scsi_exit(void)
{
	kmem_cache_destroy(iscsi_cmd_cache);
}
