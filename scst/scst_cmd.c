// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cmd.c - the life cycle of a SCSI command
 *
 * A command moves through the states of enum scst_cmd_state.  scst_cmd_run()
 * advances it as far as it can in the current context and stops when the
 * command is handed to a target driver or a device handler, or when the
 * next step needs a context the current one is not (a callback that may
 * sleep, called from atomic context): then the command continues in a core
 * thread.  The fast path (driver -> handler -> driver) thus runs without a
 * context switch wherever the driver and the handler allow it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "scst_core.h"

static struct kmem_cache *scst_cmd_cache;
/* Delay before sending a response again that the driver had no room for. */
#define SCST_QUEUE_FULL_RETRY	msecs_to_jiffies(2)
/* Core threads: commands continued in process context. */
static struct workqueue_struct *scst_wq;
/* Most core threads that run commands at once (/proc/scsi_tgt/threads). */
unsigned int scst_threads = SCST_DEFAULT_THREADS;

/* Commands continued in softirq context on each CPU. */
struct scst_tasklet {
	spinlock_t lock;		/* protects @cmds */
	struct list_head cmds;
	struct tasklet_struct tasklet;
};

static DEFINE_PER_CPU(struct scst_tasklet, scst_tasklets);

/*
 * Statistics for /proc/scsi_tgt/stats: commands received, and how often
 * one had to continue in a core thread (a context switch the fast path
 * avoids).  Per CPU, so that counting costs no shared cache line.
 */
static DEFINE_PER_CPU(unsigned long, scst_stat_cmds);
static DEFINE_PER_CPU(unsigned long, scst_stat_thread_switches);

/* Continue @cmd in a core thread. */
static void scst_cmd_to_thread(struct scst_cmd *cmd)
{
	this_cpu_inc(scst_stat_thread_switches);
	queue_delayed_work(scst_wq, &cmd->work, 0);
}

static unsigned long scst_stat_sum(unsigned long __percpu *stat)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(stat, cpu);
	return sum;
}

/**
 * scst_cmd_stats() - command path statistics, for /proc/scsi_tgt/stats
 * @cmds: commands received since the module was loaded
 * @thread_switches: times a command was moved to a core thread
 *
 * Context: any; takes no locks (the sums are not atomic snapshots).
 */
void scst_cmd_stats(unsigned long *cmds, unsigned long *thread_switches)
{
	*cmds = scst_stat_sum(&scst_stat_cmds);
	*thread_switches = scst_stat_sum(&scst_stat_thread_switches);
}

/**
 * scst_cmd_set_threads() - how many core threads may run commands at once
 * @n: 1 .. %SCST_MAX_THREADS
 *
 * Context: process.
 */
void scst_cmd_set_threads(unsigned int n)
{
	workqueue_set_max_active(scst_wq, n);
	scst_threads = n;
}

static void scst_cmd_run(struct scst_cmd *cmd, bool atomic);

static void scst_cmd_work_fn(struct work_struct *work)
{
	scst_cmd_run(container_of(to_delayed_work(work), struct scst_cmd,
				  work), false);
}

static void scst_tasklet_fn(struct tasklet_struct *t)
{
	struct scst_tasklet *st = from_tasklet(st, t, tasklet);
	struct scst_cmd *cmd;
	unsigned long flags;
	LIST_HEAD(cmds);

	spin_lock_irqsave(&st->lock, flags);
	list_splice_init(&st->cmds, &cmds);
	spin_unlock_irqrestore(&st->lock, flags);

	while (!list_empty(&cmds)) {
		cmd = list_first_entry(&cmds, struct scst_cmd, tasklet_entry);
		list_del(&cmd->tasklet_entry);
		scst_cmd_run(cmd, true);
	}
}

/* Continue @cmd in the context the caller chose. */
static void scst_cmd_dispatch(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	struct scst_tasklet *st;
	unsigned long flags;

	switch (ctx) {
	case SCST_CONTEXT_DIRECT:
		scst_cmd_run(cmd, false);
		break;
	case SCST_CONTEXT_DIRECT_ATOMIC:
		scst_cmd_run(cmd, true);
		break;
	case SCST_CONTEXT_TASKLET:
		local_irq_save(flags);
		st = this_cpu_ptr(&scst_tasklets);
		spin_lock(&st->lock);
		list_add_tail(&cmd->tasklet_entry, &st->cmds);
		spin_unlock(&st->lock);
		tasklet_schedule(&st->tasklet);
		local_irq_restore(flags);
		break;
	case SCST_CONTEXT_THREAD:
	default:
		scst_cmd_to_thread(cmd);
		break;
	}
}

/* ---------------------------------------------------------------- driver API */

struct scst_cmd *scst_rx_cmd(struct scst_session *sess, const u8 *lun,
			     unsigned int lun_len, const u8 *cdb,
			     unsigned int cdb_len, bool atomic)
{
	gfp_t gfp = atomic ? GFP_ATOMIC : GFP_KERNEL;
	struct scst_cmd *cmd;
	unsigned long flags;

	if (!cdb_len || cdb_len > SCST_MAX_CDB_SIZE)
		return NULL;
	cmd = kmem_cache_zalloc(scst_cmd_cache, gfp);
	if (!cmd)
		return NULL;
	if (cdb_len > sizeof(cmd->cdb_buf)) {
		cmd->cdb = kmemdup(cdb, cdb_len, gfp);
		if (!cmd->cdb) {
			kmem_cache_free(scst_cmd_cache, cmd);
			return NULL;
		}
	} else {
		cmd->cdb = cmd->cdb_buf;
		memcpy(cmd->cdb_buf, cdb, cdb_len);
	}
	cmd->cdb_len = cdb_len;
	cmd->sess = sess;
	cmd->gfp_atomic = atomic;
	cmd->lun = scst_lun_decode(lun, lun_len);
	cmd->state = SCST_CMD_STATE_INIT;
	INIT_DELAYED_WORK(&cmd->work, scst_cmd_work_fn);
	this_cpu_inc(scst_stat_cmds);
	atomic_inc(&sess->cmd_count);
	spin_lock_irqsave(&sess->cmd_lock, flags);
	list_add_tail(&cmd->sess_entry, &sess->cmd_list);
	spin_unlock_irqrestore(&sess->cmd_lock, flags);
	return cmd;
}
EXPORT_SYMBOL_GPL(scst_rx_cmd);

void scst_cmd_set_tag(struct scst_cmd *cmd, u64 tag)
{
	cmd->tag = tag;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_tag);

void scst_cmd_set_task_attr(struct scst_cmd *cmd, enum scst_task_attr attr)
{
	cmd->attr = attr;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_task_attr);

void scst_cmd_set_expected(struct scst_cmd *cmd, enum scst_data_direction dir,
			   u64 len)
{
	cmd->exp_dir = dir;
	cmd->exp_len = dir == SCST_DATA_NONE ? 0 : len;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_expected);

void scst_cmd_set_tgt_priv(struct scst_cmd *cmd, void *priv)
{
	cmd->tgt_priv = priv;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_tgt_priv);

void *scst_cmd_get_tgt_priv(struct scst_cmd *cmd)
{
	return cmd->tgt_priv;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_tgt_priv);

void scst_cmd_init_done(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	scst_cmd_dispatch(cmd, ctx);
}
EXPORT_SYMBOL_GPL(scst_cmd_init_done);

void scst_rx_data(struct scst_cmd *cmd, enum scst_rx_status status,
		  enum scst_exec_context ctx)
{
	if (WARN_ON_ONCE(cmd->state != SCST_CMD_STATE_DATA_WAIT))
		return;
	if (status == SCST_RX_STATUS_SUCCESS) {
		cmd->state = SCST_CMD_STATE_EXEC;
	} else {
		/* ABORTED COMMAND / DATA PHASE ERROR (SAM-5). */
		scst_cmd_set_sense(cmd, 0xb, 0x4b, 0x00);
		cmd->state = SCST_CMD_STATE_XMIT;
	}
	scst_cmd_dispatch(cmd, ctx);
}
EXPORT_SYMBOL_GPL(scst_rx_data);

/**
 * scst_cmd_continue() - continue a command that was parked, in a thread
 * @cmd: the command
 *
 * Context: any.
 */
void scst_cmd_continue(struct scst_cmd *cmd)
{
	scst_cmd_dispatch(cmd, SCST_CONTEXT_THREAD);
}

/*
 * The command is done with its device (its response is ready, or it is
 * being freed): let the commands it held back in the task set run, and
 * tell a TMF that waits for it.
 */
static void scst_cmd_leave_device(struct scst_cmd *cmd)
{
	struct scst_order_entry *e, *tmp;
	LIST_HEAD(ready);

	/*
	 * A TMF that marks the command after this finds it finished, or its
	 * abort_req is taken in scst_cmd_free() (the two race without a lock).
	 */
	if (unlikely(cmd->status == SAM_STAT_CHECK_CONDITION) &&
	    !cmd->finished) {
		scst_aca_establish(cmd);
		/* Finished first: what QErr aborts is never the command. */
		WRITE_ONCE(cmd->finished, true);
		scst_tmf_qerr(cmd);
	}
	WRITE_ONCE(cmd->finished, true);
	if (unlikely(READ_ONCE(cmd->abort_req)))
		scst_cmd_abort_finished(cmd);
	if (!cmd->in_task_set)
		return;
	cmd->in_task_set = false;
	scst_order_leave(&cmd->tgt_dev->dev->order, &cmd->order, &ready);
	list_for_each_entry_safe(e, tmp, &ready, ready) {
		list_del(&e->ready);
		scst_cmd_continue(container_of(e, struct scst_cmd, order));
	}
}

static void scst_cmd_free(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	struct scst_tgt_template *tt = sess->tgt->tt;

	unsigned long flags;

	scst_cmd_leave_device(cmd);
	spin_lock_irqsave(&sess->cmd_lock, flags);
	list_del(&cmd->sess_entry);
	spin_unlock_irqrestore(&sess->cmd_lock, flags);
	/*
	 * A TMF marks only commands on the list, under cmd_lock, and may have
	 * read @finished before scst_cmd_leave_device() wrote it: now that the
	 * command is off the list, abort_req is final and visible here.
	 */
	if (unlikely(READ_ONCE(cmd->abort_req)))
		scst_cmd_abort_finished(cmd);
	if (tt->on_free_cmd)
		tt->on_free_cmd(cmd);
	if (cmd->sgv)
		scst_sgv_put(cmd->sgv);
	if (cmd->tgt_dev)
		scst_tgt_dev_put(cmd->tgt_dev);
	if (cmd->cdb != cmd->cdb_buf)
		kfree(cmd->cdb);
	kmem_cache_free(scst_cmd_cache, cmd);
	scst_sess_cmd_done(sess);
}

void scst_tgt_cmd_done(struct scst_cmd *cmd, enum scst_exec_context ctx)
{
	/* Freeing never sleeps, so every context may do it right away. */
	scst_cmd_free(cmd);
}
EXPORT_SYMBOL_GPL(scst_tgt_cmd_done);

enum scst_data_direction scst_cmd_get_data_direction(struct scst_cmd *cmd)
{
	return cmd->parse.dir;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_data_direction);

struct scatterlist *scst_cmd_get_sg(struct scst_cmd *cmd, unsigned int *nents)
{
	*nents = cmd->sg_cnt;
	return cmd->sg;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_sg);

u64 scst_cmd_get_write_len(struct scst_cmd *cmd)
{
	return cmd->write_len;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_write_len);

u64 scst_cmd_get_resp_len(struct scst_cmd *cmd)
{
	if (cmd->parse.dir != SCST_DATA_READ)
		return 0;
	return min(cmd->resp_len, cmd->exp_len);
}
EXPORT_SYMBOL_GPL(scst_cmd_get_resp_len);

s64 scst_cmd_get_resid(struct scst_cmd *cmd)
{
	switch (cmd->parse.dir) {
	case SCST_DATA_READ:
		return (s64)cmd->exp_len - (s64)cmd->resp_len;
	case SCST_DATA_WRITE:
		return (s64)cmd->exp_len - (s64)cmd->write_cdb_len;
	default:
		return cmd->exp_len;
	}
}
EXPORT_SYMBOL_GPL(scst_cmd_get_resid);

u8 scst_cmd_get_status(struct scst_cmd *cmd)
{
	return cmd->status;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_status);

const u8 *scst_cmd_get_sense(struct scst_cmd *cmd, unsigned int *len)
{
	*len = cmd->sense_len;
	return cmd->sense;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_sense);

/* ---------------------------------------------------------------- handler API */

struct scst_device *scst_cmd_get_dev(struct scst_cmd *cmd)
{
	return cmd->tgt_dev ? cmd->tgt_dev->dev : NULL;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_dev);

const u8 *scst_cmd_get_cdb(struct scst_cmd *cmd, unsigned int *len)
{
	*len = cmd->cdb_len;
	return cmd->cdb;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_cdb);

int scst_cmd_parse_generic(struct scst_cmd *cmd, u32 block_size)
{
	u8 type = cmd->tgt_dev ? cmd->tgt_dev->dev->type : TYPE_DISK;
	int ret;

	ret = scst_cdb_parse(cmd->cdb, cmd->cdb_len, type, block_size,
			     &cmd->parse);
	if (ret) {
		if (cmd->parse.asc == 0x24)
			scst_cmd_set_sense_field(cmd, cmd->parse.field_byte,
						 cmd->parse.field_bit);
		else
			scst_cmd_set_sense(cmd, 0x5, cmd->parse.asc,
					   cmd->parse.ascq);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(scst_cmd_parse_generic);

void scst_cmd_set_exec_atomic(struct scst_cmd *cmd)
{
	cmd->exec_atomic = true;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_exec_atomic);

const struct scst_cdb_parse *scst_cmd_get_parse(struct scst_cmd *cmd)
{
	return &cmd->parse;
}
EXPORT_SYMBOL_GPL(scst_cmd_get_parse);

void scst_cmd_set_resp_len(struct scst_cmd *cmd, u64 len)
{
	cmd->resp_len = min(len, cmd->buf_len);
}
EXPORT_SYMBOL_GPL(scst_cmd_set_resp_len);

void scst_cmd_exec_done(struct scst_cmd *cmd)
{
	struct scst_tgt_template *tt = cmd->sess->tgt->tt;

	cmd->state = SCST_CMD_STATE_XMIT;
	/*
	 * Called from inside exec() by the thread the core ran it in: that
	 * thread may sleep, so the response goes out from here, without a
	 * second trip through a core thread.  preemptible() is false where
	 * the kernel cannot tell (no preempt count), and under a spinlock.
	 */
	if (cmd->exec_thread == current && preemptible())
		scst_cmd_run(cmd, false);
	/* Otherwise the context is unknown: only an atomic-safe driver goes on. */
	else if (tt->xmit_response_atomic)
		scst_cmd_run(cmd, true);
	else
		scst_cmd_dispatch(cmd, SCST_CONTEXT_THREAD);
}
EXPORT_SYMBOL_GPL(scst_cmd_exec_done);

void scst_cmd_exec_done_later(struct scst_cmd *cmd)
{
	struct scst_tgt_template *tt = cmd->sess->tgt->tt;

	cmd->state = SCST_CMD_STATE_XMIT;
	/*
	 * Never nested in the caller: it may hold another subsystem's locks
	 * (a block queue's flush lock around bio_endio()), and the response
	 * may end in that same subsystem (scst_local -> sd -> blk-mq).
	 */
	scst_cmd_dispatch(cmd, tt->xmit_response_atomic ? SCST_CONTEXT_TASKLET :
			  SCST_CONTEXT_THREAD);
}
EXPORT_SYMBOL_GPL(scst_cmd_exec_done_later);

bool scst_cmd_atomic(struct scst_cmd *cmd)
{
	return cmd->run_atomic;
}
EXPORT_SYMBOL_GPL(scst_cmd_atomic);

/* ---------------------------------------------------------------- states */

/**
 * scst_cmd_alloc_buf() - give a command a data buffer of @len bytes
 * @cmd: the command
 * @len: buffer size
 *
 * The buffer comes from the cache (scst_sgv.c) and is not zeroed.
 *
 * Context: any; allocates atomically if the command arrived atomically.
 * Return: 0 or -ENOMEM.
 */
int scst_cmd_alloc_buf(struct scst_cmd *cmd, u64 len)
{
	gfp_t gfp = cmd->gfp_atomic ? GFP_ATOMIC : GFP_KERNEL;

	if (!len || cmd->sg)
		return 0;
	cmd->sgv = scst_sgv_get(len, gfp, &cmd->sg, &cmd->sg_cnt);
	if (!cmd->sgv)
		return -ENOMEM;
	cmd->buf_len = len;
	return 0;
}

/* INIT: find the LUN; some commands the core answers for every LUN. */
static void scst_cmd_state_init(struct scst_cmd *cmd)
{
	u8 opcode = cmd->cdb[0];

	cmd->state = SCST_CMD_STATE_PARSE;
	if (cmd->lun != SCST_LUN_INVALID)
		cmd->tgt_dev = scst_tgt_dev_get(cmd->sess, cmd->lun);

	if (opcode == REPORT_LUNS) {
		scst_emulate_report_luns(cmd);
		return;
	}
	if (!cmd->tgt_dev) {
		scst_emulate_no_lun(cmd);
		return;
	}
	if (scst_aca_check(cmd)) {
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (opcode == REQUEST_SENSE) {
		scst_emulate_request_sense(cmd);
		return;
	}
	if (opcode != INQUIRY && scst_ua_deliver(cmd)) {
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (opcode == MAINTENANCE_IN &&
	    (cmd->cdb[1] & 0x1f) == MI_REPORT_SUPPORTED_OPERATION_CODES) {
		scst_emulate_rsoc(cmd);
		return;
	}
	/* For the handler: its place in the task set is its arrival. */
	if (scst_order_enter(&cmd->tgt_dev->dev->order, &cmd->order,
			     cmd->attr)) {
		cmd->status = SAM_STAT_TASK_SET_FULL;
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	cmd->in_task_set = true;
}

/* PARSE: the handler decides direction and length. */
static void scst_cmd_state_parse(struct scst_cmd *cmd)
{
	struct scst_dev_type *handler = cmd->tgt_dev->dev->handler;

	cmd->state = SCST_CMD_STATE_PREPARE_SPACE;
	if (scst_res_core_cmd(cmd->cdb[0])) {
		/* Reservations are the core's, whatever the handler. */
		if (scst_cmd_parse_generic(cmd, 512)) {
			cmd->exec = SCST_EXEC_SENSE;
			return;
		}
		cmd->exec = SCST_EXEC_CORE;
	} else if (handler->parse(cmd)) {
		if (!cmd->status)
			scst_cmd_set_sense(cmd, 0x5, 0x20, 0x00);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (cmd->tgt_dev->read_only && cmd->parse.op &&
	    cmd->parse.op->writes_medium) {
		/* DATA PROTECT, WRITE PROTECTED */
		scst_cmd_set_sense(cmd, 0x7, 0x27, 0x00);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (scst_res_check(cmd))
		cmd->exec = SCST_EXEC_SENSE;
}

/*
 * The initiator offers less write data than the CDB asks for (an
 * overflow).  A write of logical blocks writes the whole blocks it sent,
 * as iSCSI initiators expect (RFC 7143 11.4.5.2: the rest is reported as
 * residual overflow); nothing to write ends it at once with GOOD.  Any
 * other command is refused.  Returns true if the command is settled.
 */
static bool scst_cmd_write_truncate(struct scst_cmd *cmd)
{
	struct scst_cdb_parse *p = &cmd->parse;
	u64 block;

	if (p->op->len_unit != SCST_LEN_BLOCKS || !p->len) {
		scst_cmd_set_sense_field(cmd, p->op->len_off, 7);
		cmd->exec = SCST_EXEC_SENSE;
		return true;
	}
	block = div_u64(p->data_len, p->len);
	p->len = div64_u64(cmd->exp_len, block);
	p->data_len = p->len * block;
	if (p->len)
		return false;
	cmd->exec = SCST_EXEC_EMULATED;
	return true;
}

/* PREPARE_SPACE: a buffer for the data, sized by what the CDB says. */
static void scst_cmd_state_prepare_space(struct scst_cmd *cmd)
{
	struct scst_cdb_parse *p = &cmd->parse;

	cmd->state = SCST_CMD_STATE_EXEC;
	if (p->data_len > SCST_MAX_DATA_LEN) {
		scst_cmd_set_sense_field(cmd, p->op ? p->op->len_off : 0, 7);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (p->dir == SCST_DATA_WRITE) {
		cmd->write_cdb_len = p->data_len;
		if (cmd->exp_len < p->data_len && scst_cmd_write_truncate(cmd))
			return;
		cmd->write_len = p->data_len;
		cmd->state = SCST_CMD_STATE_RDY_TO_XFER;
	}
	if (scst_cmd_alloc_buf(cmd, p->data_len)) {
		/* BUSY lets the initiator retry once memory is back. */
		cmd->status = SAM_STAT_BUSY;
		cmd->exec = SCST_EXEC_SENSE;
		cmd->state = SCST_CMD_STATE_EXEC;
	}
}

static bool scst_parse_atomic(struct scst_cmd *cmd)
{
	struct scst_dev_type *handler = cmd->tgt_dev->dev->handler;

	return handler->parse_atomic || handler->exec_atomic;
}

/*
 * Advance @cmd as far as the current context allows.  @atomic: the caller
 * may not sleep.
 */
static void scst_cmd_run(struct scst_cmd *cmd, bool atomic)
{
	struct scst_tgt_template *tt = cmd->sess->tgt->tt;
	enum scst_tgt_res res;

	cmd->run_atomic = atomic;
	for (;;) {
		/* Aborted before it ran: it never will; on to the driver. */
		if (unlikely(READ_ONCE(cmd->aborted)) &&
		    cmd->state < SCST_CMD_STATE_EXEC_WAIT &&
		    cmd->state != SCST_CMD_STATE_DATA_WAIT)
			cmd->state = SCST_CMD_STATE_XMIT;
		switch (cmd->state) {
		case SCST_CMD_STATE_INIT:
			scst_cmd_state_init(cmd);
			if (cmd->exec != SCST_EXEC_HANDLER)
				cmd->state = cmd->exec == SCST_EXEC_SENSE ?
					SCST_CMD_STATE_XMIT : SCST_CMD_STATE_EXEC;
			break;
		case SCST_CMD_STATE_PARSE:
			if (atomic && !scst_parse_atomic(cmd))
				goto need_thread;
			scst_cmd_state_parse(cmd);
			if (cmd->exec == SCST_EXEC_SENSE)
				cmd->state = SCST_CMD_STATE_XMIT;
			break;
		case SCST_CMD_STATE_PREPARE_SPACE:
			scst_cmd_state_prepare_space(cmd);
			if (cmd->exec == SCST_EXEC_SENSE)
				cmd->state = SCST_CMD_STATE_XMIT;
			break;
		case SCST_CMD_STATE_RDY_TO_XFER:
			if (atomic && !tt->rdy_to_xfer_atomic)
				goto need_thread;
			cmd->state = SCST_CMD_STATE_DATA_WAIT;
			/*
			 * Pairs with scst_tmf_abort_sess(): either it sees
			 * DATA_WAIT and tells the driver, or the driver sees
			 * the abort in rdy_to_xfer().
			 */
			smp_mb();
			res = tt->rdy_to_xfer(cmd);
			if (res == SCST_TGT_RES_SUCCESS)
				return;
			cmd->state = SCST_CMD_STATE_RDY_TO_XFER;
			if (res == SCST_TGT_RES_NEED_THREAD && atomic)
				goto need_thread;
			/* No second chance for the data phase yet. */
			scst_cmd_set_sense(cmd, 0xb, 0x4b, 0x00);
			cmd->state = SCST_CMD_STATE_XMIT;
			break;
		case SCST_CMD_STATE_EXEC:
			if (cmd->exec == SCST_EXEC_EMULATED) {
				cmd->state = SCST_CMD_STATE_XMIT;
				break;
			}
			/* Held back by the task set: its leaver resumes it. */
			if (cmd->in_task_set && !cmd->order.may_run &&
			    !scst_order_may_run(&cmd->tgt_dev->dev->order,
						&cmd->order))
				return;
			if (cmd->exec == SCST_EXEC_CORE) {
				/* Rare, and it allocates: never atomic. */
				if (atomic)
					goto need_thread;
				scst_res_exec(cmd);
				cmd->state = SCST_CMD_STATE_XMIT;
				break;
			}
			if (atomic && !cmd->exec_atomic &&
			    !cmd->tgt_dev->dev->handler->exec_atomic)
				goto need_thread;
			cmd->state = SCST_CMD_STATE_EXEC_WAIT;
			cmd->exec_thread = atomic ? NULL : current;
			cmd->tgt_dev->dev->handler->exec(cmd);
			return;
		case SCST_CMD_STATE_XMIT:
			scst_cmd_leave_device(cmd);
			if (unlikely(cmd->aborted))
				scst_cmd_abort_status(cmd);
			if (unlikely(cmd->status) && cmd->tgt_dev)
				scst_ua_after_status(cmd);
			if (atomic && !tt->xmit_response_atomic)
				goto need_thread;
			if (unlikely(READ_ONCE(scst_trace_flags)))
				scst_trace_cmd(cmd);
			cmd->state = SCST_CMD_STATE_XMIT_WAIT;
			res = tt->xmit_response(cmd);
			if (res == SCST_TGT_RES_SUCCESS)
				return;
			cmd->state = SCST_CMD_STATE_XMIT;
			if (res == SCST_TGT_RES_NEED_THREAD && atomic)
				goto need_thread;
			if (res == SCST_TGT_RES_QUEUE_FULL) {
				/* Try again when the driver had time to drain. */
				this_cpu_inc(scst_stat_thread_switches);
				queue_delayed_work(scst_wq, &cmd->work,
						   SCST_QUEUE_FULL_RETRY);
				return;
			}
			/* The driver cannot deliver it: nobody will; free it. */
			pr_warn_ratelimited("%s: cannot send the response of a command\n",
					    tt->name);
			scst_cmd_free(cmd);
			return;
		default:
			WARN_ONCE(1, "command in state %d run\n", cmd->state);
			return;
		}
	}

need_thread:
	scst_cmd_to_thread(cmd);
}

/**
 * scst_cmd_init() - set up the command path
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_cmd_init(void)
{
	int cpu;

	scst_cmd_cache = KMEM_CACHE(scst_cmd, SLAB_HWCACHE_ALIGN);
	if (!scst_cmd_cache)
		return -ENOMEM;
	scst_wq = alloc_workqueue("scst", WQ_MEM_RECLAIM | WQ_HIGHPRI,
				  scst_threads);
	if (!scst_wq) {
		kmem_cache_destroy(scst_cmd_cache);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct scst_tasklet *st = per_cpu_ptr(&scst_tasklets, cpu);

		spin_lock_init(&st->lock);
		INIT_LIST_HEAD(&st->cmds);
		tasklet_setup(&st->tasklet, scst_tasklet_fn);
	}
	return 0;
}

/**
 * scst_cmd_exit() - tear down the command path; no command may be left
 *
 * Context: process, at module unload.
 */
void scst_cmd_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu_ptr(&scst_tasklets, cpu)->tasklet);
	destroy_workqueue(scst_wq);
	kmem_cache_destroy(scst_cmd_cache);
}
