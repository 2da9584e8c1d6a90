// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS engine: applying the schemes of a context.
 *
 * After every sampling interval the kdamond asks each scheme whose apply
 * interval has come round to look at every region.  A region that shows
 * the scheme's access pattern, and that no address or target filter
 * excludes, is tried: counted in the statistics, shown to a pending
 * damos_walk() and to the damos_before_apply tracepoint, and handed to the
 * operations set, which applies the action to it.  An action other than
 * "stat" changes the region, so its age starts again from 0.
 *
 * When the scheme's quota binds, regions are tried in order of priority
 * score and cut to what the quota has left, and the kdamond looks at the
 * time the actions took before each region: a scheme never runs past its
 * time quota by more than the work of one region.  The window after the
 * quota ran out resumes where it ran out, so that, among regions of equal
 * priority, each gets its turn.  When the quota cut a region short, the
 * rest of it keeps its place at the head of the next window, and its
 * priority, even though merging it with the piece just acted on, whose age
 * starts again from 0, has made it look younger meanwhile: otherwise a
 * region larger than the quota would have its start tried again and again
 * and its end never.
 *
 * A scheme applied between two aggregation intervals sees, for access
 * frequency, the samples of the current interval so far topped up with the
 * previous interval's frequency for the samples still to come: what a full
 * interval would count if the region kept its recent behaviour.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>

#include "core_internal.h"
#include "schemes.h"

#include <trace/events/damon.h>

/* Sampling intervals in a scheme's apply interval, at least one. */
static unsigned long damos_apply_samples(struct damon_ctx *ctx, struct damos *s)
{
	unsigned long samples = s->apply_interval_us /
		max(ctx->attrs.sample_interval, 1UL);

	return clamp(samples, 1UL, DAMON_MAX_AGGR_SAMPLES);
}

/**
 * damos_apply_due() - Whether a scheme's apply interval has come round.
 * @ctx:	The context.
 * @s:		The scheme.
 *
 * Schemes with an apply interval of 0 apply at the end of each
 * aggregation interval.  Others count sampling intervals, and the next
 * interval is set here when this one is due.
 *
 * Return: true if @s is to be applied now.
 */
bool damos_apply_due(struct damon_ctx *ctx, struct damos *s)
{
	if (!s->apply_interval_us)
		return damon_sample_reached(ctx->passed_samples,
					    ctx->next_aggr_sample);
	if (!damon_sample_reached(ctx->passed_samples, s->next_apply_sample))
		return false;
	s->next_apply_sample = ctx->passed_samples + damos_apply_samples(ctx, s);
	return true;
}

/**
 * struct damos_pass - One scheme's look at the regions of a context.
 * @ctx:	The context.
 * @s:		The scheme.
 * @sidx:	The index of @s in the context.
 * @walk:	The damos_walk() this pass reports to, or NULL.
 * @binds:	Whether the quota binds.
 */
struct damos_pass {
	struct damon_ctx *ctx;
	struct damos *s;
	unsigned int sidx;
	struct damos_walk_control *walk;
	bool binds;
};

/*
 * The quota ran out at @addr of target @tidx: stop until the next window.
 * [@addr, @end) is the rest of a region of priority @score that the quota
 * cut short, if @end is above @addr.
 */
static void damos_quota_ran_out(struct damos *s, unsigned int tidx,
				unsigned long addr, unsigned long end,
				unsigned int score)
{
	s->qs.exceeded = true;
	s->qs.resume_target = tidx;
	s->qs.resume_addr = addr;
	s->qs.resume_end = end;
	s->qs.resume_score = score;
	WRITE_ONCE(s->stat.qt_exceeds, s->stat.qt_exceeds + 1);
}

static void damos_count(unsigned long *counter, unsigned long add)
{
	WRITE_ONCE(*counter, *counter + add);
}

/*
 * Fit @r into the quota.  Return true if (a piece of) @r may be tried,
 * false if it is to be skipped; set *@spent when the quota is gone.
 */
static bool damos_fit_quota(struct damos_pass *p, struct damon_target *t,
			    unsigned int tidx, struct damon_region *r,
			    unsigned int score, bool *spent)
{
	struct damos *s = p->s;
	unsigned long left;

	if (damos_quota_spent(s)) {
		damos_quota_ran_out(s, tidx, r->ar.start, r->ar.start, 0);
		*spent = true;
		return false;
	}
	if (score < s->qs.min_score)
		return false;
	left = ALIGN_DOWN(damos_quota_left(s, score), DAMON_MIN_REGION);
	/* What is left is for regions that score better. */
	if (!left)
		return false;
	if (damon_sz_region(r) > left &&
	    !damon_split_region_at(t, r, left))
		return false;
	return true;
}

/*
 * Try @s on @r, the @tidx-th target @t's region.  @carried says that @r is
 * (part of) the rest of a region that the quota cut short in the last
 * window: it counts as old enough and keeps its priority score.  Return
 * false when the quota ran out and the pass is over.
 */
static bool damos_try_region(struct damos_pass *p, struct damon_target *t,
			     unsigned int tidx, struct damon_region *r,
			     bool carried)
{
	struct damon_ctx *ctx = p->ctx;
	struct damos *s = p->s;
	unsigned long nr_accesses = damos_nr_accesses(ctx, r);
	unsigned long age = r->age, sz, applied, end = r->ar.end;
	unsigned int score = 0;
	bool spent = false;
	u64 start;

	if (carried)
		age = max_t(unsigned long, age, s->pattern.age.min);
	if (!damos_pattern_match(&s->pattern, damon_sz_region(r), nr_accesses,
				 age))
		return true;
	if (damos_core_filters_out(s, t, tidx, r))
		return true;
	if (p->binds) {
		score = damos_score(ctx, t, r, s);
		if (carried)
			score = max(score, s->qs.resume_score);
		if (!damos_fit_quota(p, t, tidx, r, score, &spent))
			return !spent;
	}

	sz = damon_sz_region(r);
	damos_count(&s->stat.nr_tried, 1);
	damos_count(&s->stat.sz_tried, sz);
	if (p->walk)
		p->walk->walk_fn(p->walk->data, ctx, t, r, s, nr_accesses);
	trace_damos_before_apply(0, p->sidx, tidx, r,
				 min_t(unsigned long, nr_accesses, UINT_MAX),
				 t->nr_regions);

	start = ktime_get_ns();
	if (s->action == DAMOS_STAT)
		applied = sz;
	else if (ctx->ops.apply_scheme)
		applied = ctx->ops.apply_scheme(ctx, t, r, s);
	else
		applied = 0;
	if (applied) {
		damos_count(&s->stat.nr_applied, 1);
		damos_count(&s->stat.sz_applied, applied);
	}
	if (s->action != DAMOS_STAT)
		r->age = 0;

	if (!p->binds)
		return true;
	damos_quota_charge(s, score, sz, ktime_get_ns() - start);
	if (damos_quota_spent(s)) {
		/* damos_fit_quota() may have cut @r short of @end. */
		damos_quota_ran_out(s, tidx, r->ar.end, end, score);
		return false;
	}
	return true;
}

/*
 * Try @p's scheme on the regions of target @t, which is the @tidx-th,
 * skipping those that end at or below @from and stopping at the first that
 * ends above @to.  [@from, @carry_end) is the rest of a region the quota
 * cut short, if @carry_end is above @from.  Return false when the quota
 * ran out.
 */
static bool damos_pass_target(struct damos_pass *p, struct damon_target *t,
			      unsigned int tidx, unsigned long from,
			      unsigned long to, unsigned long carry_end)
{
	struct damon_region *r;
	bool carried;

	/* Regions split here are linked after @r and visited next. */
	for (r = damon_first_region(t); &r->list != &t->regions;
	     r = damon_next_region(r)) {
		if (r->ar.end <= from)
			continue;
		/*
		 * Regions merged since the last window: start exactly where
		 * it stopped, not again at what it did.
		 */
		if (r->ar.start < from &&
		    damon_split_region_at(t, r, from - r->ar.start))
			continue;
		if (r->ar.end > to)
			break;
		carried = r->ar.start < carry_end;
		/* Only the rest carries over, not what merged with it. */
		if (carried && r->ar.end > carry_end &&
		    !damon_split_region_at(t, r, carry_end - r->ar.start))
			carried = false;
		if (!damos_try_region(p, t, tidx, r, carried))
			return false;
	}
	return true;
}

static struct damon_target *damos_nth_target(struct damon_ctx *ctx,
					     unsigned int n)
{
	struct damon_target *t;

	damon_for_each_target(t, ctx) {
		if (!n--)
			return t;
	}
	return NULL;
}

/*
 * Fill the quota histogram with the bytes of the regions that show the
 * pattern, by score, and pick the lowest score the quota can reach.
 */
static void damos_quota_prioritize(struct damon_ctx *ctx, struct damos *s)
{
	struct damon_target *t;
	struct damon_region *r;

	memset(s->qs.hist, 0, sizeof(s->qs.hist));
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			unsigned long sz = damon_sz_region(r);

			if (!damos_pattern_match(&s->pattern, sz,
						 damos_nr_accesses(ctx, r),
						 r->age))
				continue;
			s->qs.hist[damos_score(ctx, t, r, s)] += sz;
		}
	}
	damos_quota_threshold(s);
}

/**
 * damos_apply_scheme() - Apply a scheme to the regions of a context once.
 * @ctx:	The context.
 * @s:		One of its schemes, active.
 * @sidx:	The index of @s in the context, for the tracepoint.
 * @now:	The time, from ktime_get_ns().
 *
 * Starts a new quota window when the last one is over.  Without a binding
 * quota, tries every region in address order.  With one, does nothing
 * once the window's quota is spent; otherwise starts where the quota last
 * ran out and goes round once.
 */
void damos_apply_scheme(struct damon_ctx *ctx, struct damos *s,
			unsigned int sidx, u64 now)
{
	struct damos_walk_control *walk = READ_ONCE(ctx->walk_control);
	struct damos_pass p = {
		.ctx = ctx,
		.s = s,
		.sidx = sidx,
		.walk = walk && walk->picked && !s->walk_done ? walk : NULL,
	};
	unsigned int nr_targets = 0, first = 0, k;
	unsigned long resume = 0, carry_end = 0;
	struct damon_target *t;

	damon_for_each_target(t, ctx)
		nr_targets++;
	damos_quota_window(s, now);
	p.binds = damos_quota_binds(s);
	if (p.binds) {
		if (s->qs.exceeded)
			return;
		damos_quota_prioritize(ctx, s);
		if (s->qs.resume_target < nr_targets) {
			first = s->qs.resume_target;
			resume = s->qs.resume_addr;
			carry_end = s->qs.resume_end;
		}
		/* The cut region's rest gets one turn, not one per pass. */
		s->qs.resume_end = s->qs.resume_addr;
	}
	/* Round once from the resume point: the last lap ends where it began. */
	for (k = 0; k < nr_targets + !!resume; k++) {
		unsigned int tidx = (first + k) % nr_targets;
		unsigned long from = 0, to = ULONG_MAX, carry = 0;

		t = damos_nth_target(ctx, tidx);
		if (k == 0) {
			from = resume;
			carry = carry_end;
		}
		if (k == nr_targets)
			to = resume;
		if (!damos_pass_target(&p, t, tidx, from, to, carry))
			return;
	}
}

/* The damos_walk() the kdamond serves, its schemes reset when new. */
static struct damos_walk_control *damos_walk_pick(struct damon_ctx *ctx)
{
	struct damos_walk_control *walk = READ_ONCE(ctx->walk_control);
	struct damos *s;

	if (walk && !walk->picked) {
		damon_for_each_scheme(s, ctx)
			s->walk_done = false;
		walk->picked = true;
	}
	return walk;
}

/**
 * damos_walk_progress() - Let a damos_walk() go once it has seen enough.
 * @ctx:	The context, run by the calling kdamond.
 *
 * A walk is complete when every active scheme has made an apply pass
 * since the walk started; inactive schemes try nothing, so they do not
 * hold it up.
 */
void damos_walk_progress(struct damon_ctx *ctx)
{
	struct damos_walk_control *walk = damos_walk_pick(ctx);
	struct damos *s;

	if (!walk)
		return;
	damon_for_each_scheme(s, ctx) {
		if (s->active && !s->walk_done)
			return;
	}
	mutex_lock(&ctx->kdamond_lock);
	ctx->walk_control = NULL;
	mutex_unlock(&ctx->kdamond_lock);
	/* The waiter may free @walk from here on. */
	complete(&walk->done);
}

/**
 * damos_walk_cancel() - Let a pending damos_walk() go, unsuccessful.
 * @ctx:	The context, whose kdamond is exiting; called with
 *		&damon_ctx->kdamond_lock held.
 */
void damos_walk_cancel(struct damon_ctx *ctx)
{
	struct damos_walk_control *walk = ctx->walk_control;

	if (!walk)
		return;
	ctx->walk_control = NULL;
	walk->canceled = true;
	complete(&walk->done);
}

/*
 * damon_call()'s function that drops the walk @arg if it is still pending.
 * It runs in the kdamond between two samples, where no apply pass holds
 * the walk, so the walker may free it as soon as it is completed.
 */
static int damos_walk_drop(struct damon_ctx *ctx, void *arg)
{
	struct damos_walk_control *walk = arg;

	mutex_lock(&ctx->kdamond_lock);
	if (ctx->walk_control == walk) {
		ctx->walk_control = NULL;
		walk->canceled = true;
		complete(&walk->done);
	}
	mutex_unlock(&ctx->kdamond_lock);
	return 0;
}

/**
 * damos_walk() - See the regions the schemes of a running context try.
 * @ctx:	The context.
 * @control:	Says what to call for each region; must stay valid until
 *		this returns.
 *
 * Waits until every active scheme of @ctx has made one apply pass, calling
 * &damos_walk_control->walk_fn from the kdamond for each region the pass
 * tries, with the region as it is about to be acted on.  Schemes whose
 * watermarks deactivate them are not waited for.  Interfaces use it to
 * show the regions a scheme tries, or, with the stat action, as a query
 * of the monitoring results.  The wait lasts up to the longest apply
 * interval of the schemes, which users may set to days, so a signal ends
 * it: the kdamond then drops the walk at its next safe point (a
 * damon_call()), and @control is never freed while the kdamond uses it.
 * Must not be called from the kdamond of @ctx.
 *
 * Return: 0 once the walk is complete; -EINVAL if @ctx is not running;
 * -EBUSY if another walk of @ctx is pending; -ECANCELED if the kdamond
 * stopped before the walk was complete; -EINTR if a signal ended the wait
 * first.
 */
int damos_walk(struct damon_ctx *ctx, struct damos_walk_control *control)
{
	bool interrupted = false;

	init_completion(&control->done);
	control->picked = false;
	control->canceled = false;

	mutex_lock(&ctx->kdamond_lock);
	if (!ctx->kdamond) {
		mutex_unlock(&ctx->kdamond_lock);
		return -EINVAL;
	}
	if (ctx->walk_control) {
		mutex_unlock(&ctx->kdamond_lock);
		return -EBUSY;
	}
	WRITE_ONCE(ctx->walk_control, control);
	mutex_unlock(&ctx->kdamond_lock);

	if (wait_for_completion_interruptible(&control->done)) {
		interrupted = true;
		/* An exiting kdamond cancels the walk itself: errors don't matter. */
		damon_call(ctx, damos_walk_drop, control);
		wait_for_completion(&control->done);
	}
	if (!control->canceled)
		return 0;
	return interrupted ? -EINTR : -ECANCELED;
}
EXPORT_SYMBOL_GPL(damos_walk);

/**
 * damos_kdamond_start() - Get a context's schemes ready to run.
 * @ctx:	The context, whose kdamond is starting.
 *
 * Every scheme starts with a fresh quota window, its watermarks to be
 * checked at once, and its first apply interval.  Statistics are kept.
 */
void damos_kdamond_start(struct damon_ctx *ctx)
{
	u64 psi = damos_psi_mem_some_total();
	struct damos_quota_goal *g;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		memset(&s->qs, 0, sizeof(s->qs));
		s->active = s->wmarks.metric == DAMOS_WMARK_NONE;
		s->next_wmark_check_ns = 0;
		s->next_apply_sample = ctx->passed_samples +
			damos_apply_samples(ctx, s);
		s->walk_done = false;
		damos_for_each_quota_goal(g, s)
			g->last_psi_total = psi;
	}
}

/**
 * damos_apply_schemes() - Apply the schemes that are due.
 * @ctx:	The context, run by the calling kdamond, after a sampling
 *		interval and before the end of an aggregation interval is
 *		handled.
 */
void damos_apply_schemes(struct damon_ctx *ctx)
{
	struct damos_walk_control *walk;
	unsigned int sidx = 0;
	struct damos *s;
	u64 now;

	if (list_empty(&ctx->schemes)) {
		damos_walk_progress(ctx);
		return;
	}
	walk = damos_walk_pick(ctx);
	now = ktime_get_ns();
	damon_for_each_scheme(s, ctx) {
		if (damos_apply_due(ctx, s)) {
			if (s->active)
				damos_apply_scheme(ctx, s, sidx, now);
			if (walk)
				s->walk_done = true;
		}
		sidx++;
	}
	damos_walk_progress(ctx);
}
