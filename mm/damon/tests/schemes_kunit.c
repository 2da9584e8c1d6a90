// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites of DAMOS's data model and apply loop: pattern matching at
 * the edges of its ranges, the access frequency a scheme sees between two
 * aggregations, apply intervals, statistics, the checks that refuse bad
 * schemes, committing schemes, and, with a real kdamond, walks and the
 * rest of a kdamond whose schemes are all deactivated.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>

#include "schemes_kunit_util.h"

static void damos_test_pattern_match(struct kunit *test)
{
	struct damos_pattern p = {
		.sz = { 2 * MR, 4 * MR },
		.nr_accesses = { 3, 5 },
		.age = { 10, 20 },
	};

	/* The ranges are closed: both ends match, one past them not. */
	KUNIT_EXPECT_TRUE(test, damos_pattern_match(&p, 2 * MR, 3, 10));
	KUNIT_EXPECT_TRUE(test, damos_pattern_match(&p, 4 * MR, 5, 20));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 2 * MR - 1, 3, 10));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 4 * MR + 1, 3, 10));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 2 * MR, 2, 10));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 2 * MR, 6, 10));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 2 * MR, 3, 9));
	KUNIT_EXPECT_FALSE(test, damos_pattern_match(&p, 2 * MR, 3, 21));

	damos_pattern_any(&p);
	KUNIT_EXPECT_TRUE(test, damos_pattern_match(&p, 0, 0, 0));
	KUNIT_EXPECT_TRUE(test, damos_pattern_match(&p, ULONG_MAX, ULONG_MAX,
						    ULONG_MAX));
}

static void damos_test_nr_accesses(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_region *r = damon_new_region(0, MR);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->nr_accesses = 3;
	r->last_nr_accesses = 10;
	/* At the end of the interval the count is what it is. */
	KUNIT_EXPECT_EQ(test, damos_nr_accesses(ctx, r), 3UL);
	/* Half of the 20 samples to come: half of the last count added. */
	ctx->next_aggr_sample = 110;
	KUNIT_EXPECT_EQ(test, damos_nr_accesses(ctx, r), 8UL);
	/* Marks further ahead than an interval count as a whole one. */
	ctx->next_aggr_sample = 200;
	KUNIT_EXPECT_EQ(test, damos_nr_accesses(ctx, r), 13UL);
	kfree(r);
}

static void damos_test_apply_due(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_STAT);

	/* Interval 0: at the end of each aggregation interval only. */
	KUNIT_EXPECT_TRUE(test, damos_apply_due(ctx, s));
	ctx->next_aggr_sample = 120;
	KUNIT_EXPECT_FALSE(test, damos_apply_due(ctx, s));

	/* 10 ms of 5 ms samples: every second sample. */
	s->apply_interval_us = 10000;
	s->next_apply_sample = 100;
	KUNIT_EXPECT_TRUE(test, damos_apply_due(ctx, s));
	KUNIT_EXPECT_EQ(test, s->next_apply_sample, 102UL);
	ctx->passed_samples = 101;
	KUNIT_EXPECT_FALSE(test, damos_apply_due(ctx, s));
	ctx->passed_samples = 102;
	KUNIT_EXPECT_TRUE(test, damos_apply_due(ctx, s));

	/* Shorter than a sample: every sample. */
	s->apply_interval_us = 1;
	ctx->passed_samples = 104;
	KUNIT_EXPECT_TRUE(test, damos_apply_due(ctx, s));
	KUNIT_EXPECT_EQ(test, s->next_apply_sample, 105UL);
	ctx->passed_samples = 105;
	KUNIT_EXPECT_TRUE(test, damos_apply_due(ctx, s));
}

static void damos_test_apply_stats(struct kunit *test)
{
	static const unsigned int counts[] = { 4, 5, 10, 11 };
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_PAGEOUT);
	struct damon_region *r;
	struct damos_stat st;

	damon_test_add_regions(test, t, 0, 10 * MR, 4);
	damos_test_set_counts(t, counts, ARRAY_SIZE(counts));
	damon_for_each_region(r, t)
		r->age = 7;
	s->pattern.nr_accesses = (struct damos_range){ 5, 10 };
	log.applied_permil = 500;

	damos_apply_scheme(ctx, s, 0, 1);
	damos_get_stat(s, &st);
	KUNIT_EXPECT_EQ(test, st.nr_tried, 2UL);
	KUNIT_EXPECT_EQ(test, st.sz_tried, 20 * MR);
	KUNIT_EXPECT_EQ(test, st.nr_applied, 2UL);
	KUNIT_EXPECT_EQ(test, st.sz_applied, 10 * MR);
	KUNIT_EXPECT_EQ(test, st.qt_exceeds, 0UL);
	KUNIT_ASSERT_EQ(test, log.nr, 2U);
	KUNIT_EXPECT_EQ(test, log.start[0], 10 * MR);
	KUNIT_EXPECT_EQ(test, log.start[1], 20 * MR);
	/* Acting on a region changes it: its age starts again. */
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 0)->age, 7U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->age, 0U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 2)->age, 0U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 3)->age, 7U);

	/* stat never reaches the operations set, and keeps the ages. */
	s->action = DAMOS_STAT;
	damon_test_region(test, t, 1)->age = 7;
	damos_apply_scheme(ctx, s, 0, 2);
	damos_get_stat(s, &st);
	KUNIT_EXPECT_EQ(test, st.nr_tried, 4UL);
	KUNIT_EXPECT_EQ(test, st.nr_applied, 4UL);
	KUNIT_EXPECT_EQ(test, st.sz_applied, 30 * MR);
	KUNIT_EXPECT_EQ(test, log.nr, 2U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->age, 7U);

	/* Nothing applied counts as tried, not applied. */
	s->action = DAMOS_COLD;
	log.applied_permil = 0;
	damos_apply_scheme(ctx, s, 0, 3);
	damos_get_stat(s, &st);
	KUNIT_EXPECT_EQ(test, st.nr_tried, 6UL);
	KUNIT_EXPECT_EQ(test, st.nr_applied, 4UL);

	/* An action that did more than the region (a large folio) counts all. */
	s->action = DAMOS_PAGEOUT;
	log.applied_permil = 1500;
	damos_apply_scheme(ctx, s, 0, 4);
	damos_get_stat(s, &st);
	KUNIT_EXPECT_EQ(test, st.sz_tried, 80 * MR);
	KUNIT_EXPECT_EQ(test, st.sz_applied, 60 * MR);
}

static void damos_test_validate(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damos *s = damos_new(DAMOS_PAGEOUT, NULL, NULL, NULL);
	struct damos_quota_goal *g;
	struct damos_filter *f;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, damos_validate(s, &ctx->ops), 0);

	s->pattern.age = (struct damos_range){ 3, 2 };
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->pattern.age = (struct damos_range){ 2, 2 };
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);

	s->action = NR_DAMOS_ACTIONS;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->action = DAMOS_PAGEOUT;

	s->wmarks = (struct damos_watermarks){
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.high = 500, .mid = 600, .low = 100,
	};
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->wmarks.mid = 400;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);
	s->wmarks.low = 401;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->wmarks.metric = NR_DAMOS_WMARK_METRICS;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	/* Without a metric, the marks mean nothing. */
	s->wmarks.metric = DAMOS_WMARK_NONE;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);

	s->quota.weight_sz = UINT_MAX;
	s->quota.weight_age = 1;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->quota.weight_sz = UINT_MAX - 1;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);

	g = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, 0);
	KUNIT_ASSERT_NOT_NULL(test, g);
	damos_add_quota_goal(s, g);
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	g->target_value = 1;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);
	g->metric = NR_DAMOS_GOAL_METRICS;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	g->metric = DAMOS_GOAL_SOME_MEM_PSI_US;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL),
			IS_ENABLED(CONFIG_PSI) ? 0 : -EOPNOTSUPP);
	damos_destroy_quota_goal(g);

	f = damos_new_filter(DAMOS_FILTER_ADDR, true);
	KUNIT_ASSERT_NOT_NULL(test, f);
	damos_add_filter(s, f);
	f->addr_range = (struct damon_addr_range){ MR, MR };
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	f->addr_range.end = 2 * MR;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);
	/* Page filters need an operations set that handles them. */
	f->type = DAMOS_FILTER_ANON;
	KUNIT_EXPECT_EQ(test, damos_validate(s, &ctx->ops), 0);
	ctx->ops.damos_filters = 0;
	KUNIT_EXPECT_EQ(test, damos_validate(s, &ctx->ops), -EOPNOTSUPP);
	damos_destroy_filter(f);

	/* An action the operations set cannot do is refused. */
	ctx->ops.damos_actions = BIT(DAMOS_STAT);
	KUNIT_EXPECT_EQ(test, damos_validate(s, &ctx->ops), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, damon_add_scheme(ctx, s), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(ctx), 0U);
	ctx->ops.damos_actions = BIT(NR_DAMOS_ACTIONS) - 1;

	/* Migration needs an online target node. */
	s->action = DAMOS_MIGRATE_COLD;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->target_nid = MAX_NUMNODES;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	s->target_nid = first_online_node;
	KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), 0);
	if (MAX_NUMNODES > 1 && !node_online(MAX_NUMNODES - 1)) {
		s->target_nid = MAX_NUMNODES - 1;
		KUNIT_EXPECT_EQ(test, damos_validate(s, NULL), -EINVAL);
	}
	damos_destroy(s);
}

/* A scheme of @ctx with @nr_goals goals and statistics of @mark. */
static struct damos *damos_test_marked(struct kunit *test,
				       struct damon_ctx *ctx,
				       unsigned long mark,
				       unsigned int nr_goals)
{
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_STAT);
	unsigned int i;

	s->stat.nr_tried = mark;
	s->quota.sz = mark * MR;
	for (i = 0; i < nr_goals; i++) {
		struct damos_quota_goal *g;

		g = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, mark + i);
		KUNIT_ASSERT_NOT_NULL(test, g);
		g->last_psi_total = mark;
		damos_add_quota_goal(s, g);
	}
	return s;
}

static void damos_test_commit(struct kunit *test)
{
	struct damos_test_ops_log log_dst, log_src;
	struct damon_ctx *dst = damos_test_ctx(test, &log_dst);
	struct damon_ctx *src = damos_test_ctx(test, &log_src);
	struct damos *s, *bad;
	struct damos_quota_goal *g;
	unsigned long mark = 1;

	damos_test_marked(test, dst, 1, 1);
	damos_test_marked(test, dst, 2, 0);
	damos_test_marked(test, src, 10, 2);
	damos_test_marked(test, src, 20, 0);
	damos_test_marked(test, src, 30, 0);

	KUNIT_ASSERT_EQ(test, damos_commit_schemes(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(dst), 3U);
	/*
	 * Settings from @src; what was counted stays by position.  Without
	 * watermarks, old and new schemes are active at once, so that a walk
	 * right after the commit waits for them.
	 */
	damon_for_each_scheme(s, dst) {
		KUNIT_EXPECT_EQ(test, s->quota.sz, mark * 10 * MR);
		KUNIT_EXPECT_EQ(test, s->stat.nr_tried, mark < 3 ? mark : 0);
		KUNIT_EXPECT_TRUE(test, s->active);
		mark++;
	}
	s = list_first_entry(&dst->schemes, struct damos, list);
	g = list_first_entry(&s->goals, struct damos_quota_goal, list);
	KUNIT_EXPECT_EQ(test, g->target_value, 10UL);
	KUNIT_EXPECT_EQ(test, g->last_psi_total, 1ULL);

	/* A bad scheme anywhere: nothing changes. */
	bad = damos_test_scheme(test, src, DAMOS_STAT);
	bad->pattern.sz = (struct damos_range){ 2, 1 };
	s = list_first_entry(&dst->schemes, struct damos, list);
	KUNIT_EXPECT_EQ(test, damos_commit_schemes(dst, src), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(dst), 3U);
	KUNIT_EXPECT_PTR_EQ(test, s,
			    list_first_entry(&dst->schemes, struct damos,
					     list));
	/* Goals alone: the numbers of schemes must agree. */
	KUNIT_EXPECT_EQ(test, damos_commit_quota_goals(dst, src), -EINVAL);
	damos_destroy(bad);

	g = list_first_entry(&list_first_entry(&src->schemes, struct damos,
					       list)->goals,
			     struct damos_quota_goal, list);
	g->current_value = 1234;
	KUNIT_EXPECT_EQ(test, damos_commit_quota_goals(dst, src), 0);
	g = list_first_entry(&s->goals, struct damos_quota_goal, list);
	KUNIT_EXPECT_EQ(test, g->current_value, 1234UL);
	KUNIT_EXPECT_EQ(test, g->last_psi_total, 1ULL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 1UL);

	/* Committing nothing removes every scheme. */
	damon_destroy_schemes(src);
	KUNIT_EXPECT_EQ(test, damos_commit_schemes(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_schemes(dst), 0U);
}

static struct kunit_case damos_model_cases[] = {
	KUNIT_CASE(damos_test_pattern_match),
	KUNIT_CASE(damos_test_nr_accesses),
	KUNIT_CASE(damos_test_apply_due),
	KUNIT_CASE(damos_test_apply_stats),
	KUNIT_CASE(damos_test_validate),
	KUNIT_CASE(damos_test_commit),
	{}
};

static struct kunit_suite damos_model_suite = {
	.name = "damon_schemes",
	.test_cases = damos_model_cases,
};

/* Kdamond runs: a synthetic operations set that counts its calls. */

struct damos_test_run {
	atomic_t checks;
	atomic_t walked;
};

static unsigned int damos_test_count_checks(struct damon_ctx *ctx)
{
	struct damos_test_run *run = ctx->callback.private;

	atomic_inc(&run->checks);
	return 0;
}

static void damos_test_walk_fn(void *data, struct damon_ctx *ctx,
			       struct damon_target *t, struct damon_region *r,
			       struct damos *s, unsigned long nr_accesses)
{
	struct damos_test_run *run = data;

	atomic_inc(&run->walked);
}

static struct damon_ctx *damos_test_run_ctx(struct kunit *test,
					    struct damos_test_run *run)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);

	damon_test_add_regions(test, t, 0, 10 * MR, 4);
	ctx->attrs.sample_interval = 1000;
	ctx->attrs.aggr_interval = 4000;
	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 4;
	ctx->callback.private = run;
	ctx->ops.check_accesses = damos_test_count_checks;
	ctx->ops.damos_actions = BIT(DAMOS_STAT);
	return ctx;
}

static void damos_test_walk(struct kunit *test)
{
	struct damos_test_run run = {};
	struct damon_ctx *ctx = damos_test_run_ctx(test, &run);
	struct damos_walk_control control = {
		.walk_fn = damos_test_walk_fn,
		.data = &run,
	};
	struct damos *s;

	KUNIT_EXPECT_EQ(test, damos_walk(ctx, &control), -EINVAL);
	s = damos_test_scheme(test, ctx, DAMOS_STAT);
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	/* One pass of the stat scheme tries every region. */
	KUNIT_EXPECT_EQ(test, damos_walk(ctx, &control), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run.walked),
			(int)damon_ctx_nr_regions(ctx));
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_GT(test, READ_ONCE(s->stat.nr_tried), 0UL);
}

/*
 * A scheme may apply once in days; a signal must end a walk that waits
 * for it, and the kdamond must drop the walk before damos_walk() returns.
 */
static void damos_test_walk_signal(struct kunit *test)
{
	struct damos_test_run run = {};
	struct damon_ctx *ctx = damos_test_run_ctx(test, &run);
	struct damos_walk_control control = {
		.walk_fn = damos_test_walk_fn,
		.data = &run,
	};
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_STAT);

	s->apply_interval_us = ULONG_MAX;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	/* Kernel threads ignore signals unless they allow them. */
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 1);
	KUNIT_EXPECT_EQ(test, damos_walk(ctx, &control), -EINTR);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	KUNIT_EXPECT_NULL(test, READ_ONCE(ctx->walk_control));
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run.walked), 0);
}

static void damos_test_wmarks_rest(struct kunit *test)
{
	struct damos_test_run run = {};
	struct damon_ctx *ctx = damos_test_run_ctx(test, &run);
	struct damos_walk_control control = {
		.walk_fn = damos_test_walk_fn,
		.data = &run,
	};
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_STAT);

	/* Free memory is above a high mark of 0: always deactivated. */
	s->wmarks = (struct damos_watermarks){
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.interval = 1000,
	};
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	msleep(100);
	/* A walk does not wait for deactivated schemes. */
	KUNIT_EXPECT_EQ(test, damos_walk(ctx, &control), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run.checks), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run.walked), 0);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 0UL);

	/* With a mark the memory is below, it monitors and acts. */
	s->wmarks.high = 1000;
	s->wmarks.mid = 1000;
	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, damon_stop(&ctx, 1), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&run.checks), 0);
	KUNIT_EXPECT_GT(test, s->stat.nr_tried, 0UL);
}

static int damos_test_run_init(struct kunit_suite *suite)
{
	/* Other DAMON users would change what the kdamonds see. */
	if (damon_nr_running_ctxs())
		return -EBUSY;
	return 0;
}

static struct kunit_case damos_run_cases[] = {
	KUNIT_CASE(damos_test_walk),
	KUNIT_CASE(damos_test_walk_signal),
	KUNIT_CASE(damos_test_wmarks_rest),
	{}
};

static struct kunit_suite damos_run_suite = {
	.name = "damon_schemes_run",
	.suite_init = damos_test_run_init,
	.test_cases = damos_run_cases,
};

kunit_test_suites(&damos_model_suite, &damos_run_suite);
