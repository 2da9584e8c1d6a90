// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON_RECLAIM: proactive reclamation of cold memory.
 *
 * Monitors a range of the physical address space (by default the largest
 * range of System RAM) and pages out the regions nobody accessed for
 * min_age, the longest idle first, within a time and a size quota per
 * quota window, and only while the system's free memory rate lies between
 * the watermarks.  The quota may be tuned towards a memory pressure level
 * or a user's feedback.  Everything is set through module parameters; see
 * Documentation/admin-guide/mm/damon/reclaim.rst.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sizes.h>

#include "modules-common.h"

/* Regions idle for at least this long are reclaimed, in microseconds. */
static unsigned long min_age __read_mostly = 120 * USEC_PER_SEC;
module_param(min_age, ulong, 0600);
MODULE_PARM_DESC(min_age, "Idle time after which a region is cold (us)");

static unsigned long quota_ms __read_mostly = 10;
module_param(quota_ms, ulong, 0600);
MODULE_PARM_DESC(quota_ms, "Time for reclamation per quota window (ms)");

static unsigned long quota_sz __read_mostly = 128 * SZ_1M;
module_param(quota_sz, ulong, 0600);
MODULE_PARM_DESC(quota_sz, "Bytes to try reclaiming per quota window");

static unsigned long quota_reset_interval_ms __read_mostly = 1000;
module_param(quota_reset_interval_ms, ulong, 0600);
MODULE_PARM_DESC(quota_reset_interval_ms, "Quota window (ms)");

/* Tune the quota towards this much "some" memory stall per window. */
static unsigned long quota_mem_pressure_us __read_mostly;
module_param(quota_mem_pressure_us, ulong, 0600);
MODULE_PARM_DESC(quota_mem_pressure_us,
		 "Memory stall time per window to aim at (us), 0 for none");

/* Tune the quota towards the user feeding in 10,000. */
static unsigned long quota_autotune_feedback __read_mostly;
module_param(quota_autotune_feedback, ulong, 0600);
MODULE_PARM_DESC(quota_autotune_feedback,
		 "User feedback for quota tuning (aim: 10000), 0 for none");

static bool skip_anon __read_mostly;
module_param(skip_anon, bool, 0600);
MODULE_PARM_DESC(skip_anon, "Leave anonymous pages alone");

DAMON_MODULE_WMARKS_PARAMS(500, 400, 200);
DAMON_MODULE_MON_PARAMS();
DAMON_MODULE_STAT_PARAMS(reclaim, nr_reclaim_tried_regions,
			 bytes_reclaim_tried_regions, nr_reclaimed_regions,
			 bytes_reclaimed_regions, nr_quota_exceeds);

/* The quota goals the parameters ask for; on error @s keeps what it got. */
static int damon_reclaim_add_goals(struct damos *s)
{
	struct damos_quota_goal *g;

	if (quota_mem_pressure_us) {
		if (!IS_ENABLED(CONFIG_PSI)) {
			pr_warn("quota_mem_pressure_us needs a kernel with CONFIG_PSI\n");
			return -EOPNOTSUPP;
		}
		g = damos_new_quota_goal(DAMOS_GOAL_SOME_MEM_PSI_US,
					 quota_mem_pressure_us);
		if (!g)
			return -ENOMEM;
		damos_add_quota_goal(s, g);
	}
	if (quota_autotune_feedback) {
		g = damos_new_quota_goal(DAMOS_GOAL_USER_INPUT, 10000);
		if (!g)
			return -ENOMEM;
		g->current_value = quota_autotune_feedback;
		damos_add_quota_goal(s, g);
	}
	return 0;
}

static struct damon_module damon_module;

/* One scheme: page out what stayed idle for min_age, oldest first. */
static int damon_reclaim_add_schemes(struct damon_ctx *ctx)
{
	struct damos_quota quota = {
		.ms = quota_ms,
		.sz = quota_sz,
		.reset_interval = quota_reset_interval_ms,
		.weight_age = 1,
	};
	struct damos_watermarks wmarks;
	struct damos_pattern pattern;
	struct damos_filter *f;
	struct damos *s;
	int err;

	err = damon_module_get_wmarks(&damon_module, &damon_module_wmarks,
				      &wmarks);
	if (err)
		return err;
	damos_pattern_any(&pattern);
	pattern.sz.min = PAGE_SIZE;
	pattern.nr_accesses.max = 0;
	pattern.age.min = min_age / ctx->attrs.aggr_interval;

	s = damos_new(DAMOS_PAGEOUT, &pattern, &quota, &wmarks);
	if (!s)
		return -ENOMEM;
	err = damon_reclaim_add_goals(s);
	if (err)
		goto fail;
	if (skip_anon) {
		f = damos_new_filter(DAMOS_FILTER_ANON, true);
		if (!f) {
			err = -ENOMEM;
			goto fail;
		}
		damos_add_filter(s, f);
	}
	return damon_module_add_scheme(&damon_module, ctx, s);
fail:
	damos_destroy(s);
	return err;
}

DAMON_MODULE(damon_reclaim_add_schemes, &damon_module_stat_reclaim);

static int __init damon_reclaim_init(void)
{
	return damon_module_init(&damon_module);
}

static void __exit damon_reclaim_exit(void)
{
	damon_module_exit(&damon_module);
}

module_init(damon_reclaim_init);
module_exit(damon_reclaim_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON_RECLAIM: proactive reclamation of cold memory");
