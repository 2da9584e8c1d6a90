/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON tracepoints.
 *
 * perf, trace-cmd and DAMON's user space tools parse the text that the
 * tracepoints print, so their format is part of the ABI.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM damon

/* This header is read several times when CREATE_TRACE_POINTS is set. */
#if !defined(_TRACE_DAMON_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_DAMON_H

#include <linux/damon.h>
#include <linux/tracepoint.h>

/*
 * damon_aggregated - One region's result of an aggregation interval.
 *
 * Emitted for every region of every target at the end of each aggregation
 * interval, before the regions are merged and split.  @target_id is the
 * index of the target in its context, and @nr_regions how many regions that
 * target has.
 */
TRACE_EVENT(damon_aggregated,
	    TP_PROTO(unsigned int target_id, struct damon_region *r,
		     unsigned int nr_regions),
	    TP_ARGS(target_id, r, nr_regions),

	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(unsigned long, target_id)
			     __field(unsigned int, nr_accesses)
			     __field(unsigned int, age)
			     __field(unsigned int, nr_regions)),

	    TP_fast_assign(__entry->start = r->ar.start;
			   __entry->end = r->ar.end;
			   __entry->nr_accesses = r->nr_accesses;
			   __entry->age = r->age;
			   __entry->target_id = target_id;
			   __entry->nr_regions = nr_regions;),

	    TP_printk("target_id=%lu nr_regions=%u %lu-%lu: %u %u",
		      __entry->target_id, __entry->nr_regions, __entry->start,
		      __entry->end, __entry->nr_accesses, __entry->age)
);

/*
 * damos_before_apply - A region a scheme is about to act on.
 *
 * Emitted for every region a DAMOS scheme tries, right before its action
 * is applied.  @ctx_idx is the index of the context in its kdamond (each
 * kdamond runs one), @scheme_idx that of the scheme in the context,
 * @target_idx that of the region's target, and @nr_accesses the access
 * frequency the scheme saw.  Same text as damon_aggregated after the
 * indexes.
 */
TRACE_EVENT(damos_before_apply,
	    TP_PROTO(unsigned int ctx_idx, unsigned int scheme_idx,
		     unsigned int target_idx, struct damon_region *r,
		     unsigned int nr_accesses, unsigned int nr_regions),
	    TP_ARGS(ctx_idx, scheme_idx, target_idx, r, nr_accesses,
		    nr_regions),

	    /* The longs first: no padding between the fields. */
	    TP_STRUCT__entry(__field(unsigned long, start)
			     __field(unsigned long, end)
			     __field(unsigned long, target_idx)
			     __field(unsigned int, ctx_idx)
			     __field(unsigned int, scheme_idx)
			     __field(unsigned int, nr_regions)
			     __field(unsigned int, nr_accesses)
			     __field(unsigned int, age)),

	    TP_fast_assign(__entry->start = r->ar.start;
			   __entry->end = r->ar.end;
			   __entry->target_idx = target_idx;
			   __entry->ctx_idx = ctx_idx;
			   __entry->scheme_idx = scheme_idx;
			   __entry->nr_regions = nr_regions;
			   __entry->nr_accesses = nr_accesses;
			   __entry->age = r->age;),

	    TP_printk("ctx_idx=%u scheme_idx=%u target_idx=%lu nr_regions=%u %lu-%lu: %u %u",
		      __entry->ctx_idx, __entry->scheme_idx,
		      __entry->target_idx, __entry->nr_regions,
		      __entry->start, __entry->end,
		      __entry->nr_accesses, __entry->age)
);

#endif /* _TRACE_DAMON_H */

/* Must be outside the include guard. */
#include <trace/define_trace.h>
