// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_aca.c - auto contingent allegiance (SAM-5 5.9)
 *
 * A command whose CDB has NACA set and that ends in CHECK CONDITION puts
 * its logical unit in ACA for the nexus it came on (the faulted nexus).
 * Until the ACA is cleared, the initiator must be able to find out what
 * went wrong before anything else runs, so (the task set being shared by
 * all initiators, TST 000b):
 *   - the faulted nexus gets ACA ACTIVE for every command that is not an
 *     ACA task, and its ACA tasks run;
 *   - the other nexuses get ACA ACTIVE for ACA tasks and BUSY for the rest.
 * CLEAR ACA from the faulted nexus, a LUN or target reset and the loss of
 * the faulted nexus end it.  With NACA clear the CHECK CONDITION is a plain
 * contingent allegiance: the sense data travels with the status (autosense)
 * and nothing stays blocked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <scsi/scsi_proto.h>

#include "scst_core.h"

/* The control byte's NACA bit (SAM-5 5.2). */
#define SCST_CTL_NACA	0x04

/* The control byte of @cdb by its operation code's group, or 0. */
static u8 scst_cdb_control(const u8 *cdb, unsigned int len)
{
	unsigned int pos;

	switch (cdb[0] >> 5) {
	case 0:
		pos = 5;
		break;
	case 1:
	case 2:
		pos = 9;
		break;
	case 3:
		/* Variable-length CDBs (0x7f) carry it in byte 1. */
		pos = cdb[0] == VARIABLE_LENGTH_CMD ? 1 : len;
		break;
	case 4:
		pos = 15;
		break;
	case 5:
		pos = 11;
		break;
	default:
		/* Vendor specific groups: the layout is unknown. */
		return 0;
	}
	return pos < len ? cdb[pos] : 0;
}

/**
 * scst_aca_check() - whether a new command may proceed under an ACA
 * @cmd: a command to an existing LUN
 *
 * Sets ACA ACTIVE or BUSY status on @cmd if an ACA holds it back.
 *
 * Context: any; takes the device's aca_lock only while an ACA exists.
 * Return: true if the command ends here with that status.
 */
bool scst_aca_check(struct scst_cmd *cmd)
{
	struct scst_device *dev = cmd->tgt_dev->dev;
	struct scst_tgt_dev *faulted;
	unsigned long flags;
	u8 status = 0;

	if (likely(!READ_ONCE(dev->aca_nexus)))
		return false;
	spin_lock_irqsave(&dev->aca_lock, flags);
	faulted = dev->aca_nexus;
	if (faulted) {
		if (cmd->attr == SCST_TASK_ACA)
			status = faulted == cmd->tgt_dev ? 0 :
				 SAM_STAT_ACA_ACTIVE;
		else
			status = faulted == cmd->tgt_dev ?
				 SAM_STAT_ACA_ACTIVE : SAM_STAT_BUSY;
	}
	spin_unlock_irqrestore(&dev->aca_lock, flags);
	if (!status)
		return false;
	cmd->status = status;
	return true;
}

/**
 * scst_aca_establish() - a command ended in CHECK CONDITION: ACA if NACA
 * @cmd: the command, its status final
 *
 * Context: any; takes the device's aca_lock if NACA is set.
 */
void scst_aca_establish(struct scst_cmd *cmd)
{
	struct scst_device *dev;
	unsigned long flags;

	if (!cmd->tgt_dev ||
	    !(scst_cdb_control(cmd->cdb, cmd->cdb_len) & SCST_CTL_NACA))
		return;
	dev = cmd->tgt_dev->dev;
	spin_lock_irqsave(&dev->aca_lock, flags);
	/* An ACA task that fails leaves the existing ACA as it is. */
	if (!dev->aca_nexus)
		WRITE_ONCE(dev->aca_nexus, cmd->tgt_dev);
	spin_unlock_irqrestore(&dev->aca_lock, flags);
}

/**
 * scst_aca_clear() - end the ACA of a device
 * @dev: the device
 * @nexus: only if this is the faulted nexus (CLEAR ACA, nexus loss); NULL
 *	for any (LUN or target reset)
 *
 * Context: any; takes @dev->aca_lock.
 * Return: true if an ACA was cleared.
 */
bool scst_aca_clear(struct scst_device *dev, struct scst_tgt_dev *nexus)
{
	unsigned long flags;
	bool cleared = false;

	if (!READ_ONCE(dev->aca_nexus))
		return false;
	spin_lock_irqsave(&dev->aca_lock, flags);
	if (dev->aca_nexus && (!nexus || dev->aca_nexus == nexus)) {
		WRITE_ONCE(dev->aca_nexus, NULL);
		cleared = true;
	}
	spin_unlock_irqrestore(&dev->aca_lock, flags);
	return cleared;
}
