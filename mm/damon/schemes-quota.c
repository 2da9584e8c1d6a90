// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS quotas: windows, the effective size quota, priority scores, and
 * the feedback loop that tunes the quota towards its goals.
 *
 * A quota counts in windows of &damos_quota->reset_interval.  At the start
 * of each, the kdamond works out the effective size quota: the size quota,
 * the time quota turned into bytes by the action's throughput so far, and
 * the size the goals have tuned the quota to, whichever is smallest.
 * Within the window, every region tried is charged with its size and with
 * the time its action took, and the scheme stops trying once either runs
 * out.
 *
 * When the regions that show the pattern exceed what the window has left,
 * the priority scores decide: the pass first adds up, per score, the bytes
 * of those regions, then finds the lowest score whose regions, together
 * with all better ones, fill what is left.  Better regions are all tried;
 * regions of exactly that score share what the better ones leave.
 */

#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
/* psi_types.h uses struct delayed_work without including its header. */
#include <linux/workqueue.h>
#include <linux/psi.h>
#include <linux/sizes.h>
#include <linux/time64.h>

#include "core_internal.h"
#include "schemes.h"

/* The bytes a time quota allows before the action's throughput is known. */
#define DAMOS_QUOTA_PROBE_SZ	SZ_1M
/* Where goals start to tune a quota that has no size of its own. */
#define DAMOS_GOAL_START_SZ	SZ_16M
/* The most bytes goals may tune a quota up to. */
#define DAMOS_GOAL_MAX_SZ	BIT(BITS_PER_LONG - 2)
/* Goal achievements are in basis points (10000: reached); capped here. */
#define DAMOS_GOAL_SCORE_MAX	1000000UL
/* The throughput estimate forgets half its history past this much time. */
#define DAMOS_TPUT_HISTORY_NS	(10ULL * NSEC_PER_SEC)

/**
 * damos_quota_configured() - Whether a scheme has any quota.
 * @s:	The scheme.
 *
 * Return: true if @s has a time quota, a size quota or a goal.
 */
bool damos_quota_configured(const struct damos *s)
{
	return s->quota.ms || s->quota.sz || !list_empty(&s->goals);
}

/**
 * damos_quota_binds() - Whether a scheme's current window has a limit.
 * @s:	The scheme.
 *
 * Return: true if the effective size quota of the window is finite.
 */
bool damos_quota_binds(const struct damos *s)
{
	return s->qs.effective_sz != ULONG_MAX;
}

/* The time quota in nanoseconds, saturated. */
static u64 damos_quota_ms_ns(const struct damos *s)
{
	u64 ns;

	if (check_mul_overflow((u64)s->quota.ms, (u64)NSEC_PER_MSEC, &ns))
		return U64_MAX;
	return ns;
}

/* The bytes the time quota allows at the throughput seen so far. */
static unsigned long damos_time_quota_sz(const struct damos *s)
{
	const struct damos_quota_state *qs = &s->qs;
	u64 sz;

	if (!qs->total_ns || !qs->total_sz)
		return DAMOS_QUOTA_PROBE_SZ;
	sz = mul_u64_u64_div_u64(qs->total_sz, damos_quota_ms_ns(s),
				 qs->total_ns);
	/* Never less than one region's worth: the estimate must go on. */
	return clamp_t(u64, sz, DAMON_MIN_REGION, ULONG_MAX - 1);
}

/* The quota without goals: the smaller of the size and time quotas. */
static unsigned long damos_base_quota_sz(const struct damos *s)
{
	unsigned long sz = ULONG_MAX;

	if (s->quota.ms)
		sz = damos_time_quota_sz(s);
	if (s->quota.sz)
		sz = min(sz, s->quota.sz);
	return sz;
}

/**
 * damos_goal_feedback() - Tune a quota by how far its goal is.
 * @old:	The quota of the last window, in bytes, at least 1.
 * @score_bp:	How much of the goal was reached, in basis points: 10000
 *		means exactly reached.
 *
 * The quota doubles when nothing of the goal is reached and stays at the
 * goal, in proportion in between; past the goal it shrinks, by half at
 * 150 % and to a tenth at 190 % or more.  It always moves by at least one
 * byte in the right direction, so that a small quota can grow again.
 *
 * Return: the new quota, from 1 to DAMOS_GOAL_MAX_SZ bytes.
 */
unsigned long damos_goal_feedback(unsigned long old, unsigned long score_bp)
{
	unsigned long permil = 2000 - min(score_bp, 19000UL) / 10;
	u64 sz = mul_u64_u64_div_u64(old, permil, 1000);

	if (permil > 1000)
		sz = max_t(u64, sz, (u64)old + 1);
	else if (permil < 1000 && old > 1)
		sz = min_t(u64, sz, old - 1);
	return clamp_t(u64, sz, 1, DAMOS_GOAL_MAX_SZ);
}

/**
 * damos_psi_mem_some_total() - Total memory stall time of the system.
 *
 * Return: nanoseconds during which some task stalled on memory since boot,
 * or 0 without CONFIG_PSI.
 */
u64 damos_psi_mem_some_total(void)
{
#ifdef CONFIG_PSI
	return READ_ONCE(psi_system.total[PSI_AVGS][PSI_MEM_SOME]);
#else
	return 0;
#endif
}

/* Measure the goals the kdamond measures itself, over the last window. */
static void damos_goals_measure(struct damos *s)
{
	struct damos_quota_goal *g;

	damos_for_each_quota_goal(g, s) {
		u64 total;

		if (g->metric != DAMOS_GOAL_SOME_MEM_PSI_US)
			continue;
		total = damos_psi_mem_some_total();
		g->current_value = div_u64(total - g->last_psi_total,
					   NSEC_PER_USEC);
		g->last_psi_total = total;
	}
}

/**
 * damos_goals_score() - How far a scheme is with its goals.
 * @s:	The scheme, with at least one goal.
 *
 * Return: the achievement of the goal closest to being reached, or
 * furthest past it, in basis points of its target value.
 */
unsigned long damos_goals_score(struct damos *s)
{
	struct damos_quota_goal *g;
	unsigned long best = 0;

	damos_for_each_quota_goal(g, s) {
		u64 score = mul_u64_u64_div_u64(g->current_value, 10000,
						max(g->target_value, 1UL));

		best = max_t(u64, best, min_t(u64, score,
					      DAMOS_GOAL_SCORE_MAX));
	}
	return best;
}

/* Tune the goal size for a new window; the first window only starts it. */
static void damos_goals_tune(struct damos *s, unsigned long base)
{
	struct damos_quota_state *qs = &s->qs;

	damos_goals_measure(s);
	if (!qs->goal_sz)
		qs->goal_sz = base != ULONG_MAX ? max(base, 1UL) :
			DAMOS_GOAL_START_SZ;
	else
		qs->goal_sz = damos_goal_feedback(qs->goal_sz,
						  damos_goals_score(s));
	/* No winding up beyond what the user allows. */
	qs->goal_sz = min(qs->goal_sz, max(base, 1UL));
}

/**
 * damos_quota_window() - Start a new quota window when the last is over.
 * @s:		The scheme.
 * @now:	The time, from ktime_get_ns().
 *
 * A scheme without any quota gets an effective size quota of ULONG_MAX.
 * Otherwise, once &damos_quota->reset_interval has passed since the window
 * started (at once for the first window, and at every call for an interval
 * of 0), the charges are cleared and the effective size quota of the new
 * window is worked out.
 */
void damos_quota_window(struct damos *s, u64 now)
{
	struct damos_quota_state *qs = &s->qs;
	unsigned long base, esz;
	u64 interval;

	if (!damos_quota_configured(s)) {
		WRITE_ONCE(qs->effective_sz, ULONG_MAX);
		return;
	}
	if (check_mul_overflow((u64)s->quota.reset_interval,
			       (u64)NSEC_PER_MSEC, &interval))
		interval = U64_MAX;
	if (qs->window_start_ns && now - qs->window_start_ns < interval)
		return;

	if (qs->total_ns > DAMOS_TPUT_HISTORY_NS) {
		qs->total_ns >>= 1;
		qs->total_sz >>= 1;
	}
	base = damos_base_quota_sz(s);
	esz = base;
	if (!list_empty(&s->goals)) {
		damos_goals_tune(s, base);
		esz = min(esz, qs->goal_sz);
	}
	WRITE_ONCE(qs->effective_sz, esz);
	qs->charged_sz = 0;
	qs->charged_ns = 0;
	qs->exceeded = false;
	qs->window_start_ns = now ? now : 1;
}

/**
 * damos_quota_spent() - Whether a scheme's window has nothing left.
 * @s:	The scheme.
 *
 * Return: true if less than DAMON_MIN_REGION of the effective size quota
 * is left, or the actions have used up the time quota.
 */
bool damos_quota_spent(const struct damos *s)
{
	const struct damos_quota_state *qs = &s->qs;

	if (qs->charged_sz >= qs->effective_sz ||
	    qs->effective_sz - qs->charged_sz < DAMON_MIN_REGION)
		return true;
	return s->quota.ms && qs->charged_ns >= damos_quota_ms_ns(s);
}

/**
 * damos_quota_threshold() - Pick the lowest score the window can reach.
 * @s:	The scheme, whose &damos_quota_state->hist holds the bytes of the
 *	candidate regions per score.
 *
 * Sets &damos_quota_state->min_score to the highest score whose regions,
 * with all better ones, cover what the window has left, and
 * &damos_quota_state->min_score_left to the bytes regions of exactly that
 * score may take.  If all candidates fit, every score is allowed without
 * limit.
 */
void damos_quota_threshold(struct damos *s)
{
	struct damos_quota_state *qs = &s->qs;
	unsigned long left = 0, cum = 0;
	int score;

	if (qs->effective_sz > qs->charged_sz)
		left = qs->effective_sz - qs->charged_sz;
	for (score = DAMOS_MAX_SCORE; score >= 0; score--) {
		if (qs->hist[score] >= left - cum) {
			qs->min_score = score;
			qs->min_score_left = left - cum;
			return;
		}
		cum += qs->hist[score];
	}
	qs->min_score = 0;
	qs->min_score_left = ULONG_MAX;
}

/**
 * damos_quota_left() - The bytes a region may take from the window.
 * @s:		The scheme.
 * @score:	The region's score, at least &damos_quota_state->min_score.
 *
 * Return: what the window has left, or for a region of exactly the lowest
 * score picked, what regions of that score still have.
 */
unsigned long damos_quota_left(const struct damos *s, unsigned int score)
{
	const struct damos_quota_state *qs = &s->qs;
	unsigned long left = 0;

	if (qs->effective_sz > qs->charged_sz)
		left = qs->effective_sz - qs->charged_sz;
	if (score == qs->min_score)
		left = min(left, qs->min_score_left);
	return left;
}

/**
 * damos_quota_charge() - Charge a tried region to the window.
 * @s:		The scheme.
 * @score:	The region's score.
 * @sz:		Its size.
 * @ns:		The time its action took.
 */
void damos_quota_charge(struct damos *s, unsigned int score,
			unsigned long sz, u64 ns)
{
	struct damos_quota_state *qs = &s->qs;

	qs->charged_sz += sz;
	qs->charged_ns += ns;
	qs->total_sz += sz;
	qs->total_ns += ns;
	if (score == qs->min_score && qs->min_score_left != ULONG_MAX)
		qs->min_score_left -= min(sz, qs->min_score_left);
}

/* Weighted mean of three scores; equal priority for all without weights. */
static unsigned int damos_weigh(const struct damos_quota *q,
				unsigned int sz_score, unsigned int freq_score,
				unsigned int age_score)
{
	u64 total = (u64)q->weight_sz + q->weight_nr_accesses + q->weight_age;

	if (!total)
		return DAMOS_MAX_SCORE / 2;
	return div64_u64((u64)q->weight_sz * sz_score +
			 (u64)q->weight_nr_accesses * freq_score +
			 (u64)q->weight_age * age_score, total);
}

/* Larger regions score higher, on a log scale of DAMON_MIN_REGION units. */
static unsigned int damos_sz_score(struct damon_region *r)
{
	unsigned long units = damon_sz_region(r) / DAMON_MIN_REGION;
	unsigned int span = BITS_PER_LONG - ilog2(DAMON_MIN_REGION);

	if (!units)
		return 0;
	return min_t(unsigned int, DAMOS_MAX_SCORE,
		     ilog2(units) * DAMOS_MAX_SCORE / span);
}

/* The access frequency as a share of the samples of an interval. */
static unsigned int damos_freq_score(struct damon_ctx *ctx,
				     struct damon_region *r)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	u64 score = div64_ul((u64)min(damos_nr_accesses(ctx, r), samples) *
			     DAMOS_MAX_SCORE, samples);

	return score;
}

/*
 * How long the region has kept its frequency, on a log scale of tenths of
 * a second: a tenth scores 0, a day about the top.
 */
static unsigned int damos_age_score(struct damon_ctx *ctx,
				    struct damon_region *r)
{
	u64 tenths = div_u64((u64)r->age * ctx->attrs.aggr_interval,
			     100 * USEC_PER_MSEC);

	return min_t(unsigned int, DAMOS_MAX_SCORE,
		     ilog2(tenths + 1) * DAMOS_MAX_SCORE / 20);
}

/*
 * Age makes a region that is accessed hotter and an idle one colder: the
 * top half of the scale for the first, the bottom half for the second.
 */
static unsigned int damos_hot_age(unsigned int freq, unsigned int age)
{
	unsigned int half = (DAMOS_MAX_SCORE + 1) / 2;

	return freq ? half + age / 2 : half - 1 - age / 2;
}

/**
 * damos_hot_score() - How hot a region is, for a scheme's priorities.
 * @ctx:	The context.
 * @r:		The region.
 * @s:		The scheme, whose quota weights are used.
 *
 * The weighted mean of the region's size, its access frequency, and its
 * age, which counts for heat if the region is accessed and against it if
 * not.
 *
 * Return: the score, from 0 to %DAMOS_MAX_SCORE (hottest).
 */
unsigned int damos_hot_score(struct damon_ctx *ctx, struct damon_region *r,
			     struct damos *s)
{
	unsigned int freq = damos_freq_score(ctx, r);

	return damos_weigh(&s->quota, damos_sz_score(r), freq,
			   damos_hot_age(freq, damos_age_score(ctx, r)));
}
EXPORT_SYMBOL_GPL(damos_hot_score);

/**
 * damos_cold_score() - How cold a region is, for a scheme's priorities.
 * @ctx:	The context.
 * @r:		The region.
 * @s:		The scheme, whose quota weights are used.
 *
 * Like damos_hot_score() with frequency and age counting the other way;
 * larger regions still score higher.
 *
 * Return: the score, from 0 to %DAMOS_MAX_SCORE (coldest).
 */
unsigned int damos_cold_score(struct damon_ctx *ctx, struct damon_region *r,
			      struct damos *s)
{
	unsigned int freq = damos_freq_score(ctx, r);

	return damos_weigh(&s->quota, damos_sz_score(r),
			   DAMOS_MAX_SCORE - freq,
			   DAMOS_MAX_SCORE -
			   damos_hot_age(freq, damos_age_score(ctx, r)));
}
EXPORT_SYMBOL_GPL(damos_cold_score);

/**
 * damos_default_score() - A region's priority for a scheme's action.
 * @ctx:	The context.
 * @r:		The region.
 * @s:		The scheme.
 *
 * Hotness for the actions that want hot memory (willneed, hugepage,
 * lru_prio, migrate_hot), coldness for the others.
 *
 * Return: the score, from 0 to %DAMOS_MAX_SCORE (act on first).
 */
unsigned int damos_default_score(struct damon_ctx *ctx, struct damon_region *r,
				 struct damos *s)
{
	if (damos_action_wants_hot(s->action))
		return damos_hot_score(ctx, r, s);
	return damos_cold_score(ctx, r, s);
}
EXPORT_SYMBOL_GPL(damos_default_score);

/**
 * damos_score() - A region's priority score, as the operations set sees it.
 * @ctx:	The context.
 * @t:		The target of @r.
 * @r:		The region.
 * @s:		The scheme.
 *
 * Return: &damon_operations->scheme_score's answer if the operations set
 * has one, clamped to %DAMOS_MAX_SCORE; damos_default_score() otherwise.
 */
unsigned int damos_score(struct damon_ctx *ctx, struct damon_target *t,
			 struct damon_region *r, struct damos *s)
{
	if (ctx->ops.scheme_score)
		return min_t(unsigned int, ctx->ops.scheme_score(ctx, t, r, s),
			     DAMOS_MAX_SCORE);
	return damos_default_score(ctx, r, s);
}
