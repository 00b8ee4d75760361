// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_order.c - the task set of a logical unit: task attributes
 * (SAM-5 8.6-8.9) and its depth
 *
 * Every command that the device handler will execute enters its device's
 * task set when it arrives, in arrival order, and leaves it when its
 * response is ready.  In between, the rules decide when it may run:
 *   SIMPLE	   once no ORDERED command that arrived before it is left;
 *   ORDERED	   once every command that arrived before it has left;
 *   HEAD OF QUEUE at once (it still counts for a later ORDERED command);
 *   ACA	   at once too: only the faulted nexus sends one, during an ACA.
 * So a WRITE whose data is still on the wire holds back a later ORDERED
 * command, which holds back everything after it.  A full task set answers
 * TASK SET FULL.
 *
 * The fast path, SIMPLE commands with no ORDERED one in the set, costs one
 * lock round trip on arrival and one on leaving.
 */
#include <linux/export.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#include "scst_priv.h"

/**
 * scst_order_init() - an empty task set
 * @o: the task set
 * @depth: most commands it holds
 *
 * Context: any.
 */
void scst_order_init(struct scst_order *o, unsigned int depth)
{
	spin_lock_init(&o->lock);
	INIT_LIST_HEAD(&o->cmds);
	o->count = 0;
	o->ordered = 0;
	o->waiting = 0;
	o->depth = depth;
}
EXPORT_SYMBOL_GPL(scst_order_init);

/* Whether @e must wait; under @o->lock. */
static bool scst_order_blocked(struct scst_order *o,
			       struct scst_order_entry *e)
{
	struct scst_order_entry *older;

	switch (e->attr) {
	case SCST_TASK_HEAD_OF_QUEUE:
	case SCST_TASK_ACA:
		/* An ACA task runs while the ACA holds everything else. */
		return false;
	case SCST_TASK_ORDERED:
		return list_first_entry(&o->cmds, struct scst_order_entry,
					entry) != e;
	default:
		if (!o->ordered)
			return false;
		list_for_each_entry(older, &o->cmds, entry) {
			if (older == e)
				return false;
			if (older->attr == SCST_TASK_ORDERED)
				return true;
		}
		return false;
	}
}

/**
 * scst_order_enter() - a command arrived: add it to the task set
 * @o: the task set
 * @e: the command's entry
 * @attr: its task attribute (enum scst_task_attr)
 *
 * Context: any; takes @o->lock (irq-safe).
 * Return: 0, or -EBUSY if the task set is full (TASK SET FULL).
 */
int scst_order_enter(struct scst_order *o, struct scst_order_entry *e,
		     u8 attr)
{
	unsigned long flags;
	int ret = 0;

	e->attr = attr;
	e->waiting = false;
	e->may_run = false;
	spin_lock_irqsave(&o->lock, flags);
	if (o->count >= o->depth) {
		ret = -EBUSY;
	} else {
		list_add_tail(&e->entry, &o->cmds);
		o->count++;
		if (attr == SCST_TASK_ORDERED)
			o->ordered++;
	}
	spin_unlock_irqrestore(&o->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(scst_order_enter);

/**
 * scst_order_may_run() - whether a command in the task set may run now
 * @o: the task set
 * @e: the command's entry
 *
 * If not, the entry is marked as waiting, and the scst_order_leave() that
 * unblocks it will return it.  Once it may run, @e->may_run is set and
 * stays set: nothing that arrives later can hold it back.
 *
 * Context: any; takes @o->lock (irq-safe).
 * Return: true if it may run.
 */
bool scst_order_may_run(struct scst_order *o, struct scst_order_entry *e)
{
	unsigned long flags;
	bool blocked;

	spin_lock_irqsave(&o->lock, flags);
	blocked = scst_order_blocked(o, e);
	if (blocked) {
		e->waiting = true;
		o->waiting++;
	} else {
		e->may_run = true;
	}
	spin_unlock_irqrestore(&o->lock, flags);
	return !blocked;
}
EXPORT_SYMBOL_GPL(scst_order_may_run);

/**
 * scst_order_leave() - a command's response is ready: remove it
 * @o: the task set
 * @e: the command's entry
 * @ready: where to add (by &scst_order_entry.ready) the waiting entries
 *	that may run now; the caller continues their commands
 *
 * Context: any; takes @o->lock (irq-safe).
 */
void scst_order_leave(struct scst_order *o, struct scst_order_entry *e,
		      struct list_head *ready)
{
	struct scst_order_entry *w;
	unsigned long flags;

	spin_lock_irqsave(&o->lock, flags);
	list_del(&e->entry);
	o->count--;
	if (e->attr == SCST_TASK_ORDERED)
		o->ordered--;
	if (e->waiting) {
		/* Left without having run (aborted): it waits no more. */
		e->waiting = false;
		o->waiting--;
	}
	if (o->waiting) {
		list_for_each_entry(w, &o->cmds, entry) {
			if (!w->waiting || scst_order_blocked(o, w))
				continue;
			w->waiting = false;
			w->may_run = true;
			o->waiting--;
			list_add_tail(&w->ready, ready);
		}
	}
	spin_unlock_irqrestore(&o->lock, flags);
}
EXPORT_SYMBOL_GPL(scst_order_leave);

/**
 * scst_order_cancel() - take a waiting command out of the wait
 * @o: the task set
 * @e: the command's entry
 *
 * For an aborted command: it stays in the task set until it leaves, but no
 * longer waits to run; the caller continues it, and it ends without running.
 *
 * Context: any; takes @o->lock (irq-safe).
 * Return: true if @e was waiting (the caller now owns its continuation),
 * false if it was not (whoever runs it sees it aborted).
 */
bool scst_order_cancel(struct scst_order *o, struct scst_order_entry *e)
{
	unsigned long flags;
	bool was_waiting;

	spin_lock_irqsave(&o->lock, flags);
	was_waiting = e->waiting;
	if (was_waiting) {
		e->waiting = false;
		o->waiting--;
	}
	spin_unlock_irqrestore(&o->lock, flags);
	return was_waiting;
}
EXPORT_SYMBOL_GPL(scst_order_cancel);
