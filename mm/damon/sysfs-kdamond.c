// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the kdamonds.
 *
 *   kdamonds/nr_kdamonds
 *   kdamonds/<N>/{state,pid}
 *   kdamonds/<N>/contexts/ (sysfs-context.c)
 *
 * Each kdamond directory owns the DAMON context it last started.  "on"
 * builds a new one from the directory's files and starts it as a group of
 * its own, not exclusive: kdamonds of this interface run side by side, but
 * not beside those of the debugfs interface, which start exclusive groups.
 * "commit" builds a context the same way and has the running kdamond take
 * its settings (damon_commit_ctx(), through damon_call()).  The kdamond
 * never looks at the tree, so the tree may change under it at any time.
 */

#include <linux/sched.h>
#include <linux/slab.h>

#include "sysfs-common.h"

static DEFINE_MUTEX(damon_sysfs_kdamonds_resize_lock);

static struct damon_sysfs_kdamond *damon_sysfs_kdamond_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_kdamond, kobj);
}

/* "on": start a new context built from the files. */
static int damon_sysfs_turn_on(struct damon_sysfs_kdamond *kdamond)
{
	struct damon_ctx *ctx;
	int err;

	if (damon_sysfs_kdamond_running(kdamond))
		return -EBUSY;
	ctx = damon_sysfs_build_ctx(kdamond);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	err = damon_start(&ctx, 1, false);
	if (err) {
		damon_destroy_ctx(ctx);
		return err;
	}
	/* The previous context stopped; what it monitored is of no use now. */
	if (kdamond->ctx)
		damon_destroy_ctx(kdamond->ctx);
	kdamond->ctx = ctx;
	return 0;
}

/* "off": stop the kdamond, if it still runs. */
static int damon_sysfs_turn_off(struct damon_sysfs_kdamond *kdamond)
{
	if (damon_sysfs_kdamond_running(kdamond))
		damon_stop(&kdamond->ctx, 1);
	return 0;
}

static int damon_sysfs_commit_fn(struct damon_ctx *ctx, void *src)
{
	return damon_commit_ctx(ctx, src);
}

/* "commit": give the running kdamond the settings of the files. */
static int damon_sysfs_commit(struct damon_sysfs_kdamond *kdamond)
{
	struct damon_ctx *src;
	int err;

	if (!damon_sysfs_kdamond_running(kdamond))
		return -EINVAL;
	src = damon_sysfs_build_ctx(kdamond);
	if (IS_ERR(src))
		return PTR_ERR(src);
	err = damon_call(kdamond->ctx, damon_sysfs_commit_fn, src);
	damon_destroy_ctx(src);
	/* The kdamond stopped by itself meanwhile. */
	if (err == -ESRCH || err == -ECANCELED)
		err = -EINVAL;
	return err;
}

/* kdamonds/<N>/ */

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	bool running;

	mutex_lock(&damon_sysfs_lock);
	running = damon_sysfs_kdamond_running(damon_sysfs_kdamond_of(kobj));
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%s\n", running ? "on" : "off");
}

/*
 * Commands run one at a time, all of them under damon_sysfs_lock, so that
 * the tree they read cannot change meanwhile.
 */
static ssize_t state_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct damon_sysfs_kdamond *kdamond = damon_sysfs_kdamond_of(kobj);
	int err;

	mutex_lock(&damon_sysfs_lock);
	if (kdamond->dead)
		err = -ENODEV;
	else if (sysfs_streq(buf, "on"))
		err = damon_sysfs_turn_on(kdamond);
	else if (sysfs_streq(buf, "off"))
		err = damon_sysfs_turn_off(kdamond);
	else if (sysfs_streq(buf, "commit"))
		err = damon_sysfs_commit(kdamond);
	else
		err = damon_sysfs_schemes_cmd(kdamond, buf);
	mutex_unlock(&damon_sysfs_lock);
	/* Tried region directories a command dropped go without the lock. */
	damon_sysfs_schemes_reap();
	return err ? err : count;
}

static ssize_t pid_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct damon_sysfs_kdamond *kdamond = damon_sysfs_kdamond_of(kobj);
	pid_t pid = -1;

	mutex_lock(&damon_sysfs_lock);
	if (kdamond->ctx) {
		mutex_lock(&kdamond->ctx->kdamond_lock);
		if (kdamond->ctx->kdamond)
			pid = kdamond->ctx->kdamond->pid;
		mutex_unlock(&kdamond->ctx->kdamond_lock);
	}
	mutex_unlock(&damon_sysfs_lock);
	return sysfs_emit(buf, "%d\n", pid);
}

static struct kobj_attribute damon_sysfs_state_attr = __ATTR_RW_MODE(state, 0600);
static struct kobj_attribute damon_sysfs_pid_attr = __ATTR_RO_MODE(pid, 0400);

static struct attribute *damon_sysfs_kdamond_attrs[] = {
	&damon_sysfs_state_attr.attr,
	&damon_sysfs_pid_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_kdamond);

/* Only a kdamond that does not run can go, so its context stopped. */
static void damon_sysfs_kdamond_release(struct kobject *kobj)
{
	struct damon_sysfs_kdamond *kdamond = damon_sysfs_kdamond_of(kobj);

	if (kdamond->ctx)
		damon_destroy_ctx(kdamond->ctx);
	kfree(kdamond);
}

static const struct kobj_type damon_sysfs_kdamond_ktype = {
	.release = damon_sysfs_kdamond_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_kdamond_groups,
};

/* kdamonds/ */

static int damon_sysfs_kdamond_add(struct damon_sysfs_list *list,
				   unsigned int idx, struct kobject **child)
{
	struct damon_sysfs_kdamond *kdamond;
	struct damon_sysfs_list *contexts;
	int err;

	kdamond = kzalloc(sizeof(*kdamond), GFP_KERNEL);
	if (!kdamond)
		return -ENOMEM;
	err = damon_sysfs_child_add(&kdamond->kobj, &damon_sysfs_kdamond_ktype,
				    list, idx);
	if (err)
		return err;
	*child = &kdamond->kobj;
	contexts = damon_sysfs_list_add(&kdamond->kobj, "contexts",
					&damon_sysfs_contexts_type, kdamond);
	if (IS_ERR(contexts))
		return PTR_ERR(contexts);
	kdamond->contexts = contexts;
	return 0;
}

static void damon_sysfs_kdamond_kill(struct kobject *child)
{
	struct damon_sysfs_kdamond *kdamond = damon_sysfs_kdamond_of(child);

	kdamond->dead = true;
	damon_sysfs_list_kill(kdamond->contexts);
}

static void damon_sysfs_kdamond_del(struct kobject *child)
{
	damon_sysfs_list_del(damon_sysfs_kdamond_of(child)->contexts);
	damon_sysfs_kobj_del(child);
}

/* A running kdamond keeps its directory. */
static int damon_sysfs_kdamonds_may_resize(struct damon_sysfs_list *list,
					   unsigned int nr)
{
	struct damon_sysfs_kdamond *kdamond;
	unsigned int i;

	for (i = nr; i < list->nr; i++) {
		kdamond = damon_sysfs_child(list, i, struct damon_sysfs_kdamond,
					    kobj);
		if (damon_sysfs_kdamond_running(kdamond))
			return -EBUSY;
	}
	return 0;
}

static struct kobj_attribute damon_sysfs_nr_kdamonds_attr =
	DAMON_SYSFS_NR_FILE(nr_kdamonds);

static struct attribute *damon_sysfs_kdamonds_attrs[] = {
	&damon_sysfs_nr_kdamonds_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_kdamonds);

static const struct damon_sysfs_list_type damon_sysfs_kdamonds_type = {
	.ktype = {
		.release = damon_sysfs_list_release,
		.sysfs_ops = &damon_sysfs_ops,
		.default_groups = damon_sysfs_kdamonds_groups,
	},
	.max = DAMON_SYSFS_MAX_KDAMONDS,
	.resize_lock = &damon_sysfs_kdamonds_resize_lock,
	.may_resize = damon_sysfs_kdamonds_may_resize,
	.add_child = damon_sysfs_kdamond_add,
	.kill_child = damon_sysfs_kdamond_kill,
	.del_child = damon_sysfs_kdamond_del,
};

/**
 * damon_sysfs_kdamonds_add() - Add the kdamonds/ directory.
 * @parent:	The admin/ directory.
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_list *damon_sysfs_kdamonds_add(struct kobject *parent)
{
	return damon_sysfs_list_add(parent, "kdamonds",
				    &damon_sysfs_kdamonds_type, NULL);
}

/**
 * damon_sysfs_kdamonds_del() - Remove the kdamonds/ directory.
 * @kdamonds:	The directory.
 *
 * At module exit no kdamond runs: each holds a reference to the module.
 */
void damon_sysfs_kdamonds_del(struct damon_sysfs_list *kdamonds)
{
	mutex_lock(&damon_sysfs_kdamonds_resize_lock);
	mutex_lock(&damon_sysfs_lock);
	damon_sysfs_list_kill(kdamonds);
	mutex_unlock(&damon_sysfs_lock);
	damon_sysfs_list_del(kdamonds);
	mutex_unlock(&damon_sysfs_kdamonds_resize_lock);
}
