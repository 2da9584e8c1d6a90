/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of DAMON's sysfs interface, shared by its files, each of which
 * uses only those listed below it:
 *
 *   sysfs.c		the root directories, module init and exit
 *   sysfs-kdamond.c	kdamonds/ and kdamonds/<N>/: state, pid, commands
 *   sysfs-build.c	building a DAMON context from a kdamond's directory
 *   sysfs-context.c	contexts/ and contexts/<N>/: operations, attributes
 *   sysfs-reports.c	contexts/<N>/report_filters/
 *   sysfs-target.c	targets/, targets/<N>/, regions/ and regions/<N>/
 *   sysfs-schemes-cmd.c the DAMOS commands of the state file
 *   sysfs-schemes.c	schemes/ and schemes/<N>/
 *   sysfs-goals-filters.c quotas/goals/ and filters/ of a scheme
 *   sysfs-tried.c	tried_regions/ of a scheme
 *   sysfs-common.c	the lock, value parsing, plain and numbered directories
 *
 * Locking: damon_sysfs_lock protects every value and every list of
 * directories of the tree, and the contexts the kdamond directories own.
 * Kdamonds never take it: they know nothing of the tree, only of their own
 * DAMON context.  Directories are removed in two steps: under the lock
 * they leave the tree and are marked dead, so that no command reaches them
 * any more; then, without the lock, their kobjects go.  Removing a kobject
 * waits for the reads and writes of its files in progress, which may wait
 * for the lock, so the lock must not be held there.
 */

#ifndef _MM_DAMON_SYSFS_COMMON_H
#define _MM_DAMON_SYSFS_COMMON_H

#include <linux/damon.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

/*
 * The longest value a file takes, newline included; longer writes fail
 * with -E2BIG.  No number or keyword is that long, and without a limit a
 * write longer than a page would reach the file in page-sized pieces.
 */
#define DAMON_SYSFS_MAX_INPUT		64

/* The most directories a numbered directory may hold. */
#define DAMON_SYSFS_MAX_KDAMONDS	256
#define DAMON_SYSFS_MAX_CONTEXTS	1
#define DAMON_SYSFS_MAX_TARGETS		1024
#define DAMON_SYSFS_MAX_REGIONS		4096

extern struct mutex damon_sysfs_lock;
extern const struct sysfs_ops damon_sysfs_ops;

/* Values (sysfs-common.c) */
int damon_sysfs_parse_ulong(const char *buf, unsigned long min,
			    unsigned long max, unsigned long *val);
int damon_sysfs_parse_bool(const char *buf, bool *val);
ssize_t damon_sysfs_show_ulong(char *buf, const unsigned long *val);
ssize_t damon_sysfs_store_ulong(const char *buf, size_t count,
				unsigned long *val, unsigned long min,
				unsigned long max);

struct damon_sysfs_list;

int damon_sysfs_kobj_add(struct kobject *kobj, const struct kobj_type *ktype,
			 struct kobject *parent, const char *name);
int damon_sysfs_child_add(struct kobject *kobj, const struct kobj_type *ktype,
			  struct damon_sysfs_list *list, unsigned int idx);
void damon_sysfs_kobj_del(struct kobject *kobj);

/**
 * struct damon_sysfs_dir - A directory of files that show another object.
 * @kobj:	The directory.
 * @owner:	The object whose values its files show and set; it outlives
 *		the directory.
 */
struct damon_sysfs_dir {
	struct kobject kobj;
	void *owner;
};

struct damon_sysfs_dir *damon_sysfs_dir_add(struct kobject *parent,
					    const char *name,
					    const struct kobj_type *ktype,
					    void *owner);
void damon_sysfs_dir_del(struct damon_sysfs_dir *dir);
void damon_sysfs_dir_release(struct kobject *kobj);
extern const struct kobj_type damon_sysfs_empty_ktype;

/* The owner of a &struct damon_sysfs_dir, from the kobject of a file. */
static inline void *damon_sysfs_owner(struct kobject *kobj)
{
	return container_of(kobj, struct damon_sysfs_dir, kobj)->owner;
}

/**
 * struct damon_sysfs_list_type - A kind of numbered directory.
 * @ktype:	The directory's type; its one file is nr_<children>, with
 *		damon_sysfs_nr_show() and damon_sysfs_nr_store().
 * @max:	The most children; larger numbers fail with -ERANGE.
 * @resize_lock: Serialises changes of the number of children of every
 *		directory of this kind, including the removal of kobjects,
 *		so that a new child never meets the kobject of an old one of
 *		the same name.  One per kind: a kind nests only in others.
 * @may_resize:	Optional; under damon_sysfs_lock, whether the number of
 *		children may become @nr (0 or an errno).
 * @add_child:	Under damon_sysfs_lock, make and add child @idx, with its
 *		own subdirectories, and store its kobject in @child.  On
 *		error, @child is NULL or a child that is missing some of its
 *		subdirectories; it then gets killed and deleted like any.
 * @kill_child:	Optional; under damon_sysfs_lock, mark a child and its
 *		subdirectories dead (see damon_sysfs_list_kill()).
 * @del_child:	Without damon_sysfs_lock, remove a dead child and its
 *		subdirectories, and drop the reference the list holds on it.
 */
struct damon_sysfs_list_type {
	const struct kobj_type ktype;
	unsigned int max;
	struct mutex *resize_lock;	/* see above */
	int (*may_resize)(struct damon_sysfs_list *list, unsigned int nr);
	int (*add_child)(struct damon_sysfs_list *list, unsigned int idx,
			 struct kobject **child);
	void (*kill_child)(struct kobject *child);
	void (*del_child)(struct kobject *child);
};

/**
 * struct damon_sysfs_list - A directory of numbered directories.
 * @kobj:	The directory.
 * @type:	Its kind.
 * @owner:	The object the directory belongs to, for @type's functions.
 * @children:	The kobjects of its children, named by their index.
 * @nr:		How many children it has.
 * @dead:	Left the tree: it may no longer change.
 */
struct damon_sysfs_list {
	struct kobject kobj;
	const struct damon_sysfs_list_type *type;
	void *owner;
	struct kobject **children;
	unsigned int nr;
	bool dead;
};

struct damon_sysfs_list *
damon_sysfs_list_add(struct kobject *parent, const char *name,
		     const struct damon_sysfs_list_type *type, void *owner);
void damon_sysfs_list_release(struct kobject *kobj);
void damon_sysfs_list_kill(struct damon_sysfs_list *list);
void damon_sysfs_list_del(struct damon_sysfs_list *list);
ssize_t damon_sysfs_nr_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf);
ssize_t damon_sysfs_nr_store(struct kobject *kobj,
			     struct kobj_attribute *attr, const char *buf,
			     size_t count);

/* The nr_<children> file of a kind of numbered directory. */
#define DAMON_SYSFS_NR_FILE(_name)	\
	__ATTR(_name, 0600, damon_sysfs_nr_show, damon_sysfs_nr_store)

/* The child @idx of a list, as the type that embeds its kobject. */
#define damon_sysfs_child(list, idx, type, member)	\
	container_of((list)->children[idx], type, member)

/**
 * struct damon_sysfs_region - regions/<N>/.
 * @kobj:	The directory.
 * @ar:		The values of its start and end files.
 */
struct damon_sysfs_region {
	struct kobject kobj;
	struct damon_addr_range ar;
};

/**
 * struct damon_sysfs_target - targets/<N>/.
 * @kobj:	The directory.
 * @pid:	The value of pid_target.
 * @regions:	Its regions/ directory.
 */
struct damon_sysfs_target {
	struct kobject kobj;
	unsigned long pid;
	struct damon_sysfs_list *regions;
};

struct damon_sysfs_kdamond;
struct damon_sysfs_schemes;

/**
 * struct damon_sysfs_context - contexts/<N>/.
 * @kobj:	The directory.
 * @kdamond:	The kdamond directory it belongs to.
 * @ops:	The value of operations.
 * @attrs:	The values of the files under monitoring_attrs/.
 * @attrs_dir:	monitoring_attrs/.
 * @intervals:	monitoring_attrs/intervals/.
 * @nr_regions:	monitoring_attrs/nr_regions/.
 * @targets:	targets/.
 * @schemes:	schemes/ (sysfs-schemes.c).
 * @filter:	The values of the files under report_filters/.
 * @report_filters: report_filters/ (sysfs-reports.c).
 */
struct damon_sysfs_context {
	struct kobject kobj;
	struct damon_sysfs_kdamond *kdamond;
	enum damon_ops_id ops;
	struct damon_attrs attrs;
	struct damon_sysfs_dir *attrs_dir;
	struct damon_sysfs_dir *intervals;
	struct damon_sysfs_dir *nr_regions;
	struct damon_sysfs_list *targets;
	struct damon_sysfs_schemes *schemes;
	struct damon_report_filter filter;
	struct damon_sysfs_dir *report_filters;
};

/**
 * struct damon_sysfs_kdamond - kdamonds/<N>/.
 * @kobj:	The directory.
 * @contexts:	Its contexts/ directory.
 * @ctx:	The DAMON context it last started, or NULL.  It owns it, and
 *		frees it when starting another one or when it goes.
 * @dead:	Left the tree: it may no longer start a kdamond.
 */
struct damon_sysfs_kdamond {
	struct kobject kobj;
	struct damon_sysfs_list *contexts;
	struct damon_ctx *ctx;
	bool dead;
};

/**
 * damon_sysfs_kdamond_running() - Whether a kdamond directory's kdamond runs.
 * @kdamond:	The directory.
 *
 * A kdamond may stop by itself, when its targets are gone, but never start
 * without damon_sysfs_lock, which the caller holds.
 *
 * Return: true if the context that @kdamond started is running.
 */
static inline bool
damon_sysfs_kdamond_running(struct damon_sysfs_kdamond *kdamond)
{
	lockdep_assert_held(&damon_sysfs_lock);
	return kdamond->ctx && damon_is_running(kdamond->ctx);
}

/* kdamonds/ (sysfs-kdamond.c) */
struct damon_sysfs_list *damon_sysfs_kdamonds_add(struct kobject *parent);
void damon_sysfs_kdamonds_del(struct damon_sysfs_list *kdamonds);

/* contexts/ (sysfs-context.c) */
extern const struct damon_sysfs_list_type damon_sysfs_contexts_type;

/**
 * struct damon_sysfs_ops - What the interface knows of an operations set.
 * @name:		Its name in avail_operations and operations.
 * @needs_pid:		Its targets are processes, named by pid_target.
 * @needs_regions:	Its targets need regions: it cannot find what to
 *			monitor by itself.
 */
struct damon_sysfs_ops {
	const char *name;
	bool needs_pid;
	bool needs_regions;
};

const struct damon_sysfs_ops *damon_sysfs_ops_of(enum damon_ops_id id);

/* report_filters/ (sysfs-reports.c) */
struct damon_sysfs_dir *
damon_sysfs_report_filters_add(struct damon_sysfs_context *context);

/* targets/ (sysfs-target.c) */
extern const struct damon_sysfs_list_type damon_sysfs_targets_type;

/* Building a DAMON context from a kdamond's tree (sysfs-build.c) */
struct damon_ctx *damon_sysfs_build_ctx(struct damon_sysfs_kdamond *kdamond);

/* schemes/ and the DAMOS commands (sysfs-schemes.c) */
struct damon_sysfs_schemes *damon_sysfs_schemes_add(struct kobject *parent);
void damon_sysfs_schemes_kill(struct damon_sysfs_schemes *schemes);
void damon_sysfs_schemes_del(struct damon_sysfs_schemes *schemes);
int damon_sysfs_schemes_build(struct damon_sysfs_schemes *schemes,
			      struct damon_ctx *ctx);
int damon_sysfs_schemes_cmd(struct damon_sysfs_kdamond *kdamond,
			    const char *cmd);
void damon_sysfs_schemes_reap(void);

#endif	/* _MM_DAMON_SYSFS_COMMON_H */
