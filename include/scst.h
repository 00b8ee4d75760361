/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst.h - the public API of the SCST core (scst.ko)
 *
 * Target drivers and device handlers include only this header.  Every
 * exported function says in which context it may be called and which locks
 * it takes.
 */
#ifndef __SCST_H
#define __SCST_H

#include <linux/types.h>
#include <scsi/scsi_proto.h>

#define SCST_VERSION_STRING	"4.0.0-pre1"

/*
 * LUN numbers.  The core keeps one LUN address space per access group, with
 * the LUN numbers 0 .. SCST_MAX_LUN that the single-level peripheral (0..255)
 * and flat (0..16383) address methods of SAM-5 can express.
 */
#define SCST_MAX_LUN		16383
#define SCST_LUN_INVALID	((u64)-1)

/**
 * scst_lun_decode() - turn the LUN field of a command into a LUN number
 * @lun: the LUN field as the initiator sent it (SAM-5 4.6, big-endian)
 * @len: how many bytes of @lun are valid; missing bytes count as zero
 *
 * Accepts single-level LUNs in the peripheral device (bus 0) and flat space
 * address methods.  Logical unit and extended addressing, a non-zero bus
 * identifier and second-level addresses are not supported.
 *
 * Context: any, including hard interrupt; takes no locks.
 * Return: the LUN number, or %SCST_LUN_INVALID.
 */
u64 scst_lun_decode(const u8 *lun, unsigned int len);

/**
 * scst_lun_encode() - encode a LUN number as REPORT LUNS lists it
 * @lun: LUN number, 0 .. %SCST_MAX_LUN
 * @out: the 8-byte LUN field to fill
 *
 * LUNs below 256 use the peripheral device address method, the others the
 * flat space method, as initiators expect from a SAM-5 target.
 *
 * Context: any, including hard interrupt; takes no locks.
 * Return: 0, or -ERANGE if @lun is above %SCST_MAX_LUN (@out is then zeroed).
 */
int scst_lun_encode(u64 lun, struct scsi_lun *out);

#endif /* __SCST_H */
