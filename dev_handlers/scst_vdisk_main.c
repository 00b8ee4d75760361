// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_vdisk_main.c - the "vdisk" device handler: module, parse() and the
 * per-opcode table that says which function executes each command
 *
 * The core parses every CDB from its own table (scst_cmd_parse_generic());
 * this handler adds which of those commands a virtual disk implements, and
 * how.  One row per command; a command without a row is INVALID COMMAND
 * OPERATION CODE.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <scsi/scsi_proto.h>

#include "scst_vdisk.h"

/* Row flags. */
#define VF_WRITES	BIT(0)	/* changes the medium: refused if READ_ONLY */
#define VF_RANGE	BIT(1)	/* LBA + length must fit the capacity */
#define VF_XFER		BIT(2)	/* length bounded by VDISK_MAX_XFER_BYTES */
/*
 * On a NULLIO device exec() does not sleep: no file is touched and
 * responses are built in place.  The core then runs it in the target
 * driver's context, with no switch to a thread on the fast path.
 */
#define VF_NULL_ATOMIC	BIT(3)

/**
 * struct vdisk_op - how the handler executes one command
 * @opcode:	operation code
 * @sa:		service action, if @has_sa
 * @has_sa:	the row is one service action of @opcode
 * @flags:	VF_* checks parse() makes before any data moves
 * @exec:	runs the command and ends with scst_cmd_exec_done()
 */
struct vdisk_op {
	u8 opcode;
	u8 sa;
	bool has_sa;
	u8 flags;
	void (*exec)(struct scst_cmd *cmd);
};

#define OP(_op, _flags, _fn)	{ .opcode = _op, .flags = _flags, .exec = _fn }
#define OP_SA(_op, _sa, _flags, _fn)					\
	{ .opcode = _op, .sa = _sa, .has_sa = true, .flags = _flags,	\
	  .exec = _fn }

#define RW	(VF_RANGE | VF_XFER | VF_NULL_ATOMIC)
#define NA	VF_NULL_ATOMIC

/* Sorted by operation code, then service action. */
static const struct vdisk_op vdisk_ops[] = {
	OP(TEST_UNIT_READY,		NA,		vdisk_exec_tur),
	OP(READ_6,			RW,		vdisk_exec_read),
	OP(WRITE_6,			RW | VF_WRITES,	vdisk_exec_write),
	OP(INQUIRY,			NA,		vdisk_exec_inquiry),
	OP(MODE_SELECT,			0,		vdisk_exec_mode_select),
	OP(MODE_SENSE,			NA,		vdisk_exec_mode_sense),
	OP(START_STOP,			NA,		vdisk_exec_accept),
	OP(ALLOW_MEDIUM_REMOVAL,	NA,		vdisk_exec_accept),
	OP(READ_CAPACITY,		NA,	vdisk_exec_read_capacity10),
	OP(READ_10,			RW,		vdisk_exec_read),
	OP(WRITE_10,			RW | VF_WRITES,	vdisk_exec_write),
	OP(WRITE_VERIFY,		RW | VF_WRITES,	vdisk_exec_write_verify),
	OP(VERIFY,			VF_RANGE | VF_XFER,	vdisk_exec_verify),
	OP(SYNCHRONIZE_CACHE,		VF_RANGE | NA,	vdisk_exec_sync_cache),
	OP(WRITE_SAME,			VF_WRITES | NA,	vdisk_exec_write_same),
	OP(UNMAP,			VF_WRITES,	vdisk_exec_unmap),
	OP(MODE_SELECT_10,		0,		vdisk_exec_mode_select),
	OP(MODE_SENSE_10,		NA,		vdisk_exec_mode_sense),
	OP(READ_16,			RW,		vdisk_exec_read),
	OP(COMPARE_AND_WRITE,		VF_RANGE | VF_WRITES,
	   vdisk_exec_compare_and_write),
	OP(WRITE_16,			RW | VF_WRITES,	vdisk_exec_write),
	OP(WRITE_VERIFY_16,		RW | VF_WRITES,	vdisk_exec_write_verify),
	OP(VERIFY_16,			VF_RANGE | VF_XFER,	vdisk_exec_verify),
	OP(SYNCHRONIZE_CACHE_16,	VF_RANGE | NA,	vdisk_exec_sync_cache),
	OP(WRITE_SAME_16,		VF_WRITES | NA,	vdisk_exec_write_same),
	OP_SA(SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, NA,
	      vdisk_exec_read_capacity16),
	OP(READ_12,			RW,		vdisk_exec_read),
	OP(WRITE_12,			RW | VF_WRITES,	vdisk_exec_write),
	OP(WRITE_VERIFY_12,		RW | VF_WRITES,	vdisk_exec_write_verify),
	OP(VERIFY_12,			VF_RANGE | VF_XFER,	vdisk_exec_verify),
};

/* The row of the command the core parsed, or NULL if we do not do it. */
static const struct vdisk_op *vdisk_op_find(const struct scst_opcode *op)
{
	unsigned int i;

	if (!op)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(vdisk_ops); i++) {
		const struct vdisk_op *v = &vdisk_ops[i];

		if (v->opcode > op->opcode)
			break;
		if (v->opcode == op->opcode &&
		    (!v->has_sa || (op->has_sa && v->sa == op->sa)))
			return v;
	}
	return NULL;
}

/* ---------------------------------------------------------------- helpers */

struct vdisk_dev *vdisk_cmd_dev(struct scst_cmd *cmd)
{
	return scst_dev_get_priv(scst_cmd_get_dev(cmd));
}

/* The CDB; parse() has checked that it is as long as the command's. */
const u8 *vdisk_cdb(struct scst_cmd *cmd)
{
	unsigned int len;

	return scst_cmd_get_cdb(cmd, &len);
}

/* Bytes the command's data buffer holds. */
u64 vdisk_sg_len(struct scst_cmd *cmd)
{
	struct scatterlist *sgl, *sg;
	unsigned int nents, i;
	u64 len = 0;

	sgl = scst_cmd_get_sg(cmd, &nents);
	if (!sgl)
		return 0;
	for_each_sg(sgl, sg, nents, i)
		len += sg->length;
	return len;
}

/*
 * Return @len bytes of parameter data built in @buf, truncated to the
 * allocation length (SPC-4 4.2.5.6) and to the buffer the core gave us.
 */
void vdisk_send_resp(struct scst_cmd *cmd, const void *buf, size_t len)
{
	const struct scst_cdb_parse *p = scst_cmd_get_parse(cmd);
	struct scatterlist *sgl;
	unsigned int nents;
	u64 n = min_t(u64, len, p->data_len);

	n = min(n, vdisk_sg_len(cmd));
	sgl = scst_cmd_get_sg(cmd, &nents);
	if (n)
		n = sg_copy_from_buffer(sgl, nents, buf, n);
	scst_cmd_set_resp_len(cmd, n);
}

/*
 * Whether [@lba, @lba + @nblocks) lies on the medium; if not, the command
 * gets LOGICAL BLOCK ADDRESS OUT OF RANGE (SBC-3 4.5).
 */
bool vdisk_check_range(struct scst_cmd *cmd, struct vdisk_dev *vdev,
		       u64 lba, u64 nblocks)
{
	u64 cap = vdisk_nblocks(vdev);

	if (lba > cap || nblocks > cap - lba) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x21, 0x00);
		return false;
	}
	return true;
}

void vdisk_set_invalid_field(struct scst_cmd *cmd)
{
	scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x24, 0x00);
}

/* ---------------------------------------------------------------- callbacks */

/*
 * Everything that can be refused without touching the medium is refused
 * here, before the core allocates a buffer or fetches write data.
 * Context: any (parse_atomic): nothing here sleeps.
 */
static int vdisk_parse(struct scst_cmd *cmd)
{
	struct vdisk_dev *vdev = vdisk_cmd_dev(cmd);
	const struct scst_cdb_parse *p;
	const struct vdisk_op *v;
	int ret;

	ret = scst_cmd_parse_generic(cmd, vdev->block_size);
	if (ret)
		return ret;
	p = scst_cmd_get_parse(cmd);
	v = vdisk_op_find(p->op);
	if (!v) {
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		return -EINVAL;
	}
	if ((v->flags & VF_WRITES) && vdisk_opt(vdev, VDISK_READ_ONLY)) {
		scst_cmd_set_sense(cmd, DATA_PROTECT, 0x27, 0x00);
		return -EINVAL;
	}
	/* SBC-3: a transfer above the Block Limits maximum is a bad field. */
	if ((v->flags & VF_XFER) &&
	    (u64)p->len << vdev->block_shift > VDISK_MAX_XFER_BYTES) {
		vdisk_set_invalid_field(cmd);
		return -EINVAL;
	}
	if ((v->flags & VF_RANGE) && !vdisk_check_range(cmd, vdev, p->lba,
							p->len))
		return -EINVAL;
	if ((v->flags & VF_NULL_ATOMIC) && vdisk_opt(vdev, VDISK_NULLIO))
		scst_cmd_set_exec_atomic(cmd);
	return 0;
}

/*
 * Context: process, or atomic for the commands parse() marked: the
 * functions of the other rows may sleep.
 */
static void vdisk_exec(struct scst_cmd *cmd)
{
	const struct vdisk_op *v = vdisk_op_find(scst_cmd_get_parse(cmd)->op);

	if (!v) {
		/* parse() refused it already; be safe if the core did not. */
		scst_cmd_set_sense(cmd, ILLEGAL_REQUEST, 0x20, 0x00);
		scst_cmd_exec_done(cmd);
		return;
	}
	v->exec(cmd);
}

/* For REPORT SUPPORTED OPERATION CODES: the rows of vdisk_ops. */
static bool vdisk_supports(struct scst_device *dev,
			   const struct scst_opcode *op)
{
	return vdisk_op_find(op);
}

struct scst_dev_type vdisk_type = {
	.name		= "vdisk",
	.owner		= THIS_MODULE,
	.type		= TYPE_DISK,
	.exec_atomic	= false,
	.parse_atomic	= true,
	.parse		= vdisk_parse,
	.exec		= vdisk_exec,
	.supports	= vdisk_supports,
};

/* ---------------------------------------------------------------- module */

static int __init vdisk_init(void)
{
	int ret;

	ret = scst_register_virtual_dev_driver(&vdisk_type);
	if (ret) {
		pr_err("cannot register the vdisk handler (%d)\n", ret);
		return ret;
	}
	ret = vdisk_proc_init();
	if (ret) {
		scst_unregister_virtual_dev_driver(&vdisk_type);
		return ret;
	}
	ret = vcdrom_init();
	if (ret) {
		vdisk_proc_exit();
		scst_unregister_virtual_dev_driver(&vdisk_type);
	}
	return ret;
}

static void __exit vdisk_exit(void)
{
	vcdrom_exit();
	/* No /proc command may run while the devices go away. */
	vdisk_proc_exit();
	vdisk_close_all();
	scst_unregister_virtual_dev_driver(&vdisk_type);
}

module_init(vdisk_init);
module_exit(vdisk_exit);

MODULE_DESCRIPTION("SCST: virtual disk (FILEIO, NULLIO) and CD-ROM handlers");
MODULE_LICENSE("GPL");
MODULE_VERSION(SCST_VERSION_STRING);
