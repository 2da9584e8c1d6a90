// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of damon_commit_ctx(): commits are all or nothing, and keep
 * what the kdamond learnt about the memory it keeps monitoring.
 */

#include <linux/pid.h>
#include <linux/sched.h>

#include "kunit_util.h"

/* A target with id @id and @nr regions of @sz bytes from @start. */
static struct damon_target *damon_test_id_target(struct kunit *test,
						 struct damon_ctx *ctx,
						 unsigned long id,
						 unsigned long start,
						 unsigned long sz,
						 unsigned int nr)
{
	struct damon_target *t = damon_test_new_target(test, ctx);

	t->id = id;
	damon_test_add_regions(test, t, start, sz, nr);
	return t;
}

static unsigned long damon_test_ids(struct damon_ctx *ctx)
{
	struct damon_target *t;
	unsigned long ids = 0;

	/* One decimal digit per target, in order. */
	damon_for_each_target(t, ctx)
		ids = ids * 10 + t->id;
	return ids;
}

static void damon_test_commit_targets(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);
	struct damon_target *kept, *t, *next;
	struct damon_region *r;

	kept = damon_test_id_target(test, dst, 1, 0, 10 * MR, 3);
	damon_for_each_region(r, kept) {
		r->nr_accesses = 5;
		r->age = 7;
	}
	damon_test_id_target(test, dst, 2, 0, MR, 1);
	damon_test_id_target(test, src, 1, 0, 0, 0);
	damon_test_id_target(test, src, 3, 0, 4 * MR, 2);
	damon_test_id_target(test, src, 4, 0, 0, 0);

	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_test_ids(dst), 134UL);
	/* Target 2 went to @src in exchange for 3, for its owner to free. */
	KUNIT_EXPECT_EQ(test, damon_test_ids(src), 12UL);
	/* Without new regions, target 1 kept its own, and what they knew. */
	t = list_first_entry(&dst->targets, struct damon_target, list);
	KUNIT_EXPECT_PTR_EQ(test, t, kept);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 3U);
	damon_for_each_region(r, t) {
		KUNIT_EXPECT_EQ(test, r->nr_accesses, 5U);
		KUNIT_EXPECT_EQ(test, r->age, 7U);
	}
	t = list_next_entry(t, list);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 2U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));

	/* Fewer targets: the extra ones go. */
	damon_for_each_target_safe(t, next, src)
		damon_destroy_target(t);
	damon_test_id_target(test, src, 1, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, damon_test_ids(dst), 1UL);
}

static void damon_test_commit_regions(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_id_target(test, dst, 1, 0,
						      10 * MR, 2);

	damon_test_region(test, t, 0)->nr_accesses = 5;
	damon_test_region(test, t, 1)->nr_accesses = 7;
	/* The new ranges cut both old regions, and reach past them. */
	damon_test_id_target(test, src, 1, 5 * MR, 20 * MR, 1);
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_ASSERT_EQ(test, t->nr_regions, 3U);
	KUNIT_EXPECT_TRUE(test, damon_test_regions_sane(t, MR));
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 0)->ar.start, 5 * MR);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 0)->nr_accesses, 5U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->nr_accesses, 7U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 2)->ar.start,
			20 * MR);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 2)->ar.end, 25 * MR);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 2)->nr_accesses, 0U);
}

/* A refused commit leaves the context exactly as it was. */
static void damon_test_commit_refused(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);
	struct damon_attrs attrs = dst->attrs;
	struct damon_target *t = damon_test_id_target(test, dst, 1, 0, MR, 4);
	struct damon_target *bad;
	struct damon_region *r;

	damon_test_id_target(test, src, 1, 0, 0, 0);
	src->attrs.aggr_interval = src->attrs.sample_interval - 1;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);

	src->attrs = attrs;
	src->attrs.aggr_interval *= 2;
	bad = damon_test_id_target(test, src, 2, 0, 2 * MR, 2);
	/* Overlapping regions. */
	r = damon_test_region(test, bad, 1);
	r->ar.start = MR;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);

	KUNIT_EXPECT_EQ(test, dst->attrs.aggr_interval, attrs.aggr_interval);
	KUNIT_EXPECT_EQ(test, damon_test_ids(dst), 1UL);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 4U);
	KUNIT_EXPECT_EQ(test, damon_test_ids(src), 12UL);
}

static void damon_test_commit_pid(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);
	struct damon_target *old, *same, *other;

	old = damon_test_id_target(test, dst, 1, 0, MR, 2);
	old->pid = get_pid(task_pid(current));
	same = damon_test_id_target(test, src, 1, 0, 0, 0);
	same->pid = get_pid(task_pid(current));
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&dst->targets,
						   struct damon_target, list),
			    old);
	KUNIT_EXPECT_EQ(test, old->nr_regions, 2U);

	/* Another process: a new target, without the old regions. */
	put_pid(same->pid);
	same->pid = find_get_pid(1);
	KUNIT_ASSERT_NOT_NULL(test, same->pid);
	KUNIT_ASSERT_PTR_NE(test, same->pid, task_pid(current));
	other = same;
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&dst->targets,
						   struct damon_target, list),
			    other);
	KUNIT_EXPECT_EQ(test, other->nr_regions, 0U);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&src->targets,
						   struct damon_target, list),
			    old);
}

static void damon_test_commit_attrs(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_id_target(test, dst, 1, 0, MR, 1);
	struct damon_region *r = damon_first_region(t);

	damon_test_id_target(test, src, 1, 0, 0, 0);
	dst->passed_samples = 1000;
	dst->next_aggr_sample = 1010;
	dst->next_update_sample = 1100;
	r->nr_accesses = 3;

	/* Another update interval: the aggregation goes on. */
	src->attrs.ops_update_interval *= 2;
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dst->next_aggr_sample, 1010UL);
	KUNIT_EXPECT_EQ(test, dst->next_update_sample,
			1000UL + damon_update_samples(&src->attrs));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 3U);

	/* Another aggregation interval: it starts again, from no count. */
	src->attrs.aggr_interval *= 2;
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dst->next_aggr_sample,
			1000UL + damon_aggr_samples(&src->attrs));
	KUNIT_EXPECT_EQ(test, dst->next_update_sample,
			1000UL + damon_update_samples(&src->attrs));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 0U);
	KUNIT_EXPECT_EQ(test, dst->attrs.aggr_interval,
			src->attrs.aggr_interval);
}

static int damon_test_commit_fn(struct damon_ctx *ctx, void *src)
{
	return damon_commit_ctx(ctx, src);
}

static void damon_test_commit_running(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);

	/* A stopped context takes the operations set of @src. */
	dst->ops.id = DAMON_OPS_VADDR;
	src->ops.id = DAMON_OPS_PADDR;
	damon_test_id_target(test, dst, 1, 0, 100 * MR, 1);
	damon_test_id_target(test, src, 1, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dst->ops.id, DAMON_OPS_PADDR);

	/* A running one keeps its own. */
	KUNIT_ASSERT_EQ(test, damon_start(&dst, 1, false), 0);
	src->ops.id = DAMON_OPS_FVADDR;
	KUNIT_EXPECT_EQ(test, damon_call(dst, damon_test_commit_fn, src),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, dst->ops.id, DAMON_OPS_PADDR);

	/* New targets join the running kdamond. */
	src->ops.id = DAMON_OPS_PADDR;
	damon_test_id_target(test, src, 2, 0, 50 * MR, 1);
	KUNIT_EXPECT_EQ(test, damon_call(dst, damon_test_commit_fn, src), 0);
	KUNIT_EXPECT_EQ(test, damon_stop(&dst, 1), 0);
	KUNIT_EXPECT_EQ(test, damon_test_ids(dst), 12UL);
}

static int damon_test_commit_suite_init(struct kunit_suite *suite)
{
	/* damon_start() of a non-exclusive group needs no exclusive one. */
	if (damon_nr_running_ctxs())
		return -EBUSY;
	return 0;
}

static struct kunit_case damon_commit_cases[] = {
	KUNIT_CASE(damon_test_commit_targets),
	KUNIT_CASE(damon_test_commit_regions),
	KUNIT_CASE(damon_test_commit_refused),
	KUNIT_CASE(damon_test_commit_pid),
	KUNIT_CASE(damon_test_commit_attrs),
	KUNIT_CASE(damon_test_commit_running),
	{}
};

static struct kunit_suite damon_commit_suite = {
	.name = "damon_commit",
	.suite_init = damon_test_commit_suite_init,
	.test_cases = damon_commit_cases,
};

kunit_test_suite(damon_commit_suite);
