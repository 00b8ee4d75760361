/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi.h - the iSCSI target driver's objects and how they are shared
 *
 *   iscsi_target   an iSCSI target node (IQN) = one scst_tgt
 *   iscsi_portal   a listening socket; any target is reachable through any
 *   iscsi_conn     a TCP connection: one receive work, sends serialized;
 *                  all of its work runs on one CPU (@cpu)
 *   iscsi_session  an I_T nexus (ISID + TSIH) = one scst_session; it has
 *                  one connection (MaxConnections is negotiated to 1)
 *   iscsi_cmd      a SCSI task of a connection, alive until the core
 *                  frees its scst_cmd and the receive thread lets go
 *
 * Locks, outermost first:
 *   iscsi_mutex     targets, portals, sessions lists, target settings
 *   conn->tx_mutex  the socket's send side and StatSN
 *   conn->cmd_lock  conn->cmds and the data-phase state of its commands
 *   sess->sn_lock   ExpCmdSN and the count of commands in flight
 */
#ifndef __ISCSI_H
#define __ISCSI_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <scst.h>

#include "iscsi_chap.h"
#include "iscsi_pdu.h"
#include "iscsi_text.h"

#define ISCSI_NAME_MAX		223
#define ISCSI_PORT_DEFAULT	3260
/* Commands a session may have in flight: what MaxCmdSN allows. */
#define ISCSI_QUEUE_DEPTH	128
/* Largest data segment we accept during login and in Text requests. */
#define ISCSI_TEXT_MAX		ISCSI_LOGIN_MAX_DATA
/* Largest Text response (SendTargets of every target), in PDUs of MRDSL. */
#define ISCSI_TEXT_RSP_MAX	(1024 * 1024)
/* A login that stalls longer than this is dropped. */
#define ISCSI_LOGIN_TIMEOUT	(15 * HZ)
/* Unanswered NOP-In pings after which a connection is declared dead. */
#define ISCSI_NOP_INTERVAL	(10 * HZ)
#define ISCSI_NOP_TIMEOUT	(30 * HZ)

/* Target-to-initiator opcodes (RFC 7143 11.1). */
enum iscsi_tgt_opcode {
	ISCSI_OP_NOP_IN		= 0x20,
	ISCSI_OP_SCSI_RSP	= 0x21,
	ISCSI_OP_TMF_RSP	= 0x22,
	ISCSI_OP_LOGIN_RSP	= 0x23,
	ISCSI_OP_TEXT_RSP	= 0x24,
	ISCSI_OP_DATA_IN	= 0x25,
	ISCSI_OP_LOGOUT_RSP	= 0x26,
	ISCSI_OP_R2T		= 0x31,
	ISCSI_OP_ASYNC_MSG	= 0x32,
	ISCSI_OP_REJECT		= 0x3f,
};

#define ISCSI_RESERVED_TAG	0xffffffffU

/**
 * struct iscsi_target - a target node
 * @entry: on iscsi_targets
 * @name: its IQN
 * @scst_tgt: the core's target
 * @params: what the target offers, per enum iscsi_key_id (digests as
 *	ISCSI_DIGEST_* sets)
 * @chap_in: the secret initiators must prove (user[0] == 0: no CHAP)
 * @chap_out: the target's own secret, for mutual CHAP
 * @sessions: its iscsi_session.entry
 *
 * All fields under iscsi_mutex.
 */
struct iscsi_target {
	struct list_head entry;
	char name[ISCSI_NAME_MAX + 1];
	struct scst_tgt *scst_tgt;
	u32 params[ISCSI_KEY_NEGOTIATED];
	struct iscsi_chap_secret chap_in;
	struct iscsi_chap_secret chap_out;
	struct list_head sessions;
};

/**
 * struct iscsi_portal - a listening socket
 * @entry: on iscsi_portals
 * @addr: address and port
 * @sock: the listening socket
 * @thread: accepts connections on @sock
 * @text: "ADDR:PORT" as the administrator wrote it, normalized
 */
struct iscsi_portal {
	struct list_head entry;
	struct sockaddr_storage addr;
	struct socket *sock;
	struct task_struct *thread;
	char text[64];
};

struct iscsi_session;
struct seq_file;

/**
 * struct iscsi_conn - one TCP connection
 * @entry: on iscsi_conns, for unloading
 * @ref: the receive work holds one; so do waiters for @done and TMFs
 * @sock: the socket
 * @rx_thread: reads and handles every PDU of the connection
 * @cpu: the CPU its receive work, pings and aborts run on
 * @rx_off_cpu: PDUs the receive work handled elsewhere (the CPU went
 *	offline); receive work only
 * @sess: its session after login (NULL before)
 * @target: the target it logged in to (NULL for discovery)
 * @portal_text: the portal it came in through, for SendTargets
 * @cid: connection ID
 * @tx_mutex: serializes sends; protects @stat_sn and @data_in_lent
 * @stat_sn: the next StatSN
 * @data_in_lent: bytes of Data-In whose pages were lent to TCP
 * @lent_cmds: commands whose pages TCP still holds
 * @lent_wait: woken when @lent_cmds drops to 0
 * @hdigest: CRC32C header digests on
 * @ddigest: CRC32C data digests on
 * @max_recv: MaxRecvDataSegmentLength we declared (what we accept)
 * @max_xmit: MaxRecvDataSegmentLength the initiator declared
 * @cmd_lock: protects @cmds and the data phase of each command
 * @cmds: iscsi_cmd.entry of every live command
 * @closing: set once; no more sends, commands are ended silently
 * @done: the receive thread has ended (for session reinstatement)
 * @last_rx: jiffies of the last PDU received (dead peer detection)
 * @nop_ttt: Target Transfer Tag of the unanswered NOP-In ping, or
 *	ISCSI_RESERVED_TAG
 * @nop_sent: jiffies the ping was sent
 * @nop_ttt_next: makes the next ping's tag
 * @nop_work: sends pings, and closes the connection if they go unanswered
 * @abort_work: ends the data phase of commands a TMF aborted
 * @tmf_pending: TMFs given to the core and not done yet
 * @tmf_wait: woken when @tmf_pending drops to 0
 * @buf: receive buffer for text, NOP and discarded data, @buf_size bytes
 * @ahs: additional header segments of the PDU being handled
 * @sense_buf: SenseLength and sense data of a response (under tx_mutex)
 * @text_rsp: a Text response not all sent yet (kvmalloc), or NULL;
 *	receive work only, like the other text_* fields
 * @text_rsp_len: its length
 * @text_rsp_off: bytes of it sent
 * @text_itt: the ITT of its request
 * @text_ttt: the Target Transfer Tag the initiator continues it with
 */
struct iscsi_conn {
	struct list_head entry;
	struct kref ref;
	struct socket *sock;
	struct task_struct *rx_thread;
	int cpu;
	u32 rx_off_cpu;
	struct iscsi_session *sess;
	struct iscsi_target *target;
	char portal_text[64];
	u16 cid;

	struct mutex tx_mutex;		/* the send side, @stat_sn, @data_in_lent */
	u32 stat_sn;
	u64 data_in_lent;
	atomic_t lent_cmds;
	wait_queue_head_t lent_wait;

	bool hdigest;
	bool ddigest;
	u32 max_recv;
	u32 max_xmit;

	spinlock_t cmd_lock;		/* protects @cmds, data phases */
	struct list_head cmds;
	bool closing;
	struct completion done;

	unsigned long last_rx;
	u32 nop_ttt;
	unsigned long nop_sent;
	u32 nop_ttt_next;
	struct delayed_work nop_work;

	struct work_struct abort_work;
	atomic_t tmf_pending;
	wait_queue_head_t tmf_wait;

	u8 *buf;
	u32 buf_size;
	u8 ahs[255 * 4];
	u8 sense_buf[2 + 252];
	char *text_rsp;
	u32 text_rsp_len;
	u32 text_rsp_off;
	u32 text_itt;
	u32 text_ttt;
};

/**
 * struct iscsi_session - an I_T nexus
 * @entry: on its target's sessions (under iscsi_mutex)
 * @target: the target (NULL for a discovery session)
 * @scst_sess: the core's session (NULL for discovery)
 * @initiator: InitiatorName
 * @isid: the initiator's session ID
 * @tsih: our session handle
 * @params: the negotiated values, per enum iscsi_key_id
 * @conn: its connection
 * @sn_lock: protects @exp_cmd_sn and @in_flight
 * @exp_cmd_sn: the next CmdSN we expect
 * @in_flight: commands received whose response is not sent yet
 */
struct iscsi_session {
	struct list_head entry;
	struct iscsi_target *target;
	struct scst_session *scst_sess;
	char initiator[ISCSI_NAME_MAX + 1];
	u8 isid[6];
	u16 tsih;
	u32 params[ISCSI_KEY_NEGOTIATED];
	struct iscsi_conn *conn;

	spinlock_t sn_lock;		/* protects @exp_cmd_sn, @in_flight */
	u32 exp_cmd_sn;
	u32 in_flight;
};

/**
 * struct iscsi_cmd - a SCSI task on a connection
 * @entry: on conn->cmds
 * @ref: one for the core's scst_cmd, one while the receive thread uses it
 * @conn: its connection
 * @scmd: the core's command; NULL once freed
 * @itt: Initiator Task Tag
 * @edtl: Expected Data Transfer Length
 * @ttt: Target Transfer Tag of its R2Ts
 * @lun: the LUN field, for R2Ts
 * @read: the initiator expects data in
 * @write: the initiator sends data out
 * @counted_done: iscsi_cmd_sn_done() was called for it
 * @responded: xmit_response() has it: for ABORT TASK it no longer exists
 * @lending: TCP holds @lend; the command is done when it lets go
 * @lend: lends the read data's pages to TCP (MSG_ZEROCOPY); its
 *	completion callback ends the command
 * @ready: rdy_to_xfer() or xmit_response() reached; the receive thread
 *	may go on with the command's data
 * @want_data: rdy_to_xfer() asked for the write data, which is not all in
 * @abort_data: a TMF or the connection's end aborted the data phase
 * @rx_busy: the receive work is receiving data into @sg right now
 * @sg: where write data goes (from rdy_to_xfer())
 * @sg_cnt: entries in @sg
 * @write_len: bytes of write data the core wants
 * @data_off: offset of the next expected byte of write data
 * @data_end: bytes of write data the initiator will send in total
 *	(unsolicited included): when @data_off reaches it, the data is in
 * @r2t_next: offset of the next byte to ask for with an R2T
 * @r2t_out: R2Ts sent whose data has not fully arrived
 * @r2t_sn: R2TSN of the next R2T
 * @data_sn: DataSN expected on the next Data-Out of the current sequence
 */
struct iscsi_cmd {
	struct list_head entry;
	struct kref ref;
	struct iscsi_conn *conn;
	struct scst_cmd *scmd;
	u32 itt;
	u32 ttt;
	u32 edtl;
	u8 lun[8];
	bool read;
	bool write;
	bool counted_done;
	bool responded;
	bool lending;
	struct ubuf_info lend;

	struct completion ready;
	bool want_data;
	bool abort_data;
	bool rx_busy;
	struct scatterlist *sg;
	unsigned int sg_cnt;
	u32 write_len;
	u32 data_off;
	u32 data_end;
	u32 r2t_next;
	u32 r2t_out;
	u32 r2t_sn;
	u32 data_sn;
};

extern struct mutex iscsi_mutex;
extern struct list_head iscsi_targets;
extern struct scst_tgt_template iscsi_template;
extern struct iscsi_chap_secret iscsi_discovery_chap;

/* iscsi_main.c */
struct iscsi_target *iscsi_target_find(const char *name);
int iscsi_target_add(const char *name);
int iscsi_target_del(const char *name, bool force);
bool iscsi_target_allows(struct iscsi_target *target, const char *initiator);

/* iscsi_proc.c */
int iscsi_proc_init(void);
void iscsi_proc_exit(void);

/* iscsi_portal.c */
int iscsi_portal_add(const char *text);
int iscsi_portal_del(const char *text);
void iscsi_portals_show(struct seq_file *m);
void iscsi_portals_del_all(void);
void iscsi_portal_addresses(struct iscsi_conn *conn, struct iscsi_text_out *out);

/* iscsi_conn.c */
int iscsi_conn_init(void);
void iscsi_conn_exit(void);
void iscsi_conn_start(struct socket *sock, const char *portal_text);
void iscsi_conn_get(struct iscsi_conn *conn);
void iscsi_conn_put(struct iscsi_conn *conn);
void iscsi_conn_close(struct iscsi_conn *conn);
void iscsi_conns_close_all(void);
int iscsi_recv(struct iscsi_conn *conn, void *buf, size_t len);
int iscsi_recv_data_sg(struct iscsi_conn *conn, struct scatterlist *sg,
		       unsigned int sg_cnt, u32 offset, u32 in_buf, u32 len);
int iscsi_recv_discard(struct iscsi_conn *conn, u32 len);
int iscsi_recv_data(struct iscsi_conn *conn, u32 len, void *buf);
int iscsi_send_pdu(struct iscsi_conn *conn, u8 *bhs, const void *data,
		   u32 data_len);
int iscsi_send_pdu_sg(struct iscsi_conn *conn, u8 *bhs,
		      struct scatterlist *sg, unsigned int sg_cnt, u32 offset,
		      u32 data_len, struct ubuf_info *lend);
void iscsi_conn_queue_work(struct iscsi_conn *conn, struct work_struct *work);
void iscsi_conn_lent_drain(struct iscsi_conn *conn);
void iscsi_bhs_set_data_len(u8 *bhs, u32 len);

/* iscsi_login.c */
int iscsi_login(struct iscsi_conn *conn);

/* iscsi_session.c */
int iscsi_session_start(struct iscsi_conn *conn, const char *target_name,
			const char *initiator, const u8 *isid, u32 cmd_sn,
			const u32 *params);
void iscsi_session_end(struct iscsi_conn *conn);
void iscsi_sessions_kill(struct iscsi_target *target);
void iscsi_sn_fill(struct iscsi_session *sess, u8 *bhs);
bool iscsi_cmd_sn_check(struct iscsi_session *sess, u32 cmd_sn,
			bool immediate, bool counts);
bool iscsi_cmd_sn_received(struct iscsi_session *sess, u32 cmd_sn);
void iscsi_cmd_sn_done(struct iscsi_session *sess);

/* iscsi_scsi.c */
int iscsi_scsi_init(void);
void iscsi_scsi_exit(void);
void iscsi_abort_work_fn(struct work_struct *work);
void iscsi_data_wait_aborted(struct scst_cmd *scmd);
void iscsi_report_luns_changed(struct scst_session *scst_sess);
int iscsi_ffp_pdu(struct iscsi_conn *conn, const u8 *bhs,
		  const struct iscsi_pdu_hdr *hdr);
void iscsi_conn_abort_cmds(struct iscsi_conn *conn);
enum scst_tgt_res iscsi_rdy_to_xfer(struct scst_cmd *scmd);
enum scst_tgt_res iscsi_xmit_response(struct scst_cmd *scmd);
void iscsi_on_free_cmd(struct scst_cmd *scmd);
void iscsi_tmf_done(struct scst_session *sess, void *priv,
		    enum scst_tmf_status status);
int iscsi_send_reject(struct iscsi_conn *conn, const u8 *bhs, u8 reason);
int iscsi_nop_ping(struct iscsi_conn *conn);

#endif /* __ISCSI_H */
