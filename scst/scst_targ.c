// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_targ.c - target drivers, targets, sessions and their LUN tables
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_core.h"

/* Registered target templates, under scst_config_mutex. */
LIST_HEAD(scst_tt_list);

int scst_register_target_template(struct scst_tgt_template *tt)
{
	struct scst_tgt_template *t;
	int ret = 0;

	if (!tt->name || !tt->xmit_response || !tt->rdy_to_xfer) {
		pr_err("target template %s lacks a name or a callback\n",
		       tt->name ?: "(null)");
		return -EINVAL;
	}
	mutex_lock(&scst_config_mutex);
	list_for_each_entry(t, &scst_tt_list, tt_list_entry) {
		if (!strcmp(t->name, tt->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	INIT_LIST_HEAD(&tt->tgt_list);
	list_add_tail(&tt->tt_list_entry, &scst_tt_list);
	pr_info("target driver %s registered\n", tt->name);
out:
	mutex_unlock(&scst_config_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_register_target_template);

void scst_unregister_target_template(struct scst_tgt_template *tt)
{
	mutex_lock(&scst_config_mutex);
	WARN_ON(!list_empty(&tt->tgt_list));
	list_del(&tt->tt_list_entry);
	mutex_unlock(&scst_config_mutex);
	pr_info("target driver %s unregistered\n", tt->name);
}
EXPORT_SYMBOL_GPL(scst_unregister_target_template);

struct scst_tgt *scst_register_target(struct scst_tgt_template *tt,
				      const char *name)
{
	struct scst_tgt *tgt;

	tgt = kzalloc(sizeof(*tgt), GFP_KERNEL);
	if (!tgt)
		return ERR_PTR(-ENOMEM);
	tgt->name = kstrdup(name, GFP_KERNEL);
	if (!tgt->name) {
		kfree(tgt);
		return ERR_PTR(-ENOMEM);
	}
	tgt->tt = tt;
	INIT_LIST_HEAD(&tgt->sess_list);
	mutex_lock(&scst_config_mutex);
	list_add_tail(&tgt->tt_entry, &tt->tgt_list);
	mutex_unlock(&scst_config_mutex);
	return tgt;
}
EXPORT_SYMBOL_GPL(scst_register_target);

void scst_unregister_target(struct scst_tgt *tgt)
{
	mutex_lock(&scst_config_mutex);
	WARN_ON(!list_empty(&tgt->sess_list));
	list_del(&tgt->tt_entry);
	mutex_unlock(&scst_config_mutex);
	kfree(tgt->name);
	kfree(tgt);
}
EXPORT_SYMBOL_GPL(scst_unregister_target);

/* ---------------------------------------------------------------- nexuses */

static struct scst_tgt_dev *scst_tgt_dev_alloc(struct scst_session *sess,
					       struct scst_acg_dev *acg_dev)
{
	struct scst_tgt_dev *tgt_dev;

	tgt_dev = kzalloc(sizeof(*tgt_dev), GFP_KERNEL);
	if (!tgt_dev)
		return NULL;
	tgt_dev->sess = sess;
	tgt_dev->dev = acg_dev->dev;
	tgt_dev->lun = acg_dev->lun;
	tgt_dev->read_only = acg_dev->read_only;
	refcount_set(&tgt_dev->refcount, 1);
	scst_uaq_init(&tgt_dev->ua);
	atomic_inc(&acg_dev->dev->nexus_count);
	spin_lock_irq(&tgt_dev->dev->tgt_dev_lock);
	list_add_tail(&tgt_dev->dev_entry, &tgt_dev->dev->tgt_dev_list);
	spin_unlock_irq(&tgt_dev->dev->tgt_dev_lock);
	return tgt_dev;
}

/**
 * scst_tgt_dev_get() - the nexus of a LUN, with a reference for a command
 * @sess: the session
 * @lun: LUN number
 *
 * Context: any; lock-free (RCU).
 * Return: the nexus, or NULL if the session has no such LUN.
 */
struct scst_tgt_dev *scst_tgt_dev_get(struct scst_session *sess, u64 lun)
{
	struct scst_tgt_dev *tgt_dev;

	rcu_read_lock();
	tgt_dev = xa_load(&sess->tgt_devs, lun);
	if (tgt_dev && !refcount_inc_not_zero(&tgt_dev->refcount))
		tgt_dev = NULL;
	rcu_read_unlock();
	return tgt_dev;
}

/**
 * scst_tgt_dev_put() - drop a reference; the last one frees the nexus
 * @tgt_dev: the nexus
 *
 * Context: any.
 */
void scst_tgt_dev_put(struct scst_tgt_dev *tgt_dev)
{
	struct scst_device *dev = tgt_dev->dev;
	unsigned long flags;

	if (!refcount_dec_and_test(&tgt_dev->refcount))
		return;
	spin_lock_irqsave(&dev->tgt_dev_lock, flags);
	list_del(&tgt_dev->dev_entry);
	spin_unlock_irqrestore(&dev->tgt_dev_lock, flags);
	/* The faulted nexus is lost: its ACA ends with it. */
	scst_aca_clear(dev, tgt_dev);
	scst_res_nexus_gone(tgt_dev);
	scst_ua_clear(tgt_dev);
	kfree_rcu(tgt_dev, rcu);
	scst_dev_nexus_put(dev);
}

bool scst_sess_has_lun(struct scst_session *sess, u64 lun)
{
	bool ret;

	rcu_read_lock();
	ret = xa_load(&sess->tgt_devs, lun);
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(scst_sess_has_lun);

/*
 * Bring a session's nexuses in line with its group's LUNs.  New nexuses
 * start with POWER ON OCCURRED; when @changed, the nexuses that stay get
 * REPORTED LUNS DATA HAS CHANGED.  Called under scst_config_mutex.
 */
static int scst_sess_sync_luns(struct scst_session *sess, bool changed)
{
	struct scst_tgt_dev *tgt_dev;
	struct scst_acg_dev *acg_dev;
	unsigned long lun;
	int ret = 0;

	lockdep_assert_held(&scst_config_mutex);
	/* Drop nexuses whose LUN left the group or now is another device. */
	xa_for_each(&sess->tgt_devs, lun, tgt_dev) {
		acg_dev = xa_load(&sess->acg->luns, lun);
		if (acg_dev && acg_dev->dev == tgt_dev->dev &&
		    acg_dev->read_only == tgt_dev->read_only)
			continue;
		xa_erase(&sess->tgt_devs, lun);
		scst_tgt_dev_put(tgt_dev);
	}
	if (changed)
		xa_for_each(&sess->tgt_devs, lun, tgt_dev)
			scst_ua_queue(tgt_dev, 0x3f, 0x0e);
	xa_for_each(&sess->acg->luns, lun, acg_dev) {
		if (xa_load(&sess->tgt_devs, lun))
			continue;
		tgt_dev = scst_tgt_dev_alloc(sess, acg_dev);
		if (!tgt_dev) {
			ret = -ENOMEM;
			continue;
		}
		scst_ua_queue(tgt_dev, 0x29, 0x00);
		if (xa_err(xa_store(&sess->tgt_devs, lun, tgt_dev, GFP_KERNEL))) {
			scst_tgt_dev_put(tgt_dev);
			ret = -ENOMEM;
		}
	}
	return ret;
}

/* Call @fn for every session of @acg until it returns true. */
static bool scst_acg_visit_sessions(struct scst_acg *acg,
				    bool (*fn)(struct scst_session *, u64),
				    u64 arg)
{
	struct scst_tgt_template *tt;
	struct scst_session *sess;
	struct scst_tgt *tgt;

	lockdep_assert_held(&scst_config_mutex);
	list_for_each_entry(tt, &scst_tt_list, tt_list_entry)
		list_for_each_entry(tgt, &tt->tgt_list, tt_entry)
			list_for_each_entry(sess, &tgt->sess_list, tgt_entry)
				if (sess->acg == acg && fn(sess, arg))
					return true;
	return false;
}

static bool scst_sess_luns_changed(struct scst_session *sess, u64 unused)
{
	struct scst_tgt_template *tt = sess->tgt->tt;

	if (scst_sess_sync_luns(sess, true))
		pr_warn("session %s: out of memory updating LUNs\n",
			sess->initiator_name);
	if (tt->report_luns_changed)
		tt->report_luns_changed(sess);
	return false;
}

/**
 * scst_acg_luns_changed() - a group's LUN set changed: tell its sessions
 * @acg: the group
 *
 * Context: process; the caller holds scst_config_mutex.
 */
void scst_acg_luns_changed(struct scst_acg *acg)
{
	scst_acg_visit_sessions(acg, scst_sess_luns_changed, 0);
}

static bool scst_sess_exists(struct scst_session *sess, u64 unused)
{
	return true;
}

static bool scst_sess_lun_busy(struct scst_session *sess, u64 lun)
{
	struct scst_tgt_dev *tgt_dev = xa_load(&sess->tgt_devs, lun);

	/* The session's table holds one reference, each command one more. */
	return tgt_dev && refcount_read(&tgt_dev->refcount) > 1;
}

/**
 * scst_acg_has_sessions() - whether any session uses a group
 * @acg: the group
 *
 * Context: process; the caller holds scst_config_mutex.
 */
bool scst_acg_has_sessions(struct scst_acg *acg)
{
	return scst_acg_visit_sessions(acg, scst_sess_exists, 0);
}

/**
 * scst_acg_lun_busy() - whether commands to a LUN of a group are in flight
 * @acg: the group
 * @lun: LUN number
 *
 * Context: process; the caller holds scst_config_mutex.
 */
bool scst_acg_lun_busy(struct scst_acg *acg, u64 lun)
{
	return scst_acg_visit_sessions(acg, scst_sess_lun_busy, lun);
}

static bool scst_sess_abort_lun_visit(struct scst_session *sess, u64 lun)
{
	scst_sess_abort_lun(sess, lun);
	return false;
}

/**
 * scst_acg_abort_lun() - abort the commands of a group's sessions to a LUN
 * @acg: the group
 * @lun: LUN number
 *
 * Returns once none of them uses the LUN's device any more.
 *
 * Context: process; sleeps; the caller holds scst_config_mutex.
 */
void scst_acg_abort_lun(struct scst_acg *acg, u64 lun)
{
	scst_acg_visit_sessions(acg, scst_sess_abort_lun_visit, lun);
}

/*
 * A session of a group being deleted: end its commands, then move it to the
 * group it would be chosen into now, as REPORTED LUNS DATA HAS CHANGED.
 */
static bool scst_sess_regroup(struct scst_session *sess, u64 unused)
{
	scst_sess_abort_all(sess);
	sess->acg = scst_acg_choose(&scst_acg_list, sess->initiator_name,
				    sess->tgt->name);
	pr_info("session of %s to %s moved to group %s\n",
		sess->initiator_name, sess->tgt->name, sess->acg->name);
	return scst_sess_luns_changed(sess, 0);
}

/**
 * scst_acg_move_sessions() - move the sessions of a deleted group
 * @acg: the group, already off scst_acg_list
 *
 * Context: process; sleeps (waits for running commands); the caller holds
 * scst_config_mutex.
 */
void scst_acg_move_sessions(struct scst_acg *acg)
{
	scst_acg_visit_sessions(acg, scst_sess_regroup, 0);
}

bool scst_tgt_initiator_has_luns(struct scst_tgt *tgt, const char *initiator)
{
	struct scst_acg *acg;
	bool has;

	mutex_lock(&scst_config_mutex);
	acg = scst_acg_choose(&scst_acg_list, initiator, tgt->name);
	has = acg && !xa_empty(&acg->luns);
	mutex_unlock(&scst_config_mutex);
	return has;
}
EXPORT_SYMBOL_GPL(scst_tgt_initiator_has_luns);

/* ---------------------------------------------------------------- sessions */

struct scst_session *scst_register_session(struct scst_tgt *tgt,
					   const char *initiator_name,
					   void *tgt_priv)
{
	struct scst_session *sess;
	int ret;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return ERR_PTR(-ENOMEM);
	sess->initiator_name = kstrdup(initiator_name, GFP_KERNEL);
	if (!sess->initiator_name) {
		kfree(sess);
		return ERR_PTR(-ENOMEM);
	}
	sess->tgt = tgt;
	sess->tgt_priv = tgt_priv;
	xa_init(&sess->tgt_devs);
	atomic_set(&sess->cmd_count, 1);
	init_completion(&sess->drained);
	spin_lock_init(&sess->cmd_lock);
	INIT_LIST_HEAD(&sess->cmd_list);

	mutex_lock(&scst_config_mutex);
	sess->acg = scst_acg_choose(&scst_acg_list, initiator_name, tgt->name);
	ret = scst_sess_sync_luns(sess, false);
	if (ret) {
		mutex_unlock(&scst_config_mutex);
		xa_destroy(&sess->tgt_devs);
		kfree(sess->initiator_name);
		kfree(sess);
		return ERR_PTR(ret);
	}
	list_add_tail(&sess->tgt_entry, &tgt->sess_list);
	mutex_unlock(&scst_config_mutex);
	pr_info("session of %s to %s in group %s\n", initiator_name, tgt->name,
		sess->acg->name);
	return sess;
}
EXPORT_SYMBOL_GPL(scst_register_session);

void scst_unregister_session(struct scst_session *sess)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned long lun;

	mutex_lock(&scst_config_mutex);
	list_del(&sess->tgt_entry);
	mutex_unlock(&scst_config_mutex);

	/* The driver sends no new commands; wait for those in flight. */
	scst_sess_cmd_done(sess);
	wait_for_completion(&sess->drained);

	xa_for_each(&sess->tgt_devs, lun, tgt_dev) {
		xa_erase(&sess->tgt_devs, lun);
		scst_tgt_dev_put(tgt_dev);
	}
	xa_destroy(&sess->tgt_devs);
	pr_info("session of %s to %s ended\n", sess->initiator_name,
		sess->tgt->name);
	kfree(sess->initiator_name);
	kfree(sess);
}
EXPORT_SYMBOL_GPL(scst_unregister_session);

void *scst_sess_get_tgt_priv(struct scst_session *sess)
{
	return sess->tgt_priv;
}
EXPORT_SYMBOL_GPL(scst_sess_get_tgt_priv);

/**
 * scst_sess_cmd_done() - a command of @sess was freed
 * @sess: the session
 *
 * Context: any.
 */
void scst_sess_cmd_done(struct scst_session *sess)
{
	if (atomic_dec_and_test(&sess->cmd_count))
		complete(&sess->drained);
}
