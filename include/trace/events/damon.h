/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON tracepoints.
 *
 * perf, trace-cmd and DAMON's user space tools parse the text that
 * damon_aggregated prints, so its format is part of the ABI.
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

#endif /* _TRACE_DAMON_H */

/* Must be outside the include guard. */
#include <trace/define_trace.h>
