// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_lun.c - LUN field encoding and decoding (SAM-5 4.6)
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include <scst.h>

/* Address method: the top two bits of the first byte of a LUN level. */
#define SCST_LUN_AM_PERIPHERAL	0x00
#define SCST_LUN_AM_FLAT	0x40
#define SCST_LUN_AM_MASK	0xc0

#define SCST_LUN_FIELD_SIZE	8

u64 scst_lun_decode(const u8 *lun, unsigned int len)
{
	u8 field[SCST_LUN_FIELD_SIZE] = {};
	unsigned int i;

	if (len < 2)
		return SCST_LUN_INVALID;
	memcpy(field, lun, min_t(unsigned int, len, sizeof(field)));

	/* A second level (or more) would address a LUN behind this one. */
	for (i = 2; i < sizeof(field); i++)
		if (field[i])
			return SCST_LUN_INVALID;
	for (i = sizeof(field); i < len; i++)
		if (lun[i])
			return SCST_LUN_INVALID;

	switch (field[0] & SCST_LUN_AM_MASK) {
	case SCST_LUN_AM_PERIPHERAL:
		/* The low six bits are a bus identifier; only bus 0 exists. */
		if (field[0] & ~SCST_LUN_AM_MASK)
			return SCST_LUN_INVALID;
		return field[1];
	case SCST_LUN_AM_FLAT:
		return ((u64)(field[0] & ~SCST_LUN_AM_MASK) << 8) | field[1];
	default:
		return SCST_LUN_INVALID;
	}
}
EXPORT_SYMBOL_GPL(scst_lun_decode);

int scst_lun_encode(u64 lun, struct scsi_lun *out)
{
	memset(out, 0, sizeof(*out));
	if (lun > SCST_MAX_LUN)
		return -ERANGE;
	if (lun < 256) {
		out->scsi_lun[0] = SCST_LUN_AM_PERIPHERAL;
		out->scsi_lun[1] = lun;
	} else {
		out->scsi_lun[0] = SCST_LUN_AM_FLAT | (lun >> 8);
		out->scsi_lun[1] = lun & 0xff;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(scst_lun_encode);
