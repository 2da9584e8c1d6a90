// SPDX-License-Identifier: GPL-2.0
/*
 * Applying new settings to a context, all or nothing.
 *
 * An interface that lets users change a running context (the sysfs
 * "commit" command, the modules' commit_inputs parameters) builds a
 * context from the user's settings and hands it to damon_commit_ctx(),
 * which the running context's kdamond runs through damon_call().  The new
 * settings are checked and everything they need is allocated first; only
 * then does the context change, in steps that cannot fail.  Whatever the
 * context learnt about the memory it keeps monitoring (regions, their
 * access counts and ages) survives the change.
 */

#include <linux/slab.h>

#include "core_internal.h"
#include "schemes.h"

/**
 * struct damon_commit_plan - What damon_commit_ctx() prepared.
 * @dst:	The targets of the context to change, in order.
 * @nr_dst:	How many @dst holds.
 * @src:	The targets with the new settings, in order.
 * @nr_src:	How many @src holds.
 * @reshaped:	For each target that both have and that stays, a target
 *		holding its new regions, or NULL if its regions stay.
 * @schemes:	Checked copies of the schemes of the source.
 */
struct damon_commit_plan {
	struct damon_target **dst;
	unsigned int nr_dst;
	struct damon_target **src;
	unsigned int nr_src;
	struct damon_target **reshaped;
	struct list_head schemes;
};

static unsigned int damon_commit_nr_targets(struct damon_ctx *ctx)
{
	struct damon_target *t;
	unsigned int nr = 0;

	damon_for_each_target(t, ctx)
		nr++;
	return nr;
}

/* Fill @arr with the targets of @ctx, allocating it. */
static int damon_commit_list_targets(struct damon_ctx *ctx,
				     struct damon_target ***arr,
				     unsigned int *nr)
{
	struct damon_target *t;
	unsigned int i = 0;

	*nr = damon_commit_nr_targets(ctx);
	*arr = kcalloc(max(*nr, 1U), sizeof(**arr), GFP_KERNEL);
	if (!*arr)
		return -ENOMEM;
	damon_for_each_target(t, ctx)
		(*arr)[i++] = t;
	return 0;
}

/* The regions of a new target must be sorted, non-empty and disjoint. */
static bool damon_commit_regions_valid(struct damon_target *t)
{
	struct damon_region *r;
	unsigned long end = 0;
	bool first = true;

	damon_for_each_region(r, t) {
		if (r->ar.start >= r->ar.end || (!first && r->ar.start < end))
			return false;
		end = r->ar.end;
		first = false;
	}
	return true;
}

/*
 * Whether @new continues monitoring what @old monitors: the same process,
 * or, for address spaces without a process, the same id.
 */
static bool damon_commit_same_target(struct damon_target *old,
				     struct damon_target *new)
{
	if (old->pid || new->pid)
		return old->pid == new->pid;
	return old->id == new->id;
}

/*
 * A target whose regions are those of @old, with their access information,
 * made to cover exactly the regions of @new.
 */
static struct damon_target *damon_commit_reshape(struct damon_target *old,
						 struct damon_target *new)
{
	struct damon_addr_range *ranges;
	struct damon_target *t;
	struct damon_region *r, *copy;
	unsigned int i = 0;
	int err = -ENOMEM;

	t = damon_new_target();
	if (!t)
		return ERR_PTR(-ENOMEM);
	ranges = kvmalloc_array(new->nr_regions, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		goto fail;
	damon_for_each_region(r, new)
		ranges[i++] = r->ar;
	damon_for_each_region(r, old) {
		copy = damon_new_region(r->ar.start, r->ar.end);
		if (!copy)
			goto fail;
		/* Everything the region knows, but not its place in a list. */
		*copy = *r;
		INIT_LIST_HEAD(&copy->list);
		damon_add_region(copy, t);
	}
	err = damon_set_regions(t, ranges, i);
	if (err)
		goto fail;
	kvfree(ranges);
	return t;
fail:
	kvfree(ranges);
	damon_destroy_target(t);
	return ERR_PTR(err);
}

static void damon_commit_free_plan(struct damon_commit_plan *plan)
{
	unsigned int i;

	if (plan->reshaped) {
		for (i = 0; i < min(plan->nr_dst, plan->nr_src); i++)
			if (plan->reshaped[i])
				damon_destroy_target(plan->reshaped[i]);
	}
	kfree(plan->reshaped);
	kfree(plan->src);
	kfree(plan->dst);
	damos_commit_abort(&plan->schemes);
}

/* Check the new settings and allocate all that applying them needs. */
static int damon_commit_prepare(struct damon_commit_plan *plan,
				struct damon_ctx *dst, struct damon_ctx *src)
{
	unsigned int i, nr_pairs;
	int err;

	err = damon_commit_list_targets(dst, &plan->dst, &plan->nr_dst);
	if (!err)
		err = damon_commit_list_targets(src, &plan->src,
						&plan->nr_src);
	if (err)
		return err;
	for (i = 0; i < plan->nr_src; i++)
		if (!damon_commit_regions_valid(plan->src[i]))
			return -EINVAL;

	nr_pairs = min(plan->nr_dst, plan->nr_src);
	plan->reshaped = kcalloc(max(nr_pairs, 1U), sizeof(*plan->reshaped),
				 GFP_KERNEL);
	if (!plan->reshaped)
		return -ENOMEM;
	for (i = 0; i < nr_pairs; i++) {
		struct damon_target *t;

		if (!damon_commit_same_target(plan->dst[i], plan->src[i]) ||
		    !plan->src[i]->nr_regions)
			continue;
		t = damon_commit_reshape(plan->dst[i], plan->src[i]);
		if (IS_ERR(t))
			return PTR_ERR(t);
		plan->reshaped[i] = t;
	}
	/* What runs is @src's operations set (the same, if running). */
	return damos_commit_prepare(src, &src->ops, &plan->schemes);
}

/*
 * Set new attributes.  An aggregation interval whose length in samples
 * changes starts again, so that no region compares counts of intervals of
 * different lengths; otherwise the current intervals go on.
 */
static void damon_commit_attrs(struct damon_ctx *ctx,
			       const struct damon_attrs *attrs)
{
	struct damon_attrs old = ctx->attrs;
	unsigned long next_aggr = ctx->next_aggr_sample;
	unsigned long next_update = ctx->next_update_sample;
	bool same_sample = old.sample_interval == attrs->sample_interval;
	struct damon_target *t;
	struct damon_region *r;

	if (!memcmp(&old, attrs, sizeof(old)))
		return;
	/* Validated by the caller, so this cannot fail. */
	damon_set_attrs(ctx, attrs);
	if (same_sample && old.ops_update_interval ==
	    attrs->ops_update_interval)
		ctx->next_update_sample = next_update;
	if (same_sample && old.aggr_interval == attrs->aggr_interval) {
		ctx->next_aggr_sample = next_aggr;
		return;
	}
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->nr_accesses = 0;
			r->hit_addr = ULONG_MAX;
		}
	}
}

/* Swap the regions of two targets. */
static void damon_commit_swap_regions(struct damon_target *a,
				      struct damon_target *b)
{
	LIST_HEAD(tmp);

	list_splice_init(&a->regions, &tmp);
	list_splice_init(&b->regions, &a->regions);
	list_splice(&tmp, &b->regions);
	swap(a->nr_regions, b->nr_regions);
}

/* Apply what damon_commit_prepare() prepared; cannot fail. */
static void damon_commit_targets(struct damon_commit_plan *plan,
				 struct damon_ctx *dst)
{
	unsigned int i;

	for (i = 0; i < plan->nr_dst && i < plan->nr_src; i++) {
		struct damon_target *old = plan->dst[i], *new = plan->src[i];

		if (damon_commit_same_target(old, new)) {
			old->id = new->id;
			if (plan->reshaped[i])
				damon_commit_swap_regions(old,
							  plan->reshaped[i]);
			continue;
		}
		/* Another address space: the new target takes the place. */
		list_swap(&old->list, &new->list);
	}
	for (; i < plan->nr_src; i++)
		list_move_tail(&plan->src[i]->list, &dst->targets);
	for (; i < plan->nr_dst; i++)
		damon_destroy_target(plan->dst[i]);
}

/**
 * damon_commit_ctx() - Give a context the settings of another one.
 * @dst:	The context to change.  Either it is not running, or this is
 *		called from its kdamond (through damon_call()).
 * @src:	A context that is not running, holding the new settings:
 *		attributes, an operations set chosen with damon_select_ops(),
 *		and targets with their pids or ids and regions.
 *
 * The new settings are checked and all memory they need allocated before
 * @dst changes, so that @dst takes all of them or, on error, stays as it
 * was.  In detail:
 *
 * - Attributes: as damon_set_attrs() sets them, except that the current
 *   aggregation and operations update intervals go on unless their length
 *   in samples changes.  An aggregation interval that starts again drops
 *   the access counts it had gathered.
 * - Operations set: a stopped @dst takes that of @src.  A running @dst
 *   keeps its own: the commit fails with -EBUSY if @src names another,
 *   since the state of a running operations set cannot be handed over.
 * - Targets are matched by position.  A target of @src that has the same
 *   pid (or, without a pid, the same id) as the one of @dst at its position
 *   keeps the regions of the latter, with their access counts and ages;
 *   if the target of @src has regions, the kept regions are made to cover
 *   exactly them, as damon_set_regions() does.  A target with another pid
 *   takes the place of the old one, with the regions of @src (a process
 *   target without regions gets them from its operations set's next
 *   update).  Targets past the end of @src are removed; those past the end
 *   of @dst are added.
 * - Report filter: @dst takes that of @src, for the reports from then on;
 *   an invalid one fails with -EINVAL.
 * - Schemes are matched by position too: each scheme of @dst takes the
 *   settings of the one of @src at its position, keeping its statistics
 *   and quota state; extra schemes of @src are added, those past its end
 *   removed.  They are checked against the operations set, as
 *   damon_add_scheme() does.
 * - Callbacks and the operations set's private data of @dst stay.
 *
 * A running @dst then merges its regions at once if the new attributes
 * allow fewer than it has, and splits regions that the new attributes find
 * too large, as it does when it starts, so that the regions users see next
 * already respect the new bounds.
 *
 * @src gives some of its targets away and gets removed ones of @dst in
 * exchange; its owner can only destroy it afterwards, on success or not.
 *
 * Return: 0 on success; -EINVAL if the attributes of @src are invalid or
 * a target of @src has regions that are empty, unsorted or overlapping;
 * -EBUSY for a change of the operations set of a running @dst; the error
 * of damos_validate() for a scheme of @src; -ENOMEM.
 */
int damon_commit_ctx(struct damon_ctx *dst, struct damon_ctx *src)
{
	struct damon_commit_plan plan = {
		.schemes = LIST_HEAD_INIT(plan.schemes),
	};
	bool running = damon_is_running(dst);
	int err;

	if (damon_attrs_validate(&src->attrs))
		return -EINVAL;
	if (damon_report_filter_check(&src->report_filter))
		return -EINVAL;
	if (running && src->ops.id != dst->ops.id)
		return -EBUSY;
	err = damon_commit_prepare(&plan, dst, src);
	if (err)
		goto out;

	damon_commit_attrs(dst, &src->attrs);
	/* Checked above, so this cannot fail. */
	damon_set_report_filter(dst, &src->report_filter);
	if (!running)
		dst->ops = src->ops;
	damon_commit_targets(&plan, dst);
	damos_commit_apply(dst, &plan.schemes);
	if (running) {
		damon_fit_nr_regions(dst);
		damon_initial_split(dst);
	}
out:
	damon_commit_free_plan(&plan);
	return err;
}
EXPORT_SYMBOL_GPL(damon_commit_ctx);
