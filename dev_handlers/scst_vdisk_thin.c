// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_thin.c - WRITE SAME, UNMAP and COMPARE AND WRITE (SBC-3), and
 * what makes a virtual disk thin: unmapped blocks give their space back
 *
 * FILEIO unmaps by punching holes in the file (which then read as zeros),
 * BLOCKIO by discarding, when the block device can; NULLIO has nothing to
 * give back.  COMPARE AND WRITE must be atomic against every other write:
 * writes hold vdev->write_sem shared (BLOCKIO writes also count in
 * vdev->bio_writes until their bios end), COMPARE AND WRITE holds it
 * exclusively and waits for those bios.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/scatterlist.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

/**
 * vdisk_thin() - whether the disk can unmap blocks (LBPME)
 * @vdev: the device
 *
 * Context: any.
 */
bool vdisk_thin(struct vdisk_dev *vdev)
{
	if (vdisk_opt(vdev, VDISK_READ_ONLY))
		return false;
	if (vdisk_opt(vdev, VDISK_BLOCKIO))
		return bdev_max_discard_sectors(vdev->bdev);
	return true;
}

/**
 * vdisk_unmapped_reads_zero() - whether unmapped blocks read as zeros (LBPRZ)
 * @vdev: the device
 *
 * A discarded block of a block device may read as anything.
 *
 * Context: any.
 */
bool vdisk_unmapped_reads_zero(struct vdisk_dev *vdev)
{
	return vdisk_thin(vdev) && !vdisk_opt(vdev, VDISK_BLOCKIO);
}

/* Give [@lba, @lba + @n) back. */
static int vdisk_unmap_range(struct vdisk_dev *vdev, u64 lba, u64 n)
{
	loff_t pos = lba << vdev->block_shift, len = n << vdev->block_shift;

	if (!n || vdisk_opt(vdev, VDISK_NULLIO))
		return 0;
	if (vdisk_opt(vdev, VDISK_BLOCKIO))
		return blkdev_issue_discard(vdev->bdev, pos >> SECTOR_SHIFT,
					    len >> SECTOR_SHIFT, GFP_KERNEL);
	return vfs_fallocate(vdev->filp, FALLOC_FL_PUNCH_HOLE |
			     FALLOC_FL_KEEP_SIZE, pos, len);
}

/* ---------------------------------------------------------------- UNMAP */

/*
 * UNMAP: a parameter list of (LBA, count) descriptors.  Everything is
 * checked before the first block is unmapped.
 */
void vdisk_exec_unmap(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const u8 *cdb = vdisk_cdb(cmd);
	u32 plen = get_unaligned_be16(cdb + 7), dlen, i, n;
	struct scatterlist *sgl;
	unsigned int nents;
	u64 total = 0;
	u8 *buf;
	int ret = 0;

	if (cdb[1] & 0x01) {
		/* ANCHOR: no anchored state here. */
		scst_cmd_set_sense_field(cmd, 1, 0);
		goto done;
	}
	if (!plen)
		goto done;
	if (plen < 8 || vdisk_sg_len(cmd) < plen) {
		/* PARAMETER LIST LENGTH ERROR */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
		goto done;
	}
	buf = kmalloc(plen, GFP_KERNEL);
	if (!buf) {
		scst_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
		goto done;
	}
	sgl = scst_cmd_get_sg(cmd, &nents);
	sg_copy_to_buffer(sgl, nents, buf, plen);
	dlen = get_unaligned_be16(buf + 2);
	n = dlen / 16;
	if (dlen % 16 || 8 + dlen > plen) {
		scst_cmd_set_sense_param(cmd, 2, 7);
		goto free;
	}
	if (n > VDISK_MAX_UNMAP_DESCRIPTORS) {
		scst_cmd_set_sense_param(cmd, 2, 7);
		goto free;
	}
	for (i = 0; i < n; i++) {
		const u8 *d = buf + 8 + 16 * i;
		u64 lba = get_unaligned_be64(d);
		u32 count = get_unaligned_be32(d + 8);

		if (!vdisk_check_range(cmd, vdev, lba, count))
			goto free;
		total += count;
	}
	if (total > VDISK_MAX_UNMAP_BLOCKS) {
		scst_cmd_set_sense_param(cmd, 8 + 8, 7);
		goto free;
	}
	down_read(&vdev->write_sem);
	for (i = 0; i < n && !ret; i++) {
		const u8 *d = buf + 8 + 16 * i;

		ret = vdisk_unmap_range(vdev, get_unaligned_be64(d),
					get_unaligned_be32(d + 8));
	}
	up_read(&vdev->write_sem);
	if (ret) {
		pr_err_ratelimited("%s: UNMAP failed (%d)\n", vdev->name, ret);
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, 0x0c, 0x00);
	}
free:
	kfree(buf);
done:
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- WRITE SAME */

static bool vdisk_all_zero(const u8 *b, size_t len)
{
	return !b[0] && !memcmp(b, b + 1, len - 1);
}

/*
 * WRITE SAME(10)/(16): one block of data written to every block of the
 * range; with UNMAP set and a block of zeros on a disk whose unmapped
 * blocks read as zeros, the range is unmapped instead.
 */
void vdisk_exec_write_same(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	bool unmap = vdisk_cdb(cmd)[1] & 0x08;
	struct scatterlist *sgl;
	unsigned int nents;
	u8 *block;
	int ret;

	/* WSNZ: a zero length is not "up to the end" here. */
	if (!p->len || p->len > VDISK_MAX_WRITE_SAME_BLOCKS) {
		vdisk_set_invalid_field(cmd);
		goto done;
	}
	if (vdisk_cdb(cmd)[1] & 0x10) {
		/* ANCHOR */
		scst_cmd_set_sense_field(cmd, 1, 4);
		goto done;
	}
	if (!vdisk_check_range(cmd, vdev, p->lba, p->len))
		goto done;
	if (vdisk_sg_len(cmd) < vdev->block_size) {
		vdisk_set_invalid_field(cmd);
		goto done;
	}
	if (vdisk_opt(vdev, VDISK_NULLIO))
		goto done;
	block = kmalloc(vdev->block_size, GFP_KERNEL);
	if (!block) {
		scst_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
		goto done;
	}
	sgl = scst_cmd_get_sg(cmd, &nents);
	sg_copy_to_buffer(sgl, nents, block, vdev->block_size);
	down_read(&vdev->write_sem);
	if (unmap && vdisk_unmapped_reads_zero(vdev) &&
	    vdisk_all_zero(block, vdev->block_size))
		ret = vdisk_unmap_range(vdev, p->lba, p->len);
	else
		ret = vdisk_file_write_same(vdev, block,
					    p->lba << vdev->block_shift,
					    (u64)p->len << vdev->block_shift);
	if (!ret && !READ_ONCE(vdev->wce) &&
	    !vdisk_opt(vdev, VDISK_NV_CACHE))
		ret = vdisk_file_sync(vdev, p->lba << vdev->block_shift,
				      (u64)p->len << vdev->block_shift);
	up_read(&vdev->write_sem);
	kfree(block);
	if (ret) {
		pr_err_ratelimited("%s: WRITE SAME failed (%d)\n", vdev->name,
				   ret);
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, 0x0c, 0x00);
	}
done:
	scst_cmd_exec_done(cmd);
}

/* ---------------------------------------------------------------- CAW */

/**
 * vdisk_write_lock() - a write is about to change the medium
 * @vdev: the device
 *
 * Pairs with vdisk_write_unlock(); for BLOCKIO, vdisk_bio_write_start() is
 * called in between for the bios, which outlive the lock.
 *
 * Context: process; may sleep (while a COMPARE AND WRITE runs).
 */
void vdisk_write_lock(struct vdisk_dev *vdev)
{
	down_read(&vdev->write_sem);
}

/**
 * vdisk_write_unlock() - the write has changed the medium, or has bios out
 * @vdev: the device
 *
 * Context: process.
 */
void vdisk_write_unlock(struct vdisk_dev *vdev)
{
	up_read(&vdev->write_sem);
}

/**
 * vdisk_bio_writes_done() - BLOCKIO write bios of a command have ended
 * @vdev: the device
 *
 * Context: any (bio completion).
 */
void vdisk_bio_writes_done(struct vdisk_dev *vdev)
{
	if (atomic_dec_and_test(&vdev->bio_writes))
		wake_up_var(&vdev->bio_writes);
}

/*
 * COMPARE AND WRITE: the first half of the data is compared with the
 * medium; if equal the second half is written, else MISCOMPARE with the
 * offset of the first differing byte and nothing written.
 */
void vdisk_exec_compare_and_write(struct scst_cmd *cmd)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	u64 len = (u64)p->len << vdev->block_shift;
	loff_t pos = p->lba << vdev->block_shift;
	u8 *data, *medium;
	struct scatterlist *sgl;
	unsigned int nents;
	u64 i;
	int ret;

	/*
	 * An atomic command is not cut or padded: the initiator must send
	 * exactly the verify and write data the CDB announces.
	 */
	if (scst_cmd_get_resid(cmd)) {
		scst_cmd_set_sense_field(cmd, 13, 7);
		goto done;
	}
	if (!p->len)
		goto done;
	if (p->len > VDISK_MAX_CAW_BLOCKS) {
		scst_cmd_set_sense_field(cmd, 13, 7);
		goto done;
	}
	if (!vdisk_check_range(cmd, vdev, p->lba, p->len))
		goto done;
	if (vdisk_sg_len(cmd) < 2 * len) {
		vdisk_set_invalid_field(cmd);
		goto done;
	}
	data = kvmalloc(2 * len, GFP_KERNEL);
	medium = kvzalloc(len, GFP_KERNEL);
	if (!data || !medium) {
		scst_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
		goto free;
	}
	sgl = scst_cmd_get_sg(cmd, &nents);
	sg_copy_to_buffer(sgl, nents, data, 2 * len);

	/* No other write to the disk from here until the end. */
	down_write(&vdev->write_sem);
	wait_var_event(&vdev->bio_writes, !atomic_read(&vdev->bio_writes));
	ret = vdisk_opt(vdev, VDISK_NULLIO) ? 0 :
	      vdisk_file_read_buf(vdev, medium, pos, len);
	if (ret)
		goto io_error;
	for (i = 0; i < len; i++)
		if (data[i] != medium[i])
			break;
	if (i < len) {
		up_write(&vdev->write_sem);
		/* MISCOMPARE DURING VERIFY OPERATION, at byte @i. */
		scst_cmd_set_sense_info(cmd, MISCOMPARE, 0x1d, 0x00, i);
		goto free;
	}
	if (!vdisk_opt(vdev, VDISK_NULLIO))
		ret = vdisk_file_write_buf(vdev, data + len, pos, len);
	/* FUA, or no write cache: durable before the status. */
	if (!ret && ((vdisk_cdb(cmd)[1] & 0x08) || !READ_ONCE(vdev->wce)) &&
	    !vdisk_opt(vdev, VDISK_NV_CACHE | VDISK_NULLIO))
		ret = vdisk_file_sync(vdev, pos, len);
io_error:
	up_write(&vdev->write_sem);
	if (ret) {
		pr_err_ratelimited("%s: COMPARE AND WRITE failed (%d)\n",
				   vdev->name, ret);
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, 0x11, 0x00);
	}
free:
	kvfree(medium);
	kvfree(data);
done:
	scst_cmd_exec_done(cmd);
}
