// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON debugfs interface: turning the contexts' settings into running
 * DAMON contexts, and stopping them.
 *
 * Every start builds each DAMON context afresh from the settings the user
 * wrote (dropping the targets and regions a previous run left), so that
 * what the files read back is what runs.  All contexts start as one
 * exclusive group.  The callbacks given to the kdamonds only feed the
 * record writer; they never take the interface's lock, which the callers
 * of these functions hold, also while waiting for kdamonds to stop.
 */

#include <linux/pid.h>
#include <linux/slab.h>

#include "core_internal.h"
#include "dbgfs-run.h"

/**
 * damon_dbgfs_running() - Whether a context of a list runs.
 * @ctxs:	The list of &struct damon_dbgfs_ctx.
 *
 * Return: true if the kdamond of any context of @ctxs runs.
 */
bool damon_dbgfs_running(struct list_head *ctxs)
{
	struct damon_dbgfs_ctx *dctx;

	list_for_each_entry(dctx, ctxs, list) {
		if (damon_is_running(dctx->ctx))
			return true;
	}
	return false;
}

static int dbgfs_after_aggregation(struct damon_ctx *ctx)
{
	struct damon_dbgfs_ctx *dctx = ctx->callback.private;

	damon_dbgfs_record_snapshot(&dctx->rec, ctx);
	return 0;
}

static int dbgfs_before_start(struct damon_ctx *ctx)
{
	struct damon_dbgfs_ctx *dctx = ctx->callback.private;

	damon_dbgfs_record_begin(&dctx->rec);
	return 0;
}

static void dbgfs_before_terminate(struct damon_ctx *ctx)
{
	struct damon_dbgfs_ctx *dctx = ctx->callback.private;

	damon_dbgfs_record_close(&dctx->rec);
}

/* Give target @idx of @dctx the initial regions the user set for it. */
static int dbgfs_set_init_regions(struct damon_dbgfs_ctx *dctx,
				  unsigned int idx, struct damon_target *t)
{
	struct damon_addr_range *ranges;
	unsigned int first, nr, i;
	int err;

	/* The regions are grouped by target, in target order. */
	for (first = 0; first < dctx->set.nr_regions; first++) {
		if (dctx->set.regions[first].target == idx)
			break;
	}
	for (nr = 0; first + nr < dctx->set.nr_regions; nr++) {
		if (dctx->set.regions[first + nr].target != idx)
			break;
	}
	if (!nr)
		return 0;
	ranges = kvmalloc_array(nr, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		ranges[i] = dctx->set.regions[first + i].ar;
	err = damon_set_regions(t, ranges, nr);
	kvfree(ranges);
	return err;
}

/* Build the DAMON context of @dctx from its settings. */
static int dbgfs_build_ctx(struct damon_dbgfs_ctx *dctx)
{
	struct damon_dbgfs_settings *set = &dctx->set;
	struct damon_ctx *ctx = dctx->ctx;
	struct damon_target *t, *next;
	unsigned int i;
	int err;

	damon_for_each_target_safe(t, next, ctx)
		damon_destroy_target(t);
	/*
	 * Nothing finds the physical address ranges to monitor by itself:
	 * without init_regions there would be nothing to do.
	 */
	if (!set->nr_targets || (set->paddr && !set->nr_regions))
		return -EINVAL;
	err = damon_select_ops(ctx, set->paddr ? DAMON_OPS_PADDR :
			       DAMON_OPS_VADDR);
	if (err)
		return err;
	err = damon_set_attrs(ctx, &set->attrs);
	if (err)
		return err;
	err = damon_dbgfs_build_schemes(ctx, set->schemes, set->nr_schemes);
	if (err)
		return err;
	for (i = 0; i < set->nr_targets; i++) {
		t = damon_new_target();
		if (!t)
			return -ENOMEM;
		t->id = set->ids[i];
		t->pid = set->pids ? get_pid(set->pids[i]) : NULL;
		damon_add_target(ctx, t);
		err = dbgfs_set_init_regions(dctx, i, t);
		if (err)
			return err;
	}
	ctx->callback = (struct damon_callback) {
		.private = dctx,
		.before_start = dbgfs_before_start,
		.after_aggregation = dbgfs_after_aggregation,
		.before_terminate = dbgfs_before_terminate,
	};
	return 0;
}

/*
 * Refuse a record file that a context before @dctx in @ctxs writes too,
 * under whatever name: their snapshots would interleave.
 */
static int dbgfs_record_shared(struct list_head *ctxs,
			       struct damon_dbgfs_ctx *dctx)
{
	struct damon_dbgfs_ctx *other;

	list_for_each_entry(other, ctxs, list) {
		if (other == dctx)
			break;
		if (damon_dbgfs_record_same_file(&other->rec, &dctx->rec))
			return -EINVAL;
	}
	return 0;
}

/**
 * damon_dbgfs_start() - Start all contexts of a list as one group.
 * @ctxs:	The list of &struct damon_dbgfs_ctx, none of them running.
 *
 * Each context must have a target, and a physical address space target
 * needs initial regions.  The record files are opened here, by the task
 * that turns monitoring on, so that the errors of opening reach it; their
 * kdamonds truncate them once running, so that a failed start leaves the
 * previous records alone.
 *
 * Return: 0, -EINVAL for a context that cannot run or two contexts that
 * record to the same file, the error of opening a record file, or that of
 * damon_start().  On error nothing runs.
 */
int damon_dbgfs_start(struct list_head *ctxs)
{
	struct damon_dbgfs_ctx *dctx;
	struct damon_ctx **group;
	int nr = 0, err = 0;

	list_for_each_entry(dctx, ctxs, list)
		nr++;
	group = kmalloc_array(nr, sizeof(*group), GFP_KERNEL);
	if (!group)
		return -ENOMEM;
	nr = 0;
	list_for_each_entry(dctx, ctxs, list) {
		err = dbgfs_build_ctx(dctx);
		if (err)
			goto out;
		group[nr++] = dctx->ctx;
	}
	list_for_each_entry(dctx, ctxs, list) {
		err = damon_dbgfs_record_open(&dctx->rec, dctx->set.rec_size,
					      dctx->set.rec_path);
		if (err)
			goto close;
		err = dbgfs_record_shared(ctxs, dctx);
		if (err)
			goto close;
	}
	err = damon_start(group, nr, true);
	if (!err)
		goto out;
close:
	/* No kdamond runs now: the records still open are ours to close. */
	list_for_each_entry(dctx, ctxs, list)
		damon_dbgfs_record_close(&dctx->rec);
out:
	kfree(group);
	return err;
}

/**
 * damon_dbgfs_stop() - Stop the contexts of a list that still run.
 * @ctxs:	The list of &struct damon_dbgfs_ctx.
 *
 * Some contexts may have stopped by themselves already, when their
 * targets went away.  Returns when every kdamond has exited, after it
 * wrote out its record.
 */
void damon_dbgfs_stop(struct list_head *ctxs)
{
	struct damon_dbgfs_ctx *dctx;

	list_for_each_entry(dctx, ctxs, list) {
		if (damon_is_running(dctx->ctx))
			damon_stop(&dctx->ctx, 1);
	}
}
