// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON access reports: accesses that other kernel code saw, counted in the
 * regions of the monitoring contexts.
 *
 * Sampling Accessed bits cannot tell which CPU made an access or whether it
 * wrote.  Page faults, sampling interrupts or device drivers can, but they
 * learn about accesses on their own schedule.  They call
 * damon_report_access() whenever they have one, and the core keeps the
 * report for every running context that takes reports, until its kdamond
 * folds it in at the end of the sampling interval: each region that a
 * report overlaps counts as accessed in that interval, once, as if its
 * sampled address had been found accessed.  A report that answers the
 * operations set's own sampling (&damon_access_report->sampled, a fault
 * on a sampled page) counts only for the regions whose sampled address
 * it covers: a huge page is reported whole, and a region that merely
 * overlaps it, sampling elsewhere, would otherwise count as accessed in
 * every interval in which another region samples the huge page, and so
 * never look mostly idle to the core, which then never cuts the huge
 * page's part out of it.  So everything downstream
 * (adaptive regions, ages, schemes, the tracepoint, records) works on
 * reported accesses unchanged.
 *
 * Each context has two buffers of DAMON_REPORTS_MAX reports: reporters fill
 * one under a spinlock while the kdamond folds the other, and the kdamond
 * swaps them at each fold.  A report that finds the buffer full is counted
 * and dropped; a reporter never waits for the kdamond.  The context's
 * filter (writes only, some CPUs only) is applied before buffering, so
 * that reports it does not want take no room.
 *
 * The contexts that take reports are on an RCU-protected list, which
 * reporters walk and kdamonds join when they start and leave when they end.
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/hardirq.h>
#include <linux/minmax.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>

#include "core_internal.h"

/**
 * struct damon_report_buf - The access reports kept for one context.
 * @list:	Link in damon_report_bufs.
 * @lock:	Protects @filter, @active, @nr and @dropped.
 * @filter:	The context's filter, which reporters apply.
 * @active:	Reports not yet folded; reporters add to it.
 * @nr:		How many reports @active holds.
 * @dropped:	Reports dropped since the last fold.
 * @folding:	The reports the kdamond folds; only it touches them.
 * @marked:	Whether the last fold marked a region &damon_region->reported.
 */
struct damon_report_buf {
	struct list_head list;
	spinlock_t lock;	/* taken by reporters and the kdamond */
	struct damon_report_filter filter;
	struct damon_access_report *active;
	unsigned int nr;
	unsigned long dropped;
	struct damon_access_report *folding;
	bool marked;
};

/* How many bits a struct cpumask holds, at least nr_cpu_ids. */
#define DAMON_CPUMASK_BITS	(sizeof(struct cpumask) * BITS_PER_BYTE)

static LIST_HEAD(damon_report_bufs);
/* Serialises changes of damon_report_bufs; reporters only read it. */
static DEFINE_MUTEX(damon_report_bufs_lock);
static atomic_long_t damon_reports_refused = ATOMIC_LONG_INIT(0);

/**
 * damon_report_atomic() - Whether a report comes from atomic context.
 *
 * Interrupts, softirqs and disabled interrupts are always seen; disabled
 * preemption (a spinlock held) only where preemption is counted
 * (CONFIG_PREEMPT_COUNT, which debug kernels have).
 *
 * Return: true if damon_report_access() must refuse the report.
 */
bool damon_report_atomic(void)
{
	if (!in_task() || irqs_disabled())
		return true;
	return IS_ENABLED(CONFIG_PREEMPT_COUNT) && preempt_count();
}

/**
 * damon_reports_refused_count() - Reports refused for their context.
 *
 * Return: how many reports damon_report_access() refused because they
 * came from atomic context, since boot (or the module's load).
 */
unsigned long damon_reports_refused_count(void)
{
	return atomic_long_read(&damon_reports_refused);
}

/* Whether @filter lets @report through. */
static bool damon_report_filter_pass(const struct damon_report_filter *filter,
				     const struct damon_access_report *report)
{
	if (filter->writes_only && !report->write)
		return false;
	if (filter->filter_cpus &&
	    (report->cpu >= nr_cpu_ids ||
	     !cpumask_test_cpu(report->cpu, &filter->cpus)))
		return false;
	return true;
}

/**
 * damon_report_access() - Tell DAMON about an access.
 * @report:	The access.  Copied; the caller may reuse it at once.
 *
 * Every running context whose operations set takes reports (see
 * &damon_operations->eligible_report) and whose filter lets the report
 * through keeps it until the end of its current sampling interval, when
 * it counts each region the report overlaps as accessed.  Reports for
 * addresses outside every target cost a little buffer space and are then
 * ignored.
 *
 * Each context keeps up to DAMON_REPORTS_MAX reports per sampling
 * interval; more are dropped and counted in &damon_ctx->report_stats.
 * The reporter never waits for a kdamond.
 *
 * Context: Process context; may sleep.  A report from atomic context is
 * refused (and counted); kernels built with CONFIG_DEBUG_ATOMIC_SLEEP warn
 * about it once, with a backtrace.
 */
void damon_report_access(const struct damon_access_report *report)
{
	struct damon_report_buf *buf;

	if (damon_report_atomic()) {
		atomic_long_inc(&damon_reports_refused);
		WARN_ONCE(IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP),
			  "damon: access report from atomic context refused\n");
		return;
	}
	rcu_read_lock();
	list_for_each_entry_rcu(buf, &damon_report_bufs, list) {
		spin_lock(&buf->lock);
		if (damon_report_filter_pass(&buf->filter, report)) {
			if (buf->nr < DAMON_REPORTS_MAX)
				buf->active[buf->nr++] = *report;
			else
				buf->dropped++;
		}
		spin_unlock(&buf->lock);
	}
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(damon_report_access);

/**
 * damon_report_filter_check() - Check a report filter.
 * @filter:	The filter.
 *
 * With @filter->filter_cpus, @filter->cpus must not be empty, which would
 * count nothing, and must name only possible CPUs.  CPUs that are offline
 * at the moment are fine: their reports count once they come online.
 *
 * Return: 0 if damon_set_report_filter() accepts @filter, -EINVAL if not.
 */
int damon_report_filter_check(const struct damon_report_filter *filter)
{
	if (!filter->filter_cpus)
		return 0;
	if (cpumask_empty(&filter->cpus) ||
	    !cpumask_subset(&filter->cpus, cpu_possible_mask))
		return -EINVAL;
	/* Bits past nr_cpu_ids escape the cpumask helpers: look at them. */
	if (find_next_bit(cpumask_bits(&filter->cpus), DAMON_CPUMASK_BITS,
			  nr_cpu_ids) < DAMON_CPUMASK_BITS)
		return -EINVAL;
	return 0;
}

/**
 * damon_set_report_filter() - Choose which access reports a context counts.
 * @ctx:	The context.
 * @filter:	The filter; see damon_report_filter_check() for what is
 *		accepted.
 *
 * Like damon_set_attrs(), a running context may only be changed from its
 * callbacks; the filter then applies to reports from then on.
 *
 * Return: 0, or -EINVAL leaving the context's filter untouched.
 */
int damon_set_report_filter(struct damon_ctx *ctx,
			    const struct damon_report_filter *filter)
{
	struct damon_report_buf *buf = ctx->reports;

	if (damon_report_filter_check(filter))
		return -EINVAL;
	ctx->report_filter = *filter;
	if (buf) {
		spin_lock(&buf->lock);
		buf->filter = *filter;
		spin_unlock(&buf->lock);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(damon_set_report_filter);

/**
 * damon_reports_open() - Start taking reports for a context.
 * @ctx:	The context, about to start; its operations set is chosen.
 *
 * Does nothing for an operations set without
 * &damon_operations->eligible_report.  Resets &damon_ctx->report_stats.
 *
 * Return: 0, or -ENOMEM.
 */
int damon_reports_open(struct damon_ctx *ctx)
{
	struct damon_report_buf *buf;

	ctx->report_stats = (struct damon_report_stats){};
	if (!ctx->ops.eligible_report)
		return 0;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf->active = kvmalloc_array(DAMON_REPORTS_MAX, sizeof(*buf->active),
				     GFP_KERNEL);
	buf->folding = kvmalloc_array(DAMON_REPORTS_MAX,
				      sizeof(*buf->folding), GFP_KERNEL);
	if (!buf->active || !buf->folding) {
		kvfree(buf->active);
		kvfree(buf->folding);
		kfree(buf);
		return -ENOMEM;
	}
	spin_lock_init(&buf->lock);
	buf->filter = ctx->report_filter;
	ctx->reports = buf;
	mutex_lock(&damon_report_bufs_lock);
	list_add_tail_rcu(&buf->list, &damon_report_bufs);
	mutex_unlock(&damon_report_bufs_lock);
	return 0;
}

/**
 * damon_reports_close() - Stop taking reports for a context.
 * @ctx:	The context, whose kdamond folds no more.
 *
 * Reports not folded yet are lost.  Waits until no reporter can still see
 * the buffer, then frees it.
 */
void damon_reports_close(struct damon_ctx *ctx)
{
	struct damon_report_buf *buf = ctx->reports;

	if (!buf)
		return;
	mutex_lock(&damon_report_bufs_lock);
	list_del_rcu(&buf->list);
	mutex_unlock(&damon_report_bufs_lock);
	synchronize_rcu();
	ctx->reports = NULL;
	kvfree(buf->active);
	kvfree(buf->folding);
	kfree(buf);
}

/* Sort reports by address space, then by address, for the merge walk. */
static int damon_report_cmp(const void *a, const void *b)
{
	const struct damon_access_report *x = a, *y = b;

	if (x->mm != y->mm)
		return (unsigned long)x->mm < (unsigned long)y->mm ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

/* Count @r accessed, unless a report did so in this interval already. */
static bool damon_report_mark(struct damon_region *r, unsigned long addr)
{
	if (r->reported)
		return false;
	r->reported = true;
	r->nr_accesses++;
	r->hit_addr = clamp(addr, r->ar.start, r->ar.end - 1);
	return true;
}

/*
 * Mark the regions of @t that the eligible ones of @nr sorted reports
 * overlap.  Reports of one address space come in address order, so the
 * walk over the regions moves forward only, and starts again from the
 * first region when the address goes back (another address space that
 * the operations set also takes for @t).
 */
static bool damon_reports_fold_target(struct damon_ctx *ctx,
				      struct damon_target *t,
				      const struct damon_access_report *reports,
				      unsigned int nr)
{
	struct damon_region *r = NULL, *p;
	unsigned long prev = 0;
	bool marked = false;
	unsigned int i;

	if (list_empty(&t->regions))
		return false;
	for (i = 0; i < nr; i++) {
		const struct damon_access_report *rep = &reports[i];
		unsigned long start = rep->addr;
		unsigned long end = start + max(rep->size, 1UL);

		if (!ctx->ops.eligible_report(rep, t))
			continue;
		if (end < start)	/* wrapped: up to the top */
			end = ULONG_MAX;
		if (!r || start < prev)
			r = damon_first_region(t);
		prev = start;
		damon_for_each_region_from(r, t) {
			if (r->ar.end > start)
				break;
		}
		if (list_entry_is_head(r, &t->regions, list)) {
			/* Past the last region: later reports are too. */
			r = damon_last_region(t);
			continue;
		}
		p = r;
		damon_for_each_region_from(p, t) {
			if (p->ar.start >= end)
				break;
			if (!rep->sampled)
				marked |= damon_report_mark(p, start);
			else if (p->sampling_addr >= start &&
				 p->sampling_addr < end)
				marked |= damon_report_mark(p, p->sampling_addr);
		}
	}
	return marked;
}

/**
 * damon_reports_fold() - Count the reports of a sampling interval.
 * @ctx:	The context, from its kdamond, at the end of a sampling
 *		interval and before the operations set checks accesses.
 *
 * Each region that an eligible report overlaps (for a sampled report:
 * whose sampling address it covers) gets one access for the interval,
 * whatever the number of reports, and
 * &damon_region->reported set until damon_reports_unmark(), so that the
 * operations set's check does not count it again.
 */
void damon_reports_fold(struct damon_ctx *ctx)
{
	struct damon_report_buf *buf = ctx->reports;
	struct damon_target *t;
	unsigned long dropped;
	unsigned int nr;

	if (!buf)
		return;
	spin_lock(&buf->lock);
	swap(buf->active, buf->folding);
	nr = buf->nr;
	dropped = buf->dropped;
	buf->nr = 0;
	buf->dropped = 0;
	spin_unlock(&buf->lock);

	ctx->report_stats.received += nr;
	ctx->report_stats.dropped += dropped;
	if (!nr)
		return;
	sort(buf->folding, nr, sizeof(*buf->folding), damon_report_cmp, NULL);
	damon_for_each_target(t, ctx)
		buf->marked |= damon_reports_fold_target(ctx, t, buf->folding,
							 nr);
}

/**
 * damon_reports_unmark() - End the sampling interval for the reports.
 * @ctx:	The context, from its kdamond, after the access check.
 *
 * Clears the &damon_region->reported marks of damon_reports_fold(), if it
 * set any, so that the next interval may count the regions again.
 */
void damon_reports_unmark(struct damon_ctx *ctx)
{
	struct damon_report_buf *buf = ctx->reports;
	struct damon_target *t;
	struct damon_region *r;

	if (!buf || !buf->marked)
		return;
	damon_for_each_target(t, ctx)
		damon_for_each_region(r, t)
			r->reported = false;
	buf->marked = false;
}
