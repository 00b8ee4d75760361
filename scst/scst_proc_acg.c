// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_proc_acg.c - /proc/scsi_tgt/groups/GROUP/{names,devices}
 *
 * The files of a group carry a pointer to it.  That is safe without a
 * reference count because scst_acg_del() frees a group only after
 * proc_remove() of its directory, which waits for every caller of its files
 * and makes later calls fail; a caller that runs after the group was
 * unlinked but before its files are gone sees !acg->live and answers
 * -ENOENT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "scst_core.h"

static struct proc_dir_entry *scst_proc_groups;

/* Room for "groups/GROUP/devices". */
#define SCST_PROC_WHERE_MAX	(SCST_ACG_NAME_MAX + 16)

/*
 * Take scst_config_mutex for a command on @acg; logs and fails if the group
 * was deleted since the file was opened.
 */
static int scst_acg_lock_live(struct scst_acg *acg, const char *verb)
{
	mutex_lock(&scst_config_mutex);
	if (acg->live)
		return 0;
	mutex_unlock(&scst_config_mutex);
	pr_info("group %s: %s: the group was deleted\n", acg->name, verb);
	return -ENOENT;
}

/* ---------------------------------------------------------------- names */

static int scst_acg_names_show(struct seq_file *m, void *v)
{
	struct scst_acg *acg = m->private;
	struct scst_acn *acn;

	mutex_lock(&scst_config_mutex);
	if (acg->live)
		list_for_each_entry(acn, &acg->names, entry)
			seq_printf(m, "%s\n", acn->name);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static int scst_acg_names_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_acg_names_show, pde_data(inode));
}

static int scst_names_cmd_add(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	int ret;

	ret = scst_acg_lock_live(acg, "add");
	if (ret)
		return ret;
	ret = scst_acg_name_add(acg, args[0]);
	mutex_unlock(&scst_config_mutex);
	return ret;
}

static int scst_names_cmd_del(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	int ret;

	ret = scst_acg_lock_live(acg, "del");
	if (ret)
		return ret;
	ret = scst_acg_name_del(acg, args[0]);
	mutex_unlock(&scst_config_mutex);
	return ret;
}

static int scst_names_cmd_clear(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	int ret;

	ret = scst_acg_lock_live(acg, "clear");
	if (ret)
		return ret;
	scst_acg_names_clear(acg);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static const struct scst_proc_cmd scst_names_cmds[] = {
	{ "add", 1, 1, scst_names_cmd_add },
	{ "del", 1, 1, scst_names_cmd_del },
	{ "clear", 0, 0, scst_names_cmd_clear },
	{}
};

static ssize_t scst_acg_names_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	struct scst_acg *acg = pde_data(file_inode(file));
	char where[SCST_PROC_WHERE_MAX];

	snprintf(where, sizeof(where), "groups/%s/names", acg->name);
	return scst_proc_write_cmd(buf, len, scst_names_cmds, acg, where);
}

static const struct proc_ops scst_acg_names_ops = {
	.proc_open	= scst_acg_names_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_acg_names_write,
};

/* ---------------------------------------------------------------- devices */

static int scst_acg_devices_show(struct seq_file *m, void *v)
{
	struct scst_acg *acg = m->private;
	struct scst_acg_dev *acg_dev;
	unsigned long lun;

	mutex_lock(&scst_config_mutex);
	xa_for_each(&acg->luns, lun, acg_dev)
		seq_printf(m, "%s %lu%s\n", acg_dev->dev->name, lun,
			   acg_dev->read_only ? " READ_ONLY" : "");
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static int scst_acg_devices_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_acg_devices_show, pde_data(inode));
}

static int scst_devices_cmd_add(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	u64 lun;
	int ret;

	if (kstrtou64(args[1], 10, &lun) || lun > SCST_MAX_LUN) {
		pr_info("group %s: add: LUN '%s' is not a number from 0 to %d\n",
			acg->name, args[1], SCST_MAX_LUN);
		return -EINVAL;
	}
	if (nargs > 2 && strcmp(args[2], "READ_ONLY")) {
		pr_info("group %s: add: expected 'READ_ONLY', not '%s'\n",
			acg->name, args[2]);
		return -EINVAL;
	}
	ret = scst_acg_lock_live(acg, "add");
	if (ret)
		return ret;
	ret = scst_acg_lun_add(acg, args[0], lun, nargs > 2);
	mutex_unlock(&scst_config_mutex);
	if (ret == -ENOENT)
		pr_info("group %s: add: no device '%s'\n", acg->name, args[0]);
	else if (ret == -EEXIST)
		pr_info("group %s: add: LUN %llu or device '%s' is already in the group\n",
			acg->name, lun, args[0]);
	else if (ret)
		pr_info("group %s: add: error %d\n", acg->name, ret);
	return ret;
}

static int scst_devices_cmd_del(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	int ret;

	if (nargs > 1 && strcmp(args[1], "force")) {
		pr_info("group %s: del: expected 'force', not '%s'\n",
			acg->name, args[1]);
		return -EINVAL;
	}
	ret = scst_acg_lock_live(acg, "del");
	if (ret)
		return ret;
	ret = scst_acg_lun_del(acg, args[0], nargs > 1);
	mutex_unlock(&scst_config_mutex);
	if (ret == -ENOENT)
		pr_info("group %s: del: device '%s' has no LUN in this group\n",
			acg->name, args[0]);
	else if (ret == -EBUSY)
		pr_info("group %s: del: device '%s' has commands in flight (add 'force')\n",
			acg->name, args[0]);
	return ret;
}

static int scst_devices_cmd_clear(void *obj, char **args, unsigned int nargs)
{
	struct scst_acg *acg = obj;
	int ret;

	ret = scst_acg_lock_live(acg, "clear");
	if (ret)
		return ret;
	scst_acg_luns_clear(acg);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static const struct scst_proc_cmd scst_devices_cmds[] = {
	{ "add", 2, 3, scst_devices_cmd_add },
	{ "del", 1, 2, scst_devices_cmd_del },
	{ "clear", 0, 0, scst_devices_cmd_clear },
	{}
};

static ssize_t scst_acg_devices_write(struct file *file,
				      const char __user *buf, size_t len,
				      loff_t *ppos)
{
	struct scst_acg *acg = pde_data(file_inode(file));
	char where[SCST_PROC_WHERE_MAX];

	snprintf(where, sizeof(where), "groups/%s/devices", acg->name);
	return scst_proc_write_cmd(buf, len, scst_devices_cmds, acg, where);
}

static const struct proc_ops scst_acg_devices_ops = {
	.proc_open	= scst_acg_devices_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_acg_devices_write,
};

/* ---------------------------------------------------------------- dirs */

/**
 * scst_proc_acg_create() - create /proc/scsi_tgt/groups/GROUP and its files
 * @acg: the group, not yet live
 *
 * Context: process context; the caller serialises group creation and
 * removal, so the name is not registered in /proc.
 * Return: 0 or -ENOMEM.
 */
int scst_proc_acg_create(struct scst_acg *acg)
{
	acg->proc_dir = proc_mkdir(acg->name, scst_proc_groups);
	if (!acg->proc_dir)
		return -ENOMEM;
	if (!proc_create_data("names", 0600, acg->proc_dir,
			      &scst_acg_names_ops, acg) ||
	    !proc_create_data("devices", 0600, acg->proc_dir,
			      &scst_acg_devices_ops, acg)) {
		proc_remove(acg->proc_dir);
		acg->proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * scst_proc_acg_remove() - remove the /proc directory of a group
 * @acg: the group, no longer live
 *
 * Context: process context; waits for the callers of the group's files, so
 * the caller must not hold scst_config_mutex.
 */
void scst_proc_acg_remove(struct scst_acg *acg)
{
	proc_remove(acg->proc_dir);
	acg->proc_dir = NULL;
}

/**
 * scst_proc_groups_init() - create /proc/scsi_tgt/groups and group Default's
 * directory
 * @root: /proc/scsi_tgt
 *
 * Context: process context, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_proc_groups_init(struct proc_dir_entry *root)
{
	scst_proc_groups = proc_mkdir("groups", root);
	if (!scst_proc_groups || scst_proc_acg_create(scst_default_acg)) {
		pr_err("cannot create /proc/scsi_tgt/groups\n");
		return -ENOMEM;
	}
	return 0;
}
