// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON adaptive regions adjustment.
 *
 * At the end of every aggregation interval the kdamond ages the regions,
 * merges neighbours whose access counts are close, and splits the result
 * again at random points.  Merging bounds the number of regions, and so the
 * cost of a sampling interval, by max_nr_regions; the size limit on merges
 * keeps at least min_nr_regions; random splitting lets a region that holds
 * both hot and cold memory be cut along the border sooner or later, and a
 * mostly idle region in which a sample still found an access is cut around
 * that access, so that a small hot part does not hide in it for long.
 */

#include <linux/math.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

#include "core_internal.h"

/*
 * Aggregation intervals of about the same access count (&damon_region->age)
 * after which a uniformly hot or idle region is cut less.
 */
#define DAMON_SETTLED_AGE	2

/**
 * damon_counts_alike() - Whether two access counts may come from one
 *			  access frequency.
 * @a:		An access count.
 * @b:		Another one.
 * @samples:	The sampling intervals both were counted in.
 *
 * Two parts of memory accessed with the same probability p in each
 * sampling interval get counts that differ by sampling noise alone, with a
 * standard deviation of sqrt(2 * @samples * p * (1 - p)): about three for
 * twenty samples and p = 1/2, more than a fixed threshold of a tenth of
 * the samples.  Neighbours in memory of mixed hot and idle pages (base
 * pages of a hot set scattered in physical memory) would then stay apart
 * after every split, and their number would grow each aggregation up to
 * max_nr_regions without telling more about the memory.  Counts within
 * twice that deviation of each other, p estimated from both, are alike.
 * A count of 0 is never: no sample at all found an access there.
 *
 * Return: whether @a and @b are both non-zero and within twice the noise.
 */
bool damon_counts_alike(unsigned int a, unsigned int b, unsigned long samples)
{
	u64 sum = (u64)a + b, diff = abs_diff(a, b);

	if (!a || !b || sum >= 2 * (u64)samples)
		return false;
	/* diff^2 <= 4 * 2 * samples * p * (1 - p), p = sum / (2 * samples) */
	return diff * diff <= mul_u64_u64_div_u64(2 * sum,
						  2 * (u64)samples - sum,
						  samples);
}

/**
 * damon_merge_regions_of() - Merge similar neighbouring regions of a target.
 * @t:		The target.
 * @thres:	Largest difference of &damon_region->nr_accesses to merge.
 * @sz_limit:	Largest size a merged region may have.
 * @samples:	Sampling intervals the counts were made in, to merge counts
 *		alike (damon_counts_alike()) whatever @thres, or 0 not to.
 *
 * Walks the regions in address order, merging each into the region before
 * it when the two touch, their access counts differ by at most @thres or
 * are alike, and the result is at most @sz_limit bytes.  A merged region
 * is compared with its next neighbour using its merged count.
 */
void damon_merge_regions_of(struct damon_target *t, unsigned int thres,
			    unsigned long sz_limit, unsigned long samples)
{
	struct damon_region *r, *next, *prev = NULL;

	damon_for_each_region_safe(r, next, t) {
		if (prev && prev->ar.end == r->ar.start &&
		    (abs_diff(prev->nr_accesses, r->nr_accesses) <= thres ||
		     damon_counts_alike(prev->nr_accesses, r->nr_accesses,
					samples)) &&
		    r->ar.end - prev->ar.start <= sz_limit) {
			damon_merge_two_regions(t, prev, r);
			continue;
		}
		prev = r;
	}
}

/**
 * damon_update_age() - Age a region at the end of an aggregation interval.
 * @r:		The region.
 * @thres:	Largest change of the access count that still counts as
 *		"about the same".
 * @samples:	Sampling intervals per aggregation interval, or 0.
 *
 * The age grows by one when &damon_region->nr_accesses differs from
 * &damon_region->last_nr_accesses by at most @thres, or the two counts are
 * alike for @samples (damon_counts_alike(), as merging asks), and drops
 * to 0 when the access frequency changed more than that.  A region that
 * keeps its frequency but is not accessed in every sample (memory swept
 * a little slower than the sampling interval, say) sees its count swing
 * by a few from one interval to the next; if that reset its age, it would
 * never look as old as it is to a scheme that wants it hot for a while.
 */
void damon_update_age(struct damon_region *r, unsigned int thres,
		      unsigned long samples)
{
	if (abs_diff(r->nr_accesses, r->last_nr_accesses) > thres &&
	    !damon_counts_alike(r->nr_accesses, r->last_nr_accesses, samples))
		r->age = 0;
	else if (r->age < UINT_MAX)
		r->age++;
}

/**
 * damon_ctx_nr_regions() - The number of regions of all targets.
 * @ctx:	The context.
 *
 * Return: the number of regions of @ctx.
 */
unsigned long damon_ctx_nr_regions(struct damon_ctx *ctx)
{
	struct damon_target *t;
	unsigned long nr = 0;

	damon_for_each_target(t, ctx)
		nr += t->nr_regions;
	return nr;
}

/**
 * damon_ctx_sz_monitored() - The total size of all regions.
 * @ctx:	The context.
 *
 * Return: the number of bytes that the regions of @ctx cover, or ULONG_MAX
 * if that does not fit.
 */
unsigned long damon_ctx_sz_monitored(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned long sz = 0;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			if (check_add_overflow(sz, damon_sz_region(r), &sz))
				return ULONG_MAX;
		}
	}
	return sz;
}

/**
 * damon_merge_sz_limit() - The largest region merging may create.
 * @ctx:	The context.
 *
 * A share of 1 / min_nr_regions of the monitored memory, so that regions
 * no larger than this are at least min_nr_regions; never less than
 * DAMON_MIN_REGION.
 *
 * Return: the size limit in bytes.
 */
unsigned long damon_merge_sz_limit(struct damon_ctx *ctx)
{
	unsigned long limit = damon_ctx_sz_monitored(ctx) /
		max(ctx->attrs.min_nr_regions, 1UL);

	return max(limit, DAMON_MIN_REGION);
}

/**
 * damon_merge_threshold() - How close access counts must be to merge.
 * @ctx:	The context.
 *
 * A tenth of the sampling intervals per aggregation interval, at least 1.
 * The same threshold decides whether a region's access frequency changed
 * enough to reset its age.
 *
 * Return: the threshold.
 */
unsigned int damon_merge_threshold(struct damon_ctx *ctx)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);

	return max(samples / 10, 1UL);
}

/**
 * damon_merge_regions() - Merge similar regions of every target.
 * @ctx:	The context.
 * @thres:	See damon_merge_regions_of().
 * @sz_limit:	See damon_merge_regions_of().
 *
 * Counts alike for @ctx's samples per aggregation merge too.
 */
void damon_merge_regions(struct damon_ctx *ctx, unsigned int thres,
			 unsigned long sz_limit)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	struct damon_target *t;

	damon_for_each_target(t, ctx)
		damon_merge_regions_of(t, thres, sz_limit, samples);
}

/*
 * Merge until the context has at most max_nr_regions regions: first with
 * @thres, then with doubled thresholds up to the number of samples per
 * aggregation (at which every count is "close"), and as a last resort
 * without size limit.  Regions that do not touch are never merged, so a
 * target given more separate ranges than max_nr_regions keeps them.
 */
static void damon_merge_to_fit(struct damon_ctx *ctx, unsigned int thres)
{
	unsigned long max_nr = ctx->attrs.max_nr_regions;
	unsigned long sz_limit = damon_merge_sz_limit(ctx);
	unsigned int top = damon_aggr_samples(&ctx->attrs);

	damon_merge_regions(ctx, thres, sz_limit);
	while (damon_ctx_nr_regions(ctx) > max_nr && thres < top) {
		thres = thres > top / 2 ? top : thres * 2;
		damon_merge_regions(ctx, thres, sz_limit);
	}
	if (damon_ctx_nr_regions(ctx) > max_nr)
		damon_merge_regions(ctx, UINT_MAX, ULONG_MAX);
}

/*
 * Cut a DAMON_MIN_REGION-aligned head of random size off @r, leaving the
 * rest at least @nr_rest DAMON_MIN_REGION when @r is large enough, so that
 * the rest can be cut further.  Return the rest, or NULL if @r is too small
 * to be cut or memory is short.
 */
static struct damon_region *damon_split_randomly(struct damon_target *t,
						 struct damon_region *r,
						 unsigned long nr_rest)
{
	unsigned long units = damon_sz_region(r) / DAMON_MIN_REGION;

	if (units < 2)
		return NULL;
	nr_rest = clamp(nr_rest, 1UL, units - 1);
	return damon_split_region_at(t, r,
			damon_rand(1, units - nr_rest + 1) * DAMON_MIN_REGION);
}

/*
 * Cut out of @r the &damon_region->hit_units DAMON_MIN_REGION around
 * &damon_region->hit_addr, making at most @budget cuts; return how many
 * were made.  See damon_mark_hot_windows() for why.
 */
static unsigned long damon_split_around_hit(struct damon_target *t,
					    struct damon_region *r,
					    unsigned long budget)
{
	unsigned long units = damon_sz_region(r) / DAMON_MIN_REGION;
	unsigned long piece = min_t(unsigned long, r->hit_units, units);
	unsigned long lo = (r->hit_addr - r->ar.start) / DAMON_MIN_REGION;
	unsigned long cuts = 0;

	if (units < 2 || !budget)
		return 0;
	/* Offsets in DAMON_MIN_REGION units; the piece is [lo, lo + piece). */
	lo = lo > piece / 2 ? lo - piece / 2 : 0;
	lo = min(lo, units - piece);
	if (lo) {
		r = damon_split_region_at(t, r, lo * DAMON_MIN_REGION);
		if (!r)
			return 0;
		cuts++;
	}
	if (cuts < budget && lo + piece < units &&
	    damon_split_region_at(t, r, piece * DAMON_MIN_REGION))
		cuts++;
	return cuts;
}

/* Holds a likely hot window, at an address it still covers. */
static bool damon_has_hot_window(struct damon_region *r)
{
	return r->hit_units && r->hit_addr >= r->ar.start &&
		r->hit_addr < r->ar.end;
}

/*
 * Whether the accesses seen in @r, a mostly idle region, look spread over
 * it rather than packed in one part: it saw about as many of them in the
 * aggregation interval before (&damon_region->age is not 0), and that was
 * not none.  A region that keeps its density after a window was cut out
 * around an access, or after random cuts, holds hot pages scattered among
 * idle ones (base pages of a hot set in physical memory, say): cutting
 * windows would then only peel single pages off it, one aggregation after
 * another, up to max_nr_regions, without showing more of the hot set.
 * Random cuts still refine it.  Ages are updated before this is asked.
 */
static bool damon_hits_spread(struct damon_region *r)
{
	return r->age && r->last_nr_accesses;
}

/**
 * damon_mark_hot_windows() - Size the likely hot part of mostly idle
 *			      regions in which an access was seen.
 * @ctx:	The context, whose regions hold the access counts of the
 *		aggregation interval that just ended, not merged yet.
 *
 * A region found accessed in @n of @samples sampling intervals, @n at most
 * half of @samples, probably holds a hot part of about @n / @samples of its
 * size, around the address where an access was seen.  Random cuts rarely
 * isolate a small hot part: each piece that misses it looks idle and merges
 * back into its idle neighbours, and the part keeps a large region counted
 * as accessed.  Record the size of that part, so that damon_split_regions()
 * cuts it out after the merge; in the next aggregation it makes up most of
 * its region, and the rest of the region is seen idle.
 */
void damon_mark_hot_windows(struct damon_ctx *ctx)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			unsigned long units = damon_sz_region(r) /
				DAMON_MIN_REGION;

			r->hit_units = 0;
			if (!r->nr_accesses || r->nr_accesses > samples / 2 ||
			    r->hit_addr < r->ar.start ||
			    r->hit_addr >= r->ar.end ||
			    damon_hits_spread(r))
				continue;
			units = mul_u64_u64_div_u64(units, r->nr_accesses,
						    samples);
			r->hit_units = clamp(units, 1UL, (unsigned long)UINT_MAX);
		}
	}
}

/*
 * How many pieces to cut @r into, where a region that could change would
 * get @nr_pieces.  A region whose access count has stayed about the same
 * for DAMON_SETTLED_AGE aggregation intervals, and was found accessed in
 * every sample of the last one, is uniformly hot: cutting it would only
 * give pieces that merge back, so it is left whole.  One found idle as
 * long gets two pieces at most: that still moves its sampling address
 * over it twice as fast, and a hot part appearing in it is cut out
 * around the access that shows it (damon_mark_hot_windows()), but a
 * third piece would mostly merge back, while costing a sample every
 * sampling interval like any region.
 */
static unsigned long damon_nr_pieces_of(struct damon_region *r,
					unsigned long nr_pieces,
					unsigned long samples)
{
	if (r->age < DAMON_SETTLED_AGE)
		return nr_pieces;
	if (r->last_nr_accesses >= samples)
		return 1;
	if (!r->last_nr_accesses)
		return min(nr_pieces, 2UL);
	return nr_pieces;
}

/**
 * damon_split_regions() - Split the regions of a context at random points.
 * @ctx:	The context.
 *
 * Each region is cut into three pieces while the context has few regions
 * (at most a sixth of max_nr_regions) and into two while it has at most half
 * of max_nr_regions.  A context below min_nr_regions, which only happens
 * after its ranges changed or it had to be merged without size limit, gets
 * as many pieces as needed to reach min_nr_regions.  Cuts stop before the
 * context would exceed max_nr_regions, and regions smaller than two
 * DAMON_MIN_REGION are never cut.  A region holding a likely hot window
 * (damon_mark_hot_windows()) is cut around it instead of at random; while
 * the context has at least min_nr_regions, one that has long been
 * uniformly hot or idle is cut less (damon_nr_pieces_of()).
 * Forgets the accessed addresses and windows in the end.
 */
void damon_split_regions(struct damon_ctx *ctx)
{
	unsigned long nr = damon_ctx_nr_regions(ctx);
	unsigned long max_nr = ctx->attrs.max_nr_regions;
	unsigned long min_nr = min(ctx->attrs.min_nr_regions, max_nr);
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	unsigned long nr_pieces, budget;
	struct damon_region *r, *next;
	struct damon_target *t;
	bool settle = nr >= min_nr;

	if (!nr || nr >= max_nr)
		goto forget;
	if (nr <= max_nr / 6)
		nr_pieces = 3;
	else if (nr <= max_nr / 2)
		nr_pieces = 2;
	else
		nr_pieces = 1;
	budget = max_nr - nr;
	if (nr < min_nr) {
		nr_pieces = max(nr_pieces, min_nr / nr + !!(min_nr % nr));
		/* Only the cuts needed to reach min_nr_regions. */
		if (nr > max_nr / 2)
			budget = min_nr - nr;
	}
	if (nr_pieces < 2)
		goto forget;

	damon_for_each_target(t, ctx) {
		damon_for_each_region_safe(r, next, t) {
			unsigned long i, pieces = nr_pieces;

			if (settle)
				pieces = damon_nr_pieces_of(r, nr_pieces,
							    samples);
			if (damon_has_hot_window(r)) {
				budget -= damon_split_around_hit(t, r, budget);
			} else {
				for (i = 1; i < pieces && budget; i++) {
					r = damon_split_randomly(t, r,
								 pieces - i);
					if (!r)
						break;
					budget--;
				}
			}
			if (!budget)
				goto forget;
		}
	}
forget:
	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t) {
			r->hit_addr = ULONG_MAX;
			r->hit_units = 0;
		}
}

/**
 * damon_initial_split() - Split regions before the first sampling.
 * @ctx:	The context.
 *
 * Cuts every region larger than damon_merge_sz_limit() evenly into pieces
 * no larger than that, so each target gets its size's share of
 * min_nr_regions, without ever exceeding max_nr_regions or making a piece
 * smaller than DAMON_MIN_REGION.
 */
void damon_initial_split(struct damon_ctx *ctx)
{
	unsigned long sz_limit = damon_merge_sz_limit(ctx);
	unsigned long nr = damon_ctx_nr_regions(ctx);
	unsigned long max_nr = ctx->attrs.max_nr_regions;
	unsigned long budget = nr < max_nr ? max_nr - nr : 0;
	struct damon_region *r, *next;
	struct damon_target *t;

	damon_for_each_target(t, ctx) {
		damon_for_each_region_safe(r, next, t) {
			unsigned long sz = damon_sz_region(r);
			unsigned long nr_pieces;

			if (!budget)
				return;
			if (sz <= sz_limit)
				continue;
			/* DIV_ROUND_UP() could overflow near ULONG_MAX. */
			nr_pieces = sz / sz_limit + !!(sz % sz_limit);
			nr_pieces = min(nr_pieces, sz / DAMON_MIN_REGION);
			if (nr_pieces - 1 > budget)
				nr_pieces = budget + 1;
			nr_pieces = min_t(unsigned long, nr_pieces, UINT_MAX);
			if (nr_pieces < 2)
				continue;
			if (damon_split_region_evenly(t, r, nr_pieces))
				return;
			budget -= nr_pieces - 1;
		}
	}
}

/**
 * damon_fit_nr_regions() - Bring the number of regions within bounds now.
 * @ctx:	The context.
 *
 * An operations update (ranges that grew by a large new region, or shrank)
 * or a commit (new bounds) may leave a context outside
 * [min_nr_regions, max_nr_regions], as may a split that could not cut
 * regions that are small or hold a hot window into enough pieces.  Users
 * see the regions at the end of the next aggregation interval, before
 * that interval adapts them, so fix the count at once: merge as
 * damon_adapt_regions() does while there are too many, and cut regions
 * larger than damon_merge_sz_limit() evenly while there are too few.
 * A context already within its bounds is left as it is.
 */
void damon_fit_nr_regions(struct damon_ctx *ctx)
{
	if (damon_ctx_nr_regions(ctx) > ctx->attrs.max_nr_regions)
		damon_merge_to_fit(ctx, damon_merge_threshold(ctx));
	if (damon_ctx_nr_regions(ctx) < ctx->attrs.min_nr_regions)
		damon_initial_split(ctx);
}

/**
 * damon_age_regions() - Age the regions at the end of an aggregation.
 * @ctx:	The context, whose regions hold the access counts of the
 *		aggregation interval that just ended.
 *
 * Done before the schemes look at the regions, so that they see each
 * region's count and age of the same interval: with the age of the
 * interval before, a region whose memory just went cold would still look
 * old and hot, and one just warmed up would look hot for its old age.
 */
void damon_age_regions(struct damon_ctx *ctx)
{
	unsigned long samples = damon_aggr_samples(&ctx->attrs);
	unsigned int thres = damon_merge_threshold(ctx);
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			damon_update_age(r, thres, samples);
}

/**
 * damon_resize_regions() - Merge and split aged regions for the next
 *			    aggregation interval.
 * @ctx:	The context, aged by damon_age_regions().
 *
 * Sizes the likely hot part of mostly idle regions that saw an access,
 * merges them until at most max_nr_regions are left, moves the access
 * counts to &damon_region->last_nr_accesses, and splits the regions for
 * the next aggregation interval, evenly where random cuts leave fewer than
 * min_nr_regions.
 */
void damon_resize_regions(struct damon_ctx *ctx)
{
	unsigned int thres = damon_merge_threshold(ctx);
	struct damon_target *t;
	struct damon_region *r;

	damon_mark_hot_windows(ctx);
	damon_merge_to_fit(ctx, thres);
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->last_nr_accesses = r->nr_accesses;
			r->nr_accesses = 0;
		}
	}
	damon_split_regions(ctx);
	damon_fit_nr_regions(ctx);
}

/**
 * damon_adapt_regions() - Age, merge and split the regions at the end of an
 *			   aggregation interval, with no scheme in between.
 * @ctx:	The context.
 */
void damon_adapt_regions(struct damon_ctx *ctx)
{
	damon_age_regions(ctx);
	damon_resize_regions(ctx);
}
