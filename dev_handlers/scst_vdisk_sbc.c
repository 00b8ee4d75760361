// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_sbc.c - the SBC-3 commands of a virtual disk: capacity, READ,
 * WRITE, WRITE AND VERIFY, VERIFY and SYNCHRONIZE CACHE
 *
 * parse() has already refused writes to a READ_ONLY device, transfers above
 * the Block Limits and ranges off the medium; the range is checked again
 * here because "resync_size" may have shrunk the disk in between.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

/* FUA: byte 1 bit 3 of the 10, 12 and 16 byte forms; READ/WRITE(6) have none. */
static bool vdisk_fua(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);

	return p->op->cdb_len > 6 && (vdisk_cdb(cmd)[1] & 0x08);
}

/*
 * Whether completed writes must be made durable before status is sent:
 * not when the file is opened O_DSYNC (WRITE_THROUGH), nor when the cache
 * is declared non-volatile (NV_CACHE), nor for NULLIO.
 */
static bool vdisk_needs_sync(struct vdisk_dev *vdev)
{
	return !vdisk_opt(vdev, VDISK_WRITE_THROUGH | VDISK_NV_CACHE |
			  VDISK_NULLIO);
}

/* Bytes to transfer: what the CDB says, bounded by the buffer we got. */
static u64 vdisk_xfer_len(struct scst_cmd *cmd, struct vdisk_dev *vdev)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);

	return min((u64)p->len << vdev->block_shift, vdisk_sg_len(cmd));
}

static void vdisk_io_error(struct scst_cmd *cmd, struct vdisk_dev *vdev,
			   bool write, int err)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);

	pr_err_ratelimited("%s: %s at LBA %llu failed (%d)\n", vdev->name,
			   p->op->name, p->lba, err);
	if (err == -ENOSPC)
		/* SPACE ALLOCATION FAILED WRITE PROTECT: the file is full. */
		scst_cmd_set_sense(cmd, DATA_PROTECT, 0x27, 0x07);
	else if (write)
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, 0x0c, 0x00);
	else
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, 0x11, 0x00);
}

/* ---------------------------------------------------------------- capacity */

void vdisk_exec_read_capacity10(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u64 last = vdisk_nblocks(vdev) - 1;
	u8 buf[8];

	/* SBC-3: without PMI the LBA field must be zero. */
	if (!(cdb[8] & 0x01) && get_unaligned_be32(cdb + 2)) {
		vdisk_set_invalid_field(cmd);
		goto done;
	}
	/* 0xffffffff tells the initiator to use READ CAPACITY(16). */
	put_unaligned_be32(min_t(u64, last, 0xffffffff), buf);
	put_unaligned_be32(vdev->block_size, buf + 4);
	vdisk_send_resp(cmd, buf, sizeof(buf));
done:
	scst_cmd_exec_done(cmd);
}

void vdisk_exec_read_capacity16(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	u8 buf[32] = {};

	put_unaligned_be64(vdisk_nblocks(vdev) - 1, buf);
	put_unaligned_be32(vdev->block_size, buf + 8);
	/*
	 * No protection (byte 12), one logical block per physical block
	 * (byte 13); LBPME and LBPRZ (byte 14).
	 */
	buf[14] = (vdisk_thin(vdev) ? 0x80 : 0) |
		  (vdisk_unmapped_reads_zero(vdev) ? 0x40 : 0);
	vdisk_send_resp(cmd, buf, sizeof(buf));
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- I/O */

void vdisk_exec_read(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	struct scatterlist *sgl;
	unsigned int nents;
	u64 len;
	int ret;

	if (!vdisk_check_range(cmd, vdev, p->lba, p->len))
		goto done;
	len = vdisk_xfer_len(cmd, vdev);
	if (vdisk_opt(vdev, VDISK_BLOCKIO)) {
		/* The last bio ends the command. */
		vdisk_blockio_rw(cmd, vdev, false, false, len);
		return;
	}
	if (vdisk_opt(vdev, VDISK_NULLIO)) {
		sgl = scst_cmd_get_sg(cmd, &nents);
		sg_zero_buffer(sgl, nents, len, 0);
	} else {
		/* FUA needs nothing: the page cache is coherent with the file. */
		ret = vdisk_file_rw(vdev, cmd, false,
				    p->lba << vdev->block_shift, len);
		if (ret) {
			vdisk_io_error(cmd, vdev, false, ret);
			goto done;
		}
	}
	scst_cmd_set_resp_len(cmd, len);
done:
	scst_cmd_exec_done(cmd);
}

/* Write the data out; sync it too if @sync.  Sets the sense on failure. */
static bool vdisk_do_write(struct scst_cmd *cmd, struct vdisk_dev *vdev,
			   bool sync)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	loff_t pos = p->lba << vdev->block_shift;
	u64 len;
	int ret;

	if (!vdisk_check_range(cmd, vdev, p->lba, p->len))
		return false;
	if (vdisk_opt(vdev, VDISK_NULLIO))
		return true;
	len = vdisk_xfer_len(cmd, vdev);
	vdisk_write_lock(vdev);
	ret = vdisk_file_rw(vdev, cmd, true, pos, len);
	if (!ret && sync && len && vdisk_needs_sync(vdev))
		ret = vdisk_file_sync(vdev, pos, len);
	vdisk_write_unlock(vdev);
	if (ret) {
		vdisk_io_error(cmd, vdev, true, ret);
		return false;
	}
	return true;
}

/* Write, as bios on a BLOCKIO device (which end the command) or else here. */
static void vdisk_write(struct scst_cmd *cmd, struct vdisk_dev *vdev,
			bool sync)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);

	if (vdisk_opt(vdev, VDISK_BLOCKIO) &&
	    vdisk_check_range(cmd, vdev, p->lba, p->len)) {
		/* Bios bypass the O_DSYNC handle: WRITE_THROUGH is FUA here. */
		vdisk_blockio_rw(cmd, vdev, true,
				 vdisk_opt(vdev, VDISK_WRITE_THROUGH) ||
				 (sync && vdisk_needs_sync(vdev)),
				 vdisk_xfer_len(cmd, vdev));
		return;
	}
	if (!vdisk_opt(vdev, VDISK_BLOCKIO))
		vdisk_do_write(cmd, vdev, sync);
	scst_cmd_exec_done(cmd);
}

void vdisk_exec_write(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);

	/* Without a write cache (WCE=0) every write is a FUA write. */
	vdisk_write(cmd, vdev, vdisk_fua(cmd) || !READ_ONCE(vdev->wce));
}

/*
 * WRITE AND VERIFY: the data just written is the data in the buffer, so
 * "verify" means making sure it reached the medium.
 */
void vdisk_exec_write_verify(struct scst_cmd *cmd)
{
	vdisk_write(cmd, vdisk_cmd_dev(cmd), true);
}

/*
 * VERIFY: BYTCHK 00b checks that the blocks exist (nothing can be
 * unreadable in a file but an I/O error, which a read would report);
 * 01b compares them with the data-out buffer, 11b with one block.
 */
void vdisk_exec_verify(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	u8 bytchk = (vdisk_cdb(cmd)[1] >> 1) & 3;
	u64 len = (u64)p->len << vdev->block_shift;
	bool equal;
	int ret;

	if (!vdisk_check_range(cmd, vdev, p->lba, p->len) || !bytchk || !len)
		goto done;
	if (vdisk_sg_len(cmd) < (bytchk == 3 ? vdev->block_size : len)) {
		vdisk_set_invalid_field(cmd);
		goto done;
	}
	ret = vdisk_file_compare(vdev, cmd, p->lba << vdev->block_shift, len,
				 bytchk == 3, &equal);
	if (ret)
		vdisk_io_error(cmd, vdev, false, ret);
	else if (!equal)
		scst_cmd_set_sense(cmd, MISCOMPARE, 0x1d, 0x00);
done:
	scst_cmd_exec_done(cmd);
}

/* SYNCHRONIZE CACHE(10/16): the range, or up to the end if length is 0. */
void vdisk_exec_sync_cache(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	int ret;

	if (!vdisk_check_range(cmd, vdev, p->lba, p->len))
		goto done;
	if (!vdisk_needs_sync(vdev))
		goto done;
	/* IMMED is honoured by finishing first, which SBC-3 allows. */
	ret = vdisk_file_sync(vdev, p->lba << vdev->block_shift,
			      (u64)p->len << vdev->block_shift);
	if (ret)
		vdisk_io_error(cmd, vdev, true, ret);
done:
	scst_cmd_exec_done(cmd);
}
