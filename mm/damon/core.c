// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON core: the data model (contexts, targets, regions), the operations
 * registry, attribute checks, and starting and stopping of the monitoring
 * threads.  The thread itself is in kdamond.c and the adaptive regions
 * adjustment in regions.c.
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "core_internal.h"
#include "schemes.h"

/*
 * damon_lock protects the number of running contexts and whether they were
 * started as an exclusive group.  It nests outside of every
 * &damon_ctx->kdamond_lock.  &damon_ctx->stop_lock is held while waiting
 * for a kdamond, which needs both to exit, so it is never taken with either
 * of them held.
 */
static DEFINE_MUTEX(damon_lock);
static int damon_nr_running;
static bool damon_running_exclusive;

static DEFINE_MUTEX(damon_ops_lock);
static struct damon_operations damon_ops_table[NR_DAMON_OPS];
static bool damon_ops_present[NR_DAMON_OPS];

/* Regions and targets */

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

/**
 * damon_new_target() - Allocate a target.
 *
 * The new target has no region, an id of 0 and no pid; the caller fills in
 * what it needs and adds it to a context with damon_add_target().
 *
 * Return: the target, or NULL if memory is short.
 */
struct damon_target *damon_new_target(void)
{
	struct damon_target *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->regions);
	INIT_LIST_HEAD(&t->list);
	return t;
}
EXPORT_SYMBOL_GPL(damon_new_target);

/**
 * damon_add_target() - Append a target to a context.
 * @ctx:	The context, which must not be running unless this is called
 *		from its kdamond.
 * @t:		The target.
 */
void damon_add_target(struct damon_ctx *ctx, struct damon_target *t)
{
	list_add_tail(&t->list, &ctx->targets);
}
EXPORT_SYMBOL_GPL(damon_add_target);

/**
 * damon_targets_empty() - Whether a context has no target.
 * @ctx:	The context.
 *
 * Return: true if @ctx has no target.
 */
bool damon_targets_empty(struct damon_ctx *ctx)
{
	return list_empty(&ctx->targets);
}
EXPORT_SYMBOL_GPL(damon_targets_empty);

/**
 * damon_destroy_target() - Free a target, its regions and its pid reference.
 * @t:	The target, which is unlinked from its context if it has one.
 */
void damon_destroy_target(struct damon_target *t)
{
	struct damon_region *r, *next;

	damon_for_each_region_safe(r, next, t)
		damon_destroy_region(r, t);
	put_pid(t->pid);
	list_del(&t->list);
	kfree(t);
}
EXPORT_SYMBOL_GPL(damon_destroy_target);

/**
 * damon_nr_regions() - The number of regions of a target.
 * @t:	The target.
 *
 * Return: how many regions @t has.
 */
unsigned int damon_nr_regions(struct damon_target *t)
{
	return t->nr_regions;
}
EXPORT_SYMBOL_GPL(damon_nr_regions);

/* Contexts and attributes */

/**
 * damon_new_ctx() - Allocate a monitoring context.
 *
 * The context has no target, no operations and no callback, and default
 * attributes: 5 ms sampling, 100 ms aggregation and 1 s operations update
 * intervals, and 10 to 1000 regions.
 *
 * Return: the context, or NULL if memory is short.
 */
struct damon_ctx *damon_new_ctx(void)
{
	struct damon_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->attrs.sample_interval = DAMON_DEFAULT_SAMPLE_US;
	ctx->attrs.aggr_interval = DAMON_DEFAULT_AGGR_US;
	ctx->attrs.ops_update_interval = DAMON_DEFAULT_UPDATE_US;
	ctx->attrs.min_nr_regions = DAMON_DEFAULT_MIN_NR_REGIONS;
	ctx->attrs.max_nr_regions = DAMON_DEFAULT_MAX_NR_REGIONS;
	INIT_LIST_HEAD(&ctx->targets);
	INIT_LIST_HEAD(&ctx->schemes);
	mutex_init(&ctx->kdamond_lock);
	mutex_init(&ctx->stop_lock);
	return ctx;
}
EXPORT_SYMBOL_GPL(damon_new_ctx);

/**
 * damon_destroy_ctx() - Free a context with its targets and schemes.
 * @ctx:	The context, which must not be running.
 *
 * The operations set's private data is not freed here: the operations set
 * frees it in its cleanup callback at the end of monitoring.
 */
void damon_destroy_ctx(struct damon_ctx *ctx)
{
	struct damon_target *t, *next;

	if (WARN_ON_ONCE(damon_is_running(ctx)))
		damon_stop(&ctx, 1);
	/*
	 * A kdamond that ended by itself clears ctx->kdamond under
	 * ctx->kdamond_lock while holding damon_lock.  mutex_unlock() may
	 * still touch the mutex after another task could take it, so wait
	 * until that kdamond has left damon_lock before freeing the mutex.
	 */
	mutex_lock(&damon_lock);
	mutex_unlock(&damon_lock);

	damon_for_each_target_safe(t, next, ctx)
		damon_destroy_target(t);
	damon_destroy_schemes(ctx);
	mutex_destroy(&ctx->stop_lock);
	mutex_destroy(&ctx->kdamond_lock);
	kfree(ctx);
}
EXPORT_SYMBOL_GPL(damon_destroy_ctx);

/**
 * damon_attrs_validate() - Check monitoring attributes.
 * @attrs:	The attributes.
 *
 * Return: 0 if damon_set_attrs() accepts @attrs, -EINVAL otherwise.
 */
int damon_attrs_validate(const struct damon_attrs *attrs)
{
	if (!attrs->sample_interval || !attrs->aggr_interval ||
	    !attrs->ops_update_interval)
		return -EINVAL;
	if (attrs->aggr_interval < attrs->sample_interval)
		return -EINVAL;
	if (attrs->min_nr_regions < 3)
		return -EINVAL;
	if (attrs->max_nr_regions < attrs->min_nr_regions)
		return -EINVAL;
	return 0;
}

static unsigned long damon_samples_per(unsigned long interval,
				       unsigned long sample_interval,
				       unsigned long cap)
{
	unsigned long samples = interval / max(sample_interval, 1UL);

	return clamp(samples, 1UL, cap);
}

/**
 * damon_aggr_samples() - Sampling intervals per aggregation interval.
 * @attrs:	The attributes.
 *
 * Return: the number of sampling intervals, from 1 to
 * DAMON_MAX_AGGR_SAMPLES, that make one aggregation interval.
 */
unsigned long damon_aggr_samples(const struct damon_attrs *attrs)
{
	return damon_samples_per(attrs->aggr_interval, attrs->sample_interval,
				 DAMON_MAX_AGGR_SAMPLES);
}

/**
 * damon_update_samples() - Sampling intervals per operations update.
 * @attrs:	The attributes.
 *
 * Return: the number of sampling intervals, from 1 to LONG_MAX, between two
 * operations updates.
 */
unsigned long damon_update_samples(const struct damon_attrs *attrs)
{
	return damon_samples_per(attrs->ops_update_interval,
				 attrs->sample_interval, LONG_MAX);
}

/**
 * damon_set_attrs() - Set the monitoring attributes of a context.
 * @ctx:	The context.
 * @attrs:	The new attributes.
 *
 * All intervals must be non-zero, the aggregation interval at least the
 * sampling interval, @attrs->min_nr_regions at least 3 and
 * @attrs->max_nr_regions at least @attrs->min_nr_regions.  Times are
 * counted in sampling intervals: an aggregation interval lasts
 * aggr_interval / sample_interval of them, an operations update interval
 * ops_update_interval / sample_interval, rounded down but at least one.
 *
 * A running context may only be changed from its callbacks.  The current
 * aggregation and update intervals then restart with the new lengths.
 *
 * Return: 0 on success, or -EINVAL, leaving @ctx untouched.
 */
int damon_set_attrs(struct damon_ctx *ctx, const struct damon_attrs *attrs)
{
	int err = damon_attrs_validate(attrs);

	if (err)
		return err;
	ctx->attrs = *attrs;
	ctx->next_aggr_sample = ctx->passed_samples + damon_aggr_samples(attrs);
	ctx->next_update_sample = ctx->passed_samples +
		damon_update_samples(attrs);
	return 0;
}
EXPORT_SYMBOL_GPL(damon_set_attrs);

/* The operations registry */

/**
 * damon_register_ops() - Make an operations set available.
 * @ops:	The operations set; &damon_operations->id says which one.
 *
 * The registry keeps a copy of @ops.
 *
 * Return: 0 on success, or -EINVAL if the id is unknown or already taken.
 */
int damon_register_ops(const struct damon_operations *ops)
{
	int err = 0;

	if ((unsigned int)ops->id >= NR_DAMON_OPS)
		return -EINVAL;
	mutex_lock(&damon_ops_lock);
	if (damon_ops_present[ops->id]) {
		err = -EINVAL;
	} else {
		damon_ops_table[ops->id] = *ops;
		damon_ops_present[ops->id] = true;
	}
	mutex_unlock(&damon_ops_lock);
	return err;
}
EXPORT_SYMBOL_GPL(damon_register_ops);

/**
 * damon_unregister_ops() - Withdraw an operations set from the registry.
 * @id:	Which operations set.
 *
 * Contexts that selected it keep their copy; used by module exit paths and
 * the KUnit suites.
 */
void damon_unregister_ops(enum damon_ops_id id)
{
	if ((unsigned int)id >= NR_DAMON_OPS)
		return;
	mutex_lock(&damon_ops_lock);
	damon_ops_present[id] = false;
	memset(&damon_ops_table[id], 0, sizeof(damon_ops_table[id]));
	mutex_unlock(&damon_ops_lock);
}

/**
 * damon_is_registered_ops() - Whether an operations set is available.
 * @id:	Which operations set.
 *
 * Return: true if the operations set @id has been registered.
 */
bool damon_is_registered_ops(enum damon_ops_id id)
{
	bool registered;

	if ((unsigned int)id >= NR_DAMON_OPS)
		return false;
	mutex_lock(&damon_ops_lock);
	registered = damon_ops_present[id];
	mutex_unlock(&damon_ops_lock);
	return registered;
}
EXPORT_SYMBOL_GPL(damon_is_registered_ops);

/**
 * damon_get_registered_ops() - Copy a registered operations set.
 * @id:		Which operations set.
 * @ops:	Receives the copy.
 *
 * Return: 0 on success, or -EINVAL if @id is unknown or not registered.
 */
int damon_get_registered_ops(enum damon_ops_id id, struct damon_operations *ops)
{
	int err = 0;

	if ((unsigned int)id >= NR_DAMON_OPS)
		return -EINVAL;
	mutex_lock(&damon_ops_lock);
	if (damon_ops_present[id])
		*ops = damon_ops_table[id];
	else
		err = -EINVAL;
	mutex_unlock(&damon_ops_lock);
	return err;
}

/**
 * damon_select_ops() - Make a context use a registered operations set.
 * @ctx:	The context, which must not be running.
 * @id:		Which operations set.
 *
 * Copies the registered operations set into &damon_ctx->ops.
 *
 * Return: 0 on success, or -EINVAL if @id is unknown or not registered.
 */
int damon_select_ops(struct damon_ctx *ctx, enum damon_ops_id id)
{
	return damon_get_registered_ops(id, &ctx->ops);
}
EXPORT_SYMBOL_GPL(damon_select_ops);

/* Starting and stopping */

/*
 * Start the kdamond of @ctx.  Called with damon_lock held; waits until the
 * thread runs its own function so that damon_stop() cannot keep it from
 * clearing ctx->kdamond.
 */
static int damon_start_one(struct damon_ctx *ctx)
{
	struct damon_kdamond_start start = { .ctx = ctx };
	struct task_struct *tsk;
	int err = 0;

	init_completion(&start.started);
	mutex_lock(&ctx->kdamond_lock);
	if (ctx->kdamond) {
		err = -EBUSY;
		goto out;
	}
	ctx->passed_samples = 0;
	ctx->next_aggr_sample = damon_aggr_samples(&ctx->attrs);
	ctx->next_update_sample = damon_update_samples(&ctx->attrs);

	/* The kdamond runs module code until it exits; pin the module. */
	__module_get(THIS_MODULE);
	tsk = kthread_run(damon_kdamond_fn, &start, "kdamond.%d",
			  damon_nr_running);
	if (IS_ERR(tsk)) {
		module_put(THIS_MODULE);
		err = PTR_ERR(tsk);
		goto out;
	}
	wait_for_completion(&start.started);
	ctx->kdamond = tsk;
	damon_nr_running++;
out:
	mutex_unlock(&ctx->kdamond_lock);
	return err;
}

/**
 * damon_start() - Start monitoring with a group of contexts.
 * @ctxs:	The contexts.
 * @nr_ctxs:	How many contexts @ctxs holds.
 * @exclusive:	Whether the group must run alone.
 *
 * Starts one kdamond per context.  Groups behave like holders of a
 * reader-writer lock: any number of non-exclusive groups may run together,
 * but an exclusive group runs only when no other context runs.  A context
 * runs until damon_stop(), until none of its targets is valid, or until one
 * of its callbacks returns non-zero.
 *
 * Return: 0 if every context started.  -EINVAL if @nr_ctxs is not positive
 * or a context has invalid attributes; the error of damos_validate() if a
 * context has a scheme its operations set cannot run; -EBUSY if the group conflicts with
 * the running contexts or a context is already running (also when it is
 * listed twice); the error of kthread_run() otherwise.  On failure no
 * context of @ctxs is left running by this call.
 */
int damon_start(struct damon_ctx **ctxs, int nr_ctxs, bool exclusive)
{
	int i, err = 0;

	if (nr_ctxs <= 0)
		return -EINVAL;
	for (i = 0; i < nr_ctxs; i++) {
		if (damon_attrs_validate(&ctxs[i]->attrs))
			return -EINVAL;
		err = damon_validate_schemes(ctxs[i]);
		if (err)
			return err;
	}

	mutex_lock(&damon_lock);
	if ((exclusive && damon_nr_running) ||
	    (!exclusive && damon_running_exclusive)) {
		mutex_unlock(&damon_lock);
		return -EBUSY;
	}
	for (i = 0; i < nr_ctxs; i++) {
		err = damon_start_one(ctxs[i]);
		if (err)
			break;
	}
	if (damon_nr_running && exclusive)
		damon_running_exclusive = true;
	mutex_unlock(&damon_lock);

	/* The kdamonds need damon_lock to exit, so stop them unlocked. */
	if (err)
		damon_stop(ctxs, i);
	return err;
}
EXPORT_SYMBOL_GPL(damon_start);

/**
 * damon_stop() - Stop the kdamonds of contexts.
 * @ctxs:	The contexts.
 * @nr_ctxs:	How many contexts @ctxs holds.
 *
 * Waits until each kdamond has exited, after it ran the operations set's
 * cleanup and the before_terminate callback.  Targets and regions stay with
 * the contexts, which the caller still owns.  Several tasks may stop the
 * same context at once; one of them stops it and the others wait for it.
 * Must not be called from the kdamond of any of @ctxs.
 *
 * Return: 0 if every context was running, -EPERM if some were not (the
 * others are stopped anyway).
 */
int damon_stop(struct damon_ctx **ctxs, int nr_ctxs)
{
	int i, err = 0;

	for (i = 0; i < nr_ctxs; i++) {
		struct damon_ctx *ctx = ctxs[i];
		struct task_struct *tsk;

		/*
		 * kthread_stop() waits on a completion that the exiting
		 * thread completes only once, so a second kthread_stop() of
		 * the same thread would wait forever.  Later stoppers wait
		 * here instead, and then find @ctx stopped.
		 */
		mutex_lock(&ctx->stop_lock);
		mutex_lock(&ctx->kdamond_lock);
		tsk = ctx->kdamond;
		if (tsk)
			get_task_struct(tsk);
		mutex_unlock(&ctx->kdamond_lock);
		if (!tsk) {
			mutex_unlock(&ctx->stop_lock);
			err = -EPERM;
			continue;
		}
		/* Safe even if the kdamond already exited: we hold the task. */
		kthread_stop(tsk);
		put_task_struct(tsk);
		mutex_unlock(&ctx->stop_lock);
	}
	return err;
}
EXPORT_SYMBOL_GPL(damon_stop);

/**
 * damon_kdamond_exited() - Account for a kdamond that is about to exit.
 * @ctx:	The context of the kdamond.
 *
 * The last thing a kdamond does with @ctx.  A damos_walk() that is still
 * waiting is let go here, under the same lock that damos_walk() checks
 * the kdamond with, so none can start waiting after it.
 */
void damon_kdamond_exited(struct damon_ctx *ctx)
{
	mutex_lock(&damon_lock);
	mutex_lock(&ctx->kdamond_lock);
	ctx->kdamond = NULL;
	damos_walk_cancel(ctx);
	mutex_unlock(&ctx->kdamond_lock);
	if (!--damon_nr_running)
		damon_running_exclusive = false;
	mutex_unlock(&damon_lock);
}

/**
 * damon_nr_running_ctxs() - The number of running contexts.
 *
 * Return: how many kdamonds run, from all groups.
 */
int damon_nr_running_ctxs(void)
{
	int nr;

	mutex_lock(&damon_lock);
	nr = damon_nr_running;
	mutex_unlock(&damon_lock);
	return nr;
}
EXPORT_SYMBOL_GPL(damon_nr_running_ctxs);

/**
 * damon_is_running() - Whether a context's kdamond runs.
 * @ctx:	The context.
 *
 * Return: true if @ctx has a kdamond.
 */
bool damon_is_running(struct damon_ctx *ctx)
{
	bool running;

	mutex_lock(&ctx->kdamond_lock);
	running = !!ctx->kdamond;
	mutex_unlock(&ctx->kdamond_lock);
	return running;
}
EXPORT_SYMBOL_GPL(damon_is_running);

/* Module init and exit */

static int __init damon_init(void)
{
	int err;

	err = damon_vaddr_init();
	if (err)
		goto out;
	err = damon_paddr_init();
	if (err)
		goto out_vaddr;
	err = damon_sysfs_init();
	if (err)
		goto out_paddr;
	err = damon_dbgfs_init();
	if (err)
		goto out_sysfs;
	return 0;

out_sysfs:
	damon_sysfs_exit();
out_paddr:
	damon_paddr_exit();
out_vaddr:
	damon_vaddr_exit();
out:
	pr_err("initialisation failed (%d)\n", err);
	return err;
}

/*
 * Only reached with no kdamond left: every running kdamond holds a
 * reference to this module, and the interfaces stop their contexts when
 * they are torn down.
 */
static void __exit damon_exit(void)
{
	damon_dbgfs_exit();
	damon_sysfs_exit();
	damon_paddr_exit();
	damon_vaddr_exit();
}

module_init(damon_init);
module_exit(damon_exit);

MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DAMON);
MODULE_DESCRIPTION("DAMON: Data Access MONitor");
