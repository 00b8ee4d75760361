// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_pr_file.c - persistent reservations that survive a reload (APTPL)
 *
 * When the last REGISTER asked for it (APTPL=1), the persistent
 * reservation state of a device is kept in the directory given by the
 * module parameter pr_dir (looked up at load), under the device's name,
 * and read back when a device of that name is registered again.
 *
 * A write is atomic with two slots, NAME.pr0 and NAME.pr1: each save
 * goes to the older slot, ends with a CRC and is synced before the
 * command's status is sent.  A crash in the middle of a save leaves the
 * other slot, the previous state, intact; loading takes the valid slot
 * with the higher sequence number.
 *
 * The format is text, one record per line:
 *	scst-pr 1 SEQ
 *	aptpl 0|1
 *	generation N
 *	reservation TYPE HOLDER	(HOLDER: index of the registration, or -1)
 *	reg KEY ALL_TG_PT INITIATOR TARGET
 *	crc CRC32			(of every byte before this line)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32.h>
#include <linux/fs.h>
#include <linux/moduleparam.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <scst_compat.h>
#include "scst_core.h"

/* Largest state file read back: some thousands of registrations. */
#define SCST_PR_FILE_MAX	(1024 * 1024)
#define SCST_PR_MAGIC		"scst-pr 1 "

#define SCST_PR_DIR_DEFAULT	"/var/lib/scst/pr"
static char *pr_dir = SCST_PR_DIR_DEFAULT;
module_param(pr_dir, charp, 0444);
MODULE_PARM_DESC(pr_dir,
		 "existing directory where persistent reservations are kept through a reload (APTPL); empty: nowhere");

/*
 * pr_dir, looked up once at load in the loading process' namespace: saves
 * run in core threads, whose root may not be the administrator's.
 */
static struct path scst_pr_dir;
static bool scst_pr_dir_found;

/**
 * scst_pr_file_init() - find the directory of the saved states
 *
 * Context: process, at module load.
 */
void scst_pr_file_init(void)
{
	if (!pr_dir || !pr_dir[0])
		return;
	if (kern_path(pr_dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &scst_pr_dir)) {
		/* Only a directory the administrator named is worth a line. */
		if (strcmp(pr_dir, SCST_PR_DIR_DEFAULT))
			pr_warn("pr_dir %s is not a directory: APTPL is not supported\n",
				pr_dir);
		return;
	}
	scst_pr_dir_found = true;
}

/**
 * scst_pr_file_exit() - let go of the directory
 *
 * Context: process, at module unload.
 */
void scst_pr_file_exit(void)
{
	if (scst_pr_dir_found)
		path_put(&scst_pr_dir);
	scst_pr_dir_found = false;
}

/**
 * scst_pr_can_persist() - whether APTPL=1 can be honoured
 *
 * Context: any.
 */
bool scst_pr_can_persist(void)
{
	return scst_pr_dir_found;
}

/* The slot's file name, relative to pr_dir; NULL if @dev has no safe one. */
static char *scst_pr_path(struct scst_device *dev, unsigned int slot)
{
	/* A name must not lead out of pr_dir (vdisk names have no '/'). */
	if (strchr(dev->name, '/'))
		return NULL;
	return kasprintf(GFP_KERNEL, "%s.pr%u", dev->name, slot);
}

/* ------------------------------------------------------------------ save */

/* The state as text, CRC line included; NULL if out of memory. */
static char *scst_pr_format(struct scst_device *dev, u64 seq, size_t *len)
{
	struct scst_pr *pr = &dev->pr;
	struct scst_pr_reg *reg;
	size_t size = 128, n = 0;
	int holder = -1, i = 0;
	char *buf;

	list_for_each_entry(reg, &pr->regs, entry) {
		size += 64 + strlen(reg->initiator) + strlen(reg->target);
		if (pr->holder == reg)
			holder = i;
		i++;
	}
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return NULL;
	n += scnprintf(buf + n, size - n, SCST_PR_MAGIC "%llu\n", seq);
	n += scnprintf(buf + n, size - n, "aptpl %d\n", dev->pr_aptpl);
	n += scnprintf(buf + n, size - n, "generation %u\n", pr->generation);
	if (pr->reserved)
		n += scnprintf(buf + n, size - n, "reservation %u %d\n",
			       pr->type, holder);
	list_for_each_entry(reg, &pr->regs, entry)
		n += scnprintf(buf + n, size - n, "reg %llx %d %s %s\n",
			       reg->key, reg->all_tg_pt, reg->initiator,
			       reg->target);
	n += scnprintf(buf + n, size - n, "crc %08x\n", crc32(0, buf, n));
	*len = n;
	return buf;
}

static int scst_pr_write_file(const char *path, const char *buf, size_t len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t ret;
	int err;

	f = file_open_root(&scst_pr_dir, path,
			   O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, buf, len, &pos);
	err = ret < 0 ? ret : ret != len ? -EIO : 0;
	if (!err)
		err = vfs_fsync(f, 0);
	filp_close(f, NULL);
	return err;
}

/**
 * scst_pr_save() - keep the persistent reservation state of a device
 * @dev: the device
 *
 * Writes the state if APTPL is on, or was on until this change (then the
 * state written says so and is not loaded again).
 *
 * Context: process; sleeps; the caller holds @dev->pr_mutex, so the state
 * does not change (only PERSISTENT RESERVE OUT changes it).
 */
void scst_pr_save(struct scst_device *dev)
{
	size_t len;
	char *buf, *path;
	int ret = -ENOMEM;

	lockdep_assert_held(&dev->pr_mutex);
	if (!dev->pr_aptpl && !dev->pr_saved)
		return;
	if (!scst_pr_can_persist())
		return;
	buf = scst_pr_format(dev, dev->pr_seq + 1, &len);
	path = scst_pr_path(dev, (dev->pr_seq + 1) % 2);
	if (buf && path)
		ret = scst_pr_write_file(path, buf, len);
	if (ret)
		pr_err("%s: cannot keep the persistent reservations in %s (%d)\n",
		       dev->name, pr_dir, ret);
	else
		dev->pr_seq++;
	dev->pr_saved = dev->pr_aptpl;
	kfree(path);
	kvfree(buf);
}

/* ------------------------------------------------------------------ load */

static char *scst_pr_read_file(const char *path, size_t *len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t ret;
	char *buf;

	f = file_open_root(&scst_pr_dir, path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(f))
		return NULL;
	buf = kvmalloc(SCST_PR_FILE_MAX + 1, GFP_KERNEL);
	ret = buf ? kernel_read(f, buf, SCST_PR_FILE_MAX, &pos) : -ENOMEM;
	filp_close(f, NULL);
	if (ret <= 0) {
		kvfree(buf);
		return NULL;
	}
	buf[ret] = '\0';
	*len = ret;
	return buf;
}

/* The sequence number of a slot whose CRC is right, or -1. */
static s64 scst_pr_slot_seq(const char *buf, size_t len)
{
	const char *crc_line;
	u32 crc;
	u64 seq;

	if (len < sizeof(SCST_PR_MAGIC) ||
	    strncmp(buf, SCST_PR_MAGIC, strlen(SCST_PR_MAGIC)))
		return -1;
	crc_line = strstr(buf, "\ncrc ");
	if (!crc_line || sscanf(crc_line + 5, "%x", &crc) != 1 ||
	    crc32(0, buf, crc_line + 1 - buf) != crc)
		return -1;
	if (sscanf(buf + strlen(SCST_PR_MAGIC), "%llu", &seq) != 1 ||
	    seq > S64_MAX)
		return -1;
	return seq;
}

static struct scst_pr_reg *scst_pr_parse_reg(const char *line)
{
	char ini[SCST_ACN_NAME_MAX + 1], tgt[SCST_ACN_NAME_MAX + 1];
	struct scst_pr_nexus nx = { ini, tgt };
	struct scst_pr_reg *reg;
	int all_tg_pt;
	u64 key;

	if (sscanf(line, "reg %llx %d %255s %255s", &key, &all_tg_pt, ini,
		   tgt) != 4 || !key)
		return NULL;
	reg = scst_pr_reg_alloc(&nx);
	if (reg) {
		reg->key = key;
		reg->all_tg_pt = all_tg_pt;
	}
	return reg;
}

/* Put the state of a valid slot into @dev->pr; false if it makes no sense. */
static bool scst_pr_parse(struct scst_device *dev, char *buf)
{
	struct scst_pr *pr = &dev->pr;
	int aptpl = 0, holder = -1, i;
	unsigned int type = 0;
	bool reserved = false;
	struct scst_pr_reg *reg;
	char *line;

	while ((line = strsep(&buf, "\n")) && strncmp(line, "crc ", 4)) {
		if (!strncmp(line, "reg ", 4)) {
			reg = scst_pr_parse_reg(line);
			if (!reg)
				return false;
			list_add_tail(&reg->entry, &pr->regs);
			pr->nr_regs++;
		} else if (sscanf(line, "reservation %u %d", &type,
				  &holder) == 2) {
			reserved = true;
		} else if (sscanf(line, "aptpl %d", &aptpl) != 1 &&
			   sscanf(line, "generation %u", &pr->generation) != 1 &&
			   strncmp(line, SCST_PR_MAGIC, strlen(SCST_PR_MAGIC))) {
			return false;
		}
	}
	if (!aptpl)
		return false;
	dev->pr_aptpl = true;
	if (!reserved)
		return true;
	pr->reserved = true;
	pr->type = type;
	i = 0;
	list_for_each_entry(reg, &pr->regs, entry)
		if (i++ == holder)
			pr->holder = reg;
	/* Only an "all registrants" reservation has no single holder. */
	return pr->holder || (type == SCST_PR_WE_AR || type == SCST_PR_EA_AR);
}

/**
 * scst_pr_load() - read back the state a device had with APTPL on
 * @dev: a device being registered, not visible to commands yet
 *
 * Context: process; sleeps.
 */
void scst_pr_load(struct scst_device *dev)
{
	char *buf[2] = {}, *path;
	size_t len[2] = {};
	s64 seq[2] = { -1, -1 };
	unsigned int i, best;

	if (!scst_pr_can_persist())
		return;
	for (i = 0; i < 2; i++) {
		path = scst_pr_path(dev, i);
		buf[i] = path ? scst_pr_read_file(path, &len[i]) : NULL;
		kfree(path);
		if (buf[i])
			seq[i] = scst_pr_slot_seq(buf[i], len[i]);
	}
	best = seq[1] > seq[0];
	if (seq[best] < 0)
		goto out;
	dev->pr_seq = seq[best];
	if (scst_pr_parse(dev, buf[best])) {
		dev->pr_saved = true;
		pr_info("%s: %u persistent reservation registrations restored\n",
			dev->name, dev->pr.nr_regs);
	} else {
		scst_res_free(dev);
		dev->pr_aptpl = false;
	}
out:
	kvfree(buf[0]);
	kvfree(buf[1]);
}
