// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON regions: allocating them, linking them into a target's list, cutting
 * and merging them, and making a target cover a set of address ranges.
 *
 * These are the primitives that the adaptive regions adjustment (regions.c),
 * the operations sets and the interfaces build on; they depend on nothing
 * else of DAMON.
 */

#include <linux/export.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "core_internal.h"

/**
 * damon_new_region() - Allocate a region.
 * @start:	The first address of the region.
 * @end:	The first address past the region.
 *
 * The new region has no recorded access and belongs to no target; add it to
 * one with damon_add_region().
 *
 * Return: the region, or NULL if memory is short.
 */
struct damon_region *damon_new_region(unsigned long start, unsigned long end)
{
	struct damon_region *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->ar.start = start;
	r->ar.end = end;
	r->sampling_addr = start;
	r->hit_addr = ULONG_MAX;
	INIT_LIST_HEAD(&r->list);
	return r;
}
EXPORT_SYMBOL_GPL(damon_new_region);

/**
 * damon_add_region() - Append a region to a target.
 * @r:	The region, which must lie past every region of @t.
 * @t:	The target.
 */
void damon_add_region(struct damon_region *r, struct damon_target *t)
{
	list_add_tail(&r->list, &t->regions);
	t->nr_regions++;
}
EXPORT_SYMBOL_GPL(damon_add_region);

/**
 * damon_destroy_region() - Unlink a region from its target and free it.
 * @r:	The region.
 * @t:	The target holding @r.
 */
void damon_destroy_region(struct damon_region *r, struct damon_target *t)
{
	list_del(&r->list);
	t->nr_regions--;
	kfree(r);
}
EXPORT_SYMBOL_GPL(damon_destroy_region);

/**
 * damon_insert_region_after() - Link a region into a target.
 * @r:		The new region.
 * @prev:	The region @r follows, or NULL to make @r the first one.
 * @t:		The target holding @prev.
 */
void damon_insert_region_after(struct damon_region *r,
			       struct damon_region *prev,
			       struct damon_target *t)
{
	list_add(&r->list, prev ? &prev->list : &t->regions);
	t->nr_regions++;
}

/**
 * damon_split_region_at() - Cut a region in two.
 * @t:		The target holding @r.
 * @r:		The region; it keeps its first @sz_left bytes.
 * @sz_left:	The size of the left piece.
 *
 * The right piece is a new region right after @r, with the access
 * information of @r.
 *
 * Return: the right piece, or NULL if @sz_left is 0 or not smaller than
 * @r, or if memory is short.
 */
struct damon_region *damon_split_region_at(struct damon_target *t,
					   struct damon_region *r,
					   unsigned long sz_left)
{
	struct damon_region *right;

	if (!sz_left || sz_left >= damon_sz_region(r))
		return NULL;
	right = damon_new_region(r->ar.start + sz_left, r->ar.end);
	if (!right)
		return NULL;
	right->nr_accesses = r->nr_accesses;
	right->last_nr_accesses = r->last_nr_accesses;
	right->age = r->age;
	right->hit_addr = r->hit_addr;
	right->hit_units = r->hit_units;
	r->ar.end = right->ar.start;
	damon_insert_region_after(right, r, t);
	return right;
}

/**
 * damon_split_region_evenly() - Cut a region into pieces of equal size.
 * @t:		The target holding @r.
 * @r:		The region.
 * @nr_pieces:	How many pieces to make.
 *
 * Piece sizes are multiples of DAMON_MIN_REGION that differ by at most one
 * DAMON_MIN_REGION; the last piece also takes any unaligned tail of @r.
 *
 * Return: 0 on success; -EINVAL if @nr_pieces is 0 or @r is too small to
 * give each piece DAMON_MIN_REGION bytes, leaving @r untouched; -ENOMEM if
 * memory is short, leaving fewer pieces.
 */
int damon_split_region_evenly(struct damon_target *t, struct damon_region *r,
			      unsigned int nr_pieces)
{
	unsigned long units = damon_sz_region(r) / DAMON_MIN_REGION;
	unsigned long each, extra;
	unsigned int i;

	if (!nr_pieces || units < nr_pieces)
		return -EINVAL;
	each = units / nr_pieces;
	extra = units % nr_pieces;
	for (i = 0; i + 1 < nr_pieces; i++) {
		unsigned long sz = (each + (i < extra)) * DAMON_MIN_REGION;

		r = damon_split_region_at(t, r, sz);
		if (!r)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The fraction @w / @total of @d, rounded down, or to the nearest with
 * @nearest (half up).  2 * @d fits: @d is an unsigned int.
 */
static unsigned int damon_part_of(unsigned int d, unsigned long w,
				  unsigned long total, bool nearest)
{
	if (!nearest)
		return mul_u64_u64_div_u64(d, w, total);
	return (mul_u64_u64_div_u64(2 * (u64)d, w, total) + 1) / 2;
}

/*
 * The mean of @a and @b weighted by @wa and @wb, rounded down, or to the
 * nearest with @nearest.  Computed as the smaller value plus a fraction of
 * the difference so that neither the weights nor the products can
 * overflow.
 */
static unsigned int damon_weighted_mean(unsigned int a, unsigned long wa,
					unsigned int b, unsigned long wb,
					bool nearest)
{
	unsigned long total;

	if (check_add_overflow(wa, wb, &total)) {
		wa >>= 1;
		wb >>= 1;
		total = wa + wb;
	}
	if (!total)
		return a / 2 + b / 2 + (a & b & 1);
	if (a >= b)
		return b + damon_part_of(a - b, wa, total, nearest);
	return a + damon_part_of(b - a, wb, total, nearest);
}

/**
 * damon_merge_two_regions() - Merge a region into its left neighbour.
 * @t:	The target holding both regions.
 * @l:	The left region, which grows to cover @r.
 * @r:	The region right after @l, which is freed.
 *
 * The access counts and the age of the result are the means of both
 * regions' values weighted by their sizes: the counts rounded down, the
 * age to the nearest.  Counts are measured anew every aggregation
 * interval, but an age lives on through the merges of many; rounded down
 * at each, a region's age would wear away whenever pieces of slightly
 * different ages join (1 and 0 make 0), and a hot region that keeps its
 * frequency would rarely look older than an interval or two.  The result
 * keeps the likely
 * hot window (&damon_region->hit_units) of either region.
 */
void damon_merge_two_regions(struct damon_target *t, struct damon_region *l,
			     struct damon_region *r)
{
	unsigned long sz_l = damon_sz_region(l), sz_r = damon_sz_region(r);

	l->nr_accesses = damon_weighted_mean(l->nr_accesses, sz_l,
					     r->nr_accesses, sz_r, false);
	l->last_nr_accesses = damon_weighted_mean(l->last_nr_accesses, sz_l,
						  r->last_nr_accesses, sz_r,
						  false);
	l->age = damon_weighted_mean(l->age, sz_l, r->age, sz_r, true);
	if (!l->hit_units) {
		l->hit_addr = r->hit_addr;
		l->hit_units = r->hit_units;
	}
	l->ar.end = r->ar.end;
	damon_destroy_region(r, t);
}

/* Widen [@start, @end) to DAMON_MIN_REGION boundaries without wrapping. */
static void damon_align_range(struct damon_addr_range *ar)
{
	ar->start = ALIGN_DOWN(ar->start, DAMON_MIN_REGION);
	if (ar->end > ALIGN_DOWN(ULONG_MAX, DAMON_MIN_REGION))
		ar->end = ALIGN_DOWN(ULONG_MAX, DAMON_MIN_REGION);
	else
		ar->end = ALIGN(ar->end, DAMON_MIN_REGION);
}

/*
 * Check @ranges and write them, aligned to DAMON_MIN_REGION and with ranges
 * that touch after alignment joined, to @out.  Return how many ranges @out
 * holds, or -EINVAL.
 */
static int damon_prepare_ranges(const struct damon_addr_range *ranges,
				unsigned int nr_ranges,
				struct damon_addr_range *out)
{
	unsigned int i;
	int nr = 0;

	for (i = 0; i < nr_ranges; i++) {
		struct damon_addr_range ar = ranges[i];

		if (ar.start >= ar.end)
			return -EINVAL;
		if (i && ar.start < ranges[i - 1].end)
			return -EINVAL;
		damon_align_range(&ar);
		if (ar.start >= ar.end)
			return -EINVAL;
		if (nr && ar.start <= out[nr - 1].end) {
			out[nr - 1].end = max(out[nr - 1].end, ar.end);
			continue;
		}
		out[nr++] = ar;
	}
	return nr;
}

/*
 * Remove the parts of @t's regions that lie outside @ranges.  A region that
 * spans several ranges is cut into one piece per range, each keeping the
 * region's access information.
 */
static int damon_trim_regions(struct damon_target *t,
			      const struct damon_addr_range *ranges,
			      unsigned int nr)
{
	struct damon_region *r, *next;
	unsigned int i = 0;

	damon_for_each_region_safe(r, next, t) {
		while (i < nr && ranges[i].end <= r->ar.start)
			i++;
		if (i == nr || ranges[i].start >= r->ar.end) {
			damon_destroy_region(r, t);
			continue;
		}
		r->ar.start = max(r->ar.start, ranges[i].start);
		/* Pieces split off here sit before @next and are done here. */
		while (r->ar.end > ranges[i].end) {
			struct damon_region *piece;
			unsigned long sz_left;

			if (i + 1 == nr || ranges[i + 1].start >= r->ar.end) {
				r->ar.end = ranges[i].end;
				break;
			}
			sz_left = ranges[i + 1].start - r->ar.start;
			piece = damon_split_region_at(t, r, sz_left);
			if (!piece)
				return -ENOMEM;
			r->ar.end = ranges[i].end;
			r = piece;
			i++;
		}
	}
	return 0;
}

/* Add regions for the parts of @ranges that no region of @t covers yet. */
static int damon_fill_holes(struct damon_target *t,
			    const struct damon_addr_range *ranges,
			    unsigned int nr)
{
	struct damon_region *r, *prev = NULL, *hole;
	struct list_head *pos = t->regions.next;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		unsigned long covered = ranges[i].start;

		for (; pos != &t->regions; pos = pos->next) {
			r = list_entry(pos, struct damon_region, list);
			if (r->ar.start >= ranges[i].end)
				break;
			if (r->ar.start > covered) {
				hole = damon_new_region(covered, r->ar.start);
				if (!hole)
					return -ENOMEM;
				damon_insert_region_after(hole, prev, t);
			}
			covered = r->ar.end;
			prev = r;
		}
		if (covered < ranges[i].end) {
			hole = damon_new_region(covered, ranges[i].end);
			if (!hole)
				return -ENOMEM;
			damon_insert_region_after(hole, prev, t);
			prev = hole;
		}
	}
	return 0;
}

/**
 * damon_set_regions() - Make a target cover exactly the given ranges.
 * @t:		The target.
 * @ranges:	Address ranges, sorted by address and not overlapping.
 * @nr_ranges:	How many ranges @ranges holds.
 *
 * The ranges are widened to DAMON_MIN_REGION boundaries.  Regions outside
 * the ranges are removed, regions crossing a range's edge are cut at it, and
 * the parts of the ranges no region covers get new regions.  Regions that
 * overlap the ranges keep their access information, so operations sets call
 * this every update interval to follow a changing address space.  No range
 * means no region.
 *
 * Return: 0 on success; -EINVAL if a range is empty or lies entirely above
 * the last DAMON_MIN_REGION boundary of the address space (where no region
 * fits), or the ranges are not sorted or overlap, in which case @t is left
 * untouched; -ENOMEM if memory is short, in which case @t may cover only
 * part of the ranges.
 */
int damon_set_regions(struct damon_target *t, struct damon_addr_range *ranges,
		      unsigned int nr_ranges)
{
	struct damon_addr_range *aligned = NULL;
	int nr, err;

	if (nr_ranges) {
		aligned = kmalloc_array(nr_ranges, sizeof(*aligned),
					GFP_KERNEL);
		if (!aligned)
			return -ENOMEM;
	}
	nr = damon_prepare_ranges(ranges, nr_ranges, aligned);
	if (nr < 0) {
		err = nr;
		goto out;
	}
	err = damon_trim_regions(t, aligned, nr);
	if (!err)
		err = damon_fill_holes(t, aligned, nr);
out:
	kfree(aligned);
	return err;
}
EXPORT_SYMBOL_GPL(damon_set_regions);
