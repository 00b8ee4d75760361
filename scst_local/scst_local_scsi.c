// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local_scsi.c - the SCSI host side of scst_local and its data path
 *
 * queuecommand() hands each scsi_cmnd to the core as an scst_cmd whose
 * driver data is the scsi_cmnd.  Write data moves in rdy_to_xfer() and read
 * data, status and sense in xmit_response(), by copying between the two
 * scatterlists, exactly where a remote transport would move them over the
 * wire.  Everything on this path may run in atomic context.
 *
 * Who may touch a scsi_cmnd: the mid-layer reuses a scsi_cmnd as soon as it
 * is completed, while the core may still hold an scst_cmd pointing to it if
 * the error handler gave up on it.  So each scsi_cmnd records the scst_cmd
 * it was handed to (&scst_local_cmd.owner).  xmit_response() claims it with
 * cmpxchg() before touching the scsi_cmnd; the error handler claims the
 * commands it gives up on in the same way.  Both hold rcu_read_lock() from
 * the claim until they are done with the scsi_cmnd, so the error handler
 * knows with synchronize_rcu() that a claim it saw has finished.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/scatterlist.h>
#include <scsi/scsi.h>
#include <scsi/scsi_cmnd.h>
#include <scsi/scsi_common.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_eh.h>
#include <scsi/scsi_host.h>

#include <scst_compat.h>

#include "scst_local.h"

/* How long the error handler waits for xmit_response() to let go of commands. */
#define SCST_LOCAL_EH_WAIT	(30 * HZ)
#define SCST_LOCAL_EH_POLL_MS	20

/**
 * struct scst_local_cmd - per-command data in each scsi_cmnd (cmd_size)
 * @owner: the scst_cmd the core is processing for this scsi_cmnd, NULL once
 *	xmit_response() or the error handler has claimed it.  The mid-layer
 *	zeroes it before each queuecommand().
 */
struct scst_local_cmd {
	struct scst_cmd *owner;
};

static struct scst_local_sess *
scst_local_host_sess(scst_local_shost_t *shost)
{
	return *(struct scst_local_sess **)shost_priv(shost);
}

static enum scst_data_direction scst_local_dir(struct scsi_cmnd *sc)
{
	switch (sc->sc_data_direction) {
	case DMA_TO_DEVICE:
		return SCST_DATA_WRITE;
	case DMA_FROM_DEVICE:
		return SCST_DATA_READ;
	case DMA_BIDIRECTIONAL:
		return SCST_DATA_BIDI;
	default:
		return SCST_DATA_NONE;
	}
}

/*
 * Context: any; never sleeps (the block layer may call it with preemption
 * disabled).
 */
static int scst_local_queuecommand(scst_local_shost_t *shost,
				   struct scsi_cmnd *sc)
{
	struct scst_local_sess *ls = scst_local_host_sess(shost);
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);
	struct scsi_lun lun;
	struct scst_cmd *cmd;

	int_to_scsilun(sc->device->lun, &lun);
	cmd = scst_rx_cmd(ls->scst_sess, lun.scsi_lun, sizeof(lun.scsi_lun),
			  sc->cmnd, sc->cmd_len, true);
	if (!cmd)
		return SCSI_MLQUEUE_HOST_BUSY;

	scst_cmd_set_tag(cmd, blk_mq_unique_tag(scsi_cmd_to_rq(sc)));
	scst_cmd_set_expected(cmd, scst_local_dir(sc), scsi_bufflen(sc));
	scst_cmd_set_tgt_priv(cmd, sc);
	/* Before the hand-over: the core may call xmit_response() at once. */
	WRITE_ONCE(lc->owner, cmd);
	scst_cmd_init_done(cmd, SCST_CONTEXT_DIRECT_ATOMIC);
	return 0;
}

/*
 * Copy up to @len bytes from @src to @dst in atomic context.  The
 * destination page is unmapped before the source iterator moves on, so the
 * atomic kmaps are always released in the reverse order of mapping.
 * Return: the bytes copied, less than @len if a list is shorter.
 */
static size_t scst_local_sg_copy(struct scatterlist *dst,
				 unsigned int dst_nents,
				 struct scatterlist *src,
				 unsigned int src_nents, size_t len)
{
	struct sg_mapping_iter s, d;
	size_t done = 0, off, n;

	sg_miter_start(&s, src, src_nents, SG_MITER_ATOMIC | SG_MITER_FROM_SG);
	sg_miter_start(&d, dst, dst_nents, SG_MITER_ATOMIC | SG_MITER_TO_SG);
	while (done < len && sg_miter_next(&s)) {
		for (off = 0; off < s.length && done < len; off += n) {
			if (!sg_miter_next(&d)) {
				s.consumed = off;
				goto out;
			}
			n = min3(s.length - off, d.length, len - done);
			memcpy(d.addr, s.addr + off, n);
			d.consumed = n;
			sg_miter_stop(&d);
			done += n;
		}
		s.consumed = off;
	}
out:
	sg_miter_stop(&d);
	sg_miter_stop(&s);
	return done;
}

/*
 * Fetch the write data from the initiator's buffer.  A command the error
 * handler has given up on is reported aborted: its scsi_cmnd may already
 * carry another command.
 *
 * Context: atomic allowed.
 */
enum scst_tgt_res scst_local_rdy_to_xfer(struct scst_cmd *cmd)
{
	struct scsi_cmnd *sc = scst_cmd_get_tgt_priv(cmd);
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);
	enum scst_rx_status status = SCST_RX_STATUS_ABORTED;
	u64 len = scst_cmd_get_write_len(cmd);
	struct scatterlist *sg;
	unsigned int nents;

	rcu_read_lock();
	if (READ_ONCE(lc->owner) == cmd) {
		sg = scst_cmd_get_sg(cmd, &nents);
		if (scst_local_sg_copy(sg, nents, scsi_sglist(sc),
				       scsi_sg_count(sc), len) == len)
			status = SCST_RX_STATUS_SUCCESS;
		else
			status = SCST_RX_STATUS_ERROR;
	}
	rcu_read_unlock();

	scst_rx_data(cmd, status, SCST_CONTEXT_DIRECT_ATOMIC);
	return SCST_TGT_RES_SUCCESS;
}

/* Move read data, residual, status and sense of @cmd into @sc. */
static void scst_local_fill_response(struct scsi_cmnd *sc,
				     struct scst_cmd *cmd)
{
	unsigned int bufflen = scsi_bufflen(sc), nents, sense_len;
	s64 resid = max_t(s64, scst_cmd_get_resid(cmd), 0);
	const u8 *sense;
	size_t copied;

	if (sc->sc_data_direction == DMA_FROM_DEVICE) {
		struct scatterlist *sg = scst_cmd_get_sg(cmd, &nents);
		u64 len = min_t(u64, scst_cmd_get_resp_len(cmd), bufflen);

		copied = len ? scst_local_sg_copy(scsi_sglist(sc),
						  scsi_sg_count(sc), sg, nents,
						  len) : 0;
		/* Whatever did not reach the initiator's buffer is residual. */
		resid = max_t(s64, resid, bufflen - copied);
	}
	scsi_set_resid(sc, min_t(s64, resid, bufflen));

	sense = scst_cmd_get_sense(cmd, &sense_len);
	if (sense && sense_len)
		memcpy(sc->sense_buffer, sense,
		       min_t(unsigned int, sense_len, SCSI_SENSE_BUFFERSIZE));

	/* Host byte DID_OK: the local "transport" never fails. */
	sc->result = scst_cmd_get_status(cmd);
}

/*
 * Deliver the response and complete both sides: the core first, so that
 * when the mid-layer sees the command end the core is done with its
 * buffers.
 *
 * Context: atomic allowed.
 */
enum scst_tgt_res scst_local_xmit_response(struct scst_cmd *cmd)
{
	struct scsi_cmnd *sc = scst_cmd_get_tgt_priv(cmd);
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	rcu_read_lock();
	if (cmpxchg(&lc->owner, cmd, NULL) == cmd) {
		if (scst_cmd_aborted(cmd))
			/*
			 * A reset aborted it: no status exists.  The mid-layer
			 * retries it, unless its error handler holds it already
			 * (then scsi_done() does nothing).
			 */
			set_host_byte(sc, DID_RESET);
		else
			scst_local_fill_response(sc, cmd);
		scst_tgt_cmd_done(cmd, SCST_CONTEXT_DIRECT_ATOMIC);
		scsi_done(sc);
	} else {
		/* The error handler gave @sc up: leave it alone. */
		scst_tgt_cmd_done(cmd, SCST_CONTEXT_DIRECT_ATOMIC);
	}
	rcu_read_unlock();
	return SCST_TGT_RES_SUCCESS;
}

/* ---------------------------------------------------------- error handler */

/*
 * The mid-layer's error handler maps onto the core's task management: an
 * abort is ABORT TASK, a device reset LOGICAL UNIT RESET, a target reset
 * TARGET RESET and a host reset I_T NEXUS RESET.  The core answers a TMF
 * once every command it aborted has left the device; the handler then
 * waits until xmit_response() has let go of those commands' scsi_cmnds
 * (it may still be running on another CPU) before the mid-layer reuses
 * them.  If even a host reset fails, the mid-layer ends the commands it
 * holds and reuses their scsi_cmnds, so the host reset handler first
 * claims those commands away from xmit_response().
 */

/* Waits on the stack of an error handler for the core's answer. */
struct scst_local_tmf {
	struct completion done;
	enum scst_tmf_status status;
};

/**
 * scst_local_tmf_done() - the core answered a TMF
 * @sess: the session
 * @priv: the struct scst_local_tmf the error handler waits on
 * @status: how it ended
 *
 * Context: process.
 */
void scst_local_tmf_done(struct scst_session *sess, void *priv,
			 enum scst_tmf_status status)
{
	struct scst_local_tmf *t = priv;

	t->status = status;
	complete(&t->done);
}

/**
 * scst_local_sess_tmf() - run a TMF on a session and wait for its answer
 * @ls: the session, which stays registered meanwhile
 * @fn: the function
 * @lun: the LUN field
 * @tag: the task (ABORT TASK, QUERY TASK)
 * @status: where the answer goes
 *
 * Without a timeout: the core answers once the aborted commands have left
 * the device, which they do, and the answer is written to this stack frame.
 *
 * Context: process; sleeps.
 * Return: 0, or what scst_rx_tmf() returned.
 */
int scst_local_sess_tmf(struct scst_local_sess *ls, enum scst_tmf_fn fn,
			const struct scsi_lun *lun, u64 tag,
			enum scst_tmf_status *status)
{
	struct scst_local_tmf t;
	int ret;

	init_completion(&t.done);
	ret = scst_rx_tmf(ls->scst_sess, fn, lun->scsi_lun,
			  sizeof(lun->scsi_lun), tag, false, &t);
	if (ret)
		return ret;
	wait_for_completion(&t.done);
	*status = t.status;
	return 0;
}

/* The error handler's TMFs, on the LUN of @sdev.  Context: process. */
static int scst_local_run_tmf(struct scsi_device *sdev, enum scst_tmf_fn fn,
			      u64 tag)
{
	enum scst_tmf_status status;
	struct scsi_lun lun;

	int_to_scsilun(sdev->lun, &lun);
	if (scst_local_sess_tmf(scst_local_host_sess(sdev->host), fn, &lun,
				tag, &status))
		return FAILED;
	return status == SCST_TMF_COMPLETE ? SUCCESS : FAILED;
}

/**
 * struct scst_local_eh_scope - the commands an error handler is about
 * @sdev:	only commands of this device, or NULL
 * @starget:	only commands of this target, or NULL
 * @busy:	commands in scope that the core still holds
 * @orphaned:	commands claimed by scst_local_orphan()
 */
struct scst_local_eh_scope {
	struct scsi_device *sdev;
	struct scsi_target *starget;
	unsigned int busy;
	unsigned int orphaned;
};

static bool scst_local_in_scope(struct scsi_cmnd *sc,
				struct scst_local_eh_scope *scope)
{
	if (scope->sdev && sc->device != scope->sdev)
		return false;
	if (scope->starget && scsi_target(sc->device) != scope->starget)
		return false;
	return true;
}

static bool scst_local_count_busy(struct scsi_cmnd *sc, void *data)
{
	struct scst_local_eh_scope *scope = data;
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	if (scst_local_in_scope(sc, scope) && READ_ONCE(lc->owner))
		scope->busy++;
	return true;
}

/*
 * Claim a command the error handler holds (its timeout marked it complete)
 * and the core has not answered, so that a late xmit_response() does not
 * touch the scsi_cmnd the mid-layer is about to reuse.
 */
static bool scst_local_orphan(struct scsi_cmnd *sc, void *data)
{
	struct scst_local_eh_scope *scope = data;
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);

	if (test_bit(SCMD_STATE_COMPLETE, &sc->state) && xchg(&lc->owner, NULL))
		scope->orphaned++;
	return true;
}

/*
 * Wait until the core no longer holds any command in @scope.  No new
 * command arrives meanwhile: the host is in recovery.  Context: process
 * (error handler thread); sleeps.
 */
static int scst_local_eh_wait(scst_local_shost_t *shost,
			      struct scst_local_eh_scope *scope)
{
	unsigned long deadline = jiffies + SCST_LOCAL_EH_WAIT;

	for (;;) {
		scope->busy = 0;
		scsi_host_busy_iter(shost, scst_local_count_busy, scope);
		if (!scope->busy)
			break;
		if (time_after(jiffies, deadline))
			return FAILED;
		msleep(SCST_LOCAL_EH_POLL_MS);
	}
	/* An xmit_response() that claimed a command may still be inside it. */
	synchronize_rcu();
	return SUCCESS;
}

static int scst_local_eh_abort(struct scsi_cmnd *sc)
{
	struct scst_local_cmd *lc = scsi_cmd_priv(sc);
	unsigned long deadline = jiffies + SCST_LOCAL_EH_WAIT;

	if (READ_ONCE(lc->owner) &&
	    scst_local_run_tmf(sc->device, SCST_TMF_ABORT_TASK,
			       blk_mq_unique_tag(scsi_cmd_to_rq(sc))) != SUCCESS)
		return FAILED;
	while (READ_ONCE(lc->owner)) {
		if (time_after(jiffies, deadline))
			return FAILED;
		msleep(SCST_LOCAL_EH_POLL_MS);
	}
	synchronize_rcu();
	return SUCCESS;
}

static int scst_local_eh_device_reset(struct scsi_cmnd *sc)
{
	struct scst_local_eh_scope scope = { .sdev = sc->device };

	if (scst_local_run_tmf(sc->device, SCST_TMF_LUN_RESET, 0) != SUCCESS)
		return FAILED;
	return scst_local_eh_wait(sc->device->host, &scope);
}

static int scst_local_eh_target_reset(struct scsi_cmnd *sc)
{
	struct scst_local_eh_scope scope = {
		.starget = scsi_target(sc->device),
	};

	if (scst_local_run_tmf(sc->device, SCST_TMF_TARGET_RESET, 0) !=
	    SUCCESS)
		return FAILED;
	return scst_local_eh_wait(sc->device->host, &scope);
}

static int scst_local_eh_host_reset(struct scsi_cmnd *sc)
{
	scst_local_shost_t *shost = sc->device->host;
	struct scst_local_eh_scope scope = {};

	if (scst_local_run_tmf(sc->device, SCST_TMF_I_T_NEXUS_RESET, 0) ==
	    SUCCESS && scst_local_eh_wait(shost, &scope) == SUCCESS)
		return SUCCESS;

	scsi_host_busy_iter(shost, scst_local_orphan, &scope);
	/* Claims xmit_response() or rdy_to_xfer() made before ours are done. */
	synchronize_rcu();
	shost_printk(KERN_WARNING, shost,
		     "%u commands still in the SCST core; giving them up\n",
		     scope.orphaned);
	return FAILED;
}

/* ---------------------------------------------------------- host and scan */

static SCST_SHT_CONST struct scsi_host_template scst_local_sht = {
	.module			= THIS_MODULE,
	.name			= SCST_LOCAL_NAME,
	.proc_name		= SCST_LOCAL_NAME,
	.queuecommand		= scst_local_queuecommand,
	.change_queue_depth	= scsi_change_queue_depth,
	.eh_abort_handler	= scst_local_eh_abort,
	.eh_device_reset_handler = scst_local_eh_device_reset,
	.eh_target_reset_handler = scst_local_eh_target_reset,
	.eh_host_reset_handler	= scst_local_eh_host_reset,
	.can_queue		= 256,
	.cmd_per_lun		= 64,
	.this_id		= -1,
	.sg_tablesize		= 1024,
	/* 4 MiB per command: large I/O without huge core buffers. */
	.max_sectors		= 8192,
	.cmd_size		= sizeof(struct scst_local_cmd),
	/* Nothing physical to settle after a reset. */
	.skip_settle_delay	= 1,
};

/**
 * scst_local_host_alloc() - allocate the SCSI host of a session
 * @ls: the session; its scst_sess must be registered
 *
 * Context: process.
 * Return: the host (not yet added), or NULL.
 */
scst_local_shost_t *scst_local_host_alloc(struct scst_local_sess *ls)
{
	scst_local_shost_t *shost;

	shost = scsi_host_alloc(&scst_local_sht, sizeof(ls));
	if (!shost)
		return NULL;
	*(struct scst_local_sess **)shost_priv(shost) = ls;
	shost->max_channel = 0;
	shost->max_id = 1;
	/*
	 * The core numbers LUNs 0..SCST_MAX_LUN; those from 256 up use the
	 * flat space method, which Linux numbers 0x4000 | LUN.  max_lun is
	 * one above the highest, as a manual scan through sysfs expects.
	 */
	shost->max_lun = (0x4000 | SCST_MAX_LUN) + 1;
	/* The core takes any CDB the mid-layer can carry. */
	shost->max_cmd_len = sizeof_field(struct scsi_cmnd, cmnd);
	/*
	 * One hardware queue per CPU, sharing the host's tags: blk-mq then
	 * completes a command that the core ended within queuecommand()
	 * right there, instead of through the block softirq, whose thread
	 * it would have to wake.
	 */
	shost->nr_hw_queues = nr_cpu_ids;
	shost->host_tagset = 1;
	return shost;
}

/**
 * scst_local_rescan_work() - follow a change of the session's LUNs
 * @work: &scst_local_sess.rescan_work
 *
 * Removes the devices whose LUN left the group, then scans for new ones.
 * Teardown cancels this work before it removes the host.
 *
 * Context: process (workqueue); sleeps.
 */
void scst_local_rescan_work(struct work_struct *work)
{
	struct scst_local_sess *ls = container_of(work, struct scst_local_sess,
						  rescan_work);
	scst_local_shost_t *shost = ls->shost;
	struct scsi_device *sdev;
	struct scsi_lun lun;
	u64 n;

	shost_for_each_device(sdev, shost) {
		int_to_scsilun(sdev->lun, &lun);
		n = scst_lun_decode(lun.scsi_lun, sizeof(lun.scsi_lun));
		if (n == SCST_LUN_INVALID ||
		    !scst_sess_has_lun(ls->scst_sess, n))
			scsi_remove_device(sdev);
	}
	scsi_scan_target(&shost->shost_gendev, 0, 0, SCAN_WILD_CARD,
			 SCSI_SCAN_RESCAN);
}
