/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMON sysfs interface: the quota goals and the filters of a scheme
 * (sysfs-goals-filters.c).
 */

#ifndef _MM_DAMON_SYSFS_GOALS_FILTERS_H
#define _MM_DAMON_SYSFS_GOALS_FILTERS_H

#include "sysfs-common.h"

extern const struct damon_sysfs_list_type damon_sysfs_goals_type;
extern const struct damon_sysfs_list_type damon_sysfs_filters_type;

ssize_t damon_sysfs_word_show(char *buf, const unsigned long *val,
			      const char * const *words);
ssize_t damon_sysfs_word_store(const char *buf, size_t count,
			       unsigned long *val, const char * const *words,
			       unsigned int nr);

int damon_sysfs_goals_build(struct damon_sysfs_list *goals, struct damos *s);
int damon_sysfs_filters_build(struct damon_sysfs_list *filters,
			      struct damos *s);

#endif	/* _MM_DAMON_SYSFS_GOALS_FILTERS_H */
