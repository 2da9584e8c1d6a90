/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the vaddr and fvaddr operations sets' monitoring (vaddr.c) and
 * their DAMOS actions (vaddr-schemes.c) share.
 */

#ifndef _MM_DAMON_VADDR_H
#define _MM_DAMON_VADDR_H

#include <linux/damon.h>

struct mm_struct;

/*
 * The actions of vaddr and fvaddr: madvise() on the target process.  The
 * huge page advice needs transparent huge pages.
 */
#define DAMON_VA_DAMOS_ACTIONS						\
	(BIT(DAMOS_WILLNEED) | BIT(DAMOS_COLD) | BIT(DAMOS_PAGEOUT) |	\
	 BIT(DAMOS_STAT) |						\
	 (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ?			\
	  BIT(DAMOS_HUGEPAGE) | BIT(DAMOS_NOHUGEPAGE) : 0))

struct mm_struct *damon_va_get_mm(struct damon_target *t);
unsigned long damon_va_apply_scheme(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s);

#endif	/* _MM_DAMON_VADDR_H */
