// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the monitoring targets of a context.
 *
 *   targets/nr_targets
 *   targets/<N>/pid_target
 *   targets/<N>/regions/nr_regions
 *   targets/<N>/regions/<N>/{start,end}
 *
 * Values are only stored here; "on" and "commit" check them when they
 * build a DAMON context (sysfs-build.c), since a value may be valid only
 * together with others written later.  All of them may change while the
 * kdamond runs, for a later "commit".
 */

#include <linux/slab.h>
#include <linux/threads.h>

#include "sysfs-common.h"

static DEFINE_MUTEX(damon_sysfs_targets_resize_lock);
static DEFINE_MUTEX(damon_sysfs_regions_resize_lock);

/* regions/<N>/ */

static struct damon_sysfs_region *damon_sysfs_region_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_region, kobj);
}

static ssize_t start_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return damon_sysfs_show_ulong(buf, &damon_sysfs_region_of(kobj)->ar.start);
}

static ssize_t start_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       &damon_sysfs_region_of(kobj)->ar.start,
				       0, ULONG_MAX);
}

static ssize_t end_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return damon_sysfs_show_ulong(buf, &damon_sysfs_region_of(kobj)->ar.end);
}

static ssize_t end_store(struct kobject *kobj, struct kobj_attribute *attr,
			 const char *buf, size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       &damon_sysfs_region_of(kobj)->ar.end,
				       0, ULONG_MAX);
}

static struct kobj_attribute damon_sysfs_start_attr = __ATTR_RW_MODE(start, 0600);
static struct kobj_attribute damon_sysfs_end_attr = __ATTR_RW_MODE(end, 0600);

static struct attribute *damon_sysfs_region_attrs[] = {
	&damon_sysfs_start_attr.attr,
	&damon_sysfs_end_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_region);

static void damon_sysfs_region_release(struct kobject *kobj)
{
	kfree(damon_sysfs_region_of(kobj));
}

static const struct kobj_type damon_sysfs_region_ktype = {
	.release = damon_sysfs_region_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_region_groups,
};

/* regions/ */

static int damon_sysfs_region_add(struct damon_sysfs_list *list,
				  unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_region *region;
	int err;

	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region)
		return -ENOMEM;
	err = damon_sysfs_child_add(&region->kobj, &damon_sysfs_region_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &region->kobj;
	return 0;
}

static struct kobj_attribute damon_sysfs_nr_regions_attr =
	DAMON_SYSFS_NR_FILE(nr_regions);

static struct attribute *damon_sysfs_regions_attrs[] = {
	&damon_sysfs_nr_regions_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_regions);

static const struct damon_sysfs_list_type damon_sysfs_regions_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_regions_groups,
	},
	.max = DAMON_SYSFS_MAX_REGIONS,
	.resize_lock = &damon_sysfs_regions_resize_lock,
	.add_child = damon_sysfs_region_add,
	.del_child = damon_sysfs_kobj_del,
};

/* targets/<N>/ */

static struct damon_sysfs_target *damon_sysfs_target_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_target, kobj);
}

static ssize_t pid_target_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return damon_sysfs_show_ulong(buf, &damon_sysfs_target_of(kobj)->pid);
}

/* No process has a pid above PID_MAX_LIMIT; whether one exists is for "on". */
static ssize_t pid_target_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	return damon_sysfs_store_ulong(buf, count,
				       &damon_sysfs_target_of(kobj)->pid, 0,
				       PID_MAX_LIMIT);
}

static struct kobj_attribute damon_sysfs_pid_target_attr =
	__ATTR_RW_MODE(pid_target, 0600);

static struct attribute *damon_sysfs_target_attrs[] = {
	&damon_sysfs_pid_target_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_target);

static void damon_sysfs_target_release(struct kobject *kobj)
{
	kfree(damon_sysfs_target_of(kobj));
}

static const struct kobj_type damon_sysfs_target_ktype = {
	.release = damon_sysfs_target_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_target_groups,
};

/* targets/ */

static int damon_sysfs_target_add(struct damon_sysfs_list *list,
				  unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_target *target;
	struct damon_sysfs_list *regions;
	int err;

	target = kzalloc(sizeof(*target), GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	err = damon_sysfs_child_add(&target->kobj, &damon_sysfs_target_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &target->kobj;
	regions = damon_sysfs_list_add(&target->kobj, "regions",
				       &damon_sysfs_regions_type, target);
	if (IS_ERR(regions))
		return PTR_ERR(regions);
	target->regions = regions;
	return 0;
}

static void damon_sysfs_target_kill(struct kobject *child)
{
	damon_sysfs_list_kill(damon_sysfs_target_of(child)->regions);
}

static void damon_sysfs_target_del(struct kobject *child)
{
	damon_sysfs_list_del(damon_sysfs_target_of(child)->regions);
	damon_sysfs_kobj_del(child);
}

static struct kobj_attribute damon_sysfs_nr_targets_attr =
	DAMON_SYSFS_NR_FILE(nr_targets);

static struct attribute *damon_sysfs_targets_attrs[] = {
	&damon_sysfs_nr_targets_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_targets);

const struct damon_sysfs_list_type damon_sysfs_targets_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_targets_groups,
	},
	.max = DAMON_SYSFS_MAX_TARGETS,
	.resize_lock = &damon_sysfs_targets_resize_lock,
	.add_child = damon_sysfs_target_add,
	.kill_child = damon_sysfs_target_kill,
	.del_child = damon_sysfs_target_del,
};
