/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON sysfs interface: the directories of a scheme (sysfs-schemes.c),
 * for the state file's commands (sysfs-schemes-cmd.c).
 */

#ifndef _MM_DAMON_SYSFS_SCHEMES_H
#define _MM_DAMON_SYSFS_SCHEMES_H

#include "sysfs-common.h"
#include "sysfs-tried.h"

/**
 * struct damon_sysfs_scheme - schemes/<N>/ and the values of its files.
 * @dir:		The directory; its owner is the scheme itself, so
 *			that its files and those of its plain
 *			subdirectories find their values alike.
 * @action:		action, as an &enum damos_action.
 * @target_nid:		target_nid.
 * @apply_interval_us:	apply_interval_us.
 * @pattern:		The min and max files of access_pattern/.
 * @quota_ms:		quotas/ms.
 * @quota_bytes:	quotas/bytes.
 * @quota_reset_ms:	quotas/reset_interval_ms.
 * @effective_bytes:	quotas/effective_bytes, as the last command left it.
 * @weight_sz:		quotas/weights/sz_permil.
 * @weight_nr_accesses:	quotas/weights/nr_accesses_permil.
 * @weight_age:		quotas/weights/age_permil.
 * @wmark_metric:	watermarks/metric, as an &enum damos_wmark_metric.
 * @wmark_interval_us:	watermarks/interval_us.
 * @wmark_high:		watermarks/high.
 * @wmark_mid:		watermarks/mid.
 * @wmark_low:		watermarks/low.
 * @stat:		The files of stats/, as the last command left them.
 * @subdirs:		The plain subdirectories, to remove them.
 * @goals:		quotas/goals/.
 * @filters:		filters/.
 * @tried:		tried_regions/.
 */
struct damon_sysfs_scheme {
	struct damon_sysfs_dir dir;
	unsigned long action;
	long target_nid;
	unsigned long apply_interval_us;
	struct damos_pattern pattern;
	unsigned long quota_ms;
	unsigned long quota_bytes;
	unsigned long quota_reset_ms;
	unsigned long effective_bytes;
	unsigned long weight_sz;
	unsigned long weight_nr_accesses;
	unsigned long weight_age;
	unsigned long wmark_metric;
	unsigned long wmark_interval_us;
	unsigned long wmark_high;
	unsigned long wmark_mid;
	unsigned long wmark_low;
	struct damos_stat stat;
	struct damon_sysfs_dir *subdirs[8];
	struct damon_sysfs_list *goals;
	struct damon_sysfs_list *filters;
	struct damon_sysfs_tried *tried;
};

/**
 * struct damon_sysfs_schemes - schemes/ of a context.
 * @list:	The numbered directory of &struct damon_sysfs_scheme.
 */
struct damon_sysfs_schemes {
	struct damon_sysfs_list *list;
};

/* The @idx-th scheme directory of @schemes. */
static inline struct damon_sysfs_scheme *
damon_sysfs_scheme_at(struct damon_sysfs_schemes *schemes, unsigned int idx)
{
	return damon_sysfs_child(schemes->list, idx, struct damon_sysfs_scheme,
				 dir.kobj);
}

#endif	/* _MM_DAMON_SYSFS_SCHEMES_H */
