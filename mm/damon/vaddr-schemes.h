/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DAMOS actions of the vaddr and fvaddr operations sets
 * (vaddr-schemes.c), which vaddr.c plugs into its operations.
 */

#ifndef _MM_DAMON_VADDR_SCHEMES_H
#define _MM_DAMON_VADDR_SCHEMES_H

#include <linux/damon.h>

struct mm_struct;

/*
 * The actions of vaddr and fvaddr: madvise() on the target process, which
 * a kernel without the madvise syscalls (CONFIG_ADVISE_SYSCALLS, an
 * EXPERT option) lacks; only stat is left there.  The huge page advice
 * needs transparent huge pages.
 */
#define DAMON_VA_MADVISE_ACTIONS					\
	(BIT(DAMOS_WILLNEED) | BIT(DAMOS_COLD) | BIT(DAMOS_PAGEOUT) |	\
	 (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) ?			\
	  BIT(DAMOS_HUGEPAGE) | BIT(DAMOS_NOHUGEPAGE) : 0))
#define DAMON_VA_DAMOS_ACTIONS						\
	(BIT(DAMOS_STAT) |						\
	 (IS_ENABLED(CONFIG_ADVISE_SYSCALLS) ? DAMON_VA_MADVISE_ACTIONS : 0))

unsigned long damon_va_apply_scheme(struct mm_struct *mm,
				    struct damon_region *r, struct damos *s);

#endif	/* _MM_DAMON_VADDR_SCHEMES_H */
