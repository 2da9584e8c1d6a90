// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the DAMON kernel-user modules (DAMON_RECLAIM, DAMON_LRU_SORT):
 * building a physical address space context from module parameters,
 * starting, stopping and re-configuring it, and the parameter operations
 * of "enabled", "commit_inputs" and "kdamond_pid".  See modules-common.h.
 *
 * The modules may be built as modules of their own while these helpers
 * live in damon.ko, which is why they are exported.
 */

/* Messages start with the name of the module, as in /sys/module/. */
#define pr_fmt(fmt) fmt

#include <linux/err.h>
#include <linux/ioport.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/sched.h>

#include "modules-common.h"

/* Keep the largest System RAM range that fits in an unsigned long. */
static int damon_module_largest_ram(struct resource *res, void *arg)
{
	struct damon_addr_range *best = arg;

	if (res->end >= ULONG_MAX)
		return 0;
	if (res->end + 1 - res->start > best->end - best->start) {
		best->start = res->start;
		best->end = res->end + 1;
	}
	return 0;
}

/*
 * The physical address range to monitor: the one the parameters give, or,
 * if both are 0, the largest System RAM range, which the parameters then
 * show.
 */
static int damon_module_region(struct damon_module *m,
			       struct damon_addr_range *range)
{
	struct damon_module_mon_params *p = m->mon;

	if (!p->region_start && !p->region_end) {
		*range = (struct damon_addr_range){};
		walk_iomem_res_desc(IORES_DESC_NONE,
				    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				    0, -1, range, damon_module_largest_ram);
		if (range->start >= range->end) {
			pr_warn("%s: no System RAM range found to monitor\n",
				m->name);
			return -EINVAL;
		}
		p->region_start = range->start;
		p->region_end = range->end;
		return 0;
	}
	if (p->region_start >= p->region_end) {
		pr_warn("%s: monitor_region_start (%#lx) must be below monitor_region_end (%#lx)\n",
			m->name, p->region_start, p->region_end);
		return -EINVAL;
	}
	range->start = p->region_start;
	range->end = p->region_end;
	return 0;
}

static int damon_module_attrs(const struct damon_module *m,
			      struct damon_ctx *ctx)
{
	const struct damon_module_mon_params *p = m->mon;
	struct damon_attrs attrs = ctx->attrs;

	attrs.sample_interval = p->sample_interval;
	attrs.aggr_interval = p->aggr_interval;
	attrs.min_nr_regions = p->min_nr_regions;
	attrs.max_nr_regions = p->max_nr_regions;
	if (attrs.aggr_interval < attrs.sample_interval) {
		pr_warn("%s: aggr_interval (%lu) must be at least sample_interval (%lu)\n",
			m->name, attrs.aggr_interval, attrs.sample_interval);
		return -EINVAL;
	}
	if (attrs.max_nr_regions < attrs.min_nr_regions) {
		pr_warn("%s: max_nr_regions (%lu) must be at least min_nr_regions (%lu)\n",
			m->name, attrs.max_nr_regions, attrs.min_nr_regions);
		return -EINVAL;
	}
	if (damon_set_attrs(ctx, &attrs)) {
		pr_warn("%s: invalid monitoring intervals or numbers of regions\n",
			m->name);
		return -EINVAL;
	}
	return 0;
}

/* Copy the statistics of the schemes of @ctx to the module's parameters. */
static void damon_module_copy_stats(struct damon_ctx *ctx)
{
	struct damon_module *m = ctx->callback.private;
	struct damon_module_stat_params *p;
	struct damos_stat stat;
	unsigned int i = 0;
	struct damos *s;

	damon_for_each_scheme(s, ctx) {
		p = m->stats[i++];
		if (!p)
			break;
		damos_get_stat(s, &stat);
		WRITE_ONCE(p->nr_tried, stat.nr_tried);
		WRITE_ONCE(p->sz_tried, stat.sz_tried);
		WRITE_ONCE(p->nr_applied, stat.nr_applied);
		WRITE_ONCE(p->sz_applied, stat.sz_applied);
		WRITE_ONCE(p->qt_exceeds, stat.qt_exceeds);
	}
}

static int damon_module_after_aggregation(struct damon_ctx *ctx)
{
	damon_module_copy_stats(ctx);
	return 0;
}

/*
 * A context of the module's settings, not running; its callbacks keep the
 * statistics parameters up to date once it runs.
 */
static struct damon_ctx *damon_module_build(struct damon_module *m)
{
	struct damon_addr_range range;
	struct damon_target *t;
	struct damon_ctx *ctx;
	int err;

	err = damon_module_region(m, &range);
	if (err)
		return ERR_PTR(err);
	ctx = damon_new_ctx();
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	err = damon_select_ops(ctx, DAMON_OPS_PADDR);
	if (err) {
		pr_warn("%s: the paddr operations set is not available\n",
			m->name);
		goto fail;
	}
	err = damon_module_attrs(m, ctx);
	if (err)
		goto fail;
	err = -ENOMEM;
	t = damon_new_target();
	if (!t)
		goto fail;
	t->id = -1;
	damon_add_target(ctx, t);
	err = damon_set_regions(t, &range, 1);
	if (err) {
		pr_warn("%s: cannot monitor [%#lx, %#lx) (%d)\n", m->name,
			range.start, range.end, err);
		goto fail;
	}
	err = m->add_schemes(ctx);
	if (err)
		goto fail;
	ctx->callback.private = m;
	ctx->callback.after_aggregation = damon_module_after_aggregation;
	ctx->callback.before_terminate = damon_module_copy_stats;
	return ctx;
fail:
	damon_destroy_ctx(ctx);
	return ERR_PTR(err);
}

/**
 * damon_module_get_wmarks() - Check a module's watermark parameters.
 * @m:		The module, for messages.
 * @p:		Its watermark parameters.
 * @wmarks:	Receives the watermarks of the free memory rate they give.
 *
 * Return: 0, or -EINVAL after a message if the watermarks are out of order.
 */
int damon_module_get_wmarks(const struct damon_module *m,
			    const struct damon_module_wmarks_params *p,
			    struct damos_watermarks *wmarks)
{
	if (p->high < p->mid || p->mid < p->low) {
		pr_warn("%s: watermarks must satisfy wmarks_high (%lu) >= wmarks_mid (%lu) >= wmarks_low (%lu)\n",
			m->name, p->high, p->mid, p->low);
		return -EINVAL;
	}
	*wmarks = (struct damos_watermarks){
		.metric = DAMOS_WMARK_FREE_MEM_RATE,
		.interval = p->interval,
		.high = p->high,
		.mid = p->mid,
		.low = p->low,
	};
	return 0;
}
EXPORT_SYMBOL_GPL(damon_module_get_wmarks);

/**
 * damon_module_add_scheme() - Add a scheme to a module's new context.
 * @m:		The module, for messages.
 * @ctx:	The context.
 * @s:		The scheme, which is freed if it cannot be added.
 *
 * Return: 0, or the error of damon_add_scheme() after a message.
 */
int damon_module_add_scheme(const struct damon_module *m,
			    struct damon_ctx *ctx, struct damos *s)
{
	int err = damon_add_scheme(ctx, s);

	if (!err)
		return 0;
	if (err == -EOPNOTSUPP)
		pr_warn("%s: this kernel cannot run the module's scheme (an operations set action, or a quota goal's metric, is not built)\n",
			m->name);
	else
		pr_warn("%s: invalid scheme parameters (%d)\n", m->name, err);
	damos_destroy(s);
	return err;
}
EXPORT_SYMBOL_GPL(damon_module_add_scheme);

/* Called with m->lock held. */
static bool damon_module_running(struct damon_module *m)
{
	return m->ctx && damon_is_running(m->ctx);
}

/* Stop and free the module's context, if it has one.  m->lock held. */
static void damon_module_turn_off(struct damon_module *m)
{
	if (!m->ctx)
		return;
	/* -EPERM if the kdamond ended by itself: nothing to stop then. */
	damon_stop(&m->ctx, 1);
	damon_destroy_ctx(m->ctx);
	m->ctx = NULL;
}

static int damon_module_start_ctx(struct damon_module *m, struct damon_ctx *ctx)
{
	int err = damon_start(&ctx, 1, false);

	if (err == -EBUSY)
		pr_warn("%s: cannot start while an exclusive DAMON context group (the debugfs interface) runs; turn it off first\n",
			m->name);
	else if (err)
		pr_warn("%s: cannot start (%d)\n", m->name, err);
	return err;
}

/* Build a context from the parameters and start it.  m->lock held. */
static int damon_module_turn_on(struct damon_module *m)
{
	struct damon_ctx *ctx;
	int err;

	if (damon_module_running(m))
		return 0;
	/* A kdamond that ended by itself leaves its context behind. */
	damon_module_turn_off(m);
	ctx = damon_module_build(m);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = damon_module_start_ctx(m, ctx);
	if (err) {
		damon_destroy_ctx(ctx);
		return err;
	}
	m->ctx = ctx;
	return 0;
}

/*
 * Give the running context @ctx the settings of @arg, in its kdamond
 * (damon_call()): schemes first, since damos_commit_schemes() checks them
 * all and changes nothing on error; then attributes and the monitoring
 * region, which keep the regions' access counts and ages where they still
 * apply.  Both were checked when the new context was built, so the second
 * step fails on a lack of memory only.
 */
static int damon_module_commit_fn(struct damon_ctx *ctx, void *arg)
{
	struct damon_ctx *src = arg;
	int err;

	err = damos_commit_schemes(ctx, src);
	if (err)
		return err;
	return damon_commit_ctx(ctx, src);
}

/*
 * Re-read the parameters into the running context, without stopping its
 * kdamond, so that monitoring goes on with what it has learned.  m->lock
 * held.
 */
static int damon_module_commit(struct damon_module *m)
{
	struct damon_ctx *src;
	int err;

	src = damon_module_build(m);
	if (IS_ERR(src))
		return PTR_ERR(src);
	err = 0;
	if (damon_module_running(m))
		err = damon_call(m->ctx, damon_module_commit_fn, src);
	/* Not running: checked; "enabled" reads the parameters again. */
	damon_destroy_ctx(src);
	return err;
}

/**
 * damon_module_init() - Bring up a module.
 * @m:	The module.
 *
 * Called from the module's init function.  If "enabled" was set to Y
 * before (on the kernel command line, or as a load parameter), start the
 * module now; a failure to start is reported but does not fail the init,
 * so that the parameters can be fixed through sysfs.
 *
 * Return: 0.
 */
int damon_module_init(struct damon_module *m)
{
	mutex_lock(&m->lock);
	m->ready = true;
	if (m->enable_at_init && damon_module_turn_on(m))
		pr_warn("%s: not enabled at init\n", m->name);
	m->enable_at_init = false;
	mutex_unlock(&m->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(damon_module_init);

/**
 * damon_module_exit() - Take a module down.
 * @m:	The module.
 *
 * Called from the module's exit function: stops its kdamond, which runs
 * the module's code, and frees its context.
 */
void damon_module_exit(struct damon_module *m)
{
	mutex_lock(&m->lock);
	damon_module_turn_off(m);
	m->ready = false;
	mutex_unlock(&m->lock);
}
EXPORT_SYMBOL_GPL(damon_module_exit);

static int damon_module_enabled_set(const char *val,
				    const struct kernel_param *kp)
{
	struct damon_module *m = kp->arg;
	bool on;
	int err;

	err = kstrtobool(val, &on);
	if (err)
		return err;
	mutex_lock(&m->lock);
	if (!m->ready)
		m->enable_at_init = on;
	else if (on)
		err = damon_module_turn_on(m);
	else
		damon_module_turn_off(m);
	mutex_unlock(&m->lock);
	return err;
}

static int damon_module_enabled_get(char *buf, const struct kernel_param *kp)
{
	struct damon_module *m = kp->arg;
	bool on;

	mutex_lock(&m->lock);
	on = m->ready ? damon_module_running(m) : m->enable_at_init;
	mutex_unlock(&m->lock);
	return scnprintf(buf, PAGE_SIZE, "%c\n", on ? 'Y' : 'N');
}

/*
 * "enabled": Y builds a context from the parameters and starts it, N stops
 * it.  Reads Y while the module's kdamond runs.
 */
const struct kernel_param_ops damon_module_enabled_ops = {
	.set = damon_module_enabled_set,
	.get = damon_module_enabled_get,
};
EXPORT_SYMBOL_GPL(damon_module_enabled_ops);

static int damon_module_commit_set(const char *val,
				   const struct kernel_param *kp)
{
	struct damon_module *m = kp->arg;
	bool commit;
	int err;

	err = kstrtobool(val, &commit);
	if (err || !commit)
		return err;
	mutex_lock(&m->lock);
	if (m->ready)
		err = damon_module_commit(m);
	mutex_unlock(&m->lock);
	return err;
}

static int damon_module_commit_get(char *buf, const struct kernel_param *kp)
{
	/* The commit is done when the write returns. */
	return scnprintf(buf, PAGE_SIZE, "N\n");
}

/*
 * "commit_inputs": Y applies the other parameters to the running module
 * before the write returns, or fails and changes nothing.  Always reads N.
 */
const struct kernel_param_ops damon_module_commit_ops = {
	.set = damon_module_commit_set,
	.get = damon_module_commit_get,
};
EXPORT_SYMBOL_GPL(damon_module_commit_ops);

static int damon_module_kdamond_pid_get(char *buf,
					const struct kernel_param *kp)
{
	struct damon_module *m = kp->arg;
	int pid = -1;

	mutex_lock(&m->lock);
	if (m->ctx) {
		mutex_lock(&m->ctx->kdamond_lock);
		if (m->ctx->kdamond)
			pid = m->ctx->kdamond->pid;
		mutex_unlock(&m->ctx->kdamond_lock);
	}
	mutex_unlock(&m->lock);
	return scnprintf(buf, PAGE_SIZE, "%d\n", pid);
}

/* "kdamond_pid": the PID of the module's kdamond, or -1. */
const struct kernel_param_ops damon_module_kdamond_pid_ops = {
	.get = damon_module_kdamond_pid_get,
};
EXPORT_SYMBOL_GPL(damon_module_kdamond_pid_ops);

static int damon_module_ulong_range_set(const char *val,
					const struct kernel_param *kp)
{
	struct damon_module_ulong_param *p = kp->arg;
	unsigned long v;
	int err;

	err = kstrtoul(val, 0, &v);
	if (err)
		return err;
	if (v < p->min || v > p->max)
		return -EINVAL;
	*p->value = v;
	return 0;
}

static int damon_module_ulong_range_get(char *buf,
					const struct kernel_param *kp)
{
	struct damon_module_ulong_param *p = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%lu\n", *p->value);
}

/* Unsigned long parameters with bounds (struct damon_module_ulong_param). */
const struct kernel_param_ops damon_module_ulong_range_ops = {
	.set = damon_module_ulong_range_set,
	.get = damon_module_ulong_range_get,
};
EXPORT_SYMBOL_GPL(damon_module_ulong_range_ops);
