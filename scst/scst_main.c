// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_main.c - load and unload the SCST core
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "scst_priv.h"

static int __init scst_init(void)
{
	int ret;

	ret = scst_proc_init();
	if (ret)
		return ret;

	pr_info("SCST core %s loaded\n", SCST_VERSION_STRING);
	return 0;
}

static void __exit scst_exit(void)
{
	scst_proc_exit();
	pr_info("SCST core unloaded\n");
}

module_init(scst_init);
module_exit(scst_exit);

MODULE_DESCRIPTION("SCST: generic SCSI target subsystem, core");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION_STRING);
