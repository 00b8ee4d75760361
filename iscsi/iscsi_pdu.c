// SPDX-License-Identifier: GPL-2.0-only
/*
 * iscsi_pdu.c - check the basic header segment of an initiator's PDU
 *
 * Every length and field that later code uses to index or allocate is
 * checked here, once, against what RFC 7143 allows for the opcode and what
 * the connection negotiated; a header that fails ends in a Reject PDU (or
 * the connection's end), never in a read past a buffer.  No allocation, no
 * locks: the same file builds into the fuzz harness (tests/fuzz/).
 */
#include "iscsi_pdu.h"

/* Opcodes that may carry a data segment, and whether it is text. */
static bool iscsi_pdu_may_have_data(u8 opcode)
{
	switch (opcode) {
	case ISCSI_OP_NOP_OUT:		/* ping data */
	case ISCSI_OP_SCSI_CMD:		/* immediate data */
	case ISCSI_OP_LOGIN_REQ:
	case ISCSI_OP_TEXT_REQ:
	case ISCSI_OP_DATA_OUT:
		return true;
	default:
		return false;
	}
}

/* The SCSI Command fields the data phase relies on (RFC 7143 11.3). */
static int iscsi_pdu_check_cmd(const u8 *bhs, struct iscsi_pdu_hdr *hdr)
{
	bool r = hdr->flags & ISCSI_CMD_READ;
	bool w = hdr->flags & ISCSI_CMD_WRITE;

	hdr->edtl = get_unaligned_be32(bhs + 20);
	if ((hdr->flags & ISCSI_CMD_ATTR_MASK) > ISCSI_CMD_ATTR_MAX)
		return -EINVAL;
	/* Without a data phase there is nothing to expect. */
	if (!r && !w && hdr->edtl)
		return -EINVAL;
	/* Immediate data is write data, and no more than expected. */
	if (hdr->data_len && (!w || hdr->data_len > hdr->edtl))
		return -EINVAL;
	return 0;
}

/**
 * iscsi_pdu_parse() - decode and check a basic header segment
 * @bhs: ISCSI_BHS_LEN bytes
 * @max_data_len: the largest data segment this connection accepts
 *	(MaxRecvDataSegmentLength as declared by the target, or
 *	ISCSI_LOGIN_MAX_DATA during login)
 * @hdr: where to put what was found
 *
 * Context: any; takes no locks.
 * Return: 0; -EOPNOTSUPP for an opcode an initiator does not send;
 * -EMSGSIZE for a data segment over @max_data_len; -EPROTO for an AHS on
 * a PDU that cannot have one, or data on one that cannot have any; -EINVAL
 * for a field whose value RFC 7143 does not allow.
 */
int iscsi_pdu_parse(const u8 *bhs, u32 max_data_len,
		    struct iscsi_pdu_hdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->opcode = bhs[0] & 0x3f;
	hdr->immediate = bhs[0] & 0x40;
	hdr->final = bhs[1] & 0x80;
	hdr->flags = bhs[1] & 0x7f;
	hdr->ahs_len = bhs[4] * 4;
	hdr->data_len = get_unaligned_be24(bhs + 5);
	hdr->itt = get_unaligned_be32(bhs + 16);

	switch (hdr->opcode) {
	case ISCSI_OP_NOP_OUT:
	case ISCSI_OP_SCSI_CMD:
	case ISCSI_OP_TMF_REQ:
	case ISCSI_OP_LOGIN_REQ:
	case ISCSI_OP_TEXT_REQ:
	case ISCSI_OP_DATA_OUT:
	case ISCSI_OP_LOGOUT_REQ:
	case ISCSI_OP_SNACK_REQ:
		break;
	default:
		return -EOPNOTSUPP;
	}
	/* Only a SCSI Command has additional header segments. */
	if (hdr->ahs_len && hdr->opcode != ISCSI_OP_SCSI_CMD)
		return -EPROTO;
	if (hdr->data_len && !iscsi_pdu_may_have_data(hdr->opcode))
		return -EPROTO;
	if (hdr->data_len > max_data_len)
		return -EMSGSIZE;

	switch (hdr->opcode) {
	case ISCSI_OP_SCSI_CMD:
		return iscsi_pdu_check_cmd(bhs, hdr);
	case ISCSI_OP_DATA_OUT:
		hdr->buffer_offset = get_unaligned_be32(bhs + 40);
		/* The offset plus the length must not wrap around. */
		if (hdr->buffer_offset > U32_MAX - hdr->data_len)
			return -EINVAL;
		return 0;
	case ISCSI_OP_TMF_REQ:
		/* A task management request is one PDU. */
		return hdr->final ? 0 : -EINVAL;
	case ISCSI_OP_LOGIN_REQ:
		/* Login requests are always immediate. */
		return hdr->immediate ? 0 : -EINVAL;
	default:
		return 0;
	}
}

/**
 * iscsi_pdu_reject_reason() - the Reject reason for iscsi_pdu_parse()'s error
 * @err: a negative error iscsi_pdu_parse() returned
 *
 * Context: any.
 */
u8 iscsi_pdu_reject_reason(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return ISCSI_REJECT_CMD_NOT_SUPPORTED;
	case -EPROTO:
		return ISCSI_REJECT_PROTOCOL_ERROR;
	default:
		return ISCSI_REJECT_INVALID_PDU_FIELD;
	}
}
