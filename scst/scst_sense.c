// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_sense.c - sense data in the two formats of SPC-4 4.5
 *
 * Fixed format is what every initiator understands; descriptor format is
 * used when the logical unit's control mode page has D_SENSE set, or when a
 * REQUEST SENSE asks for it with DESC.  Both are built here, so that the
 * rest of the core and the handlers only say which key, code and extra
 * fields (INFORMATION, sense-key specific) they report.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include <scst_compat.h>
#include "scst_core.h"

#define SENSE_FIXED_LEN		18
#define SENSE_DESC_HDR_LEN	8
/* Descriptor types (SPC-4 4.5.2.1). */
#define SENSE_DESC_INFO		0x00
#define SENSE_DESC_SKS		0x02

/**
 * scst_sense_build() - sense data without extra fields
 * @buf: at least %SCST_SENSE_BUFFERSIZE bytes
 * @desc: descriptor format (else fixed)
 * @key: sense key
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Context: any; takes no locks.
 * Return: the length of the sense data.
 */
unsigned int scst_sense_build(u8 *buf, bool desc, u8 key, u8 asc, u8 ascq)
{
	if (desc) {
		memset(buf, 0, SENSE_DESC_HDR_LEN);
		buf[0] = 0x72;
		buf[1] = key & 0x0f;
		buf[2] = asc;
		buf[3] = ascq;
		return SENSE_DESC_HDR_LEN;
	}
	memset(buf, 0, SENSE_FIXED_LEN);
	buf[0] = 0x70;
	buf[2] = key & 0x0f;
	buf[7] = SENSE_FIXED_LEN - 8;
	buf[12] = asc;
	buf[13] = ascq;
	return SENSE_FIXED_LEN;
}

/* Append a descriptor of @len bytes (header included); NULL if it won't fit. */
static u8 *scst_sense_add_desc(u8 *buf, unsigned int *len, u8 type, u8 dlen)
{
	u8 *d = buf + *len;

	if (*len + dlen > SCST_SENSE_BUFFERSIZE)
		return NULL;
	memset(d, 0, dlen);
	d[0] = type;
	d[1] = dlen - 2;
	*len += dlen;
	buf[7] = *len - SENSE_DESC_HDR_LEN;
	return d;
}

/**
 * scst_sense_set_info() - fill the INFORMATION field
 * @buf: sense data made by scst_sense_build()
 * @len: its length, updated
 * @info: the value (an LBA, or a byte offset for MISCOMPARE)
 *
 * Fixed format has 32 bits for it; a larger value leaves VALID clear, as
 * SPC-4 requires, while descriptor format always carries all 64 bits.
 *
 * Context: any; takes no locks.
 */
void scst_sense_set_info(u8 *buf, unsigned int *len, u64 info)
{
	u8 *d;

	if (buf[0] == 0x72) {
		d = scst_sense_add_desc(buf, len, SENSE_DESC_INFO, 12);
		if (d) {
			d[2] = 0x80;	/* VALID */
			put_unaligned_be64(info, d + 4);
		}
		return;
	}
	if (info > U32_MAX)
		return;
	buf[0] |= 0x80;		/* VALID */
	put_unaligned_be32(info, buf + 3);
}

/**
 * scst_sense_set_sks() - fill the sense-key specific field
 * @buf: sense data made by scst_sense_build()
 * @len: its length, updated
 * @sks: the three bytes, SKSV included
 *
 * Context: any; takes no locks.
 */
void scst_sense_set_sks(u8 *buf, unsigned int *len, const u8 sks[3])
{
	u8 *d;

	if (buf[0] == 0x72) {
		d = scst_sense_add_desc(buf, len, SENSE_DESC_SKS, 8);
		if (d)
			memcpy(d + 4, sks, 3);
		return;
	}
	memcpy(buf + 15, sks, 3);
}

/* The format a command's sense data takes: its logical unit's D_SENSE. */
static bool scst_cmd_d_sense(struct scst_cmd *cmd)
{
	return cmd->tgt_dev && READ_ONCE(cmd->tgt_dev->dev->d_sense);
}

void scst_cmd_set_sense(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	cmd->sense_len = scst_sense_build(cmd->sense, scst_cmd_d_sense(cmd),
					  key, asc, ascq);
	cmd->status = SAM_STAT_CHECK_CONDITION;
	cmd->resp_len = 0;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_sense);

void scst_cmd_set_sense_info(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq,
			     u64 info)
{
	unsigned int len;

	scst_cmd_set_sense(cmd, key, asc, ascq);
	len = cmd->sense_len;
	scst_sense_set_info(cmd->sense, &len, info);
	cmd->sense_len = len;
}
EXPORT_SYMBOL_GPL(scst_cmd_set_sense_info);

static void scst_cmd_set_sense_pointer(struct scst_cmd *cmd, u8 asc, bool cdb,
				       u16 byte, u8 bit)
{
	/* SKSV, C/D, BPV and the bit and byte pointers (SPC-4 4.5.2.4.2). */
	u8 sks[3] = { 0x80 | (cdb ? 0x40 : 0) | 0x08 | (bit & 7) };
	unsigned int len;

	put_unaligned_be16(byte, sks + 1);
	scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, asc, 0x00);
	len = cmd->sense_len;
	scst_sense_set_sks(cmd->sense, &len, sks);
	cmd->sense_len = len;
}

void scst_cmd_set_sense_field(struct scst_cmd *cmd, u8 byte, u8 bit)
{
	scst_cmd_set_sense_pointer(cmd, 0x24, true, byte, bit);
}
EXPORT_SYMBOL_GPL(scst_cmd_set_sense_field);

void scst_cmd_set_sense_param(struct scst_cmd *cmd, u16 byte, u8 bit)
{
	scst_cmd_set_sense_pointer(cmd, 0x26, false, byte, bit);
}
EXPORT_SYMBOL_GPL(scst_cmd_set_sense_param);

void scst_dev_set_d_sense(struct scst_device *dev, bool d_sense)
{
	WRITE_ONCE(dev->d_sense, d_sense);
}
EXPORT_SYMBOL_GPL(scst_dev_set_d_sense);

bool scst_dev_get_d_sense(struct scst_device *dev)
{
	return READ_ONCE(dev->d_sense);
}
EXPORT_SYMBOL_GPL(scst_dev_get_d_sense);
