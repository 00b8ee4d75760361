// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local_main.c - module life cycle and local sessions
 *
 * At load the driver registers its template and one target, "scst_local".
 * Each session added through /proc/scsi_tgt/scst_local/scst_local is an
 * SCST session plus a SCSI host whose commands go straight into the core.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_host.h>

#include "scst_local.h"

/* See scst_local.h for what these protect. */
DEFINE_MUTEX(scst_local_mutex);
LIST_HEAD(scst_local_sessions);

/* Parent of every local SCSI host in sysfs; set at load. */
static struct device *scst_local_root;
static struct scst_tgt *scst_local_tgt;

/*
 * The group of @sess gained or lost LUNs.  A remote initiator learns this
 * from a UNIT ATTENTION; the local SCSI mid-layer only scans when asked, so
 * ask it.  Scanning sends commands through the core and may take long, so
 * it runs from a work item rather than in the core's caller.
 */
static void scst_local_report_luns_changed(struct scst_session *sess)
{
	struct scst_local_sess *ls = scst_sess_get_tgt_priv(sess);

	spin_lock(&ls->state_lock);
	if (ls->state == SCST_LOCAL_SESS_RUNNING)
		queue_work(system_long_wq, &ls->rescan_work);
	spin_unlock(&ls->state_lock);
}

static struct scst_tgt_template scst_local_tt = {
	.name			= SCST_LOCAL_NAME,
	.owner			= THIS_MODULE,
	.xmit_response_atomic	= true,
	.rdy_to_xfer_atomic	= true,
	.rdy_to_xfer		= scst_local_rdy_to_xfer,
	.xmit_response		= scst_local_xmit_response,
	.report_luns_changed	= scst_local_report_luns_changed,
	.tmf_done		= scst_local_tmf_done,
};

/**
 * scst_local_find() - a session by initiator name
 * @name: the name
 *
 * Context: process; caller holds scst_local_mutex.
 * Return: the session or NULL.
 */
struct scst_local_sess *scst_local_find(const char *name)
{
	struct scst_local_sess *ls;

	lockdep_assert_held(&scst_local_mutex);
	list_for_each_entry(ls, &scst_local_sessions, entry)
		if (!strcmp(ls->name, name))
			return ls;
	return NULL;
}

/**
 * scst_local_add_session() - create a session and its SCSI host
 * @name: initiator name, already checked by the caller
 *
 * Logs one line on failure and leaves nothing behind.
 *
 * Context: process; caller holds scst_local_mutex.
 * Return: 0 or a negative errno (-EEXIST for a duplicate name).
 */
int scst_local_add_session(const char *name)
{
	struct scst_local_sess *ls;
	struct scst_session *sess;
	scst_local_shost_t *shost;
	int ret;

	if (scst_local_find(name)) {
		pr_warn("add_session: session '%s' already exists\n", name);
		return -EEXIST;
	}

	/* No allocator warning: the failure is logged in one line here. */
	ls = kzalloc(sizeof(*ls), GFP_KERNEL | __GFP_NOWARN);
	if (!ls) {
		pr_warn("add_session %s: out of memory\n", name);
		return -ENOMEM;
	}
	strscpy(ls->name, name, sizeof(ls->name));
	spin_lock_init(&ls->state_lock);
	ls->state = SCST_LOCAL_SESS_STARTING;
	INIT_WORK(&ls->rescan_work, scst_local_rescan_work);

	sess = scst_register_session(scst_local_tgt, name, ls);
	if (IS_ERR(sess)) {
		ret = PTR_ERR(sess);
		pr_warn("add_session %s: the core refused the session (%d)\n",
			name, ret);
		goto free;
	}
	ls->scst_sess = sess;

	shost = scst_local_host_alloc(ls);
	if (!shost) {
		ret = -ENOMEM;
		pr_warn("add_session %s: cannot allocate a SCSI host\n", name);
		goto unregister;
	}
	ret = scsi_add_host(shost, scst_local_root);
	if (ret) {
		pr_warn("add_session %s: cannot add the SCSI host (%d)\n",
			name, ret);
		goto put;
	}
	ls->shost = shost;
	list_add_tail(&ls->entry, &scst_local_sessions);

	/* From here on LUN changes queue a rescan; the scan below sees the rest. */
	spin_lock(&ls->state_lock);
	ls->state = SCST_LOCAL_SESS_RUNNING;
	spin_unlock(&ls->state_lock);

	scsi_scan_host(shost);
	pr_info("session %s is SCSI host %u\n", name, shost->host_no);
	return 0;

put:
	scsi_host_put(shost);
unregister:
	scst_unregister_session(sess);
free:
	kfree(ls);
	return ret;
}

/*
 * Tear a session down: no more rescans, then the SCSI host.  Removing the
 * host removes its devices, and removing a device drains its request queue,
 * so when scsi_remove_host() returns the mid-layer has no command left and
 * queues no new one.  The core may still hold commands that the error
 * handler gave up on; scst_unregister_session() waits for those, and the
 * host (whose commands they point to) is put only after it.
 */
static void scst_local_close(struct scst_local_sess *ls)
{
	lockdep_assert_held(&scst_local_mutex);

	spin_lock(&ls->state_lock);
	ls->state = SCST_LOCAL_SESS_CLOSING;
	spin_unlock(&ls->state_lock);
	cancel_work_sync(&ls->rescan_work);

	list_del(&ls->entry);
	scsi_remove_host(ls->shost);
	scst_unregister_session(ls->scst_sess);
	scsi_host_put(ls->shost);
	pr_info("session %s removed\n", ls->name);
	kfree(ls);
}

/**
 * scst_local_del_session() - remove a session and its SCSI host
 * @name: initiator name
 *
 * Context: process; caller holds scst_local_mutex.
 * Return: 0, or -ENOENT (logged) if there is no such session.
 */
int scst_local_del_session(const char *name)
{
	struct scst_local_sess *ls = scst_local_find(name);

	if (!ls) {
		pr_warn("del_session: no session '%s'\n", name);
		return -ENOENT;
	}
	scst_local_close(ls);
	return 0;
}

static int __init scst_local_init(void)
{
	int ret;

	scst_local_root = root_device_register(SCST_LOCAL_NAME);
	if (IS_ERR(scst_local_root))
		return PTR_ERR(scst_local_root);

	ret = scst_register_target_template(&scst_local_tt);
	if (ret)
		goto root;

	scst_local_tgt = scst_register_target(&scst_local_tt, SCST_LOCAL_NAME);
	if (IS_ERR(scst_local_tgt)) {
		ret = PTR_ERR(scst_local_tgt);
		goto template;
	}

	ret = scst_local_proc_init();
	if (ret)
		goto target;
	scst_local_debugfs_init();
	return 0;

target:
	scst_unregister_target(scst_local_tgt);
template:
	scst_unregister_target_template(&scst_local_tt);
root:
	root_device_unregister(scst_local_root);
	return ret;
}

static void __exit scst_local_exit(void)
{
	struct scst_local_sess *ls, *tmp;

	/* First the files, so that no command races with the teardown. */
	scst_local_debugfs_exit();
	scst_local_proc_exit();

	mutex_lock(&scst_local_mutex);
	list_for_each_entry_safe(ls, tmp, &scst_local_sessions, entry)
		scst_local_close(ls);
	mutex_unlock(&scst_local_mutex);

	scst_unregister_target(scst_local_tgt);
	scst_unregister_target_template(&scst_local_tt);
	root_device_unregister(scst_local_root);
}

module_init(scst_local_init);
module_exit(scst_local_exit);

MODULE_DESCRIPTION("SCST local target driver: the local host as initiator");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION_STRING);
