// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the monitoring contexts of a kdamond.
 *
 *   contexts/nr_contexts
 *   contexts/<N>/{avail_operations,operations}
 *   contexts/<N>/monitoring_attrs/intervals/{sample_us,aggr_us,update_us}
 *   contexts/<N>/monitoring_attrs/nr_regions/{min,max}
 *   contexts/<N>/targets/ (sysfs-target.c)
 *   contexts/<N>/schemes/ (sysfs-schemes.c)
 *
 * A kdamond runs one context, so nr_contexts is 0 or 1, and it cannot
 * change while the kdamond runs; nor can the operations set.  Attributes
 * may: "commit" applies them.
 */

#include <linux/slab.h>

#include "core_internal.h"
#include "sysfs-common.h"

/*
 * The names of the operations sets, and what their targets need.  Sets that
 * are not registered (configured out, or not written yet) are neither
 * listed nor accepted.
 */
static const struct damon_sysfs_ops damon_sysfs_ops_table[] = {
	[DAMON_OPS_VADDR] = { .name = "vaddr", .needs_pid = true },
	[DAMON_OPS_FVADDR] = { .name = "fvaddr", .needs_pid = true,
			       .needs_regions = true },
	[DAMON_OPS_PADDR] = { .name = "paddr", .needs_regions = true },
	[DAMON_OPS_PADDR_FAULT] = { .name = "paddr_fault",
				    .needs_regions = true },
};

static_assert(ARRAY_SIZE(damon_sysfs_ops_table) == NR_DAMON_OPS);

/**
 * damon_sysfs_ops_of() - What the interface knows of an operations set.
 * @id:	The operations set.
 *
 * Return: its entry in the table of operations sets.
 */
const struct damon_sysfs_ops *damon_sysfs_ops_of(enum damon_ops_id id)
{
	return &damon_sysfs_ops_table[id];
}

static DEFINE_MUTEX(damon_sysfs_contexts_resize_lock);

static struct damon_sysfs_context *damon_sysfs_context_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_context, kobj);
}

/* contexts/<N>/monitoring_attrs/intervals/ and nr_regions/ */

static struct damon_attrs *damon_sysfs_attrs_of(struct kobject *kobj)
{
	struct damon_sysfs_context *context = damon_sysfs_owner(kobj);

	return &context->attrs;
}

/**
 * struct damon_sysfs_attr_file - A file of a monitoring attribute.
 * @kattr:	The file.
 * @offset:	Where its value is in &struct damon_attrs.
 * @min:	The smallest value it takes.
 *
 * Each file refuses only values that are never valid (intervals of 0,
 * fewer than 3 regions); how the values fit together is checked by "on"
 * and "commit", since they are written one at a time.
 */
struct damon_sysfs_attr_file {
	struct kobj_attribute kattr;
	size_t offset;
	unsigned long min;
};

static struct damon_sysfs_attr_file *
damon_sysfs_attr_file_of(struct kobj_attribute *kattr)
{
	return container_of(kattr, struct damon_sysfs_attr_file, kattr);
}

static unsigned long *damon_sysfs_attr_value(struct kobject *kobj,
					     struct kobj_attribute *kattr)
{
	return (void *)damon_sysfs_attrs_of(kobj) +
		damon_sysfs_attr_file_of(kattr)->offset;
}

static ssize_t damon_sysfs_attr_file_show(struct kobject *kobj,
					  struct kobj_attribute *kattr,
					  char *buf)
{
	return damon_sysfs_show_ulong(buf, damon_sysfs_attr_value(kobj, kattr));
}

static ssize_t damon_sysfs_attr_file_store(struct kobject *kobj,
					   struct kobj_attribute *kattr,
					   const char *buf, size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       damon_sysfs_attr_value(kobj, kattr),
				       damon_sysfs_attr_file_of(kattr)->min,
				       ULONG_MAX);
}

static struct damon_sysfs_attr_file damon_sysfs_sample_us_file = {
	.kattr = __ATTR(sample_us, 0600, damon_sysfs_attr_file_show,
			damon_sysfs_attr_file_store),
	.offset = offsetof(struct damon_attrs, sample_interval),
	.min = 1,
};

static struct damon_sysfs_attr_file damon_sysfs_aggr_us_file = {
	.kattr = __ATTR(aggr_us, 0600, damon_sysfs_attr_file_show,
			damon_sysfs_attr_file_store),
	.offset = offsetof(struct damon_attrs, aggr_interval),
	.min = 1,
};

static struct damon_sysfs_attr_file damon_sysfs_update_us_file = {
	.kattr = __ATTR(update_us, 0600, damon_sysfs_attr_file_show,
			damon_sysfs_attr_file_store),
	.offset = offsetof(struct damon_attrs, ops_update_interval),
	.min = 1,
};

static struct damon_sysfs_attr_file damon_sysfs_min_file = {
	.kattr = __ATTR(min, 0600, damon_sysfs_attr_file_show,
			damon_sysfs_attr_file_store),
	.offset = offsetof(struct damon_attrs, min_nr_regions),
	.min = 3,
};

static struct damon_sysfs_attr_file damon_sysfs_max_file = {
	.kattr = __ATTR(max, 0600, damon_sysfs_attr_file_show,
			damon_sysfs_attr_file_store),
	.offset = offsetof(struct damon_attrs, max_nr_regions),
	.min = 3,
};

static struct attribute *damon_sysfs_intervals_attrs[] = {
	&damon_sysfs_sample_us_file.kattr.attr,
	&damon_sysfs_aggr_us_file.kattr.attr,
	&damon_sysfs_update_us_file.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_intervals);

static const struct kobj_type damon_sysfs_intervals_ktype = {
	.release = damon_sysfs_dir_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_intervals_groups,
};

static struct attribute *damon_sysfs_nr_regions_attrs[] = {
	&damon_sysfs_min_file.kattr.attr,
	&damon_sysfs_max_file.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_nr_regions);

static const struct kobj_type damon_sysfs_nr_regions_ktype = {
	.release = damon_sysfs_dir_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_nr_regions_groups,
};

/* contexts/<N>/ */

static ssize_t avail_operations_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	int id, len = 0;

	for (id = 0; id < NR_DAMON_OPS; id++) {
		if (damon_is_registered_ops(id))
			len += sysfs_emit_at(buf, len, "%s\n",
					     damon_sysfs_ops_table[id].name);
	}
	return len;
}

static ssize_t operations_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	enum damon_ops_id id;

	mutex_lock(&damon_sysfs_lock);
	id = damon_sysfs_context_of(kobj)->ops;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%s\n", damon_sysfs_ops_table[id].name);
}

/* Only what avail_operations lists; unchanged while the kdamond runs. */
static ssize_t operations_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	struct damon_sysfs_context *context = damon_sysfs_context_of(kobj);
	int id, err = 0;

	for (id = 0; id < NR_DAMON_OPS; id++) {
		if (sysfs_streq(buf, damon_sysfs_ops_table[id].name))
			break;
	}
	if (id == NR_DAMON_OPS || !damon_is_registered_ops(id))
		return -EINVAL;
	mutex_lock(&damon_sysfs_lock);
	if (id != context->ops && damon_sysfs_kdamond_running(context->kdamond))
		err = -EBUSY;
	else
		context->ops = id;
	mutex_unlock(&damon_sysfs_lock);
	return err ? err : count;
}

static struct kobj_attribute damon_sysfs_avail_operations_attr =
	__ATTR_RO_MODE(avail_operations, 0400);
static struct kobj_attribute damon_sysfs_operations_attr =
	__ATTR_RW_MODE(operations, 0600);

static struct attribute *damon_sysfs_context_attrs[] = {
	&damon_sysfs_avail_operations_attr.attr,
	&damon_sysfs_operations_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_context);

static void damon_sysfs_context_release(struct kobject *kobj)
{
	kfree(damon_sysfs_context_of(kobj));
}

static const struct kobj_type damon_sysfs_context_ktype = {
	.release = damon_sysfs_context_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_context_groups,
};

/* Add the subdirectories of a new context directory. */
static int damon_sysfs_context_add_dirs(struct damon_sysfs_context *context)
{
	struct damon_sysfs_schemes *schemes;
	struct damon_sysfs_list *targets;
	struct damon_sysfs_dir *dir;

	dir = damon_sysfs_dir_add(&context->kobj, "monitoring_attrs",
				  &damon_sysfs_empty_ktype, context);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	context->attrs_dir = dir;
	dir = damon_sysfs_dir_add(&context->attrs_dir->kobj, "intervals",
				  &damon_sysfs_intervals_ktype, context);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	context->intervals = dir;
	dir = damon_sysfs_dir_add(&context->attrs_dir->kobj, "nr_regions",
				  &damon_sysfs_nr_regions_ktype, context);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	context->nr_regions = dir;
	targets = damon_sysfs_list_add(&context->kobj, "targets",
				       &damon_sysfs_targets_type, context);
	if (IS_ERR(targets))
		return PTR_ERR(targets);
	context->targets = targets;
	schemes = damon_sysfs_schemes_add(&context->kobj);
	if (IS_ERR(schemes))
		return PTR_ERR(schemes);
	context->schemes = schemes;
	return 0;
}

/* contexts/ */

static int damon_sysfs_context_add(struct damon_sysfs_list *list,
				   unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_context *context;
	int err;

	context = kzalloc(sizeof(*context), GFP_KERNEL);
	if (!context)
		return -ENOMEM;
	context->kdamond = list->owner;
	context->ops = DAMON_OPS_VADDR;
	context->attrs = (struct damon_attrs) {
		.sample_interval = DAMON_DEFAULT_SAMPLE_US,
		.aggr_interval = DAMON_DEFAULT_AGGR_US,
		.ops_update_interval = DAMON_DEFAULT_UPDATE_US,
		.min_nr_regions = DAMON_DEFAULT_MIN_NR_REGIONS,
		.max_nr_regions = DAMON_DEFAULT_MAX_NR_REGIONS,
	};
	err = damon_sysfs_child_add(&context->kobj, &damon_sysfs_context_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &context->kobj;
	return damon_sysfs_context_add_dirs(context);
}

static void damon_sysfs_context_kill(struct kobject *child)
{
	struct damon_sysfs_context *context = damon_sysfs_context_of(child);

	damon_sysfs_list_kill(context->targets);
	damon_sysfs_schemes_kill(context->schemes);
}

static void damon_sysfs_context_del(struct kobject *child)
{
	struct damon_sysfs_context *context = damon_sysfs_context_of(child);

	damon_sysfs_schemes_del(context->schemes);
	damon_sysfs_list_del(context->targets);
	damon_sysfs_dir_del(context->nr_regions);
	damon_sysfs_dir_del(context->intervals);
	damon_sysfs_dir_del(context->attrs_dir);
	damon_sysfs_kobj_del(child);
}

/* The context of a running kdamond stays. */
static int damon_sysfs_contexts_may_resize(struct damon_sysfs_list *list,
					   unsigned int nr)
{
	if (damon_sysfs_kdamond_running(list->owner))
		return -EBUSY;
	return 0;
}

static struct kobj_attribute damon_sysfs_nr_contexts_attr =
	DAMON_SYSFS_NR_FILE(nr_contexts);

static struct attribute *damon_sysfs_contexts_attrs[] = {
	&damon_sysfs_nr_contexts_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_contexts);

const struct damon_sysfs_list_type damon_sysfs_contexts_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_contexts_groups,
	},
	.max = DAMON_SYSFS_MAX_CONTEXTS,
	.resize_lock = &damon_sysfs_contexts_resize_lock,
	.may_resize = damon_sysfs_contexts_may_resize,
	.add_child = damon_sysfs_context_add,
	.kill_child = damon_sysfs_context_kill,
	.del_child = damon_sysfs_context_del,
};
