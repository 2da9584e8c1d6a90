// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON core: contexts and targets, the operations registry, and starting
 * and stopping of the monitoring threads.  Regions are in region.c, the
 * monitoring attributes in attrs.c, the monitoring loop in kdamond.c and
 * the adaptive regions adjustment in regions.c; the module's entry points,
 * which bring up the operations sets and interfaces, are in init.c.
 */

#include <linux/completion.h>
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

/* Targets */

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

/* Contexts */

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
	INIT_LIST_HEAD(&ctx->calls);
	spin_lock_init(&ctx->calls_lock);
	return ctx;
}
EXPORT_SYMBOL_GPL(damon_new_ctx);

/**
 * damon_destroy_ctx() - Free a context and everything it holds.
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
 * damon_select_ops() - Make a context use a registered operations set.
 * @ctx:	The context, which must not be running.
 * @id:		Which operations set.
 *
 * Copies the registered operations set into &damon_ctx->ops.  The
 * operations set of a running context cannot change: its kdamond and the
 * operations set's private data depend on it until monitoring stops.
 *
 * Return: 0 on success, -EINVAL if @id is unknown or not registered, or
 * -EBUSY if @ctx runs; on error @ctx is left untouched.
 */
int damon_select_ops(struct damon_ctx *ctx, enum damon_ops_id id)
{
	int err = 0;

	if ((unsigned int)id >= NR_DAMON_OPS)
		return -EINVAL;
	if (damon_is_running(ctx))
		return -EBUSY;
	mutex_lock(&damon_ops_lock);
	if (damon_ops_present[id])
		ctx->ops = damon_ops_table[id];
	else
		err = -EINVAL;
	mutex_unlock(&damon_ops_lock);
	return err;
}
EXPORT_SYMBOL_GPL(damon_select_ops);

/**
 * damon_ops_supports_scheme() - Whether a registered operations set can run
 *				 a scheme.
 * @id:	Which operations set.
 * @s:	The scheme.
 *
 * For interfaces that check a scheme before the context that will run it
 * has its operations set.
 *
 * Return: true if @id is registered and damos_validate() accepts @s for it.
 */
bool damon_ops_supports_scheme(enum damon_ops_id id, const struct damos *s)
{
	struct damon_operations ops;
	bool registered = false;

	if ((unsigned int)id < NR_DAMON_OPS) {
		mutex_lock(&damon_ops_lock);
		registered = damon_ops_present[id];
		if (registered)
			ops = damon_ops_table[id];
		mutex_unlock(&damon_ops_lock);
	}
	return registered && !damos_validate(s, &ops);
}
EXPORT_SYMBOL_GPL(damon_ops_supports_scheme);

/* Starting and stopping */

/**
 * struct damon_kdamond_start - What damon_start() hands to a new kdamond.
 * @ctx:	The context the kdamond monitors.
 * @started:	Completed by the kdamond once it runs its own code.  Until
 *		then kthread_stop() could keep the thread function from ever
 *		running, and nobody would clear &damon_ctx->kdamond.
 *
 * Lives on damon_start()'s stack: the kdamond must not touch it after
 * completing @started.
 */
struct damon_kdamond_start {
	struct damon_ctx *ctx;
	struct completion started;
};

/*
 * Account for a kdamond that is about to exit: its last use of @ctx.
 * Requests of damon_call() that it did not run are canceled here, under
 * damon_lock, so that damon_destroy_ctx() waits for that too.
 * A damos_walk() still waiting is let go under the lock that damos_walk()
 * checks the kdamond with, so that none can start waiting after it.
 */
static void damon_kdamond_exited(struct damon_ctx *ctx)
{
	mutex_lock(&damon_lock);
	mutex_lock(&ctx->kdamond_lock);
	ctx->kdamond = NULL;
	damos_walk_cancel(ctx);
	mutex_unlock(&ctx->kdamond_lock);
	damon_calls_cancel(ctx);
	if (!--damon_nr_running)
		damon_running_exclusive = false;
	mutex_unlock(&damon_lock);
}

/*
 * The thread function of a kdamond: monitor (kdamond.c), then clear
 * &damon_ctx->kdamond and drop the module reference damon_start() took for
 * the thread.  Never returns; the thread exits from here.
 */
static int damon_kdamond_thread(void *data)
{
	struct damon_kdamond_start *start = data;
	struct damon_ctx *ctx = start->ctx;

	complete(&start->started);	/* @start is gone from here on. */
	damon_kdamond_run(ctx);
	damon_kdamond_exited(ctx);
	module_put_and_kthread_exit(0);
}

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
	/* The kdamond closes it; here, so that failing to open fails us. */
	err = damon_reports_open(ctx);
	if (err)
		goto out;

	/* The kdamond runs module code until it exits; pin the module. */
	__module_get(THIS_MODULE);
	tsk = kthread_run(damon_kdamond_thread, &start, "kdamond.%d",
			  damon_nr_running);
	if (IS_ERR(tsk)) {
		module_put(THIS_MODULE);
		damon_reports_close(ctx);
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
 * or a context has invalid attributes; -EBUSY if the group conflicts with
 * the running contexts or a context is already running (also when it is
 * listed twice); the error of kthread_run() otherwise.  On failure no
 * context of @ctxs is left running by this call.
 * A context with a scheme that its operations set cannot run fails with
 * the error of damos_validate().
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
