// SPDX-License-Identifier: GPL-2.0
/*
 * The damon module's entry points.  A composite module has one module_init,
 * so this one brings up the operations sets and then the interfaces, which
 * all sit on top of the core, and its exit function takes them down in
 * reverse.
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "core_internal.h"

static int __init damon_init(void)
{
	int err;

	err = damon_vaddr_init();
	if (err)
		goto out;
	err = damon_paddr_init();
	if (err)
		goto out_vaddr;
	err = damon_sysfs_init();
	if (err)
		goto out_paddr;
	err = damon_dbgfs_init();
	if (err)
		goto out_sysfs;
	return 0;

out_sysfs:
	damon_sysfs_exit();
out_paddr:
	damon_paddr_exit();
out_vaddr:
	damon_vaddr_exit();
out:
	pr_err("initialisation failed (%d)\n", err);
	return err;
}

/*
 * Only reached with no kdamond left: every running kdamond holds a
 * reference to this module, and the interfaces stop their contexts when
 * they are torn down.
 */
static void __exit damon_exit(void)
{
	damon_dbgfs_exit();
	damon_sysfs_exit();
	damon_paddr_exit();
	damon_vaddr_exit();
}

module_init(damon_init);
module_exit(damon_exit);

MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DAMON);
MODULE_DESCRIPTION("DAMON: Data Access MONitor");
