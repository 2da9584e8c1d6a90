// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the DAMOS parts that decide whether a scheme acts at
 * all: watermark activation at the marks, the kdamond's rest while every
 * scheme is off, and the address and target filters of the core, which
 * cut regions at the filter's edges.
 */

#include "schemes_kunit_util.h"

static void damos_test_wmarks_decide(struct kunit *test)
{
	struct damos_watermarks wm = {
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.high = 600, .mid = 500, .low = 300,
	};

	KUNIT_EXPECT_FALSE(test, damos_wmarks_decide(&wm, true, 601));
	KUNIT_EXPECT_FALSE(test, damos_wmarks_decide(&wm, true, 299));
	/* The marks themselves are inside the band. */
	KUNIT_EXPECT_TRUE(test, damos_wmarks_decide(&wm, false, 300));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_decide(&wm, false, 499));
	/* Between mid and high the state holds. */
	KUNIT_EXPECT_FALSE(test, damos_wmarks_decide(&wm, false, 500));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_decide(&wm, true, 500));
	KUNIT_EXPECT_TRUE(test, damos_wmarks_decide(&wm, true, 600));
	KUNIT_EXPECT_FALSE(test, damos_wmarks_decide(&wm, false, 600));
	wm.metric = DAMOS_WMARK_NONE;
	KUNIT_EXPECT_TRUE(test, damos_wmarks_decide(&wm, false, 1000));
}

static void damos_test_wmarks_update(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	unsigned long rate = damos_wmark_metric_value(DAMOS_WMARK_FREE_MEM_RATE);
	struct damos *s;

	KUNIT_EXPECT_LE(test, rate, 1000UL);
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 1), 0UL);

	s = damos_test_scheme(test, ctx, DAMOS_STAT);
	s->wmarks = (struct damos_watermarks){
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.interval = 5000,
		.high = 1000,
		.mid = 0,
	};
	/* Above mid, starting off: stays off; rest until the next check. */
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 1000), 5000UL);
	KUNIT_EXPECT_FALSE(test, s->active);
	s->wmarks.mid = 1000;
	/* Not checked again before its interval... */
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 1000 + 2000 * 1000),
			3000UL);
	/* ...and then on. */
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 1000 + 5000 * 1000),
			0UL);
	KUNIT_EXPECT_TRUE(test, s->active);

	/* Long intervals: the rest is cut to a tenth of a second. */
	s->wmarks.mid = 0;
	s->wmarks.high = 0;
	s->wmarks.interval = 3600UL * USEC_PER_SEC;
	s->next_wmark_check_ns = 0;
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 1), 100000UL);
	KUNIT_EXPECT_FALSE(test, s->active);

	/* One scheme without a metric keeps the kdamond monitoring. */
	damos_test_scheme(test, ctx, DAMOS_STAT);
	KUNIT_EXPECT_EQ(test, damos_wmarks_update(ctx, 2), 0UL);
}

static void damos_test_addr_filter(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_PAGEOUT);
	struct damos_filter *f = damos_new_filter(DAMOS_FILTER_ADDR, true);
	struct damon_region *r;

	KUNIT_ASSERT_NOT_NULL(test, f);
	/* Edges are rounded down to the region granularity. */
	f->addr_range = (struct damon_addr_range){ 3 * MR + 1, 6 * MR + 1 };
	damos_add_filter(s, f);
	damon_test_add_regions(test, t, 0, 10 * MR, 1);
	r = damon_first_region(t);

	/* Cut at the start: the piece before is outside, not excluded. */
	KUNIT_EXPECT_FALSE(test, damos_core_filters_out(s, t, 0, r));
	KUNIT_EXPECT_EQ(test, r->ar.end, 3 * MR);
	r = damon_next_region(r);
	/* Cut at the end: the piece inside is excluded. */
	KUNIT_EXPECT_TRUE(test, damos_core_filters_out(s, t, 0, r));
	KUNIT_EXPECT_EQ(test, r->ar.start, 3 * MR);
	KUNIT_EXPECT_EQ(test, r->ar.end, 6 * MR);
	r = damon_next_region(r);
	KUNIT_EXPECT_FALSE(test, damos_core_filters_out(s, t, 0, r));
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);

	/* Not matching: everything but the range is excluded. */
	f->matching = false;
	r = damon_first_region(t);
	KUNIT_EXPECT_TRUE(test, damos_core_filters_out(s, t, 0, r));
	r = damon_next_region(r);
	KUNIT_EXPECT_FALSE(test, damos_core_filters_out(s, t, 0, r));

	/* Through the apply loop: exactly the range is left alone. */
	f->matching = true;
	damos_apply_scheme(ctx, s, 0, 1);
	KUNIT_ASSERT_EQ(test, log.nr, 2U);
	KUNIT_EXPECT_EQ(test, log.start[0], 0UL);
	KUNIT_EXPECT_EQ(test, log.sz[0], 3 * MR);
	KUNIT_EXPECT_EQ(test, log.start[1], 6 * MR);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 7 * MR);
}

static void damos_test_target_filter(struct kunit *test)
{
	struct damos_test_ops_log log;
	struct damon_ctx *ctx = damos_test_ctx(test, &log);
	struct damon_target *t0 = damon_test_new_target(test, ctx);
	struct damon_target *t1 = damon_test_new_target(test, ctx);
	struct damos *s = damos_test_scheme(test, ctx, DAMOS_STAT);
	struct damos_filter *f = damos_new_filter(DAMOS_FILTER_TARGET, true);
	struct damon_region *r;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->target_idx = 1;
	damos_add_filter(s, f);
	damon_test_add_regions(test, t0, 0, MR, 2);
	damon_test_add_regions(test, t1, 0, MR, 3);

	/* Filtered-out memory is not even tried. */
	damos_apply_scheme(ctx, s, 0, 1);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 2UL);
	f->matching = false;
	damos_apply_scheme(ctx, s, 0, 2);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 5UL);

	/* Page filters are for the operations set: the core lets them by. */
	f->type = DAMOS_FILTER_ANON;
	r = damon_first_region(t0);
	KUNIT_EXPECT_FALSE(test, damos_core_filters_out(s, t0, 0, r));
}

static void damos_test_memcg_path(struct kunit *test)
{
	struct damos_filter *f = damos_new_filter(DAMOS_FILTER_MEMCG, true);

	KUNIT_ASSERT_NOT_NULL(test, f);
	if (!IS_ENABLED(CONFIG_MEMCG)) {
		KUNIT_EXPECT_EQ(test, damos_filter_set_memcg_path(f, "/"),
				-EOPNOTSUPP);
	} else {
		KUNIT_EXPECT_EQ(test,
				damos_filter_set_memcg_path(f, "/no/such/cg"),
				-ENOENT);
		f->type = DAMOS_FILTER_ANON;
		KUNIT_EXPECT_EQ(test, damos_filter_set_memcg_path(f, "/"),
				-EINVAL);
	}
	damos_destroy_filter(f);
}

static struct kunit_case damos_filter_cases[] = {
	KUNIT_CASE(damos_test_wmarks_decide),
	KUNIT_CASE(damos_test_wmarks_update),
	KUNIT_CASE(damos_test_addr_filter),
	KUNIT_CASE(damos_test_target_filter),
	KUNIT_CASE(damos_test_memcg_path),
	{}
};

static struct kunit_suite damos_filter_suite = {
	.name = "damon_schemes_wmark_filter",
	.test_cases = damos_filter_cases,
};

kunit_test_suite(damos_filter_suite);
