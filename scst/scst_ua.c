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
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "scst_core.h"

/**
 * scst_uaq_init() - an empty unit attention queue
 * @q: the queue
 *
 * Context: any.
 */
void scst_uaq_init(struct scst_uaq *q)
{
	spin_lock_init(&q->lock);
	q->count = 0;
}
EXPORT_SYMBOL_GPL(scst_uaq_init);

/* Remove entry @i; under @q->lock. */
static void scst_uaq_remove(struct scst_uaq *q, unsigned int i)
{
	WRITE_ONCE(q->count, q->count - 1);
	memmove(&q->ua[i], &q->ua[i + 1], (q->count - i) * sizeof(q->ua[0]));
}

/**
 * scst_uaq_add() - queue a unit attention condition
 * @q: the queue
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * A condition already pending is not queued twice.  When the queue is full
 * the newest entry becomes POWER ON, RESET, OR BUS DEVICE RESET OCCURRED: it
 * tells the initiator that anything may have changed, which stays true of
 * every condition that did not fit.
 *
 * Context: any; takes @q->lock (irq-safe).
 */
void scst_uaq_add(struct scst_uaq *q, u8 asc, u8 ascq)
{
	struct scst_ua *slot;
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < q->count; i++)
		if (q->ua[i].asc == asc && q->ua[i].ascq == ascq)
			goto out;
	if (q->count == SCST_MAX_UA) {
		slot = &q->ua[SCST_MAX_UA - 1];
		asc = 0x29;
		ascq = 0x00;
	} else {
		slot = &q->ua[q->count];
		WRITE_ONCE(q->count, q->count + 1);
	}
	slot->asc = asc;
	slot->ascq = ascq;
out:
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_GPL(scst_uaq_add);

/* The oldest condition, removed from @q if @remove. */
static bool scst_uaq_first(struct scst_uaq *q, u8 *asc, u8 *ascq,
			   bool remove)
{
	unsigned long flags;
	bool found;

	/*
	 * Racy peek: the common case, nothing pending, takes no lock.  A
	 * condition queued concurrently is seen by the next command.
	 */
	if (!READ_ONCE(q->count))
		return false;
	spin_lock_irqsave(&q->lock, flags);
	found = q->count;
	if (found) {
		*asc = q->ua[0].asc;
		*ascq = q->ua[0].ascq;
		if (remove)
			scst_uaq_remove(q, 0);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return found;
}

/**
 * scst_uaq_take() - take the oldest unit attention condition
 * @q: the queue
 * @asc: where to store its additional sense code
 * @ascq: where to store its qualifier
 *
 * Context: any; takes @q->lock (irq-safe) unless the queue looks empty.
 * Return: false if none is pending.
 */
bool scst_uaq_take(struct scst_uaq *q, u8 *asc, u8 *ascq)
{
	return scst_uaq_first(q, asc, ascq, true);
}
EXPORT_SYMBOL_GPL(scst_uaq_take);

/**
 * scst_uaq_peek() - the oldest unit attention condition, left queued
 * @q: the queue
 * @asc: where to store its additional sense code
 * @ascq: where to store its qualifier
 *
 * Context: any; takes @q->lock (irq-safe) unless the queue looks empty.
 * Return: false if none is pending.
 */
bool scst_uaq_peek(struct scst_uaq *q, u8 *asc, u8 *ascq)
{
	return scst_uaq_first(q, asc, ascq, false);
}
EXPORT_SYMBOL_GPL(scst_uaq_peek);

/**
 * scst_uaq_forget() - drop one pending condition, if it is pending
 * @q: the queue
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * For a command that reports what the condition announced (REPORT LUNS
 * clears REPORTED LUNS DATA HAS CHANGED).
 *
 * Context: any; takes @q->lock (irq-safe).
 */
void scst_uaq_forget(struct scst_uaq *q, u8 asc, u8 ascq)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&q->lock, flags);
	for (i = 0; i < q->count; i++)
		if (q->ua[i].asc == asc && q->ua[i].ascq == ascq) {
			scst_uaq_remove(q, i);
			break;
		}
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_GPL(scst_uaq_forget);

/**
 * scst_uaq_clear() - forget every pending condition
 * @q: the queue
 *
 * Context: any; takes @q->lock (irq-safe).
 */
void scst_uaq_clear(struct scst_uaq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	WRITE_ONCE(q->count, 0);
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_GPL(scst_uaq_clear);

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
	return scst_uaq_take(&tgt_dev->ua, asc, ascq);
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
	struct scst_tgt_dev *tgt_dev = cmd->tgt_dev;
	u8 asc, ascq;

	/*
	 * UA_INTLCK_CTRL 10b and 11b: a unit attention reported with CHECK
	 * CONDITION stays until REQUEST SENSE reports it (SPC-4 7.5.8).
	 */
	if (READ_ONCE(tgt_dev->dev->ua_intlck_ctrl)) {
		if (!scst_uaq_peek(&tgt_dev->ua, &asc, &ascq))
			return false;
	} else if (!scst_ua_take(tgt_dev, &asc, &ascq)) {
		return false;
	}
	scst_cmd_set_sense(cmd, UNIT_ATTENTION, asc, ascq);
	return true;
}

/**
 * scst_ua_after_status() - the unit attention UA_INTLCK_CTRL 11b leaves
 * @cmd: a command to a LUN, ending now
 *
 * BUSY, TASK SET FULL and RESERVATION CONFLICT leave PREVIOUS ... STATUS
 * for the nexus, so that an initiator that missed the status learns of it.
 *
 * Context: any.
 */
void scst_ua_after_status(struct scst_cmd *cmd)
{
	u8 ascq;

	if (READ_ONCE(cmd->tgt_dev->dev->ua_intlck_ctrl) != 3)
		return;
	switch (cmd->status) {
	case SAM_STAT_BUSY:
		ascq = 0x09;
		break;
	case SAM_STAT_TASK_SET_FULL:
		ascq = 0x0a;
		break;
	case SAM_STAT_RESERVATION_CONFLICT:
		ascq = 0x0b;
		break;
	default:
		return;
	}
	scst_ua_queue(cmd->tgt_dev, 0x2c, ascq);
}

void scst_dev_set_ua_intlck_ctrl(struct scst_device *dev, u8 val)
{
	WRITE_ONCE(dev->ua_intlck_ctrl, val);
}
EXPORT_SYMBOL_GPL(scst_dev_set_ua_intlck_ctrl);

u8 scst_dev_get_ua_intlck_ctrl(struct scst_device *dev)
{
	return READ_ONCE(dev->ua_intlck_ctrl);
}
EXPORT_SYMBOL_GPL(scst_dev_get_ua_intlck_ctrl);

/**
 * scst_ua_queue() - queue a unit attention on a nexus
 * @tgt_dev: the nexus
 * @asc: additional sense code
 * @ascq: its qualifier
 *
 * Context: any.
 */
void scst_ua_queue(struct scst_tgt_dev *tgt_dev, u8 asc, u8 ascq)
{
	scst_uaq_add(&tgt_dev->ua, asc, ascq);
}

/**
 * scst_ua_clear() - forget every unit attention of a nexus
 * @tgt_dev: the nexus
 *
 * Context: any.
 */
void scst_ua_clear(struct scst_tgt_dev *tgt_dev)
{
	scst_uaq_clear(&tgt_dev->ua);
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
