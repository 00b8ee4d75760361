// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_tmf.c - task management functions (SAM-5 7)
 *
 * A target driver hands a TMF over with scst_rx_tmf(); the core runs TMFs
 * one at a time in an ordered workqueue, so that a later TMF finds the
 * commands an earlier one aborted already finished.  A TMF:
 *   1. marks the commands in its scope aborted (under their sessions'
 *      cmd_lock), counting those that have not finished with the device;
 *   2. wakes the ones parked in a task set, so that they end at once;
 *   3. waits until every counted command has left the device: an aborted
 *      command never runs if it had not started, and one that had is
 *      waited for, so nothing reaches the backing store after the answer;
 *   4. queues the unit attentions of a reset, and answers the driver.
 * Every aborted command still goes through xmit_response() once (the
 * driver sees scst_cmd_aborted() and sends no status) and is freed once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "scst_core.h"

static struct workqueue_struct *scst_tmf_wq;
/* Commands aborted since load, for /proc/scsi_tgt/stats. */
static atomic_long_t scst_tmf_aborted = ATOMIC_LONG_INIT(0);

/**
 * scst_tmf_aborted_count() - commands aborted by TMFs since load
 *
 * Context: any.
 */
unsigned long scst_tmf_aborted_count(void)
{
	return atomic_long_read(&scst_tmf_aborted);
}

/**
 * struct scst_tmf_req - one task management request
 * @work:	runs it in scst_tmf_wq
 * @sess:	the session it came on
 * @fn:		which function
 * @lun:	LUN number (SCST_LUN_INVALID if the LUN field was bad)
 * @tag:	the task to abort (ABORT TASK)
 * @priv:	the driver's data, given back in tmf_done()
 * @pending:	commands it aborted that have not left their device, plus
 *		one held by the request until it has marked them all
 * @done:	completed when @pending drops to zero
 * @qerr:	made by the device server for QErr, not sent by a driver:
 *		nobody waits for it, and it frees itself when @pending drops
 *		to zero
 */
struct scst_tmf_req {
	struct work_struct work;
	struct scst_session *sess;
	enum scst_tmf_fn fn;
	u64 lun;
	u64 tag;
	void *priv;
	atomic_t pending;
	struct completion done;
	bool qerr;
};

/* Drop one of @req's pending counts. */
static void scst_tmf_req_put(struct scst_tmf_req *req)
{
	if (!atomic_dec_and_test(&req->pending))
		return;
	if (req->qerr)
		kfree(req);
	else
		complete(&req->done);
}

/**
 * scst_cmd_abort_finished() - an aborted command has left its device
 * @cmd: the command, on its way to xmit_response() or being freed
 *
 * Context: any.
 */
void scst_cmd_abort_finished(struct scst_cmd *cmd)
{
	struct scst_tmf_req *req = xchg(&cmd->abort_req, NULL);

	if (req)
		scst_tmf_req_put(req);
}

bool scst_cmd_aborted(struct scst_cmd *cmd)
{
	/* One with TAS has a status to send: TASK ABORTED. */
	return READ_ONCE(cmd->aborted) == SCST_CMD_ABORTED;
}
EXPORT_SYMBOL_GPL(scst_cmd_aborted);

void scst_dev_set_tas(struct scst_device *dev, bool tas)
{
	WRITE_ONCE(dev->tas, tas);
}
EXPORT_SYMBOL_GPL(scst_dev_set_tas);

bool scst_dev_get_tas(struct scst_device *dev)
{
	return READ_ONCE(dev->tas);
}
EXPORT_SYMBOL_GPL(scst_dev_get_tas);

/**
 * scst_cmd_abort_status() - give a command aborted with TAS its status
 * @cmd: a command that has left its device (it can be marked no more)
 *
 * Context: any.
 */
void scst_cmd_abort_status(struct scst_cmd *cmd)
{
	if (READ_ONCE(cmd->aborted) != SCST_CMD_ABORTED_TAS)
		return;
	cmd->status = SAM_STAT_TASK_ABORTED;
	cmd->sense_len = 0;
	cmd->resp_len = 0;
}

/*
 * How a command that @req aborts ends.  One aborted by another nexus
 * (CLEAR TASK SET, a reset, PREEMPT AND ABORT, QErr) ends in TASK ABORTED
 * if the control mode page's TAS is set; else silently, and after a CLEAR
 * TASK SET or PREEMPT AND ABORT its nexus gets COMMANDS CLEARED BY ANOTHER
 * INITIATOR (SAM-5 5.6), after QErr COMMANDS CLEARED BY DEVICE SERVER.
 * Under the command's session's cmd_lock.
 */
static u8 scst_tmf_abort_kind(struct scst_tmf_req *req, struct scst_cmd *cmd)
{
	if (cmd->sess == req->sess || !cmd->tgt_dev)
		return SCST_CMD_ABORTED;
	if (READ_ONCE(cmd->tgt_dev->dev->tas))
		return SCST_CMD_ABORTED_TAS;
	if (req->qerr)
		/* COMMANDS CLEARED BY DEVICE SERVER */
		scst_ua_queue(cmd->tgt_dev, 0x2f, 0x02);
	else if (req->fn == SCST_TMF_CLEAR_TASK_SET)
		scst_ua_queue(cmd->tgt_dev, 0x2f, 0x00);
	return SCST_CMD_ABORTED;
}

void scst_dev_set_qerr(struct scst_device *dev, u8 qerr)
{
	WRITE_ONCE(dev->qerr, qerr);
}
EXPORT_SYMBOL_GPL(scst_dev_set_qerr);

u8 scst_dev_get_qerr(struct scst_device *dev)
{
	return READ_ONCE(dev->qerr);
}
EXPORT_SYMBOL_GPL(scst_dev_get_qerr);

/* Which commands of @sess a request covers. */
static bool scst_tmf_in_scope(struct scst_tmf_req *req, struct scst_cmd *cmd,
			      struct scst_device *dev)
{
	switch (req->fn) {
	case SCST_TMF_ABORT_TASK:
		return cmd->sess == req->sess && cmd->tag == req->tag &&
		       cmd->lun == req->lun;
	case SCST_TMF_ABORT_TASK_SET:
		return cmd->sess == req->sess && cmd->lun == req->lun;
	case SCST_TMF_CLEAR_TASK_SET:
	case SCST_TMF_LUN_RESET:
		return cmd->tgt_dev && cmd->tgt_dev->dev == dev;
	case SCST_TMF_TARGET_RESET:
	case SCST_TMF_I_T_NEXUS_RESET:
		return true;
	case SCST_TMF_CLEAR_ACA:
	case SCST_TMF_QUERY_TASK:
	case SCST_TMF_QUERY_TASK_SET:
	case SCST_TMF_QUERY_ASYNC_EVENT:
		break;
	}
	return false;
}

/*
 * Mark the commands of @sess that @req covers.  A command parked in its
 * task set is taken out of it and continued, to end without running.
 */
static void scst_tmf_abort_sess(struct scst_tmf_req *req,
				struct scst_session *sess,
				struct scst_device *dev)
{
	struct scst_cmd *cmd, *tmp;
	unsigned long flags;
	LIST_HEAD(kick);

	spin_lock_irqsave(&sess->cmd_lock, flags);
	list_for_each_entry(cmd, &sess->cmd_list, sess_entry) {
		if (cmd->aborted || READ_ONCE(cmd->finished) ||
		    !scst_tmf_in_scope(req, cmd, dev))
			continue;
		WRITE_ONCE(cmd->aborted, scst_tmf_abort_kind(req, cmd));
		atomic_long_inc(&scst_tmf_aborted);
		atomic_inc(&req->pending);
		WRITE_ONCE(cmd->abort_req, req);
		/* Pairs with the barrier before rdy_to_xfer(). */
		smp_mb();
		if (READ_ONCE(cmd->state) == SCST_CMD_STATE_DATA_WAIT &&
		    sess->tgt->tt->data_wait_aborted)
			sess->tgt->tt->data_wait_aborted(cmd);
		if (cmd->in_task_set &&
		    scst_order_cancel(&cmd->tgt_dev->dev->order, &cmd->order))
			list_add_tail(&cmd->order.ready, &kick);
	}
	spin_unlock_irqrestore(&sess->cmd_lock, flags);
	list_for_each_entry_safe(cmd, tmp, &kick, order.ready) {
		list_del(&cmd->order.ready);
		scst_cmd_continue(cmd);
	}
}

/* Drop the request's own count, then wait for the commands it aborted. */
static void scst_tmf_wait(struct scst_tmf_req *req)
{
	if (!atomic_dec_and_test(&req->pending))
		wait_for_completion(&req->done);
}

/* Abort what @fn covers among @sess's commands, and wait for them. */
static void scst_sess_abort_wait(struct scst_session *sess,
				 enum scst_tmf_fn fn, u64 lun)
{
	struct scst_tmf_req req = {
		.sess = sess,
		.fn = fn,
		.lun = lun,
		.pending = ATOMIC_INIT(1),
	};

	init_completion(&req.done);
	scst_tmf_abort_sess(&req, sess, NULL);
	scst_tmf_wait(&req);
}

/**
 * scst_sess_abort_lun() - abort a session's commands to a LUN, and wait
 * @sess: the session
 * @lun: LUN number
 *
 * For "del DEVICE force": the commands end without running, or are waited
 * for if they run, before the LUN goes away.
 *
 * Context: process; sleeps; the caller may hold scst_config_mutex (the
 * command path never takes it).
 */
void scst_sess_abort_lun(struct scst_session *sess, u64 lun)
{
	scst_sess_abort_wait(sess, SCST_TMF_ABORT_TASK_SET, lun);
}

/**
 * scst_sess_abort_all() - abort every command of a session, and wait
 * @sess: the session
 *
 * For "del_group force", before the session moves to another group.
 *
 * Context: process; sleeps; the caller may hold scst_config_mutex.
 */
void scst_sess_abort_all(struct scst_session *sess)
{
	scst_sess_abort_wait(sess, SCST_TMF_I_T_NEXUS_RESET, SCST_LUN_INVALID);
}

/**
 * scst_dev_abort_nexuses() - abort what some sessions sent to a device, and
 *	wait until none of it can reach the device any more
 * @dev: the device
 * @match: whether to abort a session's commands to @dev; called under
 *	@dev->tgt_dev_lock
 * @data: for @match
 *
 * For PREEMPT AND ABORT: the preempted initiators' commands are gone once
 * the command that preempted them ends.
 *
 * Context: process; sleeps; takes @dev->tgt_dev_lock, and under it the
 * sessions' cmd_lock.  The caller must not hold scst_config_mutex.
 */
void scst_dev_abort_nexuses(struct scst_device *dev,
			    bool (*match)(struct scst_session *sess,
					  void *data),
			    void *data)
{
	struct scst_tmf_req req = {
		.fn = SCST_TMF_CLEAR_TASK_SET,
		.pending = ATOMIC_INIT(1),
	};
	struct scst_tgt_dev *tgt_dev;
	unsigned long flags;

	init_completion(&req.done);
	/* A nexus on the list keeps its session alive. */
	spin_lock_irqsave(&dev->tgt_dev_lock, flags);
	list_for_each_entry(tgt_dev, &dev->tgt_dev_list, dev_entry)
		if (match(tgt_dev->sess, data))
			scst_tmf_abort_sess(&req, tgt_dev->sess, dev);
	spin_unlock_irqrestore(&dev->tgt_dev_lock, flags);
	scst_tmf_wait(&req);
}

/**
 * scst_tmf_qerr() - abort what QErr says a CHECK CONDITION aborts
 * @cmd: a command that has just ended in CHECK CONDITION and left its
 *	device
 *
 * QErr 01b: every nexus' commands to the logical unit, as if the device
 * server sent a CLEAR TASK SET (the other nexuses get TASK ABORTED with
 * TAS, else COMMANDS CLEARED BY DEVICE SERVER); 11b: the commands of
 * @cmd's own nexus to it (SPC-4 7.5.8).  They are marked now, so that no
 * command that arrives after the CHECK CONDITION is touched; nobody waits
 * for the running ones, since nobody answers for them.  If memory is short
 * nothing is aborted, as with QErr 00b.
 *
 * Context: any; takes the device's tgt_dev_lock and the sessions'
 * cmd_lock.
 */
void scst_tmf_qerr(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev ? cmd->tgt_dev->dev : NULL;
	struct scst_tgt_dev *tgt_dev;
	struct scst_tmf_req *req;
	unsigned long flags;
	u8 qerr;

	if (!dev || cmd->aborted)
		return;
	qerr = READ_ONCE(dev->qerr);
	if (likely(!qerr))
		return;
	req = kzalloc(sizeof(*req), GFP_ATOMIC);
	if (!req)
		return;
	req->fn = qerr == 1 ? SCST_TMF_CLEAR_TASK_SET : SCST_TMF_ABORT_TASK_SET;
	req->sess = cmd->sess;
	req->lun = cmd->lun;
	req->qerr = true;
	atomic_set(&req->pending, 1);
	if (req->fn == SCST_TMF_CLEAR_TASK_SET) {
		spin_lock_irqsave(&dev->tgt_dev_lock, flags);
		list_for_each_entry(tgt_dev, &dev->tgt_dev_list, dev_entry)
			scst_tmf_abort_sess(req, tgt_dev->sess, dev);
		spin_unlock_irqrestore(&dev->tgt_dev_lock, flags);
	} else {
		scst_tmf_abort_sess(req, cmd->sess, dev);
	}
	scst_tmf_req_put(req);
}

/* Mark what @req covers, in every session it reaches. */
static void scst_tmf_abort(struct scst_tmf_req *req, struct scst_device *dev)
{
	struct scst_tgt_template *tt;
	struct scst_session *sess;
	struct scst_tgt *tgt;

	mutex_lock(&scst_config_mutex);
	switch (req->fn) {
	case SCST_TMF_CLEAR_TASK_SET:
	case SCST_TMF_LUN_RESET:
		/* Every initiator's commands to the logical unit. */
		list_for_each_entry(tt, &scst_tt_list, tt_list_entry)
			list_for_each_entry(tgt, &tt->tgt_list, tt_entry)
				list_for_each_entry(sess, &tgt->sess_list,
						    tgt_entry)
					scst_tmf_abort_sess(req, sess, dev);
		break;
	case SCST_TMF_TARGET_RESET:
		list_for_each_entry(sess, &req->sess->tgt->sess_list, tgt_entry)
			scst_tmf_abort_sess(req, sess, dev);
		break;
	default:
		scst_tmf_abort_sess(req, req->sess, dev);
	}
	mutex_unlock(&scst_config_mutex);
}

/*
 * What a reset leaves (SAM-5 6.6, 7.x): unit attentions for the others, and
 * no ACA on the logical units it reset.
 */
static void scst_tmf_reset_ua(struct scst_tmf_req *req,
			      struct scst_tgt_dev *tgt_dev)
{
	struct scst_session *sess;
	struct scst_tgt_dev *td;
	unsigned long lun;

	switch (req->fn) {
	case SCST_TMF_LUN_RESET:
		scst_aca_clear(tgt_dev->dev, NULL);
		scst_res_reset(tgt_dev->dev);
		/* BUS DEVICE RESET FUNCTION OCCURRED, to the other nexuses. */
		scst_dev_ua_all_but(tgt_dev->dev, req->sess, 0x29, 0x03);
		break;
	case SCST_TMF_TARGET_RESET:
		/* Every logical unit of the target, for every other session. */
		mutex_lock(&scst_config_mutex);
		list_for_each_entry(sess, &req->sess->tgt->sess_list,
				    tgt_entry) {
			xa_for_each(&sess->tgt_devs, lun, td) {
				scst_aca_clear(td->dev, NULL);
				scst_res_reset(td->dev);
				if (sess != req->sess)
					scst_ua_queue(td, 0x29, 0x00);
			}
		}
		mutex_unlock(&scst_config_mutex);
		break;
	case SCST_TMF_I_T_NEXUS_RESET:
		/* I_T NEXUS LOSS OCCURRED, on this nexus only. */
		xa_for_each(&req->sess->tgt_devs, lun, td) {
			scst_aca_clear(td->dev, td);
			scst_res_nexus_gone(td);
			scst_ua_queue(td, 0x29, 0x07);
		}
		break;
	default:
		break;
	}
}

/*
 * CLEAR ACA (SAM-5 7.4): only the faulted nexus may clear its ACA; with no
 * ACA there is nothing to do.
 */
static enum scst_tmf_status scst_tmf_clear_aca(struct scst_tgt_dev *tgt_dev)
{
	struct scst_tgt_dev *faulted = READ_ONCE(tgt_dev->dev->aca_nexus);

	if (faulted && faulted != tgt_dev)
		return SCST_TMF_REJECTED;
	scst_aca_clear(tgt_dev->dev, tgt_dev);
	return SCST_TMF_COMPLETE;
}

/* QUERY TASK, QUERY TASK SET and QUERY ASYNCHRONOUS EVENT (SAM-5 7.x). */
static enum scst_tmf_status scst_tmf_query(struct scst_tmf_req *req,
					   struct scst_tgt_dev *tgt_dev)
{
	struct scst_session *sess = req->sess;
	struct scst_cmd *cmd;
	unsigned long flags;
	bool found = false;

	if (req->fn == SCST_TMF_QUERY_ASYNC_EVENT)
		return READ_ONCE(tgt_dev->ua.count) ? SCST_TMF_SUCCEEDED :
						      SCST_TMF_COMPLETE;
	spin_lock_irqsave(&sess->cmd_lock, flags);
	list_for_each_entry(cmd, &sess->cmd_list, sess_entry) {
		if (cmd->lun != req->lun || cmd->aborted ||
		    READ_ONCE(cmd->finished))
			continue;
		if (req->fn == SCST_TMF_QUERY_TASK_SET || cmd->tag == req->tag) {
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&sess->cmd_lock, flags);
	return found ? SCST_TMF_SUCCEEDED : SCST_TMF_COMPLETE;
}

static bool scst_tmf_needs_lun(enum scst_tmf_fn fn)
{
	return fn != SCST_TMF_TARGET_RESET && fn != SCST_TMF_I_T_NEXUS_RESET;
}

static void scst_tmf_work_fn(struct work_struct *work)
{
	struct scst_tmf_req *req = container_of(work, struct scst_tmf_req,
						work);
	struct scst_session *sess = req->sess;
	struct scst_tgt_dev *tgt_dev = NULL;
	enum scst_tmf_status status = SCST_TMF_COMPLETE;

	if (scst_tmf_needs_lun(req->fn)) {
		if (req->lun != SCST_LUN_INVALID)
			tgt_dev = scst_tgt_dev_get(sess, req->lun);
		if (!tgt_dev) {
			status = SCST_TMF_INCORRECT_LUN;
			goto done;
		}
	}
	switch (req->fn) {
	case SCST_TMF_CLEAR_ACA:
		status = scst_tmf_clear_aca(tgt_dev);
		scst_tgt_dev_put(tgt_dev);
		goto done;
	case SCST_TMF_QUERY_TASK:
	case SCST_TMF_QUERY_TASK_SET:
	case SCST_TMF_QUERY_ASYNC_EVENT:
		status = scst_tmf_query(req, tgt_dev);
		scst_tgt_dev_put(tgt_dev);
		goto done;
	default:
		break;
	}
	scst_tmf_abort(req, tgt_dev ? tgt_dev->dev : NULL);
	scst_tmf_wait(req);
	scst_tmf_reset_ua(req, tgt_dev);
	if (tgt_dev)
		scst_tgt_dev_put(tgt_dev);
done:
	pr_debug("TMF %d of %s: %d\n", req->fn, sess->initiator_name, status);
	sess->tgt->tt->tmf_done(sess, req->priv, status);
	kfree(req);
	/* The session may end now that the TMF has been answered. */
	scst_sess_cmd_done(sess);
}

int scst_rx_tmf(struct scst_session *sess, enum scst_tmf_fn fn, const u8 *lun,
		unsigned int lun_len, u64 tag, bool atomic, void *priv)
{
	struct scst_tmf_req *req;

	if (!sess->tgt->tt->tmf_done || fn > SCST_TMF_QUERY_ASYNC_EVENT)
		return -EINVAL;
	req = kzalloc(sizeof(*req), atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	INIT_WORK(&req->work, scst_tmf_work_fn);
	req->sess = sess;
	req->fn = fn;
	req->lun = lun ? scst_lun_decode(lun, lun_len) : SCST_LUN_INVALID;
	req->tag = tag;
	req->priv = priv;
	atomic_set(&req->pending, 1);
	init_completion(&req->done);
	/* Like a command, a TMF keeps its session registered. */
	atomic_inc(&sess->cmd_count);
	queue_work(scst_tmf_wq, &req->work);
	return 0;
}
EXPORT_SYMBOL_GPL(scst_rx_tmf);

/**
 * scst_tmf_init() - set up the TMF workqueue
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_tmf_init(void)
{
	/* Ordered: one TMF at a time, in arrival order. */
	scst_tmf_wq = alloc_ordered_workqueue("scst_tmf", WQ_MEM_RECLAIM);
	return scst_tmf_wq ? 0 : -ENOMEM;
}

/**
 * scst_tmf_exit() - tear down the TMF workqueue; no TMF may be pending
 *
 * Context: process, at module unload.
 */
void scst_tmf_exit(void)
{
	destroy_workqueue(scst_tmf_wq);
}
