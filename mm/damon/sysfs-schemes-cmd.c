// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the DAMOS commands of a kdamond's state file.
 *
 *   update_schemes_stats		stats/ of every scheme
 *   update_schemes_effective_quotas	quotas/effective_bytes
 *   update_schemes_tried_bytes		tried_regions/total_bytes
 *   update_schemes_tried_regions	tried_regions/ with a directory per
 *					region, and total_bytes
 *   clear_schemes_tried_regions	tried_regions/ emptied
 *   commit_schemes_quota_goals		the goals' files to the kdamond
 *
 * The scheme directories and the schemes of the DAMON context are matched
 * by position: the directories may have changed since the last "on" or
 * "commit" (schemes removed, say), and a directory without a scheme shows
 * nothing.  The statistics and quotas are read from the context as they
 * are; tried regions need the kdamond to apply its schemes once more, and
 * come through damos_walk().  A kdamond that does not run has nothing to
 * show: the tried regions are emptied, and the rest keeps its last value.
 * Commands run under damon_sysfs_lock, so no "commit" changes the schemes
 * meanwhile.
 */

#include <linux/slab.h>

#include "sysfs-schemes.h"

static int damon_sysfs_update_stats(struct damon_sysfs_kdamond *kdamond,
				    struct damon_sysfs_schemes *schemes)
{
	struct damon_ctx *ctx = kdamond->ctx;
	unsigned int i = 0;
	struct damos *s;

	if (!ctx)
		return 0;
	damon_for_each_scheme(s, ctx) {
		if (i == schemes->list->nr)
			break;
		damos_get_stat(s, &damon_sysfs_scheme_at(schemes, i++)->stat);
	}
	return 0;
}

static int damon_sysfs_update_quotas(struct damon_sysfs_kdamond *kdamond,
				     struct damon_sysfs_schemes *schemes)
{
	struct damon_ctx *ctx = kdamond->ctx;
	unsigned int i = 0;
	struct damos *s;

	if (!ctx)
		return 0;
	damon_for_each_scheme(s, ctx) {
		if (i == schemes->list->nr)
			break;
		damon_sysfs_scheme_at(schemes, i++)->effective_bytes =
			damos_effective_quota_sz(s);
	}
	return 0;
}

/**
 * struct damon_sysfs_walk_regions - The regions one scheme tried.
 * @regions:	The regions.
 * @nr:		How many @regions holds.
 * @cap:	How many it has room for.
 */
struct damon_sysfs_walk_regions {
	struct damon_sysfs_tried_region *regions;
	unsigned int nr;
	unsigned int cap;
};

/**
 * struct damon_sysfs_walk - What a walk of the schemes collects.
 * @schemes:	The schemes of the context, by position.
 * @nr:		How many @schemes holds.
 * @bytes:	The bytes each scheme tried.
 * @tried:	The regions each scheme tried, or NULL to count bytes only.
 * @err:	-ENOMEM if some regions could not be kept.
 */
struct damon_sysfs_walk {
	struct damos **schemes;
	unsigned int nr;
	unsigned long *bytes;
	struct damon_sysfs_walk_regions *tried;
	int err;
};

/* Keep @r as one more region that @regions' scheme tried. */
static void damon_sysfs_walk_keep(struct damon_sysfs_walk *w,
				  struct damon_sysfs_walk_regions *regions,
				  struct damon_region *r,
				  unsigned long nr_accesses)
{
	struct damon_sysfs_tried_region *grown;

	if (regions->nr == regions->cap) {
		unsigned int cap = max(regions->cap * 2, 16U);

		grown = krealloc_array(regions->regions, cap, sizeof(*grown),
				       GFP_KERNEL);
		if (!grown) {
			w->err = -ENOMEM;
			return;
		}
		regions->regions = grown;
		regions->cap = cap;
	}
	regions->regions[regions->nr++] = (struct damon_sysfs_tried_region){
		.start = r->ar.start,
		.end = r->ar.end,
		.nr_accesses = nr_accesses,
		.age = r->age,
	};
}

/* damos_walk()'s function: runs in the kdamond. */
static void damon_sysfs_walk_fn(void *data, struct damon_ctx *ctx,
				struct damon_target *t, struct damon_region *r,
				struct damos *s, unsigned long nr_accesses)
{
	struct damon_sysfs_walk *w = data;
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		if (w->schemes[i] == s)
			break;
	}
	if (i == w->nr)
		return;
	w->bytes[i] += damon_sz_region(r);
	if (w->tried)
		damon_sysfs_walk_keep(w, &w->tried[i], r, nr_accesses);
}

static void damon_sysfs_walk_free(struct damon_sysfs_walk *w)
{
	unsigned int i;

	if (w->tried) {
		for (i = 0; i < w->nr; i++)
			kfree(w->tried[i].regions);
	}
	kfree(w->tried);
	kfree(w->bytes);
	kfree(w->schemes);
}

/*
 * Have the kdamond of @ctx apply its schemes once and collect what they
 * tried: bytes, and with @regions the regions too.  A kdamond that does
 * not run, or stops meanwhile, tried nothing.
 */
static int damon_sysfs_walk(struct damon_ctx *ctx, struct damon_sysfs_walk *w,
			    bool regions)
{
	struct damos_walk_control control = {
		.walk_fn = damon_sysfs_walk_fn,
		.data = w,
	};
	unsigned int nr = 0;
	struct damos *s;
	int err;

	damon_for_each_scheme(s, ctx)
		nr++;
	w->schemes = kcalloc(max(nr, 1U), sizeof(*w->schemes), GFP_KERNEL);
	w->bytes = kcalloc(max(nr, 1U), sizeof(*w->bytes), GFP_KERNEL);
	if (regions)
		w->tried = kcalloc(max(nr, 1U), sizeof(*w->tried), GFP_KERNEL);
	if (!w->schemes || !w->bytes || (regions && !w->tried))
		return -ENOMEM;
	damon_for_each_scheme(s, ctx)
		w->schemes[w->nr++] = s;
	err = damos_walk(ctx, &control);
	if (err == -EINVAL || err == -ECANCELED) {
		/* Not running: nothing was tried. */
		memset(w->bytes, 0, nr * sizeof(*w->bytes));
		if (w->tried) {
			for (nr = 0; nr < w->nr; nr++)
				w->tried[nr].nr = 0;
		}
		err = 0;
	}
	return err ? err : w->err;
}

static int damon_sysfs_update_tried(struct damon_sysfs_kdamond *kdamond,
				    struct damon_sysfs_schemes *schemes,
				    bool regions)
{
	struct damon_ctx *ctx = kdamond->ctx;
	struct damon_sysfs_walk w = {};
	unsigned int i;
	int err = 0;

	if (ctx)
		err = damon_sysfs_walk(ctx, &w, regions);
	for (i = 0; i < schemes->list->nr && !err; i++) {
		struct damon_sysfs_tried *tried =
			damon_sysfs_scheme_at(schemes, i)->tried;

		damon_sysfs_tried_set_bytes(tried, i < w.nr ? w.bytes[i] : 0);
		if (!regions)
			continue;
		if (i < w.nr)
			err = damon_sysfs_tried_set_regions(tried,
							    w.tried[i].regions,
							    w.tried[i].nr);
		else
			err = damon_sysfs_tried_set_regions(tried, NULL, 0);
	}
	damon_sysfs_walk_free(&w);
	return err;
}

static int damon_sysfs_update_tried_bytes(struct damon_sysfs_kdamond *kdamond,
					  struct damon_sysfs_schemes *schemes)
{
	return damon_sysfs_update_tried(kdamond, schemes, false);
}

static int damon_sysfs_update_tried_regions(struct damon_sysfs_kdamond *kdamond,
					    struct damon_sysfs_schemes *schemes)
{
	return damon_sysfs_update_tried(kdamond, schemes, true);
}

static int damon_sysfs_clear_tried(struct damon_sysfs_kdamond *kdamond,
				   struct damon_sysfs_schemes *schemes)
{
	unsigned int i;

	for (i = 0; i < schemes->list->nr; i++) {
		struct damon_sysfs_tried *tried =
			damon_sysfs_scheme_at(schemes, i)->tried;

		damon_sysfs_tried_set_bytes(tried, 0);
		damon_sysfs_tried_set_regions(tried, NULL, 0);
	}
	return 0;
}

static int damon_sysfs_commit_goals_fn(struct damon_ctx *ctx, void *src)
{
	return damos_commit_quota_goals(ctx, src);
}

/* The goals' files, current values included, to the running kdamond. */
static int damon_sysfs_commit_goals(struct damon_sysfs_kdamond *kdamond,
				    struct damon_sysfs_schemes *schemes)
{
	struct damon_sysfs_context *context;
	struct damon_ctx *src;
	int err;

	if (!damon_sysfs_kdamond_running(kdamond))
		return -EINVAL;
	context = damon_sysfs_child(kdamond->contexts, 0,
				    struct damon_sysfs_context, kobj);
	src = damon_new_ctx();
	if (!src)
		return -ENOMEM;
	err = damon_select_ops(src, context->ops);
	if (!err)
		err = damon_sysfs_schemes_build(schemes, src);
	if (!err)
		err = damon_call(kdamond->ctx, damon_sysfs_commit_goals_fn, src);
	damon_destroy_ctx(src);
	/* The kdamond stopped by itself meanwhile. */
	if (err == -ESRCH || err == -ECANCELED)
		err = -EINVAL;
	return err;
}

static const struct {
	const char *name;
	int (*fn)(struct damon_sysfs_kdamond *kdamond,
		  struct damon_sysfs_schemes *schemes);
} damon_sysfs_schemes_cmds[] = {
	{ "update_schemes_stats", damon_sysfs_update_stats },
	{ "update_schemes_tried_bytes", damon_sysfs_update_tried_bytes },
	{ "update_schemes_tried_regions", damon_sysfs_update_tried_regions },
	{ "clear_schemes_tried_regions", damon_sysfs_clear_tried },
	{ "update_schemes_effective_quotas", damon_sysfs_update_quotas },
	{ "commit_schemes_quota_goals", damon_sysfs_commit_goals },
};

/**
 * damon_sysfs_schemes_cmd() - Run a DAMOS command of the state file.
 * @kdamond:	The kdamond directory; called with damon_sysfs_lock held.
 * @cmd:	What was written to its state file.
 *
 * The caller runs damon_sysfs_schemes_reap() after dropping the lock.
 *
 * Return: 0; -EINVAL for an unknown command, a kdamond directory without a
 * context, or commit_schemes_quota_goals to a kdamond that does not run or
 * has other schemes than the directories; what building the schemes or
 * damon_call() fails with; -ENOMEM.
 */
int damon_sysfs_schemes_cmd(struct damon_sysfs_kdamond *kdamond,
			    const char *cmd)
{
	struct damon_sysfs_context *context;
	unsigned int i;

	lockdep_assert_held(&damon_sysfs_lock);
	for (i = 0; i < ARRAY_SIZE(damon_sysfs_schemes_cmds); i++) {
		if (sysfs_streq(cmd, damon_sysfs_schemes_cmds[i].name))
			break;
	}
	if (i == ARRAY_SIZE(damon_sysfs_schemes_cmds) ||
	    kdamond->contexts->nr != 1)
		return -EINVAL;
	context = damon_sysfs_child(kdamond->contexts, 0,
				    struct damon_sysfs_context, kobj);
	if (!context->schemes)
		return -EINVAL;
	return damon_sysfs_schemes_cmds[i].fn(kdamond, context->schemes);
}
