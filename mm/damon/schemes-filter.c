// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS filters that the core handles: address ranges and targets.
 *
 * These decide about whole regions before a scheme tries them, so the
 * memory they exclude is not even counted as tried.  A region that
 * straddles an edge of an address filter is cut there; the piece that is
 * not decided yet follows in the region list, and the apply loop comes to
 * it next.  Filters on pages (anonymous, memory cgroup, young) are the
 * operations set's: see &damon_operations->damos_filters.
 *
 * Also here, for the interfaces: finding a memory cgroup's id from its
 * path.
 */

#include <linux/cgroup.h>
#include <linux/memcontrol.h>

#include "core_internal.h"
#include "schemes.h"

/*
 * Whether @r lies in @f's address range.  The range's edges are rounded
 * down to DAMON_MIN_REGION.  If @r straddles an edge it is cut there and
 * the answer is for the first piece; *@failed is set if it could not be
 * cut.
 */
static bool damos_addr_filter_match(struct damos_filter *f,
				    struct damon_target *t,
				    struct damon_region *r, bool *failed)
{
	unsigned long start = ALIGN_DOWN(f->addr_range.start, DAMON_MIN_REGION);
	unsigned long end = ALIGN_DOWN(f->addr_range.end, DAMON_MIN_REGION);

	if (r->ar.end <= start || r->ar.start >= end)
		return false;
	if (r->ar.start >= start && r->ar.end <= end)
		return true;
	if (r->ar.start < start) {
		*failed = !damon_split_region_at(t, r, start - r->ar.start);
		return false;
	}
	*failed = !damon_split_region_at(t, r, end - r->ar.start);
	return true;
}

/**
 * damos_core_filters_out() - Whether the core's filters exclude a region.
 * @s:		The scheme.
 * @t:		The target of @r.
 * @tidx:	The index of @t in its context.
 * @r:		The region, which may be cut at an address filter's edge.
 *
 * Return: true if an address or target filter of @s excludes @r (the
 * first piece of it, if it was cut), or if @r had to be cut and could not
 * be; false if @s may try it.
 */
bool damos_core_filters_out(struct damos *s, struct damon_target *t,
			    unsigned int tidx, struct damon_region *r)
{
	struct damos_filter *f;

	damos_for_each_filter(f, s) {
		bool match, failed = false;

		switch (f->type) {
		case DAMOS_FILTER_TARGET:
			match = tidx == f->target_idx;
			break;
		case DAMOS_FILTER_ADDR:
			match = damos_addr_filter_match(f, t, r, &failed);
			if (failed)
				return true;
			break;
		default:
			continue;
		}
		if (match == f->matching)
			return true;
	}
	return false;
}

/**
 * damos_filter_set_memcg_path() - Point a memory cgroup filter at a cgroup.
 * @f:		The filter, of type %DAMOS_FILTER_MEMCG.
 * @path:	The cgroup's path below the root of the cgroup v2 hierarchy,
 *		as seen from the caller's cgroup namespace.
 *
 * Pages are charged to the closest cgroup, from @path up, that has the
 * memory controller enabled, so the filter takes that cgroup's id.  The
 * id names the cgroup until the cgroup is removed.
 *
 * Return: 0 on success; -ENOENT if @path does not exist, -ENOTDIR if it is
 * not a cgroup, -EINVAL if @f is not a memory cgroup filter, -EOPNOTSUPP
 * without CONFIG_MEMCG.  On error @f is unchanged.
 */
int damos_filter_set_memcg_path(struct damos_filter *f, const char *path)
{
#ifdef CONFIG_MEMCG
	struct cgroup_subsys_state *css = NULL;
	struct cgroup *cgrp, *c;
	int err = 0;

	if (f->type != DAMOS_FILTER_MEMCG)
		return -EINVAL;
	cgrp = cgroup_get_from_path(path);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	rcu_read_lock();
	for (c = cgrp; c && !css; c = cgroup_parent(c))
		css = rcu_dereference(c->subsys[memory_cgrp_id]);
	if (css)
		f->memcg_id = mem_cgroup_id(mem_cgroup_from_css(css));
	else
		err = -ENOENT;
	rcu_read_unlock();
	cgroup_put(cgrp);
	return err;
#else
	return -EOPNOTSUPP;
#endif
}
EXPORT_SYMBOL_GPL(damos_filter_set_memcg_path);
