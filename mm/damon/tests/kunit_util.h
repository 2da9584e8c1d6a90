/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by DAMON's KUnit suites: contexts and targets that are
 * freed when the test case ends, whatever the outcome.
 */

#ifndef _MM_DAMON_TESTS_KUNIT_UTIL_H
#define _MM_DAMON_TESTS_KUNIT_UTIL_H

#include <kunit/test.h>

#include "../core_internal.h"

/* Sizes in tests are counted in units of the smallest region. */
#define MR	DAMON_MIN_REGION

static inline void damon_test_ctx_release(void *data)
{
	struct damon_ctx *ctx = data;

	/* A failed test may leave the kdamond running. */
	if (damon_is_running(ctx))
		damon_stop(&ctx, 1);
	damon_destroy_ctx(ctx);
}

/* A context with default attributes, freed when the test ends. */
static inline struct damon_ctx *damon_test_new_ctx(struct kunit *test)
{
	struct damon_ctx *ctx = damon_new_ctx();
	int err;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	err = kunit_add_action_or_reset(test, damon_test_ctx_release, ctx);
	KUNIT_ASSERT_EQ(test, err, 0);
	return ctx;
}

/* A new empty target of @ctx. */
static inline struct damon_target *damon_test_new_target(struct kunit *test,
							 struct damon_ctx *ctx)
{
	struct damon_target *t = damon_new_target();

	KUNIT_ASSERT_NOT_NULL(test, t);
	damon_add_target(ctx, t);
	return t;
}

/* Append @nr regions of @sz bytes each to @t, the first starting at @start. */
static inline void damon_test_add_regions(struct kunit *test,
					  struct damon_target *t,
					  unsigned long start, unsigned long sz,
					  unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct damon_region *r;

		r = damon_new_region(start + i * sz, start + (i + 1) * sz);
		KUNIT_ASSERT_NOT_NULL(test, r);
		damon_add_region(r, t);
	}
}

/* The @idx-th region of @t; fails the test if there is no such region. */
static inline struct damon_region *damon_test_region(struct kunit *test,
						     struct damon_target *t,
						     unsigned int idx)
{
	struct damon_region *r;
	unsigned int i = 0;

	damon_for_each_region(r, t) {
		if (i++ == idx)
			return r;
	}
	KUNIT_FAIL_AND_ABORT(test, "no region %u (target has %u)", idx,
			     t->nr_regions);
	return NULL;
}

/*
 * Whether @t's regions are sorted, non-empty, non-overlapping, at least
 * @min_sz bytes each, and as many as &damon_target->nr_regions says.
 */
static inline bool damon_test_regions_sane(struct damon_target *t,
					   unsigned long min_sz)
{
	unsigned long prev_end = 0;
	struct damon_region *r;
	unsigned int nr = 0;

	damon_for_each_region(r, t) {
		if (r->ar.start >= r->ar.end || damon_sz_region(r) < min_sz)
			return false;
		if (nr && r->ar.start < prev_end)
			return false;
		prev_end = r->ar.end;
		nr++;
	}
	return nr == t->nr_regions;
}

#endif	/* _MM_DAMON_TESTS_KUNIT_UTIL_H */
