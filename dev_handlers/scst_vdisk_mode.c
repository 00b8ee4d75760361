// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_mode.c - MODE SENSE and MODE SELECT of a virtual disk
 *
 * Three pages: read-write error recovery (nothing to set), caching (WCE)
 * and control (D_SENSE, QErr, UA_INTLCK_CTRL, TAS).  Each page is described once, by a builder that
 * writes its current, changeable or default values; MODE SELECT checks a
 * page it is sent against the current values and the changeable mask, so
 * the two commands can never disagree about what may be changed.
 *
 * Mode parameters are shared by every initiator of the device (SPC-4 allows
 * per I_T nexus ones, but a shared cache has one WCE); a change made by one
 * initiator gives the others MODE PARAMETERS CHANGED.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

enum { MS_CURRENT, MS_CHANGEABLE, MS_DEFAULT, MS_SAVED };

/* Longest page we have, header included. */
#define VDISK_MODE_PAGE_MAX	20
#define VDISK_MODE_BUF		256

/* Caching page, byte 2: WCE, write cache enable. */
#define MODE_CACHING_WCE	0x04
/* Control page, byte 2: D_SENSE, descriptor format sense data. */
#define MODE_CONTROL_D_SENSE	0x04
/* Control page, byte 3: QErr, queue error management. */
#define MODE_CONTROL_QERR	0x06
#define MODE_CONTROL_QERR_SHIFT	1
/* Control page, byte 4: UA_INTLCK_CTRL, unit attention interlock. */
#define MODE_CONTROL_UA_INTLCK	0x30
#define MODE_CONTROL_UA_INTLCK_SHIFT 4
/* Control page, byte 5: TAS, task aborted status. */
#define MODE_CONTROL_TAS	0x40

/**
 * struct vdisk_mode_page - one mode page
 * @page:	page code (subpage 0)
 * @len:	page length in bytes, header included
 * @build:	write the page for page control @pc at @b (zeroed by caller)
 * @apply:	take the changeable values of @b, already validated; NULL if
 *		nothing in the page can change.  Called under vdev->mode_lock.
 * @invalid:	for a changeable field with reserved values: whether @b
 *		holds one, and where (byte and bit of the field's top bit);
 *		NULL if every value of every changeable field is valid
 */
struct vdisk_mode_page {
	u8 page;
	u8 len;
	void (*build)(struct vdisk_dev *vdev, int pc, u8 *b);
	void (*apply)(struct vdisk_dev *vdev, const u8 *b);
	bool (*invalid)(const u8 *b, u16 *byte, u8 *bit);
};

/* The write cache is on by default unless writes are durable anyway. */
static bool vdisk_wce_default(struct vdisk_dev *vdev)
{
	return !vdisk_opt(vdev, VDISK_WRITE_THROUGH | VDISK_NV_CACHE);
}

static void vdisk_mode_rw_recovery(struct vdisk_dev *vdev, int pc, u8 *b)
{
}

static void vdisk_mode_caching(struct vdisk_dev *vdev, int pc, u8 *b)
{
	/*
	 * WCE: writes complete before they are durable, so initiators must
	 * send SYNCHRONIZE CACHE or FUA.  Turned off, every write is synced
	 * before its status, as if it carried FUA.
	 */
	switch (pc) {
	case MS_CHANGEABLE:
		b[2] = MODE_CACHING_WCE;
		break;
	case MS_DEFAULT:
		b[2] = vdisk_wce_default(vdev) ? MODE_CACHING_WCE : 0;
		break;
	default:
		b[2] = READ_ONCE(vdev->wce) ? MODE_CACHING_WCE : 0;
	}
}

static void vdisk_apply_caching(struct vdisk_dev *vdev, const u8 *b)
{
	WRITE_ONCE(vdev->wce, b[2] & MODE_CACHING_WCE);
}

/*
 * D_SENSE, QErr, UA_INTLCK_CTRL and TAS are the core's: it builds sense
 * data, aborts commands and delivers unit attentions.
 */
static void vdisk_mode_control(struct vdisk_dev *vdev, int pc, u8 *b)
{
	struct scst_device *dev = vdev->dev;

	if (pc == MS_CHANGEABLE) {
		b[2] = MODE_CONTROL_D_SENSE;
		b[3] = MODE_CONTROL_QERR;
		b[4] = MODE_CONTROL_UA_INTLCK;
		b[5] = MODE_CONTROL_TAS;
		return;
	}
	b[2] = 0x02;	/* GLTSD: no log parameters are saved */
	b[3] = 0x10;	/* queue algorithm modifier: unrestricted */
	if (pc != MS_CURRENT)
		return;
	if (scst_dev_get_d_sense(dev))
		b[2] |= MODE_CONTROL_D_SENSE;
	b[3] |= scst_dev_get_qerr(dev) << MODE_CONTROL_QERR_SHIFT;
	b[4] = scst_dev_get_ua_intlck_ctrl(dev) << MODE_CONTROL_UA_INTLCK_SHIFT;
	if (scst_dev_get_tas(dev))
		b[5] = MODE_CONTROL_TAS;
}

static void vdisk_apply_control(struct vdisk_dev *vdev, const u8 *b)
{
	struct scst_device *dev = vdev->dev;

	scst_dev_set_d_sense(dev, b[2] & MODE_CONTROL_D_SENSE);
	scst_dev_set_qerr(dev, (b[3] & MODE_CONTROL_QERR) >>
			  MODE_CONTROL_QERR_SHIFT);
	scst_dev_set_ua_intlck_ctrl(dev, (b[4] & MODE_CONTROL_UA_INTLCK) >>
				    MODE_CONTROL_UA_INTLCK_SHIFT);
	scst_dev_set_tas(dev, b[5] & MODE_CONTROL_TAS);
}

/* QErr 10b and UA_INTLCK_CTRL 01b are reserved (SPC-4 7.5.8). */
static bool vdisk_invalid_control(const u8 *b, u16 *byte, u8 *bit)
{
	if ((b[3] & MODE_CONTROL_QERR) == 2 << MODE_CONTROL_QERR_SHIFT) {
		*byte = 3;
		*bit = MODE_CONTROL_QERR_SHIFT + 1;
		return true;
	}
	*byte = 4;
	*bit = MODE_CONTROL_UA_INTLCK_SHIFT + 1;
	return (b[4] & MODE_CONTROL_UA_INTLCK) ==
	       1 << MODE_CONTROL_UA_INTLCK_SHIFT;
}

/* In page code order: "all pages" returns them in this order. */
static const struct vdisk_mode_page vdisk_mode_pages[] = {
	{ 0x01, 12, vdisk_mode_rw_recovery, NULL, NULL },
	{ 0x08, 20, vdisk_mode_caching, vdisk_apply_caching, NULL },
	{ 0x0a, 12, vdisk_mode_control, vdisk_apply_control,
	  vdisk_invalid_control },
};

static const struct vdisk_mode_page *vdisk_mode_page_find(u8 page)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vdisk_mode_pages); i++)
		if (vdisk_mode_pages[i].page == page)
			return &vdisk_mode_pages[i];
	return NULL;
}

static size_t vdisk_mode_page_build(const struct vdisk_mode_page *mp,
				    struct vdisk_dev *vdev, int pc, u8 *b)
{
	memset(b, 0, mp->len);
	b[0] = mp->page;
	b[1] = mp->len - 2;
	mp->build(vdev, pc, b);
	return mp->len;
}

/**
 * vdisk_mode_init() - mode parameters of a device being opened
 * @vdev: the device
 *
 * Context: process, before the device is registered with the core.
 */
void vdisk_mode_init(struct vdisk_dev *vdev)
{
	spin_lock_init(&vdev->mode_lock);
	vdev->wce = vdisk_wce_default(vdev);
}

/* ---------------------------------------------------------------- SENSE */

void vdisk_exec_mode_sense(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10;
	bool dbd = cdb[1] & 0x08;
	bool llba = ten && (cdb[1] & 0x10);
	int pc = cdb[2] >> 6;
	u8 page = cdb[2] & 0x3f, subpage = cdb[3];
	u64 nblocks = vdisk_nblocks(vdev);
	u8 buf[VDISK_MODE_BUF] = {};
	size_t hdr = ten ? 8 : 4, bdlen = 0, len;
	unsigned int i;
	u8 *p;

	if (pc == MS_SAVED) {
		/* SAVING PARAMETERS NOT SUPPORTED */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x39, 0x00);
		goto done;
	}
	/* Only subpage 0 exists; 0x3f/0xff asks for every page and subpage. */
	if (subpage && !(page == 0x3f && subpage == 0xff))
		goto invalid;

	p = buf + hdr;
	if (!dbd) {
		if (llba) {
			put_unaligned_be64(nblocks, p);
			put_unaligned_be32(vdev->block_size, p + 12);
			bdlen = 16;
		} else {
			put_unaligned_be32(min_t(u64, nblocks, 0xffffffff), p);
			put_unaligned_be24(vdev->block_size, p + 5);
			bdlen = 8;
		}
		p += bdlen;
	}
	for (i = 0; i < ARRAY_SIZE(vdisk_mode_pages); i++)
		if (page == 0x3f || page == vdisk_mode_pages[i].page)
			p += vdisk_mode_page_build(&vdisk_mode_pages[i], vdev,
						   pc, p);
	if (page != 0x3f && p == buf + hdr + bdlen)
		goto invalid;
	len = p - buf;

	/* Device-specific parameter: WP, and DPOFUA since FUA is honoured. */
	if (ten) {
		put_unaligned_be16(len - 2, buf);
		buf[3] = 0x10 | (vdisk_opt(vdev, VDISK_READ_ONLY) ? 0x80 : 0);
		buf[4] = bdlen == 16 ? 0x01 : 0;	/* LONGLBA */
		put_unaligned_be16(bdlen, buf + 6);
	} else {
		buf[0] = len - 1;
		buf[2] = 0x10 | (vdisk_opt(vdev, VDISK_READ_ONLY) ? 0x80 : 0);
		buf[3] = bdlen;
	}
	vdisk_send_resp(cmd, buf, len);
	goto done;
invalid:
	vdisk_set_invalid_field(cmd);
done:
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- SELECT */

/*
 * Check one page of a MODE SELECT parameter list at @b (@off bytes into
 * the list, @avail bytes left): it must be a page we have, with our
 * length, and differ from the current values only in changeable bits.
 * Return: the page, or NULL with the sense set.
 */
static const struct vdisk_mode_page *
vdisk_mode_select_check(struct scst_cmd *cmd, struct vdisk_dev *vdev,
			const u8 *b, size_t off, size_t avail)
{
	const struct vdisk_mode_page *mp;
	u8 cur[VDISK_MODE_PAGE_MAX], chg[VDISK_MODE_PAGE_MAX];
	unsigned int i;
	u8 diff, bit;
	u16 byte;

	if (avail < 2 || avail < 2 + b[1]) {
		/* PARAMETER LIST LENGTH ERROR */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
		return NULL;
	}
	/* No subpages (SPF); PS is reserved in MODE SELECT and ignored. */
	mp = b[0] & 0x40 ? NULL : vdisk_mode_page_find(b[0] & 0x3f);
	if (!mp) {
		scst_cmd_set_sense_param(cmd, off, 5);
		return NULL;
	}
	if (b[1] != mp->len - 2) {
		scst_cmd_set_sense_param(cmd, off + 1, 7);
		return NULL;
	}
	vdisk_mode_page_build(mp, vdev, MS_CURRENT, cur);
	vdisk_mode_page_build(mp, vdev, MS_CHANGEABLE, chg);
	for (i = 2; i < mp->len; i++) {
		diff = (b[i] ^ cur[i]) & ~chg[i];
		if (diff) {
			scst_cmd_set_sense_param(cmd, off + i, fls(diff) - 1);
			return NULL;
		}
	}
	if (mp->invalid && mp->invalid(b, &byte, &bit)) {
		scst_cmd_set_sense_param(cmd, off + byte, bit);
		return NULL;
	}
	return mp;
}

/* Validate the whole list, then apply it: a bad list changes nothing. */
static void vdisk_mode_select_list(struct scst_cmd *cmd,
				   struct vdisk_dev *vdev, const u8 *buf,
				   size_t len, bool ten)
{
	const struct vdisk_mode_page *mp;
	size_t hdr = ten ? 8 : 4, bdlen, off;
	u8 before[VDISK_MODE_PAGE_MAX], after[VDISK_MODE_PAGE_MAX];
	bool changed = false;

	if (len < hdr) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
		return;
	}
	/* MODE DATA LENGTH is reserved in MODE SELECT (SPC-4 7.5.5). */
	if (ten ? get_unaligned_be16(buf) : buf[0]) {
		scst_cmd_set_sense_param(cmd, 0, 7);
		return;
	}
	bdlen = ten ? get_unaligned_be16(buf + 6) : buf[3];
	if (bdlen != 0 && bdlen != ((ten && (buf[4] & 0x01)) ? 16 : 8)) {
		scst_cmd_set_sense_param(cmd, ten ? 6 : 3, 7);
		return;
	}
	if (hdr + bdlen > len) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
		return;
	}
	/*
	 * A block descriptor may restate the block length but not change it:
	 * a virtual disk is not reformatted.  Its number of blocks is what a
	 * MODE SENSE returned, or zero, and is ignored.
	 */
	if (bdlen && get_unaligned_be24(buf + hdr + bdlen - 3) !=
	    vdev->block_size) {
		scst_cmd_set_sense_param(cmd, hdr + bdlen - 3, 7);
		return;
	}

	for (off = hdr + bdlen; off < len; off += 2 + buf[off + 1])
		if (!vdisk_mode_select_check(cmd, vdev, buf + off, off,
					     len - off))
			return;
	for (off = hdr + bdlen; off < len; off += 2 + buf[off + 1]) {
		mp = vdisk_mode_page_find(buf[off] & 0x3f);
		if (!mp->apply)
			continue;
		vdisk_mode_page_build(mp, vdev, MS_CURRENT, before);
		mp->apply(vdev, buf + off);
		vdisk_mode_page_build(mp, vdev, MS_CURRENT, after);
		changed |= memcmp(before, after, mp->len) != 0;
	}
	if (changed)
		/* MODE PARAMETERS CHANGED */
		scst_cmd_queue_ua_others(cmd, 0x2a, 0x01);
}

void vdisk_exec_mode_select(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	bool ten = cdb[0] == MODE_SELECT_10;
	u8 buf[VDISK_MODE_BUF];
	struct scatterlist *sgl;
	unsigned int nents;
	size_t len;

	/* Only the page format is spoken, and nothing can be saved. */
	if (!(cdb[1] & 0x10)) {
		scst_cmd_set_sense_field(cmd, 1, 4);
		goto done;
	}
	if (cdb[1] & 0x01) {
		scst_cmd_set_sense_field(cmd, 1, 0);
		goto done;
	}
	len = p->data_len;
	if (len > sizeof(buf)) {
		scst_cmd_set_sense_field(cmd, ten ? 7 : 4, 7);
		goto done;
	}
	if (!len)
		goto done;
	sgl = scst_cmd_get_sg(cmd, &nents);
	len = sg_copy_to_buffer(sgl, nents, buf, len);

	/* One MODE SELECT at a time, so that "changed" is exact. */
	spin_lock(&vdev->mode_lock);
	vdisk_mode_select_list(cmd, vdev, buf, len, ten);
	spin_unlock(&vdev->mode_lock);
done:
	scst_cmd_exec_done(cmd);
}
