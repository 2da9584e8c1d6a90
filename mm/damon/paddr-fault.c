// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON operations set "paddr_fault": the physical address space, with
 * accesses learned from page faults.
 *
 * Like paddr, it samples one page frame per region each sampling interval.
 * Instead of clearing Accessed bits, it makes every mapping of the sampled
 * page PROT_NONE, through change_protection() with MM_CP_DAMON, the way
 * NUMA balancing makes its hinting faults.  The first access to the page
 * then faults; the fault handler gives the access back at once and reports
 * the access, with the CPU that made it and whether it wrote, through
 * damon_report_access().  The core counts reports, so the context's report
 * filter makes write-only and per-CPU monitoring.  A page that nobody
 * touched during the interval gets its mappings back at the start of the
 * next one, and all of them when monitoring stops.
 *
 * NUMA balancing uses the same PROT_NONE faults.  Exactly one of the two
 * handles each fault: the fault is DAMON's if the faulting page belongs to
 * a folio that a paddr_fault context samples at the moment (the folios are
 * kept in damon_pf_sampled, which the fault hook looks up without locks),
 * and NUMA balancing's otherwise.  Neither takes over the other's
 * protection: both skip page table entries that are PROT_NONE already.  The
 * one overlap: a NUMA hint that sits on a sampled folio is consumed by
 * DAMON, which then counts the access, and is undone when DAMON gives the
 * folio's mappings back.  That costs NUMA balancing at most one hint per
 * region and sampling interval.
 *
 * Sampled folios are held by a reference from protection to restoration,
 * so that none is freed and its frame reused while its mappings may still
 * be PROT_NONE: restoration always finds every mapping that the folio has,
 * wherever forks or mremap() moved them.
 *
 * Locking: page tables are changed under the mapping's mmap_lock, taken
 * with a trylock from within reverse mapping walks (a mapping whose lock is
 * busy is not sampled this time).  Restoration must not give up, so a
 * mapping whose lock is busy is restored after the walk, with the lock
 * taken normally.  damon_pf_lock serialises the kdamonds' changes of
 * damon_pf_sampled and the restorations.
 */

#define pr_fmt(fmt) "damon-paddr-fault: " fmt

#include <linux/damon.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <asm/tlb.h>

#include "../internal.h"
#include "core_internal.h"
#include "ops-common.h"

/*
 * The folios that some context samples, by the pfn of their first page,
 * each with the number of contexts that sample it (a value entry).
 */
static DEFINE_XARRAY(damon_pf_sampled);
static DEFINE_MUTEX(damon_pf_lock);

/* Busy mappings restored after a walk; more need another walk. */
#define DAMON_PF_DEFERRED	8
/* Address spaces whose TLB flushes are batched per sampling interval. */
#define DAMON_PF_GATHERS	8
/* Walks per restoration before giving up (leaving faults to NUMA). */
#define DAMON_PF_RESTORE_TRIES	16

/**
 * struct damon_pf_gather - The TLB flushes one address space needs.
 * @mm:		The address space, held by mmgrab().
 * @tlb:	Gathers what the protection changes leave to flush.
 */
struct damon_pf_gather {
	struct mm_struct *mm;
	struct mmu_gather tlb;
};

/**
 * struct damon_pf_ctx - The private data of a paddr_fault context.
 * @folios:	The folios sampled in the current interval, by the pfn of
 *		their first page, each holding a reference.
 * @nr_gathers:	How many of @gathers are in use.
 * @gathers:	The TLB flushes of the protections of this interval, one
 *		batch per address space, done at the end of the interval's
 *		preparation.  Each flush interrupts the CPUs that run the
 *		address space: one per page would cost the workload dearly.
 *		Allocated when first needed and kept until cleanup, one by
 *		one: a struct mmu_gather ends in a flexible array.
 */
struct damon_pf_ctx {
	struct xarray folios;
	unsigned int nr_gathers;
	struct damon_pf_gather *gathers[DAMON_PF_GATHERS];
};

/**
 * struct damon_pf_walk - A reverse mapping walk over a sampled folio.
 * @pc:		The context's private data (protection).
 * @idx:	The sampled page's index in the folio (protection).
 * @nr_deferred: How many of @deferred are used (restoration).
 * @more:	Mappings were busy and did not fit in @deferred.
 * @deferred:	Busy mappings to restore after the walk, each with a
 *		reference (mmgrab()) on its address space.
 */
struct damon_pf_walk {
	struct damon_pf_ctx *pc;
	unsigned long idx;
	unsigned int nr_deferred;
	bool more;
	struct {
		struct mm_struct *mm;
		unsigned long start, end;
	} deferred[DAMON_PF_DEFERRED];
};

/* Mappings whose protection paddr_fault may change, like NUMA balancing. */
static bool damon_pf_vma_ok(struct vm_area_struct *vma)
{
	return vma_is_accessible(vma) && !is_vm_hugetlb_page(vma) &&
		!(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_IO));
}

/*
 * Prepare @pvmw to find where @vma maps @nr pages of @folio from page @idx
 * on.  @addr is where rmap_walk() says @vma maps the folio, which is right
 * for a small folio (a KSM folio's index means nothing) but may be the
 * start of @vma for a large one.
 */
static bool damon_pf_init_pvmw(struct page_vma_mapped_walk *pvmw,
			       struct folio *folio, unsigned long idx,
			       unsigned long nr, struct vm_area_struct *vma,
			       unsigned long addr)
{
	pgoff_t pgoff = folio_pgoff(folio) + idx;

	if (folio_test_large(folio)) {
		addr = vma_address(vma, pgoff, nr);
		if (addr == -EFAULT)
			return false;
	}
	*pvmw = (struct page_vma_mapped_walk){
		.pfn = folio_pfn(folio) + idx,
		.nr_pages = nr,
		.pgoff = pgoff,
		.vma = vma,
		.address = addr,
	};
	return true;
}

/*
 * The batch of TLB flushes for @mm, or NULL if there is no room (or
 * memory) for another address space: the caller flushes at once then.
 */
static struct mmu_gather *damon_pf_gather_of(struct damon_pf_ctx *pc,
					     struct mm_struct *mm)
{
	struct damon_pf_gather *g;
	unsigned int i;

	for (i = 0; i < pc->nr_gathers; i++) {
		if (pc->gathers[i]->mm == mm)
			return &pc->gathers[i]->tlb;
	}
	if (pc->nr_gathers == DAMON_PF_GATHERS)
		return NULL;
	g = pc->gathers[pc->nr_gathers];
	if (!g) {
		g = kmalloc(sizeof(*g), GFP_KERNEL);
		if (!g)
			return NULL;
		pc->gathers[pc->nr_gathers] = g;
	}
	pc->nr_gathers++;
	mmgrab(mm);
	g->mm = mm;
	tlb_gather_mmu(&g->tlb, mm);
	return &g->tlb;
}

/* Do the batched TLB flushes. */
static void damon_pf_flush(struct damon_pf_ctx *pc)
{
	unsigned int i;

	for (i = 0; i < pc->nr_gathers; i++) {
		tlb_finish_mmu(&pc->gathers[i]->tlb);
		mmdrop(pc->gathers[i]->mm);
	}
	pc->nr_gathers = 0;
}

/*
 * Change the protection of [@start, @end) of @vma; @cp_flags as for
 * change_protection().  The TLB flush that it needs goes to @pc's batch,
 * or is done at once without @pc.  With @trylock, only if the mmap_lock is
 * free at once (from within a reverse mapping walk); return whether it was
 * done.
 */
static bool damon_pf_change(struct damon_pf_ctx *pc,
			    struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, unsigned long cp_flags,
			    bool trylock)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_gather local, *tlb;

	if (trylock && !mmap_read_trylock(mm))
		return false;
	tlb = pc ? damon_pf_gather_of(pc, mm) : NULL;
	if (!tlb) {
		tlb = &local;
		tlb_gather_mmu(tlb, mm);
	}
	change_protection(tlb, vma, start, end, cp_flags);
	if (tlb == &local)
		tlb_finish_mmu(tlb);
	if (trylock)
		mmap_read_unlock(mm);
	return true;
}

/* The flags that give a mapping of @vma its own protection back. */
static unsigned long damon_pf_restore_flags(struct vm_area_struct *vma)
{
	return vma_wants_manual_pte_write_upgrade(vma) ?
		MM_CP_TRY_CHANGE_WRITABLE : 0;
}

/*
 * Make the mapping of the sampled page in @vma PROT_NONE, unless it is so
 * already.  A huge page mapped by a PMD is protected whole.  The walk of a
 * single page ends by itself after its one match, and so drops the page
 * table lock where it took it.
 */
static bool damon_pf_protect_one(struct folio *folio,
				 struct vm_area_struct *vma,
				 unsigned long addr, void *arg)
{
	struct damon_pf_walk *w = arg;
	struct page_vma_mapped_walk pvmw;
	unsigned long start = 0, end = 0;

	if (!damon_pf_vma_ok(vma) ||
	    !damon_pf_init_pvmw(&pvmw, folio, w->idx, 1, vma, addr))
		return true;
	while (page_vma_mapped_walk(&pvmw)) {
		if (pvmw.pte && !pte_protnone(ptep_get(pvmw.pte))) {
			start = pvmw.address & PAGE_MASK;
			end = start + PAGE_SIZE;
		} else if (!pvmw.pte && !pmd_protnone(pmdp_get(pvmw.pmd))) {
			start = pvmw.address & PMD_MASK;
			end = start + PMD_SIZE;
		}
	}
	if (start < end)
		damon_pf_change(w->pc, vma, start, end, MM_CP_DAMON, true);
	return true;
}

/*
 * Give the PROT_NONE mappings of @folio in @vma their protection back: the
 * span from the first to the last of them gets @vma's own protection, as
 * mprotect() to the protection it already has would give it.
 */
static bool damon_pf_restore_one(struct folio *folio,
				 struct vm_area_struct *vma,
				 unsigned long addr, void *arg)
{
	struct damon_pf_walk *w = arg;
	struct page_vma_mapped_walk pvmw;
	unsigned long start = ULONG_MAX, end = 0;

	if (!damon_pf_vma_ok(vma) ||
	    !damon_pf_init_pvmw(&pvmw, folio, 0, folio_nr_pages(folio), vma,
				addr))
		return true;
	while (page_vma_mapped_walk(&pvmw)) {
		unsigned long s, e;

		if (pvmw.pte) {
			if (!pte_protnone(ptep_get(pvmw.pte)))
				continue;
			s = pvmw.address & PAGE_MASK;
			e = s + PAGE_SIZE;
		} else {
			if (!pmd_protnone(pmdp_get(pvmw.pmd)))
				continue;
			s = pvmw.address & PMD_MASK;
			e = s + PMD_SIZE;
		}
		start = min(start, s);
		end = max(end, e);
	}
	/* Giving access back needs no TLB flush. */
	if (start >= end ||
	    damon_pf_change(NULL, vma, start, end,
			    damon_pf_restore_flags(vma), true))
		return true;
	if (w->nr_deferred < DAMON_PF_DEFERRED) {
		mmgrab(vma->vm_mm);
		w->deferred[w->nr_deferred].mm = vma->vm_mm;
		w->deferred[w->nr_deferred].start = start;
		w->deferred[w->nr_deferred].end = end;
		w->nr_deferred++;
	} else {
		w->more = true;
	}
	return true;
}

/*
 * Walk the mappings of @folio with @rmap_one.  As for folio_referenced(),
 * file and KSM folios must be locked, which is only tried: a busy folio is
 * left alone.  Return whether the walk ran.
 */
static bool damon_pf_rmap(struct folio *folio,
			  bool (*rmap_one)(struct folio *folio,
					   struct vm_area_struct *vma,
					   unsigned long addr, void *arg),
			  struct damon_pf_walk *w, bool try_lock)
{
	struct rmap_walk_control rwc = {
		.rmap_one = rmap_one,
		.arg = w,
		.anon_lock = folio_lock_anon_vma_read,
		.try_lock = try_lock,
	};
	bool plain_anon = folio_test_anon(folio) && !folio_test_ksm(folio);

	if (!folio_mapped(folio) || !folio_raw_mapping(folio))
		return true;
	if (plain_anon) {
		rmap_walk(folio, &rwc);
		return true;
	}
	if (try_lock) {
		if (!folio_trylock(folio))
			return false;
	} else {
		folio_lock(folio);
	}
	rmap_walk(folio, &rwc);
	folio_unlock(folio);
	return true;
}

/* Restore the mappings that were busy during a walk, waiting for them. */
static void damon_pf_restore_deferred(struct damon_pf_walk *w)
{
	unsigned int i;

	for (i = 0; i < w->nr_deferred; i++) {
		struct mm_struct *mm = w->deferred[i].mm;
		unsigned long start = w->deferred[i].start;
		unsigned long end = w->deferred[i].end;
		struct vm_area_struct *vma;

		if (mmget_not_zero(mm)) {
			mmap_read_lock(mm);
			vma = vma_lookup(mm, start);
			/* Whatever is there now gets its own protection. */
			if (vma && end <= vma->vm_end && damon_pf_vma_ok(vma))
				damon_pf_change(NULL, vma, start, end,
						damon_pf_restore_flags(vma),
						false);
			mmap_read_unlock(mm);
			mmput(mm);
		}
		mmdrop(mm);
	}
	w->nr_deferred = 0;
}

/* Give every PROT_NONE mapping of @folio its protection back. */
static void damon_pf_restore(struct folio *folio)
{
	struct damon_pf_walk w;
	unsigned int tries;

	for (tries = 0; tries < DAMON_PF_RESTORE_TRIES; tries++) {
		w.nr_deferred = 0;
		w.more = false;
		/*
		 * Without try_lock, rmap_walk() waits for the rmap locks,
		 * which nothing holds across a wait for damon_pf_lock.
		 */
		damon_pf_rmap(folio, damon_pf_restore_one, &w, false);
		damon_pf_restore_deferred(&w);
		if (!w.more)
			return;
		cond_resched();
	}
	pr_warn_ratelimited("busy mappings of pfn %lx stay PROT_NONE until touched\n",
			    folio_pfn(folio));
}

/* Count a context more that samples the folio at @pfn.  Return 0 or -errno. */
static int damon_pf_sampled_get(unsigned long pfn)
{
	void *entry = xa_load(&damon_pf_sampled, pfn);
	unsigned long nr = entry ? xa_to_value(entry) : 0;

	return xa_err(xa_store(&damon_pf_sampled, pfn, xa_mk_value(nr + 1),
			       GFP_KERNEL));
}

/*
 * A context stops sampling @folio.  The last one gives its mappings back,
 * before the folio leaves damon_pf_sampled, so that faults meanwhile still
 * count as DAMON's.
 */
static void damon_pf_sampled_put(struct folio *folio)
{
	unsigned long pfn = folio_pfn(folio);
	void *entry;

	mutex_lock(&damon_pf_lock);
	entry = xa_load(&damon_pf_sampled, pfn);
	if (WARN_ON_ONCE(!entry)) {
		mutex_unlock(&damon_pf_lock);
		return;
	}
	if (xa_to_value(entry) > 1) {
		/* Shrinking a value entry in place allocates nothing. */
		xa_store(&damon_pf_sampled, pfn,
			 xa_mk_value(xa_to_value(entry) - 1), GFP_KERNEL);
	} else {
		damon_pf_restore(folio);
		xa_erase(&damon_pf_sampled, pfn);
	}
	mutex_unlock(&damon_pf_lock);
}

/* Make the page at @paddr fault on its next access, if it is user memory. */
static void damon_pf_sample(struct damon_pf_ctx *pc, unsigned long paddr)
{
	unsigned long pfn = PHYS_PFN(paddr);
	struct folio *folio = damon_get_folio(pfn);
	struct damon_pf_walk w = { .pc = pc };
	int err;

	if (!folio)
		return;
	/* Another region may have sampled the same large folio. */
	if (xa_insert(&pc->folios, folio_pfn(folio), folio, GFP_KERNEL)) {
		folio_put(folio);
		return;
	}
	mutex_lock(&damon_pf_lock);
	err = damon_pf_sampled_get(folio_pfn(folio));
	mutex_unlock(&damon_pf_lock);
	if (err) {
		xa_erase(&pc->folios, folio_pfn(folio));
		folio_put(folio);
		return;
	}
	/* Sampled first, protected then: its faults must find it sampled. */
	w.idx = pfn - folio_pfn(folio);
	damon_pf_rmap(folio, damon_pf_protect_one, &w, true);
}

/* Give back what the last interval protected and drop its folios. */
static void damon_pf_release(struct damon_pf_ctx *pc)
{
	struct folio *folio;
	unsigned long idx;

	xa_for_each(&pc->folios, idx, folio) {
		damon_pf_sampled_put(folio);
		xa_erase(&pc->folios, idx);
		folio_put(folio);
		cond_resched();
	}
}

static void damon_pf_init(struct damon_ctx *ctx)
{
	struct damon_pf_ctx *pc = kzalloc(sizeof(*pc), GFP_KERNEL);

	/* Without it nothing is sampled, and nothing is seen. */
	if (pc)
		xa_init(&pc->folios);
	else
		pr_warn("out of memory: this context will see no access\n");
	ctx->ops_private = pc;
}

static void damon_pf_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_pf_ctx *pc = ctx->ops_private;
	struct damon_target *t;
	struct damon_region *r;

	if (!pc)
		return;
	damon_pf_release(pc);
	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->sampling_addr = damon_rand(r->ar.start, r->ar.end);
			damon_pf_sample(pc, r->sampling_addr);
			cond_resched();
		}
	}
	damon_pf_flush(pc);
}

static void damon_pf_cleanup(struct damon_ctx *ctx)
{
	struct damon_pf_ctx *pc = ctx->ops_private;
	unsigned int i;

	if (!pc)
		return;
	damon_pf_release(pc);
	xa_destroy(&pc->folios);
	for (i = 0; i < DAMON_PF_GATHERS; i++)
		kfree(pc->gathers[i]);
	kfree(pc);
	ctx->ops_private = NULL;
}

static const struct damon_operations damon_pf_ops = {
	.id = DAMON_OPS_PADDR_FAULT,
	.init = damon_pf_init,
	.prepare_access_checks = damon_pf_prepare_access_checks,
	.eligible_report = damon_pa_eligible_report,
	.cleanup = damon_pf_cleanup,
};

/* The fault hook: called with the page table lock held. */
static bool damon_pf_claim(struct folio *folio)
{
	return xa_load(&damon_pf_sampled, folio_pfn(folio));
}

/*
 * The fault hook: the faulting task, once the page table lock is dropped.
 * A huge page mapped by a PMD counts as accessed as a whole, as its
 * Accessed bit would say: one translation covers all of it.  The report
 * is a sampled one: it counts for the regions that sampled a page of it,
 * not for every region that overlaps it (see damon_reports_fold()).
 */
static void damon_pf_report(unsigned long pfn, unsigned long nr_pages,
			    unsigned int cpu, bool write)
{
	struct damon_access_report report = {
		.addr = PFN_PHYS(pfn),
		.size = nr_pages << PAGE_SHIFT,
		.cpu = cpu,
		.write = write,
		.sampled = true,
	};

	damon_report_access(&report);
}

static const struct damon_fault_hook damon_pf_hook = {
	.claim = damon_pf_claim,
	.report = damon_pf_report,
};

/**
 * damon_paddr_fault_init() - Register the paddr_fault operations set.
 *
 * Called from the damon module's init function.  Installs the fault hook
 * and the diagnostic debugfs file.
 *
 * Return: 0 on success, or the error of damon_fault_hook_register() or
 * damon_register_ops().
 */
int damon_paddr_fault_init(void)
{
	int err = damon_fault_hook_register(&damon_pf_hook);

	if (err)
		return err;
	err = damon_register_ops(&damon_pf_ops);
	if (err) {
		damon_fault_hook_unregister(&damon_pf_hook);
		return err;
	}
	damon_pf_scan_init();
	return 0;
}

/**
 * damon_paddr_fault_exit() - Withdraw the paddr_fault operations set.
 *
 * Called from the damon module's exit function, when no kdamond runs and
 * so no folio is sampled.  Waits until no fault handler uses the hook.
 */
void damon_paddr_fault_exit(void)
{
	damon_pf_scan_exit();
	damon_unregister_ops(DAMON_OPS_PADDR_FAULT);
	damon_fault_hook_unregister(&damon_pf_hook);
	WARN_ON_ONCE(!xa_empty(&damon_pf_sampled));
}
