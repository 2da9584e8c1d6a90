// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON monitoring attributes: which values are valid, and how many sampling
 * intervals make an aggregation or an operations update interval.
 */

#include <linux/export.h>
#include <linux/minmax.h>

#include "core_internal.h"

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
	if (attrs->max_nr_regions > DAMON_MAX_NR_REGIONS_LIMIT)
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
 * @attrs->max_nr_regions at least @attrs->min_nr_regions and at most
 * DAMON_MAX_NR_REGIONS_LIMIT.  Times are
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
