// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite that monitors a real process with the fvaddr and vaddr
 * operations sets: fvaddr keeps to the ranges it is given, vaddr follows the
 * mappings, and monitoring stops by itself when the process dies.
 *
 * The process is /bin/sleep, started as a user mode helper.  Where there is
 * no such program (UML runs of kunit.py) the cases are skipped; in the test
 * guest they run on request, through the suite's debugfs "run" file
 * (tools/testing/selftests/damon/fvaddr_ranges.sh), as no user interface
 * offers fvaddr.
 */

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/umh.h>

#include "kunit_util.h"

/* What the after_aggregation callback saw. */
struct damon_live_seen {
	struct damon_addr_range ranges[2];
	int nr_aggregations;
	int nr_outside;		/* aggregations with a region outside ranges */
	int nr_not_covering;	/* aggregations not covering exactly ranges */
};

/*
 * Allocated before the context, so that it is freed after the context's
 * kdamond, which writes to it, was stopped.
 */
static struct damon_live_seen *damon_live_new_seen(struct kunit *test)
{
	struct damon_live_seen *seen = kunit_kzalloc(test, sizeof(*seen),
						     GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, seen);
	return seen;
}

static int damon_live_umh_init(struct subprocess_info *info, struct cred *new)
{
	struct pid **pid = info->data;

	*pid = get_task_pid(current, PIDTYPE_PID);
	return 0;
}

static void damon_live_kill(void *data)
{
	struct pid *pid = data;

	kill_pid(pid, SIGKILL, 1);
	put_pid(pid);
}

/* Start "/bin/sleep 30"; return its pid, killed when the test ends. */
static struct pid *damon_live_spawn(struct kunit *test)
{
	/* call_usermodehelper_setup() takes them non-const. */
	char *argv[3] = { "/bin/sleep", "30", NULL };
	char *envp[2] = { "PATH=/usr/bin:/bin", NULL };
	struct subprocess_info *info;
	struct pid *pid = NULL;
	int err;

	info = call_usermodehelper_setup(argv[0], argv, envp, GFP_KERNEL,
					 damon_live_umh_init, NULL, &pid);
	KUNIT_ASSERT_NOT_NULL(test, info);
	err = call_usermodehelper_exec(info, UMH_WAIT_EXEC);
	if (err) {
		put_pid(pid);
		kunit_skip(test, "cannot run %s (%d)", argv[0], err);
	}
	KUNIT_ASSERT_NOT_NULL(test, pid);
	err = kunit_add_action_or_reset(test, damon_live_kill, pid);
	KUNIT_ASSERT_EQ(test, err, 0);
	return pid;
}

/*
 * Pick two ranges of the process's address space: the first page of its
 * first mapping, and its last mapping.  The rest of the address space lies
 * outside them.
 */
static void damon_live_pick_ranges(struct kunit *test, struct pid *pid,
				   struct damon_addr_range *ranges)
{
	struct task_struct *task = get_pid_task(pid, PIDTYPE_PID);
	struct vm_area_struct *vma, *first = NULL, *last = NULL;
	struct mm_struct *mm;

	KUNIT_ASSERT_NOT_NULL(test, task);
	mm = get_task_mm(task);
	put_task_struct(task);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (!first)
				first = vma;
			last = vma;
		}
	}
	if (first && last != first) {
		ranges[0].start = first->vm_start;
		ranges[0].end = first->vm_start + PAGE_SIZE;
		ranges[1].start = last->vm_start;
		ranges[1].end = last->vm_end;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	KUNIT_ASSERT_TRUE(test, first && last != first);
}

static int damon_live_after_aggregation(struct damon_ctx *ctx)
{
	struct damon_live_seen *seen = ctx->callback.private;
	unsigned long covered = 0, wanted = 0;
	bool outside = false;
	struct damon_target *t;
	struct damon_region *r;
	int i;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			bool inside = false;

			for (i = 0; i < 2; i++) {
				if (r->ar.start >= seen->ranges[i].start &&
				    r->ar.end <= seen->ranges[i].end)
					inside = true;
			}
			outside |= !inside;
			covered += damon_sz_region(r);
		}
	}
	for (i = 0; i < 2; i++)
		wanted += seen->ranges[i].end - seen->ranges[i].start;
	seen->nr_outside += outside;
	seen->nr_not_covering += outside || covered != wanted;
	/* The test polls this one; it reads the others after damon_stop(). */
	WRITE_ONCE(seen->nr_aggregations, seen->nr_aggregations + 1);
	return 0;
}

/*
 * Monitor the process with @ops_id, its regions set to two ranges, with an
 * operations update every 2 ms, until @nr_aggregations aggregations passed.
 */
static void damon_live_monitor(struct kunit *test, enum damon_ops_id ops_id,
			       struct damon_live_seen *seen,
			       struct damon_ctx **ctxp, struct pid *pid)
{
	const struct damon_attrs attrs = {
		.sample_interval = 1000,
		.aggr_interval = 10000,
		.ops_update_interval = 2000,
		.min_nr_regions = 3,
		.max_nr_regions = 100,
	};
	struct damon_ctx *ctx = damon_test_new_ctx(test);
	struct damon_addr_range ranges[2];
	struct damon_target *t;
	int i;

	if (!damon_is_registered_ops(ops_id))
		kunit_skip(test, "operations set %d not registered", ops_id);
	KUNIT_ASSERT_EQ(test, damon_select_ops(ctx, ops_id), 0);
	KUNIT_ASSERT_EQ(test, damon_set_attrs(ctx, &attrs), 0);
	t = damon_test_new_target(test, ctx);
	t->pid = get_pid(pid);
	memcpy(ranges, seen->ranges, sizeof(ranges));
	KUNIT_ASSERT_EQ(test, damon_set_regions(t, ranges, 2), 0);
	ctx->callback.private = seen;
	ctx->callback.after_aggregation = damon_live_after_aggregation;

	KUNIT_ASSERT_EQ(test, damon_start(&ctx, 1, false), 0);
	/* 20 aggregations take 200 ms; allow a slow guest ten times that. */
	for (i = 0; i < 100; i++) {
		if (READ_ONCE(seen->nr_aggregations) >= 20)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_GE(test, READ_ONCE(seen->nr_aggregations), 20);
	*ctxp = ctx;
}

/* Once the process is killed, the kdamond must stop by itself. */
static void damon_live_expect_stop_on_exit(struct kunit *test,
					   struct damon_ctx *ctx,
					   struct pid *pid)
{
	int i;

	KUNIT_EXPECT_TRUE(test, damon_is_running(ctx));
	kill_pid(pid, SIGKILL, 1);
	for (i = 0; i < 250 && damon_is_running(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE_MSG(test, damon_is_running(ctx),
			       "monitoring goes on 5 s after the target died");
}

static void damon_live_test_fvaddr(struct kunit *test)
{
	struct pid *pid = damon_live_spawn(test);
	struct damon_live_seen *seen = damon_live_new_seen(test);
	struct damon_ctx *ctx;

	damon_live_pick_ranges(test, pid, seen->ranges);
	damon_live_monitor(test, DAMON_OPS_FVADDR, seen, &ctx, pid);
	damon_stop(&ctx, 1);
	KUNIT_EXPECT_EQ_MSG(test, seen->nr_not_covering, 0,
			    "%d of %d aggregations left the given ranges",
			    seen->nr_not_covering, seen->nr_aggregations);
}

static void damon_live_test_vaddr(struct kunit *test)
{
	struct pid *pid = damon_live_spawn(test);
	struct damon_live_seen *seen = damon_live_new_seen(test);
	struct damon_ctx *ctx;

	damon_live_pick_ranges(test, pid, seen->ranges);
	damon_live_monitor(test, DAMON_OPS_VADDR, seen, &ctx, pid);
	damon_live_expect_stop_on_exit(test, ctx, pid);
	damon_stop(&ctx, 1);
	/* The given ranges are initial regions; updates follow the mappings. */
	KUNIT_EXPECT_GT(test, seen->nr_outside, 0);
}

static void damon_live_test_fvaddr_exit(struct kunit *test)
{
	struct pid *pid = damon_live_spawn(test);
	struct damon_live_seen *seen = damon_live_new_seen(test);
	struct damon_ctx *ctx;

	damon_live_pick_ranges(test, pid, seen->ranges);
	damon_live_monitor(test, DAMON_OPS_FVADDR, seen, &ctx, pid);
	damon_live_expect_stop_on_exit(test, ctx, pid);
}

static struct kunit_case damon_live_cases[] = {
	KUNIT_CASE_SLOW(damon_live_test_fvaddr),
	KUNIT_CASE_SLOW(damon_live_test_vaddr),
	KUNIT_CASE_SLOW(damon_live_test_fvaddr_exit),
	{}
};

/*
 * KUnit does not run a case again whose last run was skipped, as ours are
 * at boot, before there is a root filesystem; clear the mark.
 */
static int damon_live_suite_init(struct kunit_suite *suite)
{
	struct kunit_case *c;

	kunit_suite_for_each_test_case(suite, c)
		c->status = KUNIT_SUCCESS;
	return 0;
}

static struct kunit_suite damon_live_suite = {
	.name = "damon_vaddr_live",
	.suite_init = damon_live_suite_init,
	.test_cases = damon_live_cases,
};

kunit_test_suite(damon_live_suite);
