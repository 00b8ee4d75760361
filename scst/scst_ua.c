// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_ua.c - the UNIT ATTENTION queue of every I_T_L nexus
 *
 * A unit attention reports a change that an initiator did not cause and
 * must learn of (SAM-5 5.14): a new nexus, a changed LUN inventory,
 * capacity, medium or mode parameters.  Each nexus keeps its own queue,
 * oldest first, and gives away one per command.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "scst_core.h"

/* Most pending unit attentions per nexus; older ones are kept, newer dropped. */
#define SCST_MAX_UA	16

/**
 * scst_ua_take() - take the oldest unit attention of a nexus
 * @tgt_dev: the nexus
 * @asc: where to store its additional sense code
 * @ascq: where to store its qualifier
 *
 * Context: any.
 * Return: false if none is pending.
 */
bool scst_ua_take(struct scst_tgt_dev *tgt_dev, u8 *asc, u8 *ascq)
{
	struct scst_ua *ua;
	unsigned long flags;

	spin_lock_irqsave(&tgt_dev->ua_lock, flags);
	ua = list_first_entry_or_null(&tgt_dev->ua_list, struct scst_ua, entry);
	if (ua)
		list_del(&ua->entry);
	spin_unlock_irqrestore(&tgt_dev->ua_lock, flags);
	if (!ua)
		return false;
	*asc = ua->asc;
	*ascq = ua->ascq;
	kfree(ua);
	return true;
}

/**
 * scst_ua_deliver() - end a command with the nexus' oldest unit attention
 * @cmd: a command to an existing LUN
 *
 * Context: any.
 * Return: true if a unit attention was pending and is now @cmd's sense.
 */
bool scst_ua_deliver(struct scst_cmd *cmd)
{
	u8 asc, ascq;

	if (!scst_ua_take(cmd->tgt_dev, &asc, &ascq))
		return false;
	scst_cmd_set_sense(cmd, UNIT_ATTENTION, asc, ascq);
	return true;
}

/**
 * scst_ua_queue() - queue a unit attention on a nexus
 * @tgt_dev: the nexus
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * A unit attention already pending is not queued twice.
 *
 * Context: any.
 */
void scst_ua_queue(struct scst_tgt_dev *tgt_dev, u8 asc, u8 ascq)
{
	struct scst_ua *ua, *new;
	unsigned long flags;
	unsigned int n = 0;

	/* The allocator reports a failure; the issue of lost UAs is open. */
	new = kmalloc(sizeof(*new), GFP_ATOMIC);
	if (!new)
		return;
	new->asc = asc;
	new->ascq = ascq;
	spin_lock_irqsave(&tgt_dev->ua_lock, flags);
	list_for_each_entry(ua, &tgt_dev->ua_list, entry) {
		if ((ua->asc == asc && ua->ascq == ascq) || ++n >= SCST_MAX_UA) {
			kfree(new);
			new = NULL;
			break;
		}
	}
	if (new)
		list_add_tail(&new->entry, &tgt_dev->ua_list);
	spin_unlock_irqrestore(&tgt_dev->ua_lock, flags);
}

/**
 * scst_ua_clear() - forget every unit attention of a nexus
 * @tgt_dev: the nexus
 *
 * Context: any.
 */
void scst_ua_clear(struct scst_tgt_dev *tgt_dev)
{
	struct scst_ua *ua, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&tgt_dev->ua_lock, flags);
	list_for_each_entry_safe(ua, tmp, &tgt_dev->ua_list, entry) {
		list_del(&ua->entry);
		kfree(ua);
	}
	spin_unlock_irqrestore(&tgt_dev->ua_lock, flags);
}

/**
 * scst_dev_ua_all_but() - queue on every nexus of a device but a session's
 * @dev: the device
 * @skip: the session whose nexuses are skipped, or NULL
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Context: any.
 */
void scst_dev_ua_all_but(struct scst_device *dev, struct scst_session *skip,
			 u8 asc, u8 ascq)
{
	struct scst_tgt_dev *tgt_dev;
	unsigned long flags;

	spin_lock_irqsave(&dev->tgt_dev_lock, flags);
	list_for_each_entry(tgt_dev, &dev->tgt_dev_list, dev_entry)
		if (tgt_dev->sess != skip)
			scst_ua_queue(tgt_dev, asc, ascq);
	spin_unlock_irqrestore(&dev->tgt_dev_lock, flags);
}

void scst_dev_queue_ua(struct scst_device *dev, u8 asc, u8 ascq)
{
	scst_dev_ua_all_but(dev, NULL, asc, ascq);
}
EXPORT_SYMBOL_GPL(scst_dev_queue_ua);

void scst_cmd_queue_ua_others(struct scst_cmd *cmd, u8 asc, u8 ascq)
{
	scst_dev_ua_all_but(cmd->tgt_dev->dev, cmd->sess, asc, ascq);
}
EXPORT_SYMBOL_GPL(scst_cmd_queue_ua_others);
