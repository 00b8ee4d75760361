// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_emul.c - what the core answers itself, because only it knows the
 * initiators: REPORT LUNS, commands to LUNs that do not exist and REQUEST
 * SENSE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "scst_core.h"
#include <scst_compat.h>

/**
 * scst_cmd_copy_to_buf() - answer a command with @len bytes of @data
 * @cmd: a command whose parse found its allocation length
 * @data: the response
 * @len: its full length; the allocation length truncates it
 *
 * Context: any.
 */
void scst_cmd_copy_to_buf(struct scst_cmd *cmd, const void *data, u64 len)
{
	len = min(len, cmd->parse.data_len);
	cmd->exec = SCST_EXEC_EMULATED;
	if (!len)
		return;
	if (scst_cmd_alloc_buf(cmd, cmd->parse.data_len)) {
		cmd->status = SAM_STAT_BUSY;
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	sg_copy_from_buffer(cmd->sg, cmd->sg_cnt, data, len);
	cmd->resp_len = len;
}

/* Parse a command the core answers; false (sense set) if the CDB is bad. */
static bool scst_emul_parse(struct scst_cmd *cmd)
{
	if (!scst_cmd_parse_generic(cmd, 512))
		return true;
	cmd->exec = SCST_EXEC_SENSE;
	return false;
}

void scst_emulate_report_luns(struct scst_cmd *cmd)
{
	struct scst_session *sess = cmd->sess;
	struct scst_tgt_dev *tgt_dev;
	unsigned long lun;
	unsigned int n = 0, i = 0;
	u8 select;
	u8 *buf;

	if (!scst_emul_parse(cmd))
		return;
	select = cmd->cdb[2];
	if (select > 2) {
		scst_cmd_set_sense_field(cmd, 2, 7);
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}

	rcu_read_lock();
	if (select != 1)
		xa_for_each(&sess->tgt_devs, lun, tgt_dev)
			n++;
	rcu_read_unlock();

	/* The list may have grown meanwhile; only @n entries fit. */
	buf = kzalloc(8 + 8 * n, cmd->gfp_atomic ? GFP_ATOMIC : GFP_KERNEL);
	if (!buf) {
		cmd->status = SAM_STAT_BUSY;
		cmd->exec = SCST_EXEC_SENSE;
		return;
	}
	rcu_read_lock();
	if (select != 1)
		xa_for_each(&sess->tgt_devs, lun, tgt_dev) {
			if (i == n)
				break;
			scst_lun_encode(lun, (struct scsi_lun *)(buf + 8 + 8 * i));
			i++;
		}
	rcu_read_unlock();
	put_unaligned_be32(8 * i, buf);
	scst_cmd_copy_to_buf(cmd, buf, 8 + 8 * i);
	kfree(buf);

	/* REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED (SPC-4 6.33). */
	rcu_read_lock();
	xa_for_each(&sess->tgt_devs, lun, tgt_dev)
		scst_uaq_forget(&tgt_dev->ua, 0x3f, 0x0e);
	rcu_read_unlock();
}

void scst_emulate_no_lun(struct scst_cmd *cmd)
{
	/* Standard INQUIRY data: peripheral qualifier 3, type 0x1f. */
	static const u8 no_lun_inquiry[36] = {
		[0] = 0x7f, [2] = 0x06, [3] = 0x02, [4] = 31,
	};
	u8 sense[SCST_SENSE_BUFFERSIZE];
	unsigned int len;

	switch (cmd->cdb[0]) {
	case INQUIRY:
		if (!scst_emul_parse(cmd))
			return;
		if (cmd->cdb[1] & 1) {
			u8 vpd[4] = { 0x7f, cmd->cdb[2] };

			scst_cmd_copy_to_buf(cmd, vpd, sizeof(vpd));
		} else {
			scst_cmd_copy_to_buf(cmd, no_lun_inquiry,
					     sizeof(no_lun_inquiry));
		}
		return;
	case REQUEST_SENSE:
		if (!scst_emul_parse(cmd))
			return;
		/* The data: ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED. */
		len = scst_sense_build(sense, cmd->cdb[1] & 0x01,
				       ILLEGAL_REQUEST, 0x25, 0x00);
		scst_cmd_copy_to_buf(cmd, sense, len);
		return;
	default:
		scst_cmd_set_sense(cmd, 0x5, 0x25, 0x00);
		cmd->exec = SCST_EXEC_SENSE;
	}
}

void scst_emulate_request_sense(struct scst_cmd *cmd)
{
	u8 sense[SCST_SENSE_BUFFERSIZE];
	bool desc = cmd->cdb[1] & 0x01;
	unsigned int len;
	u8 asc, ascq;

	if (!scst_emul_parse(cmd))
		return;
	/*
	 * A pending unit attention is reported here and thereby cleared;
	 * DESC chooses the format whatever the control mode page says.
	 */
	if (scst_ua_take(cmd->tgt_dev, &asc, &ascq))
		len = scst_sense_build(sense, desc, UNIT_ATTENTION, asc, ascq);
	else
		len = scst_sense_build(sense, desc, NO_SENSE, 0, 0);
	scst_cmd_copy_to_buf(cmd, sense, len);
}
