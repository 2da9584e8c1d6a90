// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON_LRU_SORT: keep the LRU lists sorted by what DAMON sees.
 *
 * Monitors a range of the physical address space (by default the largest
 * range of System RAM), moves the pages of hot regions (accessed in at
 * least hot_thres_access_freq per thousand of the samples of an
 * aggregation interval) to the head of the active LRU lists, and the pages
 * of cold regions (idle for cold_min_age) to the inactive lists, so that
 * reclaim under pressure takes the right pages.  The two schemes share a
 * time quota and act only while the free memory rate lies between the
 * watermarks.  See Documentation/admin-guide/mm/damon/lru_sort.rst.
 */

#include <linux/module.h>

#include "modules-common.h"

/* Regions accessed at least this often are hot, in per thousand. */
static unsigned long hot_thres_access_freq __read_mostly = 500;
damon_module_param_range(hot_thres_access_freq, hot_thres_access_freq,
			 0, 1000);
MODULE_PARM_DESC(hot_thres_access_freq,
		 "Access frequency from which a region is hot (permil)");

/* Regions idle for at least this long are cold, in microseconds. */
static unsigned long cold_min_age __read_mostly = 120 * USEC_PER_SEC;
module_param(cold_min_age, ulong, 0600);
MODULE_PARM_DESC(cold_min_age, "Idle time after which a region is cold (us)");

/* Shared by the two schemes: each may use half of it. */
static unsigned long quota_ms __read_mostly = 10;
module_param(quota_ms, ulong, 0600);
MODULE_PARM_DESC(quota_ms, "Time for LRU sorting per quota window (ms)");

static unsigned long quota_reset_interval_ms __read_mostly = 1000;
module_param(quota_reset_interval_ms, ulong, 0600);
MODULE_PARM_DESC(quota_reset_interval_ms, "Quota window (ms)");

DAMON_MODULE_WMARKS_PARAMS(200, 150, 50);
DAMON_MODULE_MON_PARAMS();
DAMON_MODULE_STAT_PARAMS(hot, nr_lru_sort_tried_hot_regions,
			 bytes_lru_sort_tried_hot_regions,
			 nr_lru_sorted_hot_regions,
			 bytes_lru_sorted_hot_regions, nr_hot_quota_exceeds);
DAMON_MODULE_STAT_PARAMS(cold, nr_lru_sort_tried_cold_regions,
			 bytes_lru_sort_tried_cold_regions,
			 nr_lru_sorted_cold_regions,
			 bytes_lru_sorted_cold_regions, nr_cold_quota_exceeds);

static struct damon_module damon_module;

/*
 * Half of quota_ms for each scheme, rounded up: a quota of 0 would mean no
 * limit at all.
 */
static void damon_lru_sort_quota(struct damos_quota *quota)
{
	*quota = (struct damos_quota){
		.ms = DIV_ROUND_UP(quota_ms, 2),
		.reset_interval = quota_reset_interval_ms,
	};
}

static int damon_lru_sort_add_scheme(struct damon_ctx *ctx,
				     enum damos_action action,
				     const struct damos_pattern *pattern,
				     const struct damos_quota *quota,
				     const struct damos_watermarks *wmarks)
{
	struct damos *s = damos_new(action, pattern, quota, wmarks);

	if (!s)
		return -ENOMEM;
	return damon_module_add_scheme(&damon_module, ctx, s);
}

/*
 * Two schemes: hot regions to the active lists, the most frequently
 * accessed first; cold regions to the inactive lists, the longest idle
 * first.
 */
static int damon_lru_sort_add_schemes(struct damon_ctx *ctx)
{
	struct damon_attrs *attrs = &ctx->attrs;
	struct damos_watermarks wmarks;
	struct damos_pattern pattern;
	struct damos_quota quota;
	int err;

	err = damon_module_get_wmarks(&damon_module, &damon_module_wmarks,
				      &wmarks);
	if (err)
		return err;

	damos_pattern_any(&pattern);
	pattern.sz.min = PAGE_SIZE;
	pattern.nr_accesses.min = hot_thres_access_freq *
		(attrs->aggr_interval / attrs->sample_interval) / 1000;
	damon_lru_sort_quota(&quota);
	quota.weight_nr_accesses = 1;
	err = damon_lru_sort_add_scheme(ctx, DAMOS_LRU_PRIO, &pattern, &quota,
					&wmarks);
	if (err)
		return err;

	damos_pattern_any(&pattern);
	pattern.sz.min = PAGE_SIZE;
	pattern.nr_accesses.max = 0;
	pattern.age.min = cold_min_age / attrs->aggr_interval;
	damon_lru_sort_quota(&quota);
	quota.weight_age = 1;
	return damon_lru_sort_add_scheme(ctx, DAMOS_LRU_DEPRIO, &pattern,
					 &quota, &wmarks);
}

/* The hot scheme first, then the cold one, as added above. */
DAMON_MODULE(damon_lru_sort_add_schemes, &damon_module_stat_hot,
	     &damon_module_stat_cold);

static int __init damon_lru_sort_init(void)
{
	return damon_module_init(&damon_module);
}

static void __exit damon_lru_sort_exit(void)
{
	damon_module_exit(&damon_module);
}

module_init(damon_lru_sort_init);
module_exit(damon_lru_sort_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON_LRU_SORT: LRU lists sorted by data access patterns");
