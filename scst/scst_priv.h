/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_priv.h - declarations shared by the files of scst.ko only
 */
#ifndef __SCST_PRIV_H
#define __SCST_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include <scst.h>

/* ---------------------------------------------------------------- groups */

/* Longest group name; also bounds the /proc directory name. */
#define SCST_ACG_NAME_MAX	64
/* Longest initiator name or pattern (iSCSI names are at most 223 bytes). */
#define SCST_ACN_NAME_MAX	255

#define SCST_DEFAULT_ACG_NAME	"Default"
/* Prefix of the per-target default group, "Default_TARGETNAME". */
#define SCST_DEFAULT_ACG_PREFIX	"Default_"

/*
 * Serialises every configuration change made through /proc/scsi_tgt and
 * protects what they change: scst_acg_list, the names list of every group
 * and the writers' side of every group's LUN table.  Sleeping is allowed
 * while holding it; nothing on the command path may take it.
 */
extern struct mutex scst_config_mutex;
/* Every access group, in creation order; under scst_config_mutex. */
extern struct list_head scst_acg_list;
/* Group "Default": always on scst_acg_list, never freed before unload. */
extern struct scst_acg *scst_default_acg;

/* One LUN of a group; defined with the device code. */
struct scst_acg_dev;
struct proc_dir_entry;

/**
 * struct scst_acg - an access group: which initiators see which LUNs
 * @entry:	on scst_acg_list
 * @names:	struct scst_acn, the initiator names and patterns that select
 *		this group, in the order they were added
 * @luns:	struct scst_acg_dev by LUN number.  The command path looks LUNs
 *		up under rcu_read_lock() without taking a lock; changes are
 *		made under scst_config_mutex and entries are freed after an
 *		RCU grace period.
 * @proc_dir:	/proc/scsi_tgt/groups/@name
 * @live:	false once the group is off scst_acg_list; its /proc files may
 *		still be in use until proc_remove() returns, and they refuse
 *		to act on a dead group.  Under scst_config_mutex.
 * @name:	immutable; 1..SCST_ACG_NAME_MAX printable ASCII characters
 */
struct scst_acg {
	struct list_head entry;
	struct list_head names;
	struct xarray luns;
	struct proc_dir_entry *proc_dir;
	bool live;
	char name[SCST_ACG_NAME_MAX + 1];
};

/**
 * struct scst_acn - one initiator name or pattern of a group
 * @entry:	on &scst_acg.names
 * @name:	the name; `*` and `?` are shell wildcards
 */
struct scst_acn {
	struct list_head entry;
	char name[];
};

int scst_acg_init(void);
void scst_acg_exit(void);
struct scst_acg *scst_acg_lookup(const char *name);
int scst_acg_add(const char *name);
int scst_acg_del(const char *name, bool force);
int scst_acg_name_add(struct scst_acg *acg, const char *name);
int scst_acg_name_del(struct scst_acg *acg, const char *name);
void scst_acg_names_clear(struct scst_acg *acg);
bool scst_acg_name_valid(const char *name);

/*
 * The two helpers below are pure logic and internal to scst.ko.  They are
 * exported (GPL) only so that the KUnit module can test them; they are not
 * part of the API in scst.h.  Exporting keeps one compiled copy of them in
 * the module that runs them, which a header of static inline functions
 * would not; a symbol namespace would be tidier but its macro changed form
 * between the kernels we build for.
 */

/**
 * scst_acg_choose() - the group a new session belongs to
 * @groups:	list of struct scst_acg (linked by &scst_acg.entry)
 * @initiator:	the session's initiator name
 * @target:	the target's name
 *
 * A group that lists @initiator exactly wins; else the first group (in
 * list order) with a pattern that matches it; else "Default_@target" if
 * it exists; else "Default".
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: process context; the caller holds whatever protects @groups
 * (scst_config_mutex for scst_acg_list).
 * Return: the group, or NULL if @groups has no "Default".
 */
struct scst_acg *scst_acg_choose(struct list_head *groups,
				 const char *initiator, const char *target);

/**
 * scst_split_words() - split a /proc command into words, in place
 * @line:	NUL-terminated command; one trailing newline is ignored
 * @words:	filled with pointers into @line
 * @max_words:	size of @words
 *
 * Words are separated by runs of blanks (spaces and tabs); blanks are
 * overwritten with NULs.  Any other control character makes the command
 * invalid (a newline in the middle would be a second command).
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any; takes no locks.
 * Return: the number of words (0 for an empty command), -EINVAL for a
 * control character, -E2BIG for more than @max_words words.
 */
int scst_split_words(char *line, char **words, unsigned int max_words);

/* ---------------------------------------------------------------- task set */

/* Commands a logical unit's task set holds before TASK SET FULL. */
#define SCST_DEFAULT_TASK_SET_DEPTH	256

/**
 * struct scst_order_entry - a command's place in its task set
 * @entry:	on &scst_order.cmds, in arrival order
 * @ready:	on the caller's list, when scst_order_leave() releases it
 * @attr:	task attribute (enum scst_task_attr)
 * @waiting:	the command waits to be released
 * @may_run:	the command was allowed to run (by scst_order_may_run() or
 *		by being released)
 */
struct scst_order_entry {
	struct list_head entry;
	struct list_head ready;
	u8 attr;
	bool waiting;
	bool may_run;
};

/**
 * struct scst_order - the task set of a logical unit
 * @lock:	protects everything below; irq-safe, since commands enter and
 *		leave in the target driver's and the handler's contexts
 * @cmds:	entries of the commands in the task set, oldest first
 * @count:	entries on @cmds
 * @ordered:	ORDERED entries on @cmds
 * @waiting:	entries on @cmds that wait to be released
 * @depth:	most entries; immutable
 */
struct scst_order {
	spinlock_t lock;	/* protects the fields below; irq-safe */
	struct list_head cmds;
	unsigned int count;
	unsigned int ordered;
	unsigned int waiting;
	unsigned int depth;
};

/*
 * Pure logic, internal to scst.ko and exported only for its KUnit tests
 * (like scst_acg_choose()); the kerneldoc is in scst_order.c.
 */
void scst_order_init(struct scst_order *o, unsigned int depth);
int scst_order_enter(struct scst_order *o, struct scst_order_entry *e,
		     u8 attr);
bool scst_order_may_run(struct scst_order *o, struct scst_order_entry *e);
void scst_order_leave(struct scst_order *o, struct scst_order_entry *e,
		      struct list_head *ready);
bool scst_order_cancel(struct scst_order *o, struct scst_order_entry *e);

/* ------------------------------------------------------ unit attentions */

/*
 * Most pending unit attentions per nexus.  They live in the nexus itself:
 * queueing one never allocates, so none is lost to a failed allocation.
 */
#define SCST_MAX_UA	16

/* One pending UNIT ATTENTION condition. */
struct scst_ua {
	u8 asc;
	u8 ascq;
};

/**
 * struct scst_uaq - the unit attention queue of an I_T_L nexus
 * @lock:	protects @count and @ua; irq-safe (commands take from it in
 *		any context)
 * @count:	how many of @ua are pending; also read without @lock, as a
 *		hint that the queue is empty
 * @ua:		the pending conditions, oldest first
 */
struct scst_uaq {
	spinlock_t lock;	/* protects count and ua; irq-safe */
	unsigned int count;
	struct scst_ua ua[SCST_MAX_UA];
};

/* Pure logic, exported for KUnit only; the kerneldoc is in scst_ua.c. */
void scst_uaq_init(struct scst_uaq *q);
void scst_uaq_add(struct scst_uaq *q, u8 asc, u8 ascq);
bool scst_uaq_take(struct scst_uaq *q, u8 *asc, u8 *ascq);
bool scst_uaq_peek(struct scst_uaq *q, u8 *asc, u8 *ascq);
void scst_uaq_forget(struct scst_uaq *q, u8 asc, u8 ascq);
void scst_uaq_clear(struct scst_uaq *q);

/* ------------------------------------------------- persistent reservations */

/* Reservation types (SPC-4 table 169). */
#define SCST_PR_WE		0x1	/* write exclusive */
#define SCST_PR_EA		0x3	/* exclusive access */
#define SCST_PR_WE_RO		0x5	/* write exclusive, registrants only */
#define SCST_PR_EA_RO		0x6	/* exclusive access, registrants only */
#define SCST_PR_WE_AR		0x7	/* write exclusive, all registrants */
#define SCST_PR_EA_AR		0x8	/* exclusive access, all registrants */
#define SCST_PR_SCOPE_LU	0x0

/* PERSISTENT RESERVE OUT service actions. */
#define SCST_PR_OUT_REGISTER			0x0
#define SCST_PR_OUT_RESERVE			0x1
#define SCST_PR_OUT_RELEASE			0x2
#define SCST_PR_OUT_CLEAR			0x3
#define SCST_PR_OUT_PREEMPT			0x4
#define SCST_PR_OUT_PREEMPT_AND_ABORT		0x5
#define SCST_PR_OUT_REGISTER_AND_IGNORE		0x6
#define SCST_PR_OUT_REGISTER_AND_MOVE		0x7

/* ASCQs of ASC 2Ah, the unit attentions of reservation changes. */
#define SCST_ASCQ_RESERVATIONS_PREEMPTED	0x03
#define SCST_ASCQ_RESERVATIONS_RELEASED		0x04
#define SCST_ASCQ_REGISTRATIONS_PREEMPTED	0x05

/* What a command does to the medium, for the reservation checks. */
enum scst_res_access {
	SCST_RES_ANY_NEXUS,	/* allowed whatever the reservation */
	SCST_RES_READS,
	SCST_RES_WRITES,
};

/**
 * struct scst_pr_nexus - an I_T nexus, by name
 * @initiator: initiator port name
 * @target: target port name
 */
struct scst_pr_nexus {
	const char *initiator;
	const char *target;
};

/**
 * struct scst_pr_reg - one registration
 * @entry:	on &scst_pr.regs, in registration order
 * @key:	its reservation key, never 0
 * @all_tg_pt:	made with ALL_TG_PT: it registers @initiator on every
 *		target port
 * @target:	target port name (points into the same allocation)
 * @initiator:	initiator port name
 */
struct scst_pr_reg {
	struct list_head entry;
	u64 key;
	bool all_tg_pt;
	char *target;
	char initiator[];
};

/**
 * struct scst_pr - persistent reservation state of a logical unit
 * @regs:	struct scst_pr_reg
 * @nr_regs:	entries on @regs
 * @generation:	PRgeneration, counts the changes of registrations
 * @reserved:	a persistent reservation exists
 * @type:	its type (SCST_PR_*)
 * @holder:	its holder; NULL with an "all registrants" type, where every
 *		registration holds it
 */
struct scst_pr {
	struct list_head regs;
	unsigned int nr_regs;
	u32 generation;
	bool reserved;
	u8 type;
	struct scst_pr_reg *holder;
};

/* A decoded PERSISTENT RESERVE OUT command. */
struct scst_pr_out {
	u8 sa;
	u8 scope;
	u8 type;
	bool all_tg_pt;
	bool aptpl;
	bool spec_i_pt;
	bool unreg;		/* REGISTER AND MOVE: unregister the sender */
	u64 key;
	u64 sa_key;
};

/**
 * struct scst_pr_ctx - what scst_pr_out() works with besides the state
 * @new_reg:	a registration for the command's nexus (for REGISTER AND
 *		MOVE: for the destination's), key not set yet
 * @used_new_reg: set when @new_reg went onto the list
 * @spec_regs:	with SPEC_I_PT: registrations for the initiator ports the
 *		parameter list names, keys not set; they all go onto the list
 *		(the caller's list is then empty), or none
 * @freed:	receives the registrations removed
 * @ua:		called for each registration whose nexuses must get the unit
 *		attention 2Ah/@ascq; optional
 * @ua_data:	for @ua
 */
struct scst_pr_ctx {
	struct scst_pr_reg *new_reg;
	bool *used_new_reg;
	struct list_head *spec_regs;
	struct list_head *freed;
	void (*ua)(void *ua_data, struct scst_pr_reg *reg, u8 ascq);
	void *ua_data;
};

enum scst_pr_status {
	SCST_PR_GOOD,
	SCST_PR_CONFLICT,		/* RESERVATION CONFLICT */
	SCST_PR_INVALID_CDB,		/* INVALID FIELD IN CDB (type, scope) */
	SCST_PR_INVALID_PARAM,		/* INVALID FIELD IN PARAMETER LIST */
	SCST_PR_INVALID_RELEASE,	/* INVALID RELEASE OF PERSISTENT RES. */
	SCST_PR_NO_RESOURCES,		/* no registration could be prepared */
};

/* Pure logic, exported for KUnit only; the kerneldoc is in scst_pr.c. */
void scst_pr_init(struct scst_pr *pr);
bool scst_pr_reg_is(const struct scst_pr_reg *reg,
		    const struct scst_pr_nexus *nx);
struct scst_pr_reg *scst_pr_find(struct scst_pr *pr,
				 const struct scst_pr_nexus *nx);
bool scst_pr_is_holder(const struct scst_pr *pr,
		       const struct scst_pr_reg *reg);
bool scst_pr_conflicts(struct scst_pr *pr, const struct scst_pr_nexus *nx,
		       enum scst_res_access access);
enum scst_pr_status scst_pr_out(struct scst_pr *pr,
				const struct scst_pr_nexus *nx,
				const struct scst_pr_out *req,
				const struct scst_pr_ctx *ctx);

/* ---------------------------------------------------------------- /proc */

/* Most words any core command has, plus one to detect extra words. */
#define SCST_PROC_MAX_WORDS	5

/**
 * struct scst_proc_cmd - one command verb of a writable /proc file
 * @verb:	first word of the command; "" for a file that takes a value
 *		without a verb (then every word is an argument, at least one)
 * @min_args:	fewest words after the verb
 * @max_args:	most words after the verb
 * @run:	does the command on @obj; logs one line and returns a
 *		negative errno if it refuses, changing nothing.  Called
 *		without locks held.
 */
struct scst_proc_cmd {
	const char *verb;
	unsigned int min_args;
	unsigned int max_args;
	int (*run)(void *obj, char **args, unsigned int nargs);
};

ssize_t scst_proc_write_cmd(const char __user *ubuf, size_t len,
			    const struct scst_proc_cmd *cmds, void *obj,
			    const char *where);

/* scst_proc.c: the /proc/scsi_tgt tree */
int scst_proc_init(void);
void scst_proc_exit(void);

/* scst_proc_acg.c: /proc/scsi_tgt/groups */
int scst_proc_groups_init(struct proc_dir_entry *root);
int scst_proc_acg_create(struct scst_acg *acg);
void scst_proc_acg_remove(struct scst_acg *acg);

#endif /* __SCST_PRIV_H */
