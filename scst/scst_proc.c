// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_proc.c - the /proc/scsi_tgt tree, the administrator's interface
 *
 * The command vocabulary is a compatibility contract (see
 * Documentation/proc_scsi_tgt.rst).  Files are created here as the features
 * behind them exist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <generated/utsrelease.h>

#include "scst_priv.h"

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

/**
 * scst_proc_init() - create /proc/scsi_tgt and the core's files
 *
 * Context: process context, at module load.
 * Return: 0 or -ENOMEM.
 */
int scst_proc_init(void)
{
	scst_proc_root = proc_mkdir("scsi_tgt", NULL);
	if (!scst_proc_root) {
		pr_err("cannot create /proc/scsi_tgt\n");
		return -ENOMEM;
	}
	if (!proc_create_single("version", 0444, scst_proc_root,
				scst_version_show)) {
		pr_err("cannot create /proc/scsi_tgt/version\n");
		proc_remove(scst_proc_root);
		return -ENOMEM;
	}
	return 0;
}

/**
 * scst_proc_exit() - remove /proc/scsi_tgt with everything below it
 *
 * Context: process context, at module unload; waits for readers to finish.
 */
void scst_proc_exit(void)
{
	proc_remove(scst_proc_root);
}
