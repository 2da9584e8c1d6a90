// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the operation schemes of a context.
 *
 *   schemes/nr_schemes
 *   schemes/<N>/{action,target_nid,apply_interval_us}
 *   schemes/<N>/access_pattern/{sz,nr_accesses,age}/{min,max}
 *   schemes/<N>/quotas/{ms,bytes,reset_interval_ms,effective_bytes}
 *   schemes/<N>/quotas/weights/{sz_permil,nr_accesses_permil,age_permil}
 *   schemes/<N>/quotas/goals/ (sysfs-goals-filters.c)
 *   schemes/<N>/watermarks/{metric,interval_us,high,mid,low}
 *   schemes/<N>/filters/ (sysfs-goals-filters.c)
 *   schemes/<N>/stats/{nr_tried,sz_tried,nr_applied,sz_applied,qt_exceeds}
 *   schemes/<N>/tried_regions/ (sysfs-tried.c)
 *
 * Each file takes a value alone, any time; "on" and "commit" build DAMON
 * schemes from all of them (damon_sysfs_schemes_build()), which is where
 * values that do not fit together fail.  Keywords are mainline's: the
 * action names of usage.rst, and none or free_mem_rate for the watermark
 * metric.  A new scheme has the stat action and a pattern that every
 * region shows, no quota, no watermarks, no goal and no filter.  stats/,
 * effective_bytes and tried_regions/ show what the state file's commands
 * last fetched (sysfs-schemes-cmd.c).
 */

#include <linux/kstrtox.h>
#include <linux/numa.h>
#include <linux/slab.h>

#include "sysfs-goals-filters.h"
#include "sysfs-schemes.h"

/* The most schemes a context may have. */
#define DAMON_SYSFS_MAX_SCHEMES		256

static DEFINE_MUTEX(damon_sysfs_schemes_resize_lock);

static const char * const damon_sysfs_actions[] = {
	[DAMOS_STAT] = "stat",
	[DAMOS_PAGEOUT] = "pageout",
	[DAMOS_COLD] = "cold",
	[DAMOS_WILLNEED] = "willneed",
	[DAMOS_NOHUGEPAGE] = "nohugepage",
	[DAMOS_HUGEPAGE] = "hugepage",
	[DAMOS_LRU_DEPRIO] = "lru_deprio",
	[DAMOS_LRU_PRIO] = "lru_prio",
	[DAMOS_MIGRATE_COLD] = "migrate_cold",
	[DAMOS_MIGRATE_HOT] = "migrate_hot",
};

static_assert(ARRAY_SIZE(damon_sysfs_actions) == NR_DAMOS_ACTIONS);

static const char * const damon_sysfs_wmark_metrics[] = {
	[DAMOS_WMARK_NONE] = "none",
	[DAMOS_WMARK_FREE_MEM_RATE] = "free_mem_rate",
};

static_assert(ARRAY_SIZE(damon_sysfs_wmark_metrics) ==
	      NR_DAMOS_WMARK_METRICS);

/* The scheme whose directory, or plain subdirectory, @kobj is. */
static struct damon_sysfs_scheme *damon_sysfs_scheme_of(struct kobject *kobj)
{
	return damon_sysfs_owner(kobj);
}

/**
 * struct damon_sysfs_scheme_file - A file of a number of a scheme.
 * @kattr:	The file.
 * @offset:	Where its value is in &struct damon_sysfs_scheme.
 * @max:	The largest value it takes.
 */
struct damon_sysfs_scheme_file {
	struct kobj_attribute kattr;
	size_t offset;
	unsigned long max;
};

static unsigned long *damon_sysfs_scheme_value(struct kobject *kobj,
					       struct kobj_attribute *kattr)
{
	struct damon_sysfs_scheme_file *file =
		container_of(kattr, struct damon_sysfs_scheme_file, kattr);

	return (void *)damon_sysfs_scheme_of(kobj) + file->offset;
}

static ssize_t damon_sysfs_scheme_file_show(struct kobject *kobj,
					    struct kobj_attribute *kattr,
					    char *buf)
{
	return damon_sysfs_show_ulong(buf,
				      damon_sysfs_scheme_value(kobj, kattr));
}

static ssize_t damon_sysfs_scheme_file_store(struct kobject *kobj,
					     struct kobj_attribute *kattr,
					     const char *buf, size_t count)
{
	struct damon_sysfs_scheme_file *file =
		container_of(kattr, struct damon_sysfs_scheme_file, kattr);

	return damon_sysfs_store_ulong(buf, count,
				       damon_sysfs_scheme_value(kobj, kattr),
				       0, file->max);
}

/* A file of the number at @_field of a scheme, writable up to @_max. */
#define DAMON_SYSFS_SCHEME_RW(_var, _name, _field, _max)		\
static struct damon_sysfs_scheme_file _var = {				\
	.kattr = __ATTR(_name, 0600, damon_sysfs_scheme_file_show,	\
			damon_sysfs_scheme_file_store),			\
	.offset = offsetof(struct damon_sysfs_scheme, _field),		\
	.max = _max,							\
}

/* A read-only one: without a store, not even root may write it. */
#define DAMON_SYSFS_SCHEME_RO(_var, _name, _field)			\
static struct damon_sysfs_scheme_file _var = {				\
	.kattr = __ATTR(_name, 0400, damon_sysfs_scheme_file_show,	\
			NULL),						\
	.offset = offsetof(struct damon_sysfs_scheme, _field),		\
}

/* A plain subdirectory type with @_attrs as its files. */
#define DAMON_SYSFS_SCHEME_DIR(_name)					\
ATTRIBUTE_GROUPS(_name);						\
static const struct kobj_type _name##_ktype = {				\
	.release = damon_sysfs_dir_release,				\
	.sysfs_ops = &damon_sysfs_ops,					\
	.default_groups = _name##_groups,				\
}

/* access_pattern/{sz,nr_accesses,age}/ */

DAMON_SYSFS_SCHEME_RW(damon_sysfs_sz_min, min, pattern.sz.min, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_sz_max, max, pattern.sz.max, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_acc_min, min, pattern.nr_accesses.min,
		      ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_acc_max, max, pattern.nr_accesses.max,
		      ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_age_min, min, pattern.age.min, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_age_max, max, pattern.age.max, ULONG_MAX);

static struct attribute *damon_sysfs_sz_range_attrs[] = {
	&damon_sysfs_sz_min.kattr.attr,
	&damon_sysfs_sz_max.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_sz_range);

static struct attribute *damon_sysfs_acc_range_attrs[] = {
	&damon_sysfs_acc_min.kattr.attr,
	&damon_sysfs_acc_max.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_acc_range);

static struct attribute *damon_sysfs_age_range_attrs[] = {
	&damon_sysfs_age_min.kattr.attr,
	&damon_sysfs_age_max.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_age_range);

/* quotas/ and quotas/weights/ */

DAMON_SYSFS_SCHEME_RW(damon_sysfs_quota_ms, ms, quota_ms, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_quota_bytes, bytes, quota_bytes,
		      ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_quota_reset, reset_interval_ms,
		      quota_reset_ms, ULONG_MAX);
DAMON_SYSFS_SCHEME_RO(damon_sysfs_quota_effective, effective_bytes,
		      effective_bytes);

static struct attribute *damon_sysfs_quotas_attrs[] = {
	&damon_sysfs_quota_ms.kattr.attr,
	&damon_sysfs_quota_bytes.kattr.attr,
	&damon_sysfs_quota_reset.kattr.attr,
	&damon_sysfs_quota_effective.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_quotas);

/* Each weight fits in the core's unsigned int; their sum is for "on". */
DAMON_SYSFS_SCHEME_RW(damon_sysfs_weight_sz, sz_permil, weight_sz, UINT_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_weight_acc, nr_accesses_permil,
		      weight_nr_accesses, UINT_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_weight_age, age_permil, weight_age,
		      UINT_MAX);

static struct attribute *damon_sysfs_weights_attrs[] = {
	&damon_sysfs_weight_sz.kattr.attr,
	&damon_sysfs_weight_acc.kattr.attr,
	&damon_sysfs_weight_age.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_weights);

/* watermarks/ */

static ssize_t metric_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return damon_sysfs_word_show(buf,
				     &damon_sysfs_scheme_of(kobj)->wmark_metric,
				     damon_sysfs_wmark_metrics);
}

static ssize_t metric_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return damon_sysfs_word_store(buf, count,
				      &damon_sysfs_scheme_of(kobj)->wmark_metric,
				      damon_sysfs_wmark_metrics,
				      NR_DAMOS_WMARK_METRICS);
}

static struct kobj_attribute damon_sysfs_wmark_metric =
	__ATTR_RW_MODE(metric, 0600);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_wmark_interval, interval_us,
		      wmark_interval_us, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_wmark_high, high, wmark_high, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_wmark_mid, mid, wmark_mid, ULONG_MAX);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_wmark_low, low, wmark_low, ULONG_MAX);

static struct attribute *damon_sysfs_wmarks_attrs[] = {
	&damon_sysfs_wmark_metric.attr,
	&damon_sysfs_wmark_interval.kattr.attr,
	&damon_sysfs_wmark_high.kattr.attr,
	&damon_sysfs_wmark_mid.kattr.attr,
	&damon_sysfs_wmark_low.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_wmarks);

/* stats/ */

DAMON_SYSFS_SCHEME_RO(damon_sysfs_nr_tried, nr_tried, stat.nr_tried);
DAMON_SYSFS_SCHEME_RO(damon_sysfs_sz_tried, sz_tried, stat.sz_tried);
DAMON_SYSFS_SCHEME_RO(damon_sysfs_nr_applied, nr_applied, stat.nr_applied);
DAMON_SYSFS_SCHEME_RO(damon_sysfs_sz_applied, sz_applied, stat.sz_applied);
DAMON_SYSFS_SCHEME_RO(damon_sysfs_qt_exceeds, qt_exceeds, stat.qt_exceeds);

static struct attribute *damon_sysfs_stats_attrs[] = {
	&damon_sysfs_nr_tried.kattr.attr,
	&damon_sysfs_sz_tried.kattr.attr,
	&damon_sysfs_nr_applied.kattr.attr,
	&damon_sysfs_sz_applied.kattr.attr,
	&damon_sysfs_qt_exceeds.kattr.attr,
	NULL,
};

DAMON_SYSFS_SCHEME_DIR(damon_sysfs_stats);

/* schemes/<N>/ */

static ssize_t action_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return damon_sysfs_word_show(buf, &damon_sysfs_scheme_of(kobj)->action,
				     damon_sysfs_actions);
}

static ssize_t action_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return damon_sysfs_word_store(buf, count,
				      &damon_sysfs_scheme_of(kobj)->action,
				      damon_sysfs_actions, NR_DAMOS_ACTIONS);
}

static ssize_t target_nid_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	long nid;

	mutex_lock(&damon_sysfs_lock);
	nid = damon_sysfs_scheme_of(kobj)->target_nid;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%ld\n", nid);
}

/* Any int; whether the node is online is for "on" and "commit". */
static ssize_t target_nid_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	int nid, err = kstrtoint(buf, 0, &nid);

	if (err)
		return err;
	mutex_lock(&damon_sysfs_lock);
	damon_sysfs_scheme_of(kobj)->target_nid = nid;
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

static struct kobj_attribute damon_sysfs_action_attr =
	__ATTR_RW_MODE(action, 0600);
static struct kobj_attribute damon_sysfs_target_nid_attr =
	__ATTR_RW_MODE(target_nid, 0600);
DAMON_SYSFS_SCHEME_RW(damon_sysfs_apply_interval, apply_interval_us,
		      apply_interval_us, ULONG_MAX);

static struct attribute *damon_sysfs_scheme_attrs[] = {
	&damon_sysfs_action_attr.attr,
	&damon_sysfs_target_nid_attr.attr,
	&damon_sysfs_apply_interval.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_scheme);

static void damon_sysfs_scheme_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct damon_sysfs_scheme, dir.kobj));
}

static const struct kobj_type damon_sysfs_scheme_ktype = {
	.release = damon_sysfs_scheme_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_scheme_groups,
};

/* The plain subdirectories, parents before children. */
static const struct {
	const char *name;
	int parent;	/* index in this table, or -1 for the scheme */
	const struct kobj_type *ktype;
} damon_sysfs_scheme_subdirs[] = {
	{ "access_pattern", -1, &damon_sysfs_empty_ktype },
	{ "sz", 0, &damon_sysfs_sz_range_ktype },
	{ "nr_accesses", 0, &damon_sysfs_acc_range_ktype },
	{ "age", 0, &damon_sysfs_age_range_ktype },
	{ "quotas", -1, &damon_sysfs_quotas_ktype },
	{ "weights", 4, &damon_sysfs_weights_ktype },
	{ "watermarks", -1, &damon_sysfs_wmarks_ktype },
	{ "stats", -1, &damon_sysfs_stats_ktype },
};

static_assert(ARRAY_SIZE(damon_sysfs_scheme_subdirs) ==
	      ARRAY_SIZE(((struct damon_sysfs_scheme *)0)->subdirs));
#define DAMON_SYSFS_QUOTAS_DIR	4

static int damon_sysfs_scheme_add_subdirs(struct damon_sysfs_scheme *scheme)
{
	struct damon_sysfs_dir *dir;
	struct kobject *parent;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(damon_sysfs_scheme_subdirs); i++) {
		int p = damon_sysfs_scheme_subdirs[i].parent;

		parent = p < 0 ? &scheme->dir.kobj : &scheme->subdirs[p]->kobj;
		dir = damon_sysfs_dir_add(parent,
					  damon_sysfs_scheme_subdirs[i].name,
					  damon_sysfs_scheme_subdirs[i].ktype,
					  scheme);
		if (IS_ERR(dir))
			return PTR_ERR(dir);
		scheme->subdirs[i] = dir;
	}
	return 0;
}

static int damon_sysfs_scheme_add(struct damon_sysfs_list *list,
				  unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_scheme *scheme;
	struct damon_sysfs_list *goals, *filters;
	struct damon_sysfs_tried *tried;
	struct kobject *quotas;
	int err;

	scheme = kzalloc(sizeof(*scheme), GFP_KERNEL);
	if (!scheme)
		return -ENOMEM;
	scheme->dir.owner = scheme;
	scheme->action = DAMOS_STAT;
	scheme->target_nid = NUMA_NO_NODE;
	damos_pattern_any(&scheme->pattern);
	err = damon_sysfs_child_add(&scheme->dir.kobj,
				    &damon_sysfs_scheme_ktype, list, idx);
	if (err)
		return err;
	*child = &scheme->dir.kobj;
	err = damon_sysfs_scheme_add_subdirs(scheme);
	if (err)
		return err;
	quotas = &scheme->subdirs[DAMON_SYSFS_QUOTAS_DIR]->kobj;
	goals = damon_sysfs_list_add(quotas, "goals", &damon_sysfs_goals_type,
				     scheme);
	if (IS_ERR(goals))
		return PTR_ERR(goals);
	scheme->goals = goals;
	filters = damon_sysfs_list_add(&scheme->dir.kobj, "filters",
				       &damon_sysfs_filters_type, scheme);
	if (IS_ERR(filters))
		return PTR_ERR(filters);
	scheme->filters = filters;
	tried = damon_sysfs_tried_add(&scheme->dir.kobj);
	if (IS_ERR(tried))
		return PTR_ERR(tried);
	scheme->tried = tried;
	return 0;
}

static struct damon_sysfs_scheme *damon_sysfs_scheme_of_child(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_scheme, dir.kobj);
}

static void damon_sysfs_scheme_kill(struct kobject *child)
{
	struct damon_sysfs_scheme *scheme = damon_sysfs_scheme_of_child(child);

	damon_sysfs_list_kill(scheme->goals);
	damon_sysfs_list_kill(scheme->filters);
}

/* Children first: a kobject's files go with it, its subdirectories not. */
static void damon_sysfs_scheme_del(struct kobject *child)
{
	struct damon_sysfs_scheme *scheme = damon_sysfs_scheme_of_child(child);
	int i;

	damon_sysfs_tried_del(scheme->tried);
	damon_sysfs_list_del(scheme->filters);
	damon_sysfs_list_del(scheme->goals);
	for (i = ARRAY_SIZE(scheme->subdirs) - 1; i >= 0; i--)
		damon_sysfs_dir_del(scheme->subdirs[i]);
	damon_sysfs_kobj_del(child);
}

/* schemes/ */

static struct kobj_attribute damon_sysfs_nr_schemes_attr =
	DAMON_SYSFS_NR_FILE(nr_schemes);

static struct attribute *damon_sysfs_schemes_attrs[] = {
	&damon_sysfs_nr_schemes_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_schemes);

static const struct damon_sysfs_list_type damon_sysfs_schemes_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_schemes_groups,
	},
	.max = DAMON_SYSFS_MAX_SCHEMES,
	.resize_lock = &damon_sysfs_schemes_resize_lock,
	.add_child = damon_sysfs_scheme_add,
	.kill_child = damon_sysfs_scheme_kill,
	.del_child = damon_sysfs_scheme_del,
};

/**
 * damon_sysfs_schemes_add() - Add schemes/ to a context directory.
 * @parent:	The context directory.
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_schemes *damon_sysfs_schemes_add(struct kobject *parent)
{
	struct damon_sysfs_schemes *schemes;
	struct damon_sysfs_list *list;

	schemes = kzalloc(sizeof(*schemes), GFP_KERNEL);
	if (!schemes)
		return ERR_PTR(-ENOMEM);
	list = damon_sysfs_list_add(parent, "schemes",
				    &damon_sysfs_schemes_type, schemes);
	if (IS_ERR(list)) {
		kfree(schemes);
		return ERR_CAST(list);
	}
	schemes->list = list;
	return schemes;
}

/**
 * damon_sysfs_schemes_kill() - Mark schemes/ dead.
 * @schemes:	The directory, or NULL.
 *
 * Called under damon_sysfs_lock when the context directory leaves the tree.
 */
void damon_sysfs_schemes_kill(struct damon_sysfs_schemes *schemes)
{
	if (schemes)
		damon_sysfs_list_kill(schemes->list);
}

/**
 * damon_sysfs_schemes_del() - Remove schemes/.
 * @schemes:	The directory, or NULL.
 *
 * Called without damon_sysfs_lock, after damon_sysfs_schemes_kill().
 */
void damon_sysfs_schemes_del(struct damon_sysfs_schemes *schemes)
{
	if (!schemes)
		return;
	damon_sysfs_list_del(schemes->list);
	kfree(schemes);
}

/* Add the scheme of @scheme's files to @ctx. */
static int damon_sysfs_scheme_build(struct damon_sysfs_scheme *scheme,
				    struct damon_ctx *ctx)
{
	struct damos_quota quota = {
		.ms = scheme->quota_ms,
		.sz = scheme->quota_bytes,
		.reset_interval = scheme->quota_reset_ms,
		.weight_sz = scheme->weight_sz,
		.weight_nr_accesses = scheme->weight_nr_accesses,
		.weight_age = scheme->weight_age,
	};
	struct damos_watermarks wmarks = {
		.metric = scheme->wmark_metric,
		.interval = scheme->wmark_interval_us,
		.high = scheme->wmark_high,
		.mid = scheme->wmark_mid,
		.low = scheme->wmark_low,
	};
	struct damos *s;
	int err;

	s = damos_new(scheme->action, &scheme->pattern, &quota, &wmarks);
	if (!s)
		return -ENOMEM;
	s->target_nid = scheme->target_nid;
	s->apply_interval_us = scheme->apply_interval_us;
	err = damon_sysfs_goals_build(scheme->goals, s);
	if (!err)
		err = damon_sysfs_filters_build(scheme->filters, s);
	if (!err)
		err = damon_add_scheme(ctx, s);
	if (err)
		damos_destroy(s);
	return err;
}

/**
 * damon_sysfs_schemes_build() - Add the schemes to a DAMON context.
 * @schemes:	The schemes/ directory of the context directory; called with
 *		damon_sysfs_lock held.
 * @ctx:	The context being built, with its operations set selected.
 *
 * Return: 0; -EINVAL for values that do not fit together (a min above
 * its max, watermarks out of order, weights whose sum overflows, a goal
 * without a target value, a migration to a node that is not online, an
 * empty address filter, a memory cgroup filter without a path);
 * -EOPNOTSUPP for an action or a filter the operations set cannot do, or a
 * goal or filter this kernel cannot measure; -ENOENT for a memory cgroup
 * that does not exist; -ENOMEM.
 */
int damon_sysfs_schemes_build(struct damon_sysfs_schemes *schemes,
			      struct damon_ctx *ctx)
{
	struct damon_sysfs_scheme *scheme;
	unsigned int i;
	int err;

	lockdep_assert_held(&damon_sysfs_lock);
	for (i = 0; i < schemes->list->nr; i++) {
		scheme = damon_sysfs_scheme_at(schemes, i);
		err = damon_sysfs_scheme_build(scheme, ctx);
		if (err)
			return err;
	}
	return 0;
}
