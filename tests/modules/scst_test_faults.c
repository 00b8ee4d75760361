// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_test_faults.c - provoke the kernel reports the test harness must catch
 *
 * The harness fails a test when the kernel log shows a WARNING, a sleeping
 * function called from atomic context, a memory leak, and so on.  To prove
 * that its scanner cannot pass silently, the smoke tests load this module
 * with one of the parameters below and check that the report is found.
 * Test-only: never installed, never loaded outside tests/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

static bool warn;
module_param(warn, bool, 0444);
MODULE_PARM_DESC(warn, "WARN() once at load");

static bool atomic_sleep;
module_param(atomic_sleep, bool, 0444);
MODULE_PARM_DESC(atomic_sleep, "call might_sleep() under a spinlock at load");

static uint leak;
module_param(leak, uint, 0444);
MODULE_PARM_DESC(leak, "allocate this many bytes at load and drop the pointer");

static DEFINE_SPINLOCK(scst_test_lock);

static noinline void scst_test_leak(size_t size)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (p)
		memset(p, 0x5a, size);
	pr_info("leaked %zu bytes on purpose\n", size);
}

static int __init scst_test_faults_init(void)
{
	WARN(warn, "scst_test_faults: deliberate warning for the log scanner\n");

	if (atomic_sleep) {
		spin_lock(&scst_test_lock);
		might_sleep();
		spin_unlock(&scst_test_lock);
	}

	if (leak)
		scst_test_leak(leak);
	return 0;
}

static void __exit scst_test_faults_exit(void)
{
}

module_init(scst_test_faults_init);
module_exit(scst_test_faults_exit);

MODULE_DESCRIPTION("SCST test harness: deliberately provoke kernel reports");
MODULE_LICENSE("GPL");
