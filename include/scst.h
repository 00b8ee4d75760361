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

/*
 * Command descriptor blocks.
 *
 * One table row per command says how long its CDB is, which peripheral
 * device types accept it, where its LBA and length fields are, which way data
 * flows, and which CDB bits it defines.  The same bits answer REPORT
 * SUPPORTED OPERATION CODES (CDB usage data) and validate every CDB: a bit set
 * outside them is INVALID FIELD IN CDB.
 */
#define SCST_MAX_CDB_SIZE	260

/*
 * ------------------------------------------------------------------------
 * Objects
 *
 * A target driver registers a template, then targets, then one session per
 * I_T nexus; it hands every SCSI command it receives to the core as a
 * struct scst_cmd.  A device handler registers a struct scst_dev_type and,
 * for virtual handlers, devices.  The core maps (session, LUN) to a device
 * through the session's access group and runs the command's life cycle.
 * The structures are opaque to drivers and handlers except where shown.
 */
struct scst_tgt;
struct scst_session;
struct scst_cmd;
struct scst_device;
struct scst_opcode;
struct scatterlist;

/**
 * enum scst_exec_context - where the core continues a command
 * @SCST_CONTEXT_DIRECT: right away in the caller's context, which may sleep
 * @SCST_CONTEXT_DIRECT_ATOMIC: right away in the caller's context, which must
 *	not sleep; steps that may sleep are moved to a core thread
 * @SCST_CONTEXT_TASKLET: in a tasklet on the calling CPU (softirq)
 * @SCST_CONTEXT_THREAD: in one of the core's threads
 *
 * Drivers pass this to scst_cmd_init_done(), scst_rx_data() and
 * scst_tgt_cmd_done(): the direct contexts avoid a context switch on the
 * fast path; the others let an interrupt handler return quickly.
 */
enum scst_exec_context {
	SCST_CONTEXT_DIRECT,
	SCST_CONTEXT_DIRECT_ATOMIC,
	SCST_CONTEXT_TASKLET,
	SCST_CONTEXT_THREAD,
};

/* Task attributes (SAM-5 8.8). */
enum scst_task_attr {
	SCST_TASK_SIMPLE,
	SCST_TASK_ORDERED,
	SCST_TASK_HEAD_OF_QUEUE,
	SCST_TASK_ACA,
};

/* Task management functions (SAM-5 7). */
enum scst_tmf_fn {
	SCST_TMF_ABORT_TASK,
	SCST_TMF_ABORT_TASK_SET,
	SCST_TMF_CLEAR_TASK_SET,
	SCST_TMF_LUN_RESET,
	SCST_TMF_TARGET_RESET,
	SCST_TMF_I_T_NEXUS_RESET,
	SCST_TMF_CLEAR_ACA,
	SCST_TMF_QUERY_TASK,
	SCST_TMF_QUERY_TASK_SET,
	SCST_TMF_QUERY_ASYNC_EVENT,
};

/* How a task management function ended (SAM-5 7.1 service responses). */
enum scst_tmf_status {
	SCST_TMF_COMPLETE,		/* FUNCTION COMPLETE */
	SCST_TMF_SUCCEEDED,		/* FUNCTION SUCCEEDED (QUERY ...) */
	SCST_TMF_REJECTED,		/* FUNCTION REJECTED: not supported */
	SCST_TMF_INCORRECT_LUN,		/* INCORRECT LOGICAL UNIT NUMBER */
};

/* What xmit_response() and rdy_to_xfer() return. */
enum scst_tgt_res {
	SCST_TGT_RES_SUCCESS,		/* accepted; completion is reported later */
	SCST_TGT_RES_QUEUE_FULL,	/* no resources: retry after a command ends */
	SCST_TGT_RES_NEED_THREAD,	/* call me again from process context */
	SCST_TGT_RES_FATAL_ERROR,	/* cannot deliver: the core ends the command */
};

/* What a driver reports to scst_rx_data(). */
enum scst_rx_status {
	SCST_RX_STATUS_SUCCESS,		/* all write data arrived */
	SCST_RX_STATUS_ERROR,		/* transport error: end with a sense */
	SCST_RX_STATUS_ABORTED,		/* the nexus is gone: end silently */
};

/**
 * struct scst_tgt_template - a target driver (transport)
 * @name: driver name; also the /proc/scsi_tgt subdirectory of the driver
 * @owner: THIS_MODULE
 * @sg_tablesize: the most scatter-gather entries the driver can send or
 *	receive per command (0: no limit)
 * @xmit_response_atomic: xmit_response() may be called in atomic context
 * @rdy_to_xfer_atomic: rdy_to_xfer() may be called in atomic context
 * @rdy_to_xfer: fetch the write data of @cmd into scst_cmd_get_sg(); when it
 *	has arrived (or failed), call scst_rx_data().  Context: atomic if
 *	@rdy_to_xfer_atomic, else process.
 * @xmit_response: send the data-in (if any), status and sense of @cmd; when
 *	the transport is done with its buffers, call scst_tgt_cmd_done().
 *	Context: atomic if @xmit_response_atomic, else process.
 * @on_free_cmd: optional; @cmd is about to be freed.  Context: any.
 * @report_luns_changed: optional; the LUN set of @sess's group changed (a
 *	driver for a local initiator rescans; remote initiators learn it from
 *	the REPORTED LUNS DATA HAS CHANGED unit attention).  Context: process.
 * @data_wait_aborted: optional; a task management function aborted @cmd
 *	while the driver fetches its write data (after rdy_to_xfer(), before
 *	scst_rx_data()).  The core waits for the command, so the driver
 *	must stop fetching and call scst_rx_data() with
 *	%SCST_RX_STATUS_ABORTED soon (not from this callback).  A driver
 *	whose rdy_to_xfer() may wait for the initiator needs it; it must
 *	also check scst_cmd_aborted() in rdy_to_xfer(), since an abort may
 *	come just before.  Context: atomic; the session's command lock is
 *	held.
 * @tmf_done: the task management function given to scst_rx_tmf() with
 *	@priv has ended with @status; send the response.  Required for
 *	scst_rx_tmf().  Context: process.
 *
 * The core calls these callbacks only; the driver calls the scst_* entry
 * points below.  Fields after the callbacks belong to the core.
 */
struct scst_tgt_template {
	const char *name;
	struct module *owner;
	unsigned int sg_tablesize;
	bool xmit_response_atomic;
	bool rdy_to_xfer_atomic;

	enum scst_tgt_res (*rdy_to_xfer)(struct scst_cmd *cmd);
	enum scst_tgt_res (*xmit_response)(struct scst_cmd *cmd);
	void (*on_free_cmd)(struct scst_cmd *cmd);
	void (*report_luns_changed)(struct scst_session *sess);
	void (*data_wait_aborted)(struct scst_cmd *cmd);
	void (*tmf_done)(struct scst_session *sess, void *priv,
			 enum scst_tmf_status status);

	/* private to the core, under scst_config_mutex */
	struct list_head tgt_list;
	struct list_head tt_list_entry;
};

/**
 * struct scst_dev_type - a device handler
 * @name: handler name, as `assign` and /proc/scsi_tgt/scsi_tgt show it
 * @owner: THIS_MODULE
 * @type: SCSI peripheral device type it handles (TYPE_DISK, TYPE_ROM, ...)
 * @exec_atomic: exec() may be called in atomic context for every command
 *	(else only for those parse() marks with scst_cmd_set_exec_atomic())
 * @parse_atomic: parse() may be called in atomic context
 * @parse: decide direction, data length and the block size used for them
 *	(scst_cmd_parse_generic() does it from the CDB table); return 0, or
 *	a negative errno after setting the command's sense.  Context: process,
 *	or atomic if @parse_atomic or @exec_atomic.
 * @exec: execute the command; call scst_cmd_exec_done() when it has ended,
 *	now or later, from any context.  Context: process, or atomic if
 *	@exec_atomic or the command was marked by scst_cmd_set_exec_atomic().
 * @supports: optional; whether devices of this handler execute the command
 *	of table row @op, for REPORT SUPPORTED OPERATION CODES (without it,
 *	every command of the type's table is reported).  Context: any.
 * @attach: optional; a device of this handler is being registered.
 *	Context: process.
 * @detach: optional; the reverse of @attach.  Context: process.
 *
 * Fields after the callbacks belong to the core.
 */
struct scst_dev_type {
	const char *name;
	struct module *owner;
	u8 type;
	bool exec_atomic;
	bool parse_atomic;

	int (*parse)(struct scst_cmd *cmd);
	void (*exec)(struct scst_cmd *cmd);
	bool (*supports)(struct scst_device *dev, const struct scst_opcode *op);
	int (*attach)(struct scst_device *dev);
	void (*detach)(struct scst_device *dev);

	/* private to the core, under scst_config_mutex */
	struct list_head dev_type_list_entry;
};

enum scst_data_direction {
	SCST_DATA_NONE,
	SCST_DATA_WRITE,	/* initiator to target (data-out) */
	SCST_DATA_READ,		/* target to initiator (data-in) */
	SCST_DATA_BIDI,
};

/* What the length field of a CDB counts. */
enum scst_cdb_len_unit {
	SCST_LEN_NONE,		/* no data, or the field is not a length */
	SCST_LEN_BYTES,		/* allocation / parameter list length */
	SCST_LEN_BLOCKS,	/* transfer length in logical blocks */
	SCST_LEN_BLOCKS_0_256,	/* READ/WRITE(6): blocks, 0 means 256 */
	SCST_LEN_ONE_BLOCK,	/* WRITE SAME: one block of data whatever the length */
	SCST_LEN_TWICE_BLOCKS,	/* COMPARE AND WRITE: verify + write data */
	SCST_LEN_VERIFY,	/* VERIFY: none, the blocks or one block (BYTCHK) */
	SCST_LEN_FIXED,		/* always scst_opcode.fixed_len bytes */
};

/**
 * struct scst_opcode - how one command is parsed (a row of the CDB table)
 * @name: command name as SPC/SBC/MMC spell it
 * @opcode: operation code
 * @sa: service action, if @has_sa
 * @has_sa: the command is one service action of @opcode
 * @cdb_len: CDB length in bytes
 * @types: peripheral device types (bit per type) that accept the command
 * @dir: data direction (for %SCST_LEN_VERIFY: the direction when data flows)
 * @len_unit: what the length field counts
 * @len_off: offset of the length field (0: none)
 * @len_size: its size in bytes (1..4)
 * @lba_off: offset of the LBA field (0: none)
 * @lba_size: its size in bytes (0, 3, 4 or 8; 3 means READ/WRITE(6)'s 21 bits)
 * @fixed_len: data length of a %SCST_LEN_FIXED command
 * @writes_medium: the command changes the medium (refused on READ_ONLY LUNs)
 * @usage: the CDB bits the command defines, byte by byte (SPC-4 CDB usage
 *         data); byte 0 is the operation code itself
 */
struct scst_opcode {
	const char *name;
	u8 opcode;
	u16 sa;
	bool has_sa;
	u8 cdb_len;
	u32 types;
	u8 dir;
	u8 len_unit;
	u8 len_off;
	u8 len_size;
	u8 lba_off;
	u8 lba_size;
	u16 fixed_len;
	bool writes_medium;
	u8 usage[16];
};

/**
 * struct scst_cdb_parse - what parsing a CDB found
 * @op: the table row of the command
 * @lba: logical block address (0 if the command has none)
 * @len: value of the length field, as the CDB says it (see @op->len_unit)
 * @dir: data direction of this very CDB
 * @data_len: bytes of data that will flow in @dir
 * @asc: on error, the additional sense code of ILLEGAL REQUEST
 * @ascq: on error, the additional sense code qualifier
 * @field_byte: on INVALID FIELD IN CDB, the CDB byte in error
 * @field_bit: on INVALID FIELD IN CDB, the highest bit in error (0..7)
 */
struct scst_cdb_parse {
	const struct scst_opcode *op;
	u64 lba;
	u32 len;
	enum scst_data_direction dir;
	u64 data_len;
	u8 asc;
	u8 ascq;
	u8 field_byte;
	u8 field_bit;
};

/**
 * scst_cdb_parse() - check a CDB against the command table and decode it
 * @cdb: the CDB
 * @cdb_len: its length as the transport delivered it
 * @type: SCSI peripheral device type of the logical unit (TYPE_DISK, ...)
 * @block_size: logical block size of the unit, to compute @p->data_len
 * @p: the result
 *
 * Finds the command's row for @type, checks that @cdb_len covers the CDB,
 * that no bit outside the command's usage data is set, and decodes the LBA,
 * length, direction and data length.
 *
 * Context: any, including hard interrupt; takes no locks.
 * Return: 0, or -EINVAL with @p->asc/@p->ascq set for an ILLEGAL REQUEST:
 * INVALID COMMAND OPERATION CODE (0x20/0x00) for a command @type does not
 * support, INVALID FIELD IN CDB (0x24/0x00, with @p->field_byte and
 * @p->field_bit) for a reserved bit.
 */
int scst_cdb_parse(const u8 *cdb, unsigned int cdb_len, u8 type,
		   u32 block_size, struct scst_cdb_parse *p);

/**
 * scst_opcode_find() - the table row of a command for a device type
 * @opcode: operation code
 * @sa: service action (ignored for commands without one)
 * @type: SCSI peripheral device type
 *
 * Context: any, including hard interrupt; takes no locks.
 * Return: the row, or NULL if @type does not support the command.
 */
const struct scst_opcode *scst_opcode_find(u8 opcode, u16 sa, u8 type);

/**
 * scst_opcode_next() - iterate over the commands a device type supports
 * @prev: the previous row, or NULL to start
 * @type: SCSI peripheral device type
 *
 * Rows come in order of operation code, then service action, as REPORT
 * SUPPORTED OPERATION CODES lists them.
 *
 * Context: any; takes no locks.
 * Return: the next row for @type, or NULL after the last.
 */
const struct scst_opcode *scst_opcode_next(const struct scst_opcode *prev,
					   u8 type);

/*
 * ------------------------------------------------------------------------
 * Target driver entry points
 */

/**
 * scst_register_target_template() - register a target driver
 * @tt: the driver's template, which must stay valid until unregistered
 *
 * Context: process; takes scst_config_mutex.
 * Return: 0, -EINVAL for an incomplete template, -EEXIST for a duplicate name.
 */
int scst_register_target_template(struct scst_tgt_template *tt);

/**
 * scst_unregister_target_template() - unregister a target driver
 * @tt: a template without targets left
 *
 * Context: process; takes scst_config_mutex.
 */
void scst_unregister_target_template(struct scst_tgt_template *tt);

/**
 * scst_register_target() - register a target (a SCSI target port)
 * @tt: its driver
 * @name: target name; selects the group Default_@name (iSCSI: the IQN)
 *
 * Context: process; takes scst_config_mutex.
 * Return: the target, or an ERR_PTR().
 */
struct scst_tgt *scst_register_target(struct scst_tgt_template *tt,
				      const char *name);

/**
 * scst_unregister_target() - unregister a target without sessions
 * @tgt: the target; its sessions must have been unregistered
 *
 * Context: process; takes scst_config_mutex.
 */
void scst_unregister_target(struct scst_tgt *tgt);

/**
 * scst_register_session() - register an I_T nexus
 * @tgt: the target the initiator logged in to
 * @initiator_name: the initiator's name; chooses the session's access group
 * @tgt_priv: driver data, returned by scst_sess_get_tgt_priv()
 *
 * The new session sees the LUNs of its group, each with a pending
 * POWER ON, RESET, OR BUS DEVICE RESET OCCURRED unit attention.
 *
 * Context: process; takes scst_config_mutex.
 * Return: the session, or an ERR_PTR().
 */
struct scst_session *scst_register_session(struct scst_tgt *tgt,
					   const char *initiator_name,
					   void *tgt_priv);

/**
 * scst_unregister_session() - end an I_T nexus
 * @sess: the session; the driver must not submit new commands for it
 *
 * Waits until every command of @sess has been freed (the driver must keep
 * completing them meanwhile), then frees the session.
 *
 * Context: process; may sleep; takes scst_config_mutex.
 */
void scst_unregister_session(struct scst_session *sess);

/**
 * scst_tgt_initiator_has_luns() - whether an initiator would see any LUN
 * @tgt: the target
 * @initiator: the initiator's name
 *
 * The group a session of @initiator to @tgt would get has at least one LUN.
 * Transports with discovery (iSCSI SendTargets) hide, and refuse logins
 * to, targets that give an initiator nothing.
 *
 * Context: process; takes scst_config_mutex.
 */
bool scst_tgt_initiator_has_luns(struct scst_tgt *tgt, const char *initiator);

/**
 * scst_sess_get_tgt_priv() - the driver data given at registration
 * @sess: the session
 *
 * Context: any.
 */
void *scst_sess_get_tgt_priv(struct scst_session *sess);

/**
 * scst_sess_has_lun() - whether a LUN exists for a session
 * @sess: the session
 * @lun: LUN number
 *
 * Context: any; RCU read side.
 */
bool scst_sess_has_lun(struct scst_session *sess, u64 lun);

/**
 * scst_rx_cmd() - a new SCSI command arrived
 * @sess: its session
 * @lun: the LUN field (SAM-5 4.6)
 * @lun_len: bytes in @lun
 * @cdb: the CDB, copied by the core
 * @cdb_len: CDB length, up to %SCST_MAX_CDB_SIZE
 * @atomic: the caller is in atomic context (allocates with GFP_ATOMIC)
 *
 * Set the tag, task attribute and expected transfer with the setters below,
 * then hand the command over with scst_cmd_init_done().
 *
 * Context: any if @atomic, else process; takes no locks.
 * Return: the command, or NULL when out of memory (report BUSY or QUEUE
 * FULL to the initiator).
 */
struct scst_cmd *scst_rx_cmd(struct scst_session *sess, const u8 *lun,
			     unsigned int lun_len, const u8 *cdb,
			     unsigned int cdb_len, bool atomic);

/**
 * scst_cmd_set_tag() - set the initiator's tag of a command
 * @cmd: a command not yet handed over with scst_cmd_init_done()
 * @tag: the tag
 *
 * Context: any.
 */
void scst_cmd_set_tag(struct scst_cmd *cmd, u64 tag);

/**
 * scst_cmd_set_task_attr() - set the task attribute of a command
 * @cmd: a command not yet handed over
 * @attr: SIMPLE (the default), ORDERED, HEAD OF QUEUE or ACA
 *
 * Context: any.
 */
void scst_cmd_set_task_attr(struct scst_cmd *cmd, enum scst_task_attr attr);

/**
 * scst_cmd_set_expected() - what the initiator expects to transfer
 * @cmd: a command not yet handed over
 * @dir: expected data direction
 * @len: expected data length in bytes
 *
 * When the CDB asks for more or less, the core transfers the smaller
 * amount and reports the over- or underrun as a residual.
 *
 * Context: any.
 */
void scst_cmd_set_expected(struct scst_cmd *cmd, enum scst_data_direction dir,
			   u64 len);

/**
 * scst_cmd_set_tgt_priv() - attach driver data to a command
 * @cmd: the command
 * @priv: the data, returned by scst_cmd_get_tgt_priv()
 *
 * Context: any.
 */
void scst_cmd_set_tgt_priv(struct scst_cmd *cmd, void *priv);

/**
 * scst_cmd_get_tgt_priv() - driver data of a command
 * @cmd: the command
 *
 * Context: any.
 */
void *scst_cmd_get_tgt_priv(struct scst_cmd *cmd);

/**
 * scst_cmd_init_done() - hand a new command over to the core
 * @cmd: the command from scst_rx_cmd()
 * @ctx: where to continue (see &enum scst_exec_context)
 *
 * From here on the core owns @cmd until it calls xmit_response().
 *
 * Context: any; atomic callers must not pass %SCST_CONTEXT_DIRECT.
 */
void scst_cmd_init_done(struct scst_cmd *cmd, enum scst_exec_context ctx);

/**
 * scst_rx_data() - the write data asked for by rdy_to_xfer() arrived
 * @cmd: the command
 * @status: whether the transfer succeeded
 * @ctx: where to continue
 *
 * Context: any; atomic callers must not pass %SCST_CONTEXT_DIRECT.
 */
void scst_rx_data(struct scst_cmd *cmd, enum scst_rx_status status,
		  enum scst_exec_context ctx);

/**
 * scst_tgt_cmd_done() - the response of a command has been sent
 * @cmd: the command given to xmit_response()
 * @ctx: where to free it
 *
 * The core frees @cmd (calling on_free_cmd()); the driver must not touch it
 * afterwards.
 *
 * Context: any.
 */
void scst_tgt_cmd_done(struct scst_cmd *cmd, enum scst_exec_context ctx);

/**
 * scst_rx_tmf() - a task management request arrived
 * @sess: its session, which must stay registered until tmf_done()
 * @fn: the function
 * @lun: the LUN field (not used by TARGET RESET and I_T NEXUS RESET; may
 *	then be NULL)
 * @lun_len: bytes in @lun
 * @tag: the tag of the command to abort (ABORT TASK)
 * @atomic: the caller is in atomic context
 * @priv: driver data, given back to tmf_done()
 *
 * The core aborts the commands in the function's scope: those that have
 * not run never will; those that run are waited for.  tmf_done() is called
 * once all of them have left the device, so no aborted command touches the
 * medium after the response.  Each aborted command is still given to
 * xmit_response(), where scst_cmd_aborted() is true: the driver sends no
 * status for it (SAM-5: the task is gone) and calls scst_tgt_cmd_done().
 * A LUN RESET leaves BUS DEVICE RESET FUNCTION OCCURRED for the other
 * initiators of the logical unit, a TARGET RESET a reset unit attention for
 * the target's other sessions, an I_T NEXUS RESET I_T NEXUS LOSS OCCURRED
 * on its own nexus.  Resets end the ACA of the logical units they reset;
 * CLEAR ACA aborts nothing and ends the ACA of the logical unit if @sess is
 * its faulted nexus (else FUNCTION REJECTED while the ACA lasts).  The
 * QUERY functions change nothing and answer FUNCTION SUCCEEDED if the task
 * (QUERY TASK), any task of the nexus to the LUN (QUERY TASK SET) or a unit
 * attention of the nexus (QUERY ASYNCHRONOUS EVENT) is pending, else
 * FUNCTION COMPLETE.
 * Functions run one at a time, in arrival order.
 *
 * Context: any if @atomic, else process.
 * Return: 0, -ENOMEM, or -EINVAL (unknown function, or a driver without
 * tmf_done()).
 */
int scst_rx_tmf(struct scst_session *sess, enum scst_tmf_fn fn, const u8 *lun,
		unsigned int lun_len, u64 tag, bool atomic, void *priv);

/**
 * scst_cmd_aborted() - whether a task management function aborted a command
 * @cmd: the command
 *
 * Context: any.
 */
bool scst_cmd_aborted(struct scst_cmd *cmd);

/**
 * scst_cmd_atomic() - whether a callback on @cmd runs in atomic context
 * @cmd: the command given to rdy_to_xfer() or xmit_response()
 *
 * A driver that set xmit_response_atomic or rdy_to_xfer_atomic learns
 * here whether it may sleep now; if it must and may not, it returns
 * %SCST_TGT_RES_NEED_THREAD.  True also when the driver itself handed the
 * command over with %SCST_CONTEXT_DIRECT_ATOMIC from a sleepable context
 * (the driver knows that case best).
 *
 * Context: any.
 */
bool scst_cmd_atomic(struct scst_cmd *cmd);

/**
 * scst_cmd_get_data_direction() - direction of the data phase
 * @cmd: the command
 *
 * Context: any.
 */
enum scst_data_direction scst_cmd_get_data_direction(struct scst_cmd *cmd);

/**
 * scst_cmd_get_sg() - the command's data buffer
 * @cmd: the command
 * @nents: where to store the number of entries
 *
 * For rdy_to_xfer(): where the write data goes.  For xmit_response(): the
 * read data; send scst_cmd_get_resp_len() bytes of it.
 *
 * Context: any.
 */
struct scatterlist *scst_cmd_get_sg(struct scst_cmd *cmd, unsigned int *nents);

/**
 * scst_cmd_get_write_len() - bytes of write data rdy_to_xfer() must fetch
 * @cmd: the command
 *
 * Context: any.
 */
u64 scst_cmd_get_write_len(struct scst_cmd *cmd);

/**
 * scst_cmd_get_resp_len() - bytes of read data xmit_response() must send
 * @cmd: the command
 *
 * Context: any.
 */
u64 scst_cmd_get_resp_len(struct scst_cmd *cmd);

/**
 * scst_cmd_get_resid() - residual count for the response
 * @cmd: the command
 *
 * Positive for an underrun (less than expected was transferred), negative
 * for an overrun, 0 otherwise (SAM-5 5.5).
 *
 * Context: any.
 */
s64 scst_cmd_get_resid(struct scst_cmd *cmd);

/**
 * scst_cmd_get_status() - SCSI status byte of the response
 * @cmd: the command
 *
 * Context: any.
 */
u8 scst_cmd_get_status(struct scst_cmd *cmd);

/**
 * scst_cmd_get_sense() - sense data of the response
 * @cmd: the command
 * @len: where to store its length (0: no sense data)
 *
 * Context: any.
 */
const u8 *scst_cmd_get_sense(struct scst_cmd *cmd, unsigned int *len);

/*
 * ------------------------------------------------------------------------
 * Device handler entry points
 */

/**
 * scst_register_virtual_dev_driver() - register a virtual device handler
 * @dt: the handler, valid until unregistered
 *
 * Context: process; takes scst_config_mutex.
 * Return: 0, -EINVAL or -EEXIST.
 */
int scst_register_virtual_dev_driver(struct scst_dev_type *dt);

/**
 * scst_unregister_virtual_dev_driver() - unregister a virtual device handler
 * @dt: a handler without devices left
 *
 * Context: process; takes scst_config_mutex.
 */
void scst_unregister_virtual_dev_driver(struct scst_dev_type *dt);

/**
 * scst_register_virtual_device() - add a virtual device
 * @dt: its handler
 * @name: unique device name, as groups' `devices` files use it
 * @priv: handler data, returned by scst_dev_get_priv()
 *
 * The device is not visible to anybody until it is added to a group.
 *
 * Context: process; takes scst_config_mutex.
 * Return: the device, or an ERR_PTR() (-EEXIST for a duplicate name).
 */
struct scst_device *scst_register_virtual_device(struct scst_dev_type *dt,
						 const char *name, void *priv);

/**
 * scst_unregister_virtual_device() - remove a virtual device
 * @dev: the device
 *
 * Removes it from every group (sessions get REPORTED LUNS DATA HAS
 * CHANGED) and waits until no command uses it.
 *
 * Context: process; may sleep; takes scst_config_mutex.
 */
void scst_unregister_virtual_device(struct scst_device *dev);

/**
 * scst_dev_get_priv() - handler data of a device
 * @dev: the device
 *
 * Context: any.
 */
void *scst_dev_get_priv(struct scst_device *dev);

/**
 * scst_cmd_get_dev() - the device a command addresses
 * @cmd: a command that has passed LUN lookup (every command a handler sees)
 *
 * Context: any.
 */
struct scst_device *scst_cmd_get_dev(struct scst_cmd *cmd);

/**
 * scst_cmd_get_cdb() - the CDB of a command
 * @cmd: the command
 * @len: where to store its length
 *
 * Context: any.
 */
const u8 *scst_cmd_get_cdb(struct scst_cmd *cmd, unsigned int *len);

/**
 * scst_cmd_parse_generic() - parse a command from the CDB table
 * @cmd: the command
 * @block_size: logical block size of the device
 *
 * Sets the direction and data length from the CDB (see scst_cdb_parse()),
 * or the sense of an ILLEGAL REQUEST.  Device handlers call it from parse().
 *
 * Context: any.
 * Return: 0, or -EINVAL with the sense set.
 */
int scst_cmd_parse_generic(struct scst_cmd *cmd, u32 block_size);

/**
 * scst_cmd_set_exec_atomic() - this command's exec() may run in atomic context
 * @cmd: the command being parsed
 *
 * For a handler whose exec() may sleep for some commands or devices only
 * (file I/O) but not for others (NULLIO, emulated answers): parse() marks
 * those that can be executed right in the target driver's atomic context,
 * saving a switch to a core thread.
 *
 * Context: parse().
 */
void scst_cmd_set_exec_atomic(struct scst_cmd *cmd);

/**
 * scst_cmd_get_parse() - what parsing found (LBA, length, table row)
 * @cmd: a parsed command
 *
 * Context: any.
 */
const struct scst_cdb_parse *scst_cmd_get_parse(struct scst_cmd *cmd);

/**
 * scst_cmd_set_resp_len() - how much read data the command produced
 * @cmd: the command
 * @len: bytes, at most the buffer length; less is an underrun
 *
 * Context: any.
 */
void scst_cmd_set_resp_len(struct scst_cmd *cmd, u64 len);

/**
 * scst_cmd_set_sense() - end a command with CHECK CONDITION
 * @cmd: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 *
 * Builds fixed or descriptor format sense as the logical unit is set up.
 *
 * Context: any.
 */
void scst_cmd_set_sense(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq);

/**
 * scst_cmd_set_sense_info() - end a command with CHECK CONDITION and an
 *	INFORMATION field
 * @cmd: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 * @info: the INFORMATION field (e.g. the offset of the first miscompare)
 *
 * In fixed format a value above 32 bits cannot be reported and VALID stays
 * clear; descriptor format carries it in an information descriptor.
 *
 * Context: any.
 */
void scst_cmd_set_sense_info(struct scst_cmd *cmd, u8 key, u8 asc, u8 ascq,
			     u64 info);

/**
 * scst_cmd_set_sense_field() - INVALID FIELD IN CDB pointing at a bit
 * @cmd: the command
 * @byte: the CDB byte in error
 * @bit: the highest bit in error in it
 *
 * ILLEGAL REQUEST with a sense-key specific field pointer into the CDB.
 *
 * Context: any.
 */
void scst_cmd_set_sense_field(struct scst_cmd *cmd, u8 byte, u8 bit);

/**
 * scst_cmd_set_sense_param() - INVALID FIELD IN PARAMETER LIST
 * @cmd: the command
 * @byte: the byte of the parameter data in error
 * @bit: the highest bit in error in it
 *
 * ILLEGAL REQUEST with a sense-key specific field pointer into the data
 * (C/D clear), as for a bad MODE SELECT or UNMAP parameter list.
 *
 * Context: any.
 */
void scst_cmd_set_sense_param(struct scst_cmd *cmd, u16 byte, u8 bit);

/**
 * scst_dev_queue_ua() - give every initiator of a device a unit attention
 * @dev: the device
 * @asc: additional sense code (e.g. 0x2a CAPACITY DATA HAS CHANGED)
 * @ascq: its qualifier
 *
 * Every I_T_L nexus that reaches @dev, through any session and LUN, gets
 * UNIT ATTENTION with @asc/@ascq once, unless the same one is pending.
 * For changes made by the administrator (capacity, medium).
 *
 * Context: any; takes the device's nexus list lock and each nexus' unit
 * attention lock (both irq-safe spinlocks).
 */
void scst_dev_queue_ua(struct scst_device *dev, u8 asc, u8 ascq);

/**
 * scst_cmd_queue_ua_others() - a command changed shared state: tell the
 *	other initiators
 * @cmd: the command that made the change (e.g. a MODE SELECT)
 * @asc: additional sense code (e.g. 0x2a MODE PARAMETERS CHANGED)
 * @ascq: its qualifier
 *
 * Like scst_dev_queue_ua() for every I_T nexus but @cmd's own, which knows
 * of the change already (SPC-4 5.11: the other I_T nexuses are told).
 *
 * Context: any; same locks as scst_dev_queue_ua().
 */
void scst_cmd_queue_ua_others(struct scst_cmd *cmd, u8 asc, u8 ascq);

/**
 * scst_dev_set_d_sense() - choose the sense data format of a device
 * @dev: the device
 * @d_sense: true for descriptor format, false for fixed (the default)
 *
 * The D_SENSE bit of the control mode page, which the device handler owns
 * and changes by MODE SELECT; the core builds every sense of the device's
 * commands in that format from then on.
 *
 * Context: any; takes no locks.
 */
void scst_dev_set_d_sense(struct scst_device *dev, bool d_sense);

/**
 * scst_dev_set_tas() - set a device's TAS (task aborted status)
 * @dev: the device
 * @tas: commands aborted by another I_T nexus end in TASK ABORTED (true)
 *	or without status, leaving COMMANDS CLEARED BY ANOTHER INITIATOR
 *	after a CLEAR TASK SET (false, the default)
 *
 * The control mode page's TAS bit, for handlers that implement MODE SELECT.
 *
 * Context: any; takes no locks.
 */
void scst_dev_set_tas(struct scst_device *dev, bool tas);

/**
 * scst_dev_get_tas() - a device's TAS (task aborted status)
 * @dev: the device
 *
 * Context: any; takes no locks.
 * Return: the value set by scst_dev_set_tas().
 */
bool scst_dev_get_tas(struct scst_device *dev);

/**
 * scst_dev_set_qerr() - set a device's QErr (queue error management)
 * @dev: the device
 * @qerr: 0 (the default): a CHECK CONDITION aborts no other command; 1: it
 *	aborts the commands of every I_T nexus to the logical unit (the
 *	others end in TASK ABORTED with TAS, or get COMMANDS CLEARED BY DEVICE
 *	SERVER); 3: it aborts the other commands of its own I_T nexus.  2 is
 *	reserved: the caller refuses it.
 *
 * The control mode page's QErr field (SPC-4 7.5.8).
 *
 * Context: any; takes no locks.
 */
void scst_dev_set_qerr(struct scst_device *dev, u8 qerr);

/**
 * scst_dev_get_qerr() - a device's QErr
 * @dev: the device
 *
 * Context: any; takes no locks.
 * Return: the value set by scst_dev_set_qerr().
 */
u8 scst_dev_get_qerr(struct scst_device *dev);

/**
 * scst_dev_set_ua_intlck_ctrl() - set a device's UA_INTLCK_CTRL
 * @dev: the device
 * @val: 0 (the default): a unit attention reported with CHECK CONDITION is
 *	cleared; 2: it stays until REQUEST SENSE reports it; 3: as 2, and
 *	BUSY, TASK SET FULL and RESERVATION CONFLICT leave a unit attention
 *	PREVIOUS ... STATUS.  1 is reserved: the caller refuses it.
 *
 * The control mode page's UA_INTLCK_CTRL field (SPC-4 7.5.8).
 *
 * Context: any; takes no locks.
 */
void scst_dev_set_ua_intlck_ctrl(struct scst_device *dev, u8 val);

/**
 * scst_dev_get_ua_intlck_ctrl() - a device's UA_INTLCK_CTRL
 * @dev: the device
 *
 * Context: any; takes no locks.
 * Return: the value set by scst_dev_set_ua_intlck_ctrl().
 */
u8 scst_dev_get_ua_intlck_ctrl(struct scst_device *dev);

/**
 * scst_dev_get_d_sense() - the sense data format of a device
 * @dev: the device
 *
 * Context: any; takes no locks.
 * Return: true for descriptor format.
 */
bool scst_dev_get_d_sense(struct scst_device *dev);

/**
 * scst_cmd_exec_done() - a handler finished executing a command
 * @cmd: the command given to exec()
 *
 * Status GOOD unless scst_cmd_set_sense() was called.  The core sends the
 * response from here (or queues it, if the target driver needs process
 * context and the caller is atomic).  Called from inside exec() in the core
 * thread that runs it, the response goes out in that thread, which may
 * sleep: the handler must then hold no lock and must not touch @cmd after
 * the call (it may be freed), as everywhere else.
 *
 * Context: any.
 */
void scst_cmd_exec_done(struct scst_cmd *cmd);

/**
 * scst_cmd_exec_done_later() - a handler finished a command, from a
 *	completion callback of another subsystem
 * @cmd: the command given to exec()
 *
 * As scst_cmd_exec_done(), but the response is never sent from inside the
 * caller: it goes on in the calling CPU's SCST tasklet (or a core thread if
 * the target driver needs process context).  For bio end_io callbacks and
 * the like, which may run with the lower device's locks held while the
 * response would re-enter the block layer above (scst_local).
 *
 * Context: any; takes the per-CPU tasklet queue lock.
 */
void scst_cmd_exec_done_later(struct scst_cmd *cmd);

/*
 * ------------------------------------------------------------------------
 * /proc/scsi_tgt helpers for drivers and handlers
 */

/**
 * scst_proc_get_root() - the /proc/scsi_tgt directory
 *
 * Drivers and handlers create their directory NAME with a command file NAME
 * and a help file below it.
 *
 * Context: any, while scst.ko is loaded.
 */
struct proc_dir_entry *scst_proc_get_root(void);

/**
 * scst_proc_split_words() - split a /proc command into words
 * @cmd: the command, NUL-terminated; modified in place
 * @words: where to store pointers to the words
 * @max: size of @words
 *
 * Words are separated by blanks; one trailing newline is ignored.
 *
 * Context: any.
 * Return: the number of words, or -EINVAL if there are more than @max.
 */
int scst_proc_split_words(char *cmd, char **words, unsigned int max);

#endif /* __SCST_H */
