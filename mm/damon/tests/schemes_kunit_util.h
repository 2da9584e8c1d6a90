/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of DAMOS's KUnit suites: a synthetic operations set that does
 * every action and writes down what it was asked to do, and contexts set
 * at the end of an aggregation interval.
 */

#ifndef _MM_DAMON_TESTS_SCHEMES_KUNIT_UTIL_H
#define _MM_DAMON_TESTS_SCHEMES_KUNIT_UTIL_H

#include <linux/ktime.h>

#include "kunit_util.h"
#include "../schemes.h"

#define DAMOS_TEST_MAX_CALLS	32

/**
 * struct damos_test_ops_log - What the synthetic operations set saw.
 * @nr:		How many regions it was asked to act on.
 * @start:	The start of each.
 * @sz:		The size of each.
 * @ns:		How long each took.
 * @delay_us:	How long each call takes, busy-waiting.
 * @applied_permil: How much of each region to report as applied.
 */
struct damos_test_ops_log {
	unsigned int nr;
	unsigned long start[DAMOS_TEST_MAX_CALLS];
	unsigned long sz[DAMOS_TEST_MAX_CALLS];
	u64 ns[DAMOS_TEST_MAX_CALLS];
	unsigned int delay_us;
	unsigned int applied_permil;
};

static inline unsigned long damos_test_apply(struct damon_ctx *ctx,
					     struct damon_target *t,
					     struct damon_region *r,
					     struct damos *s)
{
	struct damos_test_ops_log *log = ctx->callback.private;
	u64 start = ktime_get_ns();

	/* Busy, by the clock the quota uses. */
	while (ktime_get_ns() - start < (u64)log->delay_us * NSEC_PER_USEC)
		cpu_relax();
	if (log->nr < DAMOS_TEST_MAX_CALLS) {
		log->start[log->nr] = r->ar.start;
		log->sz[log->nr] = damon_sz_region(r);
		log->ns[log->nr] = ktime_get_ns() - start;
	}
	log->nr++;
	return damon_sz_region(r) * log->applied_permil / 1000;
}

/*
 * A context whose operations set does everything through
 * damos_test_apply(), with default attributes (20 samples an aggregation
 * interval) and its sample counters at the end of an aggregation interval.
 */
static inline struct damon_ctx *
damos_test_ctx(struct kunit *test, struct damos_test_ops_log *log)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);

	memset(log, 0, sizeof(*log));
	log->applied_permil = 1000;
	ctx->callback.private = log;
	ctx->ops.apply_scheme = damos_test_apply;
	ctx->ops.damos_actions = BIT(NR_DAMOS_ACTIONS) - 1;
	ctx->ops.damos_filters = BIT(NR_DAMOS_FILTER_TYPES) - 1;
	ctx->passed_samples = 100;
	ctx->next_aggr_sample = 100;
	return ctx;
}

/* A scheme of @ctx, freed with it. */
static inline struct damos *damos_test_scheme(struct kunit *test,
					      struct damon_ctx *ctx,
					      enum damos_action action)
{
	struct damos *s = damos_new(action, NULL, NULL, NULL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, damon_add_scheme(ctx, s), 0);
	return s;
}

/* Set the access counts of @t's regions, in order, to @counts. */
static inline void damos_test_set_counts(struct damon_target *t,
					 const unsigned int *counts,
					 unsigned int nr)
{
	struct damon_region *r;
	unsigned int i = 0;

	damon_for_each_region(r, t) {
		if (i == nr)
			break;
		r->nr_accesses = counts[i++];
	}
}

#endif	/* _MM_DAMON_TESTS_SCHEMES_KUNIT_UTIL_H */
