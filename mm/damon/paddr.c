// SPDX-License-Identifier: GPL-2.0
/*
 * DAMON operations set for the physical address space.
 *
 * The user gives the ranges (System RAM, a NUMA node, ...), which never
 * change.  The sampled address of a region is a page frame; if it holds a
 * user memory folio, every mapping of that page is found through a reverse
 * mapping walk and its Accessed bit cleared, or tested; the folio's idle
 * flag tells about accesses without a mapping (read() and write() of page
 * cache) or seen first by reclaim.
 *
 * Only folios on an LRU list count as user memory; kernel memory, slab,
 * page tables, free pages and folios that are isolated at the moment count
 * as not accessed.  The check never sleeps on a lock: rmap locks and folio
 * locks are only tried, and a contended folio counts as not accessed.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/rmap.h>

#include "../internal.h"
#include "core_internal.h"
#include "ops-common.h"
#include "paddr-schemes.h"

/**
 * struct damon_pa_walk - A reverse mapping walk of one sampled page.
 * @idx:	The index of the page in its folio.
 * @batch:	Where mkold walks queue TLB flushes.
 * @young:	Whether an Accessed bit was found set.
 */
struct damon_pa_walk {
	unsigned long idx;
	struct damon_tlb_batch *batch;
	bool young;
};

/*
 * Prepare @pvmw to find where @vma maps the sampled page of @folio.  @addr
 * is where rmap_walk() says @vma maps the folio; for a large folio that
 * may be another page, so compute the page's own address (KSM folios, for
 * which the folio's index means nothing, are never large).
 */
static bool damon_pa_init_pvmw(struct page_vma_mapped_walk *pvmw,
			       struct folio *folio, struct damon_pa_walk *w,
			       struct vm_area_struct *vma, unsigned long addr)
{
	*pvmw = (struct page_vma_mapped_walk){
		.pfn = folio_pfn(folio) + w->idx,
		.nr_pages = 1,
		.pgoff = folio_pgoff(folio) + w->idx,
		.vma = vma,
		.address = addr,
	};
	if (folio_test_large(folio)) {
		pvmw->address = vma_address(vma, pvmw->pgoff, 1);
		if (pvmw->address == -EFAULT)
			return false;
	}
	return true;
}

static bool damon_pa_mkold_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	struct damon_pa_walk *w = arg;
	struct page_vma_mapped_walk pvmw;

	if (!damon_pa_init_pvmw(&pvmw, folio, w, vma, addr))
		return true;
	while (page_vma_mapped_walk(&pvmw)) {
		if (pvmw.pte)
			w->young |= damon_ptep_mkold(pvmw.pte, vma,
						     pvmw.address, w->batch);
		else
			w->young |= damon_pmdp_mkold(pvmw.pmd, vma,
						     pvmw.address, w->batch);
	}
	return true;
}

static bool damon_pa_young_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	struct damon_pa_walk *w = arg;
	struct page_vma_mapped_walk pvmw;

	if (!damon_pa_init_pvmw(&pvmw, folio, w, vma, addr))
		return true;
	while (page_vma_mapped_walk(&pvmw)) {
		if (pvmw.pte)
			w->young = damon_ptep_young(pvmw.pte, vma,
						    pvmw.address);
		else
			w->young = damon_pmdp_young(pvmw.pmd, vma,
						    pvmw.address);
		if (w->young) {
			page_vma_mapped_walk_done(&pvmw);
			return false;	/* One young mapping is enough. */
		}
	}
	return true;
}

/*
 * Run @rmap_one on every mapping of the page at @pfn, which belongs to
 * @folio, and return whether it found an Accessed bit set.  Like
 * folio_referenced(), lock the folio where rmap_walk() needs it (file and
 * KSM folios), but only try, as every rmap lock here.
 */
static bool damon_pa_rmap(struct folio *folio, unsigned long pfn,
			  bool (*rmap_one)(struct folio *folio,
					   struct vm_area_struct *vma,
					   unsigned long addr, void *arg),
			  struct damon_tlb_batch *batch)
{
	struct damon_pa_walk w = {
		.idx = pfn - folio_pfn(folio),
		.batch = batch,
	};
	struct rmap_walk_control rwc = {
		.rmap_one = rmap_one,
		.arg = &w,
		.anon_lock = folio_lock_anon_vma_read,
		.try_lock = true,
	};
	/*
	 * rmap_walk() wants file and KSM folios locked; plain anonymous
	 * ones are walked under their anon_vma lock alone.  Never wait for
	 * the lock: a folio busy elsewhere simply counts as not accessed.
	 */
	bool plain_anon = folio_test_anon(folio) && !folio_test_ksm(folio);

	if (!folio_mapped(folio) || !folio_raw_mapping(folio))
		return false;
	if (!plain_anon) {
		if (!folio_trylock(folio))
			return false;
		rmap_walk(folio, &rwc);
		folio_unlock(folio);
	} else {
		rmap_walk(folio, &rwc);
	}
	return w.young;
}

/* Make the page at @paddr look unaccessed, if it is user memory. */
static void damon_pa_mkold(unsigned long paddr, struct damon_tlb_batch *batch)
{
	unsigned long pfn = PHYS_PFN(paddr);
	struct folio *folio = damon_get_folio(pfn);
	bool young;

	if (!folio)
		return;
	young = damon_pa_rmap(folio, pfn, damon_pa_mkold_one, batch);
	damon_folio_mkold(folio, young);
	folio_put(folio);
}

/* Whether the page at @paddr was accessed since damon_pa_mkold(). */
static bool damon_pa_young(unsigned long paddr)
{
	unsigned long pfn = PHYS_PFN(paddr);
	struct folio *folio = damon_get_folio(pfn);
	bool young;

	if (!folio)
		return false;
	young = damon_folio_used(folio) ||
		damon_pa_rmap(folio, pfn, damon_pa_young_one, NULL);
	folio_put(folio);
	return young;
}

static void damon_pa_init(struct damon_ctx *ctx)
{
	/* A NULL batch works too, flushing at once. */
	ctx->ops_private = damon_tlb_batch_alloc();
}

static void damon_pa_cleanup(struct damon_ctx *ctx)
{
	damon_tlb_batch_free(ctx->ops_private);
	ctx->ops_private = NULL;
}

static void damon_pa_prepare_access_checks(struct damon_ctx *ctx)
{
	struct damon_tlb_batch *batch = ctx->ops_private;
	struct damon_target *t;
	struct damon_region *r;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			r->sampling_addr = damon_rand(r->ar.start, r->ar.end);
			damon_pa_mkold(r->sampling_addr, batch);
			cond_resched();
		}
	}
	damon_tlb_batch_flush(batch);
}

static unsigned int damon_pa_check_accesses(struct damon_ctx *ctx)
{
	struct damon_target *t;
	struct damon_region *r;
	unsigned int max_nr = 0;

	damon_for_each_target(t, ctx) {
		damon_for_each_region(r, t) {
			if (damon_pa_young(r->sampling_addr))
				damon_region_accessed(r);
			max_nr = max(max_nr, r->nr_accesses);
			cond_resched();
		}
	}
	return max_nr;
}

/* The young filter of DAMOS: accessed since it last asked, then cleared. */
static bool damon_pa_young_since(unsigned long paddr)
{
	bool young = damon_pa_young(paddr);

	if (young)
		damon_pa_mkold(paddr, NULL);
	return young;
}

/* DAMOS actions on the folios of a region (paddr-schemes.c). */
static unsigned long damon_pa_apply(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s)
{
	return damon_pa_apply_scheme(r, s, damon_pa_young_since);
}

static const struct damon_operations damon_pa_ops = {
	.id = DAMON_OPS_PADDR,
	.init = damon_pa_init,
	.prepare_access_checks = damon_pa_prepare_access_checks,
	.check_accesses = damon_pa_check_accesses,
	.eligible_report = damon_pa_eligible_report,
	.cleanup = damon_pa_cleanup,
	.apply_scheme = damon_pa_apply,
	.damos_actions = DAMON_PA_DAMOS_ACTIONS,
	.damos_filters = DAMON_PA_DAMOS_FILTERS,
};

/**
 * damon_paddr_init() - Register the paddr operations set.
 *
 * Called from the damon module's init function.
 *
 * Return: 0 on success, or the error of damon_register_ops().
 */
int damon_paddr_init(void)
{
	damon_tlb_init();
	return damon_register_ops(&damon_pa_ops);
}

/**
 * damon_paddr_exit() - Withdraw the paddr operations set.
 *
 * Called from the damon module's exit function, when no kdamond runs.
 */
void damon_paddr_exit(void)
{
	damon_unregister_ops(DAMON_OPS_PADDR);
	damon_tlb_drain();
}
