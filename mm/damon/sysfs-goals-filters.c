// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the quota goals and the filters of a scheme.
 *
 *   quotas/goals/nr_goals
 *   quotas/goals/<N>/{target_metric,target_value,current_value}
 *   filters/nr_filters
 *   filters/<N>/{type,matching,memcg_path,addr_start,addr_end,
 *		  damon_target_idx}
 *
 * Each file takes its value alone; "on" and "commit" check them together
 * when they build the scheme (a target value of 0, an empty address range,
 * a memory cgroup that does not exist fail there).  Keywords are mainline's:
 * user_input and some_mem_psi_us for target_metric; anon, memcg, young,
 * addr and target for type.  memcg_path is a path below the root of the
 * cgroup v2 hierarchy, as long as a path may be.
 */

#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sysfs-goals-filters.h"

static DEFINE_MUTEX(damon_sysfs_goals_resize_lock);
static DEFINE_MUTEX(damon_sysfs_filters_resize_lock);

/* The most goals and filters a scheme may have. */
#define DAMON_SYSFS_MAX_GOALS		16
#define DAMON_SYSFS_MAX_FILTERS		64

static const char * const damon_sysfs_goal_metrics[] = {
	[DAMOS_GOAL_USER_INPUT] = "user_input",
	[DAMOS_GOAL_SOME_MEM_PSI_US] = "some_mem_psi_us",
};

static_assert(ARRAY_SIZE(damon_sysfs_goal_metrics) == NR_DAMOS_GOAL_METRICS);

static const char * const damon_sysfs_filter_types[] = {
	[DAMOS_FILTER_ANON] = "anon",
	[DAMOS_FILTER_MEMCG] = "memcg",
	[DAMOS_FILTER_YOUNG] = "young",
	[DAMOS_FILTER_ADDR] = "addr",
	[DAMOS_FILTER_TARGET] = "target",
};

static_assert(ARRAY_SIZE(damon_sysfs_filter_types) == NR_DAMOS_FILTER_TYPES);

/**
 * damon_sysfs_word_show() - Show a value that is one of some keywords.
 * @buf:	The file's buffer.
 * @val:	The index of the keyword, read under damon_sysfs_lock.
 * @words:	The keywords.
 *
 * Return: the length of the text.
 */
ssize_t damon_sysfs_word_show(char *buf, const unsigned long *val,
			      const char * const *words)
{
	unsigned long v;

	mutex_lock(&damon_sysfs_lock);
	v = *val;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%s\n", words[v]);
}

/**
 * damon_sysfs_word_store() - Set a value that is one of some keywords.
 * @buf:	What was written.
 * @count:	Its length.
 * @val:	Where the index of the keyword goes, under damon_sysfs_lock.
 * @words:	The keywords.
 * @nr:		How many @words holds.
 *
 * Return: @count, or -EINVAL for anything but a keyword.
 */
ssize_t damon_sysfs_word_store(const char *buf, size_t count,
			       unsigned long *val, const char * const *words,
			       unsigned int nr)
{
	int i = __sysfs_match_string(words, nr, buf);

	if (i < 0 || i >= nr)
		return -EINVAL;
	mutex_lock(&damon_sysfs_lock);
	*val = i;
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

/* goals/<N>/ */

/**
 * struct damon_sysfs_goal - goals/<N>/.
 * @kobj:		The directory.
 * @metric:		The value of target_metric.
 * @target_value:	The value of target_value.
 * @current_value:	The value of current_value.
 */
struct damon_sysfs_goal {
	struct kobject kobj;
	unsigned long metric;
	unsigned long target_value;
	unsigned long current_value;
};

static struct damon_sysfs_goal *damon_sysfs_goal_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_goal, kobj);
}

static ssize_t target_metric_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return damon_sysfs_word_show(buf, &damon_sysfs_goal_of(kobj)->metric,
				     damon_sysfs_goal_metrics);
}

static ssize_t target_metric_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return damon_sysfs_word_store(buf, count,
				      &damon_sysfs_goal_of(kobj)->metric,
				      damon_sysfs_goal_metrics,
				      NR_DAMOS_GOAL_METRICS);
}

static ssize_t target_value_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return damon_sysfs_show_ulong(buf,
				      &damon_sysfs_goal_of(kobj)->target_value);
}

static ssize_t target_value_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       &damon_sysfs_goal_of(kobj)->target_value,
				       0, ULONG_MAX);
}

static ssize_t current_value_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return damon_sysfs_show_ulong(buf,
				      &damon_sysfs_goal_of(kobj)->current_value);
}

static ssize_t current_value_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       &damon_sysfs_goal_of(kobj)->current_value,
				       0, ULONG_MAX);
}

static struct kobj_attribute damon_sysfs_target_metric_attr =
	__ATTR_RW_MODE(target_metric, 0600);
static struct kobj_attribute damon_sysfs_target_value_attr =
	__ATTR_RW_MODE(target_value, 0600);
static struct kobj_attribute damon_sysfs_current_value_attr =
	__ATTR_RW_MODE(current_value, 0600);

static struct attribute *damon_sysfs_goal_attrs[] = {
	&damon_sysfs_target_metric_attr.attr,
	&damon_sysfs_target_value_attr.attr,
	&damon_sysfs_current_value_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_goal);

static void damon_sysfs_goal_release(struct kobject *kobj)
{
	kfree(damon_sysfs_goal_of(kobj));
}

static const struct kobj_type damon_sysfs_goal_ktype = {
	.release = damon_sysfs_goal_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_goal_groups,
};

/* goals/ */

static int damon_sysfs_goal_add(struct damon_sysfs_list *list,
				unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_goal *goal = kzalloc(sizeof(*goal), GFP_KERNEL);
	int err;

	if (!goal)
		return -ENOMEM;
	err = damon_sysfs_child_add(&goal->kobj, &damon_sysfs_goal_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &goal->kobj;
	return 0;
}

static struct kobj_attribute damon_sysfs_nr_goals_attr =
	DAMON_SYSFS_NR_FILE(nr_goals);

static struct attribute *damon_sysfs_goals_attrs[] = {
	&damon_sysfs_nr_goals_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_goals);

const struct damon_sysfs_list_type damon_sysfs_goals_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_goals_groups,
	},
	.max = DAMON_SYSFS_MAX_GOALS,
	.resize_lock = &damon_sysfs_goals_resize_lock,
	.add_child = damon_sysfs_goal_add,
	.del_child = damon_sysfs_kobj_del,
};

/**
 * damon_sysfs_goals_build() - Give a scheme the goals of goals/.
 * @goals:	The goals/ directory; called with damon_sysfs_lock held.
 * @s:		The scheme, not in any context yet.
 *
 * Return: 0 or -ENOMEM.  The scheme checks the goals when it is added.
 */
int damon_sysfs_goals_build(struct damon_sysfs_list *goals, struct damos *s)
{
	struct damon_sysfs_goal *sgoal;
	struct damos_quota_goal *g;
	unsigned int i;

	for (i = 0; i < goals->nr; i++) {
		sgoal = damon_sysfs_child(goals, i, struct damon_sysfs_goal,
					  kobj);
		g = damos_new_quota_goal(sgoal->metric, sgoal->target_value);
		if (!g)
			return -ENOMEM;
		g->current_value = sgoal->current_value;
		damos_add_quota_goal(s, g);
	}
	return 0;
}

/* filters/<N>/ */

/**
 * struct damon_sysfs_filter - filters/<N>/.
 * @kobj:	The directory.
 * @type:	The value of type.
 * @matching:	The value of matching.
 * @memcg_path:	The value of memcg_path, or NULL for an empty one.
 * @addr_start:	The value of addr_start.
 * @addr_end:	The value of addr_end.
 * @target_idx:	The value of damon_target_idx.
 */
struct damon_sysfs_filter {
	struct kobject kobj;
	unsigned long type;
	bool matching;
	char *memcg_path;
	unsigned long addr_start;
	unsigned long addr_end;
	unsigned long target_idx;
};

static struct damon_sysfs_filter *damon_sysfs_filter_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_filter, kobj);
}

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return damon_sysfs_word_show(buf, &damon_sysfs_filter_of(kobj)->type,
				     damon_sysfs_filter_types);
}

static ssize_t type_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	if (count > DAMON_SYSFS_MAX_INPUT)
		return -E2BIG;
	return damon_sysfs_word_store(buf, count,
				      &damon_sysfs_filter_of(kobj)->type,
				      damon_sysfs_filter_types,
				      NR_DAMOS_FILTER_TYPES);
}

static ssize_t matching_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	bool matching;

	mutex_lock(&damon_sysfs_lock);
	matching = damon_sysfs_filter_of(kobj)->matching;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%c\n", matching ? 'Y' : 'N');
}

static ssize_t matching_store(struct kobject *kobj,
			      struct kobj_attribute *attr, const char *buf,
			      size_t count)
{
	bool matching;
	int err;

	if (count > DAMON_SYSFS_MAX_INPUT)
		return -E2BIG;
	err = damon_sysfs_parse_bool(buf, &matching);
	if (err)
		return err;
	mutex_lock(&damon_sysfs_lock);
	damon_sysfs_filter_of(kobj)->matching = matching;
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

static ssize_t memcg_path_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	ssize_t len;
	char *path;

	mutex_lock(&damon_sysfs_lock);
	path = damon_sysfs_filter_of(kobj)->memcg_path;
	len = sysfs_emit(buf, "%s\n", path ? path : "");
	mutex_unlock(&damon_sysfs_lock);
	return len;
}

/* Up to PATH_MAX bytes: this file's type lets longer writes through. */
static ssize_t memcg_path_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	struct damon_sysfs_filter *filter = damon_sysfs_filter_of(kobj);
	char *path, *old;

	if (count >= PATH_MAX)
		return -ENAMETOOLONG;
	path = kmemdup_nul(buf, count, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	strim(path);
	if (!*path) {
		kfree(path);
		path = NULL;
	}
	mutex_lock(&damon_sysfs_lock);
	old = filter->memcg_path;
	filter->memcg_path = path;
	mutex_unlock(&damon_sysfs_lock);
	kfree(old);
	return count;
}

/* One file of a filter; _name##_value() finds the value it shows. */
#define DAMON_SYSFS_FILTER_ULONG(_name, _field)				\
static unsigned long *_name##_value(struct kobject *kobj)		\
{									\
	return (void *)damon_sysfs_filter_of(kobj) +			\
		offsetof(struct damon_sysfs_filter, _field);		\
}									\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return damon_sysfs_show_ulong(buf, _name##_value(kobj));	\
}									\
static ssize_t _name##_store(struct kobject *kobj,			\
			     struct kobj_attribute *attr,		\
			     const char *buf, size_t count)		\
{									\
	if (count > DAMON_SYSFS_MAX_INPUT)				\
		return -E2BIG;						\
	return damon_sysfs_store_ulong(buf, count, _name##_value(kobj),	\
				       0, ULONG_MAX);			\
}									\
static struct kobj_attribute damon_sysfs_##_name##_attr =		\
	__ATTR_RW_MODE(_name, 0600)

DAMON_SYSFS_FILTER_ULONG(addr_start, addr_start);
DAMON_SYSFS_FILTER_ULONG(addr_end, addr_end);
DAMON_SYSFS_FILTER_ULONG(damon_target_idx, target_idx);

static struct kobj_attribute damon_sysfs_type_attr =
	__ATTR_RW_MODE(type, 0600);
static struct kobj_attribute damon_sysfs_matching_attr =
	__ATTR_RW_MODE(matching, 0600);
static struct kobj_attribute damon_sysfs_memcg_path_attr =
	__ATTR_RW_MODE(memcg_path, 0600);

static struct attribute *damon_sysfs_filter_attrs[] = {
	&damon_sysfs_type_attr.attr,
	&damon_sysfs_matching_attr.attr,
	&damon_sysfs_memcg_path_attr.attr,
	&damon_sysfs_addr_start_attr.attr,
	&damon_sysfs_addr_end_attr.attr,
	&damon_sysfs_damon_target_idx_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_filter);

static void damon_sysfs_filter_release(struct kobject *kobj)
{
	struct damon_sysfs_filter *filter = damon_sysfs_filter_of(kobj);

	kfree(filter->memcg_path);
	kfree(filter);
}

/*
 * The generic kobject file operations: without the length limit of
 * damon_sysfs_ops, which memcg_path needs; the other files check it
 * themselves.
 */
static const struct kobj_type damon_sysfs_filter_ktype = {
	.release = damon_sysfs_filter_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = damon_sysfs_filter_groups,
};

/* filters/ */

static int damon_sysfs_filter_add(struct damon_sysfs_list *list,
				  unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_filter *filter;
	int err;

	filter = kzalloc(sizeof(*filter), GFP_KERNEL);
	if (!filter)
		return -ENOMEM;
	err = damon_sysfs_child_add(&filter->kobj, &damon_sysfs_filter_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &filter->kobj;
	return 0;
}

static struct kobj_attribute damon_sysfs_nr_filters_attr =
	DAMON_SYSFS_NR_FILE(nr_filters);

static struct attribute *damon_sysfs_filters_attrs[] = {
	&damon_sysfs_nr_filters_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_filters);

const struct damon_sysfs_list_type damon_sysfs_filters_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_filters_groups,
	},
	.max = DAMON_SYSFS_MAX_FILTERS,
	.resize_lock = &damon_sysfs_filters_resize_lock,
	.add_child = damon_sysfs_filter_add,
	.del_child = damon_sysfs_kobj_del,
};

/* A filter of the core from filters/<N>/, or an ERR_PTR(). */
static struct damos_filter *
damon_sysfs_filter_build(struct damon_sysfs_filter *sfilter)
{
	struct damos_filter *f;
	int err = 0;

	f = damos_new_filter(sfilter->type, sfilter->matching);
	if (!f)
		return ERR_PTR(-ENOMEM);
	switch (f->type) {
	case DAMOS_FILTER_MEMCG:
		err = sfilter->memcg_path ?
			damos_filter_set_memcg_path(f, sfilter->memcg_path) :
			-EINVAL;
		break;
	case DAMOS_FILTER_ADDR:
		f->addr_range.start = sfilter->addr_start;
		f->addr_range.end = sfilter->addr_end;
		break;
	case DAMOS_FILTER_TARGET:
		err = sfilter->target_idx > UINT_MAX ? -EINVAL : 0;
		f->target_idx = sfilter->target_idx;
		break;
	default:
		break;
	}
	if (err) {
		damos_destroy_filter(f);
		return ERR_PTR(err);
	}
	return f;
}

/**
 * damon_sysfs_filters_build() - Give a scheme the filters of filters/.
 * @filters:	The filters/ directory; called with damon_sysfs_lock held.
 * @s:		The scheme, not in any context yet.
 *
 * Return: 0; -EINVAL for a memory cgroup filter without a path or a
 * target index past UINT_MAX; the error of damos_filter_set_memcg_path()
 * (-ENOENT for a cgroup that does not exist); -ENOMEM.  The scheme checks
 * the rest when it is added.
 */
int damon_sysfs_filters_build(struct damon_sysfs_list *filters,
			      struct damos *s)
{
	struct damon_sysfs_filter *sfilter;
	struct damos_filter *f;
	unsigned int i;

	for (i = 0; i < filters->nr; i++) {
		sfilter = damon_sysfs_child(filters, i,
					    struct damon_sysfs_filter, kobj);
		f = damon_sysfs_filter_build(sfilter);
		if (IS_ERR(f))
			return PTR_ERR(f);
		damos_add_filter(s, f);
	}
	return 0;
}
