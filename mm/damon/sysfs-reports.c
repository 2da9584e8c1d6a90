// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the access report filters of a context.
 *
 *   contexts/<N>/report_filters/write_only	0 or 1 (y/n, yes/no, on/off too)
 *   contexts/<N>/report_filters/cpus		a CPU list, or "all"
 *
 * The filters choose which access reports the context counts (write-only
 * and per-CPU monitoring with paddr_fault).  Each file checks its value
 * alone and keeps it; "on" and "commit" apply them, like the monitoring
 * attributes.  A CPU list is longer than the other values may be, so the
 * directory takes values of up to a page.
 */

#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core_internal.h"
#include "sysfs-common.h"

static struct damon_report_filter *damon_sysfs_filter_of(struct kobject *kobj)
{
	struct damon_sysfs_context *context = damon_sysfs_owner(kobj);

	return &context->filter;
}

static ssize_t write_only_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	bool writes_only;

	mutex_lock(&damon_sysfs_lock);
	writes_only = damon_sysfs_filter_of(kobj)->writes_only;
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%d\n", writes_only);
}

static ssize_t write_only_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	bool writes_only;

	if (count > DAMON_SYSFS_MAX_INPUT)
		return -E2BIG;
	if (damon_sysfs_parse_bool(buf, &writes_only))
		return -EINVAL;
	mutex_lock(&damon_sysfs_lock);
	damon_sysfs_filter_of(kobj)->writes_only = writes_only;
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct damon_report_filter *filter = damon_sysfs_filter_of(kobj);
	ssize_t len;

	mutex_lock(&damon_sysfs_lock);
	if (filter->filter_cpus)
		len = sysfs_emit(buf, "%*pbl\n",
				 cpumask_pr_args(&filter->cpus));
	else
		len = sysfs_emit(buf, "all\n");
	mutex_unlock(&damon_sysfs_lock);
	return len;
}

/*
 * A CPU list in the kernel's format ("0-3,8"), naming at least one CPU and
 * only CPUs the machine can have; offline ones are fine.  "all" means no
 * CPU filter.  A write of a whole page may have been cut short, so it is
 * refused.
 */
static ssize_t cpus_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct damon_report_filter *filter = damon_sysfs_filter_of(kobj);
	struct damon_report_filter new = { .filter_cpus = true };
	char *copy, *list;
	int err = 0;

	if (count >= PAGE_SIZE - 1)
		return -E2BIG;
	copy = kstrndup(buf, count, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	list = strim(copy);
	if (!strcmp(list, "all"))
		new.filter_cpus = false;
	else if (cpulist_parse(list, &new.cpus) ||
		 damon_report_filter_check(&new))
		err = -EINVAL;
	kfree(copy);
	if (err)
		return err;
	mutex_lock(&damon_sysfs_lock);
	filter->filter_cpus = new.filter_cpus;
	cpumask_copy(&filter->cpus, &new.cpus);
	mutex_unlock(&damon_sysfs_lock);
	return count;
}

static struct kobj_attribute damon_sysfs_write_only_attr =
	__ATTR_RW_MODE(write_only, 0600);
static struct kobj_attribute damon_sysfs_cpus_attr =
	__ATTR_RW_MODE(cpus, 0600);

static struct attribute *damon_sysfs_report_filters_attrs[] = {
	&damon_sysfs_write_only_attr.attr,
	&damon_sysfs_cpus_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_report_filters);

static const struct kobj_type damon_sysfs_report_filters_ktype = {
	.release = damon_sysfs_dir_release,
	/* Not damon_sysfs_ops, which refuses values as long as a CPU list. */
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = damon_sysfs_report_filters_groups,
};

/**
 * damon_sysfs_report_filters_add() - Add contexts/<N>/report_filters/.
 * @context:	The context directory, whose &damon_sysfs_context->filter
 *		the files show and set.
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_dir *
damon_sysfs_report_filters_add(struct damon_sysfs_context *context)
{
	return damon_sysfs_dir_add(&context->kobj, "report_filters",
				   &damon_sysfs_report_filters_ktype, context);
}
