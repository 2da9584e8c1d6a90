// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of DAMON's adaptive regions adjustment: splitting, merging,
 * aging and the bounds on the number of regions, including arithmetic at
 * the edges of the address space.
 */

#include <linux/ktime.h>
#include <linux/limits.h>

#include "kunit_util.h"

static void damon_test_split_at(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r, *right;

	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	r = damon_first_region(t);
	r->nr_accesses = 3;
	r->last_nr_accesses = 2;
	r->age = 5;

	KUNIT_EXPECT_NULL(test, damon_split_region_at(t, r, 0));
	KUNIT_EXPECT_NULL(test, damon_split_region_at(t, r, 10 * MR));
	KUNIT_EXPECT_NULL(test, damon_split_region_at(t, r, ULONG_MAX));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);

	right = damon_split_region_at(t, r, 3 * MR);
	KUNIT_ASSERT_NOT_NULL(test, right);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_PTR_EQ(test, damon_next_region(r), right);
	KUNIT_EXPECT_EQ(test, r->ar.start, 0UL);
	KUNIT_EXPECT_EQ(test, r->ar.end, 3 * MR);
	KUNIT_EXPECT_EQ(test, right->ar.start, 3 * MR);
	KUNIT_EXPECT_EQ(test, right->ar.end, 10 * MR);
	KUNIT_EXPECT_EQ(test, right->nr_accesses, 3U);
	KUNIT_EXPECT_EQ(test, right->last_nr_accesses, 2U);
	KUNIT_EXPECT_EQ(test, right->age, 5U);
}

static void damon_test_split_evenly(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;

	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	r = damon_first_region(t);
	KUNIT_EXPECT_EQ(test, damon_split_region_evenly(t, r, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_split_region_evenly(t, r, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, damon_split_region_evenly(t, r, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);

	/* The remainder goes to the first pieces. */
	KUNIT_ASSERT_EQ(test, damon_split_region_evenly(t, r, 3), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_test_region(test, t, 0)),
			4 * MR);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_test_region(test, t, 1)),
			3 * MR);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 2)->ar.end, 10 * MR);

	/* An unaligned tail stays with the last piece. */
	r = damon_new_region(20 * MR, 24 * MR + 100);
	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_add_region(r, t);
	KUNIT_ASSERT_EQ(test, damon_split_region_evenly(t, r, 4), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 7U);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_test_region(test, t, 5)),
			MR);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_last_region(t)), MR + 100);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

static void damon_test_merge_two(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned long half = ALIGN_DOWN(ULONG_MAX / 2, MR);
	struct damon_region *l, *r;

	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	damon_test_add_regions(test, t, 10 * MR, 20 * MR, 1);
	l = damon_first_region(t);
	r = damon_last_region(t);
	l->nr_accesses = 10;
	r->nr_accesses = 40;
	l->last_nr_accesses = 0;
	r->last_nr_accesses = 30;
	l->age = 4;
	r->age = 1;

	/* (10 * 10 + 40 * 20) / 30 = 30, (0 + 600) / 30, (40 + 20) / 30 */
	damon_merge_two_regions(t, l, r);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, l->ar.start, 0UL);
	KUNIT_EXPECT_EQ(test, l->ar.end, 30 * MR);
	KUNIT_EXPECT_EQ(test, l->nr_accesses, 30U);
	KUNIT_EXPECT_EQ(test, l->last_nr_accesses, 20U);
	KUNIT_EXPECT_EQ(test, l->age, 2U);

	/*
	 * Ages round to the nearest, counts down: 1 MR of age 1 and count 1
	 * with 1 MR of age 0 and count 0 make age 1 (0.5 up), count 0; 2 MR
	 * of age 0 with 1 MR of age 1 make age 0 (1/3).
	 */
	damon_destroy_region(l, t);
	damon_test_add_regions(test, t, 0, MR, 3);
	l = damon_first_region(t);
	l->age = 1;
	l->nr_accesses = 1;
	damon_merge_two_regions(t, l, damon_test_region(test, t, 1));
	KUNIT_EXPECT_EQ(test, l->age, 1U);
	KUNIT_EXPECT_EQ(test, l->nr_accesses, 0U);
	l->age = 0;
	damon_last_region(t)->age = 1;
	damon_merge_two_regions(t, l, damon_last_region(t));
	KUNIT_EXPECT_EQ(test, l->age, 0U);

	/* Products of huge sizes and counts do not overflow. */
	damon_destroy_region(l, t);
	damon_test_add_regions(test, t, 0, half, 2);
	l = damon_first_region(t);
	r = damon_last_region(t);
	l->nr_accesses = UINT_MAX;
	r->nr_accesses = 0;
	l->age = UINT_MAX;
	r->age = UINT_MAX;
	damon_merge_two_regions(t, l, r);
	KUNIT_EXPECT_EQ(test, l->ar.end, 2 * half);
	KUNIT_EXPECT_EQ(test, l->nr_accesses, UINT_MAX / 2);
	KUNIT_EXPECT_EQ(test, l->age, UINT_MAX);
}

/* A target of one-MR regions whose access counts are @nrs. */
static struct damon_target *damon_test_counts(struct kunit *test,
					      struct damon_ctx *ctx,
					      const unsigned int *nrs,
					      unsigned int nr)
{
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;
	unsigned int i = 0;

	damon_test_add_regions(test, t, 0, MR, nr);
	damon_for_each_region(r, t)
		r->nr_accesses = nrs[i++];
	return t;
}

static void damon_test_merge_threshold(struct kunit *test)
{
	static const unsigned int nrs[] = { 0, 2, 4, 5, 9 };
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_counts(test, ctx, nrs, 5);
	struct damon_region *r;

	/* Differences of exactly the threshold merge; one more does not. */
	damon_merge_regions_of(t, 2, ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	r = damon_test_region(test, t, 0);
	KUNIT_EXPECT_EQ(test, r->ar.end, 2 * MR);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 1U);
	r = damon_test_region(test, t, 1);
	KUNIT_EXPECT_EQ(test, r->ar.end, 4 * MR);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 4U);
	r = damon_test_region(test, t, 2);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 9U);

	damon_merge_regions_of(t, 0, ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	damon_merge_regions_of(t, UINT_MAX, ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->ar.end, 5 * MR);
}

static void damon_test_merge_size_limit(struct kunit *test)
{
	static const unsigned int zeros[] = { 0, 0, 0, 0 };
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_counts(test, ctx, zeros, 4);
	struct damon_region *r;

	damon_merge_regions_of(t, 0, 2 * MR - 1, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);

	/* A merged region of exactly the limit is allowed. */
	damon_merge_regions_of(t, 0, 2 * MR, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->ar.end, 2 * MR);

	damon_merge_regions_of(t, 0, 3 * MR, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	damon_merge_regions_of(t, 0, 4 * MR, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);

	/* Regions that do not touch are never merged. */
	r = damon_new_region(5 * MR, 6 * MR);
	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_add_region(r, t);
	damon_merge_regions_of(t, UINT_MAX, ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);

	/* The limit of a context: its size over min_nr_regions. */
	ctx->attrs.min_nr_regions = 5;
	KUNIT_EXPECT_EQ(test, damon_ctx_sz_monitored(ctx), 5 * MR);
	KUNIT_EXPECT_EQ(test, damon_merge_sz_limit(ctx), MR);
	ctx->attrs.min_nr_regions = 50;
	KUNIT_EXPECT_EQ(test, damon_merge_sz_limit(ctx), MR);
	ctx->attrs.min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, damon_merge_sz_limit(ctx), 5 * MR / 2);
}

static void damon_test_aging(struct kunit *test)
{
	struct damon_region r = { .nr_accesses = 5, .last_nr_accesses = 5,
				  .age = 3 };
	struct damon_ctx *ctx = damon_test_new_ctx(test);

	damon_update_age(&r, 1, 0);
	KUNIT_EXPECT_EQ(test, r.age, 4U);
	r.last_nr_accesses = 6;
	damon_update_age(&r, 1, 0);
	KUNIT_EXPECT_EQ(test, r.age, 5U);
	r.last_nr_accesses = 3;
	damon_update_age(&r, 1, 0);
	KUNIT_EXPECT_EQ(test, r.age, 0U);
	r.last_nr_accesses = 8;
	r.age = 7;
	damon_update_age(&r, 3, 0);
	KUNIT_EXPECT_EQ(test, r.age, 8U);
	damon_update_age(&r, 2, 0);
	KUNIT_EXPECT_EQ(test, r.age, 0U);
	r.age = UINT_MAX;
	r.last_nr_accesses = r.nr_accesses;
	damon_update_age(&r, 0, 0);
	KUNIT_EXPECT_EQ(test, r.age, UINT_MAX);

	/*
	 * Over 20 samples, counts within twice the sampling noise are the
	 * same frequency, though further apart than the threshold: 20 and
	 * 17 ((20 - 17)^2 = 9 <= 2 * 37 * 3 / 20), but not 20 and 14
	 * (36 > 2 * 34 * 6 / 20), nor 0 and 3.
	 */
	r.age = 4;
	r.last_nr_accesses = 20;
	r.nr_accesses = 17;
	damon_update_age(&r, 2, 20);
	KUNIT_EXPECT_EQ(test, r.age, 5U);
	r.nr_accesses = 14;
	damon_update_age(&r, 2, 20);
	KUNIT_EXPECT_EQ(test, r.age, 0U);
	r.age = 4;
	r.last_nr_accesses = 0;
	r.nr_accesses = 3;
	damon_update_age(&r, 2, 20);
	KUNIT_EXPECT_EQ(test, r.age, 0U);

	/* The threshold: a tenth of the samples per aggregation, at least 1. */
	KUNIT_EXPECT_EQ(test, damon_merge_threshold(ctx), 2U);
	ctx->attrs.aggr_interval = ctx->attrs.sample_interval;
	KUNIT_EXPECT_EQ(test, damon_merge_threshold(ctx), 1U);
	ctx->attrs.sample_interval = 1;
	ctx->attrs.aggr_interval = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damon_merge_threshold(ctx), INT_MAX / 10U);
}

/* Counts within twice their sampling noise of each other are alike. */
static void damon_test_counts_alike(struct kunit *test)
{
	static const unsigned int counts[] = { 13, 17, 0, 3 };
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;
	unsigned int i;

	/* 20 samples: diff^2 <= 2 * (a + b) * (40 - a - b) / 20. */
	KUNIT_EXPECT_TRUE(test, damon_counts_alike(13, 17, 20));
	KUNIT_EXPECT_TRUE(test, damon_counts_alike(10, 16, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(10, 17, 20));
	KUNIT_EXPECT_TRUE(test, damon_counts_alike(17, 20, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(16, 20, 20));
	KUNIT_EXPECT_TRUE(test, damon_counts_alike(5, 1, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(6, 1, 20));
	/* Not a single access is never noise; neither are impossible counts. */
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(0, 1, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(1, 0, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(20, 20, 20));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(1, 1, 0));
	/* Large counts do not overflow. */
	KUNIT_EXPECT_TRUE(test, damon_counts_alike(INT_MAX / 2, INT_MAX / 2,
						   INT_MAX));
	KUNIT_EXPECT_FALSE(test, damon_counts_alike(1, INT_MAX - 1, INT_MAX));

	/* Merging: 13 and 17 merge for 20 samples, not with threshold 2. */
	damon_test_add_regions(test, t, 0, 4 * MR, 4);
	i = 0;
	damon_for_each_region(r, t)
		r->nr_accesses = counts[i++];
	damon_merge_regions_of(t, 2, ULONG_MAX, 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);
	damon_merge_regions_of(t, 2, ULONG_MAX, 20);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->nr_accesses, 15U);
}

/* Make @t hold @nr regions of @sz bytes from address 0, and nothing else. */
static void damon_test_reset(struct kunit *test, struct damon_target *t,
			     unsigned long sz, unsigned int nr)
{
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	damon_test_add_regions(test, t, 0, sz, nr);
}

/* Set the attributes the split and merge functions look at. */
static void damon_test_limits(struct damon_ctx *ctx, unsigned long min,
			      unsigned long max)
{
	ctx->attrs.min_nr_regions = min;
	ctx->attrs.max_nr_regions = max;
}

static void damon_test_split_bounds(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned int i;

	/* Few regions compared to max: three pieces each. */
	damon_test_limits(ctx, 3, 10);
	damon_test_reset(test, t, 100 * MR, 1);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);

	/* Up to max / 2: two pieces each. */
	damon_test_reset(test, t, 100 * MR, 3);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);
	damon_test_reset(test, t, 100 * MR, 4);
	damon_test_limits(ctx, 3, 9);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 8U);

	/* Above max / 2: no split, unless below min, and then just to min. */
	damon_test_limits(ctx, 3, 10);
	damon_test_reset(test, t, 100 * MR, 6);
	for (i = 0; i < 5; i++)
		damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);
	damon_test_limits(ctx, 8, 10);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 8U);
	damon_test_limits(ctx, 8, 8);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 8U);

	/* Far below min: enough pieces to reach it, but never above max. */
	damon_test_limits(ctx, 10, 10);
	damon_test_reset(test, t, 100 * MR, 2);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 10U);
	damon_test_limits(ctx, 3, 10);
	damon_test_reset(test, t, 100 * MR, 11);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 11U);

	/* Repeated random splits of all sizes stay within max. */
	damon_test_limits(ctx, 3, 50);
	damon_test_reset(test, t, 1000 * MR, 1);
	for (i = 0; i < 20; i++) {
		damon_split_regions(ctx);
		KUNIT_EXPECT_LE(test, damon_nr_regions(t), 50U);
	}
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->ar.start, 0UL);
	KUNIT_EXPECT_EQ(test, damon_last_region(t)->ar.end, 1000 * MR);
}

static void damon_test_split_small(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;
	unsigned int i;

	/* Regions of one MR, or less, are never cut. */
	damon_test_add_regions(test, t, 0, MR, 3);
	r = damon_new_region(3 * MR, 3 * MR + 1);
	KUNIT_ASSERT_NOT_NULL(test, r);
	damon_add_region(r, t);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);

	/* Two-MR regions are cut in exactly two, never into empty pieces. */
	damon_test_add_regions(test, t, 4 * MR, 2 * MR, 2);
	for (i = 0; i < 5; i++)
		damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 8U);
	damon_for_each_region(r, t)
		KUNIT_EXPECT_GT(test, damon_sz_region(r), 0UL);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, 1));
}

/* Mark the hot window of a region found accessed @nr times, then split. */
static void damon_test_hit_split(struct damon_ctx *ctx, struct damon_region *r,
				 unsigned int nr, unsigned long hit)
{
	r->nr_accesses = nr;
	r->hit_addr = hit;
	damon_mark_hot_windows(ctx);
	damon_split_regions(ctx);
}

/* Where an access was seen in a mostly idle region, it is cut around it. */
static void damon_test_split_around_hit(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	unsigned long piece = 1600 / samples;
	struct damon_region *r;

	/* One access in @samples: 1 / @samples of it, centred on the access. */
	KUNIT_ASSERT_EQ(test, 1600 % samples, 0UL);
	damon_test_limits(ctx, 3, 1000);
	damon_test_add_regions(test, t, 0, 1600 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), 1, 1000 * MR + 7);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3U);
	r = damon_test_region(test, t, 1);
	KUNIT_EXPECT_EQ(test, r->ar.start, (1000 - piece / 2) * MR);
	KUNIT_EXPECT_EQ(test, r->ar.end, (1000 - piece / 2 + piece) * MR);
	damon_for_each_region(r, t) {
		KUNIT_EXPECT_EQ(test, r->hit_addr, ULONG_MAX);
		KUNIT_EXPECT_EQ(test, r->hit_units, 0U);
	}

	/* Twice the accesses, twice the window. */
	damon_test_reset(test, t, 1600 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), 2, 1000 * MR);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_test_region(test, t, 1)),
			2 * piece * MR);

	/* Near an edge the window stays inside: two pieces. */
	damon_test_reset(test, t, 1600 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), 1, 1599 * MR);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, damon_last_region(t)->ar.start,
			(1600 - piece) * MR);
	damon_test_reset(test, t, 1600 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), 1, 0);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->ar.end, piece * MR);

	/* The window survives a merge into an idle neighbour. */
	damon_test_reset(test, t, 800 * MR, 2);
	r = damon_first_region(t);
	r->nr_accesses = 1;
	r->hit_addr = 700 * MR;
	damon_mark_hot_windows(ctx);
	damon_merge_regions(ctx, 2, ULONG_MAX);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 1U);
	damon_split_regions(ctx);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_EQ(test, damon_sz_region(damon_test_region(test, t, 1)),
			piece / 2 * MR);

	/* A region found accessed most of the time is cut at random. */
	damon_test_reset(test, t, 1600 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), samples, 1000 * MR);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* So is a region whose accessed address lies outside it. */
	damon_test_reset(test, t, 16 * MR, 2);
	damon_test_hit_split(ctx, damon_first_region(t), 1, 20 * MR);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);

	/* Tiny regions: a window of at least one MR, never an empty piece. */
	damon_test_reset(test, t, 2 * MR, 1);
	damon_test_hit_split(ctx, damon_first_region(t), 1, MR);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

/*
 * A mostly idle region that saw about as many accesses in the interval
 * before gets no window: its accesses are spread over it.
 */
static void damon_test_hits_spread(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned int thres = damon_merge_threshold(ctx);
	struct damon_region *r;

	damon_test_add_regions(test, t, 0, 1600 * MR, 1);
	r = damon_first_region(t);

	/* Accessed as often as before: spread, no window. */
	r->last_nr_accesses = 3;
	r->nr_accesses = 3 + thres;
	r->hit_addr = 1000 * MR;
	damon_update_age(r, thres, 0);
	KUNIT_EXPECT_EQ(test, r->age, 1U);
	damon_mark_hot_windows(ctx);
	KUNIT_EXPECT_EQ(test, r->hit_units, 0U);

	/* One more access than that: a change, so a window. */
	r->age = 0;
	r->last_nr_accesses = 3;
	r->nr_accesses = 4 + thres;
	damon_update_age(r, thres, 0);
	KUNIT_EXPECT_EQ(test, r->age, 0U);
	damon_mark_hot_windows(ctx);
	KUNIT_EXPECT_NE(test, r->hit_units, 0U);

	/* Idle before: the accesses are new, so a window, whatever the age. */
	r->age = 5;
	r->last_nr_accesses = 0;
	r->nr_accesses = 1;
	damon_update_age(r, thres, 0);
	KUNIT_EXPECT_EQ(test, r->age, 6U);
	damon_mark_hot_windows(ctx);
	KUNIT_EXPECT_NE(test, r->hit_units, 0U);
}

/* Give each region of @t the access history of a settled one. */
static void damon_test_settle(struct damon_target *t, unsigned int age,
			      unsigned int last)
{
	struct damon_region *r;

	damon_for_each_region(r, t) {
		r->age = age;
		r->last_nr_accesses = last;
	}
}

/*
 * Regions long uniformly hot are not cut, regions long idle are cut in
 * two at most, while the context has at least min_nr_regions.
 */
static void damon_test_split_settled(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned int samples = damon_aggr_samples(&ctx->attrs);

	damon_test_limits(ctx, 2, 100);

	/* Idle: two pieces from the settled age on, three before. */
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 2, 0);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 1, 0);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);

	/* Hot in every sample: left whole; one sample fewer: three pieces. */
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 2, samples);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 2, samples - 1);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 1, samples);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);

	/* Below min_nr_regions, settled regions are cut as any other. */
	damon_test_limits(ctx, 3, 100);
	damon_test_reset(test, t, 100 * MR, 2);
	damon_test_settle(t, 2, samples);
	damon_split_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 6U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

/* Splits and merges keep the accessed address with the region holding it. */
static void damon_test_hit_kept(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *l, *r;

	damon_test_add_regions(test, t, 0, 10 * MR, 2);
	l = damon_first_region(t);
	r = damon_last_region(t);
	KUNIT_EXPECT_EQ(test, l->hit_addr, ULONG_MAX);
	l->sampling_addr = 3 * MR;
	damon_region_accessed(l);
	KUNIT_EXPECT_EQ(test, l->nr_accesses, 1U);
	KUNIT_EXPECT_EQ(test, l->hit_addr, 3 * MR);
	l->hit_units = 1;
	r->hit_addr = 15 * MR;
	r->hit_units = 2;
	damon_merge_two_regions(t, l, r);
	KUNIT_EXPECT_EQ(test, l->hit_addr, 3 * MR);
	KUNIT_EXPECT_EQ(test, l->hit_units, 1U);

	l->hit_addr = ULONG_MAX;
	l->hit_units = 0;
	r = damon_split_region_at(t, l, 10 * MR);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->hit_addr = 12 * MR;
	r->hit_units = 2;
	damon_merge_two_regions(t, l, r);
	KUNIT_EXPECT_EQ(test, l->hit_addr, 12 * MR);
	KUNIT_EXPECT_EQ(test, l->hit_units, 2U);
	r = damon_split_region_at(t, l, 5 * MR);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->hit_addr, 12 * MR);
	KUNIT_EXPECT_EQ(test, r->hit_units, 2U);
}

static void damon_test_initial_split(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_target *t2;

	damon_test_limits(ctx, 10, 1000);
	damon_test_reset(test, t, 100 * MR, 1);
	damon_initial_split(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 10U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
	KUNIT_EXPECT_EQ(test, damon_last_region(t)->ar.end, 100 * MR);

	/* A size that does not divide: one more piece, all within the limit. */
	damon_test_limits(ctx, 3, 1000);
	damon_test_reset(test, t, 10 * MR, 1);
	damon_initial_split(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* Too small for min_nr_regions: as many one-MR pieces as fit. */
	damon_test_limits(ctx, 10, 1000);
	damon_test_reset(test, t, 2 * MR, 1);
	damon_initial_split(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* Targets get shares in proportion to their sizes. */
	damon_test_reset(test, t, 90 * MR, 1);
	t2 = damon_test_new_target(test, ctx);
	damon_test_add_regions(test, t2, 0, 10 * MR, 1);
	damon_initial_split(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 9U);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t2), 1U);
	damon_destroy_target(t2);

	/* Never above max_nr_regions. */
	damon_test_limits(ctx, 12, 12);
	damon_test_reset(test, t, 10 * MR, 10);
	damon_initial_split(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 12U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* The whole address space. */
	damon_test_limits(ctx, 3, 1000);
	damon_test_reset(test, t, ALIGN_DOWN(ULONG_MAX, MR), 1);
	damon_initial_split(ctx);
	KUNIT_EXPECT_GE(test, damon_nr_regions(t), 3U);
	KUNIT_EXPECT_LE(test, damon_nr_regions(t), 4U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

/* Give @ctx's regions random counts of up to @max accesses. */
static void damon_test_randomize(struct damon_ctx *ctx, unsigned int max)
{
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->nr_accesses = damon_rand(0, max + 1);
}

/* Whether @ctx has between @min and @max sane regions covering @sz bytes. */
static bool damon_test_ctx_ok(struct damon_ctx *ctx, unsigned long min,
			      unsigned long max, unsigned long sz)
{
	unsigned long nr = damon_ctx_nr_regions(ctx);
	struct damon_target *t;

	damon_for_each_target(t, ctx)
		if (!damon_test_regions_sane(t, MR))
			return false;
	return nr >= min && nr <= max && damon_ctx_sz_monitored(ctx) == sz;
}

static void damon_test_adapt_bounds(struct kunit *test)
{
	static const unsigned long limits[][2] = {
		{ 10, 1000 }, { 10, 50 }, { 10, 10 }, { 3, 7 }, { 20, 100 },
	};
	unsigned int i, round;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		struct damon_ctx *ctx = damon_test_new_ctx(test);
		struct damon_target *t = damon_test_new_target(test, ctx);
		struct damon_target *t2 = damon_test_new_target(test, ctx);

		ctx->attrs.min_nr_regions = limits[i][0];
		ctx->attrs.max_nr_regions = limits[i][1];
		damon_test_add_regions(test, t, 0, 700 * MR, 1);
		damon_test_add_regions(test, t2, 0, 300 * MR, 1);
		damon_initial_split(ctx);
		for (round = 0; round < 100; round++) {
			bool ok;

			damon_test_randomize(ctx, 20);
			damon_adapt_regions(ctx);
			ok = damon_test_ctx_ok(ctx, limits[i][0], limits[i][1],
					       1000 * MR);
			KUNIT_ASSERT_TRUE_MSG(test, ok,
					      "min %lu max %lu round %u: %lu regions",
					      limits[i][0], limits[i][1], round,
					      damon_ctx_nr_regions(ctx));
		}
	}
}

static void damon_test_adapt_too_many(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;
	unsigned int i = 0;

	/* 100 regions whose counts alternate between 0 and all samples. */
	damon_test_add_regions(test, t, 0, MR, 100);
	damon_for_each_region(r, t)
		r->nr_accesses = (i++ % 2) * 20;
	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 7;
	damon_adapt_regions(ctx);
	KUNIT_EXPECT_TRUE(test, damon_test_ctx_ok(ctx, 3, 7, 100 * MR));

	/* Separate ranges beyond max_nr_regions cannot be merged. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	for (i = 0; i < 10; i++)
		damon_test_add_regions(test, t, 2 * i * MR, MR, 1);
	damon_adapt_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 10U);
}

static void damon_test_adapt_extremes(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned long top = ALIGN_DOWN(ULONG_MAX, MR);
	unsigned int round;

	/* Huge aggregation/sampling ratio and the top of the address space. */
	ctx->attrs.sample_interval = 1;
	ctx->attrs.aggr_interval = ULONG_MAX;
	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 20;
	damon_test_add_regions(test, t, top - 64 * MR, MR, 64);
	damon_initial_split(ctx);
	for (round = 0; round < 20; round++) {
		damon_test_randomize(ctx, UINT_MAX - 1);
		damon_adapt_regions(ctx);
		KUNIT_ASSERT_TRUE(test, damon_test_ctx_ok(ctx, 3, 20, 64 * MR));
	}
	KUNIT_EXPECT_EQ(test, damon_last_region(t)->ar.end, top);

	/* A ratio of 1 and the whole address space. */
	ctx->attrs.aggr_interval = 1;
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, &(struct damon_addr_range){
				0, ULONG_MAX }, 1), 0);
	damon_initial_split(ctx);
	for (round = 0; round < 20; round++) {
		damon_test_randomize(ctx, 1);
		damon_adapt_regions(ctx);
		KUNIT_ASSERT_TRUE(test, damon_test_ctx_ok(ctx, 3, 20, top));
	}

	/* Regions smaller than DAMON_MIN_REGION stay as they are. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	damon_test_add_regions(test, t, 0, 5, 2);
	damon_test_add_regions(test, t, 10, 1, 1);
	KUNIT_ASSERT_EQ(test, damon_nr_regions(t), 3U);
	damon_initial_split(ctx);
	damon_adapt_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	KUNIT_EXPECT_EQ(test, damon_first_region(t)->ar.end, 11UL);
}

/*
 * An operations update that added one large region leaves few regions after
 * the merge; random cuts cannot bring them back to min_nr_regions when the
 * large region holds a hot window (at most three pieces) and the others are
 * two DAMON_MIN_REGION small.  The split must still reach the minimum.
 */
static void damon_test_adapt_short_of_min(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;

	ctx->attrs.min_nr_regions = 20;
	ctx->attrs.max_nr_regions = 100;
	damon_test_add_regions(test, t, 0, 2 * MR, 3);
	damon_test_add_regions(test, t, 6 * MR, 100 * MR, 1);
	damon_for_each_region(r, t)
		r->nr_accesses = damon_aggr_samples(&ctx->attrs);
	r = damon_last_region(t);
	r->nr_accesses = 1;
	r->hit_addr = r->ar.start + 50 * MR;
	damon_adapt_regions(ctx);
	KUNIT_EXPECT_TRUE_MSG(test, damon_test_ctx_ok(ctx, 20, 100, 106 * MR),
			      "%lu regions", damon_ctx_nr_regions(ctx));
}

/* Ranges that shrink or grow, and bounds that change, between aggregations. */
static void damon_test_fit_nr_regions(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_addr_range range = { 0, 10 * MR };
	struct damon_region *r;
	unsigned int i = 0;

	ctx->attrs.min_nr_regions = 10;
	ctx->attrs.max_nr_regions = 30;
	damon_test_add_regions(test, t, 0, MR, 100);
	damon_fit_nr_regions(ctx);
	KUNIT_EXPECT_TRUE(test, damon_test_ctx_ok(ctx, 10, 30, 100 * MR));

	/* The ranges shrank to one region's worth: cut it evenly. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	damon_test_add_regions(test, t, 10 * MR, 90 * MR, 1);
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, &range, 1), 0);
	damon_fit_nr_regions(ctx);
	KUNIT_EXPECT_TRUE(test, damon_test_ctx_ok(ctx, 10, 30, 10 * MR));

	/* A lower maximum merges at once, whatever the counts. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	damon_test_add_regions(test, t, 0, MR, 30);
	damon_for_each_region(r, t)
		r->nr_accesses = (i++ % 2) * 20;
	ctx->attrs.min_nr_regions = 3;
	ctx->attrs.max_nr_regions = 7;
	damon_fit_nr_regions(ctx);
	KUNIT_EXPECT_TRUE(test, damon_test_ctx_ok(ctx, 3, 7, 30 * MR));

	/* Within bounds: nothing changes, even with a large region. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
	damon_test_add_regions(test, t, 0, MR, 3);
	damon_test_add_regions(test, t, 3 * MR, 100 * MR, 1);
	damon_fit_nr_regions(ctx);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);
}

/* Measure one aggregation pass (merge and split) at 1,000 regions. */
static void damon_test_adapt_cost(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	u64 ns_random = 0, ns_distinct = 0;
	const unsigned int rounds = 5;
	struct damon_region *r;
	unsigned int round, i;
	u64 start;

	for (round = 0; round < rounds; round++) {
		KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
		damon_test_add_regions(test, t, 0, 16 * MR, 1000);
		damon_test_randomize(ctx, 20);
		start = ktime_get_ns();
		damon_adapt_regions(ctx);
		ns_random += ktime_get_ns() - start;

		/* Counts that never merge: the pass only walks. */
		KUNIT_ASSERT_EQ(test, damon_set_regions(t, NULL, 0), 0);
		damon_test_add_regions(test, t, 0, 16 * MR, 1000);
		i = 0;
		damon_for_each_region(r, t)
			r->nr_accesses = (i++ % 2) * 20;
		start = ktime_get_ns();
		damon_adapt_regions(ctx);
		ns_distinct += ktime_get_ns() - start;
		KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1000U);
	}
	kunit_info(test,
		   "one aggregation pass at 1000 regions: %llu ns (random counts), %llu ns (no merge)\n",
		   ns_random / rounds, ns_distinct / rounds);
}

static struct kunit_case damon_regions_cases[] = {
	KUNIT_CASE(damon_test_split_at),
	KUNIT_CASE(damon_test_split_evenly),
	KUNIT_CASE(damon_test_merge_two),
	KUNIT_CASE(damon_test_merge_threshold),
	KUNIT_CASE(damon_test_merge_size_limit),
	KUNIT_CASE(damon_test_counts_alike),
	KUNIT_CASE(damon_test_aging),
	KUNIT_CASE(damon_test_split_bounds),
	KUNIT_CASE(damon_test_split_small),
	KUNIT_CASE(damon_test_split_around_hit),
	KUNIT_CASE(damon_test_hit_kept),
	KUNIT_CASE(damon_test_hits_spread),
	KUNIT_CASE(damon_test_split_settled),
	KUNIT_CASE(damon_test_initial_split),
	KUNIT_CASE(damon_test_adapt_bounds),
	KUNIT_CASE(damon_test_adapt_too_many),
	KUNIT_CASE(damon_test_adapt_extremes),
	KUNIT_CASE(damon_test_adapt_short_of_min),
	KUNIT_CASE(damon_test_fit_nr_regions),
	KUNIT_CASE(damon_test_adapt_cost),
	{}
};

static struct kunit_suite damon_regions_suite = {
	.name = "damon_regions",
	.test_cases = damon_regions_cases,
};

kunit_test_suite(damon_regions_suite);
