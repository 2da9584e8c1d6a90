// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites of the DAMON data model: contexts, targets, regions,
 * damon_set_regions(), attributes, the operations registry and the random
 * helper.
 */

#include <linux/limits.h>

#include "kunit_util.h"

static void damon_test_model(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t;
	struct damon_region *r;

	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 5000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 100000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.ops_update_interval, 1000000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.min_nr_regions, 10UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.max_nr_regions, 1000UL);
	KUNIT_EXPECT_FALSE(test, damon_is_running(ctx));
	KUNIT_EXPECT_TRUE(test, damon_targets_empty(ctx));

	t = damon_test_new_target(test, ctx);
	KUNIT_EXPECT_FALSE(test, damon_targets_empty(ctx));
	KUNIT_EXPECT_NULL(test, t->pid);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 0U);

	damon_test_add_regions(test, t, 0, MR, 3);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 3U);
	r = damon_test_region(test, t, 1);
	KUNIT_EXPECT_EQ(test, r->ar.start, MR);
	KUNIT_EXPECT_EQ(test, r->ar.end, 2 * MR);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 0U);
	KUNIT_EXPECT_EQ(test, r->age, 0U);
	damon_destroy_region(r, t);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->ar.start, 2 * MR);

	/* A target that never joined a context can be destroyed too. */
	t = damon_new_target();
	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_destroy_target(t);
}

static void damon_test_attrs(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_attrs good = {
		.sample_interval = 1, .aggr_interval = 2,
		.ops_update_interval = 3, .min_nr_regions = 4,
		.max_nr_regions = 5,
	};
	struct damon_attrs bad;

	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &good), 0);
	KUNIT_EXPECT_EQ(test, ctx->attrs.min_nr_regions, 4UL);

	bad = good;
	bad.min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad = good;
	bad.max_nr_regions = 3;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad = good;
	bad.sample_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad = good;
	bad.aggr_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad = good;
	bad.ops_update_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad = good;
	bad.sample_interval = 3;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	/* Rejected attributes leave the old ones. */
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 1UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.max_nr_regions, 5UL);

	/* Boundaries that are accepted. */
	bad = good;
	bad.min_nr_regions = 3;
	bad.max_nr_regions = 3;
	bad.aggr_interval = bad.sample_interval;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), 0);
	bad.sample_interval = ULONG_MAX;
	bad.aggr_interval = ULONG_MAX;
	bad.ops_update_interval = ULONG_MAX;
	bad.max_nr_regions = DAMON_MAX_NR_REGIONS_LIMIT;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), 0);

	/* More regions than that could take all memory at start. */
	bad.max_nr_regions = DAMON_MAX_NR_REGIONS_LIMIT + 1;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	bad.max_nr_regions = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damon_set_attrs(ctx, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.max_nr_regions,
			DAMON_MAX_NR_REGIONS_LIMIT);
}

static void damon_test_samples(struct kunit *test)
{
	struct damon_attrs a = {
		.sample_interval = 5000, .aggr_interval = 100000,
		.ops_update_interval = 1000000,
	};

	KUNIT_EXPECT_EQ(test, damon_aggr_samples(&a), 20UL);
	KUNIT_EXPECT_EQ(test, damon_update_samples(&a), 200UL);

	/* Ratios below 1 count as 1; the rest is rounded down. */
	a.aggr_interval = 5000;
	a.ops_update_interval = 1;
	KUNIT_EXPECT_EQ(test, damon_aggr_samples(&a), 1UL);
	KUNIT_EXPECT_EQ(test, damon_update_samples(&a), 1UL);
	a.aggr_interval = 14999;
	KUNIT_EXPECT_EQ(test, damon_aggr_samples(&a), 2UL);

	/* Huge ratios are capped, and a zero interval divides nothing. */
	a.sample_interval = 1;
	a.aggr_interval = ULONG_MAX;
	a.ops_update_interval = ULONG_MAX;
	KUNIT_EXPECT_EQ(test, damon_aggr_samples(&a), DAMON_MAX_AGGR_SAMPLES);
	KUNIT_EXPECT_EQ(test, damon_update_samples(&a), (unsigned long)LONG_MAX);
	a.sample_interval = 0;
	KUNIT_EXPECT_EQ(test, damon_aggr_samples(&a), DAMON_MAX_AGGR_SAMPLES);

	/* Marks are reached across wrap-around of the sample counter. */
	KUNIT_EXPECT_TRUE(test, damon_sample_reached(5, 5));
	KUNIT_EXPECT_FALSE(test, damon_sample_reached(4, 5));
	KUNIT_EXPECT_TRUE(test, damon_sample_reached(2, ULONG_MAX - 1));
	KUNIT_EXPECT_FALSE(test, damon_sample_reached(ULONG_MAX, 3));
}

static void damon_test_nop_ctx(struct damon_ctx *ctx)
{
}

static void damon_test_ops_unregister(void *data)
{
	damon_unregister_ops((enum damon_ops_id)(unsigned long)data);
}

static void damon_test_ops_registry(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_operations ops = { .init = damon_test_nop_ctx };
	enum damon_ops_id id;
	int err;

	/* Use an operations set that no part of DAMON has registered. */
	for (id = 0; id < NR_DAMON_OPS; id++)
		if (!damon_is_registered_ops(id))
			break;
	if (id == NR_DAMON_OPS)
		kunit_skip(test, "every operations set id is taken");

	KUNIT_EXPECT_EQ(test, damon_select_ops(ctx, id), -EINVAL);
	KUNIT_EXPECT_NULL(test, ctx->ops.init);

	ops.id = id;
	KUNIT_ASSERT_EQ(test, damon_register_ops(&ops), 0);
	err = kunit_add_action_or_reset(test, damon_test_ops_unregister,
					(void *)(unsigned long)id);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, damon_is_registered_ops(id));
	KUNIT_EXPECT_EQ(test, damon_register_ops(&ops), -EINVAL);

	KUNIT_EXPECT_EQ(test, damon_select_ops(ctx, id), 0);
	KUNIT_EXPECT_EQ(test, ctx->ops.id, id);
	KUNIT_EXPECT_TRUE(test, ctx->ops.init == damon_test_nop_ctx);

	/* Unknown ids. */
	ops.id = NR_DAMON_OPS;
	KUNIT_EXPECT_EQ(test, damon_register_ops(&ops), -EINVAL);
	KUNIT_EXPECT_FALSE(test, damon_is_registered_ops(NR_DAMON_OPS));
	KUNIT_EXPECT_EQ(test, damon_select_ops(ctx, NR_DAMON_OPS), -EINVAL);
	ops.id = (enum damon_ops_id)-1;
	KUNIT_EXPECT_EQ(test, damon_register_ops(&ops), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->ops.id, id);
}

static void damon_test_rand(struct kunit *test)
{
	static const struct damon_addr_range ranges[] = {
		{ 0, 1 }, { 5, 7 }, { 0, 100 }, { MR, 3 * MR },
		{ 0, ULONG_MAX }, { ULONG_MAX - 3, ULONG_MAX },
		{ 1UL << 31, (1UL << 31) + 3 },
	};
	bool seen_low = false, seen_high = false;
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		for (j = 0; j < 1000; j++) {
			unsigned long v = damon_rand(ranges[i].start,
						     ranges[i].end);

			KUNIT_ASSERT_GE(test, v, ranges[i].start);
			KUNIT_ASSERT_LT(test, v, ranges[i].end);
		}
	}
	/* Both ends of a small range come up. */
	for (j = 0; j < 1000; j++) {
		unsigned long v = damon_rand(10, 12);

		seen_low |= v == 10;
		seen_high |= v == 11;
	}
	KUNIT_EXPECT_TRUE(test, seen_low && seen_high);
	/* Empty and reversed ranges give their start. */
	KUNIT_EXPECT_EQ(test, damon_rand(7, 7), 7UL);
	KUNIT_EXPECT_EQ(test, damon_rand(9, 3), 9UL);
}

/* Set @r's access information to recognisable values. */
static void damon_test_mark(struct damon_region *r, unsigned int nr,
			    unsigned int age)
{
	r->nr_accesses = nr;
	r->last_nr_accesses = nr + 1;
	r->age = age;
}

static void damon_test_expect_region(struct kunit *test,
				     struct damon_target *t, unsigned int idx,
				     unsigned long start, unsigned long end,
				     unsigned int nr, unsigned int age)
{
	struct damon_region *r = damon_test_region(test, t, idx);

	KUNIT_EXPECT_EQ_MSG(test, r->ar.start, start, "region %u", idx);
	KUNIT_EXPECT_EQ_MSG(test, r->ar.end, end, "region %u", idx);
	KUNIT_EXPECT_EQ_MSG(test, r->nr_accesses, nr, "region %u", idx);
	KUNIT_EXPECT_EQ_MSG(test, r->age, age, "region %u", idx);
}

static void damon_test_set_regions_fill(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_addr_range ranges[] = {
		{ 2 * MR, 5 * MR }, { 8 * MR, 9 * MR },
	};

	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 2), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	damon_test_expect_region(test, t, 0, 2 * MR, 5 * MR, 0, 0);
	damon_test_expect_region(test, t, 1, 8 * MR, 9 * MR, 0, 0);

	/* Holes between, before and after existing regions are filled. */
	damon_test_mark(damon_test_region(test, t, 0), 4, 2);
	damon_test_mark(damon_test_region(test, t, 1), 6, 3);
	ranges[0].start = 0;
	ranges[0].end = 10 * MR;
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5U);
	damon_test_expect_region(test, t, 0, 0, 2 * MR, 0, 0);
	damon_test_expect_region(test, t, 1, 2 * MR, 5 * MR, 4, 2);
	damon_test_expect_region(test, t, 2, 5 * MR, 8 * MR, 0, 0);
	damon_test_expect_region(test, t, 3, 8 * MR, 9 * MR, 6, 3);
	damon_test_expect_region(test, t, 4, 9 * MR, 10 * MR, 0, 0);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

static void damon_test_set_regions_trim(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_addr_range ranges[] = {
		{ 5 * MR, 12 * MR }, { 18 * MR, 40 * MR },
	};

	damon_test_add_regions(test, t, 0, 10 * MR, 3);
	damon_test_add_regions(test, t, 50 * MR, 10 * MR, 1);
	damon_test_mark(damon_test_region(test, t, 0), 5, 3);
	damon_test_mark(damon_test_region(test, t, 1), 7, 1);
	damon_test_mark(damon_test_region(test, t, 2), 1, 9);
	damon_test_mark(damon_test_region(test, t, 3), 2, 2);

	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 2), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 5U);
	damon_test_expect_region(test, t, 0, 5 * MR, 10 * MR, 5, 3);
	damon_test_expect_region(test, t, 1, 10 * MR, 12 * MR, 7, 1);
	damon_test_expect_region(test, t, 2, 18 * MR, 20 * MR, 7, 1);
	damon_test_expect_region(test, t, 3, 20 * MR, 30 * MR, 1, 9);
	damon_test_expect_region(test, t, 4, 30 * MR, 40 * MR, 0, 0);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* A region spanning several ranges gives each its own piece. */
	ranges[0].start = 6 * MR;
	ranges[0].end = 7 * MR;
	ranges[1].start = 8 * MR;
	ranges[1].end = 9 * MR;
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 2), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	damon_test_expect_region(test, t, 0, 6 * MR, 7 * MR, 5, 3);
	damon_test_expect_region(test, t, 1, 8 * MR, 9 * MR, 5, 3);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->last_nr_accesses,
			6U);

	/* No range, no region. */
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 0), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 0U);
}

static void damon_test_set_regions_edges(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned long top = ALIGN_DOWN(ULONG_MAX, MR);
	struct damon_addr_range ranges[2];

	damon_test_add_regions(test, t, 0, MR, 4);

	/* Empty, unsorted and overlapping ranges leave the target alone. */
	ranges[0] = (struct damon_addr_range){ 3 * MR, 3 * MR };
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 1), -EINVAL);
	ranges[0] = (struct damon_addr_range){ 5 * MR, 3 * MR };
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 1), -EINVAL);
	ranges[0] = (struct damon_addr_range){ 5 * MR, 9 * MR };
	ranges[1] = (struct damon_addr_range){ 1 * MR, 2 * MR };
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 2), -EINVAL);
	ranges[1] = (struct damon_addr_range){ 8 * MR, 12 * MR };
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 4U);
	damon_test_expect_region(test, t, 3, 3 * MR, 4 * MR, 0, 0);

	/* Unaligned ranges widen; ranges that then touch are joined. */
	ranges[0] = (struct damon_addr_range){ MR + 1, MR + 10 };
	ranges[1] = (struct damon_addr_range){ MR + 20, 2 * MR + 1 };
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 2), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 2U);
	damon_test_expect_region(test, t, 0, MR, 2 * MR, 0, 0);
	damon_test_expect_region(test, t, 1, 2 * MR, 3 * MR, 0, 0);

	/* The top of the address space: no wrap-around. */
	ranges[0] = (struct damon_addr_range){ top - 2 * MR, ULONG_MAX };
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_nr_regions(t), 1U);
	damon_test_expect_region(test, t, 0, top - 2 * MR, top, 0, 0);
	ranges[0] = (struct damon_addr_range){ ULONG_MAX - 10, ULONG_MAX };
	KUNIT_EXPECT_EQ(test, damon_set_regions(t, ranges, 1), -EINVAL);
	ranges[0] = (struct damon_addr_range){ 0, ULONG_MAX };
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 1), 0);
	damon_test_expect_region(test, t, 0, 0, top - 2 * MR, 0, 0);
	damon_test_expect_region(test, t, 1, top - 2 * MR, top, 0, 0);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
}

static struct kunit_case damon_core_cases[] = {
	KUNIT_CASE(damon_test_model),
	KUNIT_CASE(damon_test_attrs),
	KUNIT_CASE(damon_test_samples),
	KUNIT_CASE(damon_test_ops_registry),
	KUNIT_CASE(damon_test_rand),
	KUNIT_CASE(damon_test_set_regions_fill),
	KUNIT_CASE(damon_test_set_regions_trim),
	KUNIT_CASE(damon_test_set_regions_edges),
	{}
};

static struct kunit_suite damon_core_suite = {
	.name = "damon_core",
	.test_cases = damon_core_cases,
};

kunit_test_suite(damon_core_suite);
