/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS internals shared by the files of the scheme engine (schemes.c, the
 * data model and pattern matching; schemes-apply.c, the apply loop; schemes-quota.c, quotas,
 * priorities and goals; schemes-wmark.c, watermarks; schemes-filter.c, the
 * filters the core handles), the kdamond that drives it, and their KUnit
 * suites.  Nothing here leaves damon.ko.
 */

#ifndef _MM_DAMON_SCHEMES_H
#define _MM_DAMON_SCHEMES_H

#include <linux/damon.h>

/* Whether @action wants the hottest regions first when the quota binds. */
static inline bool damos_action_wants_hot(enum damos_action action)
{
	return action == DAMOS_WILLNEED || action == DAMOS_HUGEPAGE ||
		action == DAMOS_LRU_PRIO || action == DAMOS_MIGRATE_HOT;
}

/* Whether @action moves pages to &damos->target_nid. */
static inline bool damos_action_migrates(enum damos_action action)
{
	return action == DAMOS_MIGRATE_HOT || action == DAMOS_MIGRATE_COLD;
}

/* Whether the operations set handles filters of @type (else the core). */
static inline bool damos_filter_for_ops(enum damos_filter_type type)
{
	return type == DAMOS_FILTER_ANON || type == DAMOS_FILTER_MEMCG ||
		type == DAMOS_FILTER_YOUNG;
}

/* The data model and what a region looks like to a scheme (schemes.c). */
void damon_destroy_schemes(struct damon_ctx *ctx);
int damon_validate_schemes(struct damon_ctx *ctx);
struct damos *damos_copy(const struct damos *src);
int damos_commit_prepare(struct damon_ctx *src,
			 const struct damon_operations *ops,
			 struct list_head *fresh);
void damos_commit_apply(struct damon_ctx *dst, struct list_head *fresh);
void damos_commit_abort(struct list_head *fresh);
bool damos_pattern_match(const struct damos_pattern *p, unsigned long sz,
			 unsigned long nr_accesses, unsigned long age);
unsigned long damos_nr_accesses(struct damon_ctx *ctx, struct damon_region *r);

/* The apply loop (schemes-apply.c). */
bool damos_apply_due(struct damon_ctx *ctx, struct damos *s);
void damos_apply_scheme(struct damon_ctx *ctx, struct damos *s,
			unsigned int sidx, u64 now);
void damos_kdamond_start(struct damon_ctx *ctx);
void damos_apply_schemes(struct damon_ctx *ctx);
void damos_walk_progress(struct damon_ctx *ctx);
void damos_walk_cancel(struct damon_ctx *ctx);

/* Quotas, priorities and goals (schemes-quota.c). */
bool damos_quota_configured(const struct damos *s);
unsigned long damos_goal_feedback(unsigned long old, unsigned long score_bp);
unsigned long damos_goals_score(struct damos *s);
void damos_quota_window(struct damos *s, u64 now);
bool damos_quota_binds(const struct damos *s);
bool damos_quota_spent(const struct damos *s);
void damos_quota_threshold(struct damos *s);
unsigned long damos_quota_left(const struct damos *s, unsigned int score);
void damos_quota_charge(struct damos *s, unsigned int score,
			unsigned long sz, u64 ns);
unsigned int damos_score(struct damon_ctx *ctx, struct damon_target *t,
			 struct damon_region *r, struct damos *s);
u64 damos_psi_mem_some_total(void);

/* Watermarks (schemes-wmark.c). */
unsigned long damos_wmark_metric_value(enum damos_wmark_metric metric);
bool damos_wmarks_decide(const struct damos_watermarks *wm, bool active,
			 unsigned long value);
unsigned long damos_wmarks_update(struct damon_ctx *ctx, u64 now);

/* The filters of the core (schemes-filter.c). */
bool damos_core_filters_out(struct damos *s, struct damon_target *t,
			    unsigned int tidx, struct damon_region *r);

#endif	/* _MM_DAMON_SCHEMES_H */
