// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of DAMOS quotas: goal feedback, the effective quota of a
 * window, the lowest score a window reaches, priority scores, and the
 * regions a binding quota picks, to the byte, across windows.
 */

#include <linux/sizes.h>

#include "schemes_kunit_util.h"

#define MS	NSEC_PER_MSEC

static void damos_test_goal_feedback(struct kunit *test)
{
	/* Nothing reached: double; reached: stay; past: shrink. */
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 0), 2000UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 5000), 1500UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 10000), 1000UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 15000), 500UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 19000), 100UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1000, 1000000), 100UL);
	/* Small quotas still move, never below one byte. */
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1, 5000), 2UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(2, 11000), 1UL);
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(1, 15000), 1UL);
	/* Large ones stop growing. */
	KUNIT_EXPECT_EQ(test, damos_goal_feedback(BIT(BITS_PER_LONG - 2), 0),
			BIT(BITS_PER_LONG - 2));
}

static void damos_test_goals_score(struct kunit *test)
{
	struct damos *s = damos_new(DAMOS_STAT, NULL, NULL, NULL);
	struct damos_quota_goal *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, s);
	a = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, 10000);
	b = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, 200);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	damos_add_quota_goal(s, a);
	damos_add_quota_goal(s, b);
	a->current_value = 5000;
	b->current_value = 300;
	/* The goal furthest along decides. */
	KUNIT_EXPECT_EQ(test, damos_goals_score(s), 15000UL);
	b->current_value = 0;
	KUNIT_EXPECT_EQ(test, damos_goals_score(s), 5000UL);
	a->current_value = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damos_goals_score(s), 1000000UL);
	damos_destroy(s);
}

static void damos_test_window(struct kunit *test)
{
	struct damos *s = damos_new(DAMOS_STAT, NULL, NULL, NULL);
	struct damos_quota_goal *g;

	KUNIT_ASSERT_NOT_NULL(test, s);
	/* No quota: never binds. */
	damos_quota_window(s, 1);
	KUNIT_EXPECT_FALSE(test, damos_quota_binds(s));

	/* A goal alone starts at 16 MiB and doubles while not reached. */
	g = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, 10000);
	KUNIT_ASSERT_NOT_NULL(test, g);
	damos_add_quota_goal(s, g);
	s->quota.reset_interval = 100;
	damos_quota_window(s, 1);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_16M);
	s->qs.charged_sz = MR;
	damos_quota_window(s, 1 + 99 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_16M);
	KUNIT_EXPECT_EQ(test, s->qs.charged_sz, MR);
	damos_quota_window(s, 1 + 100 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_32M);
	KUNIT_EXPECT_EQ(test, s->qs.charged_sz, 0UL);
	g->current_value = 19000;
	damos_quota_window(s, 1 + 200 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s),
			(unsigned long)SZ_32M / 10);

	/* With a size quota, goals start there and never go past it. */
	memset(&s->qs, 0, sizeof(s->qs));
	s->quota.sz = SZ_8M;
	g->current_value = 0;
	damos_quota_window(s, 1);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_8M);
	damos_quota_window(s, 1 + 100 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_8M);

	/* A time quota: a probe first, then the throughput seen. */
	damos_destroy_quota_goal(g);
	memset(&s->qs, 0, sizeof(s->qs));
	s->quota.sz = 0;
	s->quota.ms = 10;
	damos_quota_window(s, 1);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_1M);
	/* 4 MiB in 5 ms: 8 MiB fit in 10 ms. */
	damos_quota_charge(s, 0, SZ_4M, 5 * MS);
	damos_quota_window(s, 1 + 100 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_8M);
	/* The size quota caps it. */
	s->quota.sz = SZ_2M;
	damos_quota_window(s, 1 + 200 * MS);
	KUNIT_EXPECT_EQ(test, damos_effective_quota_sz(s), (unsigned long)SZ_2M);

	/* A reset interval of 0 makes every call a window. */
	s->quota.reset_interval = 0;
	s->qs.charged_sz = MR;
	damos_quota_window(s, 1 + 200 * MS);
	KUNIT_EXPECT_EQ(test, s->qs.charged_sz, 0UL);
	damos_destroy(s);
}

static void damos_test_spent(struct kunit *test)
{
	struct damos *s = damos_new(DAMOS_STAT, NULL, NULL, NULL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->qs.effective_sz = 10 * MR;
	s->qs.charged_sz = 9 * MR;
	KUNIT_EXPECT_FALSE(test, damos_quota_spent(s));
	/* Less than a region's minimum size left: spent. */
	s->qs.charged_sz = 9 * MR + 1;
	KUNIT_EXPECT_TRUE(test, damos_quota_spent(s));
	s->qs.charged_sz = 0;
	s->quota.ms = 2;
	s->qs.charged_ns = 2 * MS - 1;
	KUNIT_EXPECT_FALSE(test, damos_quota_spent(s));
	s->qs.charged_ns = 2 * MS;
	KUNIT_EXPECT_TRUE(test, damos_quota_spent(s));
	damos_destroy(s);
}

static void damos_test_threshold(struct kunit *test)
{
	struct damos *s = damos_new(DAMOS_STAT, NULL, NULL, NULL);
	struct damos_quota_state *qs;

	KUNIT_ASSERT_NOT_NULL(test, s);
	qs = &s->qs;
	qs->hist[99] = 10;
	qs->hist[50] = 20;
	qs->hist[10] = 30;

	qs->effective_sz = 25;
	damos_quota_threshold(s);
	KUNIT_EXPECT_EQ(test, qs->min_score, 50U);
	KUNIT_EXPECT_EQ(test, qs->min_score_left, 15UL);
	KUNIT_EXPECT_EQ(test, damos_quota_left(s, 99), 25UL);
	KUNIT_EXPECT_EQ(test, damos_quota_left(s, 50), 15UL);

	/* Exactly filled by the regions of a score: all of them fit. */
	qs->effective_sz = 30;
	damos_quota_threshold(s);
	KUNIT_EXPECT_EQ(test, qs->min_score, 50U);
	KUNIT_EXPECT_EQ(test, qs->min_score_left, 20UL);

	qs->effective_sz = 31;
	damos_quota_threshold(s);
	KUNIT_EXPECT_EQ(test, qs->min_score, 10U);
	KUNIT_EXPECT_EQ(test, qs->min_score_left, 1UL);
	damos_quota_charge(s, 10, 1, 0);
	KUNIT_EXPECT_EQ(test, damos_quota_left(s, 10), 0UL);
	KUNIT_EXPECT_EQ(test, damos_quota_left(s, 50), 30UL);

	/* Everything fits: no limit on any score. */
	qs->charged_sz = 0;
	qs->effective_sz = 61;
	damos_quota_threshold(s);
	KUNIT_EXPECT_EQ(test, qs->min_score, 0U);
	KUNIT_EXPECT_EQ(test, qs->min_score_left, ULONG_MAX);

	/* What was charged already counts. */
	qs->effective_sz = 40;
	qs->charged_sz = 15;
	damos_quota_threshold(s);
	KUNIT_EXPECT_EQ(test, qs->min_score, 50U);
	KUNIT_EXPECT_EQ(test, qs->min_score_left, 15UL);
	damos_destroy(s);
}

static void damos_test_scores(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_PAGEOUT);
	struct damon_region *busy = damon_new_region(0, MR);
	struct damon_region *idle = damon_new_region(0, MR);
	struct damon_region *big = damon_new_region(0, 1024 * MR);

	KUNIT_ASSERT_NOT_NULL(test, busy);
	KUNIT_ASSERT_NOT_NULL(test, idle);
	KUNIT_ASSERT_NOT_NULL(test, big);
	busy->nr_accesses = 20;
	busy->age = 100;
	idle->age = 100;
	big->age = 100;

	/* No weights: every region is as good as any other. */
	KUNIT_EXPECT_EQ(test, damos_cold_score(ctx, busy, s),
			damos_cold_score(ctx, idle, s));

	s->quota.weight_nr_accesses = 1;
	KUNIT_EXPECT_EQ(test, damos_hot_score(ctx, busy, s), 99U);
	KUNIT_EXPECT_EQ(test, damos_hot_score(ctx, idle, s), 0U);
	KUNIT_EXPECT_EQ(test, damos_cold_score(ctx, idle, s), 99U);
	/* pageout wants cold regions, hugepage hot ones. */
	KUNIT_EXPECT_EQ(test, damos_score(ctx, NULL, idle, s), 99U);
	s->action = DAMOS_HUGEPAGE;
	KUNIT_EXPECT_EQ(test, damos_score(ctx, NULL, busy, s), 99U);

	/* Age makes idle regions colder and busy ones hotter. */
	s->quota.weight_nr_accesses = 0;
	s->quota.weight_age = 1;
	KUNIT_EXPECT_GT(test, damos_hot_score(ctx, busy, s), 49U);
	KUNIT_EXPECT_LT(test, damos_hot_score(ctx, idle, s), 49U);
	idle->age = 1000;
	KUNIT_EXPECT_GT(test, damos_cold_score(ctx, idle, s),
			damos_cold_score(ctx, big, s));

	/* Size: larger is better, whatever the action. */
	s->quota.weight_age = 0;
	s->quota.weight_sz = 1;
	KUNIT_EXPECT_GT(test, damos_cold_score(ctx, big, s),
			damos_cold_score(ctx, idle, s));
	KUNIT_EXPECT_GT(test, damos_hot_score(ctx, big, s),
			damos_hot_score(ctx, idle, s));
	kfree(busy);
	kfree(idle);
	kfree(big);
}

/*
 * Four regions of 10 units, coldest first, and a quota of 15 units per
 * window that weighs access frequency only.
 */
static struct damos *damos_test_quota_setup(struct kunit *test,
					    struct damon_ctx *ctx,
					    struct damon_target **tp)
{
	static const unsigned int counts[] = { 0, 2, 4, 6 };
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_PAGEOUT);

	damon_test_add_regions(test, t, 0, 10 * MR, 4);
	damos_test_set_counts(t, counts, ARRAY_SIZE(counts));
	s->quota = (struct damos_quota){
		.sz = 15 * MR,
		.reset_interval = 1000,
		.weight_nr_accesses = 1,
	};
	*tp = t;
	return s;
}

static void damos_test_quota_choice(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t;
	struct damos *s = damos_test_quota_setup(test, ctx, &t);

	/* The coldest region whole, half of the next; the rest waits. */
	damos_apply_scheme(ctx, s, 0, 1);
	KUNIT_ASSERT_EQ(test, log.nr, 2U);
	KUNIT_EXPECT_EQ(test, log.start[0], 0UL);
	KUNIT_EXPECT_EQ(test, log.sz[0], 10 * MR);
	KUNIT_EXPECT_EQ(test, log.start[1], 10 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[1], 5 * MR);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 15 * MR);
	KUNIT_EXPECT_EQ(test, s->stat.qt_exceeds, 1UL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5U);

	/* Spent: nothing more in this window. */
	damos_apply_scheme(ctx, s, 0, 2);
	KUNIT_EXPECT_EQ(test, log.nr, 2U);

	/*
	 * The next window resumes where this one stopped, at the second
	 * half of the second region, even if the halves merged meanwhile,
	 * and the coldest region gets its turn again after it.
	 */
	damon_merge_two_regions(t, damon_test_region(test, t, 1),
				damon_test_region(test, t, 2));
	damos_apply_scheme(ctx, s, 0, 1 + 1000 * MS);
	KUNIT_ASSERT_EQ(test, log.nr, 4U);
	KUNIT_EXPECT_EQ(test, log.start[2], 15 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[2], 5 * MR);
	KUNIT_EXPECT_EQ(test, log.start[3], 0UL);
	KUNIT_EXPECT_EQ(test, log.sz[3], 10 * MR);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 30 * MR);
	KUNIT_EXPECT_EQ(test, s->stat.qt_exceeds, 2UL);
}

static void damos_test_quota_time(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t;
	struct damos *s = damos_test_quota_setup(test, ctx, &t);
	u64 before_last = 0;
	unsigned int i;

	/* 3 ms per region against 10 ms: the fourth region overruns. */
	s->quota = (struct damos_quota){ .ms = 10, .reset_interval = 1000 };
	s->qs.total_sz = 1000 * MR;
	s->qs.total_ns = 1;
	log.delay_us = 3000;
	damos_apply_scheme(ctx, s, 0, 1);
	KUNIT_ASSERT_GT(test, log.nr, 0U);
	for (i = 0; i + 1 < log.nr; i++)
		before_last += log.ns[i];
	/* Never past the quota by more than the last region's work. */
	KUNIT_EXPECT_LT(test, before_last, 10 * MS);
	KUNIT_EXPECT_GE(test, before_last + log.ns[log.nr - 1], 10 * MS);
	KUNIT_EXPECT_EQ(test, s->stat.qt_exceeds, 1UL);
	KUNIT_EXPECT_EQ(test, s->qs.resume_addr,
			log.start[log.nr - 1] + log.sz[log.nr - 1]);
}

/*
 * The rest of a region the quota cut short is tried first in the next
 * window, even after merging with the piece tried, whose age went back to
 * 0, has made it too young for the scheme.
 */
static void damos_test_quota_cut_rest(struct kunit *test)
{
	static const unsigned int counts[] = { 0, 0, 0, 0 };
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_PAGEOUT);
	struct damon_region *r;

	damon_test_add_regions(test, t, 0, 10 * MR, 4);
	damos_test_set_counts(t, counts, ARRAY_SIZE(counts));
	damon_for_each_region(r, t)
		r->age = 10;
	s->pattern.age.min = 8;
	s->quota = (struct damos_quota){
		.sz = 15 * MR,
		.reset_interval = 1000,
		.weight_age = 1,
	};

	damos_apply_scheme(ctx, s, 0, 1);
	KUNIT_ASSERT_EQ(test, log.nr, 2U);
	KUNIT_EXPECT_EQ(test, log.start[1], 10 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[1], 5 * MR);

	/* Age 0 and 10, half and half: 5, below the scheme's 8. */
	damon_merge_two_regions(t, damon_test_region(test, t, 1),
				damon_test_region(test, t, 2));
	KUNIT_ASSERT_EQ(test, damon_test_region(test, t, 1)->age, 5U);
	damos_apply_scheme(ctx, s, 0, 1 + 1000 * MS);
	KUNIT_ASSERT_EQ(test, log.nr, 4U);
	KUNIT_EXPECT_EQ(test, log.start[2], 15 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[2], 5 * MR);
	KUNIT_EXPECT_EQ(test, log.start[3], 20 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[3], 10 * MR);

	/* Nothing was cut: the next window goes on from 30 units. */
	damos_apply_scheme(ctx, s, 0, 1 + 2000 * MS);
	KUNIT_ASSERT_EQ(test, log.nr, 5U);
	KUNIT_EXPECT_EQ(test, log.start[4], 30 * MR);
	KUNIT_EXPECT_EQ(test, log.sz[4], 10 * MR);
}

static struct kunit_case damos_quota_cases[] = {
	KUNIT_CASE(damos_test_goal_feedback),
	KUNIT_CASE(damos_test_goals_score),
	KUNIT_CASE(damos_test_window),
	KUNIT_CASE(damos_test_spent),
	KUNIT_CASE(damos_test_threshold),
	KUNIT_CASE(damos_test_scores),
	KUNIT_CASE(damos_test_quota_choice),
	KUNIT_CASE(damos_test_quota_time),
	KUNIT_CASE(damos_test_quota_cut_rest),
	{}
};

static struct kunit_suite damos_quota_suite = {
	.name = "damon_schemes_quota",
	.test_cases = damos_quota_cases,
};

kunit_test_suite(damos_quota_suite);
