/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the DAMON kernel-user modules (DAMON_RECLAIM, DAMON_LRU_SORT) share.
 *
 * Each such module runs one context that monitors a range of the physical
 * address space and applies a few schemes to it, all configured through
 * module parameters.  A module keeps its own parameters in plain variables;
 * the parameters every module has, and the struct damon_module that tells
 * the helpers how to add its schemes to a context, it defines with the
 * macros below, which give them fixed names (damon_module_mon,
 * damon_module_wmarks, damon_module_stat_<suffix>, damon_module) in the
 * module's file.
 *
 * Writing Y to "enabled" builds a new context from the parameters and
 * starts it; N stops and frees it.  Writing Y to "commit_inputs" builds a
 * context the same way and hands its settings to the running one.  Every
 * parameter is checked before anything changes, so bad input gets an error
 * (and a message in the kernel log) while the module keeps what it had.
 */

#ifndef _MM_DAMON_MODULES_COMMON_H
#define _MM_DAMON_MODULES_COMMON_H

#include <linux/damon.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/time64.h>

/**
 * struct damon_module_mon_params - The monitoring parameters of a module.
 * @sample_interval:	The sampling interval, in microseconds.
 * @aggr_interval:	The aggregation interval, in microseconds.
 * @min_nr_regions:	The fewest regions to keep.
 * @max_nr_regions:	The most regions to have.
 * @region_start:	The first physical address to monitor.
 * @region_end:		The first physical address past the monitored
 *			range.  With @region_start, 0 for the largest range
 *			of System RAM.
 */
struct damon_module_mon_params {
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;
	unsigned long region_start;
	unsigned long region_end;
};

/**
 * struct damon_module_wmarks_params - The watermark parameters of a module.
 * @interval:	Time between two checks of the free memory rate, in
 *		microseconds.
 * @high:	The high watermark, in per thousand of all memory free.
 * @mid:	The middle watermark.
 * @low:	The low watermark.
 */
struct damon_module_wmarks_params {
	unsigned long interval;
	unsigned long high, mid, low;
};

/**
 * struct damon_module_stat_params - The statistics parameters of a scheme.
 * @nr_tried:	Regions the scheme's action was tried on.
 * @sz_tried:	Bytes of those regions.
 * @nr_applied:	Regions the action was applied to.
 * @sz_applied:	Bytes the action was applied to.
 * @qt_exceeds:	Quota windows in which the quota ran out.
 *
 * The kdamond copies its scheme's &struct damos_stat here at the end of
 * every aggregation interval and when it stops, so that the values stay
 * readable after the module is disabled.
 */
struct damon_module_stat_params {
	unsigned long nr_tried, sz_tried;
	unsigned long nr_applied, sz_applied;
	unsigned long qt_exceeds;
};

/* The most schemes a module runs. */
#define DAMON_MODULE_MAX_SCHEMES	2

/**
 * struct damon_module - A DAMON kernel-user module.
 * @name:		For messages: the module name, e.g. "damon_reclaim".
 * @mon:		The module's monitoring parameters.
 * @add_schemes:	Adds the module's schemes, made from its parameters,
 *			to a new context whose attributes are set already;
 *			returns 0 or an error, after saying what was wrong.
 * @stats:		Where the statistics of each scheme go, in the order
 *			@add_schemes adds them; NULL after the last.
 * @lock:		Serialises enabling, disabling, committing and the
 *			module's init and exit.
 * @ready:		Whether the module's init function has run.
 * @enable_at_init:	"enabled" was set before init (a boot or load
 *			parameter): start at init.
 * @ctx:		The running context, or NULL.
 *
 * Define it with DAMON_MODULE(): parameters given at boot or load time are
 * set before the module's init function runs, so @lock is initialised
 * statically.  The fields after @stats belong to the helpers.
 */
struct damon_module {
	const char *name;
	struct damon_module_mon_params *mon;
	int (*add_schemes)(struct damon_ctx *ctx);
	struct damon_module_stat_params *stats[DAMON_MODULE_MAX_SCHEMES + 1];

	struct mutex lock;	/* serialises enable, commit, init, exit */
	bool ready;
	bool enable_at_init;
	struct damon_ctx *ctx;
};

/**
 * struct damon_module_ulong_param - An unsigned long parameter with bounds.
 * @value:	The variable.
 * @min:	The smallest value accepted.
 * @max:	The largest value accepted.
 *
 * The argument of damon_module_ulong_range_ops; writes out of [@min, @max]
 * fail with -EINVAL and leave @value as it was.
 */
struct damon_module_ulong_param {
	unsigned long *value;
	unsigned long min;
	unsigned long max;
};

extern const struct kernel_param_ops damon_module_enabled_ops;
extern const struct kernel_param_ops damon_module_commit_ops;
extern const struct kernel_param_ops damon_module_kdamond_pid_ops;
extern const struct kernel_param_ops damon_module_ulong_range_ops;

int damon_module_init(struct damon_module *m);
void damon_module_exit(struct damon_module *m);
int damon_module_get_wmarks(const struct damon_module *m,
			    const struct damon_module_wmarks_params *p,
			    struct damos_watermarks *wmarks);
int damon_module_add_scheme(const struct damon_module *m,
			    struct damon_ctx *ctx, struct damos *s);

/* An unsigned long parameter that only takes values in [_min, _max]. */
#define damon_module_param_range(_name, _var, _min, _max)		\
	static struct damon_module_ulong_param __damon_param_##_name = {	\
		.value = &(_var), .min = (_min), .max = (_max),		\
	};								\
	module_param_cb(_name, &damon_module_ulong_range_ops,		\
			&__damon_param_##_name, 0600)

/*
 * damon_module_mon, the monitoring parameters, with mainline's defaults:
 * 5 ms sampling, 100 ms aggregation, 10 to 1,000 regions, and the largest
 * System RAM range.
 */
#define DAMON_MODULE_MON_PARAMS()					\
	static struct damon_module_mon_params damon_module_mon = {	\
		.sample_interval = 5000,				\
		.aggr_interval = 100000,				\
		.min_nr_regions = 10,					\
		.max_nr_regions = 1000,					\
	};								\
	damon_module_param_range(sample_interval,			\
				 damon_module_mon.sample_interval,	\
				 1, ULONG_MAX);				\
	MODULE_PARM_DESC(sample_interval, "Sampling interval (us)");	\
	damon_module_param_range(aggr_interval,				\
				 damon_module_mon.aggr_interval,	\
				 1, ULONG_MAX);				\
	MODULE_PARM_DESC(aggr_interval, "Aggregation interval (us)");	\
	damon_module_param_range(min_nr_regions,			\
				 damon_module_mon.min_nr_regions,	\
				 3, ULONG_MAX);				\
	MODULE_PARM_DESC(min_nr_regions, "Fewest monitoring regions");	\
	damon_module_param_range(max_nr_regions,			\
				 damon_module_mon.max_nr_regions,	\
				 3, ULONG_MAX);				\
	MODULE_PARM_DESC(max_nr_regions, "Most monitoring regions");	\
	module_param_named(monitor_region_start,			\
			   damon_module_mon.region_start, ulong, 0600);	\
	MODULE_PARM_DESC(monitor_region_start,				\
		"Start of the monitored physical address range");	\
	module_param_named(monitor_region_end,				\
			   damon_module_mon.region_end, ulong, 0600);	\
	MODULE_PARM_DESC(monitor_region_end,				\
		"End of the monitored physical address range")

/*
 * damon_module_wmarks, the watermarks, checked every 5 s by default, with
 * the given default marks.
 */
#define DAMON_MODULE_WMARKS_PARAMS(_high, _mid, _low)			\
	static struct damon_module_wmarks_params damon_module_wmarks = {	\
		.interval = 5 * USEC_PER_SEC,				\
		.high = (_high),					\
		.mid = (_mid),						\
		.low = (_low),						\
	};								\
	module_param_named(wmarks_interval, damon_module_wmarks.interval, \
			   ulong, 0600);				\
	MODULE_PARM_DESC(wmarks_interval, "Watermarks check interval (us)"); \
	module_param_named(wmarks_high, damon_module_wmarks.high, ulong, 0600); \
	MODULE_PARM_DESC(wmarks_high, "Free memory rate (permil) to stop above"); \
	module_param_named(wmarks_mid, damon_module_wmarks.mid, ulong, 0600); \
	MODULE_PARM_DESC(wmarks_mid, "Free memory rate (permil) to start below"); \
	module_param_named(wmarks_low, damon_module_wmarks.low, ulong, 0600); \
	MODULE_PARM_DESC(wmarks_low, "Free memory rate (permil) to stop below")

/*
 * damon_module_stat_<suffix>, the read-only statistics of a scheme, under
 * the names the module gives them.
 */
#define DAMON_MODULE_STAT_PARAMS(suffix, name_nr_tried, name_sz_tried,	\
				 name_nr_applied, name_sz_applied,	\
				 name_qt_exceeds)			\
	static struct damon_module_stat_params damon_module_stat_##suffix; \
	module_param_named(name_nr_tried,				\
			   damon_module_stat_##suffix.nr_tried, ulong, 0400); \
	module_param_named(name_sz_tried,				\
			   damon_module_stat_##suffix.sz_tried, ulong, 0400); \
	module_param_named(name_nr_applied,				\
			   damon_module_stat_##suffix.nr_applied, ulong, 0400); \
	module_param_named(name_sz_applied,				\
			   damon_module_stat_##suffix.sz_applied, ulong, 0400); \
	module_param_named(name_qt_exceeds,				\
			   damon_module_stat_##suffix.qt_exceeds, ulong, 0400)

/*
 * damon_module, with its "enabled", "commit_inputs" and "kdamond_pid"
 * parameters.  @_add_schemes is its &damon_module->add_schemes; the rest
 * are pointers to the statistics of its schemes, in order.
 */
#define DAMON_MODULE(_add_schemes, ...)					\
	static struct damon_module damon_module = {			\
		.name = KBUILD_MODNAME,					\
		.mon = &damon_module_mon,				\
		.add_schemes = (_add_schemes),				\
		.stats = { __VA_ARGS__ },				\
		.lock = __MUTEX_INITIALIZER(damon_module.lock),		\
	};								\
	module_param_cb(enabled, &damon_module_enabled_ops,		\
			&damon_module, 0600);				\
	MODULE_PARM_DESC(enabled, "Run the module (Y) or not (N)");	\
	module_param_cb(commit_inputs, &damon_module_commit_ops,	\
			&damon_module, 0600);				\
	MODULE_PARM_DESC(commit_inputs,					\
		"Y: apply the other parameters to the running module");	\
	module_param_cb(kdamond_pid, &damon_module_kdamond_pid_ops,	\
			&damon_module, 0400);				\
	MODULE_PARM_DESC(kdamond_pid, "PID of the module's kdamond, or -1")

#endif	/* _MM_DAMON_MODULES_COMMON_H */
