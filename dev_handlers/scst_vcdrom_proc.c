// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vcdrom_proc.c - /proc/scsi_tgt/vcdrom: open, change and close
 * virtual CD-ROM drives
 *
 * One command per write() to /proc/scsi_tgt/vcdrom/vcdrom:
 *   open NAME [PATH]	a drive, with the ISO image PATH in it or empty
 *   change NAME [PATH]	put another image in, or (no PATH) eject
 *   close NAME
 * Reading the file prints one "open" line per drive that recreates it.
 * A failed command logs exactly one line and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_vcdrom.h"

/* Every drive, in the order they were opened; under vdisk_mutex. */
static LIST_HEAD(vcdrom_dev_list);
static struct proc_dir_entry *vcdrom_proc_dir;

static struct vcdrom_dev *vcdrom_lookup(const char *name)
{
	struct vcdrom_dev *vcd;

	lockdep_assert_held(&vdisk_mutex);
	list_for_each_entry(vcd, &vcdrom_dev_list, entry)
		if (!strcmp(vcd->name, name))
			return vcd;
	return NULL;
}

static int vcdrom_cmd_open(char **words, unsigned int n)
{
	struct vcdrom_dev *vcd;
	struct scst_device *dev;
	int ret;

	if (n < 2 || n > 3) {
		pr_warn("open: expected NAME [PATH]\n");
		return -EINVAL;
	}
	if (!vdisk_name_valid(words[1])) {
		pr_warn("open: bad device name '%s' (1 to %d printable characters, no '/')\n",
			words[1], VDISK_NAME_MAX);
		return -EINVAL;
	}
	if (vcdrom_lookup(words[1])) {
		pr_warn("open: device '%s' already exists\n", words[1]);
		return -EEXIST;
	}
	vcd = kzalloc(sizeof(*vcd), GFP_KERNEL);
	if (!vcd)
		return -ENOMEM;
	strscpy(vcd->name, words[1], sizeof(vcd->name));
	init_rwsem(&vcd->medium_sem);
	vdisk_derive_ids(vcd->name, vcd->serial, vcd->naa);
	if (n == 3) {
		ret = vcdrom_medium_load(vcd, words[2]);
		if (ret)
			goto free;
	}
	dev = scst_register_virtual_device(&vcdrom_type, vcd->name, vcd);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		pr_warn("open: %s: the core refused the device (%d)\n",
			vcd->name, ret);
		goto eject;
	}
	vcd->dev = dev;
	/* A new drive reports no event for the medium it starts with. */
	atomic_set(&vcd->event, VCDROM_EVENT_NONE);
	list_add_tail(&vcd->entry, &vcdrom_dev_list);
	pr_info("opened CD-ROM %s\n", vcd->name);
	return 0;

eject:
	vcdrom_medium_eject(vcd);
free:
	kfree(vcd);
	return ret;
}

/* Unregister first: no command reads the medium once that returned. */
static void vcdrom_close(struct vcdrom_dev *vcd)
{
	lockdep_assert_held(&vdisk_mutex);
	list_del(&vcd->entry);
	scst_unregister_virtual_device(vcd->dev);
	vcdrom_medium_eject(vcd);
	pr_info("closed CD-ROM %s\n", vcd->name);
	kfree(vcd);
}

static struct vcdrom_dev *vcdrom_lookup_logged(char **words, unsigned int n,
					       unsigned int max)
{
	struct vcdrom_dev *vcd;

	if (n < 2 || n > max) {
		pr_warn("%s: expected NAME%s\n", words[0],
			max > 2 ? " [PATH]" : "");
		return ERR_PTR(-EINVAL);
	}
	vcd = vcdrom_lookup(words[1]);
	if (!vcd) {
		pr_warn("%s: no device '%s'\n", words[0], words[1]);
		return ERR_PTR(-ENOENT);
	}
	return vcd;
}

static int vcdrom_cmd_change(char **words, unsigned int n)
{
	struct vcdrom_dev *vcd = vcdrom_lookup_logged(words, n, 3);

	if (IS_ERR(vcd))
		return PTR_ERR(vcd);
	if (n == 3)
		return vcdrom_medium_load(vcd, words[2]);
	vcdrom_medium_eject(vcd);
	return 0;
}

static int vcdrom_cmd_close(char **words, unsigned int n)
{
	struct vcdrom_dev *vcd = vcdrom_lookup_logged(words, n, 2);

	if (IS_ERR(vcd))
		return PTR_ERR(vcd);
	vcdrom_close(vcd);
	return 0;
}

/**
 * vcdrom_close_all() - close every drive, at module unload
 *
 * Context: process; the /proc files are gone already.
 */
void vcdrom_close_all(void)
{
	struct vcdrom_dev *vcd, *tmp;

	mutex_lock(&vdisk_mutex);
	list_for_each_entry_safe_reverse(vcd, tmp, &vcdrom_dev_list, entry)
		vcdrom_close(vcd);
	mutex_unlock(&vdisk_mutex);
}

static const struct vdisk_proc_cmd vcdrom_cmds[] = {
	{ "open",	vcdrom_cmd_open },
	{ "change",	vcdrom_cmd_change },
	{ "close",	vcdrom_cmd_close },
};

static int vcdrom_run(char *line)
{
	return vdisk_proc_dispatch(line, vcdrom_cmds, ARRAY_SIZE(vcdrom_cmds),
				   vcdrom_type.name);
}

static ssize_t vcdrom_proc_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	return vdisk_proc_write_cmd(ubuf, len, vcdrom_run);
}

static int vcdrom_proc_show(struct seq_file *m, void *v)
{
	struct vcdrom_dev *vcd;

	mutex_lock(&vdisk_mutex);
	list_for_each_entry(vcd, &vcdrom_dev_list, entry) {
		down_read(&vcd->medium_sem);
		if (vcd->path)
			seq_printf(m, "open %s %s # %llu blocks of 2048 bytes\n",
				   vcd->name, vcd->path, vcd->nblocks);
		else
			seq_printf(m, "open %s # empty\n", vcd->name);
		up_read(&vcd->medium_sem);
	}
	mutex_unlock(&vdisk_mutex);
	return 0;
}

static int vcdrom_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, vcdrom_proc_show, NULL);
}

static const struct proc_ops vcdrom_proc_ops = {
	.proc_open	= vcdrom_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= vcdrom_proc_write,
};

static const char vcdrom_help_text[] =
	"/proc/scsi_tgt/vcdrom/vcdrom:\n"
	"  open NAME [PATH]\n"
	"  change NAME [PATH]\n"
	"  close NAME\n"
	"NAME: 1 to 64 printable characters, no '/'.  PATH: an ISO image (a\n"
	"regular file, read-only, 2048-byte blocks); without PATH the drive is\n"
	"empty (open) or the medium is ejected (change).  Reading the file lists\n"
	"one open command per drive; '#' starts a comment.  One command per\n"
	"write().\n";

/**
 * vcdrom_proc_init() - create /proc/scsi_tgt/vcdrom/{vcdrom,help}
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int vcdrom_proc_init(void)
{
	vcdrom_proc_dir = vdisk_proc_dir_create(vcdrom_type.name,
						&vcdrom_proc_ops,
						vcdrom_help_text);
	return vcdrom_proc_dir ? 0 : -ENOMEM;
}

/**
 * vcdrom_proc_exit() - remove them, waiting for their callers
 *
 * Context: process; vdisk_mutex must not be held.
 */
void vcdrom_proc_exit(void)
{
	proc_remove(vcdrom_proc_dir);
}
