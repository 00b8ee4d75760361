/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_vdisk.h - declarations shared by the files of scst_vdisk.ko only
 *
 * The handler is split by concern: scst_vdisk_main.c (module, parse, the
 * per-opcode exec table), scst_vdisk_proc.c (/proc/scsi_tgt/vdisk),
 * scst_vdisk_spc.c (INQUIRY, VPD, MODE SENSE and the other SPC commands),
 * scst_vdisk_sbc.c (READ CAPACITY, READ/WRITE/VERIFY/SYNCHRONIZE CACHE) and
 * scst_vdisk_fileio.c (the backing file) and scst_vdisk_blockio.c (a block
 * device, with bios).
 */
#ifndef __SCST_VDISK_H
#define __SCST_VDISK_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <scst.h>

#define VDISK_NAME_MAX		64
/* Size of a NULLIO device when "size=" is not given: 1 TiB. */
#define VDISK_NULLIO_DEFAULT_SIZE	BIT_ULL(40)
/*
 * Longest transfer one READ/WRITE/VERIFY may ask for, reported in the Block
 * Limits VPD page and enforced by parse().  It bounds the data buffer the
 * core allocates for one command.
 */
#define VDISK_MAX_XFER_BYTES	(8U << 20)
/*
 * Limits reported in the Block Limits VPD page and enforced: one UNMAP
 * frees at most 1 Mi blocks; one WRITE SAME touches at most 16 Ki blocks,
 * as many as the largest READ, so an initiator can read back what it wrote.
 */
#define VDISK_MAX_UNMAP_BLOCKS		BIT(20)
#define VDISK_MAX_UNMAP_DESCRIPTORS	256
#define VDISK_MAX_WRITE_SAME_BLOCKS	BIT(14)
#define VDISK_MAX_CAW_BLOCKS		64

/* Options of "open"; also what the /proc listing prints. */
enum vdisk_opt {
	VDISK_WRITE_THROUGH	= BIT(0),
	VDISK_READ_ONLY		= BIT(1),
	VDISK_O_DIRECT		= BIT(2),
	VDISK_NULLIO		= BIT(3),
	VDISK_NV_CACHE		= BIT(4),
	VDISK_REMOVABLE		= BIT(5),
	VDISK_BLOCKIO		= BIT(6),
};

/**
 * struct vdisk_dev - one virtual disk
 * @entry:	on vdisk_dev_list, under vdisk_mutex
 * @dev:	the core's device, set once scst_register_virtual_device()
 *		has returned
 * @filp:	the backing file (FILEIO), an O_DIRECT handle on the block
 *		device (BLOCKIO), NULL for NULLIO
 * @bdev:	BLOCKIO: the block device, claimed exclusively
 * @bdev_claim:	BLOCKIO: the claim, where the kernel makes it a file
 * @path:	PATH as written to "open" (kept for the listing; NULLIO too)
 * @opts:	enum vdisk_opt bits; immutable after open
 * @block_size:	logical block size in bytes; immutable
 * @block_shift: log2(@block_size)
 * @nblocks:	capacity in logical blocks.  Written under vdisk_mutex by
 *		"resync_size", read without a lock by the command path: a
 *		command sees the capacity before or after the change, as with
 *		a real disk that is resized.
 * @mode_lock:	serialises MODE SELECTs, so that each sees the values the
 *		previous one left; readers (MODE SENSE, writes) take no lock
 * @wce:	the caching mode page's WCE: false makes every write durable
 *		before its status.  Written under @mode_lock, read with
 *		READ_ONCE() by the command path.
 * @write_sem: writes hold it shared while they change the medium,
 *		COMPARE AND WRITE exclusively (scst_vdisk_thin.c)
 * @bio_writes:	BLOCKIO write commands whose bios have not all ended;
 *		COMPARE AND WRITE waits for it to drop to zero
 * @naa:	NAA IEEE Registered Extended designator (16 bytes)
 * @serial:	unit serial number, NUL-terminated
 * @name:	device name, NUL-terminated; immutable
 *
 * Everything but @entry, @nblocks and the mode parameters is immutable while the device is
 * registered with the core, so exec() reads it without locks.  The structure
 * is freed only after scst_unregister_virtual_device() has returned, i.e.
 * when no command uses it any more.
 */
struct vdisk_dev {
	struct list_head entry;
	struct scst_device *dev;
	struct file *filp;
	struct block_device *bdev;
	struct file *bdev_claim;
	char *path;
	unsigned int opts;
	u32 block_size;
	unsigned int block_shift;
	atomic64_t nblocks;
	spinlock_t mode_lock;	/* serialises MODE SELECT */
	bool wce;
	struct rw_semaphore write_sem;	/* see above */
	atomic_t bio_writes;
	u8 naa[16];
	char serial[17];
	char name[VDISK_NAME_MAX + 1];
};

static inline bool vdisk_opt(const struct vdisk_dev *vdev, unsigned int opt)
{
	return vdev->opts & opt;
}

static inline u64 vdisk_nblocks(struct vdisk_dev *vdev)
{
	return atomic64_read(&vdev->nblocks);
}

/* scst_vdisk_main.c */
extern struct scst_dev_type vdisk_type;
struct vdisk_dev *vdisk_cmd_dev(struct scst_cmd *cmd);
const u8 *vdisk_cdb(struct scst_cmd *cmd);
u64 vdisk_sg_len(struct scst_cmd *cmd);
void vdisk_send_resp(struct scst_cmd *cmd, const void *buf, size_t len);
bool vdisk_check_range(struct scst_cmd *cmd, struct vdisk_dev *vdev,
		       u64 lba, u64 nblocks);
void vdisk_set_invalid_field(struct scst_cmd *cmd);

/* scst_vdisk_proc.c */
extern struct mutex vdisk_mutex;
bool vdisk_name_valid(const char *name);
ssize_t vdisk_proc_write_cmd(const char __user *ubuf, size_t len,
			     int (*run)(char *line));

/* Most words a command of scst_vdisk.ko's /proc files has, comments included. */
#define VDISK_MAX_WORDS	16

/* One verb of a /proc command file and what runs it. */
struct vdisk_proc_cmd {
	const char *verb;
	int (*run)(char **words, unsigned int n);
};

int vdisk_proc_dispatch(char *line, const struct vdisk_proc_cmd *cmds,
			unsigned int ncmds, const char *dir);
struct proc_dir_entry *vdisk_proc_dir_create(const char *name,
					     const struct proc_ops *ops,
					     const char *help);
int vdisk_proc_init(void);
void vdisk_proc_exit(void);
void vdisk_close_all(void);

/* scst_vdisk_spc.c */
void vdisk_exec_tur(struct scst_cmd *cmd);
void vdisk_exec_inquiry(struct scst_cmd *cmd);
void vdisk_exec_accept(struct scst_cmd *cmd);
void vdisk_make_ids(struct vdisk_dev *vdev);
void vdisk_derive_ids(const char *name, char *serial, u8 *naa);
void vdisk_ascii(u8 *dst, const char *s, size_t len);
size_t vdisk_devid_designators(u8 *b, const u8 *naa, const char *vendor,
			       const char *name);

/* scst_vdisk_mode.c */
void vdisk_mode_init(struct vdisk_dev *vdev);
void vdisk_exec_mode_sense(struct scst_cmd *cmd);
void vdisk_exec_mode_select(struct scst_cmd *cmd);

/* scst_vdisk_sbc.c */
void vdisk_exec_read_capacity10(struct scst_cmd *cmd);
void vdisk_exec_read_capacity16(struct scst_cmd *cmd);
void vdisk_exec_read(struct scst_cmd *cmd);
void vdisk_exec_write(struct scst_cmd *cmd);
void vdisk_exec_write_verify(struct scst_cmd *cmd);
void vdisk_exec_verify(struct scst_cmd *cmd);
void vdisk_exec_sync_cache(struct scst_cmd *cmd);

/* scst_vdisk_blockio.c */
int vdisk_blockio_open(struct vdisk_dev *vdev);
void vdisk_blockio_close(struct vdisk_dev *vdev);
void vdisk_blockio_rw(struct scst_cmd *cmd, struct vdisk_dev *vdev,
		      bool write, bool fua, u64 len);

/* scst_vdisk_thin.c */
bool vdisk_thin(struct vdisk_dev *vdev);
bool vdisk_unmapped_reads_zero(struct vdisk_dev *vdev);
void vdisk_exec_unmap(struct scst_cmd *cmd);
void vdisk_exec_write_same(struct scst_cmd *cmd);
void vdisk_exec_compare_and_write(struct scst_cmd *cmd);
void vdisk_write_lock(struct vdisk_dev *vdev);
void vdisk_write_unlock(struct vdisk_dev *vdev);
void vdisk_bio_writes_done(struct vdisk_dev *vdev);

/* scst_vdisk_fileio.c */
int vdisk_file_open(struct vdisk_dev *vdev);
void vdisk_file_close(struct vdisk_dev *vdev);
int vdisk_file_size(struct vdisk_dev *vdev, u64 *nblocks);
int vdisk_file_rw(struct vdisk_dev *vdev, struct scst_cmd *cmd, bool write,
		  loff_t pos, u64 len);
struct file;
int vdisk_filp_rw(struct file *filp, struct scst_cmd *cmd, bool write,
		  loff_t pos, u64 len);
int vdisk_file_sync(struct vdisk_dev *vdev, loff_t pos, u64 len);
int vdisk_file_read_buf(struct vdisk_dev *vdev, void *buf, loff_t pos,
			u64 len);
int vdisk_file_write_buf(struct vdisk_dev *vdev, const void *buf, loff_t pos,
			 u64 len);
int vdisk_file_write_same(struct vdisk_dev *vdev, const u8 *block,
			  loff_t pos, u64 len);
int vdisk_file_compare(struct vdisk_dev *vdev, struct scst_cmd *cmd,
		       loff_t pos, u64 len, bool one_block, bool *equal);

/* scst_vcdrom.c, scst_vcdrom_proc.c: the virtual CD-ROM */
int vcdrom_init(void);
void vcdrom_exit(void);

#endif /* __SCST_VDISK_H */
