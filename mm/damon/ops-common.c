// SPDX-License-Identifier: GPL-2.0
/*
 * Accessed-bit sampling shared by DAMON's vaddr, fvaddr and paddr
 * operations sets.
 *
 * A sampled page is made "old" at the start of a sampling interval and
 * tested at its end.  Three things make the answer trustworthy:
 *
 * - Secondary MMUs (KVM, for instance) keep their own Accessed bits, which
 *   the mmu_notifier young hooks clear and test along with the CPU's.
 *
 * - Page reclaim and idle page tracking read the same bits.  Clearing a bit
 *   that was set would hide an access from them, so the page's young flag
 *   keeps it for them, as mm/page_idle.c does; and the page's idle flag,
 *   which they clear when they consume a set bit, tells us about accesses
 *   that they saw first.
 *
 * - A CPU sets an Accessed bit only when it loads a translation into its
 *   TLB.  While the translation stays cached, accesses leave the cleared bit
 *   alone, and a busy page looks idle.  x86 does not flush when clearing the
 *   bit (see ptep_clear_flush_young() there), so the translations of the
 *   sampled pages are queued in a &struct damon_tlb_batch and flushed once
 *   per sampling interval, per address space.  That includes pages whose
 *   bit was clear already: reclaim, MGLRU's page table walks and idle page
 *   tracking clear bits without flushing, and a page used all along would
 *   otherwise look idle for as long as its translation stays cached.
 */

#include <linux/damon.h>
#include <linux/hugetlb.h>
#include <linux/irq_work.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mmu_context.h>
#include <linux/mmu_notifier.h>
#include <linux/moduleparam.h>
#include <linux/page_idle.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/tlbflush.h>

#include "ops-common.h"

/*
 * Flushing costs the monitored workload TLB refills and the kdamond
 * inter-processor interrupts; without it, pages whose translations stay
 * cached look idle.  Both knobs are read at every flush.
 */
static bool flush_sampled_tlb = true;
module_param(flush_sampled_tlb, bool, 0644);
MODULE_PARM_DESC(flush_sampled_tlb,
		 "Flush the TLB entries of sampled pages whose Accessed bit was cleared, so that later accesses set it again (default: Y)");

/*
 * Each flush that is waited for interrupts every other CPU that runs the
 * address space and waits for them, so one flush of the whole address space
 * usually costs less than several single-page ones; only a lone page is
 * flushed alone by default.  At most DAMON_TLB_RANGES single-page flushes
 * are queued per address space and interval (x86 itself flushes the whole
 * address space past 33 pages).
 */
#define DAMON_TLB_RANGES	32
/* Address spaces a batch tracks; flushes for others are done at once. */
#define DAMON_TLB_MMS		8

static unsigned int flush_mm_threshold = 1;
module_param(flush_mm_threshold, uint, 0644);
MODULE_PARM_DESC(flush_mm_threshold,
		 "When waiting for flushes, flush an address space's whole TLB instead of single pages when more than this many of its sampled pages need a flush in one sampling interval (at most 32; default: 1)");

#ifdef CONFIG_X86
/*
 * Waiting for a flush costs the kdamond as long as the slowest CPU running
 * the address space takes to answer the interrupt, spinning: whole
 * milliseconds per sampling interval when that CPU is a preempted virtual
 * CPU of a busy host.  Sampling needs the flush done only before the
 * sampled pages are checked, a sampling interval later, so by default the
 * kdamond only leaves each CPU that may cache the translations a request,
 * and goes on.  x86's flush generation is not bumped, so a CPU that left the
 * address space and comes back later may, with PCIDs, still cache an old
 * translation; waiting (flush_tlb_mm_range()'s way) covers that case too.
 */
static bool flush_sampled_tlb_wait;
module_param(flush_sampled_tlb_wait, bool, 0644);
MODULE_PARM_DESC(flush_sampled_tlb_wait,
		 "Wait until other CPUs have flushed the sampled pages' TLB entries (default: N, leave the CPUs a request and go on)");

/**
 * struct damon_tlb_request - The flushes asked of one CPU and not done yet.
 * @lock:	Taken by the kdamonds that add to it and by @work.
 * @pgd:	Physical address of the page table root of the address space
 *		that @addr belong to.  The address space itself may be gone
 *		by the time @work runs; then the flush is only wasted.
 * @nr:		How many entries of @addr are in use.
 * @all:	Whether the whole TLB is to be flushed instead.
 * @addr:	Virtual addresses whose translations are to be flushed.
 * @work:	Runs the request on the CPU, in an interrupt.
 *
 * Requests are merged: a kdamond adds to the request under @lock and queues
 * @work.  If @work is queued already, it has not taken the request yet, and
 * will find what was added.  A single translation is flushed only if the
 * CPU runs its address space then: the whole TLB is flushed otherwise, as
 * the translation may be cached under another PCID.
 */
struct damon_tlb_request {
	raw_spinlock_t lock;
	unsigned long pgd;
	unsigned int nr;
	bool all;
	unsigned long addr[DAMON_TLB_RANGES];
	struct irq_work work;
};

/* Set up by damon_tlb_init(). */
static DEFINE_PER_CPU(struct damon_tlb_request, damon_tlb_request);

/*
 * Flush on this CPU, with preemption off: @nr translations of the address
 * space whose page table root is at @pgd, or the whole TLB if @all.
 */
static void damon_tlb_flush_here(unsigned long pgd, const unsigned long *addr,
				 unsigned int nr, bool all)
{
	unsigned int i;

	if (!all && !nr)
		return;
	if (all || (__get_current_cr3_fast() & CR3_ADDR_MASK) != pgd) {
		__flush_tlb_all();
		return;
	}
	for (i = 0; i < nr; i++)
		flush_tlb_one_user(addr[i]);
}

static void damon_tlb_request_run(struct irq_work *work)
{
	struct damon_tlb_request *req = container_of(work,
			struct damon_tlb_request, work);

	raw_spin_lock(&req->lock);
	damon_tlb_flush_here(req->pgd, req->addr, req->nr, req->all);
	req->nr = 0;
	req->all = false;
	raw_spin_unlock(&req->lock);
}

/*
 * Ask @cpu to flush @nr translations at @addr of the address space whose
 * page table root is at @pgd, or its whole TLB if @all.  Called with
 * preemption off, so that @cpu, online, stays so.
 */
static void damon_tlb_ask(int cpu, unsigned long pgd, const unsigned long *addr,
			  unsigned int nr, bool all)
{
	struct damon_tlb_request *req = per_cpu_ptr(&damon_tlb_request, cpu);
	unsigned long flags;
	unsigned int i;

	if (!cpu_online(cpu))
		return;
	raw_spin_lock_irqsave(&req->lock, flags);
	if (all || (req->nr && req->pgd != pgd) ||
	    req->nr + nr > DAMON_TLB_RANGES) {
		req->all = true;
	} else if (!req->all) {
		req->pgd = pgd;
		for (i = 0; i < nr; i++)
			req->addr[req->nr++] = addr[i];
	}
	raw_spin_unlock_irqrestore(&req->lock, flags);
	irq_work_queue_on(&req->work, cpu);
}

/*
 * Ask the CPUs that may cache translations of @mm to flush @nr of them at
 * @addr, or their whole TLB if @all; flush this CPU's at once.
 */
static void damon_tlb_flush_mm_nowait(struct mm_struct *mm,
				      const unsigned long *addr,
				      unsigned int nr, bool all)
{
	unsigned long pgd = __pa(mm->pgd);
	int cpu, this = get_cpu();

	for_each_cpu(cpu, mm_cpumask(mm)) {
		if (cpu == this)
			/* A lazily kept address space may run here next. */
			damon_tlb_flush_here(pgd, addr, nr, all);
		else
			damon_tlb_ask(cpu, pgd, addr, nr, all);
	}
	put_cpu();
}

static bool damon_tlb_nowait(void)
{
	return !READ_ONCE(flush_sampled_tlb_wait);
}
#else
static bool damon_tlb_nowait(void)
{
	return false;
}

static void damon_tlb_flush_mm_nowait(struct mm_struct *mm,
				      const unsigned long *addr,
				      unsigned int nr, bool all)
{
}
#endif	/* CONFIG_X86 */

/**
 * damon_tlb_init() - Prepare the TLB flush requests.
 *
 * Called when the module comes up, before any kdamond runs.  A static
 * initialiser cannot do it: the loader does not relocate a module's
 * per-CPU data, so the function pointer in it would stay NULL.
 */
void damon_tlb_init(void)
{
#ifdef CONFIG_X86
	struct damon_tlb_request *req;
	int cpu;

	for_each_possible_cpu(cpu) {
		req = per_cpu_ptr(&damon_tlb_request, cpu);
		raw_spin_lock_init(&req->lock);
		req->work = IRQ_WORK_INIT_HARD(damon_tlb_request_run);
	}
#endif
}

/**
 * damon_tlb_drain() - Wait until the TLB flushes asked for are done.
 *
 * A flush that is not waited for runs, later, code and per-CPU data of this
 * module on another CPU.  Called when the module goes, after every kdamond
 * ended, so that none is left behind.
 */
void damon_tlb_drain(void)
{
#ifdef CONFIG_X86
	int cpu;

	for_each_possible_cpu(cpu)
		irq_work_sync(&per_cpu_ptr(&damon_tlb_request, cpu)->work);
	/* The requests run with interrupts off: let them return. */
	synchronize_rcu();
#endif
}

/**
 * damon_get_folio() - Get the user memory folio holding a page frame.
 * @pfn:	The page frame number.
 *
 * Only folios on an LRU list count as user memory: only those are safe to
 * hand to rmap_walk(), and only their idle and young flags mean something.
 * Offline memory, holes, kernel, slab and other non-LRU pages do not.  A
 * tail page gives the folio it belongs to.
 *
 * Return: the folio with a reference taken, or NULL.
 */
struct folio *damon_get_folio(unsigned long pfn)
{
	struct folio *folio;
	struct page *page;

	page = pfn_to_online_page(pfn);
	folio = page ? page_folio(page) : NULL;
	if (!folio || !folio_test_lru(folio) || !folio_try_get(folio))
		return NULL;
	/* The page may have been freed and reused before we got the ref. */
	if (unlikely(page_folio(page) != folio || !folio_test_lru(folio))) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/**
 * damon_folio_mkold() - Mark a folio idle after its Accessed bits were
 *			 cleared.
 * @folio:	The folio.
 * @young:	Whether a cleared bit had been set.
 *
 * An access that reclaim has not seen yet moves to the young flag, where
 * folio_referenced() finds it.  The idle flag then stays set until an
 * access is reported by someone who consumes Accessed bits, or by
 * folio_mark_accessed() for page cache that is read without a mapping.
 */
void damon_folio_mkold(struct folio *folio, bool young)
{
	if (!IS_ENABLED(CONFIG_PAGE_IDLE_FLAG))
		return;
	if (young)
		folio_set_young(folio);
	folio_set_idle(folio);
}

/**
 * damon_folio_used() - Whether a folio was accessed since damon_folio_mkold().
 * @folio:	The folio.
 *
 * Return: true if someone cleared the folio's idle flag because they saw
 * an access.
 */
bool damon_folio_used(struct folio *folio)
{
	return IS_ENABLED(CONFIG_PAGE_IDLE_FLAG) && !folio_test_idle(folio);
}

/* Clear the Accessed bits of secondary MMUs, which have no stub without them. */
static bool damon_mmu_notifier_clear_young(struct mm_struct *mm,
					   unsigned long start,
					   unsigned long end)
{
#ifdef CONFIG_MMU_NOTIFIER
	return mmu_notifier_clear_young(mm, start, end);
#else
	return false;
#endif
}

/**
 * damon_ptep_mkold() - Clear the Accessed bit of a PTE.
 * @pte:	The PTE, mapped and with its page table lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	The virtual address that @pte maps.
 * @batch:	Where to queue the TLB flush that the clearing needs.
 *
 * Clears the bit in secondary MMUs too.
 *
 * Return: true if any of the bits was set.
 */
bool damon_ptep_mkold(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr, struct damon_tlb_batch *batch)
{
	bool young = false;

	addr &= PAGE_MASK;
	if (ptep_test_and_clear_young(vma, addr, pte))
		young = true;
	/* Even if clear: others clear bits without flushing. */
	damon_tlb_batch_add(batch, vma->vm_mm, addr, PAGE_SHIFT);
	if (damon_mmu_notifier_clear_young(vma->vm_mm, addr, addr + PAGE_SIZE))
		young = true;
	return young;
}

/**
 * damon_ptep_young() - Whether a PTE's page was accessed.
 * @pte:	The PTE, mapped and with its page table lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	The virtual address that @pte maps.
 *
 * Return: true if the Accessed bit of the PTE, or of a secondary MMU's
 * mapping of @addr, is set.
 */
bool damon_ptep_young(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr)
{
	addr &= PAGE_MASK;
	return pte_young(ptep_get(pte)) ||
		mmu_notifier_test_young(vma->vm_mm, addr);
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/**
 * damon_pmdp_mkold() - Clear the Accessed bit of a PMD mapping a huge page.
 * @pmd:	The PMD, with its lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	An address inside the huge page.
 * @batch:	Where to queue the TLB flush that the clearing needs.
 *
 * Return: true if the bit, or one of a secondary MMU, was set.
 */
bool damon_pmdp_mkold(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr, struct damon_tlb_batch *batch)
{
	bool young = false;

	addr &= PMD_MASK;
	if (pmdp_test_and_clear_young(vma, addr, pmd))
		young = true;
	/* Even if clear: others clear bits without flushing. */
	damon_tlb_batch_add(batch, vma->vm_mm, addr, PMD_SHIFT);
	if (damon_mmu_notifier_clear_young(vma->vm_mm, addr, addr + PMD_SIZE))
		young = true;
	return young;
}

/**
 * damon_pmdp_young() - Whether a huge page mapped by a PMD was accessed.
 * @pmd:	The PMD, with its lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	An address inside the huge page.
 *
 * Return: true if the Accessed bit of the PMD or of a secondary MMU's
 * mapping of the huge page is set.
 */
bool damon_pmdp_young(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr)
{
	addr &= PMD_MASK;
	return pmd_young(pmdp_get(pmd)) ||
		mmu_notifier_test_young(vma->vm_mm, addr);
}
#endif	/* CONFIG_TRANSPARENT_HUGEPAGE */

#ifdef CONFIG_HUGETLB_PAGE
/**
 * damon_hugetlb_mkold() - Clear the Accessed bit of a hugetlb entry.
 * @pte:	The hugetlb entry, with its lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	The start of the hugetlb page in @vma.
 * @size:	The size of the hugetlb page.
 * @batch:	Where to queue the TLB flush that the clearing needs.
 *
 * hugetlb entries have no atomic test-and-clear of the Accessed bit, so the
 * entry is rewritten old under its lock.  Only the MMU can change it
 * meanwhile, by setting the Dirty bit, which hugetlb pages, never written
 * back, do not need.
 *
 * Return: true if the bit, or one of a secondary MMU, was set.
 */
bool damon_hugetlb_mkold(pte_t *pte, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long size,
			 struct damon_tlb_batch *batch)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t entry = huge_ptep_get(mm, addr, pte);
	bool young = false;

	if (!pte_present(entry))
		return false;
	if (pte_young(entry)) {
		set_huge_pte_at(mm, addr, pte, pte_mkold(entry), size);
		young = true;
	}
	damon_tlb_batch_add(batch, mm, addr, ilog2(size));
	if (damon_mmu_notifier_clear_young(mm, addr, addr + size))
		young = true;
	return young;
}

/**
 * damon_hugetlb_young() - Whether a hugetlb page was accessed.
 * @pte:	The hugetlb entry, with its lock held.
 * @vma:	The VMA mapping @addr.
 * @addr:	The start of the hugetlb page in @vma.
 * @size:	The size of the hugetlb page.
 *
 * Return: true if the Accessed bit of the entry, or of a secondary MMU's
 * mapping of the page, is set.
 */
bool damon_hugetlb_young(pte_t *pte, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long size)
{
	pte_t entry = huge_ptep_get(vma->vm_mm, addr, pte);

	if (!pte_present(entry))
		return false;
	return pte_young(entry) ||
		mmu_notifier_test_young(vma->vm_mm, addr);
}
#endif	/* CONFIG_HUGETLB_PAGE */

/*
 * The flushes one address space needs: up to DAMON_TLB_RANGES translations,
 * each of 1 << @shift[i] bytes at @addr[i].  @nr counts on past
 * DAMON_TLB_RANGES; the whole address space is flushed then.
 */
struct damon_tlb_pending {
	struct mm_struct *mm;
	unsigned int nr;
	unsigned long addr[DAMON_TLB_RANGES];
	unsigned char shift[DAMON_TLB_RANGES];
};

/**
 * struct damon_tlb_batch - TLB flushes queued during a sampling interval.
 * @nr_mms:	How many entries of @mms are in use.
 * @mms:	The pending flushes, one entry per address space, each holding
 *		a reference (mmgrab()) on its &struct mm_struct.
 *
 * Owned by one kdamond, which is its only user, so it needs no locking.
 */
struct damon_tlb_batch {
	unsigned int nr_mms;
	struct damon_tlb_pending mms[DAMON_TLB_MMS];
};

/* Flush one translation of @mm: 1 << @shift bytes at @addr. */
static void damon_flush_tlb_one(struct mm_struct *mm, unsigned long addr,
				unsigned int shift)
{
#ifdef CONFIG_X86
	flush_tlb_mm_range(mm, addr, addr + (1UL << shift), shift, false);
#else
	flush_tlb_mm(mm);
#endif
}

/* Flush every translation of @mm. */
static void damon_flush_tlb_mm(struct mm_struct *mm)
{
#ifdef CONFIG_X86
	/* Unlike flush_tlb_mm(), spares CPUs that use @mm only lazily. */
	flush_tlb_mm_range(mm, 0UL, TLB_FLUSH_ALL, PAGE_SHIFT, false);
#else
	flush_tlb_mm(mm);
#endif
}

/**
 * damon_tlb_batch_alloc() - Allocate an empty batch of TLB flushes.
 *
 * Return: the batch, or NULL if memory is short.  A NULL batch still
 * works: damon_tlb_batch_add() then flushes at once.
 */
struct damon_tlb_batch *damon_tlb_batch_alloc(void)
{
	return kzalloc(sizeof(struct damon_tlb_batch), GFP_KERNEL);
}

/**
 * damon_tlb_batch_free() - Flush what is pending in a batch and free it.
 * @batch:	The batch, or NULL.
 */
void damon_tlb_batch_free(struct damon_tlb_batch *batch)
{
	if (!batch)
		return;
	damon_tlb_batch_flush(batch);
	kfree(batch);
}

/**
 * damon_tlb_batch_add() - Queue the flush of a translation whose Accessed
 *			   bit was cleared.
 * @batch:	The batch, or NULL to flush at once.
 * @mm:		The address space, which must stay alive until this returns.
 * @addr:	The start of the translation, aligned to 1 << @shift.
 * @shift:	The log2 of the size the translation maps.
 *
 * Does nothing unless the flush_sampled_tlb parameter is set.  May be
 * called with page table locks held: it neither sleeps nor drops an mm.
 */
void damon_tlb_batch_add(struct damon_tlb_batch *batch, struct mm_struct *mm,
			 unsigned long addr, unsigned int shift)
{
	struct damon_tlb_pending *p = NULL;
	unsigned int i;

	if (!READ_ONCE(flush_sampled_tlb))
		return;
	if (batch) {
		for (i = 0; i < batch->nr_mms; i++) {
			if (batch->mms[i].mm == mm) {
				p = &batch->mms[i];
				break;
			}
		}
		if (!p && batch->nr_mms < DAMON_TLB_MMS) {
			p = &batch->mms[batch->nr_mms++];
			mmgrab(mm);
			p->mm = mm;
			p->nr = 0;
		}
	}
	if (!p) {
		/* No room: the caller holds @mm alive, flush right away. */
		if (batch && damon_tlb_nowait())
			damon_tlb_flush_mm_nowait(mm, NULL, 0, true);
		else
			damon_flush_tlb_one(mm, addr, shift);
		return;
	}
	if (p->nr < DAMON_TLB_RANGES) {
		p->addr[p->nr] = addr;
		p->shift[p->nr] = shift;
	}
	if (p->nr <= DAMON_TLB_RANGES)
		p->nr++;
}

/**
 * damon_tlb_batch_flush() - Flush the translations queued in a batch.
 * @batch:	The batch, or NULL.
 *
 * On x86, unless the flush_sampled_tlb_wait parameter is set, each CPU
 * that may cache a queued translation is left a request to flush them
 * (its whole TLB past DAMON_TLB_RANGES of them, or if it does not run
 * their address space when the request comes), and nobody waits.
 * Otherwise an address space with at most flush_mm_threshold queued
 * translations gets one flush per translation, sparing the workload's
 * other TLB entries at the cost of one inter-processor interrupt each where
 * the address space runs on other CPUs; one with more gets a single
 * whole-mm flush.
 * Must not be called in atomic context: it may drop the last reference to
 * an address space.
 */
void damon_tlb_batch_flush(struct damon_tlb_batch *batch)
{
	unsigned int threshold = min_t(unsigned int,
				       READ_ONCE(flush_mm_threshold),
				       DAMON_TLB_RANGES);
	bool nowait = damon_tlb_nowait();
	unsigned int i, j;

	if (!batch)
		return;
	for (i = 0; i < batch->nr_mms; i++) {
		struct damon_tlb_pending *p = &batch->mms[i];
		unsigned int nr = min_t(unsigned int, p->nr, DAMON_TLB_RANGES);

		if (nowait) {
			damon_tlb_flush_mm_nowait(p->mm, p->addr, nr,
						  p->nr > DAMON_TLB_RANGES);
		} else if (!IS_ENABLED(CONFIG_X86) || p->nr > threshold) {
			/* Elsewhere than x86, only whole-mm flushes exist. */
			damon_flush_tlb_mm(p->mm);
		} else {
			for (j = 0; j < p->nr; j++)
				damon_flush_tlb_one(p->mm, p->addr[j],
						    p->shift[j]);
		}
		mmdrop(p->mm);
		p->mm = NULL;
	}
	batch->nr_mms = 0;
}

/**
 * damon_pa_eligible_report() - Whether a report concerns a physical target.
 * @report:	The access report.
 * @t:		A target of a paddr or paddr_fault context.
 *
 * The physical address space is one target; every report of a physical
 * address concerns it, and the core looks for the regions it overlaps.
 *
 * Return: true if @report gives a physical address.
 */
bool damon_pa_eligible_report(const struct damon_access_report *report,
			      struct damon_target *t)
{
	return !report->mm;
}
