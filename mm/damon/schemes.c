// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS data model: creating, checking, adding, copying and freeing
 * schemes with their quota goals and filters, for kernel callers and for
 * DAMON's own interfaces; and what a region looks like to a scheme (its
 * pattern, its access frequency).  The engine that runs the schemes is in
 * schemes-apply.c and its helpers.
 *
 * Every check is made before anything changes, so that a caller who gets
 * an error still has exactly what it had: a refused scheme is not added,
 * and a refused commit leaves the running schemes as they were.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/nodemask.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "core_internal.h"
#include "schemes.h"

/**
 * damos_pattern_any() - Make a pattern that every region shows.
 * @pattern:	The pattern to fill in.
 */
void damos_pattern_any(struct damos_pattern *pattern)
{
	*pattern = (struct damos_pattern){
		.sz = { 0, ULONG_MAX },
		.nr_accesses = { 0, ULONG_MAX },
		.age = { 0, ULONG_MAX },
	};
}
EXPORT_SYMBOL_GPL(damos_pattern_any);

/**
 * damos_pattern_match() - Whether region properties fit a pattern.
 * @p:			The pattern.
 * @sz:			The region's size.
 * @nr_accesses:	Its access frequency.
 * @age:		Its age.
 *
 * Return: true if each property lies in its closed range of @p.
 */
bool damos_pattern_match(const struct damos_pattern *p, unsigned long sz,
			 unsigned long nr_accesses, unsigned long age)
{
	return p->sz.min <= sz && sz <= p->sz.max &&
		p->nr_accesses.min <= nr_accesses &&
		nr_accesses <= p->nr_accesses.max &&
		p->age.min <= age && age <= p->age.max;
}

/**
 * damos_nr_accesses() - The access frequency a scheme sees in a region.
 * @ctx:	The context.
 * @r:		The region.
 *
 * At the end of an aggregation interval, the region's count of that
 * interval.  Before it, the count so far plus the previous interval's
 * frequency scaled to the sampling intervals still to come.
 *
 * Return: the access frequency, in samples per aggregation interval.
 */
unsigned long damos_nr_accesses(struct damon_ctx *ctx, struct damon_region *r)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	unsigned long to_come = ctx->next_aggr_sample - ctx->passed_samples;

	if ((long)to_come <= 0)
		return r->nr_accesses;
	to_come = min(to_come, samples);
	return r->nr_accesses +
		(unsigned long)div64_ul((u64)r->last_nr_accesses * to_come,
					samples);
}

/**
 * damos_new() - Allocate a scheme.
 * @action:	What the scheme does.
 * @pattern:	The access pattern it acts on; NULL for every region.
 * @quota:	Its quota; NULL for none.
 * @wmarks:	Its watermarks; NULL to be always active.
 *
 * The scheme has no quota goal, no filter, an apply interval of 0 (every
 * aggregation interval) and no migration target node (%NUMA_NO_NODE).
 * Nothing is checked here: damon_add_scheme() does it.
 *
 * Return: the scheme, or NULL if memory is short.
 */
struct damos *damos_new(enum damos_action action,
			const struct damos_pattern *pattern,
			const struct damos_quota *quota,
			const struct damos_watermarks *wmarks)
{
	struct damos *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->action = action;
	if (pattern)
		s->pattern = *pattern;
	else
		damos_pattern_any(&s->pattern);
	if (quota)
		s->quota = *quota;
	if (wmarks)
		s->wmarks = *wmarks;
	s->target_nid = NUMA_NO_NODE;
	INIT_LIST_HEAD(&s->goals);
	INIT_LIST_HEAD(&s->filters);
	INIT_LIST_HEAD(&s->list);
	return s;
}
EXPORT_SYMBOL_GPL(damos_new);

/**
 * damos_destroy() - Free a scheme with its quota goals and filters.
 * @s:	The scheme, which is unlinked from its context if it has one.
 *
 * A running context's scheme may only be destroyed by its kdamond.
 */
void damos_destroy(struct damos *s)
{
	struct damos_quota_goal *g, *next_g;
	struct damos_filter *f, *next_f;

	list_for_each_entry_safe(g, next_g, &s->goals, list)
		damos_destroy_quota_goal(g);
	list_for_each_entry_safe(f, next_f, &s->filters, list)
		damos_destroy_filter(f);
	list_del(&s->list);
	kfree(s);
}
EXPORT_SYMBOL_GPL(damos_destroy);

/**
 * damos_new_quota_goal() - Allocate a quota goal.
 * @metric:		What the goal measures.
 * @target_value:	The value to reach.
 *
 * Return: the goal, or NULL if memory is short.
 */
struct damos_quota_goal *damos_new_quota_goal(enum damos_goal_metric metric,
					      unsigned long target_value)
{
	struct damos_quota_goal *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->metric = metric;
	g->target_value = target_value;
	INIT_LIST_HEAD(&g->list);
	return g;
}
EXPORT_SYMBOL_GPL(damos_new_quota_goal);

/**
 * damos_add_quota_goal() - Append a quota goal to a scheme.
 * @s:	The scheme, which must not belong to a running context unless this
 *	is called from its kdamond.
 * @g:	The goal.
 */
void damos_add_quota_goal(struct damos *s, struct damos_quota_goal *g)
{
	list_add_tail(&g->list, &s->goals);
}
EXPORT_SYMBOL_GPL(damos_add_quota_goal);

/**
 * damos_destroy_quota_goal() - Free a quota goal.
 * @g:	The goal, which is unlinked from its scheme if it has one.
 */
void damos_destroy_quota_goal(struct damos_quota_goal *g)
{
	list_del(&g->list);
	kfree(g);
}
EXPORT_SYMBOL_GPL(damos_destroy_quota_goal);

/**
 * damos_new_filter() - Allocate a filter.
 * @type:	What memory the filter names.
 * @matching:	Whether to exclude that memory (true) or all other memory.
 *
 * The caller sets the field of &struct damos_filter that @type uses.
 *
 * Return: the filter, or NULL if memory is short.
 */
struct damos_filter *damos_new_filter(enum damos_filter_type type,
				      bool matching)
{
	struct damos_filter *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->type = type;
	f->matching = matching;
	INIT_LIST_HEAD(&f->list);
	return f;
}
EXPORT_SYMBOL_GPL(damos_new_filter);

/**
 * damos_add_filter() - Append a filter to a scheme.
 * @s:	The scheme, which must not belong to a running context unless this
 *	is called from its kdamond.
 * @f:	The filter.
 */
void damos_add_filter(struct damos *s, struct damos_filter *f)
{
	list_add_tail(&f->list, &s->filters);
}
EXPORT_SYMBOL_GPL(damos_add_filter);

/**
 * damos_destroy_filter() - Free a filter.
 * @f:	The filter, which is unlinked from its scheme if it has one.
 */
void damos_destroy_filter(struct damos_filter *f)
{
	list_del(&f->list);
	kfree(f);
}
EXPORT_SYMBOL_GPL(damos_destroy_filter);

static bool damos_range_valid(const struct damos_range *r)
{
	return r->min <= r->max;
}

static int damos_validate_goal(const struct damos_quota_goal *g)
{
	if ((unsigned int)g->metric >= NR_DAMOS_GOAL_METRICS ||
	    !g->target_value)
		return -EINVAL;
	if (g->metric == DAMOS_GOAL_SOME_MEM_PSI_US &&
	    !IS_ENABLED(CONFIG_PSI))
		return -EOPNOTSUPP;
	return 0;
}

static int damos_validate_filter(const struct damos_filter *f,
				 const struct damon_operations *ops)
{
	if ((unsigned int)f->type >= NR_DAMOS_FILTER_TYPES)
		return -EINVAL;
	if (f->type == DAMOS_FILTER_ADDR &&
	    f->addr_range.start >= f->addr_range.end)
		return -EINVAL;
	if (f->type == DAMOS_FILTER_MEMCG && !IS_ENABLED(CONFIG_MEMCG))
		return -EOPNOTSUPP;
	if (ops && damos_filter_for_ops(f->type) &&
	    !(ops->damos_filters & BIT(f->type)))
		return -EOPNOTSUPP;
	return 0;
}

/**
 * damos_validate() - Check a scheme.
 * @s:		The scheme.
 * @ops:	The operations set that would run it, or NULL to check only
 *		what does not depend on one.
 *
 * A scheme is valid when its action, watermark metric, goal metrics and
 * filter types are known; each range of its pattern has min <= max; its
 * watermarks, if it has a metric, satisfy high >= mid >= low; the sum of
 * its quota weights fits in an unsigned int; every goal has a non-zero
 * target value; every address filter has a non-empty range; and, for the
 * migrate actions, &damos->target_nid is an online node.
 *
 * Return: 0 if @s is valid; -EINVAL if not; -EOPNOTSUPP if @ops cannot
 * do its action or handle one of its page filters, or a goal or filter
 * needs a kernel feature that is not built (PSI, memory cgroups).
 */
int damos_validate(const struct damos *s, const struct damon_operations *ops)
{
	const struct damos_watermarks *wm = &s->wmarks;
	const struct damos_quota_goal *g;
	const struct damos_filter *f;
	unsigned int weights;
	int err;

	if ((unsigned int)s->action >= NR_DAMOS_ACTIONS)
		return -EINVAL;
	if (!damos_range_valid(&s->pattern.sz) ||
	    !damos_range_valid(&s->pattern.nr_accesses) ||
	    !damos_range_valid(&s->pattern.age))
		return -EINVAL;
	if ((unsigned int)wm->metric >= NR_DAMOS_WMARK_METRICS)
		return -EINVAL;
	if (wm->metric != DAMOS_WMARK_NONE &&
	    (wm->high < wm->mid || wm->mid < wm->low))
		return -EINVAL;
	if (check_add_overflow(s->quota.weight_sz,
			       s->quota.weight_nr_accesses, &weights) ||
	    check_add_overflow(weights, s->quota.weight_age, &weights))
		return -EINVAL;
	if (damos_action_migrates(s->action) &&
	    (s->target_nid < 0 || s->target_nid >= MAX_NUMNODES ||
	     !node_online(s->target_nid)))
		return -EINVAL;
	list_for_each_entry(g, &s->goals, list) {
		err = damos_validate_goal(g);
		if (err)
			return err;
	}
	list_for_each_entry(f, &s->filters, list) {
		err = damos_validate_filter(f, ops);
		if (err)
			return err;
	}
	if (ops && !(ops->damos_actions & BIT(s->action)))
		return -EOPNOTSUPP;
	return 0;
}
EXPORT_SYMBOL_GPL(damos_validate);

/**
 * damon_add_scheme() - Check a scheme and append it to a context.
 * @ctx:	The context, whose operations set must be selected already;
 *		it must not be running unless this is called from its
 *		kdamond.
 * @s:		The scheme.
 *
 * Return: 0 on success, or the error of damos_validate() against the
 * context's operations set, in which case the caller still owns @s.
 */
int damon_add_scheme(struct damon_ctx *ctx, struct damos *s)
{
	int err = damos_validate(s, &ctx->ops);

	if (err)
		return err;
	list_add_tail(&s->list, &ctx->schemes);
	return 0;
}
EXPORT_SYMBOL_GPL(damon_add_scheme);

/**
 * damon_nr_schemes() - The number of schemes of a context.
 * @ctx:	The context.
 *
 * Return: how many schemes @ctx has.
 */
unsigned int damon_nr_schemes(struct damon_ctx *ctx)
{
	struct damos *s;
	unsigned int nr = 0;

	damon_for_each_scheme(s, ctx)
		nr++;
	return nr;
}
EXPORT_SYMBOL_GPL(damon_nr_schemes);

/**
 * damon_destroy_schemes() - Free every scheme of a context.
 * @ctx:	The context, which must not be running.
 */
void damon_destroy_schemes(struct damon_ctx *ctx)
{
	struct damos *s, *next;

	damon_for_each_scheme_safe(s, next, ctx)
		damos_destroy(s);
}

/**
 * damon_validate_schemes() - Check every scheme of a context.
 * @ctx:	The context, with its operations set selected.
 *
 * damon_start() calls this, so that a scheme that was valid when it was
 * added but no longer is (its target node went offline, or the operations
 * set changed) keeps the context from starting.
 *
 * Return: 0, or the first error of damos_validate().
 */
int damon_validate_schemes(struct damon_ctx *ctx)
{
	struct damos *s;
	int err;

	damon_for_each_scheme(s, ctx) {
		err = damos_validate(s, &ctx->ops);
		if (err)
			return err;
	}
	return 0;
}

/* Append copies of @src's goals to @dst's; on failure @dst may have some. */
static int damos_copy_goals(struct damos *dst, const struct damos *src)
{
	const struct damos_quota_goal *g;
	struct damos_quota_goal *copy;

	list_for_each_entry(g, &src->goals, list) {
		copy = damos_new_quota_goal(g->metric, g->target_value);
		if (!copy)
			return -ENOMEM;
		copy->current_value = g->current_value;
		copy->last_psi_total = g->last_psi_total;
		damos_add_quota_goal(dst, copy);
	}
	return 0;
}

/**
 * damos_copy() - Copy a scheme's settings into a new scheme.
 * @src:	The scheme to copy.
 *
 * The copy has @src's pattern, action, target node, apply interval, quota,
 * goals, watermarks and filters; its statistics and the kdamond's
 * bookkeeping start afresh.
 *
 * Return: the copy, not in any context, or NULL if memory is short.
 */
struct damos *damos_copy(const struct damos *src)
{
	const struct damos_filter *f;
	struct damos_filter *fcopy;
	struct damos *s;

	s = damos_new(src->action, &src->pattern, &src->quota, &src->wmarks);
	if (!s)
		return NULL;
	s->target_nid = src->target_nid;
	s->apply_interval_us = src->apply_interval_us;
	if (damos_copy_goals(s, src))
		goto fail;
	list_for_each_entry(f, &src->filters, list) {
		fcopy = damos_new_filter(f->type, f->matching);
		if (!fcopy)
			goto fail;
		/* The union holds whatever the type uses. */
		fcopy->addr_range = f->addr_range;
		if (f->type == DAMOS_FILTER_MEMCG)
			fcopy->memcg_id = f->memcg_id;
		else if (f->type == DAMOS_FILTER_TARGET)
			fcopy->target_idx = f->target_idx;
		damos_add_filter(s, fcopy);
	}
	return s;
fail:
	damos_destroy(s);
	return NULL;
}

/* Goals of @new keep the last PSI reading of @old's at the same position. */
static void damos_inherit_goals(struct damos *new, struct damos *old)
{
	struct damos_quota_goal *g, *og;

	og = list_first_entry_or_null(&old->goals, struct damos_quota_goal,
				      list);
	list_for_each_entry(g, &new->goals, list) {
		if (!og)
			break;
		g->last_psi_total = og->last_psi_total;
		og = list_is_last(&og->list, &old->goals) ? NULL :
			list_next_entry(og, list);
	}
}

/*
 * Carry what the kdamond knows of @old over to its replacement @new.  A
 * scheme without watermarks is active whatever @old was: the kdamond
 * would only find that out at its next check, and a damos_walk() before
 * that would not wait for the scheme.
 */
static void damos_inherit(struct damos *new, struct damos *old)
{
	new->stat = old->stat;
	new->qs = old->qs;
	/* The rest of a cut region was old enough for @old's pattern only. */
	new->qs.resume_end = new->qs.resume_addr;
	new->active = old->active ||
		new->wmarks.metric == DAMOS_WMARK_NONE;
	new->next_wmark_check_ns = old->next_wmark_check_ns;
	new->next_apply_sample = old->next_apply_sample;
	new->walk_done = old->walk_done;
	damos_inherit_goals(new, old);
}

/**
 * damos_commit_abort() - Free what damos_commit_prepare() prepared.
 * @fresh:	The list of copies; left empty.
 */
void damos_commit_abort(struct list_head *fresh)
{
	struct damos *s, *next;

	list_for_each_entry_safe(s, next, fresh, list)
		damos_destroy(s);
}

/**
 * damos_commit_prepare() - Copy and check schemes to commit.
 * @src:	The context whose schemes to copy.
 * @ops:	The operations set that will run them.
 * @fresh:	An empty list that receives the copies.
 *
 * The first half of a commit: everything that may fail.
 *
 * Return: 0, or the error of damos_validate() or -ENOMEM, with @fresh
 * empty again.
 */
int damos_commit_prepare(struct damon_ctx *src,
			 const struct damon_operations *ops,
			 struct list_head *fresh)
{
	struct damos *s, *copy;
	int err;

	damon_for_each_scheme(s, src) {
		err = damos_validate(s, ops);
		if (err)
			goto fail;
		copy = damos_copy(s);
		if (!copy) {
			err = -ENOMEM;
			goto fail;
		}
		list_add_tail(&copy->list, fresh);
	}
	return 0;
fail:
	damos_commit_abort(fresh);
	return err;
}

/**
 * damos_commit_apply() - Make the prepared copies a context's schemes.
 * @dst:	The context.
 * @fresh:	The list damos_commit_prepare() filled; left empty.
 *
 * The second half of a commit, which cannot fail: the copies take over
 * what the schemes at their positions counted.
 */
void damos_commit_apply(struct damon_ctx *dst, struct list_head *fresh)
{
	struct damos *copy, *old;

	old = list_first_entry_or_null(&dst->schemes, struct damos, list);
	list_for_each_entry(copy, fresh, list) {
		if (!old) {
			/*
			 * A new scheme: without watermarks it is active at
			 * once, as when the kdamond starts; the rest of its
			 * state starts zeroed, and its watermarks are
			 * checked at the next sample.
			 */
			copy->active = copy->wmarks.metric == DAMOS_WMARK_NONE;
			continue;
		}
		damos_inherit(copy, old);
		old = list_is_last(&old->list, &dst->schemes) ? NULL :
			list_next_entry(old, list);
	}
	damon_destroy_schemes(dst);
	list_splice_tail_init(fresh, &dst->schemes);
}

/**
 * damos_commit_schemes() - Make a context's schemes those of another.
 * @dst:	The context to change: not running, or running and this is
 *		called from its kdamond.
 * @src:	The context whose schemes to copy, which nobody changes
 *		meanwhile; checked against @dst's operations set.
 *
 * All or nothing: the schemes of @src are copied and checked first, and
 * only if all of them are valid do they replace @dst's.  The schemes of
 * @dst keep their statistics and quota state where a scheme of @src takes
 * their position in the list, so an interface can change a running
 * scheme's settings without losing what it has done.  damon_commit_ctx()
 * commits the schemes along with everything else.
 *
 * Return: 0 on success; -ENOMEM, or the error of damos_validate(), leaving
 * @dst unchanged.
 */
int damos_commit_schemes(struct damon_ctx *dst, struct damon_ctx *src)
{
	LIST_HEAD(fresh);
	int err;

	err = damos_commit_prepare(src, &dst->ops, &fresh);
	if (!err)
		damos_commit_apply(dst, &fresh);
	return err;
}
EXPORT_SYMBOL_GPL(damos_commit_schemes);

/**
 * damos_commit_quota_goals() - Take new quota goals from another context.
 * @dst:	The context to change: not running, or running and this is
 *		called from its kdamond.
 * @src:	A context with as many schemes as @dst, whose goals to copy.
 *
 * Each scheme of @dst gets the goals of the scheme of @src at the same
 * position, including the current values the user feeds in; everything
 * else stays.  All or nothing.
 *
 * Return: 0 on success; -EINVAL if the contexts have different numbers of
 * schemes or a goal is invalid, -EOPNOTSUPP for a goal this kernel cannot
 * measure, or -ENOMEM, leaving @dst unchanged.
 */
int damos_commit_quota_goals(struct damon_ctx *dst, struct damon_ctx *src)
{
	unsigned int nr = damon_nr_schemes(dst), i = 0;
	struct damos *d, *s, **holders;
	struct damos_quota_goal *g;
	int err = 0;

	if (nr != damon_nr_schemes(src))
		return -EINVAL;
	damon_for_each_scheme(s, src) {
		damos_for_each_quota_goal(g, s) {
			err = damos_validate_goal(g);
			if (err)
				return err;
		}
	}
	/* Build every new goal list on a holder before touching @dst. */
	holders = kcalloc(max(nr, 1U), sizeof(*holders), GFP_KERNEL);
	if (!holders)
		return -ENOMEM;
	damon_for_each_scheme(s, src) {
		holders[i] = damos_new(DAMOS_STAT, NULL, NULL, NULL);
		if (!holders[i] || damos_copy_goals(holders[i], s)) {
			err = -ENOMEM;
			goto out;
		}
		i++;
	}
	i = 0;
	damon_for_each_scheme(d, dst) {
		struct damos *h = holders[i++];
		LIST_HEAD(old);

		damos_inherit_goals(h, d);
		list_splice_init(&d->goals, &old);
		list_splice_init(&h->goals, &d->goals);
		/* The old goals are freed with @h. */
		list_splice(&old, &h->goals);
	}
out:
	for (i = 0; i < nr; i++) {
		if (holders[i])
			damos_destroy(holders[i]);
	}
	kfree(holders);
	return err;
}
EXPORT_SYMBOL_GPL(damos_commit_quota_goals);

/**
 * damos_get_stat() - Read a scheme's statistics.
 * @s:		The scheme, which may belong to a running context.
 * @stat:	Receives the statistics.
 *
 * Each counter is read once, without tearing; counters of a running
 * scheme may come from different moments.
 */
void damos_get_stat(struct damos *s, struct damos_stat *stat)
{
	stat->nr_tried = READ_ONCE(s->stat.nr_tried);
	stat->sz_tried = READ_ONCE(s->stat.sz_tried);
	stat->nr_applied = READ_ONCE(s->stat.nr_applied);
	stat->sz_applied = READ_ONCE(s->stat.sz_applied);
	stat->qt_exceeds = READ_ONCE(s->stat.qt_exceeds);
}
EXPORT_SYMBOL_GPL(damos_get_stat);

/**
 * damos_effective_quota_sz() - A scheme's effective size quota.
 * @s:	The scheme, which may belong to a running context.
 *
 * Return: the bytes the scheme may try in its current quota window, after
 * the time quota and the goals are taken into account; ULONG_MAX when its
 * quota does not bind, 0 before its first window.
 */
unsigned long damos_effective_quota_sz(struct damos *s)
{
	return READ_ONCE(s->qs.effective_sz);
}
EXPORT_SYMBOL_GPL(damos_effective_quota_sz);
