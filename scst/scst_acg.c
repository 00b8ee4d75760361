// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_acg.c - access groups: which initiators see which LUNs
 *
 * A session is bound to one group when it is created; the group's LUN table
 * is its whole view of the target.  Groups are created and changed only by
 * the administrator, through /proc/scsi_tgt.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/glob.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "scst_core.h"

/* What it protects: see its declaration in scst_priv.h. */
DEFINE_MUTEX(scst_config_mutex);
LIST_HEAD(scst_acg_list);
struct scst_acg *scst_default_acg;

/*
 * Serialises adding and removing groups, together with their /proc
 * directories, so that a name is never registered twice in /proc while the
 * directory of a deleted group is still being removed.  Taken before
 * scst_config_mutex.  It is held while proc_remove() waits for the callers
 * of the group's files, which take scst_config_mutex, so scst_config_mutex
 * is dropped before that and the group files never take this mutex.
 */
static DEFINE_MUTEX(scst_acg_set_mutex);

static bool scst_acg_name_char_ok(char c)
{
	return c > ' ' && c < 0x7f && c != '/';
}

static int scst_acg_name_check(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len > SCST_ACG_NAME_MAX) {
		pr_info("add_group: a group name has 1 to %d characters, not %zu\n",
			SCST_ACG_NAME_MAX, len);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!scst_acg_name_char_ok(name[i])) {
			pr_info("add_group: group name '%s' has a character other than printable ASCII without '/'\n",
				name);
			return -EINVAL;
		}
	}
	/* They would name a /proc directory that already exists. */
	if (!strcmp(name, ".") || !strcmp(name, "..")) {
		pr_info("add_group: '%s' cannot be a group name\n", name);
		return -EINVAL;
	}
	return 0;
}

/**
 * scst_acg_name_valid() - whether an initiator name or pattern is acceptable
 * @name: NUL-terminated candidate
 *
 * Return: true for 1..SCST_ACN_NAME_MAX printable ASCII non-blank characters.
 */
bool scst_acg_name_valid(const char *name)
{
	size_t len = strlen(name);
	size_t i;

	if (!len || len > SCST_ACN_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] <= ' ' || name[i] >= 0x7f)
			return false;
	return true;
}

static struct scst_acg *scst_acg_find(struct list_head *groups,
				      const char *name)
{
	struct scst_acg *acg;

	list_for_each_entry(acg, groups, entry)
		if (!strcmp(acg->name, name))
			return acg;
	return NULL;
}

/**
 * scst_acg_lookup() - find a group by name
 * @name: group name
 *
 * Context: process context, scst_config_mutex held.
 * Return: the group or NULL.
 */
struct scst_acg *scst_acg_lookup(const char *name)
{
	lockdep_assert_held(&scst_config_mutex);
	return scst_acg_find(&scst_acg_list, name);
}

static struct scst_acn *scst_acn_find(struct scst_acg *acg, const char *name)
{
	struct scst_acn *acn;

	list_for_each_entry(acn, &acg->names, entry)
		if (!strcmp(acn->name, name))
			return acn;
	return NULL;
}

struct scst_acg *scst_acg_choose(struct list_head *groups,
				 const char *initiator, const char *target)
{
	const size_t plen = strlen(SCST_DEFAULT_ACG_PREFIX);
	struct scst_acg *acg;
	struct scst_acn *acn;

	list_for_each_entry(acg, groups, entry)
		if (scst_acn_find(acg, initiator))
			return acg;

	list_for_each_entry(acg, groups, entry)
		list_for_each_entry(acn, &acg->names, entry)
			if (glob_match(acn->name, initiator))
				return acg;

	/* Compare in place: "Default_" + a long target name may not fit. */
	list_for_each_entry(acg, groups, entry)
		if (!strncmp(acg->name, SCST_DEFAULT_ACG_PREFIX, plen) &&
		    !strcmp(acg->name + plen, target))
			return acg;

	return scst_acg_find(groups, SCST_DEFAULT_ACG_NAME);
}
EXPORT_SYMBOL_GPL(scst_acg_choose);

static struct scst_acg *scst_acg_alloc(const char *name)
{
	struct scst_acg *acg;

	acg = kzalloc(sizeof(*acg), GFP_KERNEL);
	if (!acg)
		return NULL;
	INIT_LIST_HEAD(&acg->entry);
	INIT_LIST_HEAD(&acg->names);
	xa_init(&acg->luns);
	strscpy(acg->name, name, sizeof(acg->name));
	return acg;
}

static void scst_acg_free(struct scst_acg *acg)
{
	struct scst_acn *acn, *tmp;

	list_for_each_entry_safe(acn, tmp, &acg->names, entry) {
		list_del(&acn->entry);
		kfree(acn);
	}
	/* LUNs hold devices; removing them is the device code's job. */
	WARN_ON_ONCE(!xa_empty(&acg->luns));
	xa_destroy(&acg->luns);
	kfree(acg);
}

/**
 * scst_acg_add() - create an empty group and its /proc directory
 * @name: group name, checked here
 *
 * Context: process context; takes scst_acg_set_mutex, scst_config_mutex.
 * Return: 0, -EINVAL (bad name), -EEXIST or -ENOMEM; logs why it failed.
 */
int scst_acg_add(const char *name)
{
	struct scst_acg *acg;
	int ret;

	ret = scst_acg_name_check(name);
	if (ret)
		return ret;

	mutex_lock(&scst_acg_set_mutex);
	/* Only this function and scst_acg_del() change the set of names. */
	mutex_lock(&scst_config_mutex);
	acg = scst_acg_lookup(name);
	mutex_unlock(&scst_config_mutex);
	if (acg) {
		pr_info("add_group: group '%s' already exists\n", name);
		ret = -EEXIST;
		goto out;
	}

	acg = scst_acg_alloc(name);
	/* The allocator logs the failure. */
	if (!acg) {
		ret = -ENOMEM;
		goto out;
	}
	/*
	 * The files appear before the group is live; until then they answer
	 * -ENOENT, as if they had been opened a moment too early.
	 */
	ret = scst_proc_acg_create(acg);
	if (ret) {
		pr_warn("add_group: cannot create /proc/scsi_tgt/groups/%s\n",
			name);
		scst_acg_free(acg);
		goto out;
	}

	mutex_lock(&scst_config_mutex);
	list_add_tail(&acg->entry, &scst_acg_list);
	acg->live = true;
	mutex_unlock(&scst_config_mutex);
out:
	mutex_unlock(&scst_acg_set_mutex);
	return ret;
}

/**
 * scst_acg_del() - delete a group, its names and its /proc directory
 * @name:  group name
 * @force: delete even if sessions use the group: their commands are
 *	aborted and they move to the group a new session of theirs would get
 *
 * Context: process context; takes scst_acg_set_mutex, scst_config_mutex
 * and waits for the group's /proc files to be idle.
 * Return: 0, -ENOENT, -EPERM (group Default) or -EBUSY (sessions, no
 * @force); logs why it failed.
 */
int scst_acg_del(const char *name, bool force)
{
	struct scst_acg *acg;
	int ret = 0;

	mutex_lock(&scst_acg_set_mutex);
	mutex_lock(&scst_config_mutex);
	acg = scst_acg_lookup(name);
	if (!acg) {
		pr_info("del_group: no group '%s'\n", name);
		ret = -ENOENT;
	} else if (acg == scst_default_acg) {
		pr_info("del_group: group '%s' cannot be deleted\n", name);
		ret = -EPERM;
	} else if (!force && scst_acg_has_sessions(acg)) {
		pr_info("del_group: group '%s' has sessions (add 'force')\n",
			name);
		ret = -EBUSY;
	} else {
		/* Off the list first: its sessions must not choose it again. */
		list_del_init(&acg->entry);
		acg->live = false;
		scst_acg_move_sessions(acg);
		scst_acg_luns_clear(acg);
	}
	mutex_unlock(&scst_config_mutex);

	if (!ret) {
		/* Waits for the group's file callers; see scst_acg_set_mutex. */
		scst_proc_acg_remove(acg);
		scst_acg_free(acg);
	}
	mutex_unlock(&scst_acg_set_mutex);
	return ret;
}

/**
 * scst_acg_name_add() - let an initiator name or pattern select a group
 * @acg:  the group
 * @name: the name, checked here
 *
 * Context: process context, scst_config_mutex held, @acg live.
 * Return: 0, -EINVAL, -EEXIST or -ENOMEM; logs why it failed.
 */
int scst_acg_name_add(struct scst_acg *acg, const char *name)
{
	struct scst_acn *acn;
	size_t len = strlen(name);

	lockdep_assert_held(&scst_config_mutex);
	if (!scst_acg_name_valid(name)) {
		pr_info("group %s: add: a name has 1 to %d printable characters, not %zu\n",
			acg->name, SCST_ACN_NAME_MAX, len);
		return -EINVAL;
	}
	if (scst_acn_find(acg, name)) {
		pr_info("group %s: add: '%s' is already there\n", acg->name,
			name);
		return -EEXIST;
	}
	acn = kmalloc(struct_size(acn, name, len + 1), GFP_KERNEL);
	/* The allocator logs the failure. */
	if (!acn)
		return -ENOMEM;
	memcpy(acn->name, name, len + 1);
	list_add_tail(&acn->entry, &acg->names);
	return 0;
}

/**
 * scst_acg_name_del() - remove one initiator name or pattern from a group
 * @acg:  the group
 * @name: the name exactly as it was added
 *
 * Context: process context, scst_config_mutex held.
 * Return: 0 or -ENOENT; logs why it failed.
 */
int scst_acg_name_del(struct scst_acg *acg, const char *name)
{
	struct scst_acn *acn;

	lockdep_assert_held(&scst_config_mutex);
	acn = scst_acn_find(acg, name);
	if (!acn) {
		pr_info("group %s: del: no name '%s'\n", acg->name, name);
		return -ENOENT;
	}
	list_del(&acn->entry);
	kfree(acn);
	return 0;
}

/**
 * scst_acg_names_clear() - remove every initiator name of a group
 * @acg: the group
 *
 * Context: process context, scst_config_mutex held.
 */
void scst_acg_names_clear(struct scst_acg *acg)
{
	struct scst_acn *acn, *tmp;

	lockdep_assert_held(&scst_config_mutex);
	list_for_each_entry_safe(acn, tmp, &acg->names, entry) {
		list_del(&acn->entry);
		kfree(acn);
	}
}

/**
 * scst_acg_init() - create group Default
 *
 * Context: process context, at module load, before /proc/scsi_tgt exists.
 * Return: 0 or -ENOMEM.
 */
int scst_acg_init(void)
{
	scst_default_acg = scst_acg_alloc(SCST_DEFAULT_ACG_NAME);
	if (!scst_default_acg)
		return -ENOMEM;
	mutex_lock(&scst_config_mutex);
	list_add_tail(&scst_default_acg->entry, &scst_acg_list);
	scst_default_acg->live = true;
	mutex_unlock(&scst_config_mutex);
	return 0;
}

/**
 * scst_acg_exit() - free every group
 *
 * Context: process context, at module unload, after /proc/scsi_tgt is gone.
 */
void scst_acg_exit(void)
{
	struct scst_acg *acg, *tmp;

	mutex_lock(&scst_config_mutex);
	list_for_each_entry_safe(acg, tmp, &scst_acg_list, entry) {
		list_del(&acg->entry);
		scst_acg_free(acg);
	}
	scst_default_acg = NULL;
	mutex_unlock(&scst_config_mutex);
}
