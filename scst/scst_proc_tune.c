// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_proc_tune.c - /proc/scsi_tgt/threads, trace_level and stats: how
 * the core runs, as opposed to what it exports
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "scst_core.h"

/* ---------------------------------------------------------------- threads */

static int scst_threads_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%u\n", READ_ONCE(scst_threads));
	return 0;
}

static int scst_threads_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_threads_show, NULL);
}

static int scst_cmd_threads(void *obj, char **args, unsigned int nargs)
{
	unsigned int n;

	if (kstrtouint(args[0], 10, &n) || n < 1 || n > SCST_MAX_THREADS) {
		pr_info("threads: '%s' is not a number from 1 to %u\n", args[0],
			SCST_MAX_THREADS);
		return -EINVAL;
	}
	mutex_lock(&scst_config_mutex);
	scst_cmd_set_threads(n);
	mutex_unlock(&scst_config_mutex);
	return 0;
}

static ssize_t scst_threads_write(struct file *file, const char __user *buf,
				  size_t len, loff_t *ppos)
{
	static const struct scst_proc_cmd cmds[] = {
		{ "", 1, 1, scst_cmd_threads },
		{}
	};

	return scst_proc_write_cmd(buf, len, cmds, NULL, "threads");
}

static const struct proc_ops scst_threads_ops = {
	.proc_open	= scst_threads_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_threads_write,
};

/* ---------------------------------------------------------------- trace_level */

/* What each trace token makes the core log. */
static const struct {
	const char *token;
	unsigned long flag;
	const char *what;
} scst_trace_tokens[] = {
	{ "scsi", SCST_TRACE_SCSI, "every command: initiator, LUN, CDB, status" },
	{ "sense", SCST_TRACE_SENSE, "every CHECK CONDITION with its sense" },
};

unsigned long scst_trace_flags = SCST_TRACE_DEFAULT;

static int scst_trace_level_show(struct seq_file *m, void *v)
{
	unsigned long flags = READ_ONCE(scst_trace_flags);
	bool any = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scst_trace_tokens); i++) {
		if (!(flags & scst_trace_tokens[i].flag))
			continue;
		seq_printf(m, "%s%s", any ? " " : "", scst_trace_tokens[i].token);
		any = true;
	}
	seq_puts(m, any ? "\n" : "none\n");
	return 0;
}

static int scst_trace_level_open(struct inode *inode, struct file *file)
{
	return single_open(file, scst_trace_level_show, NULL);
}

static int scst_trace_set(unsigned long flags)
{
	WRITE_ONCE(scst_trace_flags, flags);
	return 0;
}

static int scst_cmd_trace_all(void *obj, char **args, unsigned int nargs)
{
	return scst_trace_set(SCST_TRACE_ALL);
}

static int scst_cmd_trace_none(void *obj, char **args, unsigned int nargs)
{
	return scst_trace_set(0);
}

static int scst_cmd_trace_default(void *obj, char **args, unsigned int nargs)
{
	return scst_trace_set(SCST_TRACE_DEFAULT);
}

static int scst_cmd_trace_value(void *obj, char **args, unsigned int nargs)
{
	unsigned long v;

	if (kstrtoul(args[0], 0, &v) || (v & ~SCST_TRACE_ALL)) {
		pr_info("trace_level: value: '%s' is not a mask of 0x%lx\n",
			args[0], SCST_TRACE_ALL);
		return -EINVAL;
	}
	return scst_trace_set(v);
}

static unsigned long scst_trace_token(const char *token)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(scst_trace_tokens); i++)
		if (!strcmp(token, scst_trace_tokens[i].token))
			return scst_trace_tokens[i].flag;
	pr_info("trace_level: unknown token '%s' (see /proc/scsi_tgt/help)\n",
		token);
	return 0;
}

static int scst_cmd_trace_add(void *obj, char **args, unsigned int nargs)
{
	unsigned long flag = scst_trace_token(args[0]);

	if (!flag)
		return -EINVAL;
	return scst_trace_set(READ_ONCE(scst_trace_flags) | flag);
}

static int scst_cmd_trace_del(void *obj, char **args, unsigned int nargs)
{
	unsigned long flag = scst_trace_token(args[0]);

	if (!flag)
		return -EINVAL;
	return scst_trace_set(READ_ONCE(scst_trace_flags) & ~flag);
}

static ssize_t scst_trace_level_write(struct file *file,
				      const char __user *buf, size_t len,
				      loff_t *ppos)
{
	static const struct scst_proc_cmd cmds[] = {
		{ "all", 0, 0, scst_cmd_trace_all },
		{ "none", 0, 0, scst_cmd_trace_none },
		{ "default", 0, 0, scst_cmd_trace_default },
		{ "value", 1, 1, scst_cmd_trace_value },
		{ "add", 1, 1, scst_cmd_trace_add },
		{ "del", 1, 1, scst_cmd_trace_del },
		{}
	};
	ssize_t ret;

	/* One writer at a time, so that add and del are not lost. */
	mutex_lock(&scst_config_mutex);
	ret = scst_proc_write_cmd(buf, len, cmds, NULL, "trace_level");
	mutex_unlock(&scst_config_mutex);
	return ret;
}

static const struct proc_ops scst_trace_level_ops = {
	.proc_open	= scst_trace_level_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
	.proc_write	= scst_trace_level_write,
};

/**
 * scst_trace_cmd() - log a command the trace tokens ask for
 * @cmd: a command about to be answered
 *
 * Context: any.
 */
void scst_trace_cmd(struct scst_cmd *cmd)
{
	unsigned long flags = READ_ONCE(scst_trace_flags);
	bool check = cmd->status == SAM_STAT_CHECK_CONDITION;

	if (flags & SCST_TRACE_SCSI)
		pr_info_ratelimited("%s LUN %lld: %*ph status 0x%02x\n",
				    cmd->sess->initiator_name, (s64)cmd->lun,
				    min_t(unsigned int, cmd->cdb_len, 16),
				    cmd->cdb, cmd->status);
	if ((flags & SCST_TRACE_SENSE) && check)
		pr_info_ratelimited("%s LUN %lld: opcode 0x%02x sense %*ph\n",
				    cmd->sess->initiator_name, (s64)cmd->lun,
				    cmd->cdb[0], cmd->sense_len, cmd->sense);
}

/* ---------------------------------------------------------------- stats */

static int scst_stats_show(struct seq_file *m, void *v)
{
	unsigned long cmds, switches, hits, misses;

	scst_cmd_stats(&cmds, &switches);
	scst_sgv_stats(&hits, &misses);
	seq_printf(m, "commands %lu\nthread_switches %lu\n", cmds, switches);
	seq_printf(m, "buffer_cache_hits %lu\nbuffer_cache_misses %lu\n", hits,
		   misses);
	seq_printf(m, "aborted_commands %lu\n", scst_tmf_aborted_count());
	return 0;
}

/**
 * scst_proc_tune_init() - create threads, trace_level and stats
 * @root: /proc/scsi_tgt
 *
 * Context: process, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_proc_tune_init(struct proc_dir_entry *root)
{
	if (!proc_create("threads", 0600, root, &scst_threads_ops) ||
	    !proc_create("trace_level", 0600, root, &scst_trace_level_ops) ||
	    !proc_create_single("stats", 0444, root, scst_stats_show))
		return -ENOMEM;
	return 0;
}
