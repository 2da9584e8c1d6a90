// SPDX-License-Identifier: GPL-2.0
/*
 * The damon module's entry points.  A composite module has one module_init,
 * so this one brings up the parts of the module that need it, operations
 * sets first and then the interfaces that use them, and its exit function
 * takes them down in reverse.
 */

#define pr_fmt(fmt) "damon: " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "core_internal.h"

/*
 * The parts, in the order they are brought up.  A part that is configured
 * out has no-op stubs.  The functions are not __init or __exit: this table
 * outlives the init sections.
 */
static const struct damon_part {
	int (*init)(void);
	void (*exit)(void);
} damon_parts[] = {
	{ damon_vaddr_init, damon_vaddr_exit },
	{ damon_paddr_init, damon_paddr_exit },
	{ damon_sysfs_init, damon_sysfs_exit },
	{ damon_dbgfs_init, damon_dbgfs_exit },
};

static int __init damon_init(void)
{
	int i, err = 0;

	for (i = 0; i < ARRAY_SIZE(damon_parts); i++) {
		err = damon_parts[i].init();
		if (err)
			break;
	}
	if (!err)
		return 0;
	while (--i >= 0)
		damon_parts[i].exit();
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
	size_t i;

	/* Counts down from the size: early in the series the table is empty. */
	for (i = ARRAY_SIZE(damon_parts); i > 0; i--)
		damon_parts[i - 1].exit();
}

module_init(damon_init);
module_exit(damon_exit);

MODULE_LICENSE("GPL");
/* The mm and arch symbols exported for DAMON only (see patches/). */
MODULE_IMPORT_NS(DAMON);
MODULE_DESCRIPTION("DAMON: Data Access MONitor");
