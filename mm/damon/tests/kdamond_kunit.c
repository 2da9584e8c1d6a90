// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites that run real kdamonds: starting and stopping contexts
 * (exclusive and non-exclusive groups, errors, monitoring that ends by
 * itself) and a monitoring run over a synthetic operations set whose access
 * pattern changes.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "kunit_util.h"

/*
 * What a test's synthetic operations set and callbacks saw.  Only the
 * kdamond writes it; the test reads it once the kdamond is gone.
 */
struct damon_test_probe {
	/* Settings. */
	unsigned long valid_samples;	/* targets die after these; 0: never */
	unsigned int stop_at_aggr;	/* after_aggregation stops; 0: never */
	int before_start_ret;
	unsigned int wanted_aggrs;	/* complete @done after these */

	/* Counts. */
	unsigned int inits, cleanups, terminates, updates;
	unsigned long samples, aggrs, samples_in_aggr;

	/* Findings of the monitoring run. */
	unsigned long bad_timing, bad_nr_regions, bad_counts, bad_layout;
	unsigned long hot_found;
	unsigned long tried_in_aggr;	/* bit N: a scheme tried in aggr N+1 */
	unsigned long min_nr_seen, max_nr_seen;
	u64 first_aggr_ns, last_aggr_ns;
	struct completion done;
};

static struct damon_test_probe *damon_test_probe_of(struct damon_ctx *ctx)
{
	return ctx->callback.private;
}

static void damon_test_ops_init(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->inits++;
}

static void damon_test_ops_update(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->updates++;
}

static void damon_test_ops_cleanup(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->cleanups++;
}

static unsigned int damon_test_count_samples(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->samples++;
	return 0;
}

/* The test stores its probe in the target's opaque id. */
static bool damon_test_target_valid(struct damon_target *t)
{
	struct damon_test_probe *probe = (struct damon_test_probe *)t->id;

	return !probe->valid_samples || probe->samples < probe->valid_samples;
}

static int damon_test_before_start(struct damon_ctx *ctx)
{
	return damon_test_probe_of(ctx)->before_start_ret;
}

static int damon_test_count_aggr(struct damon_ctx *ctx)
{
	struct damon_test_probe *probe = damon_test_probe_of(ctx);

	probe->aggrs++;
	return probe->aggrs == probe->stop_at_aggr;
}

static void damon_test_before_terminate(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->terminates++;
}

/* A context using @probe, with one target whose validity @probe decides. */
static struct damon_ctx *damon_test_probed_ctx(struct kunit *test,
					       struct damon_test_probe *probe)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);

	init_completion(&probe->done);
	t->id = (unsigned long)probe;
	damon_test_add_regions(test, t, 0, 100 * MR, 1);
	ctx->attrs.sample_interval = 1000;
	ctx->attrs.aggr_interval = 2000;
	ctx->callback.private = probe;
	ctx->callback.before_start = damon_test_before_start;
	ctx->callback.after_aggregation = damon_test_count_aggr;
	ctx->callback.before_terminate = damon_test_before_terminate;
	ctx->ops.init = damon_test_ops_init;
	ctx->ops.update = damon_test_ops_update;
	ctx->ops.check_accesses = damon_test_count_samples;
	ctx->ops.target_valid = damon_test_target_valid;
	ctx->ops.cleanup = damon_test_ops_cleanup;
	return ctx;
}

/* Wait up to 10 seconds for @ctx to stop by itself. */
static bool damon_test_wait_end(struct damon_ctx *ctx)
{
	unsigned int i;

	for (i = 0; i < 500 && damon_is_running(ctx); i++)
		msleep(20);
	return !damon_is_running(ctx);
}

static int damon_test_suite_init(struct kunit_suite *suite)
{
	/* The counts below assume no other DAMON user. */
	if (damon_nr_running_ctxs())
		return -EBUSY;
	return 0;
}

static void damon_test_exclusive(struct kunit *test)
{
	struct damon_ctx *a = damon_test_new_ctx(test);
	struct damon_ctx *b = damon_test_new_ctx(test);
	struct damon_ctx *c = damon_test_new_ctx(test);
	struct damon_ctx *d = damon_test_new_ctx(test);
	struct damon_ctx *group[] = { b, c };

	KUNIT_ASSERT_EQ(test, damon_start(&a, 1, true), 0);
	KUNIT_EXPECT_TRUE(test, damon_is_running(a));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 1);
	/* A writer excludes readers, other writers, and itself. */
	KUNIT_EXPECT_EQ(test, damon_start(&b, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_start(&c, 1, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, true), -EBUSY);
	KUNIT_EXPECT_FALSE(test, damon_is_running(b));
	KUNIT_EXPECT_FALSE(test, damon_is_running(c));
	KUNIT_EXPECT_EQ(test, damon_stop(&a, 1), 0);
	KUNIT_EXPECT_FALSE(test, damon_is_running(a));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);

	/* Readers share, and exclude writers. */
	KUNIT_ASSERT_EQ(test, damon_start(group, 2, false), 0);
	KUNIT_ASSERT_EQ(test, damon_start(&d, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 3);
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_start(&b, 1, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_stop(group, 2), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 1);
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, damon_stop(&d, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);

	/* With nothing running, a writer may start again. */
	KUNIT_ASSERT_EQ(test, damon_start(&a, 1, true), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&a, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&a, 1), -EPERM);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
}

static void damon_test_start_errors(struct kunit *test)
{
	struct damon_ctx *a = damon_test_new_ctx(test);
	struct damon_ctx *b = damon_test_new_ctx(test);
	struct damon_ctx *twice[] = { b, b };
	struct damon_ctx *mixed[] = { b, a };

	KUNIT_EXPECT_EQ(test, damon_start(&a, 0, false), -EINVAL);

	a->attrs.min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, damon_start(&a, 1, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_start(mixed, 2, false), -EINVAL);
	KUNIT_EXPECT_FALSE(test, damon_is_running(b));

	/* The second start of @b fails; the first one is undone. */
	KUNIT_EXPECT_EQ(test, damon_start(twice, 2, false), -EBUSY);
	KUNIT_EXPECT_FALSE(test, damon_is_running(b));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
	KUNIT_EXPECT_EQ(test, damon_start(twice, 2, true), -EBUSY);
	KUNIT_EXPECT_FALSE(test, damon_is_running(b));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);

	/* The failed exclusive group left no exclusive mark behind. */
	KUNIT_ASSERT_EQ(test, damon_start(&b, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&b, 1), 0);
}

static void damon_test_targets_gone(struct kunit *test)
{
	struct damon_test_probe *probe = kunit_kzalloc(test, sizeof(*probe),
						       GFP_KERNEL);
	struct damon_ctx *ctx;

	KUNIT_ASSERT_NOT_NULL(test, probe);
	probe->valid_samples = 5;
	ctx = damon_test_probed_ctx(test, probe);

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
	KUNIT_EXPECT_EQ(test, probe->samples, 5UL);
	KUNIT_EXPECT_EQ(test, probe->aggrs, 2UL);
	KUNIT_EXPECT_EQ(test, probe->inits, 1U);
	KUNIT_EXPECT_EQ(test, probe->cleanups, 1U);
	KUNIT_EXPECT_EQ(test, probe->terminates, 1U);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), -EPERM);
	/* The context keeps its targets and can run again. */
	KUNIT_EXPECT_FALSE(test, damon_targets_empty(ctx));
	probe->valid_samples = 8;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, true), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->samples, 8UL);
	KUNIT_EXPECT_EQ(test, probe->terminates, 2U);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
}

static void damon_test_callback_stops(struct kunit *test)
{
	struct damon_test_probe *probe = kunit_kzalloc(test, sizeof(*probe),
						       GFP_KERNEL);
	struct damon_ctx *ctx;

	KUNIT_ASSERT_NOT_NULL(test, probe);
	probe->stop_at_aggr = 3;
	ctx = damon_test_probed_ctx(test, probe);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->aggrs, 3UL);
	KUNIT_EXPECT_EQ(test, probe->samples, 6UL);
	KUNIT_EXPECT_EQ(test, probe->cleanups, 1U);
	KUNIT_EXPECT_EQ(test, probe->terminates, 1U);

	/* A failing before_start: no sampling at all, but a clean end. */
	memset(probe, 0, sizeof(*probe));
	probe->before_start_ret = -ENOMEM;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->samples, 0UL);
	KUNIT_EXPECT_EQ(test, probe->inits, 1U);
	KUNIT_EXPECT_EQ(test, probe->cleanups, 1U);
	KUNIT_EXPECT_EQ(test, probe->terminates, 1U);
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
}

/*
 * Until the first regular operations update (a second away here), a
 * context whose regions come from its operations set has them updated at
 * the end of every aggregation interval; one whose regions the user gave
 * keeps them.  The aggregation that stops the kdamond updates nothing.
 */
static void damon_test_early_updates(struct kunit *test)
{
	struct damon_test_probe *probe = kunit_kzalloc(test, sizeof(*probe),
						       GFP_KERNEL);
	struct damon_region *r, *next;
	struct damon_target *t;
	struct damon_ctx *ctx;

	KUNIT_ASSERT_NOT_NULL(test, probe);
	probe->stop_at_aggr = 4;
	ctx = damon_test_probed_ctx(test, probe);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->aggrs, 4UL);
	KUNIT_EXPECT_EQ(test, probe->updates, 0U);

	memset(probe, 0, sizeof(*probe));
	init_completion(&probe->done);
	probe->stop_at_aggr = 4;
	damon_for_each_target(t, ctx)
		damon_for_each_region_safe(r, next, t)
			damon_destroy_region(r, t);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->aggrs, 4UL);
	KUNIT_EXPECT_EQ(test, probe->updates, 3U);
}

/*
 * Every sample finds every region accessed during the first four
 * aggregation intervals of ten samples; after that, three samples in ten.
 */
static unsigned int damon_test_phased_check(struct damon_ctx *ctx)
{
	struct damon_test_probe *probe = damon_test_probe_of(ctx);
	unsigned long sample = probe->samples++;
	struct damon_target *t;
	struct damon_region *r;

	if (sample >= 40 && sample % 10 >= 3)
		return 0;
	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->nr_accesses++;
	return 0;
}

/* Note whether the context's scheme tried a region in this aggregation. */
static int damon_test_note_tried(struct damon_ctx *ctx)
{
	struct damon_test_probe *probe = damon_test_probe_of(ctx);
	struct damos *s = list_first_entry(&ctx->schemes, struct damos, list);

	if (s->stat.nr_tried > probe->hot_found)
		probe->tried_in_aggr |= BIT(probe->aggrs);
	probe->hot_found = s->stat.nr_tried;
	return damon_test_count_aggr(ctx);
}

/*
 * A scheme sees a region's count and age of the interval that just ended.
 * Wanting an age of 3 and any access, it first matches in the fourth hot
 * interval, not the fifth; and when the count drops from ten to three, the
 * region is young again at once, not old and accessed for one interval.
 */
static void damon_test_schemes_see_aged(struct kunit *test)
{
	struct damon_test_probe *probe = kunit_kzalloc(test, sizeof(*probe),
						       GFP_KERNEL);
	struct damos_pattern pattern;
	struct damon_ctx *ctx;
	struct damos *s;

	KUNIT_ASSERT_NOT_NULL(test, probe);
	damos_pattern_any(&pattern);
	probe->stop_at_aggr = 8;
	ctx = damon_test_probed_ctx(test, probe);
	ctx->attrs.aggr_interval = 10 * ctx->attrs.sample_interval;
	ctx->attrs.ops_update_interval = 1000 * ctx->attrs.aggr_interval;
	ctx->ops.check_accesses = damon_test_phased_check;
	ctx->ops.damos_actions = BIT(DAMOS_STAT);
	ctx->callback.after_aggregation = damon_test_note_tried;
	pattern.nr_accesses.min = 1;
	pattern.age.min = 3;
	s = damos_new(DAMOS_STAT, &pattern, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, damon_add_scheme(ctx, s), 0);

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_ASSERT_TRUE(test, damon_test_wait_end(ctx));
	KUNIT_EXPECT_EQ(test, probe->aggrs, 8UL);
	/* Aggregations 4 and 8 (bits 3 and 7). */
	KUNIT_EXPECT_EQ(test, probe->tried_in_aggr, BIT(3) | BIT(7));
}

static void damon_test_stop_promptly(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_attrs attrs = ctx->attrs;
	u64 start;

	/* A kdamond sleeping for an hour still stops at once. */
	attrs.sample_interval = 3600UL * USEC_PER_SEC;
	attrs.aggr_interval = attrs.sample_interval;
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	msleep(20);
	start = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_LT(test, ktime_get_ns() - start, 5ULL * NSEC_PER_SEC);
	KUNIT_EXPECT_FALSE(test, damon_is_running(ctx));
}

/* A task that calls damon_stop() on one context, for racing stoppers. */
struct damon_test_stopper {
	struct damon_ctx *ctx;
	int ret;
	struct completion done;
};

static int damon_test_stopper_fn(void *data)
{
	struct damon_test_stopper *stopper = data;

	stopper->ret = damon_stop(&stopper->ctx, 1);
	kthread_complete_and_exit(&stopper->done, 0);
}

/* Keep the kdamond, and so its task, alive while the second stopper comes. */
static void damon_test_slow_terminate(struct damon_ctx *ctx)
{
	msleep(300);
}

static void damon_test_stop_concurrently(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_test_stopper *stoppers;
	struct task_struct *tsk;
	unsigned int i, nr_done = 0;

	/* Freed only once both stoppers are done with it. */
	stoppers = kcalloc(2, sizeof(*stoppers), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stoppers);
	ctx->callback.before_terminate = damon_test_slow_terminate;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);

	/*
	 * Both stoppers find the kdamond running: the second comes while
	 * the first waits for the kdamond to leave before_terminate.  Two
	 * kthread_stop() calls on one thread would leave one of them
	 * waiting forever.
	 */
	for (i = 0; i < 2; i++) {
		stoppers[i].ctx = ctx;
		init_completion(&stoppers[i].done);
		tsk = kthread_run(damon_test_stopper_fn, &stoppers[i],
				  "damon_test_stop");
		KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
		msleep(50);
	}
	for (i = 0; i < 2; i++)
		nr_done += !!wait_for_completion_timeout(&stoppers[i].done,
							 10 * HZ);
	/* A stopper still waiting keeps @stoppers: leak it. */
	KUNIT_ASSERT_EQ(test, nr_done, 2U);
	/* One stopped the kdamond, the other then found nothing to stop. */
	KUNIT_EXPECT_EQ(test, stoppers[0].ret + stoppers[1].ret, -EPERM);
	KUNIT_EXPECT_FALSE(test, damon_is_running(ctx));
	KUNIT_EXPECT_EQ(test, damon_nr_running_ctxs(), 0);
	kfree(stoppers);
}

static struct kunit_case damon_start_stop_cases[] = {
	KUNIT_CASE(damon_test_exclusive),
	KUNIT_CASE(damon_test_start_errors),
	KUNIT_CASE(damon_test_targets_gone),
	KUNIT_CASE(damon_test_callback_stops),
	KUNIT_CASE(damon_test_early_updates),
	KUNIT_CASE(damon_test_schemes_see_aged),
	KUNIT_CASE(damon_test_stop_promptly),
	KUNIT_CASE(damon_test_stop_concurrently),
	{}
};

static struct kunit_suite damon_start_stop_suite = {
	.name = "damon_start_stop",
	.suite_init = damon_test_suite_init,
	.test_cases = damon_start_stop_cases,
};

/*
 * The synthetic workload: target 0 spans WL_SZ0 bytes of which a window of
 * WL_HOT bytes is hot, moving every WL_PHASE_AGGRS aggregation intervals;
 * target 1 spans WL_SZ1 bytes and is entirely hot in odd phases only.
 * Accesses are exact: a sampled address is accessed if and only if it lies
 * in a hot part.  The run takes 240 samples of 1 ms: a quarter of a second,
 * or 2.4 s where timers tick at 100 Hz (UML).
 */
#define WL_SZ0		(2048 * MR)
#define WL_SZ1		(512 * MR)
#define WL_HOT		(512 * MR)
#define WL_BASE1	SZ_1G
#define WL_PHASE_AGGRS	4
#define WL_SAMPLE_US	1000
#define WL_AGGR_SAMPLES	10
#define WL_UPDATE_US	100000
#define WL_AGGRS	24
#define WL_MIN_NR	10
#define WL_MAX_NR	60

static unsigned long damon_wl_phase(unsigned long passed_samples)
{
	return passed_samples / (WL_PHASE_AGGRS * WL_AGGR_SAMPLES);
}

static unsigned long damon_wl_hot_start(unsigned long phase)
{
	return (phase * 700 * MR) % (WL_SZ0 - WL_HOT + MR);
}

static bool damon_wl_accessed(unsigned int target_idx, unsigned long addr,
			      unsigned long phase)
{
	unsigned long hot = damon_wl_hot_start(phase);

	if (target_idx)
		return phase % 2;
	return addr >= hot && addr < hot + WL_HOT;
}

static void damon_wl_prepare(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->sampling_addr = damon_rand(r->ar.start, r->ar.end);
}

static unsigned int damon_wl_check(struct damon_ctx *ctx)
{
	unsigned long phase = damon_wl_phase(ctx->passed_samples);
	unsigned int idx = 0, max_nr = 0;
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			if (damon_wl_accessed(idx, r->sampling_addr, phase))
				r->nr_accesses++;
			max_nr = max(max_nr, r->nr_accesses);
		}
		idx++;
	}
	damon_test_probe_of(ctx)->samples++;
	return max_nr;
}

static int damon_wl_after_sampling(struct damon_ctx *ctx)
{
	damon_test_probe_of(ctx)->samples_in_aggr++;
	return 0;
}

/* Check what an aggregation interval reports against the workload. */
static int damon_wl_after_aggregation(struct damon_ctx *ctx)
{
	struct damon_test_probe *probe = damon_test_probe_of(ctx);
	unsigned long phase = damon_wl_phase(ctx->passed_samples - 1);
	unsigned long hot = damon_wl_hot_start(phase);
	unsigned long nr = damon_ctx_nr_regions(ctx);
	struct damon_target *t;
	struct damon_region *r;
	bool found = false;

	probe->last_aggr_ns = ktime_get_ns();
	if (!probe->aggrs++)
		probe->first_aggr_ns = probe->last_aggr_ns;
	if (ctx->passed_samples != probe->aggrs * WL_AGGR_SAMPLES ||
	    probe->samples_in_aggr != WL_AGGR_SAMPLES)
		probe->bad_timing++;
	probe->samples_in_aggr = 0;

	if (nr < WL_MIN_NR || nr > WL_MAX_NR)
		probe->bad_nr_regions++;
	probe->min_nr_seen = min(probe->min_nr_seen, nr);
	probe->max_nr_seen = max(probe->max_nr_seen, nr);

	damon_for_each_target(t, ctx) {
		if (!damon_test_regions_sane(t, MR))
			probe->bad_layout++;
		damon_for_each_region(r, t) {
			if (r->nr_accesses > WL_AGGR_SAMPLES)
				probe->bad_counts++;
		}
	}
	/*
	 * Regions never grow beyond a tenth (min_nr_regions) of the
	 * monitored memory, which is half the hot window, so one of them
	 * lies inside the window and was found accessed every time.
	 */
	t = list_first_entry(&ctx->targets, struct damon_target, list);
	damon_for_each_region(r, t) {
		if (r->ar.start >= hot && r->ar.end <= hot + WL_HOT &&
		    r->nr_accesses == WL_AGGR_SAMPLES)
			found = true;
	}
	probe->hot_found += found;

	if (probe->aggrs == probe->wanted_aggrs)
		complete(&probe->done);
	return 0;
}

static void damon_test_kdamond_run(struct kunit *test)
{
	struct damon_test_probe *probe = kunit_kzalloc(test, sizeof(*probe),
						       GFP_KERNEL);
	struct damon_attrs attrs = {
		.sample_interval = WL_SAMPLE_US,
		.aggr_interval = WL_SAMPLE_US * WL_AGGR_SAMPLES,
		.ops_update_interval = WL_UPDATE_US,
		.min_nr_regions = WL_MIN_NR,
		.max_nr_regions = WL_MAX_NR,
	};
	struct damon_ctx *ctx;
	struct damon_target *t0, *t1;
	unsigned long left;
	u64 period;

	KUNIT_ASSERT_NOT_NULL(test, probe);
	init_completion(&probe->done);
	probe->wanted_aggrs = WL_AGGRS;
	probe->min_nr_seen = ULONG_MAX;

	ctx = damon_test_new_ctx(test);
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	t0 = damon_test_new_target(test, ctx);
	t1 = damon_test_new_target(test, ctx);
	damon_test_add_regions(test, t0, 0, WL_SZ0, 1);
	damon_test_add_regions(test, t1, WL_BASE1, WL_SZ1, 1);
	ctx->callback.private = probe;
	ctx->callback.after_sampling = damon_wl_after_sampling;
	ctx->callback.after_aggregation = damon_wl_after_aggregation;
	ctx->callback.before_terminate = damon_test_before_terminate;
	ctx->ops.update = damon_test_ops_update;
	ctx->ops.prepare_access_checks = damon_wl_prepare;
	ctx->ops.check_accesses = damon_wl_check;
	ctx->ops.cleanup = damon_test_ops_cleanup;

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	left = wait_for_completion_timeout(&probe->done,
					   msecs_to_jiffies(60 * MSEC_PER_SEC));
	KUNIT_EXPECT_NE(test, left, 0UL);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);

	KUNIT_EXPECT_GE(test, probe->aggrs, (unsigned long)WL_AGGRS);
	KUNIT_EXPECT_EQ(test, probe->bad_timing, 0UL);
	KUNIT_EXPECT_EQ(test, probe->bad_nr_regions, 0UL);
	KUNIT_EXPECT_EQ(test, probe->bad_counts, 0UL);
	KUNIT_EXPECT_EQ(test, probe->bad_layout, 0UL);
	KUNIT_EXPECT_EQ(test, probe->hot_found, probe->aggrs);
	KUNIT_EXPECT_EQ(test, probe->updates,
			ctx->passed_samples / (WL_UPDATE_US / WL_SAMPLE_US));
	KUNIT_EXPECT_EQ(test, probe->cleanups, 1U);
	KUNIT_EXPECT_EQ(test, probe->terminates, 1U);
	/* Stopping keeps the targets and their regions. */
	KUNIT_EXPECT_GE(test, damon_ctx_nr_regions(ctx), (unsigned long)WL_MIN_NR);
	KUNIT_EXPECT_EQ(test, damon_ctx_sz_monitored(ctx), WL_SZ0 + WL_SZ1);

	/* Samples sleep at least their interval: never faster than asked. */
	period = probe->aggrs > 1 ? (probe->last_aggr_ns -
			probe->first_aggr_ns) / (probe->aggrs - 1) : 0;
	KUNIT_EXPECT_GE(test, period,
			(u64)WL_SAMPLE_US * WL_AGGR_SAMPLES * NSEC_PER_USEC);
	kunit_info(test,
		   "%lu aggregations, %llu us apart (asked: %d us), %lu-%lu regions\n",
		   probe->aggrs, period / NSEC_PER_USEC,
		   WL_SAMPLE_US * WL_AGGR_SAMPLES, probe->min_nr_seen,
		   probe->max_nr_seen);
}

static struct kunit_case damon_kdamond_cases[] = {
	KUNIT_CASE_SLOW(damon_test_kdamond_run),
	{}
};

static struct kunit_suite damon_kdamond_suite = {
	.name = "damon_kdamond",
	.suite_init = damon_test_suite_init,
	.test_cases = damon_kdamond_cases,
};

kunit_test_suites(&damon_start_stop_suite, &damon_kdamond_suite);
