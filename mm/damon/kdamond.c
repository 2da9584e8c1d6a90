// SPDX-License-Identifier: GPL-2.0
/*
 * The DAMON monitoring thread, "kdamond".
 *
 * One kdamond runs per monitoring context.  Time is counted in sampling
 * intervals: each one, the operations set prepares an access check of one
 * address per region, the kdamond sleeps, and the operations set checks the
 * addresses.  After a fixed number of samples an aggregation interval ends:
 * the results are reported, then the regions are adapted.  After another
 * fixed number the operations set refreshes the targets' ranges.
 */

#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "core_internal.h"
#include "schemes.h"

#define CREATE_TRACE_POINTS
#include <trace/events/damon.h>

/*
 * Sleep for @usecs microseconds, or until asked to stop or to run a
 * damon_call() request.  TASK_IDLE keeps the sleeping kdamond out of the
 * load average, and a small slack lets the timer share a wakeup with others.
 */
static void kdamond_sleep(struct damon_ctx *ctx, unsigned long usecs)
{
	u64 ns = KTIME_MAX;
	ktime_t expires;

	if (usecs < KTIME_MAX / NSEC_PER_USEC)
		ns = (u64)usecs * NSEC_PER_USEC;
	expires = ktime_add_safe(ktime_get(), ns_to_ktime(ns));
	for (;;) {
		set_current_state(TASK_IDLE);
		if (kthread_should_stop() || damon_calls_pending(ctx))
			break;
		if (!schedule_hrtimeout_range(&expires, ns >> 6,
					      HRTIMER_MODE_ABS))
			break;
	}
	__set_current_state(TASK_RUNNING);
}

/*
 * Whether the operations set says no target can be monitored any more.  An
 * operations set without a validity check keeps its targets forever.
 */
static bool kdamond_targets_gone(struct damon_ctx *ctx)
{
	bool (*valid)(struct damon_target *t) = ctx->ops.target_valid;
	struct damon_target *t;
	unsigned int nr_valid = 0;

	if (!valid)
		return false;
	damon_for_each_target(t, ctx)
		nr_valid += valid(t);
	return nr_valid == 0;
}

static void kdamond_trace_regions(struct damon_ctx *ctx)
{
	unsigned int target_idx = 0;
	struct damon_target *t;
	struct damon_region *r;

	if (!trace_damon_aggregated_enabled())
		return;
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t)
			trace_damon_aggregated(target_idx, r, t->nr_regions);
		target_idx++;
	}
}

/*
 * Counts left in the regions by an earlier run, stopped in the middle of an
 * aggregation interval, must not add to the first interval of this one.
 */
static void kdamond_reset_counts(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->nr_accesses = 0;
}

/*
 * End an aggregation interval, whose regions damon_age_regions() aged and
 * the schemes saw.  Return non-zero to stop monitoring.
 */
static int kdamond_aggregate(struct damon_ctx *ctx)
{
	int stop = 0;

	kdamond_trace_regions(ctx);
	if (ctx->callback.after_aggregation)
		stop = ctx->callback.after_aggregation(ctx);
	if (stop)
		return stop;
	damon_resize_regions(ctx);
	if (ctx->ops.reset_aggregated)
		ctx->ops.reset_aggregated(ctx);
	return 0;
}

/*
 * Watermarks may have deactivated every scheme: then rest for the time
 * they tell instead of sampling, still serving damon_call() and
 * damos_walk().  Return whether it rested.
 */
static bool kdamond_rested(struct damon_ctx *ctx)
{
	unsigned long idle_us = damos_wmarks_update(ctx, ktime_get_ns());

	if (!idle_us)
		return false;
	damon_calls_run(ctx);
	damos_walk_progress(ctx);
	kdamond_sleep(ctx, idle_us);
	return true;
}

/* One sampling interval.  Return non-zero to stop monitoring. */
static int kdamond_sample(struct damon_ctx *ctx)
{
	bool aggregated = false, update = false, aggr_end;
	int stop = 0;

	if (kdamond_rested(ctx))
		return 0;
	/* Between two samples nothing of @ctx is in use: a safe point. */
	damon_calls_run(ctx);
	if (ctx->ops.prepare_access_checks)
		ctx->ops.prepare_access_checks(ctx);
	kdamond_sleep(ctx, ctx->attrs.sample_interval);
	if (kthread_should_stop())
		return 1;
	damon_reports_fold(ctx);
	if (ctx->ops.check_accesses)
		ctx->ops.check_accesses(ctx);
	damon_reports_unmark(ctx);
	ctx->passed_samples++;

	if (ctx->callback.after_sampling)
		stop = ctx->callback.after_sampling(ctx);
	if (stop)
		return stop;
	aggr_end = damon_sample_reached(ctx->passed_samples,
					ctx->next_aggr_sample);
	if (aggr_end)
		damon_age_regions(ctx);
	/* Before the marks move: the schemes see where the interval is. */
	damos_apply_schemes(ctx);

	/*
	 * Set the next marks before the work, so that damon_set_attrs()
	 * called from a callback may move them.
	 */
	if (aggr_end) {
		ctx->next_aggr_sample = ctx->passed_samples +
			damon_aggr_samples(&ctx->attrs);
		stop = kdamond_aggregate(ctx);
		if (stop)
			return stop;
		aggregated = true;
	}
	if (damon_sample_reached(ctx->passed_samples,
				 ctx->next_update_sample)) {
		ctx->next_update_sample = ctx->passed_samples +
			damon_update_samples(&ctx->attrs);
		ctx->early_updates = false;
		update = true;
	}
	/*
	 * A process started just before monitoring maps most of its memory
	 * (or execs) in its first moments; waiting a whole update interval
	 * (a second by default) to see it would leave that much of a short
	 * workload unmonitored.  Regions the user gave are not followed
	 * before the first regular update, as documented.
	 */
	if (update || (aggregated && ctx->early_updates)) {
		if (ctx->ops.update) {
			ctx->ops.update(ctx);
			/*
			 * Users see the regions before the next aggregation
			 * adapts them: bring new or lost ranges within the
			 * bounds now.
			 */
			damon_fit_nr_regions(ctx);
		}
	}
	return 0;
}

/**
 * damon_kdamond_run() - The monitoring of a kdamond.
 * @ctx:	The context the calling kdamond monitors.
 *
 * Monitors until kthread_stop(), until no target is valid, or until a
 * callback returns non-zero; then runs the operations set's cleanup and the
 * before_terminate callback.  The thread itself is started, accounted for
 * and ended by the core (core.c).
 */
void damon_kdamond_run(struct damon_ctx *ctx)
{
	int stop = 0;

	/* Targets without regions get them from the operations set. */
	ctx->early_updates = !damon_ctx_nr_regions(ctx);
	if (ctx->ops.init)
		ctx->ops.init(ctx);
	if (ctx->callback.before_start)
		stop = ctx->callback.before_start(ctx);
	if (!stop) {
		kdamond_reset_counts(ctx);
		damon_initial_split(ctx);
		damos_kdamond_start(ctx);
	}

	while (!stop && !kthread_should_stop() && !kdamond_targets_gone(ctx))
		stop = kdamond_sample(ctx);

	damon_reports_close(ctx);
	if (ctx->ops.cleanup)
		ctx->ops.cleanup(ctx);
	if (ctx->callback.before_terminate)
		ctx->callback.before_terminate(ctx);
}
