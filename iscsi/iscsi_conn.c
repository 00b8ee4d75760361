// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_conn.c - a TCP connection: its receive work, PDU framing with
 * digests and padding, and its end
 *
 * Each connection has one receive work item on iscsi_rx_wq that logs in
 * and then reads PDU after PDU until the socket fails or is shut down.
 * The work, its pings and its aborts run on the CPU picked for the
 * connection when it was accepted, and so do the core threads its
 * commands move to (the core's workqueue is per CPU): a connection's
 * commands stay in one CPU's caches.
 * Data of SCSI writes is received straight into the command's pages.
 * Sends come from any process context and are serialized by tx_mutex;
 * read data is lent to TCP, not copied (see iscsi_send_pdu_sg()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bvec.h>
#include <linux/cpumask.h>
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/net.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "iscsi.h"

/*
 * Every connection, for unloading; under iscsi_conns_mutex (not
 * iscsi_mutex: accept threads add to it, and del_portal stops them while
 * holding iscsi_mutex).
 */
static LIST_HEAD(iscsi_conns);
static DEFINE_MUTEX(iscsi_conns_mutex);
static struct workqueue_struct *iscsi_rx_wq;

/* How long a closing connection waits for TCP to give lent pages back. */
#define ISCSI_LENT_DRAIN	(5 * HZ)

struct iscsi_conn_work {
	struct work_struct work;
	struct iscsi_conn *conn;
};

static u32 iscsi_pad(u32 len)
{
	return (4 - (len & 3)) & 3;
}

/* CRC32C as iSCSI sends it: complemented, least significant byte first. */
static __le32 iscsi_crc_final(u32 crc)
{
	return cpu_to_le32(~crc);
}

/* ---------------------------------------------------------------- receive */

static int iscsi_recv_iter(struct iscsi_conn *conn, struct msghdr *msg,
			   size_t len)
{
	int ret;

	while (msg_data_left(msg)) {
		ret = sock_recvmsg(conn->sock, msg, MSG_WAITALL);
		if (ret <= 0)
			return ret ? ret : -ECONNRESET;
	}
	return 0;
}

/**
 * iscsi_recv() - receive exactly @len bytes into @buf
 * @conn: the connection
 * @buf: the buffer
 * @len: bytes
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno (the connection is then unusable).
 */
int iscsi_recv(struct iscsi_conn *conn, void *buf, size_t len)
{
	struct msghdr msg = { };
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &iov, 1, len);
	return iscsi_recv_iter(conn, &msg, len);
}

/*
 * Padding and, if negotiated, the data digest after a data segment whose
 * CRC so far is @crc.
 */
static int iscsi_recv_data_tail(struct iscsi_conn *conn, u32 len, u32 crc)
{
	u8 pad[4] = { };
	__le32 digest;
	int ret;

	/* An empty data segment has no digest (RFC 7143 11.1). */
	if (!len)
		return 0;

	ret = iscsi_recv(conn, pad, iscsi_pad(len));
	if (ret)
		return ret;
	if (!conn->ddigest)
		return 0;
	crc = crc32c(crc, pad, iscsi_pad(len));
	ret = iscsi_recv(conn, &digest, sizeof(digest));
	if (ret)
		return ret;
	if (digest != iscsi_crc_final(crc)) {
		pr_warn("%s: data digest error; closing the connection\n",
			conn->portal_text);
		return -EBADMSG;
	}
	return 0;
}

/**
 * iscsi_recv_data() - receive a data segment of @len bytes into @buf
 * @conn: the connection
 * @len: DataSegmentLength
 * @buf: at least @len bytes
 *
 * Padding and data digest are received and checked too.
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno.
 */
int iscsi_recv_data(struct iscsi_conn *conn, u32 len, void *buf)
{
	int ret;

	ret = iscsi_recv(conn, buf, len);
	if (ret)
		return ret;
	return iscsi_recv_data_tail(conn, len,
				    conn->ddigest ? crc32c(~0U, buf, len) : 0);
}

/* Receive and drop @len bytes, adding them to *@crc if digests are on. */
static int iscsi_recv_drop(struct iscsi_conn *conn, u32 len, u32 *crc)
{
	u32 n;
	int ret;

	for (; len; len -= n) {
		n = min(len, conn->buf_size);
		ret = iscsi_recv(conn, conn->buf, n);
		if (ret)
			return ret;
		if (conn->ddigest)
			*crc = crc32c(*crc, conn->buf, n);
	}
	return 0;
}

/**
 * iscsi_recv_discard() - receive and drop a data segment of @len bytes
 * @conn: the connection
 * @len: DataSegmentLength
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno.
 */
int iscsi_recv_discard(struct iscsi_conn *conn, u32 len)
{
	u32 crc = ~0U;
	int ret;

	ret = iscsi_recv_drop(conn, len, &crc);
	return ret ? ret : iscsi_recv_data_tail(conn, len, crc);
}

/* Find the entry of @sg holding byte @offset; *@skip: bytes into it. */
static struct scatterlist *iscsi_sg_seek(struct scatterlist *sg,
					 unsigned int sg_cnt, u32 offset,
					 u32 *skip)
{
	unsigned int i;

	for (i = 0; i < sg_cnt && sg; i++, sg = sg_next(sg)) {
		if (offset < sg->length) {
			*skip = offset;
			return sg;
		}
		offset -= sg->length;
	}
	return NULL;
}

/* CRC32C of @len bytes of @sg from @offset. */
static u32 iscsi_sg_crc(u32 crc, struct scatterlist *sg, unsigned int sg_cnt,
			u32 offset, u32 len)
{
	u32 skip, n;
	void *p;

	sg = iscsi_sg_seek(sg, sg_cnt, offset, &skip);
	while (len && sg) {
		n = min(len, sg->length - skip);
		p = kmap_local_page(sg_page(sg));
		crc = crc32c(crc, p + sg->offset + skip, n);
		kunmap_local(p);
		len -= n;
		skip = 0;
		sg = sg_next(sg);
	}
	return crc;
}

#define ISCSI_BVEC_BATCH 16

/*
 * Describe the next bytes of a buffer, at most @left of them in at most
 * ISCSI_BVEC_BATCH entries, as @bv: from entry *@sg, *@skip bytes into
 * it.  Both advance past what was described; *@chunk gets the bytes.
 * Returns the entries of @bv used.
 */
static unsigned int iscsi_sg_to_bvec(struct scatterlist **sg, u32 *skip,
				     u32 left, struct bio_vec *bv, u32 *chunk)
{
	unsigned int n;
	u32 take;

	*chunk = 0;
	for (n = 0; n < ISCSI_BVEC_BATCH && *sg && *chunk < left; n++) {
		take = min(left - *chunk, (*sg)->length - *skip);
		bvec_set_page(&bv[n], sg_page(*sg), take, (*sg)->offset + *skip);
		*chunk += take;
		*skip = 0;
		*sg = sg_next(*sg);
	}
	return n;
}

/*
 * iscsi_recv_sg() - receive @len bytes straight into pages of @sg
 * (at @offset; the caller checked that the buffer holds them).
 * Only the data: iscsi_recv_data_sg() adds padding and digest.
 */
static int iscsi_recv_sg(struct iscsi_conn *conn, struct scatterlist *sg,
			 unsigned int sg_cnt, u32 offset, u32 len)
{
	struct bio_vec bv[ISCSI_BVEC_BATCH];
	struct msghdr msg = { };
	unsigned int n;
	u32 skip, chunk, left = len;
	int ret;

	sg = iscsi_sg_seek(sg, sg_cnt, offset, &skip);
	while (left) {
		if (!sg)
			return -EFAULT;
		n = iscsi_sg_to_bvec(&sg, &skip, left, bv, &chunk);
		iov_iter_bvec(&msg.msg_iter, ITER_DEST, bv, n, chunk);
		ret = iscsi_recv_iter(conn, &msg, chunk);
		if (ret)
			return ret;
		left -= chunk;
	}
	return 0;
}

/**
 * iscsi_recv_data_sg() - receive a data segment into a command's buffer
 * @conn: the connection
 * @sg: the buffer
 * @sg_cnt: its entries
 * @offset: where in the buffer the data goes
 * @in_buf: how many of the bytes go there (the caller checked they fit)
 * @len: DataSegmentLength; bytes after the first @in_buf are dropped
 *
 * Padding and data digest are received and checked too.
 *
 * Context: the connection's receive work.
 * Return: 0, or a negative errno.
 */
int iscsi_recv_data_sg(struct iscsi_conn *conn, struct scatterlist *sg,
		       unsigned int sg_cnt, u32 offset, u32 in_buf, u32 len)
{
	u32 crc = ~0U;
	int ret;

	ret = iscsi_recv_sg(conn, sg, sg_cnt, offset, in_buf);
	if (ret)
		return ret;
	if (conn->ddigest)
		crc = iscsi_sg_crc(crc, sg, sg_cnt, offset, in_buf);
	ret = iscsi_recv_drop(conn, len - in_buf, &crc);
	return ret ? ret : iscsi_recv_data_tail(conn, len, crc);
}

/* ---------------------------------------------------------------- send */

/**
 * iscsi_bhs_set_data_len() - store DataSegmentLength in a header
 * @bhs: the basic header segment
 * @len: the length
 *
 * Context: any.
 */
void iscsi_bhs_set_data_len(u8 *bhs, u32 len)
{
	bhs[5] = len >> 16;
	bhs[6] = len >> 8;
	bhs[7] = len;
}

static int iscsi_send_kvec(struct iscsi_conn *conn, struct kvec *iov,
			   unsigned int n, size_t len, bool more)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0) };
	int ret;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, iov, n, len);
	while (msg_data_left(&msg)) {
		ret = sock_sendmsg(conn->sock, &msg);
		if (ret <= 0)
			return ret ? ret : -EPIPE;
	}
	return 0;
}

/* Header (with its digest) of a PDU whose data follows separately. */
static int iscsi_send_header(struct iscsi_conn *conn, u8 *bhs, bool more)
{
	struct kvec iov[2] = {
		{ .iov_base = bhs, .iov_len = ISCSI_BHS_LEN },
	};
	__le32 hd;

	if (conn->hdigest) {
		hd = iscsi_crc_final(crc32c(~0U, bhs, ISCSI_BHS_LEN));
		iov[1].iov_base = &hd;
		iov[1].iov_len = sizeof(hd);
	}
	return iscsi_send_kvec(conn, iov, conn->hdigest ? 2 : 1,
			       ISCSI_BHS_LEN + (conn->hdigest ? 4 : 0), more);
}

/* Bytes that follow a data segment of @len bytes: padding and digest. */
static u32 iscsi_tail_len(struct iscsi_conn *conn, u32 len)
{
	return iscsi_pad(len) + (conn->ddigest ? 4 : 0);
}

/*
 * The data's sender sets MSG_MORE only if this has bytes to send, so that
 * the last piece of every PDU goes out at once (TCP_NODELAY).
 */
static int iscsi_send_data_tail(struct iscsi_conn *conn, u32 len, u32 crc)
{
	static const u8 zero[4];
	struct kvec iov[2] = {
		{ .iov_base = (void *)zero, .iov_len = iscsi_pad(len) },
	};
	__le32 dd;

	if (!iscsi_tail_len(conn, len))
		return 0;
	if (conn->ddigest) {
		dd = iscsi_crc_final(crc32c(crc, zero, iscsi_pad(len)));
		iov[1].iov_base = &dd;
		iov[1].iov_len = sizeof(dd);
	}
	return iscsi_send_kvec(conn, iov, 2, iov[0].iov_len + iov[1].iov_len,
			       false);
}

/**
 * iscsi_send_pdu() - send a PDU whose data is in one buffer
 * @conn: the connection
 * @bhs: the header; DataSegmentLength is filled in here
 * @data: the data segment, or NULL
 * @data_len: its length
 *
 * Context: process; conn->tx_mutex held.
 * Return: 0, or a negative errno.
 */
int iscsi_send_pdu(struct iscsi_conn *conn, u8 *bhs, const void *data,
		   u32 data_len)
{
	struct kvec iov = { .iov_base = (void *)data, .iov_len = data_len };
	int ret;

	lockdep_assert_held(&conn->tx_mutex);
	if (READ_ONCE(conn->closing))
		return -EPIPE;
	iscsi_bhs_set_data_len(bhs, data_len);
	ret = iscsi_send_header(conn, bhs, data_len);
	if (ret || !data_len)
		return ret;
	ret = iscsi_send_kvec(conn, &iov, 1, data_len,
			      iscsi_tail_len(conn, data_len));
	if (ret)
		return ret;
	return iscsi_send_data_tail(conn, data_len,
				    conn->ddigest ? crc32c(~0U, data, data_len) : 0);
}

/**
 * iscsi_send_pdu_sg() - send a PDU whose data is part of a command's buffer
 * @conn: the connection
 * @bhs: the header; DataSegmentLength is filled in here
 * @sg: the buffer
 * @sg_cnt: its entries
 * @offset: where the data starts in it
 * @data_len: bytes
 * @lend: if not NULL, the pages are lent to TCP under this ubuf_info
 *	(MSG_ZEROCOPY) instead of copied
 *
 * Lent pages stay TCP's until the peer has acknowledged them (a
 * retransmission sends them again): @lend's completion callback, not the
 * return of this function, tells when the buffer may be reused.  The
 * header, padding and digest are always copied.
 *
 * Context: process; conn->tx_mutex held.
 * Return: 0, or a negative errno.
 */
int iscsi_send_pdu_sg(struct iscsi_conn *conn, u8 *bhs,
		      struct scatterlist *sg, unsigned int sg_cnt, u32 offset,
		      u32 data_len, struct ubuf_info *lend)
{
	struct bio_vec bv[ISCSI_BVEC_BATCH];
	struct msghdr msg = { };
	struct scatterlist *s;
	u32 skip, chunk, left = data_len;
	unsigned int n;
	int ret;

	lockdep_assert_held(&conn->tx_mutex);
	if (READ_ONCE(conn->closing))
		return -EPIPE;
	iscsi_bhs_set_data_len(bhs, data_len);
	ret = iscsi_send_header(conn, bhs, true);
	if (ret)
		return ret;
	s = iscsi_sg_seek(sg, sg_cnt, offset, &skip);
	while (left) {
		if (!s)
			return -EFAULT;
		n = iscsi_sg_to_bvec(&s, &skip, left, bv, &chunk);
		iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, n, chunk);
		msg.msg_flags = MSG_NOSIGNAL;
		msg.msg_ubuf = lend;
		if (lend)
			msg.msg_flags |= MSG_ZEROCOPY;
		if (chunk < left || iscsi_tail_len(conn, data_len))
			msg.msg_flags |= MSG_MORE;
		while (msg_data_left(&msg)) {
			ret = sock_sendmsg(conn->sock, &msg);
			if (ret <= 0)
				return ret ? ret : -EPIPE;
		}
		left -= chunk;
	}
	if (lend)
		conn->data_in_lent += data_len;
	return iscsi_send_data_tail(conn, data_len, conn->ddigest ?
				    iscsi_sg_crc(~0U, sg, sg_cnt, offset,
						 data_len) : 0);
}

/**
 * iscsi_conn_lent_drain() - get lent pages back from a closing connection
 * @conn: the connection, closing (no new send starts)
 *
 * A peer that acknowledges nothing would keep lent pages, and the commands
 * they belong to, forever: after ISCSI_LENT_DRAIN the connection is
 * reset, which makes TCP drop everything it holds.
 *
 * Context: process, before the commands of the session are waited for.
 */
void iscsi_conn_lent_drain(struct iscsi_conn *conn)
{
	/* A send that began before @closing was set is over after this. */
	mutex_lock(&conn->tx_mutex);
	mutex_unlock(&conn->tx_mutex);
	if (wait_event_timeout(conn->lent_wait, !atomic_read(&conn->lent_cmds),
			       ISCSI_LENT_DRAIN))
		return;
	pr_warn("%s: the peer acknowledges no data; resetting the connection\n",
		conn->portal_text);
	tcp_abort(conn->sock->sk, ECONNABORTED);
	wait_event(conn->lent_wait, !atomic_read(&conn->lent_cmds));
}

/* ---------------------------------------------------------------- life */

/* Read PDUs of the full feature phase until the connection ends. */
static int iscsi_conn_ffp(struct iscsi_conn *conn)
{
	struct iscsi_pdu_hdr hdr;
	u8 bhs[ISCSI_BHS_LEN];
	u32 ahs_len;
	__le32 hd;
	int ret;

	for (;;) {
		ret = iscsi_recv(conn, bhs, sizeof(bhs));
		if (ret)
			return ret;
		/* At most 255 words: conn->ahs holds them; checked later. */
		ahs_len = bhs[4] * 4;
		ret = iscsi_recv(conn, conn->ahs, ahs_len);
		if (ret)
			return ret;
		if (conn->hdigest) {
			ret = iscsi_recv(conn, &hd, sizeof(hd));
			if (ret)
				return ret;
			if (hd != iscsi_crc_final(crc32c(crc32c(~0U, bhs, sizeof(bhs)),
							 conn->ahs, ahs_len))) {
				pr_warn("%s: header digest error; closing the connection\n",
					conn->portal_text);
				return -EBADMSG;
			}
		}
		WRITE_ONCE(conn->last_rx, jiffies);
		if (unlikely(raw_smp_processor_id() != conn->cpu))
			conn->rx_off_cpu++;
		ret = iscsi_pdu_parse(bhs, conn->max_recv, &hdr);
		if (ret) {
			pr_warn("%s: malformed PDU (opcode 0x%02x, error %d); closing the connection\n",
				conn->portal_text, bhs[0] & 0x3f, ret);
			mutex_lock(&conn->tx_mutex);
			iscsi_send_reject(conn, bhs, iscsi_pdu_reject_reason(ret));
			mutex_unlock(&conn->tx_mutex);
			return ret;
		}
		ret = iscsi_ffp_pdu(conn, bhs, &hdr);
		if (ret)
			return ret;
	}
}

static void iscsi_conn_free(struct iscsi_conn *conn)
{
	sock_release(conn->sock);
	kvfree(conn->text_rsp);
	kfree(conn->buf);
	kfree(conn);
}

/* The next dead peer check, on the connection's CPU. */
static void iscsi_conn_nop_arm(struct iscsi_conn *conn)
{
	queue_delayed_work_on(conn->cpu, system_wq, &conn->nop_work,
			      ISCSI_NOP_INTERVAL);
}

/*
 * Dead peer detection: an idle connection gets a NOP-In ping; one that
 * leaves it unanswered for ISCSI_NOP_TIMEOUT is closed.
 */
static void iscsi_conn_nop_fn(struct work_struct *work)
{
	struct iscsi_conn *conn = container_of(to_delayed_work(work),
					       struct iscsi_conn, nop_work);

	if (READ_ONCE(conn->closing))
		return;
	if (READ_ONCE(conn->nop_ttt) != ISCSI_RESERVED_TAG) {
		if (time_after(jiffies, conn->nop_sent + ISCSI_NOP_TIMEOUT)) {
			pr_warn("%s: %s does not answer NOP-In pings; closing the connection\n",
				conn->portal_text, conn->sess->initiator);
			iscsi_conn_close(conn);
			return;
		}
	} else if (time_after(jiffies, READ_ONCE(conn->last_rx) +
			      ISCSI_NOP_INTERVAL)) {
		iscsi_nop_ping(conn);
	}
	iscsi_conn_nop_arm(conn);
}

static void iscsi_conn_rx_fn(struct work_struct *work)
{
	struct iscsi_conn_work *cw = container_of(work, struct iscsi_conn_work,
						  work);
	struct iscsi_conn *conn = cw->conn;
	int ret;

	conn->rx_thread = current;
	conn->sock->sk->sk_rcvtimeo = ISCSI_LOGIN_TIMEOUT;
	ret = iscsi_login(conn);
	if (!ret) {
		conn->sock->sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
		iscsi_conn_nop_arm(conn);
		ret = iscsi_conn_ffp(conn);
		WRITE_ONCE(conn->closing, true);
		cancel_delayed_work_sync(&conn->nop_work);
		if (ret && ret != -ECONNRESET)
			pr_info("%s: connection of %s ended (%d)\n",
				conn->portal_text, conn->sess->initiator, ret);
		iscsi_conn_close(conn);
		iscsi_session_end(conn);
	}
	iscsi_conn_close(conn);

	mutex_lock(&iscsi_conns_mutex);
	list_del(&conn->entry);
	mutex_unlock(&iscsi_conns_mutex);
	complete_all(&conn->done);
	iscsi_conn_put(conn);
	kfree(cw);
}

/*
 * Connections take the online CPUs in turn.  A CPU that goes offline
 * later leaves its connections' work to run elsewhere (counted in
 * rx_off_cpu); nothing moves them back.
 */
static int iscsi_conn_pick_cpu(void)
{
	static atomic_t next = ATOMIC_INIT(0);
	unsigned int n = atomic_inc_return(&next);
	int cpu;

	n %= num_online_cpus();
	for_each_online_cpu(cpu)
		if (!n--)
			return cpu;
	return raw_smp_processor_id();
}

/**
 * iscsi_conn_queue_work() - run work of a connection on its CPU
 * @conn: the connection
 * @work: the work
 *
 * Context: any.
 */
void iscsi_conn_queue_work(struct iscsi_conn *conn, struct work_struct *work)
{
	queue_work_on(conn->cpu, system_wq, work);
}

/**
 * iscsi_conn_start() - take over an accepted socket
 * @sock: the connected socket; freed with the connection
 * @portal_text: the portal that accepted it
 *
 * Context: process (a portal's accept thread).
 */
void iscsi_conn_start(struct socket *sock, const char *portal_text)
{
	struct iscsi_conn_work *cw;
	struct iscsi_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	cw = kzalloc(sizeof(*cw), GFP_KERNEL);
	if (conn) {
		conn->buf_size = ISCSI_TEXT_MAX;
		conn->buf = kmalloc(conn->buf_size, GFP_KERNEL);
	}
	if (!conn || !cw || !conn->buf) {
		pr_warn("%s: out of memory for a new connection\n", portal_text);
		if (conn)
			kfree(conn->buf);
		kfree(conn);
		kfree(cw);
		sock_release(sock);
		return;
	}
	conn->sock = sock;
	strscpy(conn->portal_text, portal_text, sizeof(conn->portal_text));
	kref_init(&conn->ref);
	mutex_init(&conn->tx_mutex);
	spin_lock_init(&conn->cmd_lock);
	INIT_LIST_HEAD(&conn->cmds);
	init_completion(&conn->done);
	init_waitqueue_head(&conn->tmf_wait);
	init_waitqueue_head(&conn->lent_wait);
	atomic_set(&conn->lent_cmds, 0);
	conn->cpu = iscsi_conn_pick_cpu();
	INIT_WORK(&conn->abort_work, iscsi_abort_work_fn);
	INIT_DELAYED_WORK(&conn->nop_work, iscsi_conn_nop_fn);
	conn->max_recv = ISCSI_LOGIN_MAX_DATA;
	conn->max_xmit = ISCSI_LOGIN_MAX_DATA;
	conn->nop_ttt = ISCSI_RESERVED_TAG;
	conn->last_rx = jiffies;
	sock->sk->sk_sndtimeo = ISCSI_LOGIN_TIMEOUT;
	cw->conn = conn;
	INIT_WORK(&cw->work, iscsi_conn_rx_fn);

	mutex_lock(&iscsi_conns_mutex);
	list_add_tail(&conn->entry, &iscsi_conns);
	mutex_unlock(&iscsi_conns_mutex);
	queue_work_on(conn->cpu, iscsi_rx_wq, &cw->work);
}

static void iscsi_conn_release(struct kref *ref)
{
	iscsi_conn_free(container_of(ref, struct iscsi_conn, ref));
}

/**
 * iscsi_conn_get() - hold a connection's memory
 * @conn: the connection
 *
 * Context: any.
 */
void iscsi_conn_get(struct iscsi_conn *conn)
{
	kref_get(&conn->ref);
}

/**
 * iscsi_conn_put() - drop a reference from iscsi_conn_get()
 * @conn: the connection
 *
 * Context: process (the last one releases the socket).
 */
void iscsi_conn_put(struct iscsi_conn *conn)
{
	kref_put(&conn->ref, iscsi_conn_release);
}

/**
 * iscsi_conn_close() - end a connection's traffic
 * @conn: the connection
 *
 * Both directions of the socket are shut down: the receive work sees the
 * end and tears the connection (and its session) down; sends fail.
 *
 * Context: process.
 */
void iscsi_conn_close(struct iscsi_conn *conn)
{
	WRITE_ONCE(conn->closing, true);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
}

/**
 * iscsi_conns_close_all() - close every connection and wait for its end
 *
 * Context: process; for unloading, after the portals are gone.
 */
void iscsi_conns_close_all(void)
{
	struct iscsi_conn *conn;

	mutex_lock(&iscsi_conns_mutex);
	list_for_each_entry(conn, &iscsi_conns, entry)
		iscsi_conn_close(conn);
	mutex_unlock(&iscsi_conns_mutex);
	flush_workqueue(iscsi_rx_wq);
}

/**
 * iscsi_conn_init() - create the receive workqueue
 *
 * Context: process (module load).
 * Return: 0 or -ENOMEM.
 */
int iscsi_conn_init(void)
{
	/*
	 * Each connection's receive loop blocks in its own worker, bound to
	 * the connection's CPU; CPU_INTENSIVE: a busy one does not hold back
	 * other work of that CPU.  Up to WQ_MAX_ACTIVE connections per CPU.
	 */
	iscsi_rx_wq = alloc_workqueue("iscsi_rx", WQ_CPU_INTENSIVE,
				      WQ_MAX_ACTIVE);
	return iscsi_rx_wq ? 0 : -ENOMEM;
}

/**
 * iscsi_conn_exit() - destroy the receive workqueue
 *
 * Context: process (module unload), after iscsi_conns_close_all().
 */
void iscsi_conn_exit(void)
{
	destroy_workqueue(iscsi_rx_wq);
}
