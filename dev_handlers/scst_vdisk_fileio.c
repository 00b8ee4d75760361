// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_fileio.c - FILEIO: a regular file holds the disk's blocks
 *
 * The command's scatterlist is handed to the file system as a bio_vec
 * iterator, so data is copied once (page cache) or not at all (O_DIRECT).
 * Bio_vecs are built in batches on the stack: the I/O path allocates
 * nothing.  Every function here may sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/bvec.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include <scst_compat.h>
#include "scst_vdisk.h"

/* Bio_vecs per vfs call: 256 bytes of stack, up to 64 KiB with 4 KiB pages. */
#define VDISK_BVEC_BATCH	16

int vdisk_file_open(struct vdisk_dev *vdev)
{
	int flags = O_LARGEFILE;
	struct file *filp;

	flags |= vdisk_opt(vdev, VDISK_READ_ONLY) ? O_RDONLY : O_RDWR;
	if (vdisk_opt(vdev, VDISK_O_DIRECT))
		flags |= O_DIRECT;
	if (vdisk_opt(vdev, VDISK_WRITE_THROUGH))
		flags |= O_DSYNC;

	filp = filp_open(vdev->path, flags, 0);
	if (IS_ERR(filp)) {
		pr_warn("open: %s: cannot open '%s' (%ld)\n", vdev->name,
			vdev->path, PTR_ERR(filp));
		return PTR_ERR(filp);
	}
	if (!S_ISREG(file_inode(filp)->i_mode)) {
		pr_warn("open: %s: '%s' is not a regular file (a block device needs BLOCKIO)\n",
			vdev->name, vdev->path);
		filp_close(filp, NULL);
		return -EINVAL;
	}
	/* All I/O goes through ->read_iter() and ->write_iter(). */
	if (!filp->f_op->read_iter ||
	    (!vdisk_opt(vdev, VDISK_READ_ONLY) && !filp->f_op->write_iter)) {
		pr_warn("open: %s: '%s' does not support iterator I/O\n",
			vdev->name, vdev->path);
		filp_close(filp, NULL);
		return -EINVAL;
	}
	vdev->filp = filp;
	return 0;
}

void vdisk_file_close(struct vdisk_dev *vdev)
{
	if (vdev->filp)
		filp_close(vdev->filp, NULL);
	vdev->filp = NULL;
	vdisk_blockio_close(vdev);
}

/*
 * The capacity the file gives now, in blocks (a partial last block is not
 * exported).  The caller logs.
 */
int vdisk_file_size(struct vdisk_dev *vdev, u64 *nblocks)
{
	/* A device node's inode is not the block device's: ask the device. */
	loff_t size = vdev->bdev ? bdev_nr_bytes(vdev->bdev) :
				   i_size_read(file_inode(vdev->filp));

	*nblocks = (u64)size >> vdev->block_shift;
	return *nblocks ? 0 : -EINVAL;
}

/*
 * Writes go to ->write_iter() with the freeze protection taken here:
 * vfs_iter_write() takes it itself since Linux 6.7 but not before, and
 * whether it does cannot be seen in its prototype.  This is what the loop
 * driver does too.
 */
static ssize_t vdisk_write_iter(struct file *filp, struct iov_iter *iter,
				loff_t pos)
{
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, filp);
	kiocb.ki_pos = pos;
	file_start_write(filp);
	ret = filp->f_op->write_iter(&kiocb, iter);
	file_end_write(filp);
	return ret;
}

/* One batch of bio_vecs at file offset @pos: all of it, or an error. */
static int vdisk_bvec_io(struct file *filp, bool write, struct bio_vec *bv,
			 unsigned int n, size_t bytes, loff_t pos)
{
	struct iov_iter iter;
	size_t done = 0;
	ssize_t ret;

	iov_iter_bvec(&iter, write ? ITER_SOURCE : ITER_DEST, bv, n, bytes);
	while (done < bytes) {
		if (write) {
			ret = vdisk_write_iter(filp, &iter, pos + done);
		} else {
			loff_t p = pos + done;

			ret = vfs_iter_read(filp, &iter, &p, 0);
		}
		if (ret < 0)
			return ret;
		if (!ret) {
			if (write)
				return -EIO;
			/*
			 * The file shrank below the capacity (not yet
			 * "resync_size"d): what is not there reads as zeros.
			 */
			iov_iter_zero(bytes - done, &iter);
			break;
		}
		done += ret;
	}
	return 0;
}

/**
 * vdisk_filp_rw() - move @len bytes between a command's buffer and a file
 * @filp: the file
 * @cmd: the command, whose scatterlist holds at least @len bytes
 * @write: buffer to file if true, else file to buffer
 * @pos: byte offset in the file
 * @len: bytes
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_filp_rw(struct file *filp, struct scst_cmd *cmd, bool write,
		  loff_t pos, u64 len)
{
	struct bio_vec bv[VDISK_BVEC_BATCH];
	struct scatterlist *sgl, *sg;
	unsigned int nents, i, n = 0;
	size_t bytes = 0;
	int ret;

	sgl = scst_cmd_get_sg(cmd, &nents);
	for_each_sg(sgl, sg, nents, i) {
		unsigned int l;

		if (!len)
			break;
		l = min_t(u64, sg->length, len);
		bvec_set_page(&bv[n++], sg_page(sg), l, sg->offset);
		bytes += l;
		len -= l;
		if (n == VDISK_BVEC_BATCH) {
			ret = vdisk_bvec_io(filp, write, bv, n, bytes, pos);
			if (ret)
				return ret;
			pos += bytes;
			bytes = 0;
			n = 0;
		}
	}
	if (n)
		return vdisk_bvec_io(filp, write, bv, n, bytes, pos);
	return 0;
}

/**
 * vdisk_file_rw() - vdisk_filp_rw() on the backing file of a disk
 * @vdev: the device
 * @cmd: the command
 * @write: buffer to file if true, else file to buffer
 * @pos: byte offset in the file
 * @len: bytes
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_rw(struct vdisk_dev *vdev, struct scst_cmd *cmd, bool write,
		  loff_t pos, u64 len)
{
	return vdisk_filp_rw(vdev->filp, cmd, write, pos, len);
}

/**
 * vdisk_file_sync() - make @len bytes at @pos durable
 * @vdev: the device
 * @pos: byte offset
 * @len: bytes; 0 means up to the end of the file
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_sync(struct vdisk_dev *vdev, loff_t pos, u64 len)
{
	loff_t end = len ? pos + len - 1 : LLONG_MAX;

	return vfs_fsync_range(vdev->filp, pos, end, 1);
}

/* Pages of a kernel buffer moved to or from the medium at a time. */
#define VDISK_BUF_PAGES		16

/*
 * Move @len bytes between @buf and the medium through pages (O_DIRECT
 * handles need aligned memory).  @pattern: @buf is one block, repeated.
 */
static int vdisk_file_buf_io(struct vdisk_dev *vdev, bool write, u8 *buf,
			     bool pattern, loff_t pos, u64 len)
{
	unsigned int npages = min_t(u64, DIV_ROUND_UP(len, PAGE_SIZE),
				    VDISK_BUF_PAGES);
	struct page *pages[VDISK_BUF_PAGES] = {};
	struct bio_vec bv[VDISK_BUF_PAGES];
	unsigned int i, n;
	size_t off, chunk;
	u64 done = 0;
	int ret = -ENOMEM;

	/* As many pages as the transfer needs, up to a batch. */
	for (i = 0; i < npages; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out;
		if (pattern)
			for (off = 0; off < PAGE_SIZE; off += vdev->block_size)
				memcpy_to_page(pages[i], off, buf,
					       vdev->block_size);
	}
	ret = 0;
	while (done < len && !ret) {
		chunk = min_t(u64, len - done, npages * PAGE_SIZE);
		n = DIV_ROUND_UP(chunk, PAGE_SIZE);
		for (i = 0; i < n; i++) {
			size_t l = min_t(size_t, PAGE_SIZE,
					 chunk - i * PAGE_SIZE);

			bvec_set_page(&bv[i], pages[i], l, 0);
			if (write && !pattern)
				memcpy_to_page(pages[i], 0,
					       buf + done + i * PAGE_SIZE, l);
		}
		ret = vdisk_bvec_io(vdev->filp, write, bv, n, chunk,
				    pos + done);
		if (!ret && !write)
			for (i = 0; i < n; i++)
				memcpy_from_page(buf + done + i * PAGE_SIZE,
						 pages[i], 0,
						 min_t(size_t, PAGE_SIZE,
						       chunk - i * PAGE_SIZE));
		done += chunk;
	}
out:
	for (i = 0; i < npages; i++)
		if (pages[i])
			__free_page(pages[i]);
	return ret;
}

/**
 * vdisk_file_read_buf() - read @len bytes at @pos into a kernel buffer
 * @vdev: the device (FILEIO or BLOCKIO)
 * @buf: the buffer
 * @pos: byte offset
 * @len: bytes
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_read_buf(struct vdisk_dev *vdev, void *buf, loff_t pos,
			u64 len)
{
	return vdisk_file_buf_io(vdev, false, buf, false, pos, len);
}

/**
 * vdisk_file_write_buf() - write @len bytes of a kernel buffer at @pos
 * @vdev: the device (FILEIO or BLOCKIO)
 * @buf: the buffer
 * @pos: byte offset
 * @len: bytes
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_write_buf(struct vdisk_dev *vdev, const void *buf, loff_t pos,
			 u64 len)
{
	return vdisk_file_buf_io(vdev, true, (u8 *)buf, false, pos, len);
}

/**
 * vdisk_file_write_same() - write one block over and over
 * @vdev: the device (FILEIO or BLOCKIO)
 * @block: the block's data (vdev->block_size bytes)
 * @pos: byte offset, a multiple of the block size
 * @len: bytes, a multiple of the block size
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_write_same(struct vdisk_dev *vdev, const u8 *block,
			  loff_t pos, u64 len)
{
	return vdisk_file_buf_io(vdev, true, (u8 *)block, true, pos, len);
}

/* Pages of medium data compared at a time. */
#define VDISK_CMP_PAGES		16
#define VDISK_CMP_CHUNK		(VDISK_CMP_PAGES * PAGE_SIZE)

/**
 * vdisk_file_compare() - compare the medium with the command's data
 * @vdev: the device
 * @cmd: a VERIFY command with BYTCHK set
 * @pos: byte offset of the first block
 * @len: bytes of medium to compare
 * @one_block: the buffer holds one block to compare with every block
 *	(BYTCHK 11b); else it holds @len bytes
 * @equal: set to whether everything matched
 *
 * The medium is read into pages of our own (page aligned, so O_DIRECT
 * works) and compared with a linear copy of the command's data.
 *
 * Context: process; sleeps.
 * Return: 0 or a negative errno.
 */
int vdisk_file_compare(struct vdisk_dev *vdev, struct scst_cmd *cmd,
		       loff_t pos, u64 len, bool one_block, bool *equal)
{
	struct page *pages[VDISK_CMP_PAGES] = {};
	struct bio_vec bv[VDISK_CMP_PAGES];
	struct scatterlist *sgl;
	unsigned int nents, i;
	u64 done = 0;
	u8 *want;
	int ret = -ENOMEM;

	*equal = true;
	want = kvmalloc(VDISK_CMP_CHUNK, GFP_KERNEL);
	if (!want)
		return -ENOMEM;
	for (i = 0; i < VDISK_CMP_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			goto out;
	}
	sgl = scst_cmd_get_sg(cmd, &nents);
	if (one_block) {
		/* The chunk is a multiple of the block size (<= 4096). */
		sg_copy_to_buffer(sgl, nents, want, vdev->block_size);
		for (i = 1; i < VDISK_CMP_CHUNK >> vdev->block_shift; i++)
			memcpy(want + (i << vdev->block_shift), want,
			       vdev->block_size);
	}

	ret = 0;
	while (done < len && *equal) {
		size_t chunk = min_t(u64, len - done, VDISK_CMP_CHUNK);
		unsigned int npages = DIV_ROUND_UP(chunk, PAGE_SIZE);
		size_t off;

		for (i = 0; i < npages; i++)
			bvec_set_page(&bv[i], pages[i],
				      min_t(size_t, PAGE_SIZE,
					    chunk - i * PAGE_SIZE), 0);
		if (vdev->filp) {
			ret = vdisk_bvec_io(vdev->filp, false, bv, npages,
					    chunk, pos + done);
			if (ret)
				break;
		} else {
			for (i = 0; i < npages; i++)
				clear_highpage(pages[i]);
		}
		if (!one_block &&
		    sg_pcopy_to_buffer(sgl, nents, want, chunk, done) != chunk) {
			ret = -EIO;
			break;
		}
		for (off = 0; off < chunk && *equal; off += PAGE_SIZE) {
			size_t l = min_t(size_t, PAGE_SIZE, chunk - off);
			u8 *p = kmap_local_page(pages[off / PAGE_SIZE]);

			*equal = !memcmp(p, want + off, l);
			kunmap_local(p);
		}
		done += chunk;
	}
out:
	for (i = 0; i < VDISK_CMP_PAGES; i++)
		if (pages[i])
			__free_page(pages[i]);
	kvfree(want);
	return ret;
}
