// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_blockio.c - BLOCKIO: a block device holds the disk's blocks
 *
 * READ and WRITE go to the block device as bios built straight from the
 * command's scatterlist: no page cache, no copy, and no thread waits for
 * the I/O: the last bio's completion (in interrupt or softirq context)
 * ends the command.  The device is claimed exclusively for as long as the
 * virtual disk exists.  The rarer commands (VERIFY, WRITE AND VERIFY's
 * flush, SYNCHRONIZE CACHE) use a second, O_DIRECT file handle on the same
 * device with the FILEIO code, so they see exactly what the bios wrote.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

/**
 * struct vdisk_bio_io - the bios of one command
 * @cmd:	the command
 * @pending:	bios in flight, plus one held by the submitter
 * @error:	the first error a bio reported (an errno), or 0
 * @write:	direction
 * @len:	bytes the bios transfer
 */
struct vdisk_bio_io {
	struct scst_cmd *cmd;
	atomic_t pending;
	int error;
	bool write;
	u64 len;
};

/* ---------------------------------------------------------------- open */

#ifdef SCST_HAVE_BDEV_FILE_OPEN_BY_PATH
/* Since Linux 6.9 an opened block device is a struct file. */
static int vdisk_bdev_claim(struct vdisk_dev *vdev, bool write)
{
	blk_mode_t mode = BLK_OPEN_READ | (write ? BLK_OPEN_WRITE : 0);
	struct file *f;

	f = bdev_file_open_by_path(vdev->path, mode, vdev, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	vdev->bdev_claim = f;
	vdev->bdev = file_bdev(f);
	return 0;
}

static void vdisk_bdev_unclaim(struct vdisk_dev *vdev)
{
	fput(vdev->bdev_claim);
}
#else
static fmode_t vdisk_bdev_mode(struct vdisk_dev *vdev)
{
	return FMODE_READ | FMODE_EXCL |
	       (vdisk_opt(vdev, VDISK_READ_ONLY) ? 0 : FMODE_WRITE);
}

static int vdisk_bdev_claim(struct vdisk_dev *vdev, bool write)
{
	struct block_device *bdev;

	bdev = blkdev_get_by_path(vdev->path, vdisk_bdev_mode(vdev), vdev);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	vdev->bdev = bdev;
	return 0;
}

static void vdisk_bdev_unclaim(struct vdisk_dev *vdev)
{
	blkdev_put(vdev->bdev, vdisk_bdev_mode(vdev));
}
#endif

/**
 * vdisk_blockio_open() - claim the block device of a BLOCKIO disk
 * @vdev: the device, @path and @block_size set
 *
 * Logs one line on failure and leaves nothing open.
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno (-EINVAL: not a block device, or its
 * logical blocks are larger than the disk's).
 */
int vdisk_blockio_open(struct vdisk_dev *vdev)
{
	bool write = !vdisk_opt(vdev, VDISK_READ_ONLY);
	struct file *filp;
	struct path path;
	int ret;

	/* What the path is, before an O_DIRECT open fails on a file system. */
	ret = kern_path(vdev->path, LOOKUP_FOLLOW, &path);
	if (ret) {
		pr_warn("open: %s: cannot find '%s' (%d)\n", vdev->name,
			vdev->path, ret);
		return ret;
	}
	ret = S_ISBLK(d_inode(path.dentry)->i_mode) ? 0 : -EINVAL;
	path_put(&path);
	if (ret) {
		pr_warn("open: %s: BLOCKIO needs a block device, '%s' is not one\n",
			vdev->name, vdev->path);
		return ret;
	}
	filp = filp_open(vdev->path, (write ? O_RDWR : O_RDONLY) |
			 O_LARGEFILE | O_DIRECT, 0);
	if (IS_ERR(filp)) {
		pr_warn("open: %s: cannot open '%s' (%ld)\n", vdev->name,
			vdev->path, PTR_ERR(filp));
		return PTR_ERR(filp);
	}
	ret = vdisk_bdev_claim(vdev, write);
	if (ret) {
		pr_warn("open: %s: cannot claim '%s' (%d)\n", vdev->name,
			vdev->path, ret);
		goto close;
	}
	if (bdev_logical_block_size(vdev->bdev) > vdev->block_size) {
		pr_warn("open: %s: '%s' has %u byte blocks, more than %u\n",
			vdev->name, vdev->path,
			bdev_logical_block_size(vdev->bdev), vdev->block_size);
		vdisk_bdev_unclaim(vdev);
		vdev->bdev = NULL;
		ret = -EINVAL;
		goto close;
	}
	vdev->filp = filp;
	return 0;
close:
	filp_close(filp, NULL);
	return ret;
}

/**
 * vdisk_blockio_close() - release the block device
 * @vdev: the device; no command uses it any more
 *
 * Context: process; sleeps.
 */
void vdisk_blockio_close(struct vdisk_dev *vdev)
{
	if (!vdev->bdev)
		return;
	vdisk_bdev_unclaim(vdev);
	vdev->bdev = NULL;
}

/* ---------------------------------------------------------------- I/O */

/* The last bio ended: the command's status is known.  Context: any. */
static void vdisk_bio_io_done(struct vdisk_bio_io *io)
{
	struct scst_cmd *cmd = io->cmd;

	if (io->error) {
		pr_err_ratelimited("%s: %s failed (%d)\n",
				   vdisk_cmd_dev(cmd)->name,
				   io->write ? "write" : "read", io->error);
		scst_cmd_set_sense(cmd, MEDIUM_ERROR, io->write ? 0x0c : 0x11,
				   0x00);
	} else if (!io->write) {
		scst_cmd_set_resp_len(cmd, io->len);
	}
	if (io->write)
		vdisk_bio_writes_done(vdisk_cmd_dev(cmd));
	kfree(io);
	/* bio_endio() may run under the lower queue's flush lock. */
	scst_cmd_exec_done_later(cmd);
}

static void vdisk_bio_end_io(struct bio *bio)
{
	struct vdisk_bio_io *io = bio->bi_private;

	if (bio->bi_status)
		cmpxchg(&io->error, 0, blk_status_to_errno(bio->bi_status));
	bio_put(bio);
	if (atomic_dec_and_test(&io->pending))
		vdisk_bio_io_done(io);
}

static struct bio *vdisk_bio_new(struct vdisk_bio_io *io,
				 struct block_device *bdev,
				 unsigned int nr_vecs, blk_opf_t opf,
				 sector_t sector)
{
	struct bio *bio = bio_alloc(bdev, min_t(unsigned int, nr_vecs,
						BIO_MAX_VECS), opf, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = vdisk_bio_end_io;
	bio->bi_private = io;
	atomic_inc(&io->pending);
	return bio;
}

/**
 * vdisk_blockio_rw() - start the READ or WRITE of a command as bios
 * @cmd: the command; its LBA and length are checked
 * @vdev: its device
 * @write: direction
 * @fua: the data must be on stable media when the command ends
 * @len: bytes, at most what the scatterlist holds
 *
 * The command ends (scst_cmd_exec_done()) when its last bio does, maybe
 * before this returns.
 *
 * Context: process (allocates with GFP_NOIO, which may sleep).
 */
void vdisk_blockio_rw(struct scst_cmd *cmd, struct vdisk_dev *vdev,
		      bool write, bool fua, u64 len)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	blk_opf_t opf = write ? REQ_OP_WRITE : REQ_OP_READ;
	sector_t sector = p->lba << (vdev->block_shift - SECTOR_SHIFT);
	struct scatterlist *sgl, *sg;
	struct bio *bio = NULL;
	struct vdisk_bio_io *io;
	struct blk_plug plug;
	unsigned int nents, i;

	io = kzalloc(sizeof(*io), GFP_NOIO);
	if (!io) {
		/* INTERNAL TARGET FAILURE: nothing was transferred. */
		scst_cmd_set_sense(cmd, HARDWARE_ERROR, 0x44, 0x00);
		scst_cmd_exec_done(cmd);
		return;
	}
	io->cmd = cmd;
	io->write = write;
	io->len = len;
	atomic_set(&io->pending, 1);
	if (write && fua)
		opf |= REQ_FUA;
	if (write) {
		/* Counted until the bios end, for COMPARE AND WRITE. */
		vdisk_write_lock(vdev);
		atomic_inc(&vdev->bio_writes);
	}
	sgl = scst_cmd_get_sg(cmd, &nents);
	blk_start_plug(&plug);
	for_each_sg(sgl, sg, nents, i) {
		unsigned int l = min_t(u64, sg->length, len), done = 0;

		while (done < l) {
			unsigned int added;

			if (!bio)
				bio = vdisk_bio_new(io, vdev->bdev, nents - i,
						    opf, sector);
			added = bio_add_page(bio, sg_page(sg), l - done,
					     sg->offset + done);
			if (added < l - done) {
				/* This bio is full: send it, go on in a new one. */
				sector += bio->bi_iter.bi_size >> SECTOR_SHIFT;
				submit_bio(bio);
				bio = NULL;
			}
			done += added;
		}
		len -= l;
		if (!len)
			break;
	}
	if (bio)
		submit_bio(bio);
	blk_finish_plug(&plug);
	if (write)
		vdisk_write_unlock(vdev);
	/* Drop the submitter's count: the last one to go ends the command. */
	if (atomic_dec_and_test(&io->pending))
		vdisk_bio_io_done(io);
}
