// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: schemes/ of each context, and the DAMOS commands
 * of the state file.
 *
 * A placeholder until DAMOS exists: schemes/ holds only nr_schemes, which
 * takes 0 alone, and every DAMOS command of the state file fails with
 * EOPNOTSUPP.  The DAMOS work is expected to replace this file, and only
 * it, keeping the functions that sysfs-common.h declares:
 *
 * - damon_sysfs_schemes_add(), _kill() and _del(): schemes/ as a numbered
 *   directory (struct damon_sysfs_list) of schemes/<N>/ with the files of
 *   mainline's ABI (action, target_nid, apply_interval_us,
 *   access_pattern/, quotas/ with goals/, watermarks/, filters/, stats/,
 *   tried_regions/);
 * - damon_sysfs_schemes_build(): add the schemes to a DAMON context that
 *   "on" starts or "commit" commits (damon_commit_ctx() then has to commit
 *   schemes too);
 * - damon_sysfs_schemes_cmd(): the commands listed below.  They run under
 *   damon_sysfs_lock; what needs the kdamond runs there through
 *   damon_call() and must only touch the DAMON context, never a directory:
 *   the results are copied to the files after damon_call() returns, when
 *   the lock guarantees that the directories are still there.
 */

#include <linux/slab.h>

#include "sysfs-common.h"

/**
 * struct damon_sysfs_schemes - schemes/ of a context.
 * @kobj:	The directory.
 */
struct damon_sysfs_schemes {
	struct kobject kobj;
};

static ssize_t nr_schemes_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0\n");
}

static ssize_t nr_schemes_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	unsigned long nr;
	int err;

	err = damon_sysfs_parse_ulong(buf, 0, ULONG_MAX, &nr);
	if (err)
		return err;
	return nr ? -EOPNOTSUPP : count;
}

static struct kobj_attribute damon_sysfs_nr_schemes_attr =
	__ATTR_RW_MODE(nr_schemes, 0600);

static struct attribute *damon_sysfs_schemes_attrs[] = {
	&damon_sysfs_nr_schemes_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_schemes);

static void damon_sysfs_schemes_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct damon_sysfs_schemes, kobj));
}

static const struct kobj_type damon_sysfs_schemes_ktype = {
	.release = damon_sysfs_schemes_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_schemes_groups,
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
	int err;

	schemes = kzalloc(sizeof(*schemes), GFP_KERNEL);
	if (!schemes)
		return ERR_PTR(-ENOMEM);
	err = damon_sysfs_kobj_add(&schemes->kobj, &damon_sysfs_schemes_ktype,
				   parent, "schemes");
	return err ? ERR_PTR(err) : schemes;
}

/**
 * damon_sysfs_schemes_kill() - Mark schemes/ dead.
 * @schemes:	The directory, or NULL.
 *
 * Called under damon_sysfs_lock when the context directory leaves the tree.
 */
void damon_sysfs_schemes_kill(struct damon_sysfs_schemes *schemes)
{
}

/**
 * damon_sysfs_schemes_del() - Remove schemes/.
 * @schemes:	The directory, or NULL.
 *
 * Called without damon_sysfs_lock, after damon_sysfs_schemes_kill().
 */
void damon_sysfs_schemes_del(struct damon_sysfs_schemes *schemes)
{
	if (schemes)
		damon_sysfs_kobj_del(&schemes->kobj);
}

/**
 * damon_sysfs_schemes_build() - Add the schemes to a DAMON context.
 * @schemes:	The schemes/ directory of the context directory.
 * @ctx:	The context being built.
 *
 * Return: 0 (there are no schemes yet).
 */
int damon_sysfs_schemes_build(struct damon_sysfs_schemes *schemes,
			      struct damon_ctx *ctx)
{
	return 0;
}

/* The DAMOS commands of mainline's state file. */
static const char * const damon_sysfs_schemes_cmds[] = {
	"update_schemes_stats",
	"update_schemes_tried_bytes",
	"update_schemes_tried_regions",
	"clear_schemes_tried_regions",
	"update_schemes_effective_quotas",
	"commit_schemes_quota_goals",
};

/**
 * damon_sysfs_schemes_cmd() - Run a DAMOS command of the state file.
 * @kdamond:	The kdamond directory; called with damon_sysfs_lock held.
 * @cmd:	What was written to its state file.
 *
 * Return: -EOPNOTSUPP for a DAMOS command (DAMOS does not exist yet), or
 * -EINVAL for anything else.
 */
int damon_sysfs_schemes_cmd(struct damon_sysfs_kdamond *kdamond,
			    const char *cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(damon_sysfs_schemes_cmds); i++) {
		if (sysfs_streq(cmd, damon_sysfs_schemes_cmds[i]))
			return -EOPNOTSUPP;
	}
	return -EINVAL;
}
