// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_dev.c - device handlers, devices, and the LUNs of access groups
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_core.h"

/* Registered handlers and devices, under scst_config_mutex. */
static LIST_HEAD(scst_dev_type_list);
LIST_HEAD(scst_dev_list);

int scst_register_virtual_dev_driver(struct scst_dev_type *dt)
{
	struct scst_dev_type *t;
	int ret = 0;

	if (!dt->name || !dt->parse || !dt->exec) {
		pr_err("device handler %s lacks a name or a callback\n",
		       dt->name ?: "(null)");
		return -EINVAL;
	}
	mutex_lock(&scst_config_mutex);
	list_for_each_entry(t, &scst_dev_type_list, dev_type_list_entry) {
		if (!strcmp(t->name, dt->name)) {
			ret = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&dt->dev_type_list_entry, &scst_dev_type_list);
	pr_info("device handler %s registered\n", dt->name);
out:
	mutex_unlock(&scst_config_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_register_virtual_dev_driver);

void scst_unregister_virtual_dev_driver(struct scst_dev_type *dt)
{
	struct scst_device *dev;

	mutex_lock(&scst_config_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		WARN(dev->handler == dt, "handler %s still has device %s\n",
		     dt->name, dev->name);
	list_del(&dt->dev_type_list_entry);
	mutex_unlock(&scst_config_mutex);
	pr_info("device handler %s unregistered\n", dt->name);
}
EXPORT_SYMBOL_GPL(scst_unregister_virtual_dev_driver);

/**
 * scst_dev_lookup() - a device by name
 * @name: device name
 *
 * Context: process; the caller holds scst_config_mutex.
 */
struct scst_device *scst_dev_lookup(const char *name)
{
	struct scst_device *dev;

	lockdep_assert_held(&scst_config_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

struct scst_device *scst_register_virtual_device(struct scst_dev_type *dt,
						 const char *name, void *priv)
{
	struct scst_device *dev;
	int ret;

	dev = kzalloc(struct_size(dev, name, strlen(name) + 1), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	strcpy(dev->name, name);
	dev->handler = dt;
	dev->priv = priv;
	dev->type = dt->type;
	atomic_set(&dev->nexus_count, 1);
	init_completion(&dev->unused);
	spin_lock_init(&dev->tgt_dev_lock);
	spin_lock_init(&dev->aca_lock);
	scst_res_init(dev);
	INIT_LIST_HEAD(&dev->tgt_dev_list);
	scst_order_init(&dev->order, SCST_DEFAULT_TASK_SET_DEPTH);

	mutex_lock(&scst_config_mutex);
	if (scst_dev_lookup(name)) {
		ret = -EEXIST;
		goto err;
	}
	if (dt->attach) {
		ret = dt->attach(dev);
		if (ret)
			goto err;
	}
	list_add_tail(&dev->entry, &scst_dev_list);
	mutex_unlock(&scst_config_mutex);
	return dev;
err:
	mutex_unlock(&scst_config_mutex);
	scst_res_free(dev);
	kfree(dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(scst_register_virtual_device);

/* Remove @dev from every group; the caller holds scst_config_mutex. */
static void scst_dev_remove_luns(struct scst_device *dev)
{
	struct scst_acg_dev *acg_dev;
	struct scst_acg *acg;
	unsigned long lun;
	bool changed;

	list_for_each_entry(acg, &scst_acg_list, entry) {
		changed = false;
		xa_for_each(&acg->luns, lun, acg_dev) {
			if (acg_dev->dev != dev)
				continue;
			xa_erase(&acg->luns, lun);
			kfree_rcu(acg_dev, rcu);
			changed = true;
		}
		if (changed)
			scst_acg_luns_changed(acg);
	}
}

void scst_unregister_virtual_device(struct scst_device *dev)
{
	mutex_lock(&scst_config_mutex);
	scst_dev_remove_luns(dev);
	list_del(&dev->entry);
	mutex_unlock(&scst_config_mutex);

	/* Commands in flight hold nexuses, and nexuses hold the device. */
	scst_dev_nexus_put(dev);
	wait_for_completion(&dev->unused);

	if (dev->handler->detach)
		dev->handler->detach(dev);
	scst_res_free(dev);
	kfree(dev);
}
EXPORT_SYMBOL_GPL(scst_unregister_virtual_device);

/**
 * scst_dev_nexus_put() - a nexus (or the device itself) lets go of @dev
 * @dev: the device
 *
 * Context: any.
 */
void scst_dev_nexus_put(struct scst_device *dev)
{
	if (atomic_dec_and_test(&dev->nexus_count))
		complete(&dev->unused);
}

void *scst_dev_get_priv(struct scst_device *dev)
{
	return dev->priv;
}
EXPORT_SYMBOL_GPL(scst_dev_get_priv);

/* ---------------------------------------------------------------- group LUNs */

/**
 * scst_acg_lun_add() - export a device in a group
 * @acg: the group
 * @dev_name: the device
 * @lun: LUN number, 0 .. %SCST_MAX_LUN
 * @read_only: refuse writes through this LUN
 *
 * Context: process; the caller holds scst_config_mutex.
 * Return: 0, -ENOENT (no such device), -EEXIST (LUN or device already in
 * the group), -ERANGE (LUN too large) or -ENOMEM.
 */
int scst_acg_lun_add(struct scst_acg *acg, const char *dev_name, u64 lun,
		     bool read_only)
{
	struct scst_acg_dev *acg_dev;
	struct scst_device *dev;
	unsigned long idx;
	int ret;

	lockdep_assert_held(&scst_config_mutex);
	if (lun > SCST_MAX_LUN)
		return -ERANGE;
	dev = scst_dev_lookup(dev_name);
	if (!dev)
		return -ENOENT;
	xa_for_each(&acg->luns, idx, acg_dev)
		if (acg_dev->dev == dev)
			return -EEXIST;

	acg_dev = kzalloc(sizeof(*acg_dev), GFP_KERNEL);
	if (!acg_dev)
		return -ENOMEM;
	acg_dev->dev = dev;
	acg_dev->lun = lun;
	acg_dev->read_only = read_only;
	ret = xa_insert(&acg->luns, lun, acg_dev, GFP_KERNEL);
	if (ret) {
		kfree(acg_dev);
		return ret == -EBUSY ? -EEXIST : ret;
	}
	scst_acg_luns_changed(acg);
	return 0;
}

/**
 * scst_acg_lun_del() - stop exporting a device in a group
 * @acg: the group
 * @dev_name: the device
 * @force: even while commands to it are in flight: they are aborted (those
 *	running are waited for), and the sessions learn of the change from
 *	REPORTED LUNS DATA HAS CHANGED
 *
 * Context: process; the caller holds scst_config_mutex.
 * Return: 0, -ENOENT or -EBUSY.
 */
int scst_acg_lun_del(struct scst_acg *acg, const char *dev_name, bool force)
{
	struct scst_acg_dev *acg_dev;
	unsigned long lun;

	lockdep_assert_held(&scst_config_mutex);
	xa_for_each(&acg->luns, lun, acg_dev) {
		if (strcmp(acg_dev->dev->name, dev_name))
			continue;
		if (scst_acg_lun_busy(acg, lun)) {
			if (!force)
				return -EBUSY;
			scst_acg_abort_lun(acg, lun);
		}
		xa_erase(&acg->luns, lun);
		kfree_rcu(acg_dev, rcu);
		scst_acg_luns_changed(acg);
		return 0;
	}
	return -ENOENT;
}

/**
 * scst_acg_luns_clear() - remove every LUN of a group
 * @acg: the group
 *
 * Context: process; the caller holds scst_config_mutex.
 */
void scst_acg_luns_clear(struct scst_acg *acg)
{
	struct scst_acg_dev *acg_dev;
	unsigned long lun;
	bool changed = false;

	lockdep_assert_held(&scst_config_mutex);
	xa_for_each(&acg->luns, lun, acg_dev) {
		xa_erase(&acg->luns, lun);
		kfree_rcu(acg_dev, rcu);
		changed = true;
	}
	if (changed)
		scst_acg_luns_changed(acg);
}
