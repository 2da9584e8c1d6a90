// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON operations sets for virtual address spaces of processes.
 *
 * vaddr covers what a process has mapped.  A process's mappings are spread
 * over a huge address space with two huge holes: between the heap and the
 * mmap area, and between the mmap area and the stack.  Monitoring those
 * holes would waste regions, so the target is the span of the mappings
 * without its two largest gaps: at most three ranges, recomputed every
 * operations update interval and applied to the existing regions, which
 * keep their access information where they still overlap.
 *
 * fvaddr covers fixed ranges given by the user and never changes them.
 *
 * Both check an address per region through a page table walk: its PTE's
 * Accessed bit, the PMD's for a transparent huge page, or the hugetlb
 * entry's for a hugetlb page, is cleared at the start of a sampling
 * interval and tested at the end (see ops-common.c).
 */

#define pr_fmt(fmt) "damon-vaddr: " fmt

#include <linux/hugetlb.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pagewalk.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/swap.h>

#include "core_internal.h"
#include "ops-common.h"
#include "vaddr-schemes.h"

/* The address layout of a process */

/**
 * damon_va_layout_init() - Start describing an address space.
 * @layout:	The description to reset.
 */
void damon_va_layout_init(struct damon_va_layout *layout)
{
	*layout = (struct damon_va_layout){};
}

/* Keep @gap if it is one of the two largest gaps seen so far. */
static void damon_va_layout_keep_gap(struct damon_va_layout *layout,
				     unsigned long start, unsigned long end)
{
	struct damon_addr_range gap = { .start = start, .end = end };
	unsigned long sz = end - start;
	struct damon_addr_range *g = layout->gaps;

	/* On a tie the earlier gap stays, so results are reproducible. */
	if (sz > g[0].end - g[0].start) {
		g[1] = g[0];
		g[0] = gap;
	} else if (sz > g[1].end - g[1].start) {
		g[1] = gap;
	}
}

/**
 * damon_va_layout_add() - Add a mapping to the description of an address
 *			   space.
 * @layout:	The description.
 * @start:	The first address of the mapping.
 * @end:	The first address past the mapping.
 *
 * Mappings must be added in address order.  An empty mapping, or the part
 * of one that overlaps what was added before, is ignored.
 */
void damon_va_layout_add(struct damon_va_layout *layout, unsigned long start,
			 unsigned long end)
{
	if (layout->nr_vmas)
		start = max(start, layout->end);
	if (start >= end)
		return;
	if (!layout->nr_vmas)
		layout->start = start;
	else if (start > layout->end)
		damon_va_layout_keep_gap(layout, layout->end, start);
	layout->end = end;
	layout->nr_vmas++;
}

/**
 * damon_va_layout_ranges() - The ranges worth monitoring in an address space.
 * @layout:	The description of the address space.
 * @ranges:	Array of three ranges that receives the result.
 *
 * The span from the first mapping to the end of the last one, without the
 * two largest gaps between mappings.  Smaller gaps stay inside the ranges:
 * they are cheap to monitor, and not cutting them keeps the number of
 * ranges, and so the minimum number of regions, at three.
 *
 * Return: the number of ranges written, in address order: 0 without any
 * mapping, 1 or 2 when there are fewer than two gaps, 3 otherwise.
 */
unsigned int damon_va_layout_ranges(const struct damon_va_layout *layout,
				    struct damon_addr_range *ranges)
{
	struct damon_addr_range gaps[2];
	unsigned int nr_gaps = 0, i;
	unsigned long start;

	if (!layout->nr_vmas)
		return 0;
	for (i = 0; i < 2; i++) {
		if (layout->gaps[i].end > layout->gaps[i].start)
			gaps[nr_gaps++] = layout->gaps[i];
	}
	if (nr_gaps == 2 && gaps[0].start > gaps[1].start)
		swap(gaps[0], gaps[1]);

	start = layout->start;
	for (i = 0; i < nr_gaps; i++) {
		ranges[i].start = start;
		ranges[i].end = gaps[i].start;
		start = gaps[i].end;
	}
	ranges[nr_gaps].start = start;
	ranges[nr_gaps].end = layout->end;
	return nr_gaps + 1;
}

/**
 * damon_va_ranges_of_vmas() - The ranges worth monitoring for given mappings.
 * @vmas:	The mappings, in address order.
 * @nr_vmas:	How many mappings @vmas holds.
 * @ranges:	Array of three ranges that receives the result.
 *
 * What damon_va_layout_ranges() computes for an address space holding
 * @vmas; lets the layout logic be tested without a process.
 *
 * Return: the number of ranges written.
 */
unsigned int damon_va_ranges_of_vmas(const struct damon_addr_range *vmas,
				     unsigned int nr_vmas,
				     struct damon_addr_range *ranges)
{
	struct damon_va_layout layout;
	unsigned int i;

	damon_va_layout_init(&layout);
	for (i = 0; i < nr_vmas; i++)
		damon_va_layout_add(&layout, vmas[i].start, vmas[i].end);
	return damon_va_layout_ranges(&layout, ranges);
}

/*
 * The address space of a target, with a reference (mmput()), or NULL.  It
 * is taken from any thread of the process that still has it: the thread
 * the pid names (usually the leader) may have exited while others run on.
 */
static struct mm_struct *damon_va_get_mm(struct damon_target *t)
{
	struct task_struct *task, *thread;
	struct mm_struct *mm = NULL;

	if (!t->pid)
		return NULL;
	rcu_read_lock();
	task = pid_task(t->pid, PIDTYPE_PID);
	if (task) {
		for_each_thread(task, thread) {
			mm = get_task_mm(thread);
			if (mm)
				break;
		}
	}
	rcu_read_unlock();
	return mm;
}

/* Compute the ranges of @mm worth monitoring; see damon_va_layout_ranges(). */
static unsigned int damon_va_ranges_of_mm(struct mm_struct *mm,
					  struct damon_addr_range *ranges)
{
	struct damon_va_layout layout;
	struct vm_area_struct *vma;
	struct vma_iterator vmi;

	damon_va_layout_init(&layout);
	vma_iter_init(&vmi, mm, 0);
	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		damon_va_layout_add(&layout, vma->vm_start, vma->vm_end);
	mmap_read_unlock(mm);
	return damon_va_layout_ranges(&layout, ranges);
}

/* Make @t cover the mappings of its process, keeping what regions know. */
static void damon_va_follow_mappings(struct damon_target *t)
{
	struct damon_addr_range ranges[3];
	struct mm_struct *mm = damon_va_get_mm(t);
	unsigned int nr;
	int err;

	if (!mm)
		return;
	nr = damon_va_ranges_of_mm(mm, ranges);
	mmput(mm);
	/* An address space being torn down keeps its last known regions. */
	if (!nr)
		return;
	err = damon_set_regions(t, ranges, nr);
	if (err)
		pr_debug("cannot update regions of target %lu: %d\n", t->id,
			 err);
}

/* Operations callbacks */

/* The private data of the context: the pending TLB flushes. */
static void damon_va_init_batch(struct damon_ctx *ctx)
{
	/* A NULL batch works too, flushing at once. */
	ctx->ops_private = damon_tlb_batch_alloc();
}

static void damon_va_init(struct damon_ctx *ctx)
{
	struct damon_target *t;

	damon_va_init_batch(ctx);
	/* Regions the user set up (debugfs init_regions) are kept. */
	damon_for_each_target(t, ctx) {
		if (!damon_nr_regions(t))
			damon_va_follow_mappings(t);
	}
}

static void damon_va_update(struct damon_ctx *ctx)
{
	struct damon_target *t;

	damon_for_each_target(t, ctx)
		damon_va_follow_mappings(t);
}

static void damon_va_cleanup(struct damon_ctx *ctx)
{
	damon_tlb_batch_free(ctx->ops_private);
	ctx->ops_private = NULL;
}

/**
 * struct damon_va_walk - What a page table walk of one address reports.
 * @batch:	Where mkold walks queue TLB flushes.
 * @young:	Whether young walks found the address accessed.
 */
struct damon_va_walk {
	struct damon_tlb_batch *batch;
	bool young;
};

/*
 * Decide how a walk goes on at @pmd.  If @pmd maps a transparent huge page,
 * return its lock, held, for the caller to handle the page; otherwise return
 * NULL with walk->action saying whether to descend to the PTEs.  Descending
 * at a huge PMD would make the walker split it.
 */
static spinlock_t *damon_va_lock_huge_pmd(pmd_t *pmd, struct mm_walk *walk)
{
	pmd_t pmde = pmdp_get_lockless(pmd);
	spinlock_t *ptl;	/* The PMD's page table lock. */

	if (!pmd_present(pmde)) {
		/* Under migration or swapped out: nothing mapped to sample. */
		walk->action = ACTION_CONTINUE;
		return NULL;
	}
	if (!pmd_leaf(pmde))
		return NULL;

	ptl = pmd_lock(walk->mm, pmd);
	pmde = pmdp_get(pmd);
	if (pmd_present(pmde) && pmd_trans_huge(pmde)) {
		walk->action = ACTION_CONTINUE;
		return ptl;
	}
	spin_unlock(ptl);
	/* Split meanwhile: look again.  Other leaves (DAX) are skipped. */
	if (pmd_present(pmde) && !pmd_leaf(pmde))
		walk->action = ACTION_AGAIN;
	else
		walk->action = ACTION_CONTINUE;
	return NULL;
}

static int damon_va_mkold_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	spinlock_t *ptl = damon_va_lock_huge_pmd(pmd, walk);
	struct folio *folio;
	bool young;

	if (!ptl)
		return 0;
	young = damon_pmdp_mkold(pmd, walk->vma, addr, w->batch);
	folio = damon_get_folio(pmd_pfn(pmdp_get(pmd)));
	if (folio) {
		damon_folio_mkold(folio, young);
		folio_put(folio);
	}
	spin_unlock(ptl);
	return 0;
}

static int damon_va_mkold_pte(pte_t *pte, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	pte_t ptent = ptep_get(pte);
	struct folio *folio;
	bool young;

	if (!pte_present(ptent))
		return 0;
	young = damon_ptep_mkold(pte, walk->vma, addr, w->batch);
	folio = damon_get_folio(pte_pfn(ptent));
	if (folio) {
		damon_folio_mkold(folio, young);
		folio_put(folio);
	}
	return 0;
}

#ifdef CONFIG_HUGETLB_PAGE
/*
 * hugetlb pages are never on an LRU list: their entry's Accessed bit is all
 * there is to sample, and no page flag needs to be kept in step.
 */
static int damon_va_mkold_hugetlb(pte_t *pte, unsigned long hmask,
				  unsigned long addr, unsigned long end,
				  struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl = huge_pte_lock(h, walk->mm, pte);

	damon_hugetlb_mkold(pte, walk->vma, addr & hmask, huge_page_size(h),
			    w->batch);
	spin_unlock(ptl);
	return 0;
}

static int damon_va_young_hugetlb(pte_t *pte, unsigned long hmask,
				  unsigned long addr, unsigned long end,
				  struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl = huge_pte_lock(h, walk->mm, pte);

	w->young = damon_hugetlb_young(pte, walk->vma, addr & hmask,
				       huge_page_size(h));
	spin_unlock(ptl);
	return 0;
}
#else
#define damon_va_mkold_hugetlb	NULL
#define damon_va_young_hugetlb	NULL
#endif

static const struct mm_walk_ops damon_va_mkold_ops = {
	.pmd_entry = damon_va_mkold_pmd,
	.pte_entry = damon_va_mkold_pte,
	.hugetlb_entry = damon_va_mkold_hugetlb,
	.walk_lock = PGWALK_RDLOCK,
};

static int damon_va_young_pmd(pmd_t *pmd, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	spinlock_t *ptl = damon_va_lock_huge_pmd(pmd, walk);
	struct folio *folio;

	if (!ptl)
		return 0;
	w->young = damon_pmdp_young(pmd, walk->vma, addr);
	if (!w->young) {
		folio = damon_get_folio(pmd_pfn(pmdp_get(pmd)));
		if (folio) {
			w->young = damon_folio_used(folio);
			folio_put(folio);
		}
	}
	spin_unlock(ptl);
	return 0;
}

static int damon_va_young_pte(pte_t *pte, unsigned long addr,
			      unsigned long next, struct mm_walk *walk)
{
	struct damon_va_walk *w = walk->private;
	pte_t ptent = ptep_get(pte);
	struct folio *folio;

	if (!pte_present(ptent))
		return 0;
	w->young = damon_ptep_young(pte, walk->vma, addr);
	if (!w->young) {
		folio = damon_get_folio(pte_pfn(ptent));
		if (folio) {
			w->young = damon_folio_used(folio);
			folio_put(folio);
		}
	}
	return 0;
}

static const struct mm_walk_ops damon_va_young_ops = {
	.pmd_entry = damon_va_young_pmd,
	.pte_entry = damon_va_young_pte,
	.hugetlb_entry = damon_va_young_hugetlb,
	.walk_lock = PGWALK_RDLOCK,
};

/*
 * Walk the page tables of @mm at the page holding @addr.  *@vma keeps the
 * VMA of the walk before: a target's regions come in address order and the
 * sampled addresses of many fall in one VMA, so that most walks need no VMA
 * lookup.  It is valid only while the mmap lock stays held.
 */
static void damon_va_walk_addr(struct mm_struct *mm,
			       struct vm_area_struct **vma, unsigned long addr,
			       const struct mm_walk_ops *ops,
			       struct damon_va_walk *w)
{
	struct vm_area_struct *v = *vma;

	addr &= PAGE_MASK;
	if (!v || addr < v->vm_start || addr >= v->vm_end) {
		v = vma_lookup(mm, addr);
		*vma = v;
		if (!v)
			return;
	}
	/* No struct pages behind these: walk_page_range() skips them too. */
	if (v->vm_flags & VM_PFNMAP)
		return;
	walk_page_range_vma(v, addr, addr + PAGE_SIZE, ops, w);
}

/*
 * Let others take the mmap lock, and the CPU, between regions: a target can
 * have many regions, and mmap() or munmap() of the workload would stall.
 * The VMA kept in *@vma goes when the lock is dropped.
 */
static void damon_va_relax(struct mm_struct *mm, struct vm_area_struct **vma)
{
	if (!need_resched() && !mmap_lock_is_contended(mm))
		return;
	mmap_read_unlock(mm);
	*vma = NULL;
	cond_resched();
	mmap_read_lock(mm);
}

static void damon_va_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_va_walk w = { .batch = ctx->ops_private };
	struct vm_area_struct *vma;
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		struct mm_struct *mm = damon_va_get_mm(t);

		if (!mm)
			continue;
		vma = NULL;
		mmap_read_lock(mm);
		damon_for_each_region(r, t) {
			r->sampling_addr = damon_rand(r->ar.start, r->ar.end);
			damon_va_walk_addr(mm, &vma, r->sampling_addr,
					   &damon_va_mkold_ops, &w);
			damon_va_relax(mm, &vma);
		}
		mmap_read_unlock(mm);
		/* Before mmput(): the flush must not outlive the mappings. */
		damon_tlb_batch_flush(w.batch);
		mmput(mm);
	}
}

static unsigned int damon_va_check_accesses(struct damon_ctx *ctx)
{
	struct vm_area_struct *vma;
	struct damon_target *t;
	struct damon_region *r;
	unsigned int max_nr = 0;

	damon_for_each_target(t, ctx) {
		struct mm_struct *mm = damon_va_get_mm(t);

		if (!mm)
			continue;
		vma = NULL;
		mmap_read_lock(mm);
		damon_for_each_region(r, t) {
			struct damon_va_walk w = {};

			damon_va_walk_addr(mm, &vma, r->sampling_addr,
					   &damon_va_young_ops, &w);
			if (w.young)
				damon_region_accessed(r);
			max_nr = max(max_nr, r->nr_accesses);
			damon_va_relax(mm, &vma);
		}
		mmap_read_unlock(mm);
		mmput(mm);
	}
	return max_nr;
}

/*
 * A target stays valid while a thread of its process has an address
 * space: a process whose threads all exited has none, even before its
 * parent reaps it.
 */
static bool damon_va_target_valid(struct damon_target *t)
{
	struct mm_struct *mm = damon_va_get_mm(t);

	if (!mm)
		return false;
	mmput(mm);
	return true;
}

/*
 * A report concerns a target if it is about an address in the target's
 * address space.  Only the pointers are compared: the report holds no
 * reference, and an address space that is gone matches no live process.
 */
static bool damon_va_eligible_report(const struct damon_access_report *report,
				     struct damon_target *t)
{
	struct task_struct *task;
	bool eligible;

	if (!report->mm || !t->pid)
		return false;
	rcu_read_lock();
	task = pid_task(t->pid, PIDTYPE_PID);
	eligible = task && READ_ONCE(task->mm) == report->mm;
	rcu_read_unlock();
	return eligible;
}

/* DAMOS actions: madvise() on the target's process (vaddr-schemes.c). */
static unsigned long damon_va_apply(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s)
{
	struct mm_struct *mm = damon_va_get_mm(t);
	unsigned long applied;

	if (!mm)
		return 0;
	applied = damon_va_apply_scheme(mm, r, s);
	mmput(mm);
	return applied;
}

static const struct damon_operations damon_va_ops = {
	.id = DAMON_OPS_VADDR,
	.init = damon_va_init,
	.update = damon_va_update,
	.prepare_access_checks = damon_va_prepare_access_checks,
	.check_accesses = damon_va_check_accesses,
	.target_valid = damon_va_target_valid,
	.eligible_report = damon_va_eligible_report,
	.cleanup = damon_va_cleanup,
	.apply_scheme = damon_va_apply,
	.damos_actions = DAMON_VA_DAMOS_ACTIONS,
};

/* fvaddr: the regions set before the start are all there is to monitor. */
static const struct damon_operations damon_fva_ops = {
	.id = DAMON_OPS_FVADDR,
	.init = damon_va_init_batch,
	.prepare_access_checks = damon_va_prepare_access_checks,
	.check_accesses = damon_va_check_accesses,
	.target_valid = damon_va_target_valid,
	.eligible_report = damon_va_eligible_report,
	.cleanup = damon_va_cleanup,
	.apply_scheme = damon_va_apply,
	.damos_actions = DAMON_VA_DAMOS_ACTIONS,
};

/**
 * damon_vaddr_init() - Register the vaddr and fvaddr operations sets.
 *
 * Called from the damon module's init function.
 *
 * Return: 0 on success, or the error of damon_register_ops().
 */
int damon_vaddr_init(void)
{
	int err;

	damon_tlb_init();
	err = damon_register_ops(&damon_va_ops);

	if (err)
		return err;
	err = damon_register_ops(&damon_fva_ops);
	if (err)
		damon_unregister_ops(DAMON_OPS_VADDR);
	return err;
}

/**
 * damon_vaddr_exit() - Withdraw the vaddr and fvaddr operations sets.
 *
 * Called from the damon module's exit function, when no kdamond runs.
 */
void damon_vaddr_exit(void)
{
	damon_unregister_ops(DAMON_OPS_FVADDR);
	damon_unregister_ops(DAMON_OPS_VADDR);
	damon_tlb_drain();
}
