/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON internals shared by the files of the damon module: the core, the
 * operations sets, the interfaces and the KUnit suites.  Nothing here is
 * exported; other modules use <linux/damon.h> only.
 */

#ifndef _MM_DAMON_CORE_INTERNAL_H
#define _MM_DAMON_CORE_INTERNAL_H

#include <linux/damon.h>
#include <linux/random.h>

/*
 * Default monitoring attributes of a new context: sample every 5 ms,
 * aggregate every 100 ms, update the target ranges every second, and keep
 * between 10 and 1000 regions.
 */
#define DAMON_DEFAULT_SAMPLE_US		5000UL
#define DAMON_DEFAULT_AGGR_US		100000UL
#define DAMON_DEFAULT_UPDATE_US		1000000UL
#define DAMON_DEFAULT_MIN_NR_REGIONS	10UL
#define DAMON_DEFAULT_MAX_NR_REGIONS	1000UL

/*
 * No aggregation interval counts more samples than this, so that
 * &damon_region->nr_accesses always fits and comparisons of sample counters
 * stay valid across wrap-around (see damon_sample_reached()).
 */
#define DAMON_MAX_AGGR_SAMPLES		((unsigned long)INT_MAX)

/**
 * damon_rand() - Pick a random number in [@start, @end).
 * @start:	The smallest number that may be returned.
 * @end:	One past the largest number that may be returned.
 *
 * Operations sets use it to pick the sampling address of a region, and the
 * core to pick split points.
 *
 * Return: a number in [@start, @end), or @start if the range is empty.
 */
static inline unsigned long damon_rand(unsigned long start, unsigned long end)
{
	unsigned long span;

	if (end <= start)
		return start;
	span = end - start;
#if BITS_PER_LONG == 64
	if (span > U32_MAX)
		return start + (unsigned long)(get_random_u64() % span);
#endif
	return start + get_random_u32_below((u32)span);
}

/* Attributes and sample counting (attrs.c). */
int damon_attrs_validate(const struct damon_attrs *attrs);
unsigned long damon_aggr_samples(const struct damon_attrs *attrs);
unsigned long damon_update_samples(const struct damon_attrs *attrs);

/*
 * Whether @passed sampling intervals reach the mark @next.  Written as a
 * signed difference, like time_after_eq(), so that the counters may wrap;
 * marks are never further ahead than DAMON_MAX_AGGR_SAMPLES or LONG_MAX.
 */
static inline bool damon_sample_reached(unsigned long passed,
					unsigned long next)
{
	return (long)(passed - next) >= 0;
}

/* The monitoring loop of a kdamond (kdamond.c). */
void damon_kdamond_run(struct damon_ctx *ctx);

/* damon_call() requests, run or canceled by the kdamond (call.c). */
bool damon_calls_pending(struct damon_ctx *ctx);
void damon_calls_run(struct damon_ctx *ctx);
void damon_calls_cancel(struct damon_ctx *ctx);

/* Regions: building blocks of everything above them (region.c). */
void damon_insert_region_after(struct damon_region *r,
			       struct damon_region *prev,
			       struct damon_target *t);
struct damon_region *damon_split_region_at(struct damon_target *t,
					   struct damon_region *r,
					   unsigned long sz_left);
int damon_split_region_evenly(struct damon_target *t, struct damon_region *r,
			      unsigned int nr_pieces);
void damon_merge_two_regions(struct damon_target *t, struct damon_region *l,
			     struct damon_region *r);

/* The adaptive regions adjustment (regions.c). */
bool damon_counts_alike(unsigned int a, unsigned int b, unsigned long samples);
void damon_merge_regions_of(struct damon_target *t, unsigned int thres,
			    unsigned long sz_limit, unsigned long samples);
void damon_update_age(struct damon_region *r, unsigned int thres,
		      unsigned long samples);
unsigned long damon_ctx_nr_regions(struct damon_ctx *ctx);
unsigned long damon_ctx_sz_monitored(struct damon_ctx *ctx);
unsigned long damon_merge_sz_limit(struct damon_ctx *ctx);
unsigned int damon_merge_threshold(struct damon_ctx *ctx);
void damon_merge_regions(struct damon_ctx *ctx, unsigned int thres,
			 unsigned long sz_limit);
void damon_mark_hot_windows(struct damon_ctx *ctx);
void damon_split_regions(struct damon_ctx *ctx);
void damon_initial_split(struct damon_ctx *ctx);
void damon_fit_nr_regions(struct damon_ctx *ctx);
void damon_age_regions(struct damon_ctx *ctx);
void damon_resize_regions(struct damon_ctx *ctx);
void damon_adapt_regions(struct damon_ctx *ctx);

/* The operations registry. */
void damon_unregister_ops(enum damon_ops_id id);

/*
 * Access reports (reports.c).  Each running context that takes reports
 * keeps up to this many per sampling interval, in each of its two buffers
 * (2 x 2048 x 32 bytes = 128 KiB on 64-bit).
 */
#define DAMON_REPORTS_MAX	2048U

int damon_reports_open(struct damon_ctx *ctx);
void damon_reports_close(struct damon_ctx *ctx);
void damon_reports_fold(struct damon_ctx *ctx);
void damon_reports_unmark(struct damon_ctx *ctx);
bool damon_report_atomic(void);
int damon_report_filter_check(const struct damon_report_filter *filter);
unsigned long damon_reports_refused_count(void);

/*
 * The parts of the damon module that need bringing up and down, by the
 * module's entry points (init.c).  A part that is configured out gets
 * no-op stubs.
 */
#ifdef CONFIG_DAMON_VADDR
int damon_vaddr_init(void);
void damon_vaddr_exit(void);

/**
 * struct damon_va_layout - What vaddr knows of an address space's mappings.
 * @start:	The first address of the first mapping.
 * @end:	The end of the last mapping added.
 * @nr_vmas:	How many mappings were added.
 * @gaps:	The two largest gaps between mappings, the largest first; an
 *		empty range where there are fewer gaps.
 *
 * Filled by damon_va_layout_add() (vaddr.c), one mapping at a time, so
 * that a process with many mappings needs no array of them.
 */
struct damon_va_layout {
	unsigned long start;
	unsigned long end;
	unsigned int nr_vmas;
	struct damon_addr_range gaps[2];
};

void damon_va_layout_init(struct damon_va_layout *layout);
void damon_va_layout_add(struct damon_va_layout *layout, unsigned long start,
			 unsigned long end);
unsigned int damon_va_layout_ranges(const struct damon_va_layout *layout,
				    struct damon_addr_range *ranges);
unsigned int damon_va_ranges_of_vmas(const struct damon_addr_range *vmas,
				     unsigned int nr_vmas,
				     struct damon_addr_range *ranges);
#else
static inline int damon_vaddr_init(void) { return 0; }
static inline void damon_vaddr_exit(void) { }
#endif

#ifdef CONFIG_DAMON_PADDR
int damon_paddr_init(void);
void damon_paddr_exit(void);
#else
static inline int damon_paddr_init(void) { return 0; }
static inline void damon_paddr_exit(void) { }
#endif

#ifdef CONFIG_DAMON_PADDR_FAULT
int damon_paddr_fault_init(void);
void damon_paddr_fault_exit(void);
/* The diagnostic file of paddr-fault-scan.c. */
void damon_pf_scan_init(void);
void damon_pf_scan_exit(void);
#else
static inline int damon_paddr_fault_init(void) { return 0; }
static inline void damon_paddr_fault_exit(void) { }
#endif

#ifdef CONFIG_DAMON_SYSFS
int damon_sysfs_init(void);
void damon_sysfs_exit(void);
#else
static inline int damon_sysfs_init(void) { return 0; }
static inline void damon_sysfs_exit(void) { }
#endif

#ifdef CONFIG_DAMON_DBGFS
int damon_dbgfs_init(void);
void damon_dbgfs_exit(void);
#else
static inline int damon_dbgfs_init(void) { return 0; }
static inline void damon_dbgfs_exit(void) { }
#endif

#endif	/* _MM_DAMON_CORE_INTERNAL_H */
