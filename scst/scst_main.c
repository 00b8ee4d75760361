// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_main.c - load and unload the SCST core
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "scst_core.h"

static int __init scst_init(void)
{
	int ret;

	ret = scst_sgv_init();
	if (ret)
		return ret;
	ret = scst_cmd_init();
	if (ret)
		goto out_sgv;
	ret = scst_tmf_init();
	if (ret)
		goto out_cmd;
	ret = scst_acg_init();
	if (ret)
		goto out_tmf;
	scst_pr_file_init();
	ret = scst_proc_init();
	if (ret)
		goto out_pr;

	pr_info("SCST core %s loaded\n", SCST_VERSION_STRING);
	return 0;

out_pr:
	scst_pr_file_exit();
	scst_acg_exit();
out_tmf:
	scst_tmf_exit();
out_cmd:
	scst_cmd_exit();
out_sgv:
	scst_sgv_exit();
	return ret;
}

static void __exit scst_exit(void)
{
	/* No /proc caller may still be using a group when they are freed. */
	scst_proc_exit();
	scst_pr_file_exit();
	scst_acg_exit();
	scst_tmf_exit();
	scst_cmd_exit();
	scst_sgv_exit();
	pr_info("SCST core unloaded\n");
}

module_init(scst_init);
module_exit(scst_exit);

MODULE_DESCRIPTION("SCST: generic SCSI target subsystem, core");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION_STRING);
