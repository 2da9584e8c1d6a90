/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON sysfs interface: schemes/<N>/tried_regions/ (sysfs-tried.c).
 */

#ifndef _MM_DAMON_SYSFS_TRIED_H
#define _MM_DAMON_SYSFS_TRIED_H

#include "sysfs-common.h"

/**
 * struct damon_sysfs_tried_region - What a tried region directory shows.
 * @start:		The first address of the region.
 * @end:		The first address past it.
 * @nr_accesses:	The access frequency the scheme saw in it.
 * @age:		Its age.
 */
struct damon_sysfs_tried_region {
	unsigned long start;
	unsigned long end;
	unsigned long nr_accesses;
	unsigned long age;
};

struct damon_sysfs_tried;

struct damon_sysfs_tried *damon_sysfs_tried_add(struct kobject *parent);
void damon_sysfs_tried_del(struct damon_sysfs_tried *tried);
void damon_sysfs_tried_set_bytes(struct damon_sysfs_tried *tried,
				 unsigned long bytes);
int damon_sysfs_tried_set_regions(struct damon_sysfs_tried *tried,
				  const struct damon_sysfs_tried_region *regions,
				  unsigned int nr);

#endif	/* _MM_DAMON_SYSFS_TRIED_H */
