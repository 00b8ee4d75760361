/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iscsi_pdu.h - the basic header segment of PDUs an initiator sends
 * (RFC 7143 11.2), decoded and checked before anything else looks at it
 */
#ifndef __ISCSI_PDU_H
#define __ISCSI_PDU_H

#include "iscsi_env.h"

#define ISCSI_BHS_LEN		48
/* During login, and the default of MaxRecvDataSegmentLength. */
#define ISCSI_LOGIN_MAX_DATA	8192

/* Opcodes of initiator PDUs (byte 0, bits 5-0). */
enum iscsi_opcode {
	ISCSI_OP_NOP_OUT	= 0x00,
	ISCSI_OP_SCSI_CMD	= 0x01,
	ISCSI_OP_TMF_REQ	= 0x02,
	ISCSI_OP_LOGIN_REQ	= 0x03,
	ISCSI_OP_TEXT_REQ	= 0x04,
	ISCSI_OP_DATA_OUT	= 0x05,
	ISCSI_OP_LOGOUT_REQ	= 0x06,
	ISCSI_OP_SNACK_REQ	= 0x10,
};

/* Reject PDU reasons (RFC 7143 11.17.1) the checks below lead to. */
enum iscsi_reject_reason {
	ISCSI_REJECT_PROTOCOL_ERROR	= 0x04,
	ISCSI_REJECT_CMD_NOT_SUPPORTED	= 0x05,
	ISCSI_REJECT_INVALID_PDU_FIELD	= 0x09,
};

/**
 * struct iscsi_pdu_hdr - what iscsi_pdu_parse() found in a header
 * @opcode:	enum iscsi_opcode
 * @immediate:	the I bit
 * @final:	the F bit
 * @flags:	byte 1 below the F bit (opcode specific)
 * @ahs_len:	bytes of additional header segments that follow
 * @data_len:	bytes of data segment, padding not included
 * @itt:	initiator task tag
 * @edtl:	SCSI Command: expected data transfer length
 * @buffer_offset: Data-Out: where its data goes in the command's buffer
 */
struct iscsi_pdu_hdr {
	u8 opcode;
	bool immediate;
	bool final;
	u8 flags;
	u32 ahs_len;
	u32 data_len;
	u32 itt;
	u32 edtl;
	u32 buffer_offset;
};

/* SCSI Command flags (byte 1). */
#define ISCSI_CMD_READ		0x40
#define ISCSI_CMD_WRITE		0x20
#define ISCSI_CMD_ATTR_MASK	0x07
#define ISCSI_CMD_ATTR_MAX	4	/* ACA; 5 to 7 are reserved */

int iscsi_pdu_parse(const u8 *bhs, u32 max_data_len,
		    struct iscsi_pdu_hdr *hdr);
u8 iscsi_pdu_reject_reason(int err);

#endif /* __ISCSI_PDU_H */
