/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON: Data Access MONitor - the kernel API.
 *
 * A monitoring context (struct damon_ctx) watches one or more targets
 * (address spaces).  Each target is cut into regions, and one kernel thread
 * per context, "kdamond", checks one sampled address per region each sampling
 * interval.  How many checks found the region accessed during an aggregation
 * interval is the region's access frequency.  Regions with similar
 * frequencies are merged and busy ones are split again, so the cost of a
 * sampling interval follows the number of regions, which the user bounds,
 * and never the size of the monitored memory.
 */

#ifndef _LINUX_DAMON_H
#define _LINUX_DAMON_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <asm/page.h>

struct damon_ctx;
struct damon_report_buf;
struct folio;
struct mm_struct;
struct pid;
struct task_struct;

/* Regions start and end on multiples of this, and are never smaller. */
#define DAMON_MIN_REGION	PAGE_SIZE

/**
 * struct damon_addr_range - A half-open address range, [@start, @end).
 * @start:	First address of the range.
 * @end:	First address past the range.
 */
struct damon_addr_range {
	unsigned long start;
	unsigned long end;
};

/**
 * struct damon_region - A part of a target that is monitored as one unit.
 * @ar:			The addresses the region covers.
 * @sampling_addr:	The address checked in the current sampling interval.
 * @nr_accesses:	In how many sampling intervals of the current
 *			aggregation interval an access to the region was seen.
 * @last_nr_accesses:	@nr_accesses of the previous aggregation interval.
 * @age:		For how many aggregation intervals the access
 *			frequency of the region has stayed about the same.
 * @hit_addr:		A sampling address found accessed in the current
 *			aggregation interval, or ULONG_MAX if none was.  It
 *			tells the core where to cut a mostly idle region that
 *			still saw an access.
 * @hit_units:		For the core: how many DAMON_MIN_REGION around
 *			@hit_addr are likely hot, or 0.
 * @reported:		For the core: an access report already counted an
 *			access to the region in the current sampling
 *			interval.
 * @list:		Link in the owning target's list of regions.
 *
 * Regions of a target are kept sorted by address and never overlap.
 */
struct damon_region {
	struct list_head list;
	struct damon_addr_range ar;
	unsigned int nr_accesses;
	unsigned int last_nr_accesses;
	unsigned int age;
	unsigned int hit_units;
	unsigned long sampling_addr;
	unsigned long hit_addr;
	bool reported;
};

/**
 * damon_region_accessed() - Count an access seen at a region's sampling
 *			     address.
 * @r:	The region whose &damon_region->sampling_addr was found accessed.
 *
 * Operations sets call this from their access check rather than raising
 * &damon_region->nr_accesses themselves, so that the core also learns
 * where the access was.
 *
 * A region counts once per sampling interval: if an access report counted
 * it already, this does nothing.
 */
static inline void damon_region_accessed(struct damon_region *r)
{
	if (r->reported)
		return;
	r->nr_accesses++;
	r->hit_addr = r->sampling_addr;
}

/**
 * struct damon_target - An address space that a context monitors.
 * @id:		An identifier chosen by whoever created the target (a pid
 *		number for display, or -1 for the physical address space).
 *		The core never interprets it.
 * @pid:	For virtual address spaces, a counted reference to the
 *		process.  damon_destroy_target() drops it.  NULL otherwise.
 * @nr_regions:	How many regions @regions holds.
 * @regions:	The regions, sorted by address.
 * @list:	Link in the owning context's list of targets.
 */
struct damon_target {
	unsigned long id;
	struct pid *pid;
	unsigned int nr_regions;
	struct list_head regions;
	struct list_head list;
};

/**
 * struct damon_access_report - An access that someone saw and tells DAMON.
 * @addr:	The first accessed byte: a physical address if @mm is NULL,
 *		else a virtual address in @mm.
 * @size:	How many bytes from @addr were accessed; 0 counts as 1.
 * @mm:		The address space of a virtual @addr, or NULL.  Only compared
 *		with the address spaces of targets, never dereferenced, so
 *		the reporter need not hold a reference.
 * @cpu:	The CPU that made the access.
 * @write:	Whether the access wrote.
 *
 * See damon_report_access().
 */
struct damon_access_report {
	unsigned long addr;
	unsigned long size;
	const struct mm_struct *mm;
	unsigned int cpu;
	bool write;
};

/**
 * struct damon_report_filter - Which access reports a context counts.
 * @writes_only:	Count only reports of writes.
 * @filter_cpus:	Count only reports made on one of @cpus.
 * @cpus:		The CPUs whose reports count, if @filter_cpus.
 *
 * The zeroed filter counts every report.  See damon_set_report_filter().
 */
struct damon_report_filter {
	bool writes_only;
	bool filter_cpus;
	struct cpumask cpus;
};

/**
 * struct damon_report_stats - What became of the reports for a context.
 * @received:	Reports that passed the context's filter and were buffered.
 * @dropped:	Reports that passed the filter but found the context's
 *		buffer full, and were lost.
 *
 * Counted since the context last started; updated by its kdamond at the
 * end of every sampling interval.
 */
struct damon_report_stats {
	unsigned long received;
	unsigned long dropped;
};

/**
 * enum damon_ops_id - Identifies an operations set.
 * @DAMON_OPS_VADDR:	Virtual address spaces of processes, whose ranges
 *			follow the process's mappings.
 * @DAMON_OPS_FVADDR:	Fixed, user-given ranges of virtual address spaces.
 * @DAMON_OPS_PADDR:	The physical address space.
 * @DAMON_OPS_PADDR_FAULT: The physical address space, with accesses
 *			reported by page faults instead of sampled.
 * @NR_DAMON_OPS:	The number of operations sets.
 */
enum damon_ops_id {
	DAMON_OPS_VADDR,
	DAMON_OPS_FVADDR,
	DAMON_OPS_PADDR,
	DAMON_OPS_PADDR_FAULT,
	NR_DAMON_OPS,
};

/**
 * struct damon_operations - How a kind of address space is monitored.
 * @id:			Which operations set this is.
 * @init:		Called once when monitoring starts, e.g. to build
 *			the initial regions of the targets.
 * @update:		Called every operations update interval, e.g. to
 *			follow changes of the targets' mappings.
 * @prepare_access_checks: Called at the start of each sampling interval;
 *			picks each region's sampling address and makes a
 *			later access to it visible.
 * @check_accesses:	Called at the end of each sampling interval; adds
 *			one to &damon_region->nr_accesses of each region whose
 *			sampling address was accessed, and returns the largest
 *			&damon_region->nr_accesses of the context.
 * @reset_aggregated:	Called at the end of each aggregation interval,
 *			after the core has reset the access counts.
 * @target_valid:	Whether the target can still be monitored (its
 *			process has not exited, for instance).  Monitoring
 *			stops when no target is valid.
 * @eligible_report:	Whether an access report concerns the target: its
 *			address is of the kind (physical, or virtual in the
 *			target's address space) that the target's regions
 *			hold.  The core then counts the report for the
 *			regions it overlaps.  A context whose operations set
 *			lacks it takes no reports.
 * @cleanup:		Called once when monitoring ends.
 *
 * Every callback is optional and runs in the context's kdamond.
 */
struct damon_operations {
	enum damon_ops_id id;
	void (*init)(struct damon_ctx *ctx);
	void (*update)(struct damon_ctx *ctx);
	void (*prepare_access_checks)(struct damon_ctx *ctx);
	unsigned int (*check_accesses)(struct damon_ctx *ctx);
	void (*reset_aggregated)(struct damon_ctx *ctx);
	bool (*target_valid)(struct damon_target *t);
	bool (*eligible_report)(const struct damon_access_report *report,
				struct damon_target *t);
	void (*cleanup)(struct damon_ctx *ctx);
};

/**
 * struct damon_callback - Hooks into a context's monitoring loop.
 * @private:		For the callbacks' owner; the core never touches it.
 * @before_start:	Called in the kdamond before the first sampling.
 * @after_sampling:	Called after each sampling interval's access check.
 * @after_aggregation:	Called at the end of each aggregation interval,
 *			while the access counts of that interval are still
 *			in the regions.
 * @before_terminate:	Called just before the kdamond exits.
 *
 * A non-zero return value of @before_start, @after_sampling or
 * @after_aggregation stops the monitoring.  All callbacks are optional and
 * run in the kdamond.
 */
struct damon_callback {
	void *private;
	int (*before_start)(struct damon_ctx *ctx);
	int (*after_sampling)(struct damon_ctx *ctx);
	int (*after_aggregation)(struct damon_ctx *ctx);
	void (*before_terminate)(struct damon_ctx *ctx);
};

/*
 * The most regions a context may be given (max_nr_regions).  Regions cost
 * about 64 bytes each, and a large enough range is split into
 * max_nr_regions of them: without a bound, one write of a huge number
 * could have a kdamond allocate the whole memory.
 */
#define DAMON_MAX_NR_REGIONS_LIMIT	(1024UL * 1024)

/**
 * struct damon_attrs - The monitoring attributes of a context.
 * @sample_interval:	Time between two access checks, in microseconds.
 * @aggr_interval:	Time over which access checks are counted before
 *			the result is reported and regions are adapted, in
 *			microseconds.
 * @ops_update_interval: Time between two calls of
 *			&damon_operations->update, in microseconds.
 * @min_nr_regions:	The fewest regions a context keeps.
 * @max_nr_regions:	The most regions a context may have.
 *
 * See damon_set_attrs() for the values accepted.
 */
struct damon_attrs {
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long ops_update_interval;
};

/**
 * struct damon_ctx - A monitoring context.
 * @attrs:		The monitoring attributes; set with damon_set_attrs().
 * @ops:		The operations set; set with damon_select_ops().
 * @callback:		Hooks into the monitoring loop.
 * @targets:		The monitored targets (&struct damon_target).
 * @ops_private:	For the operations set; the core never touches it.
 * @kdamond:		The monitoring thread, or NULL while not running.
 *			Read it under @kdamond_lock.
 * @kdamond_lock:	Protects @kdamond.
 * @stop_lock:		Serialises damon_stop() calls on the context.
 * @passed_samples:	Sampling intervals since monitoring started.
 * @next_aggr_sample:	@passed_samples at which the current aggregation
 *			interval ends.
 * @next_update_sample:	@passed_samples at which the operations are next
 *			updated.
 * @calls:		Requests of damon_call() waiting for the kdamond.
 * @calls_lock:		Protects @calls.
 * @report_filter:	Which access reports count; set with
 *			damon_set_report_filter().
 * @report_stats:	What became of the reports since the last start.
 * @reports:		For the core: the buffer of access reports while
 *			the kdamond runs, or NULL.
 *
 * While the kdamond runs, only it may change @targets, their regions,
 * @attrs and @ops; others read them from the callbacks, or have the
 * kdamond run their code with damon_call().
 */
struct damon_ctx {
	struct damon_attrs attrs;
	struct damon_operations ops;
	struct damon_callback callback;
	struct list_head targets;
	void *ops_private;

	struct task_struct *kdamond;
	struct mutex kdamond_lock;	/* protects @kdamond */
	struct mutex stop_lock;		/* one stopper at a time */

	unsigned long passed_samples;
	unsigned long next_aggr_sample;
	unsigned long next_update_sample;

	struct list_head calls;
	spinlock_t calls_lock;		/* protects @calls */

	struct damon_report_filter report_filter;
	struct damon_report_stats report_stats;
	struct damon_report_buf *reports;
};

static inline struct damon_region *damon_next_region(struct damon_region *r)
{
	return list_next_entry(r, list);
}

static inline struct damon_region *damon_prev_region(struct damon_region *r)
{
	return list_prev_entry(r, list);
}

static inline struct damon_region *damon_first_region(struct damon_target *t)
{
	return list_first_entry(&t->regions, struct damon_region, list);
}

static inline struct damon_region *damon_last_region(struct damon_target *t)
{
	return list_last_entry(&t->regions, struct damon_region, list);
}

/* The size of a region, in bytes. */
static inline unsigned long damon_sz_region(struct damon_region *r)
{
	return r->ar.end - r->ar.start;
}

#define damon_for_each_region(r, t) \
	list_for_each_entry(r, &(t)->regions, list)

#define damon_for_each_region_from(r, t) \
	list_for_each_entry_from(r, &(t)->regions, list)

#define damon_for_each_region_safe(r, next, t) \
	list_for_each_entry_safe(r, next, &(t)->regions, list)

#define damon_for_each_target(t, ctx) \
	list_for_each_entry(t, &(ctx)->targets, list)

#define damon_for_each_target_safe(t, next, ctx) \
	list_for_each_entry_safe(t, next, &(ctx)->targets, list)

#if IS_ENABLED(CONFIG_DAMON)

struct damon_region *damon_new_region(unsigned long start, unsigned long end);
void damon_add_region(struct damon_region *r, struct damon_target *t);
void damon_destroy_region(struct damon_region *r, struct damon_target *t);
int damon_set_regions(struct damon_target *t, struct damon_addr_range *ranges,
		      unsigned int nr_ranges);

struct damon_target *damon_new_target(void);
void damon_add_target(struct damon_ctx *ctx, struct damon_target *t);
bool damon_targets_empty(struct damon_ctx *ctx);
void damon_destroy_target(struct damon_target *t);
unsigned int damon_nr_regions(struct damon_target *t);

struct damon_ctx *damon_new_ctx(void);
void damon_destroy_ctx(struct damon_ctx *ctx);
int damon_set_attrs(struct damon_ctx *ctx, const struct damon_attrs *attrs);

int damon_register_ops(const struct damon_operations *ops);
bool damon_is_registered_ops(enum damon_ops_id id);
int damon_select_ops(struct damon_ctx *ctx, enum damon_ops_id id);

int damon_start(struct damon_ctx **ctxs, int nr_ctxs, bool exclusive);
int damon_stop(struct damon_ctx **ctxs, int nr_ctxs);
int damon_nr_running_ctxs(void);
bool damon_is_running(struct damon_ctx *ctx);

/* Changing a running context (call.c, commit.c). */
int damon_call(struct damon_ctx *ctx,
	       int (*fn)(struct damon_ctx *ctx, void *arg), void *arg);
int damon_commit_ctx(struct damon_ctx *dst, struct damon_ctx *src);

/* Access reports (reports.c). */
void damon_report_access(const struct damon_access_report *report);
int damon_set_report_filter(struct damon_ctx *ctx,
			    const struct damon_report_filter *filter);

#endif	/* CONFIG_DAMON */

/*
 * The PROT_NONE fault hook of the paddr_fault operations set.  The hook
 * lives in the kernel proper (mm/memory.c), which calls it from the fault
 * handlers of PROT_NONE page table entries, so that DAMON may be a module.
 */
#ifdef CONFIG_DAMON_PADDR_FAULT

/**
 * struct damon_fault_hook - How paddr_fault hears of PROT_NONE faults.
 * @claim:	Whether the fault on a page of @folio is DAMON's: true if
 *		@folio is one that paddr_fault samples at the moment.  Called
 *		with the page table lock held; must not sleep.
 * @report:	Report the access of a fault that @claim took: @nr_pages
 *		pages from @pfn (a huge page mapped by a PMD is accessed as
 *		a whole), by @cpu, a write if @write.  Called in the faulting
 *		task once the page table lock is dropped; may sleep.
 */
struct damon_fault_hook {
	bool (*claim)(struct folio *folio);
	void (*report)(unsigned long pfn, unsigned long nr_pages,
		       unsigned int cpu, bool write);
};

int damon_fault_hook_register(const struct damon_fault_hook *hook);
void damon_fault_hook_unregister(const struct damon_fault_hook *hook);

/**
 * struct damon_fault - A PROT_NONE fault that DAMON took, from
 *			damon_fault_claim() to damon_fault_done().
 * @hook:	The hook that claimed it.
 * @srcu_idx:	Keeps @hook registered until damon_fault_done().
 * @cpu:	The CPU that faulted.
 */
struct damon_fault {
	const struct damon_fault_hook *hook;
	int srcu_idx;
	unsigned int cpu;
};

bool damon_fault_claim(struct damon_fault *fault, struct folio *folio);
void damon_fault_done(struct damon_fault *fault, unsigned long pfn,
		      unsigned long nr_pages, bool write);

#else	/* CONFIG_DAMON_PADDR_FAULT */

struct damon_fault {
};

static inline bool damon_fault_claim(struct damon_fault *fault,
				     struct folio *folio)
{
	return false;
}

static inline void damon_fault_done(struct damon_fault *fault,
				    unsigned long pfn, unsigned long nr_pages,
				    bool write)
{
}

#endif	/* CONFIG_DAMON_PADDR_FAULT */

#endif	/* _LINUX_DAMON_H */
