// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_local_debugfs.c - /sys/kernel/debug/scst_local/tmf: any task
 * management function, on any session and LUN, for tests
 *
 * Linux's SCSI error handler only ever asks for an abort and three kinds of
 * reset, so the other functions (CLEAR ACA, the QUERY functions, ...) could
 * not be tried through scst_local.  Writing
 *	INITIATOR_NAME LUN FUNCTION [TAG]
 * runs FUNCTION on that session and waits for the answer; reading gives the
 * last answer: complete, succeeded, rejected or incorrect_lun.  Root only,
 * and absent without debugfs: it is a test tool, not an administration
 * interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <scsi/scsi_proto.h>

#include "scst_local.h"

static struct dentry *scst_local_debugfs_dir;

/* The answer of the last TMF; under scst_local_mutex. */
static enum scst_tmf_status scst_local_last_status = SCST_TMF_COMPLETE;

static const char *const scst_local_tmf_names[] = {
	[SCST_TMF_ABORT_TASK]		= "abort_task",
	[SCST_TMF_ABORT_TASK_SET]	= "abort_task_set",
	[SCST_TMF_CLEAR_TASK_SET]	= "clear_task_set",
	[SCST_TMF_LUN_RESET]		= "lun_reset",
	[SCST_TMF_TARGET_RESET]		= "target_reset",
	[SCST_TMF_I_T_NEXUS_RESET]	= "nexus_reset",
	[SCST_TMF_CLEAR_ACA]		= "clear_aca",
	[SCST_TMF_QUERY_TASK]		= "query_task",
	[SCST_TMF_QUERY_TASK_SET]	= "query_task_set",
	[SCST_TMF_QUERY_ASYNC_EVENT]	= "query_async_event",
};

static const char *const scst_local_tmf_answers[] = {
	[SCST_TMF_COMPLETE]		= "complete",
	[SCST_TMF_SUCCEEDED]		= "succeeded",
	[SCST_TMF_REJECTED]		= "rejected",
	[SCST_TMF_INCORRECT_LUN]	= "incorrect_lun",
};

/* Parse and run one request; logs one line if it is malformed. */
static int scst_local_tmf_run(char *line)
{
	enum scst_tmf_status status;
	struct scst_local_sess *ls;
	struct scsi_lun lun;
	char *words[5];
	u64 lun_nr, tag = 0;
	int n, fn, ret;

	n = scst_proc_split_words(line, words, ARRAY_SIZE(words));
	if (n < 3 || n > 4) {
		pr_warn("tmf: expected INITIATOR_NAME LUN FUNCTION [TAG]\n");
		return -EINVAL;
	}
	fn = match_string(scst_local_tmf_names,
			  ARRAY_SIZE(scst_local_tmf_names), words[2]);
	if (fn < 0 || kstrtou64(words[1], 0, &lun_nr) ||
	    scst_lun_encode(lun_nr, &lun) ||
	    (n == 4 && kstrtou64(words[3], 0, &tag))) {
		pr_warn("tmf: bad LUN, function or tag\n");
		return -EINVAL;
	}
	mutex_lock(&scst_local_mutex);
	ls = scst_local_find(words[0]);
	if (!ls) {
		ret = -ENOENT;
	} else {
		/* The mutex keeps the session registered until the answer. */
		ret = scst_local_sess_tmf(ls, fn, &lun, tag, &status);
		if (!ret)
			scst_local_last_status = status;
	}
	mutex_unlock(&scst_local_mutex);
	return ret;
}

static ssize_t scst_local_tmf_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	char *line;
	int ret;

	if (len > 512)
		return -EINVAL;
	line = memdup_user_nul(ubuf, len);
	if (IS_ERR(line))
		return PTR_ERR(line);
	ret = scst_local_tmf_run(line);
	kfree(line);
	return ret ? ret : len;
}

static ssize_t scst_local_tmf_read(struct file *file, char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	char buf[24];
	int n;

	mutex_lock(&scst_local_mutex);
	n = scnprintf(buf, sizeof(buf), "%s\n",
		      scst_local_tmf_answers[scst_local_last_status]);
	mutex_unlock(&scst_local_mutex);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations scst_local_tmf_fops = {
	.owner	= THIS_MODULE,
	.read	= scst_local_tmf_read,
	.write	= scst_local_tmf_write,
	.llseek	= default_llseek,
};

/**
 * scst_local_debugfs_init() - create /sys/kernel/debug/scst_local/tmf
 *
 * Failing is not an error: the file only serves tests.
 *
 * Context: process, at module load.
 */
void scst_local_debugfs_init(void)
{
	scst_local_debugfs_dir = debugfs_create_dir(SCST_LOCAL_NAME, NULL);
	debugfs_create_file("tmf", 0600, scst_local_debugfs_dir, NULL,
			    &scst_local_tmf_fops);
}

/**
 * scst_local_debugfs_exit() - remove it, waiting for its callers
 *
 * Context: process, at module unload.
 */
void scst_local_debugfs_exit(void)
{
	debugfs_remove_recursive(scst_local_debugfs_dir);
}
