/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS actions of the paddr operations set (paddr-schemes.c), which
 * paddr.c plugs into its operations.
 */

#ifndef _MM_DAMON_PADDR_SCHEMES_H
#define _MM_DAMON_PADDR_SCHEMES_H

#include <linux/damon.h>

/*
 * The actions and page filters of paddr.  Migration needs page migration
 * built in.
 */
#define DAMON_PA_DAMOS_ACTIONS						\
	(BIT(DAMOS_PAGEOUT) | BIT(DAMOS_LRU_PRIO) |			\
	 BIT(DAMOS_LRU_DEPRIO) | BIT(DAMOS_STAT) |			\
	 (IS_ENABLED(CONFIG_MIGRATION) ?				\
	  BIT(DAMOS_MIGRATE_HOT) | BIT(DAMOS_MIGRATE_COLD) : 0))
#define DAMON_PA_DAMOS_FILTERS						\
	(BIT(DAMOS_FILTER_ANON) | BIT(DAMOS_FILTER_MEMCG) |		\
	 BIT(DAMOS_FILTER_YOUNG))

unsigned long damon_pa_apply_scheme(struct damon_region *r, struct damos *s,
				    bool (*young)(unsigned long paddr));

#endif	/* _MM_DAMON_PADDR_SCHEMES_H */
