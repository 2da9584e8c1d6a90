// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: building a DAMON context from a kdamond directory.
 *
 * "on" starts such a context and "commit" hands it to the running kdamond.
 * Everything the files hold is checked here, together, because each file
 * takes its value alone: an aggregation interval shorter than the sampling
 * interval, unsorted or overlapping regions, a pid without a process, or
 * an operations set whose targets lack what it needs all fail here, and
 * nothing changes.
 */

#include <linux/pid.h>
#include <linux/slab.h>

#include "sysfs-common.h"

/* Give @t the regions of @starget's regions/ directory. */
static int damon_sysfs_build_regions(struct damon_target *t,
				     struct damon_sysfs_target *starget)
{
	struct damon_sysfs_list *regions = starget->regions;
	struct damon_addr_range *ranges;
	unsigned int i;
	int err;

	if (!regions->nr)
		return 0;
	ranges = kvmalloc_array(regions->nr, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	for (i = 0; i < regions->nr; i++)
		ranges[i] = damon_sysfs_child(regions, i,
					      struct damon_sysfs_region,
					      kobj)->ar;
	/* Refuses empty, unsorted and overlapping ranges. */
	err = damon_set_regions(t, ranges, regions->nr);
	kvfree(ranges);
	return err;
}

static int damon_sysfs_build_target(struct damon_ctx *ctx,
				    struct damon_sysfs_target *starget,
				    const struct damon_sysfs_ops *ops)
{
	struct damon_target *t;

	if (ops->needs_regions && !starget->regions->nr)
		return -EINVAL;
	t = damon_new_target();
	if (!t)
		return -ENOMEM;
	damon_add_target(ctx, t);
	if (ops->needs_pid) {
		/* In the pid namespace of the writer, as the files are. */
		t->pid = find_get_pid(starget->pid);
		if (!t->pid)
			return -ESRCH;
		t->id = starget->pid;
	} else {
		/* DAMON's id of an address space without a process. */
		t->id = -1UL;
	}
	return damon_sysfs_build_regions(t, starget);
}

/**
 * damon_sysfs_build_ctx() - Build a DAMON context from a kdamond directory.
 * @kdamond:	The kdamond directory; called with damon_sysfs_lock held.
 *
 * Return: a new context, not running, which the caller owns; or an
 * ERR_PTR(): -EINVAL if the directory has no context, its attributes do
 * not fit together, it has no target, a target lacks the regions its
 * operations set needs, or has invalid ones; -ESRCH if a pid belongs to no
 * process; -ENOMEM; or what the schemes refuse.
 */
struct damon_ctx *damon_sysfs_build_ctx(struct damon_sysfs_kdamond *kdamond)
{
	struct damon_sysfs_context *context;
	const struct damon_sysfs_ops *ops;
	struct damon_sysfs_list *targets;
	struct damon_ctx *ctx;
	unsigned int i;
	int err;

	lockdep_assert_held(&damon_sysfs_lock);
	if (kdamond->contexts->nr != 1)
		return ERR_PTR(-EINVAL);
	context = damon_sysfs_child(kdamond->contexts, 0,
				    struct damon_sysfs_context, kobj);
	targets = context->targets;
	if (!targets->nr)
		return ERR_PTR(-EINVAL);
	ops = damon_sysfs_ops_of(context->ops);

	ctx = damon_new_ctx();
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	err = damon_select_ops(ctx, context->ops);
	if (err)
		goto fail;
	err = damon_set_attrs(ctx, &context->attrs);
	if (err)
		goto fail;
	for (i = 0; i < targets->nr; i++) {
		struct damon_sysfs_target *starget;

		starget = damon_sysfs_child(targets, i,
					    struct damon_sysfs_target, kobj);
		err = damon_sysfs_build_target(ctx, starget, ops);
		if (err)
			goto fail;
	}
	err = damon_sysfs_schemes_build(context->schemes, ctx);
	if (err)
		goto fail;
	return ctx;
fail:
	damon_destroy_ctx(ctx);
	return ERR_PTR(err);
}
