// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_proc.c - /proc/scsi_tgt/vdisk: open, close and resize devices
 *
 * One command per write() to /proc/scsi_tgt/vdisk/vdisk:
 *   open NAME PATH [BLOCK_SIZE] [OPTION...] [size=BYTES]
 *   close NAME
 *   resync_size NAME
 * Reading the file prints one "open" line per device that recreates it;
 * what follows "#" on a line is a comment, ignored when written back.
 * A failed command logs exactly one line and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "scst_vdisk.h"

/*
 * Serialises the /proc commands and protects vdisk_dev_list and the
 * membership of each device in it, and each device's @nblocks writers.
 * Held across scst_register_virtual_device() and
 * scst_unregister_virtual_device(), so the lock order is vdisk_mutex, then
 * the core's scst_config_mutex.  The command path never takes it.
 */
DEFINE_MUTEX(vdisk_mutex);
/* Every open device, in the order they were opened. */
static LIST_HEAD(vdisk_dev_list);

static struct proc_dir_entry *vdisk_proc_dir;

static const struct {
	const char *word;
	unsigned int opt;
} vdisk_opt_names[] = {
	{ "WRITE_THROUGH",	VDISK_WRITE_THROUGH },
	{ "READ_ONLY",		VDISK_READ_ONLY },
	{ "O_DIRECT",		VDISK_O_DIRECT },
	{ "NULLIO",		VDISK_NULLIO },
	{ "NV_CACHE",		VDISK_NV_CACHE },
	{ "REMOVABLE",		VDISK_REMOVABLE },
	{ "BLOCKIO",		VDISK_BLOCKIO },
};

/* ---------------------------------------------------------------- devices */

static struct vdisk_dev *vdisk_lookup(const char *name)
{
	struct vdisk_dev *vdev;

	lockdep_assert_held(&vdisk_mutex);
	list_for_each_entry(vdev, &vdisk_dev_list, entry)
		if (!strcmp(vdev->name, name))
			return vdev;
	return NULL;
}

/**
 * vdisk_name_valid() - 1..VDISK_NAME_MAX printable characters, no blank, no '/'
 * @name: a device name
 *
 * Context: any.
 */
bool vdisk_name_valid(const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!len || len > VDISK_NAME_MAX)
		return false;
	for (p = name; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '/')
			return false;
	return true;
}

static void vdisk_free(struct vdisk_dev *vdev)
{
	kfree(vdev->path);
	kfree(vdev);
}

/* Parse the words after "open NAME PATH" into @vdev; logs on failure. */
static int vdisk_parse_opts(struct vdisk_dev *vdev, char **words,
			    unsigned int n, u64 *size)
{
	bool have_bs = false;
	unsigned int i, j;
	u32 bs;

	*size = 0;
	for (i = 0; i < n; i++) {
		const char *w = words[i];

		if (isdigit(*w)) {
			if (have_bs || kstrtou32(w, 10, &bs) ||
			    (bs != 512 && bs != 1024 && bs != 2048 &&
			     bs != 4096)) {
				pr_warn("open: %s: bad or repeated block size '%s' (512, 1024, 2048 or 4096)\n",
					vdev->name, w);
				return -EINVAL;
			}
			vdev->block_size = bs;
			have_bs = true;
			continue;
		}
		if (!strncmp(w, "size=", 5)) {
			if (*size || kstrtou64(w + 5, 10, size) || !*size) {
				pr_warn("open: %s: bad or repeated '%s'\n",
					vdev->name, w);
				return -EINVAL;
			}
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(vdisk_opt_names); j++)
			if (!strcmp(w, vdisk_opt_names[j].word))
				break;
		if (j == ARRAY_SIZE(vdisk_opt_names) ||
		    vdisk_opt(vdev, vdisk_opt_names[j].opt)) {
			pr_warn("open: %s: unknown or repeated option '%s'\n",
				vdev->name, w);
			return -EINVAL;
		}
		vdev->opts |= vdisk_opt_names[j].opt;
	}
	vdev->block_shift = ilog2(vdev->block_size);
	if (*size && !vdisk_opt(vdev, VDISK_NULLIO)) {
		pr_warn("open: %s: size= is only for NULLIO\n", vdev->name);
		return -EINVAL;
	}
	if (vdisk_opt(vdev, VDISK_BLOCKIO) &&
	    vdisk_opt(vdev, VDISK_NULLIO | VDISK_O_DIRECT)) {
		pr_warn("open: %s: BLOCKIO goes with neither NULLIO nor O_DIRECT\n",
			vdev->name);
		return -EINVAL;
	}
	return 0;
}

static int vdisk_cmd_open(char **words, unsigned int n)
{
	struct vdisk_dev *vdev;
	struct scst_device *dev;
	u64 size, nblocks;
	int ret;

	if (n < 3) {
		pr_warn("open: expected NAME PATH [BLOCK_SIZE] [OPTION...]\n");
		return -EINVAL;
	}
	if (!vdisk_name_valid(words[1])) {
		pr_warn("open: bad device name '%s' (1 to %d printable characters, no '/')\n",
			words[1], VDISK_NAME_MAX);
		return -EINVAL;
	}
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	/* The allocator has logged the failure. */
	if (!vdev)
		return -ENOMEM;
	strscpy(vdev->name, words[1], sizeof(vdev->name));
	init_rwsem(&vdev->write_sem);
	atomic_set(&vdev->bio_writes, 0);
	vdev->block_size = 512;
	ret = vdisk_parse_opts(vdev, words + 3, n - 3, &size);
	if (ret)
		goto free;
	if (vdisk_lookup(vdev->name)) {
		pr_warn("open: device '%s' already exists\n", vdev->name);
		ret = -EEXIST;
		goto free;
	}
	vdev->path = kstrdup(words[2], GFP_KERNEL);
	if (!vdev->path) {
		ret = -ENOMEM;
		goto free;
	}

	if (vdisk_opt(vdev, VDISK_NULLIO)) {
		nblocks = (size ?: VDISK_NULLIO_DEFAULT_SIZE) >>
			  vdev->block_shift;
		if (!nblocks) {
			pr_warn("open: %s: size=%llu is less than one block\n",
				vdev->name, size);
			ret = -EINVAL;
			goto free;
		}
	} else {
		ret = vdisk_opt(vdev, VDISK_BLOCKIO) ? vdisk_blockio_open(vdev) :
						       vdisk_file_open(vdev);
		if (ret)
			goto free;
		ret = vdisk_file_size(vdev, &nblocks);
		if (ret) {
			pr_warn("open: %s: '%s' is smaller than one %u byte block\n",
				vdev->name, vdev->path, vdev->block_size);
			goto close;
		}
	}
	atomic64_set(&vdev->nblocks, nblocks);
	vdisk_make_ids(vdev);
	vdisk_mode_init(vdev);

	dev = scst_register_virtual_device(&vdisk_type, vdev->name, vdev);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		pr_warn("open: %s: the core refused the device (%d)\n",
			vdev->name, ret);
		goto close;
	}
	vdev->dev = dev;
	list_add_tail(&vdev->entry, &vdisk_dev_list);
	pr_info("opened %s: %llu blocks of %u bytes\n", vdev->name, nblocks,
		vdev->block_size);
	return 0;

close:
	vdisk_file_close(vdev);
free:
	vdisk_free(vdev);
	return ret;
}

/* Unregister, then close: no command uses the file once unregistered. */
static void vdisk_close(struct vdisk_dev *vdev)
{
	lockdep_assert_held(&vdisk_mutex);
	list_del(&vdev->entry);
	scst_unregister_virtual_device(vdev->dev);
	vdisk_file_close(vdev);
	pr_info("closed %s\n", vdev->name);
	vdisk_free(vdev);
}

static struct vdisk_dev *vdisk_lookup_logged(char **words, unsigned int n)
{
	struct vdisk_dev *vdev;

	if (n != 2) {
		pr_warn("%s: expected exactly one device name\n", words[0]);
		return ERR_PTR(-EINVAL);
	}
	vdev = vdisk_lookup(words[1]);
	if (!vdev) {
		pr_warn("%s: no device '%s'\n", words[0], words[1]);
		return ERR_PTR(-ENOENT);
	}
	return vdev;
}

static int vdisk_cmd_close(char **words, unsigned int n)
{
	struct vdisk_dev *vdev = vdisk_lookup_logged(words, n);

	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	vdisk_close(vdev);
	return 0;
}

static int vdisk_cmd_resync_size(char **words, unsigned int n)
{
	struct vdisk_dev *vdev = vdisk_lookup_logged(words, n);
	u64 nblocks;

	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	/* A NULLIO device has no file; its size is what "open" said. */
	if (vdisk_opt(vdev, VDISK_NULLIO))
		return 0;
	if (vdisk_file_size(vdev, &nblocks)) {
		pr_warn("resync_size: %s: '%s' is now smaller than one block\n",
			vdev->name, vdev->path);
		return -EINVAL;
	}
	if (nblocks == vdisk_nblocks(vdev))
		return 0;
	pr_info("%s: capacity %llu -> %llu blocks\n", vdev->name,
		vdisk_nblocks(vdev), nblocks);
	atomic64_set(&vdev->nblocks, nblocks);
	/* Initiators cache the capacity: tell each of them it changed. */
	scst_dev_queue_ua(vdev->dev, 0x2a, 0x09);
	return 0;
}

/**
 * vdisk_close_all() - close every device, at module unload
 *
 * Context: process; the /proc files are gone already.
 */
void vdisk_close_all(void)
{
	struct vdisk_dev *vdev, *tmp;

	mutex_lock(&vdisk_mutex);
	list_for_each_entry_safe_reverse(vdev, tmp, &vdisk_dev_list, entry)
		vdisk_close(vdev);
	mutex_unlock(&vdisk_mutex);
}

/* ---------------------------------------------------------------- files */

static const struct vdisk_proc_cmd vdisk_cmds[] = {
	{ "open",		vdisk_cmd_open },
	{ "close",		vdisk_cmd_close },
	{ "resync_size",	vdisk_cmd_resync_size },
};

/**
 * vdisk_proc_dispatch() - split a command line and run its verb
 * @line: the line, modified in place
 * @cmds: the verbs of the file
 * @ncmds: how many
 * @dir: the file's directory under /proc/scsi_tgt, for the error message
 *
 * A word starting with '#' begins a comment, as the listings write.
 *
 * Context: process; the caller holds vdisk_mutex.
 * Return: what the verb returned; -EINVAL (logged) for an empty line, too
 * many words or an unknown verb.
 */
int vdisk_proc_dispatch(char *line, const struct vdisk_proc_cmd *cmds,
			unsigned int ncmds, const char *dir)
{
	char *words[VDISK_MAX_WORDS];
	unsigned int i;
	int n;

	n = scst_proc_split_words(line, words, ARRAY_SIZE(words));
	if (n < 0) {
		pr_warn("too many words in the command\n");
		return -EINVAL;
	}
	for (i = 0; i < n; i++)
		if (words[i][0] == '#')
			n = i;
	if (!n) {
		pr_warn("empty command\n");
		return -EINVAL;
	}
	for (i = 0; i < ncmds; i++)
		if (!strcmp(words[0], cmds[i].verb))
			return cmds[i].run(words, n);
	pr_warn("unknown command '%s' (see /proc/scsi_tgt/%s/help)\n",
		words[0], dir);
	return -EINVAL;
}

static int vdisk_run(char *line)
{
	return vdisk_proc_dispatch(line, vdisk_cmds, ARRAY_SIZE(vdisk_cmds),
				   vdisk_type.name);
}

/**
 * vdisk_proc_write_cmd() - run one command written to a /proc file of
 * scst_vdisk.ko, under vdisk_mutex
 * @ubuf: what user space wrote
 * @len: its length
 * @run: parses and runs the line; logs exactly one line on failure
 *
 * Context: process; takes vdisk_mutex.
 * Return: @len, or a negative errno.
 */
ssize_t vdisk_proc_write_cmd(const char __user *ubuf, size_t len,
			     int (*run)(char *line))
{
	char *line;
	int ret;

	if (len >= PAGE_SIZE) {
		pr_warn("a command is shorter than %lu bytes\n", PAGE_SIZE);
		return -EINVAL;
	}
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line)) {
		pr_warn("cannot read the command (%ld)\n", PTR_ERR(line));
		return PTR_ERR(line);
	}
	if (strlen(line) != len) {
		pr_warn("the command contains a NUL byte\n");
		ret = -EINVAL;
	} else {
		mutex_lock(&vdisk_mutex);
		ret = run(line);
		mutex_unlock(&vdisk_mutex);
	}
	kfree(line);
	return ret ? ret : len;
}

static ssize_t vdisk_proc_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	return vdisk_proc_write_cmd(ubuf, len, vdisk_run);
}

static int vdisk_proc_show(struct seq_file *m, void *v)
{
	struct vdisk_dev *vdev;
	unsigned int i;

	mutex_lock(&vdisk_mutex);
	list_for_each_entry(vdev, &vdisk_dev_list, entry) {
		u64 size = vdisk_nblocks(vdev) << vdev->block_shift;

		seq_printf(m, "open %s %s %u", vdev->name, vdev->path,
			   vdev->block_size);
		for (i = 0; i < ARRAY_SIZE(vdisk_opt_names); i++)
			if (vdisk_opt(vdev, vdisk_opt_names[i].opt))
				seq_printf(m, " %s", vdisk_opt_names[i].word);
		/* A file's size is the file's: shown, not part of "open". */
		seq_printf(m, vdisk_opt(vdev, VDISK_NULLIO) ? " size=%llu\n" :
			   " # size=%llu\n", size);
	}
	mutex_unlock(&vdisk_mutex);
	return 0;
}

static int vdisk_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, vdisk_proc_show, NULL);
}

static const struct proc_ops vdisk_proc_ops = {
	.proc_open	= vdisk_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= vdisk_proc_write,
};

static const char vdisk_help_text[] =
	"/proc/scsi_tgt/vdisk/vdisk:\n"
	"  open NAME PATH [BLOCK_SIZE] [WRITE_THROUGH] [READ_ONLY] [O_DIRECT]\n"
	"       [NULLIO] [NV_CACHE] [REMOVABLE] [BLOCKIO] [size=BYTES]\n"
	"  close NAME\n"
	"  resync_size NAME\n"
	"NAME: 1 to 64 printable characters, no '/'.  PATH: a regular file\n"
	"(FILEIO), a block device (BLOCKIO), ignored with NULLIO.  BLOCK_SIZE:\n"
	"512 (default), 1024, 2048 or 4096.  size=BYTES: NULLIO only (default\n"
	"1 TiB).  Reading the file lists one open command per device; '#'\n"
	"starts a comment.  One command per write().\n";

/* The help file: its text is the file's data. */
static int vdisk_help_show(struct seq_file *m, void *v)
{
	seq_puts(m, m->private);
	return 0;
}

/**
 * vdisk_proc_dir_create() - /proc/scsi_tgt/NAME/{NAME,help} of a handler
 * @name: the handler's name
 * @ops: the command file's operations (mode 0600)
 * @help: the help file's text (mode 0444)
 *
 * Context: process, at module load.
 * Return: the directory, or NULL (logged).
 */
struct proc_dir_entry *vdisk_proc_dir_create(const char *name,
					     const struct proc_ops *ops,
					     const char *help)
{
	struct proc_dir_entry *root = scst_proc_get_root(), *dir;

	if (!root) {
		pr_err("/proc/scsi_tgt does not exist\n");
		return NULL;
	}
	dir = proc_mkdir(name, root);
	if (!dir) {
		pr_err("cannot create /proc/scsi_tgt/%s\n", name);
		return NULL;
	}
	if (!proc_create(name, 0600, dir, ops) ||
	    !proc_create_single_data("help", 0444, dir, vdisk_help_show,
				     (void *)help)) {
		pr_err("cannot create the files of /proc/scsi_tgt/%s\n", name);
		proc_remove(dir);
		return NULL;
	}
	return dir;
}

int vdisk_proc_init(void)
{
	vdisk_proc_dir = vdisk_proc_dir_create(vdisk_type.name, &vdisk_proc_ops,
					       vdisk_help_text);
	return vdisk_proc_dir ? 0 : -ENOMEM;
}

/*
 * Context: process; waits until no caller is in a file, so vdisk_mutex must
 * not be held.
 */
void vdisk_proc_exit(void)
{
	proc_remove(vdisk_proc_dir);
}
