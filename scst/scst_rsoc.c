// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_rsoc.c - REPORT SUPPORTED OPERATION CODES (SPC-4 6.35)
 *
 * The answer comes from the CDB table, which both parses commands and
 * holds their CDB usage data, filtered by what the device's handler says
 * it executes; so what a device reports and what it accepts cannot drift
 * apart.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include <scst_compat.h>
#include "scst_core.h"

#define RSOC_SA			0x0c
#define RSOC_ALL_DESC_LEN	8
#define RSOC_TIMEOUTS_LEN	12
/* Byte 1 of the one-command format: SUPPORT. */
#define RSOC_NOT_SUPPORTED	0x01
#define RSOC_SUPPORTED		0x03
#define RSOC_CTDP		0x80

/* Commands the core answers for every logical unit, whatever its handler. */
static bool scst_core_emulates(const struct scst_opcode *op)
{
	return op->opcode == REPORT_LUNS || op->opcode == REQUEST_SENSE ||
	       (op->opcode == MAINTENANCE_IN && op->sa == RSOC_SA) ||
	       scst_res_core_cmd(op->opcode);
}

static bool scst_rsoc_supported(struct scst_device *dev,
				const struct scst_opcode *op)
{
	if (scst_core_emulates(op))
		return true;
	return !dev->handler->supports || dev->handler->supports(dev, op);
}

/*
 * A command timeouts descriptor: no timeouts are known (zero means "not
 * specified"), but an initiator that asked with RCTD gets the descriptor.
 */
static void scst_rsoc_timeouts(u8 *b)
{
	put_unaligned_be16(RSOC_TIMEOUTS_LEN - 2, b);
}

/* Reporting options 000b: every supported command, one descriptor each. */
static u8 *scst_rsoc_all(struct scst_cmd *cmd, bool rctd, size_t *len)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	size_t dlen = RSOC_ALL_DESC_LEN + (rctd ? RSOC_TIMEOUTS_LEN : 0);
	const struct scst_opcode *op = NULL;
	unsigned int n = 0;
	u8 *buf, *d;

	while ((op = scst_opcode_next(op, dev->type)))
		n++;
	buf = kzalloc(4 + n * dlen, cmd->gfp_atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (!buf)
		return NULL;
	d = buf + 4;
	while ((op = scst_opcode_next(op, dev->type))) {
		if (!scst_rsoc_supported(dev, op))
			continue;
		d[0] = op->opcode;
		put_unaligned_be16(op->sa, d + 2);
		d[5] = (rctd ? 0x02 : 0) | (op->has_sa ? 0x01 : 0);
		put_unaligned_be16(op->cdb_len, d + 6);
		if (rctd)
			scst_rsoc_timeouts(d + RSOC_ALL_DESC_LEN);
		d += dlen;
	}
	*len = d - buf;
	put_unaligned_be32(*len - 4, buf);
	return buf;
}

/* Whether @type has service actions for @opcode. */
static bool scst_opcode_has_sa(u8 opcode, u8 type)
{
	const struct scst_opcode *op = NULL;

	while ((op = scst_opcode_next(op, type)))
		if (op->opcode == opcode && op->has_sa)
			return true;
	return false;
}

/*
 * Reporting options 001b, 010b and 011b: one command, with its CDB usage
 * data.  Return: the data, or NULL with *@bad set for INVALID FIELD IN CDB.
 */
static u8 *scst_rsoc_one(struct scst_cmd *cmd, u8 options, bool rctd,
			 size_t *len, bool *bad)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	u8 opcode = cmd->cdb[3];
	u16 sa = get_unaligned_be16(cmd->cdb + 4);
	bool has_sa = scst_opcode_has_sa(opcode, dev->type);
	const struct scst_opcode *op;
	u8 *buf;

	/* 001b names a command without, 010b one with a service action. */
	if ((options == 1 && has_sa) || (options == 2 && !has_sa)) {
		*bad = true;
		return NULL;
	}
	op = scst_opcode_find(opcode, sa, dev->type);
	buf = kzalloc(4 + SCST_MAX_CDB_SIZE + RSOC_TIMEOUTS_LEN,
		      cmd->gfp_atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (!buf)
		return NULL;
	if (!op || !scst_rsoc_supported(dev, op)) {
		buf[1] = RSOC_NOT_SUPPORTED;
		*len = 4;
		return buf;
	}
	buf[1] = RSOC_SUPPORTED | (rctd ? RSOC_CTDP : 0);
	put_unaligned_be16(op->cdb_len, buf + 2);
	memcpy(buf + 4, op->usage, min_t(size_t, op->cdb_len,
					 sizeof(op->usage)));
	*len = 4 + op->cdb_len;
	if (rctd) {
		scst_rsoc_timeouts(buf + *len);
		*len += RSOC_TIMEOUTS_LEN;
	}
	return buf;
}

/**
 * scst_emulate_rsoc() - answer REPORT SUPPORTED OPERATION CODES
 * @cmd: the command, to an existing LUN
 *
 * Context: any; allocates atomically if the command arrived so.
 */
void scst_emulate_rsoc(struct scst_cmd *cmd)
{
	u8 options = cmd->cdb[2] & 0x07;
	bool rctd = cmd->cdb[2] & 0x80;
	bool bad = false;
	size_t len = 0;
	u8 *buf;

	if (scst_cmd_parse_generic(cmd, 512)) {
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (options > 3) {
		/* REPORTING OPTIONS: byte 2, bits 2..0 */
		scst_cmd_set_sense_field(cmd, 2, 2);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (options == 0)
		buf = scst_rsoc_all(cmd, rctd, &len);
	else
		buf = scst_rsoc_one(cmd, options, rctd, &len, &bad);
	if (bad) {
		/* REQUESTED OPERATION CODE and service action disagree. */
		scst_cmd_set_sense_field(cmd, 3, 7);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	if (!buf) {
		cmd->status = SAM_STAT_BUSY;
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	scst_cmd_copy_to_buf(cmd, buf, len);
	kfree(buf);
}
