// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_session.c - sessions: their start (with reinstatement), their
 * command numbering window and their end
 *
 * A session is the I_T nexus of one initiator port (InitiatorName +
 * ISID) and a target.  A new login with the same ISID and TSIH 0
 * reinstates it: the old session's connection is closed and its nexus
 * ends (its commands are aborted) before the new one starts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iscsi.h"

/* The last TSIH given; under iscsi_mutex. */
static u16 iscsi_last_tsih;

static struct iscsi_session *iscsi_session_find(struct iscsi_target *target,
						const char *initiator,
						const u8 *isid)
{
	struct iscsi_session *sess;

	list_for_each_entry(sess, &target->sessions, entry)
		if (!strcmp(sess->initiator, initiator) &&
		    !memcmp(sess->isid, isid, sizeof(sess->isid)))
			return sess;
	return NULL;
}

/* Close @conn and wait for its end; drops and retakes iscsi_mutex. */
static void iscsi_conn_close_wait(struct iscsi_conn *conn)
{
	iscsi_conn_get(conn);
	iscsi_conn_close(conn);
	mutex_unlock(&iscsi_mutex);
	wait_for_completion(&conn->done);
	iscsi_conn_put(conn);
	mutex_lock(&iscsi_mutex);
}

/**
 * iscsi_session_start() - the session of a connection that logged in
 * @conn: the connection
 * @target_name: the target, or NULL for a discovery session
 * @initiator: InitiatorName
 * @isid: the ISID
 * @cmd_sn: CmdSN of the login: the first one expected
 * @params: the negotiated values, per enum iscsi_key_id
 *
 * Context: the connection's receive work; takes iscsi_mutex and the
 * core's scst_config_mutex; may wait for an older session to end.
 * Return: 0; -ENOENT if the target is gone; -ENOMEM; the core's error.
 */
int iscsi_session_start(struct iscsi_conn *conn, const char *target_name,
			const char *initiator, const u8 *isid, u32 cmd_sn,
			const u32 *params)
{
	struct iscsi_target *target;
	struct iscsi_session *sess, *old;
	struct scst_session *scst_sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return -ENOMEM;
	strscpy(sess->initiator, initiator, sizeof(sess->initiator));
	memcpy(sess->isid, isid, sizeof(sess->isid));
	memcpy(sess->params, params, sizeof(sess->params));
	spin_lock_init(&sess->sn_lock);
	sess->exp_cmd_sn = cmd_sn;
	sess->conn = conn;
	INIT_LIST_HEAD(&sess->entry);

	mutex_lock(&iscsi_mutex);
	if (++iscsi_last_tsih == 0)
		iscsi_last_tsih = 1;
	sess->tsih = iscsi_last_tsih;
	if (!target_name)
		goto done;
	for (;;) {
		target = iscsi_target_find(target_name);
		if (!target) {
			mutex_unlock(&iscsi_mutex);
			kfree(sess);
			return -ENOENT;
		}
		old = iscsi_session_find(target, initiator, isid);
		if (!old)
			break;
		pr_info("%s: reinstating the session of %s to %s\n",
			conn->portal_text, initiator, target_name);
		iscsi_conn_close_wait(old->conn);
	}
	scst_sess = scst_register_session(target->scst_tgt, initiator, sess);
	if (IS_ERR(scst_sess)) {
		mutex_unlock(&iscsi_mutex);
		kfree(sess);
		return PTR_ERR(scst_sess);
	}
	sess->scst_sess = scst_sess;
	sess->target = target;
	list_add_tail(&sess->entry, &target->sessions);
done:
	conn->sess = sess;
	conn->target = sess->target;
	mutex_unlock(&iscsi_mutex);
	return 0;
}

/**
 * iscsi_session_end() - end the session of a closed connection
 * @conn: the connection, already closed
 *
 * Commands still waiting for write data are aborted; the others end
 * without a response.  The core session is unregistered once they are
 * all freed.
 *
 * Context: the connection's receive work; takes iscsi_mutex.
 */
void iscsi_session_end(struct iscsi_conn *conn)
{
	struct iscsi_session *sess = conn->sess;

	if (!sess)
		return;
	iscsi_conn_abort_cmds(conn);
	/* Before the TMFs: they may wait for a command TCP holds pages of. */
	iscsi_conn_lent_drain(conn);
	wait_event(conn->tmf_wait, !atomic_read(&conn->tmf_pending));
	if (sess->scst_sess)
		scst_unregister_session(sess->scst_sess);
	/* No command is left for a TMF to abort: the work stays idle. */
	flush_work(&conn->abort_work);
	mutex_lock(&iscsi_mutex);
	list_del(&sess->entry);
	conn->sess = NULL;
	mutex_unlock(&iscsi_mutex);
	kfree(sess);
}

/**
 * iscsi_sessions_kill() - end every session of a target
 * @target: the target, already off iscsi_targets
 *
 * Context: process; iscsi_mutex held (dropped while sessions end).
 */
void iscsi_sessions_kill(struct iscsi_target *target)
{
	struct iscsi_session *sess;

	while (!list_empty(&target->sessions)) {
		sess = list_first_entry(&target->sessions, struct iscsi_session,
					entry);
		iscsi_conn_close_wait(sess->conn);
	}
}

/**
 * iscsi_sn_fill() - ExpCmdSN and MaxCmdSN of a response header
 * @sess: the session
 * @bhs: the header (bytes 28-35)
 *
 * The window is the queue depth minus the commands in flight, so an
 * initiator never has more than ISCSI_QUEUE_DEPTH commands outstanding;
 * it only grows as commands end.
 *
 * Context: any; takes sess->sn_lock.
 */
void iscsi_sn_fill(struct iscsi_session *sess, u8 *bhs)
{
	u32 exp, max;

	spin_lock_bh(&sess->sn_lock);
	exp = sess->exp_cmd_sn;
	max = exp + ISCSI_QUEUE_DEPTH - 1 - sess->in_flight;
	spin_unlock_bh(&sess->sn_lock);
	put_unaligned_be32(exp, bhs + 28);
	put_unaligned_be32(max, bhs + 32);
}

/**
 * iscsi_cmd_sn_check() - accept or drop a request by its CmdSN
 * @sess: the session
 * @cmd_sn: the request's CmdSN
 * @immediate: the I bit: the request takes no place in the order
 * @counts: the request stays in flight until iscsi_cmd_sn_done()
 *
 * With one connection per session requests arrive in CmdSN order, so a
 * non-immediate one must carry exactly ExpCmdSN; anything else is outside
 * the window or a gap, and is dropped (RFC 7143 4.2.2.1).
 *
 * Context: the connection's receive work; takes sess->sn_lock.
 * Return: true if the request is to be handled.
 */
bool iscsi_cmd_sn_check(struct iscsi_session *sess, u32 cmd_sn,
			bool immediate, bool counts)
{
	bool ok = true;

	spin_lock_bh(&sess->sn_lock);
	if (!immediate) {
		if (cmd_sn == sess->exp_cmd_sn)
			sess->exp_cmd_sn++;
		else
			ok = false;
	}
	if (ok && counts)
		sess->in_flight++;
	spin_unlock_bh(&sess->sn_lock);
	if (!ok)
		pr_warn_ratelimited("%s: CmdSN %u dropped (expected %u)\n",
				    sess->initiator, cmd_sn,
				    READ_ONCE(sess->exp_cmd_sn));
	return ok;
}

/**
 * iscsi_cmd_sn_received() - whether a CmdSN has been received already
 * @sess: the session
 * @cmd_sn: the CmdSN
 *
 * Serial number arithmetic (RFC 1982): below ExpCmdSN means received.
 *
 * Context: any; takes sess->sn_lock.
 */
bool iscsi_cmd_sn_received(struct iscsi_session *sess, u32 cmd_sn)
{
	u32 exp;

	spin_lock_bh(&sess->sn_lock);
	exp = sess->exp_cmd_sn;
	spin_unlock_bh(&sess->sn_lock);
	return (s32)(cmd_sn - exp) < 0;
}

/**
 * iscsi_cmd_sn_done() - a request counted in flight has its response
 * @sess: the session
 *
 * Context: any; takes sess->sn_lock.
 */
void iscsi_cmd_sn_done(struct iscsi_session *sess)
{
	spin_lock_bh(&sess->sn_lock);
	sess->in_flight--;
	spin_unlock_bh(&sess->sn_lock);
}
