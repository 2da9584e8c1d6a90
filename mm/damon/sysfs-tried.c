// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON sysfs interface: the regions a scheme tried.
 *
 *   schemes/<N>/tried_regions/total_bytes
 *   schemes/<N>/tried_regions/<N>/{start,end,nr_accesses,age}
 *
 * Only the state file's commands fill these (sysfs-schemes-cmd.c); users
 * only read them.  A command runs under damon_sysfs_lock, where a
 * directory may be made but not removed: removing a kobject waits for the
 * reads of its files, which may wait for the lock.  So a command updates
 * the region directories it keeps in place, adds what it needs, and moves
 * those it no longer needs aside: renamed, so that the next command can
 * reuse their names at once, and queued until damon_sysfs_schemes_reap()
 * removes them after the lock is dropped.
 */

#include <linux/slab.h>

#include "sysfs-tried.h"

/* Region directories moved aside, waiting for damon_sysfs_schemes_reap(). */
static LIST_HEAD(damon_sysfs_tried_gone);

/**
 * struct damon_sysfs_tried_dir - tried_regions/<N>/.
 * @kobj:	The directory.
 * @region:	What its files show.
 * @gone:	Link in the queue of directories to remove.
 */
struct damon_sysfs_tried_dir {
	struct kobject kobj;
	struct damon_sysfs_tried_region region;
	struct list_head gone;
};

/**
 * struct damon_sysfs_tried - tried_regions/.
 * @kobj:	The directory.
 * @total_bytes: The value of total_bytes.
 * @dirs:	The region directories, by index.
 * @nr:		How many @dirs holds.
 */
struct damon_sysfs_tried {
	struct kobject kobj;
	unsigned long total_bytes;
	struct damon_sysfs_tried_dir **dirs;
	unsigned int nr;
};

/* tried_regions/<N>/ */

static struct damon_sysfs_tried_dir *damon_sysfs_tried_dir_of(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_tried_dir, kobj);
}

/* The read-only file _name showing the value _field of the region. */
#define DAMON_SYSFS_TRIED_FILE(_name, _field)				\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return damon_sysfs_show_ulong(buf,				\
		&damon_sysfs_tried_dir_of(kobj)->region._field);	\
}									\
static struct kobj_attribute damon_sysfs_tried_##_name##_attr =	\
	__ATTR_RO_MODE(_name, 0400)

DAMON_SYSFS_TRIED_FILE(start, start);
DAMON_SYSFS_TRIED_FILE(end, end);
DAMON_SYSFS_TRIED_FILE(nr_accesses, nr_accesses);
DAMON_SYSFS_TRIED_FILE(age, age);

static struct attribute *damon_sysfs_tried_dir_attrs[] = {
	&damon_sysfs_tried_start_attr.attr,
	&damon_sysfs_tried_end_attr.attr,
	&damon_sysfs_tried_nr_accesses_attr.attr,
	&damon_sysfs_tried_age_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_tried_dir);

static void damon_sysfs_tried_dir_release(struct kobject *kobj)
{
	kfree(damon_sysfs_tried_dir_of(kobj));
}

static const struct kobj_type damon_sysfs_tried_dir_ktype = {
	.release = damon_sysfs_tried_dir_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_tried_dir_groups,
};

/* tried_regions/ */

static ssize_t total_bytes_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return damon_sysfs_show_ulong(buf,
		&container_of(kobj, struct damon_sysfs_tried, kobj)->total_bytes);
}

static struct kobj_attribute damon_sysfs_total_bytes_attr =
	__ATTR_RO_MODE(total_bytes, 0400);

static struct attribute *damon_sysfs_tried_attrs[] = {
	&damon_sysfs_total_bytes_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(damon_sysfs_tried);

static void damon_sysfs_tried_release(struct kobject *kobj)
{
	struct damon_sysfs_tried *tried =
		container_of(kobj, struct damon_sysfs_tried, kobj);

	kfree(tried->dirs);
	kfree(tried);
}

static const struct kobj_type damon_sysfs_tried_ktype = {
	.release = damon_sysfs_tried_release,
	.sysfs_ops = &damon_sysfs_ops,
	.default_groups = damon_sysfs_tried_groups,
};

/**
 * damon_sysfs_tried_add() - Add tried_regions/ to a scheme directory.
 * @parent:	The scheme directory.
 *
 * Return: the directory, or an ERR_PTR().
 */
struct damon_sysfs_tried *damon_sysfs_tried_add(struct kobject *parent)
{
	struct damon_sysfs_tried *tried = kzalloc(sizeof(*tried), GFP_KERNEL);
	int err;

	if (!tried)
		return ERR_PTR(-ENOMEM);
	err = damon_sysfs_kobj_add(&tried->kobj, &damon_sysfs_tried_ktype,
				   parent, "tried_regions");
	return err ? ERR_PTR(err) : tried;
}

/* Move the region directories from @nr on aside; under damon_sysfs_lock. */
static void damon_sysfs_tried_shrink(struct damon_sysfs_tried *tried,
				     unsigned int nr)
{
	static unsigned long generation;	/* unique names aside */
	struct damon_sysfs_tried_dir *dir;
	char name[24];

	lockdep_assert_held(&damon_sysfs_lock);
	while (tried->nr > nr) {
		dir = tried->dirs[--tried->nr];
		/* Renaming waits for nobody; a failure only costs the name. */
		snprintf(name, sizeof(name), "gone.%lu", generation++);
		if (kobject_rename(&dir->kobj, name))
			pr_debug("damon-sysfs: cannot rename a tried region\n");
		list_add_tail(&dir->gone, &damon_sysfs_tried_gone);
	}
}

/**
 * damon_sysfs_schemes_reap() - Remove the tried region directories that
 *				commands moved aside.
 *
 * Called after damon_sysfs_lock is dropped, by whoever ran a command, and
 * before a tried_regions/ directory goes.
 */
void damon_sysfs_schemes_reap(void)
{
	struct damon_sysfs_tried_dir *dir, *next;
	LIST_HEAD(gone);

	mutex_lock(&damon_sysfs_lock);
	list_splice_init(&damon_sysfs_tried_gone, &gone);
	mutex_unlock(&damon_sysfs_lock);
	list_for_each_entry_safe(dir, next, &gone, gone) {
		list_del(&dir->gone);
		damon_sysfs_kobj_del(&dir->kobj);
	}
}

/**
 * damon_sysfs_tried_del() - Remove tried_regions/ with its region
 *			     directories.
 * @tried:	The directory, or NULL.
 *
 * Called without damon_sysfs_lock, once the scheme left the tree.
 */
void damon_sysfs_tried_del(struct damon_sysfs_tried *tried)
{
	unsigned int i;

	if (!tried)
		return;
	damon_sysfs_schemes_reap();
	for (i = 0; i < tried->nr; i++)
		damon_sysfs_kobj_del(&tried->dirs[i]->kobj);
	tried->nr = 0;
	damon_sysfs_kobj_del(&tried->kobj);
}

/**
 * damon_sysfs_tried_set_bytes() - Set what total_bytes shows.
 * @tried:	The directory; called with damon_sysfs_lock held.
 * @bytes:	The total size of the regions tried.
 */
void damon_sysfs_tried_set_bytes(struct damon_sysfs_tried *tried,
				 unsigned long bytes)
{
	lockdep_assert_held(&damon_sysfs_lock);
	tried->total_bytes = bytes;
}

/**
 * damon_sysfs_tried_set_regions() - Show a new set of tried regions.
 * @tried:	The directory; called with damon_sysfs_lock held.
 * @regions:	The regions, in the order the scheme tried them.
 * @nr:		How many; 0 removes every region directory.
 *
 * Directories that exist already show their new region; missing ones are
 * made; the others are moved aside for damon_sysfs_schemes_reap().
 *
 * Return: 0, or -ENOMEM (or the error of making a directory), in which
 * case only some of the regions are shown.
 */
int damon_sysfs_tried_set_regions(struct damon_sysfs_tried *tried,
				  const struct damon_sysfs_tried_region *regions,
				  unsigned int nr)
{
	struct damon_sysfs_tried_dir **dirs;
	struct damon_sysfs_tried_dir *dir;
	unsigned int i;
	int err;

	lockdep_assert_held(&damon_sysfs_lock);
	damon_sysfs_tried_shrink(tried, nr);
	for (i = 0; i < tried->nr; i++)
		tried->dirs[i]->region = regions[i];
	if (nr <= tried->nr)
		return 0;
	dirs = krealloc_array(tried->dirs, nr, sizeof(*dirs), GFP_KERNEL);
	if (!dirs)
		return -ENOMEM;
	tried->dirs = dirs;
	for (i = tried->nr; i < nr; i++) {
		char name[12];

		dir = kzalloc(sizeof(*dir), GFP_KERNEL);
		if (!dir)
			return -ENOMEM;
		dir->region = regions[i];
		INIT_LIST_HEAD(&dir->gone);
		snprintf(name, sizeof(name), "%u", i);
		err = damon_sysfs_kobj_add(&dir->kobj,
					   &damon_sysfs_tried_dir_ktype,
					   &tried->kobj, name);
		if (err)
			return err;
		tried->dirs[tried->nr++] = dir;
	}
	return 0;
}
