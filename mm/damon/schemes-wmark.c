// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS watermarks: schemes that work only while a system metric is in a
 * band.
 *
 * Every &damos_watermarks->interval the kdamond reads the metric of each
 * scheme that has one.  Above the high mark or below the low mark the
 * scheme is deactivated; below the middle mark (and not below the low one)
 * it is activated; in between it stays as it was, so that a scheme does
 * not flap while the metric hovers around one mark.  While every scheme of
 * a context is deactivated there is nothing to monitor for: the kdamond
 * neither samples nor aggregates, and only wakes for the next check.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/vmstat.h>

#include "core_internal.h"
#include "schemes.h"

/*
 * The longest the kdamond sleeps while all schemes are deactivated, so that
 * it still answers damos_walk() and notices targets that went away.
 */
#define DAMOS_IDLE_SLEEP_MAX_US	(100 * USEC_PER_MSEC)

/**
 * damos_wmark_metric_value() - Read a watermark metric.
 * @metric:	The metric.
 *
 * Return: the value of @metric now; 0 for %DAMOS_WMARK_NONE.
 */
unsigned long damos_wmark_metric_value(enum damos_wmark_metric metric)
{
	unsigned long total;

	switch (metric) {
	case DAMOS_WMARK_FREE_MEM_RATE:
		total = totalram_pages();
		if (!total)
			return 0;
		return div64_ul((u64)global_zone_page_state(NR_FREE_PAGES) *
				1000, total);
	default:
		return 0;
	}
}

/**
 * damos_wmarks_decide() - Whether a scheme is active at a metric value.
 * @wm:		The scheme's watermarks.
 * @active:	Whether the scheme is active now.
 * @value:	The metric's value.
 *
 * Return: the scheme's new state: always true without a metric; false
 * above @wm->high or below @wm->low; true below @wm->mid; @active between
 * @wm->mid and @wm->high, both included.
 */
bool damos_wmarks_decide(const struct damos_watermarks *wm, bool active,
			 unsigned long value)
{
	if (wm->metric == DAMOS_WMARK_NONE)
		return true;
	if (value > wm->high || value < wm->low)
		return false;
	if (value < wm->mid)
		return true;
	return active;
}

/**
 * damos_wmarks_update() - Check the watermarks that are due.
 * @ctx:	The context, run by the calling kdamond.
 * @now:	The time, from ktime_get_ns().
 *
 * Return: 0 if the context has no scheme or an active one, so that it
 * monitors; otherwise how many microseconds the kdamond may sleep before
 * the next check is due (at most a tenth of a second, at least one).
 */
unsigned long damos_wmarks_update(struct damon_ctx *ctx, u64 now)
{
	u64 next = U64_MAX;
	bool active = false;
	struct damos *s;

	if (list_empty(&ctx->schemes))
		return 0;
	damon_for_each_scheme(s, ctx) {
		struct damos_watermarks *wm = &s->wmarks;

		if (wm->metric == DAMOS_WMARK_NONE) {
			s->active = true;
			active = true;
			continue;
		}
		if ((s64)(now - s->next_wmark_check_ns) >= 0) {
			unsigned long value;

			value = damos_wmark_metric_value(wm->metric);
			s->active = damos_wmarks_decide(wm, s->active, value);
			s->next_wmark_check_ns = now +
				min_t(u64, wm->interval, U64_MAX / 2000) *
				NSEC_PER_USEC;
		}
		active |= s->active;
		next = min(next, s->next_wmark_check_ns);
	}
	if (active)
		return 0;
	if ((s64)(next - now) <= 0)
		return 1;
	return clamp_t(u64, div_u64(next - now, NSEC_PER_USEC), 1,
		       DAMOS_IDLE_SLEEP_MAX_US);
}
