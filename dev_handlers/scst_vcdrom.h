/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_vcdrom.h - the virtual CD-ROM: declarations shared by its files
 *
 * scst_vcdrom.c executes the commands (SPC and the MMC commands Linux's sr
 * and the ISO 9660 file system use); scst_vcdrom_proc.c is
 * /proc/scsi_tgt/vcdrom, which opens drives and changes their medium.
 */
#ifndef __SCST_VCDROM_H
#define __SCST_VCDROM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rwsem.h>

#include "scst_vdisk.h"

#define VCDROM_BLOCK_SHIFT	11	/* 2048-byte blocks (MMC) */

/* GET EVENT STATUS NOTIFICATION media event codes (MMC-6 table 147). */
enum vcdrom_media_event {
	VCDROM_EVENT_NONE		= 0,
	VCDROM_EVENT_NEW_MEDIA		= 2,
	VCDROM_EVENT_MEDIA_REMOVAL	= 3,
};

/**
 * struct vcdrom_dev - one virtual CD-ROM drive
 * @entry:	on the drive list, under vdisk_mutex
 * @dev:	the core's device, set once registered
 * @medium_sem:	protects @filp, @path and @nblocks.  Commands read them
 *		under it (in process context: a read holds it across the
 *		file I/O); "change", an eject and "close" write them.
 * @filp:	the ISO image, or NULL when the drive is empty
 * @path:	its path as written to "open" or "change", or NULL
 * @nblocks:	capacity of the medium in 2048-byte blocks
 * @event:	the media event GET EVENT STATUS NOTIFICATION reports next
 *		(enum vcdrom_media_event); reported once
 * @prevent:	PREVENT ALLOW MEDIUM REMOVAL: an initiator asked that the
 *		medium stay in (only START STOP UNIT honours it; the
 *		administrator's "change" always wins)
 * @naa:	NAA designator, from the name
 * @serial:	unit serial number, from the name
 * @name:	device name; immutable
 */
struct vcdrom_dev {
	struct list_head entry;
	struct scst_device *dev;
	struct rw_semaphore medium_sem;	/* protects filp, path, nblocks */
	struct file *filp;
	char *path;
	u64 nblocks;
	atomic_t event;
	bool prevent;
	u8 naa[16];
	char serial[17];
	char name[VDISK_NAME_MAX + 1];
};

/* scst_vcdrom.c */
extern struct scst_dev_type vcdrom_type;
int vcdrom_medium_load(struct vcdrom_dev *vcd, const char *path);
void vcdrom_medium_eject(struct vcdrom_dev *vcd);

/* scst_vcdrom_proc.c */
int vcdrom_proc_init(void);
void vcdrom_proc_exit(void);
void vcdrom_close_all(void);

#endif /* __SCST_VCDROM_H */
