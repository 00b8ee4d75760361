// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local_proc.c - /proc/scsi_tgt/scst_local, the driver's command file
 *
 *   scst_local  read: one line per session, "INITIATOR_NAME HOST_NUMBER";
 *               write: "add_session NAME" or "del_session NAME"
 *   help        the syntax of those commands
 *
 * One command per write(); a failed command logs one line, returns a
 * negative errno and changes nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_host.h>

#include "scst_local.h"

/* A command is at most one page, as for the core's files. */
#define SCST_LOCAL_CMD_MAX	PAGE_SIZE

static struct proc_dir_entry *scst_local_proc_dir;

static const char scst_local_help[] =
	"Usage: echo \"add_session INITIATOR_NAME\" >/proc/scsi_tgt/scst_local/scst_local\n"
	"       echo \"del_session INITIATOR_NAME\" >/proc/scsi_tgt/scst_local/scst_local\n"
	"\n"
	"  add_session  create a local session: a SCSI host of this machine whose\n"
	"               devices are the LUNs of the group INITIATOR_NAME selects\n"
	"  del_session  remove the session and its SCSI host\n"
	"\n"
	"INITIATOR_NAME is 1..223 printable characters without blanks.\n"
	"Reading scst_local lists one line per session: INITIATOR_NAME HOST_NUMBER\n";

static int scst_local_help_show(struct seq_file *m, void *v)
{
	seq_puts(m, scst_local_help);
	return 0;
}

static int scst_local_sessions_show(struct seq_file *m, void *v)
{
	struct scst_local_sess *ls;

	mutex_lock(&scst_local_mutex);
	list_for_each_entry(ls, &scst_local_sessions, entry)
		seq_printf(m, "%s %u\n", ls->name, ls->shost->host_no);
	mutex_unlock(&scst_local_mutex);
	return 0;
}

static int scst_local_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_local_sessions_show, NULL);
}

/* 1..SCST_LOCAL_MAX_NAME printable ASCII characters, no blanks. */
static bool scst_local_name_valid(const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!len || len > SCST_LOCAL_MAX_NAME)
		return false;
	for (p = name; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* Parse and run one command; logs exactly one line if it fails. */
static int scst_local_run(char *line)
{
	char *words[3];
	bool add;
	int n, ret;

	n = scst_proc_split_words(line, words, ARRAY_SIZE(words));
	if (n < 0) {
		pr_warn("the command has a control character or too many words\n");
		return -EINVAL;
	}
	if (!n) {
		pr_warn("empty command\n");
		return -EINVAL;
	}

	if (!strcmp(words[0], "add_session")) {
		add = true;
	} else if (!strcmp(words[0], "del_session")) {
		add = false;
	} else {
		pr_warn("unknown command '%s'\n", words[0]);
		return -EINVAL;
	}
	if (n < 2) {
		pr_warn("%s: missing INITIATOR_NAME\n", words[0]);
		return -EINVAL;
	}
	if (n > 2) {
		pr_warn("%s: unexpected argument '%s'\n", words[0], words[2]);
		return -EINVAL;
	}
	if (!scst_local_name_valid(words[1])) {
		pr_warn("%s: invalid initiator name (1..%d printable characters)\n",
			words[0], SCST_LOCAL_MAX_NAME);
		return -EINVAL;
	}

	mutex_lock(&scst_local_mutex);
	if (add)
		ret = scst_local_add_session(words[1]);
	else
		ret = scst_local_del_session(words[1]);
	mutex_unlock(&scst_local_mutex);
	return ret;
}

static ssize_t scst_local_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char *line;
	int ret;

	if (len > SCST_LOCAL_CMD_MAX) {
		pr_warn("a command is at most %lu bytes, not %zu\n",
			SCST_LOCAL_CMD_MAX, len);
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
		ret = scst_local_run(line);
	}
	kfree(line);
	return ret ? ret : len;
}

static const struct proc_ops scst_local_proc_ops = {
	.proc_open	= scst_local_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_local_write,
};

/**
 * scst_local_proc_init() - create /proc/scsi_tgt/scst_local
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_local_proc_init(void)
{
	scst_local_proc_dir = proc_mkdir(SCST_LOCAL_NAME, scst_proc_get_root());
	if (!scst_local_proc_dir)
		return -ENOMEM;
	if (!proc_create(SCST_LOCAL_NAME, 0600, scst_local_proc_dir,
			 &scst_local_proc_ops) ||
	    !proc_create_single("help", 0444, scst_local_proc_dir,
				scst_local_help_show)) {
		proc_remove(scst_local_proc_dir);
		return -ENOMEM;
	}
	return 0;
}

/**
 * scst_local_proc_exit() - remove /proc/scsi_tgt/scst_local
 *
 * Waits until no reader or writer is inside the files any more.
 *
 * Context: process, at module unload.
 */
void scst_local_proc_exit(void)
{
	proc_remove(scst_local_proc_dir);
}
