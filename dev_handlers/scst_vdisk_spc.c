// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_spc.c - the SPC-4 commands of a virtual disk: INQUIRY with its
 * VPD pages, and the commands that need no work
 *
 * Responses are built in a buffer on the stack (all are small) and then
 * truncated to the allocation length by vdisk_send_resp().
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

/*
 * IEEE company identifier in the NAA designator.  The value is a CID (its
 * second-lowest bit is set), which no OUI holder owns; a vendor shipping
 * SCST replaces it with its own OUI.
 */
#define VDISK_NAA_COMPANY_ID	0x5ca57aU

#define VDISK_VENDOR_FILEIO	"SCST_FIO"
#define VDISK_VENDOR_NULLIO	"SCST_NUL"
#define VDISK_VENDOR_BLOCKIO	"SCST_BIO"
#define VDISK_REVISION		"400 "

/* Version descriptors (SPC-4 table 29): SAM-5, SPC-4, SBC-3. */
static const u16 vdisk_version_descriptors[] = { 0x00a0, 0x0460, 0x04c0 };

/* ---------------------------------------------------------------- identity */

/* 64-bit FNV-1a: stable across reloads and kernels, unlike jhash seeds. */
static u64 vdisk_hash(const char *s, u64 h)
{
	for (; *s; s++) {
		h ^= (u8)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/**
 * vdisk_derive_ids() - the serial number and NAA designator of a name
 * @name: device name
 * @serial: 17 bytes: 16 hex digits and a NUL
 * @naa: 16 bytes: NAA IEEE Registered Extended designator
 *
 * Both depend on the device name only, so an initiator sees the same
 * identity after the device is closed and opened again (or after a
 * reboot), and different devices differ.
 *
 * Context: any.
 */
void vdisk_derive_ids(const char *name, char *serial, u8 *naa)
{
	u64 h1 = vdisk_hash(name, 0xcbf29ce484222325ULL);
	u64 h2 = vdisk_hash(name, h1 ^ 0x5c5753545f494400ULL);

	snprintf(serial, 17, "%016llx", h1);
	/* NAA 6: 4 bits NAA, 24 bits company ID, 100 bits vendor specific. */
	put_unaligned_be64(6ULL << 60 | (u64)VDISK_NAA_COMPANY_ID << 36 |
			   (h2 & GENMASK_ULL(35, 0)), naa);
	put_unaligned_be64(h1 ^ (h2 >> 36), naa + 8);
}

/**
 * vdisk_make_ids() - derive the serial number and NAA designator
 * @vdev: a device whose name is set
 */
void vdisk_make_ids(struct vdisk_dev *vdev)
{
	vdisk_derive_ids(vdev->name, vdev->serial, vdev->naa);
}

static const char *vdisk_vendor(struct vdisk_dev *vdev)
{
	if (vdisk_opt(vdev, VDISK_NULLIO))
		return VDISK_VENDOR_NULLIO;
	return vdisk_opt(vdev, VDISK_BLOCKIO) ? VDISK_VENDOR_BLOCKIO :
						VDISK_VENDOR_FILEIO;
}

/* Copy @s into @len bytes, blank padded, as INQUIRY ASCII fields are. */
void vdisk_ascii(u8 *dst, const char *s, size_t len)
{
	size_t n = min(strlen(s), len);

	memcpy(dst, s, n);
	memset(dst + n, ' ', len - n);
}

/* ---------------------------------------------------------------- INQUIRY */

#define VDISK_INQ_BUF	512

static size_t vdisk_inq_std(struct vdisk_dev *vdev, u8 *b)
{
	unsigned int i;

	b[0] = TYPE_DISK;
	b[1] = vdisk_opt(vdev, VDISK_REMOVABLE) ? 0x80 : 0;	/* RMB */
	b[2] = 0x06;		/* SPC-4 */
	b[3] = 0x20 | 0x10 | 0x02;	/* NormACA, HISUP, response data format 2 */
	b[7] = 0x02;		/* CMDQUE */
	vdisk_ascii(b + 8, vdisk_vendor(vdev), 8);
	vdisk_ascii(b + 16, vdev->name, 16);
	vdisk_ascii(b + 32, VDISK_REVISION, 4);
	for (i = 0; i < ARRAY_SIZE(vdisk_version_descriptors); i++)
		put_unaligned_be16(vdisk_version_descriptors[i], b + 58 + 2 * i);
	b[4] = 66 - 5;
	return 66;
}

static const u8 vdisk_vpd_pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };

static size_t vdisk_vpd_supported(struct vdisk_dev *vdev, u8 *b)
{
	memcpy(b + 4, vdisk_vpd_pages, sizeof(vdisk_vpd_pages));
	return 4 + sizeof(vdisk_vpd_pages);
}

static size_t vdisk_vpd_serial(struct vdisk_dev *vdev, u8 *b)
{
	size_t n = strlen(vdev->serial);

	memcpy(b + 4, vdev->serial, n);
	return 4 + n;
}

/**
 * vdisk_devid_designators() - the Device Identification VPD page's body
 * @b: the page; the designators start at @b + 4
 * @naa: the 16-byte NAA designator
 * @vendor: T10 vendor identification
 * @name: the device name, unique among the handlers' devices
 *
 * Context: any.
 * Return: the page's length up to the end of the designators.
 */
size_t vdisk_devid_designators(u8 *b, const u8 *naa, const char *vendor,
			       const char *name)
{
	size_t namelen = strlen(name);
	u8 *d = b + 4;

	/* NAA, binary, associated with the logical unit. */
	d[0] = 0x01;
	d[1] = 0x03;
	d[3] = 16;
	memcpy(d + 4, naa, 16);
	d += 4 + 16;

	/* T10 vendor ID, ASCII: vendor, then the (unique) device name. */
	d[0] = 0x02;
	d[1] = 0x01;
	d[3] = 8 + namelen;
	vdisk_ascii(d + 4, vendor, 8);
	memcpy(d + 12, name, namelen);
	d += 12 + namelen;

	return d - b;
}

static size_t vdisk_vpd_devid(struct vdisk_dev *vdev, u8 *b)
{
	return vdisk_devid_designators(b, vdev->naa, vdisk_vendor(vdev),
				       vdev->name);
}

static size_t vdisk_vpd_block_limits(struct vdisk_dev *vdev, u8 *b)
{
	u32 max_blocks = VDISK_MAX_XFER_BYTES >> vdev->block_shift;

	b[4] = 0x01;				/* WSNZ */
	b[5] = VDISK_MAX_CAW_BLOCKS;
	/* Granularity: a page, the unit the page cache works in. */
	put_unaligned_be16(max(1UL, PAGE_SIZE >> vdev->block_shift), b + 6);
	put_unaligned_be32(max_blocks, b + 8);	/* maximum transfer length */
	put_unaligned_be32(max_blocks, b + 12);	/* optimal transfer length */
	if (vdisk_thin(vdev)) {
		put_unaligned_be32(VDISK_MAX_UNMAP_BLOCKS, b + 20);
		put_unaligned_be32(VDISK_MAX_UNMAP_DESCRIPTORS, b + 24);
		/* Unmap granularity: a page, what a hole can be punched in. */
		put_unaligned_be32(max(1UL, PAGE_SIZE >> vdev->block_shift),
				   b + 28);
	}
	put_unaligned_be64(VDISK_MAX_WRITE_SAME_BLOCKS, b + 36);
	return 4 + 0x3c;
}

static size_t vdisk_vpd_block_chars(struct vdisk_dev *vdev, u8 *b)
{
	/* Rotation rate: 1 = non-rotating; 0 = not reported (a file). */
	if (vdisk_opt(vdev, VDISK_NULLIO))
		put_unaligned_be16(1, b + 4);
	return 4 + 0x3c;
}

static size_t vdisk_vpd_lbp(struct vdisk_dev *vdev, u8 *b)
{
	/*
	 * A thin disk (provisioning type 010b) unmaps with UNMAP and with
	 * WRITE SAME(10)/(16); LBPRZ when unmapped blocks read as zeros.  No
	 * threshold, no anchored state.  Else fully provisioned: all zero.
	 */
	if (vdisk_thin(vdev)) {
		b[5] = 0x80 | 0x40 | 0x20 |
		       (vdisk_unmapped_reads_zero(vdev) ? 0x04 : 0);
		b[6] = 0x02;
	}
	return 4 + 4;
}

struct vdisk_vpd {
	u8 page;
	size_t (*build)(struct vdisk_dev *vdev, u8 *buf);
};

static const struct vdisk_vpd vdisk_vpds[] = {
	{ 0x00, vdisk_vpd_supported },
	{ 0x80, vdisk_vpd_serial },
	{ 0x83, vdisk_vpd_devid },
	{ 0xb0, vdisk_vpd_block_limits },
	{ 0xb1, vdisk_vpd_block_chars },
	{ 0xb2, vdisk_vpd_lbp },
};

void vdisk_exec_inquiry(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u8 buf[VDISK_INQ_BUF] = {};
	size_t len = 0;
	unsigned int i;

	if (!(cdb[1] & 0x01)) {
		/* Standard data: a page code without EVPD is a bad field. */
		if (cdb[2])
			goto invalid;
		len = vdisk_inq_std(vdev, buf);
	} else {
		for (i = 0; i < ARRAY_SIZE(vdisk_vpds); i++)
			if (vdisk_vpds[i].page == cdb[2])
				break;
		if (i == ARRAY_SIZE(vdisk_vpds))
			goto invalid;
		buf[0] = TYPE_DISK;
		buf[1] = cdb[2];
		len = vdisk_vpds[i].build(vdev, buf);
		put_unaligned_be16(len - 4, buf + 2);
	}
	vdisk_send_resp(cmd, buf, len);
	scst_cmd_exec_done(cmd);
	return;
invalid:
	vdisk_set_invalid_field(cmd);
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- no-ops */

/* The medium of a virtual disk is always there and ready. */
void vdisk_exec_tur(struct scst_cmd *cmd)
{
	scst_cmd_exec_done(cmd);
}

/*
 * START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL: nothing spins or
 * ejects, so they succeed without effect.
 */
void vdisk_exec_accept(struct scst_cmd *cmd)
{
	scst_cmd_exec_done(cmd);
}
