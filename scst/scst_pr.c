// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_pr.c - the persistent reservation state machine (SPC-4 5.13)
 *
 * Pure logic on a struct scst_pr: who is registered with which key, and
 * which reservation exists.  It knows nothing of commands or sessions; an
 * I_T nexus is the pair of names that identifies it, so that a
 * registration outlives the session it was made on, as SPC-4 requires.
 * scst_res.c feeds it the commands and turns its results into status and
 * unit attentions.  The caller serialises every call (the device's
 * res_lock); nothing here sleeps or allocates.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include "scst_priv.h"

/**
 * scst_pr_reg_is() - whether a registration registers an I_T nexus
 * @reg: the registration
 * @nx: the nexus
 *
 * Context: any.
 */
bool scst_pr_reg_is(const struct scst_pr_reg *reg,
		    const struct scst_pr_nexus *nx)
{
	if (strcmp(reg->initiator, nx->initiator))
		return false;
	return reg->all_tg_pt || !strcmp(reg->target, nx->target);
}

/**
 * scst_pr_find() - the registration of an I_T nexus
 * @pr: the state
 * @nx: the nexus
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any; the caller serialises access to @pr.
 * Return: the registration, or NULL if @nx is not registered.
 */
struct scst_pr_reg *scst_pr_find(struct scst_pr *pr,
				 const struct scst_pr_nexus *nx)
{
	struct scst_pr_reg *reg;

	list_for_each_entry(reg, &pr->regs, entry)
		if (scst_pr_reg_is(reg, nx))
			return reg;
	return NULL;
}
EXPORT_SYMBOL_GPL(scst_pr_find);

/**
 * scst_pr_init() - no registration, no reservation
 * @pr: the state
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any.
 */
void scst_pr_init(struct scst_pr *pr)
{
	memset(pr, 0, sizeof(*pr));
	INIT_LIST_HEAD(&pr->regs);
}
EXPORT_SYMBOL_GPL(scst_pr_init);

static bool scst_pr_type_all_regs(u8 type)
{
	return type == SCST_PR_WE_AR || type == SCST_PR_EA_AR;
}

static bool scst_pr_type_regs_only(u8 type)
{
	return type == SCST_PR_WE_RO || type == SCST_PR_EA_RO;
}

static bool scst_pr_type_valid(u8 type)
{
	switch (type) {
	case SCST_PR_WE:
	case SCST_PR_EA:
	case SCST_PR_WE_RO:
	case SCST_PR_EA_RO:
	case SCST_PR_WE_AR:
	case SCST_PR_EA_AR:
		return true;
	}
	return false;
}

/**
 * scst_pr_is_holder() - whether a registration holds the reservation
 * @pr: the state
 * @reg: a registration of @pr
 *
 * With an "all registrants" type every registration holds it.
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any; the caller serialises access to @pr.
 */
bool scst_pr_is_holder(const struct scst_pr *pr, const struct scst_pr_reg *reg)
{
	if (!pr->reserved || !reg)
		return false;
	return scst_pr_type_all_regs(pr->type) || pr->holder == reg;
}
EXPORT_SYMBOL_GPL(scst_pr_is_holder);

/**
 * scst_pr_conflicts() - whether a reservation keeps a command from a nexus
 * @pr: the state
 * @nx: the nexus the command came on
 * @access: SCST_RES_READS or SCST_RES_WRITES: what the command does to
 *	the medium (the commands every nexus may send are not asked about)
 *
 * SPC-4 table 80 and SBC-3 table 13: the holder may do anything; with a
 * "registrants only" or "all registrants" type so may every registered
 * nexus; the others may read under a Write Exclusive type and do nothing
 * under an Exclusive Access type.
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any; the caller serialises access to @pr.
 */
bool scst_pr_conflicts(struct scst_pr *pr, const struct scst_pr_nexus *nx,
		       enum scst_res_access access)
{
	struct scst_pr_reg *reg;
	bool write_excl;

	if (!pr->reserved)
		return false;
	reg = scst_pr_find(pr, nx);
	if (scst_pr_is_holder(pr, reg))
		return false;
	if (reg && scst_pr_type_regs_only(pr->type))
		return false;
	write_excl = pr->type == SCST_PR_WE || pr->type == SCST_PR_WE_RO ||
		     pr->type == SCST_PR_WE_AR;
	return !(write_excl && access == SCST_RES_READS);
}
EXPORT_SYMBOL_GPL(scst_pr_conflicts);

/* Tell @reg's nexuses what happened to them, if anybody listens. */
static void scst_pr_notify(const struct scst_pr_ctx *ctx,
			   struct scst_pr_reg *reg, u8 ascq)
{
	if (ctx->ua)
		ctx->ua(ctx->ua_data, reg, ascq);
}

static void scst_pr_release_reservation(struct scst_pr *pr)
{
	pr->reserved = false;
	pr->holder = NULL;
	pr->type = 0;
}

/* Take @reg off the list, to @ctx->freed; its reservation goes with it. */
static void scst_pr_unregister(struct scst_pr *pr, struct scst_pr_reg *reg,
			       const struct scst_pr_ctx *ctx, bool notify_others)
{
	struct scst_pr_reg *other;
	u8 type = pr->type;

	list_move_tail(&reg->entry, ctx->freed);
	pr->nr_regs--;
	if (!pr->reserved)
		return;
	if (scst_pr_type_all_regs(type)) {
		/* The reservation ends with its last registrant. */
		if (list_empty(&pr->regs))
			scst_pr_release_reservation(pr);
		return;
	}
	if (pr->holder != reg)
		return;
	scst_pr_release_reservation(pr);
	/* SPC-4 5.13.11.2.2: registrants only types tell the others. */
	if (notify_others && scst_pr_type_regs_only(type))
		list_for_each_entry(other, &pr->regs, entry)
			scst_pr_notify(ctx, other, SCST_ASCQ_RESERVATIONS_RELEASED);
}

/* Add the prepared registration of the sender with @key. */
static enum scst_pr_status scst_pr_add_new(struct scst_pr *pr,
					   const struct scst_pr_out *req,
					   const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *reg = ctx->new_reg;

	if (!reg)
		return SCST_PR_NO_RESOURCES;
	reg->key = req->sa_key;
	reg->all_tg_pt = req->all_tg_pt;
	list_add_tail(&reg->entry, &pr->regs);
	pr->nr_regs++;
	*ctx->used_new_reg = true;
	return SCST_PR_GOOD;
}

/*
 * REGISTER with SPEC_I_PT (SPC-4 5.13.7.2): the sender and the initiator
 * ports the parameter list names get the same key, all of them or none.
 */
static enum scst_pr_status scst_pr_register_spec(struct scst_pr *pr,
						 const struct scst_pr_nexus *nx,
						 const struct scst_pr_out *req,
						 const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *r, *o;

	if (!req->sa_key || !ctx->spec_regs)
		return SCST_PR_INVALID_PARAM;
	list_for_each_entry(r, ctx->spec_regs, entry) {
		struct scst_pr_nexus rn = { r->initiator, r->target };

		/* Nobody twice, nobody registered already. */
		if (scst_pr_reg_is(r, nx) || scst_pr_find(pr, &rn))
			return SCST_PR_INVALID_PARAM;
		list_for_each_entry(o, ctx->spec_regs, entry) {
			if (o == r)
				break;
			if (scst_pr_reg_is(o, &rn))
				return SCST_PR_INVALID_PARAM;
		}
	}
	if (scst_pr_add_new(pr, req, ctx) != SCST_PR_GOOD)
		return SCST_PR_NO_RESOURCES;
	list_for_each_entry(r, ctx->spec_regs, entry) {
		r->key = req->sa_key;
		r->all_tg_pt = req->all_tg_pt;
		pr->nr_regs++;
	}
	list_splice_tail_init(ctx->spec_regs, &pr->regs);
	pr->generation++;
	return SCST_PR_GOOD;
}

/* REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7). */
static enum scst_pr_status scst_pr_register(struct scst_pr *pr,
					    const struct scst_pr_nexus *nx,
					    const struct scst_pr_out *req,
					    const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *reg = scst_pr_find(pr, nx);
	bool ignore = req->sa == SCST_PR_OUT_REGISTER_AND_IGNORE;

	if (req->spec_i_pt) {
		/* Only an unregistered nexus names others (SPC-4 6.16.3). */
		if (reg || ignore)
			return SCST_PR_INVALID_PARAM;
		if (req->key)
			return SCST_PR_CONFLICT;
		return scst_pr_register_spec(pr, nx, req, ctx);
	}
	if (!reg) {
		if (!ignore && req->key)
			return SCST_PR_CONFLICT;
		if (!req->sa_key)
			return SCST_PR_GOOD;	/* nothing to unregister */
		if (scst_pr_add_new(pr, req, ctx) != SCST_PR_GOOD)
			return SCST_PR_NO_RESOURCES;
		pr->generation++;
		return SCST_PR_GOOD;
	}
	if (!ignore && req->key != reg->key)
		return SCST_PR_CONFLICT;
	if (req->sa_key)
		reg->key = req->sa_key;
	else
		scst_pr_unregister(pr, reg, ctx, true);
	pr->generation++;
	return SCST_PR_GOOD;
}

/* RESERVE (SPC-4 5.13.9): only a registered nexus with its key. */
static enum scst_pr_status scst_pr_reserve(struct scst_pr *pr,
					   struct scst_pr_reg *reg,
					   const struct scst_pr_out *req)
{
	if (req->scope != SCST_PR_SCOPE_LU || !scst_pr_type_valid(req->type))
		return SCST_PR_INVALID_CDB;
	if (pr->reserved) {
		/* The holder asking again for the same is fine. */
		if (scst_pr_is_holder(pr, reg) && pr->type == req->type)
			return SCST_PR_GOOD;
		return SCST_PR_CONFLICT;
	}
	pr->reserved = true;
	pr->type = req->type;
	pr->holder = scst_pr_type_all_regs(req->type) ? NULL : reg;
	return SCST_PR_GOOD;
}

/* RELEASE (SPC-4 5.13.11.2.2): a non-holder's release does nothing. */
static enum scst_pr_status scst_pr_release(struct scst_pr *pr,
					   struct scst_pr_reg *reg,
					   const struct scst_pr_out *req,
					   const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *other;
	u8 type = pr->type;

	if (!scst_pr_is_holder(pr, reg))
		return SCST_PR_GOOD;
	if (req->scope != SCST_PR_SCOPE_LU || req->type != pr->type)
		return SCST_PR_INVALID_RELEASE;
	scst_pr_release_reservation(pr);
	if (scst_pr_type_regs_only(type) || scst_pr_type_all_regs(type))
		list_for_each_entry(other, &pr->regs, entry)
			if (other != reg)
				scst_pr_notify(ctx, other,
					       SCST_ASCQ_RESERVATIONS_RELEASED);
	return SCST_PR_GOOD;
}

/* CLEAR (SPC-4 5.13.11.2.6): everything goes; the others are told. */
static enum scst_pr_status scst_pr_clear(struct scst_pr *pr,
					 struct scst_pr_reg *reg,
					 const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *r, *tmp;

	list_for_each_entry_safe(r, tmp, &pr->regs, entry) {
		if (r != reg)
			scst_pr_notify(ctx, r, SCST_ASCQ_RESERVATIONS_PREEMPTED);
		list_move_tail(&r->entry, ctx->freed);
	}
	pr->nr_regs = 0;
	scst_pr_release_reservation(pr);
	pr->generation++;
	return SCST_PR_GOOD;
}

/*
 * Remove the registrations with key @key except @keep; they are told
 * REGISTRATIONS PREEMPTED.  Return: how many went.
 */
static unsigned int scst_pr_remove_key(struct scst_pr *pr, u64 key,
				       struct scst_pr_reg *keep,
				       const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *r, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(r, tmp, &pr->regs, entry) {
		if (r == keep || r->key != key)
			continue;
		scst_pr_notify(ctx, r, SCST_ASCQ_REGISTRATIONS_PREEMPTED);
		/* The reservation is dealt with by the caller. */
		list_move_tail(&r->entry, ctx->freed);
		pr->nr_regs--;
		if (pr->holder == r)
			pr->holder = NULL;
		n++;
	}
	return n;
}

/* PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.11.2.4). */
static enum scst_pr_status scst_pr_preempt(struct scst_pr *pr,
					   struct scst_pr_reg *reg,
					   const struct scst_pr_out *req,
					   const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *r, *tmp;
	bool all_regs = pr->reserved && scst_pr_type_all_regs(pr->type);
	u8 old_type = pr->type;

	if (all_regs && !req->sa_key) {
		/* Every other registration goes; the preempter holds it. */
		if (!scst_pr_type_valid(req->type) ||
		    req->scope != SCST_PR_SCOPE_LU)
			return SCST_PR_INVALID_CDB;
		list_for_each_entry_safe(r, tmp, &pr->regs, entry) {
			if (r == reg)
				continue;
			scst_pr_notify(ctx, r,
				       SCST_ASCQ_REGISTRATIONS_PREEMPTED);
			list_move_tail(&r->entry, ctx->freed);
			pr->nr_regs--;
		}
		pr->type = req->type;
		pr->holder = scst_pr_type_all_regs(req->type) ? NULL : reg;
		pr->generation++;
		return SCST_PR_GOOD;
	}
	if (!pr->reserved || all_regs || pr->holder->key != req->sa_key) {
		/* Only registrations are preempted; a zero key names none. */
		if (!req->sa_key)
			return SCST_PR_INVALID_PARAM;
		if (!scst_pr_remove_key(pr, req->sa_key, reg, ctx))
			return SCST_PR_CONFLICT;
		if (all_regs && list_empty(&pr->regs))
			scst_pr_release_reservation(pr);
		pr->generation++;
		return SCST_PR_GOOD;
	}
	/* The holder is preempted: its reservation becomes ours. */
	if (!scst_pr_type_valid(req->type) || req->scope != SCST_PR_SCOPE_LU)
		return SCST_PR_INVALID_CDB;
	scst_pr_remove_key(pr, req->sa_key, reg, ctx);
	pr->reserved = true;
	pr->type = req->type;
	pr->holder = scst_pr_type_all_regs(req->type) ? NULL : reg;
	if (old_type != req->type)
		list_for_each_entry(r, &pr->regs, entry)
			if (r != reg)
				scst_pr_notify(ctx, r,
					       SCST_ASCQ_RESERVATIONS_RELEASED);
	pr->generation++;
	return SCST_PR_GOOD;
}

/*
 * REGISTER AND MOVE (SPC-4 5.13.8): the holder registers another I_T
 * nexus (@ctx->new_reg) with the service action key, hands it the
 * reservation and, with UNREG, unregisters itself.
 */
static enum scst_pr_status scst_pr_register_move(struct scst_pr *pr,
						 struct scst_pr_reg *reg,
						 const struct scst_pr_out *req,
						 const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *dst = ctx->new_reg, *cur;
	struct scst_pr_nexus dn;

	if (!scst_pr_is_holder(pr, reg) || scst_pr_type_all_regs(pr->type))
		return SCST_PR_CONFLICT;
	if (!req->sa_key || !dst)
		return SCST_PR_INVALID_PARAM;
	dn.initiator = dst->initiator;
	dn.target = dst->target;
	if (scst_pr_reg_is(reg, &dn))
		return SCST_PR_INVALID_PARAM;
	cur = scst_pr_find(pr, &dn);
	if (cur) {
		cur->key = req->sa_key;
	} else {
		dst->key = req->sa_key;
		list_add_tail(&dst->entry, &pr->regs);
		pr->nr_regs++;
		*ctx->used_new_reg = true;
		cur = dst;
	}
	pr->holder = cur;
	if (req->unreg) {
		list_move_tail(&reg->entry, ctx->freed);
		pr->nr_regs--;
	}
	pr->generation++;
	return SCST_PR_GOOD;
}

/**
 * scst_pr_out() - carry out a PERSISTENT RESERVE OUT service action
 * @pr: the state
 * @nx: the I_T nexus the command came on
 * @req: the decoded CDB and parameter list
 * @ctx: a registration prepared for @nx (used by a new registration, and
 *	then *@ctx->used_new_reg is set), the list that receives the
 *	registrations removed (the caller frees them), and who to tell
 *	about nexuses that lost a reservation or a registration
 *
 * APTPL and the abort of PREEMPT AND ABORT are the caller's.
 *
 * Internal to SCST, exported only for its KUnit tests.
 * Context: any; the caller serialises access to @pr.
 * Return: what the command's status must be.
 */
enum scst_pr_status scst_pr_out(struct scst_pr *pr,
				const struct scst_pr_nexus *nx,
				const struct scst_pr_out *req,
				const struct scst_pr_ctx *ctx)
{
	struct scst_pr_reg *reg;

	if (req->sa == SCST_PR_OUT_REGISTER ||
	    req->sa == SCST_PR_OUT_REGISTER_AND_IGNORE)
		return scst_pr_register(pr, nx, req, ctx);
	/* Every other action needs a registered nexus and its key. */
	reg = scst_pr_find(pr, nx);
	if (!reg || reg->key != req->key)
		return SCST_PR_CONFLICT;
	switch (req->sa) {
	case SCST_PR_OUT_RESERVE:
		return scst_pr_reserve(pr, reg, req);
	case SCST_PR_OUT_RELEASE:
		return scst_pr_release(pr, reg, req, ctx);
	case SCST_PR_OUT_CLEAR:
		return scst_pr_clear(pr, reg, ctx);
	case SCST_PR_OUT_PREEMPT:
	case SCST_PR_OUT_PREEMPT_AND_ABORT:
		return scst_pr_preempt(pr, reg, req, ctx);
	case SCST_PR_OUT_REGISTER_AND_MOVE:
		return scst_pr_register_move(pr, reg, req, ctx);
	default:
		return SCST_PR_INVALID_CDB;
	}
}
EXPORT_SYMBOL_GPL(scst_pr_out);
