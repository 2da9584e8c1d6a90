// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: /sys/kernel/mm/damon/admin.
 *
 * One value per file, one directory per kdamond, context, target and
 * region; each kdamond starts and stops on its own.  This file makes the
 * root directories; the others are described in sysfs-common.h.
 */

#define pr_fmt(fmt) "damon-sysfs: " fmt

#include "core_internal.h"
#include "sysfs-common.h"

static struct kobject *damon_sysfs_root;
static struct damon_sysfs_dir *damon_sysfs_admin;
static struct damon_sysfs_list *damon_sysfs_kdamonds;

/**
 * damon_sysfs_init() - Create /sys/kernel/mm/damon/admin.
 *
 * Called from the damon module's init function.
 *
 * Return: 0, or an error if the directories cannot be made.
 */
int damon_sysfs_init(void)
{
	struct damon_sysfs_list *kdamonds;
	struct damon_sysfs_dir *admin;
	int err;

	damon_sysfs_root = kobject_create_and_add("damon", mm_kobj);
	if (!damon_sysfs_root)
		return -ENOMEM;
	admin = damon_sysfs_dir_add(damon_sysfs_root, "admin",
				    &damon_sysfs_empty_ktype, NULL);
	if (IS_ERR(admin)) {
		err = PTR_ERR(admin);
		goto put_root;
	}
	kdamonds = damon_sysfs_kdamonds_add(&admin->kobj);
	if (IS_ERR(kdamonds)) {
		err = PTR_ERR(kdamonds);
		damon_sysfs_dir_del(admin);
		goto put_root;
	}
	damon_sysfs_admin = admin;
	damon_sysfs_kdamonds = kdamonds;
	return 0;

put_root:
	kobject_put(damon_sysfs_root);
	pr_err("cannot create the directories (%d)\n", err);
	return err;
}

/**
 * damon_sysfs_exit() - Remove /sys/kernel/mm/damon.
 *
 * Called from the damon module's exit function.  No kdamond runs then, as
 * each holds a reference to the module; the contexts that kdamonds of
 * this interface ran are freed with their directories.
 */
void damon_sysfs_exit(void)
{
	damon_sysfs_kdamonds_del(damon_sysfs_kdamonds);
	damon_sysfs_dir_del(damon_sysfs_admin);
	kobject_put(damon_sysfs_root);
}
