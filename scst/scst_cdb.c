// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_cdb.c - the CDB table: how every command the core knows is parsed
 *
 * Parsing is data driven: one row per command (per service action), sorted
 * by operation code and service action so that a lookup is a binary search
 * and REPORT SUPPORTED OPERATION CODES can walk the table in order.  A row's
 * usage bits are both what RSOC reports and the validation mask.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include <scst.h>
#include <scst_compat.h>

#define D	BIT(TYPE_DISK)
#define R	BIT(TYPE_ROM)
#define O	BIT(TYPE_MOD)
#define BLK	(D | R | O)		/* direct-access block devices */
#define ALL	GENMASK(0x1f, 0)	/* every peripheral device type */

/*
 * Control byte: the vendor specific bits, which a device may ignore, and
 * NACA (scst_aca.c); LINK is obsolete and refused.
 */
#define CTL	0xc4

#define ROW(_name, _op, _len, _types, _dir, ...)			\
	{ .name = _name, .opcode = _op, .cdb_len = _len,		\
	  .types = _types, .dir = SCST_DATA_##_dir, __VA_ARGS__ }
#define SA(_sa)		.sa = _sa, .has_sa = true
#define LEN(_unit, _off, _size)						\
	.len_unit = SCST_LEN_##_unit, .len_off = _off, .len_size = _size
#define LBA(_off, _size)	.lba_off = _off, .lba_size = _size
#define FIXED(_n)	.len_unit = SCST_LEN_FIXED, .fixed_len = _n
#define USAGE(...)	.usage = { __VA_ARGS__ }
#define WRITES		.writes_medium = true

/* Byte 1 of READ/WRITE/VERIFY: DPO, FUA, RARC, FUA_NV, BYTCHK; no PROTECT. */
#define RD1	0x1e
#define WR1	0x1a
#define WV1	0x12
#define VF1	0x16

static const struct scst_opcode scst_opcodes[] = {
	ROW("TEST UNIT READY", 0x00, 6, ALL, NONE,
	    USAGE(0x00, 0x00, 0x00, 0x00, 0x00, CTL)),
	ROW("REQUEST SENSE", 0x03, 6, ALL, READ, LEN(BYTES, 4, 1),
	    USAGE(0x03, 0x01, 0x00, 0x00, 0xff, CTL)),
	ROW("READ(6)", 0x08, 6, D | O, READ, LEN(BLOCKS_0_256, 4, 1), LBA(1, 3),
	    USAGE(0x08, 0x1f, 0xff, 0xff, 0xff, CTL)),
	ROW("WRITE(6)", 0x0a, 6, D | O, WRITE, LEN(BLOCKS_0_256, 4, 1), LBA(1, 3),
	    WRITES,
	    USAGE(0x0a, 0x1f, 0xff, 0xff, 0xff, CTL)),
	ROW("INQUIRY", 0x12, 6, ALL, READ, LEN(BYTES, 3, 2),
	    USAGE(0x12, 0x01, 0xff, 0xff, 0xff, CTL)),
	ROW("MODE SELECT(6)", 0x15, 6, ALL, WRITE, LEN(BYTES, 4, 1),
	    USAGE(0x15, 0x11, 0x00, 0x00, 0xff, CTL)),
	ROW("RESERVE(6)", 0x16, 6, ALL, NONE,
	    USAGE(0x16, 0x00, 0x00, 0x00, 0x00, CTL)),
	ROW("RELEASE(6)", 0x17, 6, ALL, NONE,
	    USAGE(0x17, 0x00, 0x00, 0x00, 0x00, CTL)),
	ROW("MODE SENSE(6)", 0x1a, 6, ALL, READ, LEN(BYTES, 4, 1),
	    USAGE(0x1a, 0x08, 0xff, 0xff, 0xff, CTL)),
	ROW("START STOP UNIT", 0x1b, 6, BLK, NONE,
	    USAGE(0x1b, 0x01, 0x00, 0x0f, 0xf7, CTL)),
	ROW("PREVENT ALLOW MEDIUM REMOVAL", 0x1e, 6, ALL, NONE,
	    USAGE(0x1e, 0x00, 0x00, 0x00, 0x03, CTL)),
	ROW("READ FORMAT CAPACITIES", 0x23, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x23, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("READ CAPACITY(10)", 0x25, 10, BLK, READ, FIXED(8), LBA(2, 4),
	    USAGE(0x25, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, CTL)),
	ROW("READ(10)", 0x28, 10, BLK, READ, LEN(BLOCKS, 7, 2), LBA(2, 4),
	    USAGE(0x28, RD1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("WRITE(10)", 0x2a, 10, D | O, WRITE, LEN(BLOCKS, 7, 2), LBA(2, 4),
	    WRITES,
	    USAGE(0x2a, WR1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("WRITE AND VERIFY(10)", 0x2e, 10, D | O, WRITE, LEN(BLOCKS, 7, 2),
	    LBA(2, 4),
	    WRITES,
	    USAGE(0x2e, WV1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("VERIFY(10)", 0x2f, 10, BLK, WRITE, LEN(VERIFY, 7, 2), LBA(2, 4),
	    USAGE(0x2f, VF1, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("SYNCHRONIZE CACHE(10)", 0x35, 10, BLK, NONE, LEN(NONE, 7, 2),
	    LBA(2, 4),
	    USAGE(0x35, 0x06, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("WRITE SAME(10)", 0x41, 10, D, WRITE, LEN(ONE_BLOCK, 7, 2),
	    LBA(2, 4),
	    WRITES,
	    USAGE(0x41, 0x18, 0xff, 0xff, 0xff, 0xff, 0x1f, 0xff, 0xff, CTL)),
	ROW("UNMAP", 0x42, 10, D, WRITE, LEN(BYTES, 7, 2),
	    WRITES,
	    USAGE(0x42, 0x01, 0x00, 0x00, 0x00, 0x00, 0x1f, 0xff, 0xff, CTL)),
	ROW("READ SUB-CHANNEL", 0x42, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x42, 0x02, 0x40, 0xff, 0x00, 0x00, 0xff, 0xff, 0xff, CTL)),
	ROW("READ TOC/PMA/ATIP", 0x43, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x43, 0x02, 0x0f, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, CTL)),
	ROW("GET CONFIGURATION", 0x46, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x46, 0x03, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("GET EVENT STATUS NOTIFICATION", 0x4a, 10, R, READ,
	    LEN(BYTES, 7, 2),
	    USAGE(0x4a, 0x01, 0x00, 0x00, 0xff, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("LOG SENSE", 0x4d, 10, ALL, READ, LEN(BYTES, 7, 2),
	    USAGE(0x4d, 0x01, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, CTL)),
	ROW("READ DISC INFORMATION", 0x51, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x51, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("READ TRACK INFORMATION", 0x52, 10, R, READ, LEN(BYTES, 7, 2),
	    USAGE(0x52, 0x07, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, CTL)),
	ROW("MODE SELECT(10)", 0x55, 10, ALL, WRITE, LEN(BYTES, 7, 2),
	    USAGE(0x55, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("RESERVE(10)", 0x56, 10, ALL, WRITE, LEN(BYTES, 7, 2),
	    USAGE(0x56, 0x12, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("RELEASE(10)", 0x57, 10, ALL, WRITE, LEN(BYTES, 7, 2),
	    USAGE(0x57, 0x12, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("MODE SENSE(10)", 0x5a, 10, ALL, READ, LEN(BYTES, 7, 2),
	    USAGE(0x5a, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("PERSISTENT RESERVE IN: READ KEYS", 0x5e, 10, ALL, READ, SA(0x00),
	    LEN(BYTES, 7, 2),
	    USAGE(0x5e, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("PERSISTENT RESERVE IN: READ RESERVATION", 0x5e, 10, ALL, READ,
	    SA(0x01), LEN(BYTES, 7, 2),
	    USAGE(0x5e, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("PERSISTENT RESERVE IN: REPORT CAPABILITIES", 0x5e, 10, ALL, READ,
	    SA(0x02), LEN(BYTES, 7, 2),
	    USAGE(0x5e, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
	ROW("PERSISTENT RESERVE IN: READ FULL STATUS", 0x5e, 10, ALL, READ,
	    SA(0x03), LEN(BYTES, 7, 2),
	    USAGE(0x5e, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, CTL)),
#define PROUT(_name, _sa)						\
	ROW("PERSISTENT RESERVE OUT: " _name, 0x5f, 10, ALL, WRITE,	\
	    SA(_sa), LEN(BYTES, 5, 4),					\
	    USAGE(0x5f, 0x1f, 0xff, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, CTL))
	PROUT("REGISTER", 0x00),
	PROUT("RESERVE", 0x01),
	PROUT("RELEASE", 0x02),
	PROUT("CLEAR", 0x03),
	PROUT("PREEMPT", 0x04),
	PROUT("PREEMPT AND ABORT", 0x05),
	PROUT("REGISTER AND IGNORE EXISTING KEY", 0x06),
	PROUT("REGISTER AND MOVE", 0x07),
#undef PROUT
	ROW("READ(16)", 0x88, 16, D | O, READ, LEN(BLOCKS, 10, 4), LBA(2, 8),
	    USAGE(0x88, RD1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("COMPARE AND WRITE", 0x89, 16, D, WRITE, LEN(TWICE_BLOCKS, 13, 1),
	    LBA(2, 8),
	    WRITES,
	    USAGE(0x89, WR1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x00, 0x00, 0x00, 0xff, 0x1f, CTL)),
	ROW("WRITE(16)", 0x8a, 16, D | O, WRITE, LEN(BLOCKS, 10, 4), LBA(2, 8),
	    WRITES,
	    USAGE(0x8a, WR1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("WRITE AND VERIFY(16)", 0x8e, 16, D | O, WRITE, LEN(BLOCKS, 10, 4),
	    LBA(2, 8),
	    WRITES,
	    USAGE(0x8e, WV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("VERIFY(16)", 0x8f, 16, D | O, WRITE, LEN(VERIFY, 10, 4), LBA(2, 8),
	    USAGE(0x8f, VF1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("SYNCHRONIZE CACHE(16)", 0x91, 16, D | O, NONE, LEN(NONE, 10, 4),
	    LBA(2, 8),
	    USAGE(0x91, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("WRITE SAME(16)", 0x93, 16, D, WRITE, LEN(ONE_BLOCK, 10, 4),
	    LBA(2, 8),
	    WRITES,
	    USAGE(0x93, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x1f, CTL)),
	ROW("READ CAPACITY(16)", 0x9e, 16, BLK, READ, SA(0x10),
	    LEN(BYTES, 10, 4), LBA(2, 8),
	    USAGE(0x9e, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x01, CTL)),
	ROW("GET LBA STATUS", 0x9e, 16, D, READ, SA(0x12), LEN(BYTES, 10, 4),
	    LBA(2, 8),
	    USAGE(0x9e, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0xff, 0xff, 0xff, 0xff, 0x00, CTL)),
	ROW("REPORT LUNS", 0xa0, 12, ALL, READ, LEN(BYTES, 6, 4),
	    USAGE(0xa0, 0x00, 0xff, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
		  0x00, CTL)),
	ROW("REPORT SUPPORTED OPERATION CODES", 0xa3, 12, ALL, READ, SA(0x0c),
	    LEN(BYTES, 6, 4),
	    USAGE(0xa3, 0x1f, 0x87, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x00, CTL)),
	ROW("REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS", 0xa3, 12, ALL, READ,
	    SA(0x0d), LEN(BYTES, 6, 4),
	    USAGE(0xa3, 0x1f, 0x80, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
		  0x00, CTL)),
	ROW("READ(12)", 0xa8, 12, BLK, READ, LEN(BLOCKS, 6, 4), LBA(2, 4),
	    USAGE(0xa8, RD1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x1f, CTL)),
	ROW("WRITE(12)", 0xaa, 12, D | O, WRITE, LEN(BLOCKS, 6, 4), LBA(2, 4),
	    WRITES,
	    USAGE(0xaa, WR1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x1f, CTL)),
	ROW("WRITE AND VERIFY(12)", 0xae, 12, D | O, WRITE, LEN(BLOCKS, 6, 4),
	    LBA(2, 4),
	    WRITES,
	    USAGE(0xae, WV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x1f, CTL)),
	ROW("VERIFY(12)", 0xaf, 12, BLK, WRITE, LEN(VERIFY, 6, 4), LBA(2, 4),
	    USAGE(0xaf, VF1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		  0x1f, CTL)),
	ROW("MECHANISM STATUS", 0xbd, 12, R, READ, LEN(BYTES, 8, 2),
	    USAGE(0xbd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff,
		  0x00, CTL)),
};

/* The service action field: byte 1, bits 4..0, for every command we know. */
static u16 scst_cdb_sa(const u8 *cdb)
{
	return cdb[1] & 0x1f;
}

/* Index of the first row whose operation code is >= @opcode. */
static unsigned int scst_opcode_first(u8 opcode)
{
	unsigned int lo = 0, hi = ARRAY_SIZE(scst_opcodes);

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (scst_opcodes[mid].opcode < opcode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The row of (@opcode, @sa) for @type.  *@known_opcode tells whether @type
 * has any row with this operation code, to tell an unsupported service
 * action (INVALID FIELD) from an unsupported command (INVALID OPCODE).
 */
static const struct scst_opcode *scst_opcode_lookup(u8 opcode, u16 sa,
						    u8 type, bool *known_opcode)
{
	unsigned int i;

	*known_opcode = false;
	if (type > 0x1f)
		return NULL;
	for (i = scst_opcode_first(opcode);
	     i < ARRAY_SIZE(scst_opcodes) && scst_opcodes[i].opcode == opcode;
	     i++) {
		const struct scst_opcode *op = &scst_opcodes[i];

		if (!(op->types & BIT(type)))
			continue;
		*known_opcode = true;
		if (!op->has_sa || op->sa == sa)
			return op;
	}
	return NULL;
}

const struct scst_opcode *scst_opcode_find(u8 opcode, u16 sa, u8 type)
{
	bool known;

	return scst_opcode_lookup(opcode, sa, type, &known);
}
EXPORT_SYMBOL_GPL(scst_opcode_find);

const struct scst_opcode *scst_opcode_next(const struct scst_opcode *prev,
					   u8 type)
{
	const struct scst_opcode *end = scst_opcodes + ARRAY_SIZE(scst_opcodes);
	const struct scst_opcode *op = prev ? prev + 1 : scst_opcodes;

	if (type > 0x1f)
		return NULL;
	for (; op < end; op++)
		if (op->types & BIT(type))
			return op;
	return NULL;
}
EXPORT_SYMBOL_GPL(scst_opcode_next);

static u64 scst_cdb_field(const u8 *p, unsigned int size)
{
	switch (size) {
	case 1:
		return p[0];
	case 2:
		return get_unaligned_be16(p);
	case 3:
		return get_unaligned_be24(p);
	case 4:
		return get_unaligned_be32(p);
	case 8:
		return get_unaligned_be64(p);
	}
	return 0;
}

static int scst_cdb_invalid_field(struct scst_cdb_parse *p, unsigned int byte,
				  u8 bits)
{
	p->asc = 0x24;
	p->ascq = 0x00;
	p->field_byte = byte;
	p->field_bit = bits ? fls(bits) - 1 : 0;
	return -EINVAL;
}

int scst_cdb_parse(const u8 *cdb, unsigned int cdb_len, u8 type,
		   u32 block_size, struct scst_cdb_parse *p)
{
	const struct scst_opcode *op;
	unsigned int i;
	bool known;
	u8 bytchk;

	memset(p, 0, sizeof(*p));
	if (!cdb_len)
		return scst_cdb_invalid_field(p, 0, 0);

	op = scst_opcode_lookup(cdb[0], cdb_len > 1 ? scst_cdb_sa(cdb) : 0,
				type, &known);
	if (!op) {
		if (known)
			return scst_cdb_invalid_field(p, 1, 0x1f);
		p->asc = 0x20;
		p->ascq = 0x00;
		return -EINVAL;
	}
	if (cdb_len < op->cdb_len)
		return scst_cdb_invalid_field(p, cdb_len, 0);

	/* A transport may pad the CDB; only the command's own bytes count. */
	for (i = 1; i < op->cdb_len; i++) {
		u8 bad = cdb[i] & ~op->usage[i];

		if (bad)
			return scst_cdb_invalid_field(p, i, bad);
	}

	p->op = op;
	p->dir = op->dir;
	if (op->len_off)
		p->len = scst_cdb_field(cdb + op->len_off, op->len_size);
	if (op->lba_size == 3)
		p->lba = get_unaligned_be24(cdb + 1) & 0x1fffff;
	else if (op->lba_off)
		p->lba = scst_cdb_field(cdb + op->lba_off, op->lba_size);

	switch (op->len_unit) {
	case SCST_LEN_BYTES:
		p->data_len = p->len;
		break;
	case SCST_LEN_BLOCKS:
		p->data_len = (u64)p->len * block_size;
		break;
	case SCST_LEN_BLOCKS_0_256:
		if (!p->len)
			p->len = 256;
		p->data_len = (u64)p->len * block_size;
		break;
	case SCST_LEN_ONE_BLOCK:
		p->data_len = block_size;
		break;
	case SCST_LEN_TWICE_BLOCKS:
		p->data_len = 2ULL * p->len * block_size;
		break;
	case SCST_LEN_VERIFY:
		/* BYTCHK 00b: medium only; 01b: compare the blocks; 11b: one. */
		bytchk = (cdb[1] >> 1) & 3;
		if (bytchk == 2)
			return scst_cdb_invalid_field(p, 1, 0x04);
		if (bytchk == 1)
			p->data_len = (u64)p->len * block_size;
		else if (bytchk == 3)
			p->data_len = block_size;
		break;
	case SCST_LEN_FIXED:
		p->data_len = op->fixed_len;
		break;
	default:
		break;
	}
	/* A zero allocation or parameter list length is not an error (SPC-4). */
	if (!p->data_len)
		p->dir = SCST_DATA_NONE;
	return 0;
}
EXPORT_SYMBOL_GPL(scst_cdb_parse);
