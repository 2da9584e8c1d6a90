// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS actions of the vaddr and fvaddr operations sets: madvise() on the
 * target process, from the kdamond, as process_madvise() would do it.
 *
 * An action covers the whole region.  A region may span small holes
 * between mappings (vaddr keeps them inside its ranges); madvise() then
 * acts on the mapped parts and reports -ENOMEM, which still counts as the
 * region done.
 */

#include <linux/mm.h>
#include <linux/mman.h>

#include "core_internal.h"
#include "vaddr-schemes.h"

/* The madvise() advice for @action, or -1 if there is none. */
static int damon_va_advice(enum damos_action action)
{
	switch (action) {
	case DAMOS_WILLNEED:
		return MADV_WILLNEED;
	case DAMOS_COLD:
		return MADV_COLD;
	case DAMOS_PAGEOUT:
		return MADV_PAGEOUT;
	case DAMOS_HUGEPAGE:
		return MADV_HUGEPAGE;
	case DAMOS_NOHUGEPAGE:
		return MADV_NOHUGEPAGE;
	default:
		return -1;
	}
}

/**
 * damon_va_apply_scheme() - Apply a scheme's action to a virtual region.
 * @mm:		The address space of the region's target, referenced.
 * @r:		The region.
 * @s:		The scheme.
 *
 * What the &damon_operations->apply_scheme of vaddr and fvaddr does once
 * it has the target's address space.
 *
 * Return: the size of @r if the advice was taken, 0 otherwise.
 */
unsigned long damon_va_apply_scheme(struct mm_struct *mm,
				    struct damon_region *r, struct damos *s)
{
	int advice = damon_va_advice(s->action);
	int err;

	/* Without the syscalls there is no do_madvise() to call. */
	if (!IS_ENABLED(CONFIG_ADVISE_SYSCALLS) || advice < 0)
		return 0;
	err = do_madvise(mm, r->ar.start, damon_sz_region(r), advice);
	if (err && err != -ENOMEM)
		return 0;
	return damon_sz_region(r);
}
