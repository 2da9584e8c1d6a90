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

#include <linux/completion.h>
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

/*
 * DAMOS, DAMON-based Operation Schemes: memory actions driven by what the
 * monitoring sees.  A scheme names an access pattern and an action; every
 * apply interval, the kdamond applies the action to each region of the
 * context that shows the pattern, within the scheme's quota, while its
 * watermarks let it, and except for the memory its filters exclude.
 */

/**
 * enum damos_action - What a scheme does to the regions it picks.
 * @DAMOS_STAT:		Do nothing but count the region in the statistics.
 * @DAMOS_PAGEOUT:	Reclaim the region's pages.
 * @DAMOS_COLD:		Deactivate the region's pages, like madvise(MADV_COLD).
 * @DAMOS_WILLNEED:	Ask for the region to be read in soon, like
 *			madvise(MADV_WILLNEED).
 * @DAMOS_NOHUGEPAGE:	Forbid huge pages there, like
 *			madvise(MADV_NOHUGEPAGE).
 * @DAMOS_HUGEPAGE:	Allow huge pages there, like madvise(MADV_HUGEPAGE).
 * @DAMOS_LRU_DEPRIO:	Move the region's pages to the inactive LRU lists, so
 *			that reclaim takes them first.
 * @DAMOS_LRU_PRIO:	Move the region's pages to the head of the active
 *			LRU lists, so that reclaim takes them last.
 * @DAMOS_MIGRATE_COLD:	Migrate the region's pages to &damos->target_nid,
 *			coldest regions first.
 * @DAMOS_MIGRATE_HOT:	Migrate the region's pages to &damos->target_nid,
 *			hottest regions first.
 * @NR_DAMOS_ACTIONS:	The number of actions.
 *
 * Each operations set does the actions of its &damon_operations->damos_actions.
 * The values are a kernel API only; the user interfaces map them to their
 * own keywords and numbers.
 */
enum damos_action {
	DAMOS_STAT,		/* first: a zeroed scheme only counts */
	DAMOS_PAGEOUT,
	DAMOS_COLD,
	DAMOS_WILLNEED,
	DAMOS_NOHUGEPAGE,
	DAMOS_HUGEPAGE,
	DAMOS_LRU_DEPRIO,
	DAMOS_LRU_PRIO,
	DAMOS_MIGRATE_COLD,
	DAMOS_MIGRATE_HOT,
	NR_DAMOS_ACTIONS,
};

/**
 * struct damos_range - A closed range of values, [@min, @max].
 * @min:	The smallest value in the range.
 * @max:	The largest value in the range.
 */
struct damos_range {
	unsigned long min;
	unsigned long max;
};

/**
 * struct damos_pattern - The access pattern a scheme looks for.
 * @sz:			Size of the region, in bytes.
 * @nr_accesses:	Access frequency: in how many sampling intervals of an
 *			aggregation interval the region was found accessed.
 * @age:		For how many aggregation intervals the region's access
 *			frequency has stayed about the same.
 *
 * A region shows the pattern when each of its three properties lies in
 * the closed range given for it.  damos_pattern_any() gives a pattern that
 * every region shows.
 */
struct damos_pattern {
	struct damos_range sz;
	struct damos_range nr_accesses;
	struct damos_range age;
};

/**
 * struct damos_quota - How much a scheme may do, and what it does first.
 * @ms:			Time the kdamond may spend applying the action, in
 *			milliseconds per @reset_interval; 0 for no limit.
 * @sz:			Bytes the action may be tried on per
 *			@reset_interval; 0 for no limit.
 * @reset_interval:	The length of a quota window, in milliseconds.  0
 *			makes every apply interval a window of its own.
 * @weight_sz:		Weight of the region size in the priority score.
 * @weight_nr_accesses:	Weight of the access frequency in the score.
 * @weight_age:		Weight of the age in the score.
 *
 * The time quota is turned into bytes by the throughput the action has
 * shown so far; the smaller of that and @sz, further tuned by the quota
 * goals of the scheme (&damos->goals), is the effective size quota of a
 * window.  When the regions that show the pattern exceed it, those with
 * the best priority score are picked: the hottest for the actions that
 * want hot memory (willneed, hugepage, lru_prio, migrate_hot), the coldest
 * for the others.  The weights, in any unit (mainline's interfaces use per
 * thousand), say how much each property counts; their sum must fit in an
 * unsigned int.  With no limit and no goal the quota never binds.
 *
 * Plain values: callers may assign a whole struct.
 */
struct damos_quota {
	unsigned long ms;
	unsigned long sz;
	unsigned long reset_interval;
	unsigned int weight_sz;
	unsigned int weight_nr_accesses;
	unsigned int weight_age;
};

/**
 * enum damos_goal_metric - What a quota goal measures.
 * @DAMOS_GOAL_USER_INPUT:	A value the user feeds in
 *				(&damos_quota_goal->current_value).
 * @DAMOS_GOAL_SOME_MEM_PSI_US:	Time in microseconds during which some task
 *				stalled on memory, system-wide (pressure
 *				stall information), over the last quota
 *				window.  Needs CONFIG_PSI.
 * @NR_DAMOS_GOAL_METRICS:	The number of metrics.
 */
enum damos_goal_metric {
	DAMOS_GOAL_USER_INPUT,
	DAMOS_GOAL_SOME_MEM_PSI_US,
	NR_DAMOS_GOAL_METRICS,
};

/**
 * struct damos_quota_goal - A value a scheme's quota is tuned to reach.
 * @metric:		What is measured.
 * @target_value:	The value wanted; never 0.
 * @current_value:	The latest value: set by the user for
 *			%DAMOS_GOAL_USER_INPUT, by the kdamond otherwise.
 * @list:		Link in &damos->goals.
 *
 * At the start of each quota window the kdamond compares each goal's
 * current value with its target and grows the effective size quota while
 * the goals are not reached, and shrinks it while they are exceeded; with
 * several goals, the one closest to being reached (or furthest past it)
 * decides.  Create with damos_new_quota_goal().
 */
struct damos_quota_goal {
	enum damos_goal_metric metric;
	unsigned long target_value;
	unsigned long current_value;
	struct list_head list;
/* private: for the kdamond. */
	u64 last_psi_total;
};

/**
 * enum damos_wmark_metric - What a scheme's watermarks are compared with.
 * @DAMOS_WMARK_NONE:		Nothing: the scheme is always active.
 * @DAMOS_WMARK_FREE_MEM_RATE:	The system's free memory, in per thousand
 *				of all memory.
 * @NR_DAMOS_WMARK_METRICS:	The number of metrics.
 *
 * The values are fixed: a debugfs scheme line gives the metric as a number.
 */
enum damos_wmark_metric {
	DAMOS_WMARK_NONE = 0,
	DAMOS_WMARK_FREE_MEM_RATE = 1,
	NR_DAMOS_WMARK_METRICS,
};

/**
 * struct damos_watermarks - When a scheme is active.
 * @high:	Above this the scheme is deactivated.
 * @mid:	Below this (and not below @low) the scheme is activated.
 * @low:	Below this the scheme is deactivated.
 * @interval:	Time between two checks of the metric, in microseconds.
 * @metric:	The metric compared with the marks.
 *
 * Between @mid and @high the scheme keeps its state.  With a metric,
 * @high >= @mid >= @low must hold.  While every scheme of a context is
 * deactivated, its kdamond does not monitor at all: it only wakes to check
 * the watermarks.
 *
 * Plain values: callers may assign a whole struct.
 */
struct damos_watermarks {
	unsigned long high, mid, low;
	unsigned long interval;
	enum damos_wmark_metric metric;
};

/**
 * enum damos_filter_type - The memory a filter names.
 * @DAMOS_FILTER_ANON:		Anonymous pages.
 * @DAMOS_FILTER_MEMCG:		Pages charged to one memory cgroup.
 * @DAMOS_FILTER_YOUNG:		Pages accessed since the scheme last looked at
 *				them.
 * @DAMOS_FILTER_ADDR:		An address range.
 * @DAMOS_FILTER_TARGET:	One target of the context.
 * @NR_DAMOS_FILTER_TYPES:	The number of types.
 *
 * The core handles the address and target filters: memory they exclude
 * is not even tried.  The operations set handles the page filters, which
 * it supports when its &damon_operations->damos_filters says so: memory
 * they exclude counts as tried but not applied.
 */
enum damos_filter_type {
	DAMOS_FILTER_ANON,
	DAMOS_FILTER_MEMCG,
	DAMOS_FILTER_YOUNG,
	DAMOS_FILTER_ADDR,
	DAMOS_FILTER_TARGET,
	NR_DAMOS_FILTER_TYPES,
};

/**
 * struct damos_filter - Memory a scheme must leave alone.
 * @list:	Link in &damos->filters.
 * @addr_range:	For %DAMOS_FILTER_ADDR: the range, [start, end).
 * @target_idx:	For %DAMOS_FILTER_TARGET: the index of the target in the
 *		context's list of targets.
 * @memcg_id:	For %DAMOS_FILTER_MEMCG: the id of the memory cgroup (see
 *		damos_filter_set_memcg_path()).
 * @type:	What memory the filter names.
 * @matching:	If true, the memory the filter names is excluded; if false,
 *		all other memory is.
 *
 * Memory that any filter of a scheme excludes is excluded.  Create with
 * damos_new_filter().
 */
struct damos_filter {
	struct list_head list;
	/* What the filter names; which member counts depends on @type. */
	union {
		struct damon_addr_range addr_range;
		unsigned int target_idx;
		unsigned short memcg_id;
	};
	/* The small members last, so that they leave no hole. */
	enum damos_filter_type type;
	bool matching;
};

/**
 * struct damos_stat - What a scheme has done since it was added.
 * @nr_tried:	Regions the action was tried on.
 * @sz_tried:	Bytes of those regions.
 * @nr_applied:	Regions the action was applied to, at least in part.
 * @sz_applied:	Bytes the action was applied to, which may pass
 *		@sz_tried by the large folios that run past a region.
 * @qt_exceeds:	Quota windows in which the quota ran out.
 *
 * A region counts as tried when it shows the pattern, was not excluded
 * by an address or target filter, and fits in the quota (a region is cut
 * to the quota left).  Read a running scheme's statistics with
 * damos_get_stat().
 */
struct damos_stat {
	unsigned long nr_tried, sz_tried;
	unsigned long nr_applied, sz_applied;
	unsigned long qt_exceeds;
};

/* Priority scores of regions run from 0 to this, the best. */
#define DAMOS_MAX_SCORE		99

/**
 * struct damos_quota_state - The kdamond's bookkeeping of a scheme's quota.
 * @effective_sz:	The effective size quota of the current window, in
 *			bytes; ULONG_MAX when the quota does not bind.
 * @goal_sz:		The size the goals have tuned the quota to; 0 before
 *			the first window.
 * @charged_sz:		Bytes tried in the current window.
 * @charged_ns:		Time spent applying the action in the window.
 * @window_start_ns:	When the current window started.
 * @total_sz:		Bytes the action was tried on since the start, for
 *			the throughput estimate.
 * @total_ns:		Time spent on them.
 * @exceeded:		The quota ran out in the current window.
 * @min_score:		Regions with a lower priority score are skipped in
 *			the current apply pass.
 * @min_score_left:	Bytes still allowed to regions of exactly
 *			@min_score in the current pass.
 * @resume_target:	Index of the target where the quota last ran out.
 * @resume_addr:	Address where the quota last ran out; the next
 *			window starts there, so that every region gets its
 *			turn.
 * @resume_end:		End of the rest of a region that the quota cut
 *			short at @resume_addr, or @resume_addr if it cut none.
 * @resume_score:	The priority score of that region.
 * @hist:		Bytes of the candidate regions of each score.
 */
struct damos_quota_state {
	unsigned long effective_sz;
	unsigned long goal_sz;
	unsigned long charged_sz;
	u64 charged_ns;
	u64 window_start_ns;
	u64 total_sz;
	u64 total_ns;
	bool exceeded;
	unsigned int min_score;
	unsigned long min_score_left;
	unsigned int resume_target;
	unsigned long resume_addr;
	unsigned long resume_end;
	unsigned int resume_score;
	unsigned long hist[DAMOS_MAX_SCORE + 1];
};

/**
 * struct damos - A DAMON-based operation scheme.
 * @pattern:		The access pattern of the regions to act on.
 * @action:		What to do to them.
 * @target_nid:		For the migrate actions: the node to move pages to,
 *			which must be online.
 * @apply_interval_us:	How often to look for regions to act on, in
 *			microseconds; 0 for every aggregation interval.
 * @quota:		How much to do at most.
 * @goals:		The quota goals (&struct damos_quota_goal).
 * @wmarks:		When to be active.
 * @filters:		What memory to leave alone (&struct damos_filter).
 * @stat:		What the scheme has done.
 * @list:		Link in &damon_ctx->schemes.
 *
 * Create with damos_new(), attach goals and filters with
 * damos_add_quota_goal() and damos_add_filter(), and add to a context with
 * damon_add_scheme().  While the context runs, only its kdamond may change
 * its schemes (from a callback, or through damos_commit_schemes()).
 */
struct damos {
	struct damos_pattern pattern;
	enum damos_action action;
	int target_nid;
	unsigned long apply_interval_us;
	struct damos_quota quota;
	struct list_head goals;
	struct damos_watermarks wmarks;
	struct list_head filters;
	struct damos_stat stat;
	struct list_head list;
/* private: for the kdamond. */
	struct damos_quota_state qs;
	bool active;
	u64 next_wmark_check_ns;
	unsigned long next_apply_sample;
	bool walk_done;
};

/**
 * struct damos_walk_control - A request to see the regions schemes try.
 * @walk_fn:	Called by the kdamond for every region a scheme tries
 *		during the walk, before the action is applied, with @data and
 *		the access frequency the scheme saw in the region (see
 *		&damos_pattern->nr_accesses).
 * @data:	For @walk_fn.
 *
 * See damos_walk().
 */
struct damos_walk_control {
	void (*walk_fn)(void *data, struct damon_ctx *ctx,
			struct damon_target *t, struct damon_region *r,
			struct damos *s, unsigned long nr_accesses);
	void *data;
/* private: */
	struct completion done;
	bool picked;
	bool canceled;
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
 * @sampled:	The report answers the operations set's own sampling: it
 *		counts only for the regions whose sampling address it
 *		covers, as a found Accessed bit would.  Without it, every
 *		region that the report overlaps counts.
 *
 * See damon_report_access().
 */
struct damon_access_report {
	unsigned long addr;
	unsigned long size;
	const struct mm_struct *mm;
	unsigned int cpu;
	bool write;
	bool sampled;
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
 * @apply_scheme:	Applies &damos->action of a scheme to a region of a
 *			target, skipping the pages that the scheme's page
 *			filters exclude, and returns how many bytes the
 *			action was applied to: more than the region when
 *			it did a large folio that runs past its end (the
 *			region holding the rest must then not count that
 *			folio again).  Never called for
 *			%DAMOS_STAT, which the core handles.
 * @scheme_score:	Scores how much a region deserves a scheme's action,
 *			from 0 to %DAMOS_MAX_SCORE, when the quota cannot
 *			cover every region.  Without it the core uses
 *			damos_default_score().
 * @damos_actions:	The actions @apply_scheme does, as a bit mask of
 *			BIT(&enum damos_action).  Schemes with other actions
 *			are refused.
 * @damos_filters:	The page filter types (%DAMOS_FILTER_ANON,
 *			%DAMOS_FILTER_MEMCG, %DAMOS_FILTER_YOUNG) that
 *			@apply_scheme honours, as a bit mask.  Schemes with
 *			other page filters are refused.
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
	unsigned long (*apply_scheme)(struct damon_ctx *ctx,
				      struct damon_target *t,
				      struct damon_region *r, struct damos *s);
	unsigned int (*scheme_score)(struct damon_ctx *ctx,
				     struct damon_target *t,
				     struct damon_region *r, struct damos *s);
	unsigned long damos_actions;
	unsigned long damos_filters;
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
 * @schemes:		The operation schemes (&struct damos), applied in
 *			this order.
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
 * @early_updates:	Whether the operations are also updated at the end of
 *			every aggregation interval until @next_update_sample
 *			is first reached: set at start when no target had
 *			regions given by the user.
 * @walk_control:	The pending damos_walk() request, or NULL.  Set and
 *			cleared under @kdamond_lock.
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
	struct list_head schemes;
	void *ops_private;

	struct task_struct *kdamond;
	struct mutex kdamond_lock;	/* protects @kdamond */
	struct mutex stop_lock;		/* one stopper at a time */

	unsigned long passed_samples;
	unsigned long next_aggr_sample;
	unsigned long next_update_sample;
	bool early_updates;

	struct damos_walk_control *walk_control;
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

#define damon_for_each_scheme(s, ctx) \
	list_for_each_entry(s, &(ctx)->schemes, list)

#define damon_for_each_scheme_safe(s, next, ctx) \
	list_for_each_entry_safe(s, next, &(ctx)->schemes, list)

#define damos_for_each_quota_goal(g, s) \
	list_for_each_entry(g, &(s)->goals, list)

#define damos_for_each_filter(f, s) \
	list_for_each_entry(f, &(s)->filters, list)

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

void damos_pattern_any(struct damos_pattern *pattern);
struct damos *damos_new(enum damos_action action,
			const struct damos_pattern *pattern,
			const struct damos_quota *quota,
			const struct damos_watermarks *wmarks);
void damos_destroy(struct damos *s);
struct damos_quota_goal *damos_new_quota_goal(enum damos_goal_metric metric,
					      unsigned long target_value);
void damos_add_quota_goal(struct damos *s, struct damos_quota_goal *g);
void damos_destroy_quota_goal(struct damos_quota_goal *g);
struct damos_filter *damos_new_filter(enum damos_filter_type type,
				      bool matching);
void damos_add_filter(struct damos *s, struct damos_filter *f);
void damos_destroy_filter(struct damos_filter *f);
int damos_filter_set_memcg_path(struct damos_filter *f, const char *path);
int damos_validate(const struct damos *s, const struct damon_operations *ops);
bool damon_ops_supports_scheme(enum damon_ops_id id, const struct damos *s);
int damon_add_scheme(struct damon_ctx *ctx, struct damos *s);
unsigned int damon_nr_schemes(struct damon_ctx *ctx);
int damos_commit_schemes(struct damon_ctx *dst, struct damon_ctx *src);
int damos_commit_quota_goals(struct damon_ctx *dst, struct damon_ctx *src);
void damos_get_stat(struct damos *s, struct damos_stat *stat);
unsigned long damos_effective_quota_sz(struct damos *s);
unsigned int damos_default_score(struct damon_ctx *ctx, struct damon_region *r,
				 struct damos *s);
unsigned int damos_hot_score(struct damon_ctx *ctx, struct damon_region *r,
			     struct damos *s);
unsigned int damos_cold_score(struct damon_ctx *ctx, struct damon_region *r,
			      struct damos *s);
int damos_walk(struct damon_ctx *ctx, struct damos_walk_control *control);

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
 * @cpu:	The CPU that faulted.
 */
struct damon_fault {
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
