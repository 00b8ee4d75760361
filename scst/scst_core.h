/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_core.h - the objects of the command path, private to scst.ko
 *
 * Lifetimes: a command holds a reference on its session and on the
 * (session, LUN) nexus it addresses; the nexus holds its device.  So a
 * command can never outlive what it points to, and unregistering a session
 * or a device waits for the references to drop.
 */
#ifndef __SCST_CORE_H
#define __SCST_CORE_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "scst_priv.h"

#define SCST_SENSE_BUFFERSIZE	96
/* The most data one command may move; larger transfers are refused. */
#define SCST_MAX_DATA_LEN	(32U << 20)

/* ---------------------------------------------------------------- targets */

/**
 * struct scst_tgt - a target port of a target driver
 * @tt: its driver
 * @tt_entry: on @tt->tgt_list, under scst_config_mutex
 * @sess_list: its sessions (struct scst_session), under scst_config_mutex
 * @name: immutable
 */
struct scst_tgt {
	struct scst_tgt_template *tt;
	struct list_head tt_entry;
	struct list_head sess_list;
	char *name;
};

/* ---------------------------------------------------------------- devices */

/**
 * struct scst_device - a logical unit's device, real or virtual
 * @handler: its device handler
 * @priv: the handler's data
 * @entry: on scst_dev_list, under scst_config_mutex
 * @nexus_count: (session, LUN) nexuses that use it, plus one held by the
 *	device itself until it is unregistered
 * @unused: completed when @nexus_count drops to zero (a completion, not a
 *	wait queue, so that the waiter may free the device right away)
 * @tgt_dev_lock: protects @tgt_dev_list; irq-safe, since a nexus is
 *	unlinked by its last reference, which a command may drop in any context
 * @tgt_dev_list: every nexus (struct scst_tgt_dev) of the device, so that a
 *	change of shared state reaches all initiators (unit attentions)
 * @order: the task set: task attributes and depth (scst_order.c)
 * @d_sense: the control mode page's D_SENSE: report descriptor format sense
 *	data.  Written by MODE SELECT, read locklessly by every command that
 *	builds sense data (a command sees the old or the new value).
 * @tas: the control mode page's TAS: a command aborted by another nexus
 *	ends in TASK ABORTED instead of silently.  Lockless, like @d_sense.
 * @qerr: the control mode page's QErr (0, 1 or 3): which commands a CHECK
 *	CONDITION aborts (none, every nexus', its own nexus').  Lockless.
 * @ua_intlck_ctrl: the control mode page's UA_INTLCK_CTRL (0, 2 or 3):
 *	whether a unit attention survives its CHECK CONDITION, and whether
 *	BUSY, TASK SET FULL and RESERVATION CONFLICT leave one.  Lockless.
 * @aca_lock: protects @aca_nexus; irq-safe (commands check it in any
 *	context)
 * @aca_nexus: the faulted nexus while the device is in ACA, else NULL.
 *	Compared, never dereferenced: the nexus clears it before it is freed.
 *	Also read without the lock as a hint that no ACA exists.
 * @type: SCSI peripheral device type
 * @name: immutable
 */
struct scst_device {
	struct scst_dev_type *handler;
	void *priv;
	struct list_head entry;
	atomic_t nexus_count;
	struct completion unused;
	spinlock_t tgt_dev_lock;	/* protects tgt_dev_list; irq-safe */
	struct list_head tgt_dev_list;
	struct scst_order order;
	bool d_sense;
	bool tas;
	u8 qerr;
	u8 ua_intlck_ctrl;
	spinlock_t aca_lock;	/* protects aca_nexus; irq-safe */
	struct scst_tgt_dev *aca_nexus;
	/*
	 * Reservations (scst_res.c).  @res_holder and @pr.reserved are also
	 * read without the lock, as hints that nothing is reserved.
	 */
	spinlock_t res_lock;	/* protects res_holder and pr; irq-safe */
	struct scst_tgt_dev *res_holder;	/* of RESERVE(6/10), or NULL */
	struct scst_pr pr;
	/*
	 * Serialises PERSISTENT RESERVE OUT, the only writer of @pr, with
	 * the saving of @pr (scst_pr_file.c); protects the three below.
	 */
	struct mutex pr_mutex;
	bool pr_aptpl;		/* the last REGISTER had APTPL set */
	bool pr_saved;		/* the newest saved state has APTPL set */
	u64 pr_seq;		/* sequence number of the newest saved state */
	u8 type;
	char name[];
};

/**
 * struct scst_acg_dev - one LUN of an access group
 * @dev: the device
 * @lun: its LUN number in the group
 * @read_only: writes through this LUN are refused
 * @rcu: freed after a grace period (the group's @luns is read under RCU)
 */
struct scst_acg_dev {
	struct scst_device *dev;
	u64 lun;
	bool read_only;
	struct rcu_head rcu;
};

/* ---------------------------------------------------------------- sessions */

/**
 * struct scst_tgt_dev - an I_T_L nexus: a session's view of one LUN
 * @sess: the session
 * @dev: the device (holds one of its @nexus_count)
 * @lun: LUN number
 * @read_only: from the group's LUN
 * @refcount: the session's table holds one, each command one more
 * @ua: its pending unit attentions
 * @dev_entry: on @dev->tgt_dev_list, under @dev->tgt_dev_lock
 * @rcu: freed after a grace period (looked up under RCU)
 */
struct scst_tgt_dev {
	struct scst_session *sess;
	struct scst_device *dev;
	struct list_head dev_entry;
	u64 lun;
	bool read_only;
	refcount_t refcount;
	struct scst_uaq ua;
	struct rcu_head rcu;
};

/**
 * struct scst_session - an I_T nexus
 * @tgt: its target
 * @acg: the access group chosen from the initiator name at registration
 * @tgt_priv: the target driver's data
 * @tgt_entry: on @tgt->sess_list, under scst_config_mutex
 * @tgt_devs: struct scst_tgt_dev by LUN number; read under RCU by the
 *	command path, changed under scst_config_mutex
 * @cmd_count: commands received and not yet freed, plus one held by the
 *	session itself until it is unregistered
 * @drained: completed when @cmd_count drops to zero
 * @cmd_lock: protects @cmd_list; irq-safe
 * @cmd_list: the session's commands (struct scst_cmd), for task management
 * @initiator_name: immutable
 */
struct scst_session {
	struct scst_tgt *tgt;
	struct scst_acg *acg;
	void *tgt_priv;
	struct list_head tgt_entry;
	struct xarray tgt_devs;
	atomic_t cmd_count;
	struct completion drained;
	spinlock_t cmd_lock;	/* protects cmd_list; irq-safe */
	struct list_head cmd_list;
	char *initiator_name;
};

/* ---------------------------------------------------------------- commands */

/*
 * The states of a command, in the order a command goes through them.  The
 * *_WAIT states are the ones in which somebody else (target driver,
 * handler) owns the command and will hand it back.
 */
enum scst_cmd_state {
	SCST_CMD_STATE_INIT,		/* LUN lookup, UA, central emulation */
	SCST_CMD_STATE_PARSE,		/* handler: direction and length */
	SCST_CMD_STATE_PREPARE_SPACE,	/* data buffer */
	SCST_CMD_STATE_RDY_TO_XFER,	/* ask the driver for write data */
	SCST_CMD_STATE_DATA_WAIT,	/* driver is fetching it */
	SCST_CMD_STATE_EXEC,		/* hand to the handler or emulate */
	SCST_CMD_STATE_EXEC_WAIT,	/* handler is executing */
	SCST_CMD_STATE_XMIT,		/* response to the driver */
	SCST_CMD_STATE_XMIT_WAIT,	/* driver is sending it */
};

/* Whether, and how, a task management function aborted a command. */
enum scst_cmd_abort {
	SCST_CMD_NOT_ABORTED,
	SCST_CMD_ABORTED,		/* ends without status */
	SCST_CMD_ABORTED_TAS,		/* ends in TASK ABORTED (TAS=1) */
};

/* How a command is executed once its data is there. */
enum scst_cmd_exec {
	SCST_EXEC_HANDLER,		/* the device handler's exec() */
	SCST_EXEC_EMULATED,		/* the core built the response already */
	SCST_EXEC_SENSE,		/* ends with the sense already set */
	SCST_EXEC_CORE,			/* the core executes it (scst_res.c) */
};

/**
 * struct scst_cmd - one SCSI command
 *
 * Owned by exactly one party at a time (target driver, core, handler), as
 * @state says; fields are written only by the owner, so the command needs
 * no lock of its own.
 */
struct scst_cmd {
	struct scst_session *sess;
	struct scst_tgt_dev *tgt_dev;
	enum scst_cmd_state state;
	enum scst_cmd_exec exec;
	bool gfp_atomic;
	bool exec_atomic;	/* exec() may run in atomic context */
	bool run_atomic;	/* the core runs it where it may not sleep */
	/* the thread that called exec() where it may sleep, else NULL */
	struct task_struct *exec_thread;
	bool in_task_set;	/* @order is in the device's task set */
	struct scst_order_entry order;
	/*
	 * Task management: @aborted is written under sess->cmd_lock;
	 * @finished by the command itself; @abort_req, the TMF waiting for
	 * this command to leave its device, is taken with xchg() exactly
	 * once (when the command leaves its device, or at the latest when it
	 * is freed).
	 */
	struct list_head sess_entry;	/* on sess->cmd_list */
	u8 aborted;		/* enum scst_cmd_abort */
	bool finished;		/* left its device: nothing to wait for */
	struct scst_tmf_req *abort_req;
	struct delayed_work work;
	struct list_head tasklet_entry;

	u64 tag;
	u64 lun;
	enum scst_task_attr attr;
	enum scst_data_direction exp_dir;
	u64 exp_len;
	void *tgt_priv;

	u8 *cdb;
	unsigned int cdb_len;
	u8 cdb_buf[16];
	struct scst_cdb_parse parse;

	struct scst_sgv *sgv;	/* the buffer's handle in the cache */
	struct scatterlist *sg;
	unsigned int sg_cnt;
	u64 buf_len;		/* bytes in @sg */
	u64 write_len;		/* bytes of write data to fetch */
	u64 write_cdb_len;	/* what the CDB asked for (residual) */
	u64 resp_len;		/* bytes of read data produced */

	u8 status;
	u8 sense_len;
	u8 sense[SCST_SENSE_BUFFERSIZE];
};

/* scst_sgv.c: the data buffer cache */
struct scst_sgv;
struct scst_sgv *scst_sgv_get(u64 len, gfp_t gfp, struct scatterlist **sg,
			      unsigned int *nents);
void scst_sgv_put(struct scst_sgv *sgv);
void scst_sgv_stats(unsigned long *hits, unsigned long *misses);
int scst_sgv_init(void);
void scst_sgv_exit(void);

/* scst_cmd.c */
#define SCST_DEFAULT_THREADS	8
#define SCST_MAX_THREADS	WQ_MAX_ACTIVE
extern unsigned int scst_threads;
void scst_cmd_stats(unsigned long *cmds, unsigned long *thread_switches);
void scst_cmd_set_threads(unsigned int n);
void scst_cmd_continue(struct scst_cmd *cmd);
int scst_cmd_init(void);
void scst_cmd_exit(void);
int scst_cmd_alloc_buf(struct scst_cmd *cmd, u64 len);

/* scst_proc_tune.c: threads, trace_level, stats */
#define SCST_TRACE_SCSI		BIT(0)
#define SCST_TRACE_SENSE	BIT(1)
#define SCST_TRACE_ALL		(SCST_TRACE_SCSI | SCST_TRACE_SENSE)
#define SCST_TRACE_DEFAULT	0UL
extern unsigned long scst_trace_flags;
void scst_trace_cmd(struct scst_cmd *cmd);
int scst_proc_tune_init(struct proc_dir_entry *root);

/* scst_sense.c: sense data, fixed or descriptor format */
unsigned int scst_sense_build(u8 *buf, bool desc, u8 key, u8 asc, u8 ascq);
void scst_sense_set_info(u8 *buf, unsigned int *len, u64 info);
void scst_sense_set_sks(u8 *buf, unsigned int *len, const u8 sks[3]);

/* scst_emul.c: what the core answers itself */
void scst_emulate_no_lun(struct scst_cmd *cmd);
void scst_emulate_report_luns(struct scst_cmd *cmd);
void scst_emulate_request_sense(struct scst_cmd *cmd);
void scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *data, u64 len);

/* scst_tmf.c: task management */
struct scst_tmf_req;
void scst_cmd_abort_finished(struct scst_cmd *cmd);
unsigned long scst_tmf_aborted_count(void);
void scst_cmd_abort_status(struct scst_cmd *cmd);
void scst_tmf_qerr(struct scst_cmd *cmd);
void scst_ua_after_status(struct scst_cmd *cmd);
void scst_sess_abort_lun(struct scst_session *sess, u64 lun);
void scst_sess_abort_all(struct scst_session *sess);
void scst_dev_abort_nexuses(struct scst_device *dev,
			    bool (*match)(struct scst_session *sess,
					  void *data),
			    void *data);
void scst_acg_abort_lun(struct scst_acg *acg, u64 lun);
void scst_acg_move_sessions(struct scst_acg *acg);
bool scst_aca_check(struct scst_cmd *cmd);
void scst_aca_establish(struct scst_cmd *cmd);
bool scst_aca_clear(struct scst_device *dev, struct scst_tgt_dev *nexus);
int scst_tmf_init(void);
void scst_tmf_exit(void);

/* scst_res.c: RESERVE/RELEASE and persistent reservations */
void scst_res_init(struct scst_device *dev);
void scst_res_free(struct scst_device *dev);
bool scst_res_core_cmd(u8 opcode);
bool scst_res_check(struct scst_cmd *cmd);
void scst_res_exec(struct scst_cmd *cmd);
void scst_res_nexus_gone(struct scst_tgt_dev *tgt_dev);
void scst_res_reset(struct scst_device *dev);
struct scst_pr_reg *scst_pr_reg_alloc(const struct scst_pr_nexus *nx);

/* scst_pr_file.c: persistent reservations kept through a reload */
void scst_pr_file_init(void);
void scst_pr_file_exit(void);
bool scst_pr_can_persist(void);
void scst_pr_save(struct scst_device *dev);
void scst_pr_load(struct scst_device *dev);

/* scst_rsoc.c */
void scst_emulate_rsoc(struct scst_cmd *cmd);

/* scst_ua.c: the unit attention queue of every nexus */
bool scst_ua_take(struct scst_tgt_dev *tgt_dev, u8 *asc, u8 *ascq);
bool scst_ua_deliver(struct scst_cmd *cmd);
void scst_ua_queue(struct scst_tgt_dev *tgt_dev, u8 asc, u8 ascq);
void scst_ua_clear(struct scst_tgt_dev *tgt_dev);
void scst_dev_ua_all_but(struct scst_device *dev, struct scst_session *skip,
			 u8 asc, u8 ascq);

/* scst_targ.c: targets, sessions and their LUN tables */
extern struct list_head scst_tt_list;
struct scst_tgt_dev *scst_tgt_dev_get(struct scst_session *sess, u64 lun);
void scst_tgt_dev_put(struct scst_tgt_dev *tgt_dev);
void scst_sess_cmd_done(struct scst_session *sess);
void scst_dev_nexus_put(struct scst_device *dev);
void scst_acg_luns_changed(struct scst_acg *acg);
bool scst_acg_has_sessions(struct scst_acg *acg);
bool scst_acg_lun_busy(struct scst_acg *acg, u64 lun);

/* scst_dev.c: handlers, devices and the LUNs of groups */
extern struct list_head scst_dev_list;
struct scst_device *scst_dev_lookup(const char *name);
int scst_acg_lun_add(struct scst_acg *acg, const char *dev_name, u64 lun,
		     bool read_only);
int scst_acg_lun_del(struct scst_acg *acg, const char *dev_name, bool force);
void scst_acg_luns_clear(struct scst_acg *acg);

#endif /* __SCST_CORE_H */
