// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_main.c - the iSCSI target driver module: its SCST template and
 * its targets
 *
 * Nothing listens and nothing is exported when the module loads: targets
 * and portals come from /proc/scsi_tgt/iscsi/iscsi (iscsi_proc.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iscsi.h"

/* Protects targets, portals, sessions lists and target settings. */
DEFINE_MUTEX(iscsi_mutex);
LIST_HEAD(iscsi_targets);
struct iscsi_chap_secret iscsi_discovery_chap;

struct scst_tgt_template iscsi_template = {
	.name			= "iscsi",
	.owner			= THIS_MODULE,
	/*
	 * Both may be called in atomic context; they return NEED_THREAD
	 * when they would have to sleep outside the receive thread.
	 */
	.rdy_to_xfer_atomic	= true,
	.xmit_response_atomic	= true,
	.rdy_to_xfer		= iscsi_rdy_to_xfer,
	.xmit_response		= iscsi_xmit_response,
	.on_free_cmd		= iscsi_on_free_cmd,
	.data_wait_aborted	= iscsi_data_wait_aborted,
	.report_luns_changed	= iscsi_report_luns_changed,
	.tmf_done		= iscsi_tmf_done,
};

/*
 * What a new target offers.  RFC 7143's defaults, except where a larger
 * value costs the target nothing and saves round trips.
 */
static void iscsi_target_default_params(struct iscsi_target *target)
{
	unsigned int i;

	for (i = 0; i < ISCSI_KEY_NEGOTIATED; i++)
		target->params[i] = iscsi_key_get(i)->def;
	target->params[ISCSI_KEY_HEADER_DIGEST] = ISCSI_DIGEST_NONE |
						  ISCSI_DIGEST_CRC32C;
	target->params[ISCSI_KEY_DATA_DIGEST] = ISCSI_DIGEST_NONE |
						ISCSI_DIGEST_CRC32C;
	target->params[ISCSI_KEY_INITIAL_R2T] = 0;
	target->params[ISCSI_KEY_MAX_RECV_DSL] = 262144;
	target->params[ISCSI_KEY_MAX_BURST] = 1048576;
	target->params[ISCSI_KEY_FIRST_BURST] = 262144;
	target->params[ISCSI_KEY_MAX_OUTSTANDING_R2T] = 32;
	target->params[ISCSI_KEY_TIME2RETAIN] = 0;
}

/* Context: process; iscsi_mutex held. */
struct iscsi_target *iscsi_target_find(const char *name)
{
	struct iscsi_target *target;

	list_for_each_entry(target, &iscsi_targets, entry)
		if (!strcmp(target->name, name))
			return target;
	return NULL;
}

/* Context: process; iscsi_mutex held.  Logs one line on failure. */
int iscsi_target_add(const char *name)
{
	struct iscsi_target *target;

	if (iscsi_target_find(name)) {
		pr_warn("add_target: target %s exists\n", name);
		return -EEXIST;
	}
	target = kzalloc(sizeof(*target), GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	strscpy(target->name, name, sizeof(target->name));
	INIT_LIST_HEAD(&target->sessions);
	iscsi_target_default_params(target);
	target->scst_tgt = scst_register_target(&iscsi_template, name);
	if (IS_ERR(target->scst_tgt)) {
		int ret = PTR_ERR(target->scst_tgt);

		pr_warn("add_target: cannot register %s with the core (%d)\n",
			name, ret);
		kfree(target);
		return ret;
	}
	list_add_tail(&target->entry, &iscsi_targets);
	pr_info("target %s added\n", name);
	return 0;
}

/*
 * Context: process; iscsi_mutex held (dropped while sessions end).  Logs
 * one line on failure.
 */
int iscsi_target_del(const char *name, bool force)
{
	struct iscsi_target *target = iscsi_target_find(name);

	if (!target) {
		pr_warn("del_target: no target %s\n", name);
		return -ENOENT;
	}
	if (!list_empty(&target->sessions) && !force) {
		pr_warn("del_target: %s has sessions (add \"force\" to end them)\n",
			name);
		return -EBUSY;
	}
	/* Off the list first: no new login finds it. */
	list_del(&target->entry);
	iscsi_sessions_kill(target);
	scst_unregister_target(target->scst_tgt);
	memzero_explicit(&target->chap_in, sizeof(target->chap_in));
	memzero_explicit(&target->chap_out, sizeof(target->chap_out));
	pr_info("target %s deleted\n", name);
	kfree(target);
	return 0;
}

/*
 * Whether @initiator may see @target: its group there has a LUN.
 * Context: process.
 */
bool iscsi_target_allows(struct iscsi_target *target, const char *initiator)
{
	return scst_tgt_initiator_has_luns(target->scst_tgt, initiator);
}

static int __init iscsi_init(void)
{
	int ret;

	ret = iscsi_scsi_init();
	if (ret)
		return ret;
	ret = iscsi_conn_init();
	if (ret)
		goto scsi;
	ret = scst_register_target_template(&iscsi_template);
	if (ret)
		goto conn;
	ret = iscsi_proc_init();
	if (ret)
		goto tt;
	return 0;
tt:
	scst_unregister_target_template(&iscsi_template);
conn:
	iscsi_conn_exit();
scsi:
	iscsi_scsi_exit();
	return ret;
}

static void __exit iscsi_exit(void)
{
	struct iscsi_target *target, *tmp;

	iscsi_proc_exit();
	mutex_lock(&iscsi_mutex);
	iscsi_portals_del_all();
	mutex_unlock(&iscsi_mutex);
	/* Connections still in login belong to no target. */
	iscsi_conns_close_all();
	mutex_lock(&iscsi_mutex);
	list_for_each_entry_safe(target, tmp, &iscsi_targets, entry)
		iscsi_target_del(target->name, true);
	mutex_unlock(&iscsi_mutex);
	memzero_explicit(&iscsi_discovery_chap, sizeof(iscsi_discovery_chap));
	scst_unregister_target_template(&iscsi_template);
	iscsi_conn_exit();
	iscsi_scsi_exit();
}

module_init(iscsi_init);
module_exit(iscsi_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("SCST iSCSI target driver (RFC 7143)");
