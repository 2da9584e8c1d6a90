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
#include <linux/sched/mm.h>

#include "core_internal.h"
#include "vaddr.h"

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
 * @ctx:	The context.
 * @t:		The target, whose process's address space is advised.
 * @r:		The region.
 * @s:		The scheme.
 *
 * The &damon_operations->apply_scheme of vaddr and fvaddr.
 *
 * Return: the size of @r if the advice was taken, 0 otherwise (the
 * process has exited, or the advice failed).
 */
unsigned long damon_va_apply_scheme(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s)
{
	int advice = damon_va_advice(s->action);
	struct mm_struct *mm;
	int err;

	if (advice < 0)
		return 0;
	mm = damon_va_get_mm(t);
	if (!mm)
		return 0;
	err = do_madvise(mm, r->ar.start, damon_sz_region(r), advice);
	mmput(mm);
	if (err && err != -ENOMEM)
		return 0;
	return damon_sz_region(r);
}
