// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vcdrom.c - the "vcdrom" device handler: a read-only CD-ROM drive
 * (peripheral type 5) whose medium is an ISO image file
 *
 * It answers what Linux's sr driver, the cdrom layer and the ISO 9660 file
 * system ask of a drive (MMC-6): GET CONFIGURATION with the CD-ROM profile,
 * GET EVENT STATUS NOTIFICATION (polled media events), READ TOC (formatted
 * TOC and session information), READ DISC INFORMATION, the capabilities
 * mode page, and READ(10)/(12) of 2048-byte blocks.  Writes do not exist
 * for a CD-ROM: the core's table refuses them as INVALID COMMAND
 * OPERATION CODE.  An empty drive answers NOT READY, MEDIUM NOT PRESENT to
 * every command that needs the medium.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_vcdrom.h"

#define VCDROM_VENDOR		"SCST_CD"
#define VCDROM_REVISION		"400 "
#define VCDROM_PROFILE_CDROM	0x0008
/* Read speed reported in the capabilities page: 7056 kB/s, "40x". */
#define VCDROM_SPEED_KBS	7056
#define VCDROM_BUF		256

static struct vcdrom_dev *vcdrom_cmd_dev(struct scst_cmd *cmd)
{
	return scst_dev_get_priv(scst_cmd_get_dev(cmd));
}

static void vcdrom_not_ready(struct scst_cmd *cmd)
{
	/* MEDIUM NOT PRESENT */
	scst_cmd_set_sense(cmd, NOT_READY, 0x3a, 0x00);
}

/* ---------------------------------------------------------------- medium */

/**
 * vcdrom_medium_load() - put an ISO image in the drive
 * @vcd: the drive
 * @path: the image, a regular file of at least one 2048-byte block
 *
 * A medium already in the drive is replaced.  Every initiator then gets
 * NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED, and a new media
 * event.  Logs one line on failure and changes nothing.
 *
 * Context: process; sleeps; the caller holds vdisk_mutex.
 * Return: 0 or a negative errno.
 */
int vcdrom_medium_load(struct vcdrom_dev *vcd, const char *path)
{
	struct file *filp, *old_filp;
	char *copy, *old_path;
	u64 nblocks;

	filp = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	if (IS_ERR(filp)) {
		pr_warn("%s: cannot open '%s' (%ld)\n", vcd->name, path,
			PTR_ERR(filp));
		return PTR_ERR(filp);
	}
	nblocks = (u64)i_size_read(file_inode(filp)) >> VCDROM_BLOCK_SHIFT;
	if (!S_ISREG(file_inode(filp)->i_mode) || !filp->f_op->read_iter ||
	    !nblocks) {
		pr_warn("%s: '%s' is not a regular file of at least 2048 bytes\n",
			vcd->name, path);
		filp_close(filp, NULL);
		return -EINVAL;
	}
	copy = kstrdup(path, GFP_KERNEL);
	if (!copy) {
		filp_close(filp, NULL);
		return -ENOMEM;
	}
	down_write(&vcd->medium_sem);
	old_filp = vcd->filp;
	old_path = vcd->path;
	vcd->filp = filp;
	vcd->path = copy;
	vcd->nblocks = nblocks;
	up_write(&vcd->medium_sem);
	if (old_filp)
		filp_close(old_filp, NULL);
	kfree(old_path);
	atomic_set(&vcd->event, VCDROM_EVENT_NEW_MEDIA);
	if (vcd->dev)
		scst_dev_queue_ua(vcd->dev, 0x28, 0x00);
	pr_info("%s: medium %s, %llu blocks\n", vcd->name, path, nblocks);
	return 0;
}

/**
 * vcdrom_medium_eject() - empty the drive
 * @vcd: the drive
 *
 * Waits for the commands reading the medium.
 *
 * Context: process; sleeps.
 */
void vcdrom_medium_eject(struct vcdrom_dev *vcd)
{
	struct file *old_filp;
	char *old_path;

	down_write(&vcd->medium_sem);
	old_filp = vcd->filp;
	old_path = vcd->path;
	vcd->filp = NULL;
	vcd->path = NULL;
	vcd->nblocks = 0;
	up_write(&vcd->medium_sem);
	if (!old_filp)
		return;
	filp_close(old_filp, NULL);
	kfree(old_path);
	atomic_set(&vcd->event, VCDROM_EVENT_MEDIA_REMOVAL);
	pr_info("%s: medium ejected\n", vcd->name);
}

/* ---------------------------------------------------------------- SPC */

static void vcdrom_exec_tur(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);

	down_read(&vcd->medium_sem);
	if (!vcd->filp)
		vcdrom_not_ready(cmd);
	up_read(&vcd->medium_sem);
	scst_cmd_exec_done(cmd);
}

static size_t vcdrom_inq_std(struct vcdrom_dev *vcd, u8 *b)
{
	b[0] = TYPE_ROM;
	b[1] = 0x80;			/* RMB */
	b[2] = 0x05;			/* SPC-3 */
	b[3] = 0x20 | 0x10 | 0x02;	/* NormACA, HISUP, format 2 */
	vdisk_ascii(b + 8, VCDROM_VENDOR, 8);
	vdisk_ascii(b + 16, vcd->name, 16);
	vdisk_ascii(b + 32, VCDROM_REVISION, 4);
	b[4] = 36 - 5;
	return 36;
}

static size_t vcdrom_vpd(struct vcdrom_dev *vcd, u8 page, u8 *b)
{
	static const u8 pages[] = { 0x00, 0x80, 0x83 };
	size_t len;

	switch (page) {
	case 0x00:
		memcpy(b + 4, pages, sizeof(pages));
		len = 4 + sizeof(pages);
		break;
	case 0x80:
		memcpy(b + 4, vcd->serial, strlen(vcd->serial));
		len = 4 + strlen(vcd->serial);
		break;
	case 0x83:
		len = vdisk_devid_designators(b, vcd->naa, VCDROM_VENDOR,
					      vcd->name);
		break;
	default:
		return 0;
	}
	b[0] = TYPE_ROM;
	b[1] = page;
	put_unaligned_be16(len - 4, b + 2);
	return len;
}

static void vcdrom_exec_inquiry(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u8 buf[VCDROM_BUF] = {};
	size_t len;

	if (!(cdb[1] & 0x01))
		len = cdb[2] ? 0 : vcdrom_inq_std(vcd, buf);
	else
		len = vcdrom_vpd(vcd, cdb[2], buf);
	if (len)
		vdisk_send_resp(cmd, buf, len);
	else
		vdisk_set_invalid_field(cmd);
	scst_cmd_exec_done(cmd);
}

/* The CD capabilities and mechanical status page (MMC-3 6.3.11). */
static size_t vcdrom_caps_page(struct vcdrom_dev *vcd, bool changeable,
			       u8 *p)
{
	p[0] = 0x2a;
	p[1] = 0x14;
	if (changeable)
		return 22;
	/* Lock, eject, tray loading mechanism; the lock state. */
	p[6] = 0x29 | (READ_ONCE(vcd->prevent) ? 0x02 : 0);
	put_unaligned_be16(VCDROM_SPEED_KBS, p + 8);
	put_unaligned_be16(VCDROM_SPEED_KBS, p + 14);
	return 22;
}

static void vcdrom_exec_mode_sense(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	bool ten = cdb[0] == MODE_SENSE_10;
	size_t hdr = ten ? 8 : 4, len;
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f;
	u8 buf[VCDROM_BUF] = {};

	if (pc == 3) {
		/* SAVING PARAMETERS NOT SUPPORTED */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x39, 0x00);
		goto done;
	}
	if ((page != 0x2a && page != 0x3f) || cdb[3]) {
		scst_cmd_set_sense_field(cmd, 2, 5);
		goto done;
	}
	len = hdr + vcdrom_caps_page(vcd, pc == 1, buf + hdr);
	if (ten)
		put_unaligned_be16(len - 2, buf);
	else
		buf[0] = len - 1;
	vdisk_send_resp(cmd, buf, len);
done:
	scst_cmd_exec_done(cmd);
}

static void vcdrom_exec_prevent(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);

	WRITE_ONCE(vcd->prevent, vdisk_cdb(cmd)[4] & 0x03);
	scst_cmd_exec_done(cmd);
}

static void vcdrom_exec_start_stop(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	u8 b4 = vdisk_cdb(cmd)[4];

	/* LOEJ without START: eject, unless an initiator prevents it. */
	if ((b4 & 0x03) == 0x02) {
		if (READ_ONCE(vcd->prevent))
			/* MEDIUM REMOVAL PREVENTED */
			scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x53, 0x02);
		else
			vcdrom_medium_eject(vcd);
	}
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- medium I/O */

static void vcdrom_exec_read_capacity(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	u8 buf[8];

	down_read(&vcd->medium_sem);
	if (!vcd->filp) {
		vcdrom_not_ready(cmd);
	} else {
		put_unaligned_be32(min_t(u64, vcd->nblocks - 1, U32_MAX), buf);
		put_unaligned_be32(1U << VCDROM_BLOCK_SHIFT, buf + 4);
		vdisk_send_resp(cmd, buf, sizeof(buf));
	}
	up_read(&vcd->medium_sem);
	scst_cmd_exec_done(cmd);
}

static void vcdrom_exec_read(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	u64 len = p->data_len;

	/* The medium stays in the drive until the read is done. */
	down_read(&vcd->medium_sem);
	if (!vcd->filp) {
		vcdrom_not_ready(cmd);
	} else if (p->lba > vcd->nblocks || p->len > vcd->nblocks - p->lba) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x21, 0x00);
	} else if (vdisk_filp_rw(vcd->filp, cmd, false,
				 p->lba << VCDROM_BLOCK_SHIFT, len)) {
		/* UNRECOVERED READ ERROR */
		scst_cmd_set_sense_info(cmd, MEDIUM_ERROR, 0x11, 0x00, p->lba);
	} else {
		scst_cmd_set_resp_len(cmd, len);
	}
	up_read(&vcd->medium_sem);
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- MMC */

/* A TOC address: an LBA, or minutes, seconds, frames 150 frames later. */
static void vcdrom_toc_addr(u8 *d, u64 lba, bool msf)
{
	if (msf) {
		u64 f = lba + 150;

		d[0] = 0;
		d[1] = f / (60 * 75);
		d[2] = (f / 75) % 60;
		d[3] = f % 75;
	} else {
		put_unaligned_be32(lba, d);
	}
}

/* One data track (ADR 1, CONTROL 4: data, not copy protected). */
static u8 *vcdrom_toc_desc(u8 *d, u8 track, u64 lba, bool msf)
{
	d[1] = 0x14;
	d[2] = track;
	vcdrom_toc_addr(d + 4, lba, msf);
	return d + 8;
}

static void vcdrom_exec_read_toc(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	bool msf = cdb[1] & 0x02;
	u8 format = cdb[2] & 0x0f, track = cdb[6];
	u8 buf[VCDROM_BUF] = {}, *d = buf + 4;

	/* Older initiators put the format in the control byte's top bits. */
	if (!format)
		format = cdb[9] >> 6;
	down_read(&vcd->medium_sem);
	if (!vcd->filp) {
		vcdrom_not_ready(cmd);
		goto unlock;
	}
	buf[2] = 1;
	buf[3] = 1;
	switch (format) {
	case 0:
		/* The formatted TOC: track 1, then the lead-out. */
		if (track > 1 && track != 0xaa) {
			scst_cmd_set_sense_field(cmd, 6, 7);
			goto unlock;
		}
		if (track <= 1)
			d = vcdrom_toc_desc(d, 1, 0, msf);
		d = vcdrom_toc_desc(d, 0xaa, vcd->nblocks, msf);
		break;
	case 1:
		/* Session information: one session, its first track at 0. */
		d = vcdrom_toc_desc(d, 1, 0, msf);
		break;
	default:
		scst_cmd_set_sense_field(cmd, 2, 3);
		goto unlock;
	}
	put_unaligned_be16(d - buf - 2, buf);
	vdisk_send_resp(cmd, buf, d - buf);
unlock:
	up_read(&vcd->medium_sem);
	scst_cmd_exec_done(cmd);
}

static void vcdrom_exec_read_disc_info(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	u8 buf[34] = {};

	if (vdisk_cdb(cmd)[1] & 0x07) {
		/* Only the standard disc information. */
		scst_cmd_set_sense_field(cmd, 1, 2);
		goto done;
	}
	if (!READ_ONCE(vcd->filp)) {
		vcdrom_not_ready(cmd);
		goto done;
	}
	put_unaligned_be16(sizeof(buf) - 2, buf);
	buf[2] = 0x0e;		/* last session complete, disc complete */
	buf[3] = 1;		/* first track */
	buf[4] = 1;		/* sessions */
	buf[5] = 1;		/* first track of the last session */
	buf[6] = 1;		/* last track of the last session */
	buf[7] = 0x20;		/* unrestricted use */
	/* No lead-in or lead-out to come: a pressed disc. */
	memset(buf + 16, 0xff, 8);
	vdisk_send_resp(cmd, buf, sizeof(buf));
done:
	scst_cmd_exec_done(cmd);
}

/* GET CONFIGURATION features (MMC-6 5.3), in feature code order. */
enum {
	VCDROM_FEAT_PROFILES	= 0x0000,
	VCDROM_FEAT_CORE	= 0x0001,
	VCDROM_FEAT_MORPHING	= 0x0002,
	VCDROM_FEAT_REMOVABLE	= 0x0003,
	VCDROM_FEAT_RANDOM_READ	= 0x0010,
	VCDROM_FEAT_CD_READ	= 0x001e,
};

static const u16 vcdrom_features[] = {
	VCDROM_FEAT_PROFILES, VCDROM_FEAT_CORE, VCDROM_FEAT_MORPHING,
	VCDROM_FEAT_REMOVABLE, VCDROM_FEAT_RANDOM_READ, VCDROM_FEAT_CD_READ,
};

/*
 * Build feature @code at @d; *@is_cur says whether it is current (the
 * medium features are only while a disc is in).  Returns its length.
 */
static size_t vcdrom_feature(u16 code, bool medium, u8 *d, bool *is_cur)
{
	u8 version = 0, *data = d + 4;

	*is_cur = true;
	switch (code) {
	case VCDROM_FEAT_PROFILES:
		put_unaligned_be16(VCDROM_PROFILE_CDROM, data);
		data[2] = medium;
		data += 4;
		break;
	case VCDROM_FEAT_CORE:
		version = 2;
		put_unaligned_be32(1, data);	/* SCSI family */
		data += 8;
		break;
	case VCDROM_FEAT_MORPHING:
		version = 1;
		data[0] = 0x02;			/* OCEvent: polled events */
		data += 4;
		break;
	case VCDROM_FEAT_REMOVABLE:
		data[0] = 0x29;			/* tray, eject, lock */
		data += 4;
		break;
	case VCDROM_FEAT_RANDOM_READ:
		*is_cur = medium;
		put_unaligned_be32(1U << VCDROM_BLOCK_SHIFT, data);
		put_unaligned_be16(1, data + 4);	/* blocking */
		data += 8;
		break;
	case VCDROM_FEAT_CD_READ:
		version = 2;
		*is_cur = medium;
		data += 4;
		break;
	}
	put_unaligned_be16(code, d);
	/* Only the medium features come and go. */
	d[2] = version << 2 | (*is_cur && code < VCDROM_FEAT_RANDOM_READ ?
			       0x02 : 0) | *is_cur;
	d[3] = data - d - 4;
	return data - d;
}

static void vcdrom_exec_get_configuration(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u8 rt = cdb[1] & 0x03, buf[VCDROM_BUF] = {}, *d = buf + 8;
	u16 start = get_unaligned_be16(cdb + 2);
	bool medium = READ_ONCE(vcd->filp), is_cur;
	unsigned int i;
	size_t len;

	if (rt == 3) {
		scst_cmd_set_sense_field(cmd, 1, 1);
		goto done;
	}
	for (i = 0; i < ARRAY_SIZE(vcdrom_features); i++) {
		u16 code = vcdrom_features[i];

		if (code < start || (rt == 2 && code != start))
			continue;
		len = vcdrom_feature(code, medium, d, &is_cur);
		if (rt == 1 && !is_cur)
			continue;
		d += len;
	}
	put_unaligned_be32(d - buf - 4, buf);
	if (medium)
		put_unaligned_be16(VCDROM_PROFILE_CDROM, buf + 6);
	vdisk_send_resp(cmd, buf, d - buf);
done:
	scst_cmd_exec_done(cmd);
}

static void vcdrom_exec_gesn(struct scst_cmd *cmd)
{
	struct vcdrom_dev *vcd = vcdrom_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u8 buf[8] = {};
	size_t len = 4;

	/* Only polled operation: no asynchronous notification. */
	if (!(cdb[1] & 0x01)) {
		scst_cmd_set_sense_field(cmd, 1, 0);
		goto done;
	}
	buf[3] = 0x10;			/* supported classes: media */
	if (cdb[4] & 0x10) {
		buf[2] = 0x04;		/* media class */
		buf[4] = atomic_xchg(&vcd->event, VCDROM_EVENT_NONE);
		buf[5] = READ_ONCE(vcd->filp) ? 0x02 : 0;	/* present */
		len = 8;
	} else {
		buf[2] = 0x80;		/* no event available */
	}
	put_unaligned_be16(len - 2, buf);
	vdisk_send_resp(cmd, buf, len);
done:
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- parse */

/**
 * struct vcdrom_op - how the handler executes one command
 * @opcode:	operation code
 * @exec:	runs the command and ends with scst_cmd_exec_done()
 */
struct vcdrom_op {
	u8 opcode;
	void (*exec)(struct scst_cmd *cmd);
};

/* Sorted by operation code. */
static const struct vcdrom_op vcdrom_ops[] = {
	{ TEST_UNIT_READY,		vcdrom_exec_tur },
	{ INQUIRY,			vcdrom_exec_inquiry },
	{ MODE_SENSE,			vcdrom_exec_mode_sense },
	{ START_STOP,			vcdrom_exec_start_stop },
	{ ALLOW_MEDIUM_REMOVAL,		vcdrom_exec_prevent },
	{ READ_CAPACITY,		vcdrom_exec_read_capacity },
	{ READ_10,			vcdrom_exec_read },
	{ READ_TOC,			vcdrom_exec_read_toc },
	{ 0x46 /* GET CONFIGURATION */, vcdrom_exec_get_configuration },
	{ GET_EVENT_STATUS_NOTIFICATION, vcdrom_exec_gesn },
	{ 0x51 /* READ DISC INFORMATION */, vcdrom_exec_read_disc_info },
	{ MODE_SENSE_10,		vcdrom_exec_mode_sense },
	{ READ_12,			vcdrom_exec_read },
};

static const struct vcdrom_op *vcdrom_op_find(const struct scst_opcode *op)
{
	unsigned int i;

	if (!op || op->has_sa)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(vcdrom_ops); i++)
		if (vcdrom_ops[i].opcode == op->opcode)
			return &vcdrom_ops[i];
	return NULL;
}

/* Context: any (parse_atomic): nothing here sleeps. */
static int vcdrom_parse(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p;
	int ret;

	ret = scst_cmd_parse_generic(cmd, 1U << VCDROM_BLOCK_SHIFT);
	if (ret)
		return ret;
	p = scst_cmd_get_parse(cmd);
	if (!vcdrom_op_find(p->op)) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		return -EINVAL;
	}
	if (p->data_len > VDISK_MAX_XFER_BYTES) {
		vdisk_set_invalid_field(cmd);
		return -EINVAL;
	}
	return 0;
}

/* Context: process: reading the medium sleeps. */
static void vcdrom_exec(struct scst_cmd *cmd)
{
	const struct vcdrom_op *v = vcdrom_op_find(scst_cmd_get_parse(cmd)->op);

	if (!v) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		scst_cmd_exec_done(cmd);
		return;
	}
	v->exec(cmd);
}

static bool vcdrom_supports(struct scst_device *dev,
			    const struct scst_opcode *op)
{
	return vcdrom_op_find(op);
}

struct scst_dev_type vcdrom_type = {
	.name		= "vcdrom",
	.owner		= THIS_MODULE,
	.type		= TYPE_ROM,
	.exec_atomic	= false,
	.parse_atomic	= true,
	.parse		= vcdrom_parse,
	.exec		= vcdrom_exec,
	.supports	= vcdrom_supports,
};

/**
 * vcdrom_init() - register the vcdrom handler and its /proc files
 *
 * Context: process, at module load.
 * Return: 0 or a negative errno.
 */
int vcdrom_init(void)
{
	int ret;

	ret = scst_register_virtual_dev_driver(&vcdrom_type);
	if (ret) {
		pr_err("cannot register the vcdrom handler (%d)\n", ret);
		return ret;
	}
	ret = vcdrom_proc_init();
	if (ret)
		scst_unregister_virtual_dev_driver(&vcdrom_type);
	return ret;
}

/**
 * vcdrom_exit() - close every drive and unregister the handler
 *
 * Context: process, at module unload.
 */
void vcdrom_exit(void)
{
	vcdrom_proc_exit();
	vcdrom_close_all();
	scst_unregister_virtual_dev_driver(&vcdrom_type);
}
