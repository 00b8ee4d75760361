// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_proc.c - the /proc/scsi_tgt tree, the administrator's interface
 *
 * The command vocabulary is a compatibility contract (see
 * Documentation/proc_scsi_tgt.rst).  Files are created here as the features
 * behind them exist.  Every writable file takes one command per write() and
 * goes through scst_proc_write_cmd(), so that all of them parse, refuse and
 * log the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <generated/utsrelease.h>

#include "scst_core.h"

static struct proc_dir_entry *scst_proc_root;

/* Features that change behaviour and are chosen when the module is built. */
static const char * const scst_build_features[] = {
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
	"DEBUG_ATOMIC_SLEEP",
#endif
#ifdef CONFIG_PROVE_LOCKING
	"PROVE_LOCKING",
#endif
#ifdef CONFIG_KASAN
	"KASAN",
#endif
};

static int scst_version_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "SCST %s (built for %s)\n", SCST_VERSION_STRING,
		   UTS_RELEASE);
	seq_puts(m, "features:");
	if (!ARRAY_SIZE(scst_build_features))
		seq_puts(m, " none");
	for (i = 0; i < ARRAY_SIZE(scst_build_features); i++)
		seq_printf(m, " %s", scst_build_features[i]);
	seq_putc(m, '\n');
	return 0;
}

/* ---------------------------------------------------------------- parsing */

static bool scst_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int scst_split_words(char *line, char **words, unsigned int max_words)
{
	size_t len = strlen(line);
	unsigned int n = 0;
	char *p;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';

	/* Check the whole line first, so a bad character wins over E2BIG. */
	for (p = line; *p; p++)
		if (!scst_is_blank(*p) && (*p < ' ' || *p == 0x7f))
			return -EINVAL;

	p = line;
	for (;;) {
		while (scst_is_blank(*p))
			*p++ = '\0';
		if (!*p)
			return n;
		if (n == max_words)
			return -E2BIG;
		words[n++] = p;
		while (*p && !scst_is_blank(*p))
			p++;
	}
}
EXPORT_SYMBOL_GPL(scst_split_words);

/**
 * scst_proc_write_cmd() - parse and run one command written to a /proc file
 * @ubuf:  the user's buffer
 * @len:   its length, at most one page
 * @cmds:  the file's verbs, ended by an entry with a NULL verb
 * @obj:   passed to the verb's run function
 * @where: the file's name under /proc/scsi_tgt, for the log
 *
 * Logs exactly one line if the command fails.
 *
 * Context: process context, no locks held.
 * Return: @len, or a negative errno.
 */
ssize_t scst_proc_write_cmd(const char __user *ubuf, size_t len,
			    const struct scst_proc_cmd *cmds, void *obj,
			    const char *where)
{
	char *words[SCST_PROC_MAX_WORDS];
	const struct scst_proc_cmd *cmd;
	char *line;
	int n, ret;

	if (len > PAGE_SIZE) {
		pr_info("%s: a command is at most %lu bytes, not %zu\n", where,
			PAGE_SIZE, len);
		return -EINVAL;
	}
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line)) {
		pr_info("%s: cannot read the command (%ld)\n", where,
			PTR_ERR(line));
		return PTR_ERR(line);
	}
	if (strlen(line) != len) {
		pr_info("%s: the command contains a NUL byte\n", where);
		ret = -EINVAL;
		goto out;
	}

	n = scst_split_words(line, words, ARRAY_SIZE(words));
	if (n == -E2BIG) {
		pr_info("%s: too many words in the command\n", where);
		ret = -EINVAL;
		goto out;
	}
	if (n < 0) {
		pr_info("%s: the command contains a control character\n",
			where);
		ret = -EINVAL;
		goto out;
	}
	if (!n) {
		pr_info("%s: empty command\n", where);
		ret = -EINVAL;
		goto out;
	}

	for (cmd = cmds; cmd->verb; cmd++)
		if (!*cmd->verb || !strcmp(cmd->verb, words[0]))
			break;
	if (!cmd->verb) {
		pr_info("%s: unknown command '%s'\n", where, words[0]);
		ret = -EINVAL;
		goto out;
	}
	if (!*cmd->verb) {
		/* A file whose only command is a value: all words are args. */
		if (n > cmd->max_args) {
			pr_info("%s: unexpected word '%s'\n", where,
				words[cmd->max_args]);
			ret = -EINVAL;
			goto out;
		}
		ret = cmd->run(obj, words, n);
		goto out;
	}
	if (n - 1 < cmd->min_args) {
		pr_info("%s: %s: missing argument (see /proc/scsi_tgt/help)\n",
			where, cmd->verb);
		ret = -EINVAL;
		goto out;
	}
	if (n - 1 > cmd->max_args) {
		pr_info("%s: %s: unexpected argument '%s'\n", where, cmd->verb,
			words[cmd->max_args + 1]);
		ret = -EINVAL;
		goto out;
	}

	ret = cmd->run(obj, words + 1, n - 1);
out:
	kfree(line);
	return ret ? ret : len;
}

/* ---------------------------------------------------------------- scsi_tgt */

static int scst_scsi_tgt_show(struct seq_file *m, void *v)
{
	struct scst_device *dev;

	seq_printf(m, "%-32s %-4s %s\n", "DEVICE", "TYPE", "HANDLER");
	mutex_lock(&scst_config_mutex);
	list_for_each_entry(dev, &scst_dev_list, entry)
		seq_printf(m, "%-32s %-4d %s\n", dev->name, dev->type,
			   dev->handler->name);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static int scst_scsi_tgt_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_scsi_tgt_show, NULL);
}

static int scst_cmd_add_group(void *obj, char **args, unsigned int nargs)
{
	return scst_acg_add(args[0]);
}

static int scst_cmd_del_group(void *obj, char **args, unsigned int nargs)
{
	if (nargs > 1 && strcmp(args[1], "force")) {
		pr_info("del_group: expected 'force', not '%s'\n", args[1]);
		return -EINVAL;
	}
	return scst_acg_del(args[0], nargs > 1);
}

/* H:C:I:L: four decimal numbers, as the SCSI mid-layer prints them. */
static bool scst_hctl_valid(const char *s)
{
	unsigned int parts = 0;
	size_t digits;

	for (;;) {
		digits = strspn(s, "0123456789");
		/* Host, channel and id are unsigned int; the LUN is u64. */
		if (!digits || digits > (parts == 3 ? 20 : 10))
			return false;
		s += digits;
		parts++;
		if (parts == 4)
			return !*s;
		if (*s++ != ':')
			return false;
	}
}

static int scst_cmd_assign(void *obj, char **args, unsigned int nargs)
{
	if (!scst_hctl_valid(args[0])) {
		pr_info("assign: '%s' is not H:C:I:L\n", args[0]);
		return -EINVAL;
	}
	/* No pass-through handler exists in the core yet. */
	pr_info("assign: no pass-through handler '%s' is registered\n",
		args[1]);
	return -ENOENT;
}

static const struct scst_proc_cmd scst_scsi_tgt_cmds[] = {
	{ "add_group", 1, 1, scst_cmd_add_group },
	{ "del_group", 1, 2, scst_cmd_del_group },
	{ "assign", 2, 2, scst_cmd_assign },
	{}
};

static ssize_t scst_scsi_tgt_write(struct file *file, const char __user *buf,
				   size_t len, loff_t *ppos)
{
	return scst_proc_write_cmd(buf, len, scst_scsi_tgt_cmds, NULL,
				   "scsi_tgt");
}

static const struct proc_ops scst_scsi_tgt_ops = {
	.proc_open	= scst_scsi_tgt_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_scsi_tgt_write,
};

/* ---------------------------------------------------------------- help */

static const char scst_help_text[] =
	"/proc/scsi_tgt/scsi_tgt:\n"
	"  add_group GROUP\n"
	"  del_group GROUP [force]\n"
	"  assign H:C:I:L HANDLER\n"
	"/proc/scsi_tgt/groups/GROUP/names:\n"
	"  add NAME\n"
	"  del NAME\n"
	"  clear\n"
	"/proc/scsi_tgt/groups/GROUP/devices:\n"
	"  add DEVICE LUN [READ_ONLY]\n"
	"  del DEVICE\n"
	"  clear\n"
	"/proc/scsi_tgt/threads:\n"
	"  N (1 to 512: core threads running commands at once, per CPU)\n"
	"/proc/scsi_tgt/trace_level:\n"
	"  all | none | default | value MASK | add TOKEN | del TOKEN\n"
	"  TOKEN: scsi (log every command), sense (log every CHECK CONDITION)\n"
	"GROUP: 1 to 64 printable characters, no '/'.  NAME: an initiator\n"
	"name; '*' and '?' are wildcards.  DEVICE: H:C:I:L or a virtual\n"
	"device's name.  LUN: 0 to 16383.  One command per write().\n";

static int scst_help_show(struct seq_file *m, void *v)
{
	seq_puts(m, scst_help_text);
	return 0;
}

/* ---------------------------------------------------------------- sessions */

static int scst_sessions_show(struct seq_file *m, void *v)
{
	struct scst_tgt_template *tt;
	struct scst_session *sess;
	struct scst_tgt *tgt;

	seq_printf(m, "%-16s %-32s %-32s %-16s %s\n", "TARGET_DRIVER", "TARGET",
		   "INITIATOR", "GROUP", "COMMANDS");
	mutex_lock(&scst_config_mutex);
	list_for_each_entry(tt, &scst_tt_list, tt_list_entry)
		list_for_each_entry(tgt, &tt->tgt_list, tt_entry)
			list_for_each_entry(sess, &tgt->sess_list, tgt_entry)
				/* The session's own reference is not a command. */
				seq_printf(m, "%-16s %-32s %-32s %-16s %d\n",
					   tt->name, tgt->name,
					   sess->initiator_name, sess->acg->name,
					   atomic_read(&sess->cmd_count) - 1);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

/* ---------------------------------------------------------------- tree */

/**
 * scst_proc_init() - create /proc/scsi_tgt and the core's files
 *
 * Context: process context, at module load, after scst_acg_init().
 * Return: 0 or -ENOMEM.
 */
int scst_proc_init(void)
{
	int ret;

	scst_proc_root = proc_mkdir("scsi_tgt", NULL);
	if (!scst_proc_root) {
		pr_err("cannot create /proc/scsi_tgt\n");
		return -ENOMEM;
	}
	if (!proc_create_single("version", 0444, scst_proc_root,
				scst_version_show) ||
	    !proc_create_single("help", 0444, scst_proc_root,
				scst_help_show) ||
	    !proc_create_single("sessions", 0444, scst_proc_root,
				scst_sessions_show) ||
	    !proc_create("scsi_tgt", 0600, scst_proc_root,
			 &scst_scsi_tgt_ops)) {
		pr_err("cannot create the files of /proc/scsi_tgt\n");
		ret = -ENOMEM;
		goto fail;
	}
	ret = scst_proc_tune_init(scst_proc_root);
	if (ret) {
		pr_err("cannot create the files of /proc/scsi_tgt\n");
		goto fail;
	}
	ret = scst_proc_groups_init(scst_proc_root);
	if (ret)
		goto fail;
	return 0;
fail:
	proc_remove(scst_proc_root);
	return ret;
}

/**
 * scst_proc_exit() - remove /proc/scsi_tgt with everything below it
 *
 * Context: process context, at module unload; waits for callers of the
 * files to finish, so no lock they take may be held.
 */
void scst_proc_exit(void)
{
	proc_remove(scst_proc_root);
}

struct proc_dir_entry *scst_proc_get_root(void)
{
	return scst_proc_root;
}
EXPORT_SYMBOL_GPL(scst_proc_get_root);

int scst_proc_split_words(char *cmd, char **words, unsigned int max)
{
	int n = scst_split_words(cmd, words, max);

	return n < 0 ? -EINVAL : n;
}
EXPORT_SYMBOL_GPL(scst_proc_split_words);
