// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of DAMON's access reports: buffering and folding into
 * regions with exact counts, the overflow accounting, the report filters,
 * the eligibility of reports for the targets of vaddr and paddr, reports
 * from atomic context, and a kdamond that counts reported accesses.
 *
 * The cases open a context's report buffer themselves, without a kdamond,
 * and fold by hand.  While one is open it takes every report of the
 * system, so the suite refuses to run beside other DAMON users.
 */

#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/mman.h>
#include <linux/pid.h>
#include <linux/sched.h>

#include "kunit_util.h"

/* Address space cookies: the reports only compare them. */
#define MM_A	((const struct mm_struct *)0x1000)
#define MM_B	((const struct mm_struct *)0x2000)

/* The test targets' id is the cookie of their address space. */
static bool damon_test_eligible(const struct damon_access_report *report,
				struct damon_target *t)
{
	return report->mm == (const struct mm_struct *)t->id;
}

static void damon_test_reports_close(void *data)
{
	damon_reports_close(data);
}

/* A context taking reports, its buffer open as if it were running. */
static struct damon_ctx *damon_test_reports_ctx(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	int err;

	ctx->ops.eligible_report = damon_test_eligible;
	KUNIT_ASSERT_EQ(test, damon_reports_open(ctx), 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx->reports);
	err = kunit_add_action_or_reset(test, damon_test_reports_close, ctx);
	KUNIT_ASSERT_EQ(test, err, 0);
	return ctx;
}

static void damon_test_report(const struct mm_struct *mm, unsigned long addr,
			      unsigned long size, unsigned int cpu, bool write)
{
	struct damon_access_report report = {
		.addr = addr,
		.size = size,
		.mm = mm,
		.cpu = cpu,
		.write = write,
	};

	damon_report_access(&report);
}

/* Fold as the kdamond does around the operations set's check. */
static void damon_test_fold(struct damon_ctx *ctx)
{
	damon_reports_fold(ctx);
	damon_reports_unmark(ctx);
}

static unsigned int damon_test_nr(struct kunit *test, struct damon_target *t,
				  unsigned int idx)
{
	return damon_test_region(test, t, idx)->nr_accesses;
}

/*
 * Regions [0, 2), [2, 4), [6, 8) and [8, 10) in MR units: each counts at
 * most once per fold however many reports hit it, a report over a border
 * counts for both sides, and reports in the hole, past the end or of
 * another address space count for nothing.
 */
static void damon_test_fold_counts(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, 2 * MR, 2);
	damon_test_add_regions(test, t, 6 * MR, 2 * MR, 2);

	damon_test_report(MM_A, 1 * MR, 8, 0, false);
	damon_test_report(MM_A, 1 * MR + 64, 8, 0, true);
	damon_test_report(MM_A, 0, 0, 1, false);
	damon_test_report(MM_A, 4 * MR, MR, 0, false);	/* the hole */
	damon_test_report(MM_A, 12 * MR, MR, 0, false);	/* past the end */
	damon_test_report(MM_B, 2 * MR, MR, 0, false);	/* not eligible */
	damon_test_report(NULL, 2 * MR, MR, 0, false);	/* physical */
	damon_test_report(MM_A, 8 * MR - 8, 16, 0, false);	/* a border */
	damon_test_fold(ctx);

	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 3), 1U);
	/* The core cuts around where the access was. */
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 0)->hit_addr, 0UL);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 3)->hit_addr,
			8 * MR);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 8UL);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.dropped, 0UL);

	/* The next interval counts again; an empty one adds nothing. */
	damon_test_report(MM_A, 9 * MR, 1, 0, false);
	damon_test_report(MM_A, 0, 10 * MR, 0, false);	/* all of them */
	damon_test_fold(ctx);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 2U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 2U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 3), 2U);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 10UL);
}

/*
 * A sampled report (a fault on a page the operations set sampled) counts
 * only for the regions whose sampling address it covers, and the core
 * learns that address; a plain report over the same range counts for
 * every region it overlaps.
 */
static void damon_test_fold_sampled(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_access_report report = {
		.addr = 1 * MR,
		.size = 4 * MR,
		.mm = MM_A,
		.sampled = true,
	};

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, 2 * MR, 3);
	/* [0, 2) samples outside [1, 5), [2, 4) inside, [4, 6) at 4 MR. */
	damon_test_region(test, t, 0)->sampling_addr = 0;
	damon_test_region(test, t, 1)->sampling_addr = 3 * MR;
	damon_test_region(test, t, 2)->sampling_addr = 4 * MR;

	damon_report_access(&report);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_region(test, t, 1)->hit_addr,
			3 * MR);

	report.sampled = false;
	damon_report_access(&report);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 2U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 2U);
}

/*
 * Two targets of different address spaces each count only their own
 * reports, whatever the order they came in.  A report that runs past the
 * top of the address space counts up to the top.
 */
static void damon_test_fold_targets(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *a = damon_test_new_target(test, ctx);
	struct damon_target *b = damon_test_new_target(test, ctx);
	unsigned long top = ALIGN_DOWN(ULONG_MAX, MR) - MR;

	a->id = (unsigned long)MM_A;
	b->id = (unsigned long)MM_B;
	damon_test_add_regions(test, a, 0, MR, 4);
	damon_test_add_regions(test, b, 0, MR, 3);
	damon_test_add_regions(test, b, top, MR, 1);

	damon_test_report(MM_B, 2 * MR, 1, 0, false);
	damon_test_report(MM_A, 3 * MR, 1, 0, false);
	damon_test_report(MM_B, 0, 1, 0, false);
	damon_test_report(MM_A, 1 * MR, 1, 0, false);
	damon_test_report(MM_B, top, ULONG_MAX, 0, false);	/* wraps */
	damon_test_fold(ctx);

	KUNIT_EXPECT_EQ(test, damon_test_nr(test, a, 0), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, a, 1), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, a, 2), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, a, 3), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, b, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, b, 1), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, b, 2), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, b, 3), 1U);
}

/*
 * A region that a report counted is not counted again by the operations
 * set's check of the same interval, but is in the next one.
 */
static void damon_test_fold_and_check(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_region *r;

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, MR, 2);
	r = damon_test_region(test, t, 0);

	damon_test_report(MM_A, 0, 1, 0, false);
	damon_reports_fold(ctx);
	KUNIT_EXPECT_TRUE(test, r->reported);
	damon_region_accessed(r);		/* the check of the interval */
	damon_region_accessed(damon_test_region(test, t, 1));
	damon_reports_unmark(ctx);
	KUNIT_EXPECT_FALSE(test, r->reported);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 1U);

	damon_region_accessed(r);		/* the next interval */
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 2U);
}

/*
 * A flood beyond the buffer is counted and dropped without blocking; what
 * fit is folded exactly, and the buffer takes reports again afterwards.
 */
static void damon_test_overflow(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned int i;

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, MR, 2);

	/* The ones that fit all go to region 0, the dropped to region 1. */
	for (i = 0; i < DAMON_REPORTS_MAX; i++)
		damon_test_report(MM_A, 0, 1, 0, false);
	for (i = 0; i < 7; i++)
		damon_test_report(MM_A, MR, 1, 0, false);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received,
			(unsigned long)DAMON_REPORTS_MAX);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.dropped, 7UL);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 0U);

	damon_test_report(MM_A, MR, 1, 0, false);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 1U);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.dropped, 7UL);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received,
			(unsigned long)DAMON_REPORTS_MAX + 1);

	/* A new start counts afresh. */
	damon_reports_close(ctx);
	KUNIT_ASSERT_EQ(test, damon_reports_open(ctx), 0);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 0UL);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.dropped, 0UL);
}

/* Write-only and per-CPU filters keep reports out of the buffer. */
static void damon_test_filters(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_report_filter filter = { .writes_only = true };

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, MR, 3);

	/* Set on a running context: applies from the next report on. */
	KUNIT_ASSERT_EQ(test, damon_set_report_filter(ctx, &filter), 0);
	damon_test_report(MM_A, 0, 1, 0, false);
	damon_test_report(MM_A, MR, 1, 0, true);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 0U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 1), 1U);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 1UL);

	filter.writes_only = false;
	filter.filter_cpus = true;
	cpumask_clear(&filter.cpus);
	cpumask_set_cpu(0, &filter.cpus);
	KUNIT_ASSERT_EQ(test, damon_set_report_filter(ctx, &filter), 0);
	damon_test_report(MM_A, 0, 1, 0, false);
	damon_test_report(MM_A, 2 * MR, 1, nr_cpu_ids, true);
	damon_test_report(MM_A, 2 * MR, 1, UINT_MAX, true);
	if (nr_cpu_ids > 1)
		damon_test_report(MM_A, 2 * MR, 1, 1, true);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 1U);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 0U);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 2UL);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.dropped, 0UL);

	/* No filter: everything counts again. */
	filter = (struct damon_report_filter){};
	KUNIT_ASSERT_EQ(test, damon_set_report_filter(ctx, &filter), 0);
	damon_test_report(MM_A, 2 * MR, 1, nr_cpu_ids - 1, false);
	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 2), 1U);
}

/* Filters that could count nothing, or name impossible CPUs, are refused. */
static void damon_test_bad_filters(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_report_filter filter = {
		.writes_only = true,
		.filter_cpus = true,
	};
	struct damon_report_filter good = { .filter_cpus = true };

	cpumask_clear(&filter.cpus);
	KUNIT_EXPECT_EQ(test, damon_set_report_filter(ctx, &filter), -EINVAL);
	KUNIT_EXPECT_FALSE(test, ctx->report_filter.writes_only);

	cpumask_copy(&good.cpus, cpu_possible_mask);
	KUNIT_EXPECT_EQ(test, damon_set_report_filter(ctx, &good), 0);
	KUNIT_EXPECT_TRUE(test, ctx->report_filter.filter_cpus);

	if (nr_cpu_ids < sizeof(filter.cpus) * BITS_PER_BYTE) {
		/* A CPU this machine can never have. */
		__set_bit(nr_cpu_ids, cpumask_bits(&filter.cpus));
		KUNIT_EXPECT_EQ(test, damon_set_report_filter(ctx, &filter),
				-EINVAL);
		KUNIT_EXPECT_FALSE(test, ctx->report_filter.writes_only);
	}
}

/* damon_commit_ctx() hands the filter over, or refuses a bad one. */
static void damon_test_commit_filter(struct kunit *test)
{
	struct damon_ctx *dst = damon_test_new_ctx(test);
	struct damon_ctx *src = damon_test_new_ctx(test);

	src->report_filter.writes_only = true;
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_TRUE(test, dst->report_filter.writes_only);
	KUNIT_EXPECT_FALSE(test, dst->report_filter.filter_cpus);

	src->report_filter.writes_only = false;
	src->report_filter.filter_cpus = true;
	cpumask_clear(&src->report_filter.cpus);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), -EINVAL);
	KUNIT_EXPECT_TRUE(test, dst->report_filter.writes_only);

	cpumask_set_cpu(0, &src->report_filter.cpus);
	KUNIT_EXPECT_EQ(test, damon_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_FALSE(test, dst->report_filter.writes_only);
	KUNIT_EXPECT_TRUE(test, dst->report_filter.filter_cpus);
	KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(0, &dst->report_filter.cpus));
}

/*
 * Reports from atomic context are refused.  Kernels with
 * CONFIG_DEBUG_ATOMIC_SLEEP warn about them, which would fail the run, so
 * there only the detection is checked.
 */
static void damon_test_atomic(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_reports_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	unsigned long refused = damon_reports_refused_count();
	bool atomic;

	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, MR, 1);
	KUNIT_EXPECT_FALSE(test, damon_report_atomic());

	local_irq_disable();
	atomic = damon_report_atomic();
	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		damon_test_report(MM_A, 0, 1, 0, false);
	local_irq_enable();
	KUNIT_EXPECT_TRUE(test, atomic);

	preempt_disable();
	atomic = damon_report_atomic();
	preempt_enable();
	KUNIT_EXPECT_EQ(test, atomic, IS_ENABLED(CONFIG_PREEMPT_COUNT));

	damon_test_fold(ctx);
	KUNIT_EXPECT_EQ(test, damon_test_nr(test, t, 0), 0U);
	KUNIT_EXPECT_EQ(test, ctx->report_stats.received, 0UL);
	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP))
		KUNIT_EXPECT_EQ(test, damon_reports_refused_count(),
				refused + 1);
}

/*
 * vaddr takes a report for a target if it is of the target's address
 * space; paddr takes reports of physical addresses.
 */
static void damon_test_ops_eligible(struct kunit *test)
{
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	struct damon_access_report report = { .addr = 0, .size = 1 };
	unsigned long addr;

	if (damon_is_registered_ops(DAMON_OPS_PADDR)) {
		KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_PADDR),
				0);
		KUNIT_ASSERT_NOT_NULL(test, ctx->ops.eligible_report);
		KUNIT_EXPECT_TRUE(test, ctx->ops.eligible_report(&report, t));
		report.mm = MM_A;
		KUNIT_EXPECT_FALSE(test, ctx->ops.eligible_report(&report, t));
	}
	if (!damon_is_registered_ops(DAMON_OPS_VADDR))
		kunit_skip(test, "no vaddr operations set");

	/* Give the test thread an address space, and make it the target. */
	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
			     MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr) || !current->mm)
		kunit_skip(test, "cannot give the test an address space");
	t->pid = get_task_pid(current, PIDTYPE_PID);
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, DAMON_OPS_VADDR), 0);
	KUNIT_ASSERT_NOT_NULL(test, ctx->ops.eligible_report);
	report.mm = current->mm;
	report.addr = addr;
	KUNIT_EXPECT_TRUE(test, ctx->ops.eligible_report(&report, t));
	report.mm = MM_A;
	KUNIT_EXPECT_FALSE(test, ctx->ops.eligible_report(&report, t));
	report.mm = NULL;
	KUNIT_EXPECT_FALSE(test, ctx->ops.eligible_report(&report, t));
}

/*
 * A running kdamond whose operations set only takes reports: an access
 * reported after every sampling interval (from the after_sampling
 * callback, which runs in the kdamond, a process context) is counted in
 * the next one, so that every aggregation but the first counts exactly
 * one access per sampling interval for the reported region, and none for
 * the others.  Its operations set cannot be switched meanwhile.
 */
struct damon_test_run {
	unsigned long addr;
	unsigned int aggrs, good, bad;
	struct completion done;
};

static int damon_test_run_report(struct damon_ctx *ctx)
{
	struct damon_test_run *run = ctx->callback.private;

	damon_test_report(MM_A, run->addr, 1, raw_smp_processor_id(), true);
	return 0;
}

static int damon_test_run_aggr(struct damon_ctx *ctx)
{
	struct damon_test_run *run = ctx->callback.private;
	unsigned int want = damon_aggr_samples(&ctx->attrs);
	struct damon_target *t;
	struct damon_region *r;
	bool good = true;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			bool hit = r->ar.start <= run->addr &&
				run->addr < r->ar.end;

			good &= r->nr_accesses == (hit ? want : 0);
		}
	}
	/* The first interval had no report of a previous one. */
	if (run->aggrs++) {
		run->good += good;
		run->bad += !good;
	}
	if (run->aggrs < 11)
		return 0;
	complete(&run->done);
	return 1;	/* enough: stop */
}

static void damon_test_kdamond_reports(struct kunit *test)
{
	struct damon_test_run *run = kunit_kzalloc(test, sizeof(*run),
						   GFP_KERNEL);
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_target *t = damon_test_new_target(test, ctx);
	const struct damon_attrs attrs = {
		.sample_interval = 1000,
		.aggr_interval = 5000,
		.ops_update_interval = 100000,
		.min_nr_regions = 3,
		.max_nr_regions = 20,
	};

	KUNIT_ASSERT_NOT_NULL(test, run);
	init_completion(&run->done);
	run->addr = 37 * MR + 5;
	t->id = (unsigned long)MM_A;
	damon_test_add_regions(test, t, 0, 100 * MR, 1);
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	ctx->ops.eligible_report = damon_test_eligible;
	ctx->callback.private = run;
	ctx->callback.after_sampling = damon_test_run_report;
	ctx->callback.after_aggregation = damon_test_run_aggr;

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	KUNIT_EXPECT_EQ(test, damon_select_ops(ctx, DAMON_OPS_PADDR),
			-EBUSY);
	KUNIT_EXPECT_TRUE(test, ctx->ops.eligible_report ==
			  damon_test_eligible);
	/* 11 aggregations take 55 ms; allow a slow guest much more. */
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&run->done,
							  30 * HZ), 0UL);
	/* Waits for the kdamond to exit, if it has not yet. */
	damon_stop(&ctx, 1);
	KUNIT_EXPECT_NULL(test, ctx->reports);
	KUNIT_EXPECT_EQ(test, run->bad, 0U);
	KUNIT_EXPECT_EQ(test, run->good, 10U);
	KUNIT_EXPECT_GT(test, ctx->report_stats.received, 0UL);
}

static int damon_reports_suite_init(struct kunit_suite *suite)
{
	/* An open buffer takes every report: no other DAMON user may run. */
	if (damon_nr_running_ctxs())
		return -EBUSY;
	return 0;
}

static struct kunit_case damon_reports_cases[] = {
	KUNIT_CASE(damon_test_fold_counts),
	KUNIT_CASE(damon_test_fold_sampled),
	KUNIT_CASE(damon_test_fold_targets),
	KUNIT_CASE(damon_test_fold_and_check),
	KUNIT_CASE(damon_test_overflow),
	KUNIT_CASE(damon_test_filters),
	KUNIT_CASE(damon_test_bad_filters),
	KUNIT_CASE(damon_test_commit_filter),
	KUNIT_CASE(damon_test_atomic),
	KUNIT_CASE(damon_test_ops_eligible),
	KUNIT_CASE_SLOW(damon_test_kdamond_reports),
	{}
};

static struct kunit_suite damon_reports_suite = {
	.name = "damon_reports",
	.suite_init = damon_reports_suite_init,
	.test_cases = damon_reports_cases,
};

kunit_test_suite(damon_reports_suite);
