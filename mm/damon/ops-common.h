/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the operations sets that sample Accessed bits (vaddr, fvaddr and
 * paddr) share: clearing and testing the bit of one PTE or PMD, keeping the
 * idle and young page flags in step, and flushing the translations whose
 * bit was cleared so that the next access is seen.
 */

#ifndef _MM_DAMON_OPS_COMMON_H
#define _MM_DAMON_OPS_COMMON_H

#include <linux/mm_types.h>
#include <linux/pgtable.h>

struct damon_access_report;
struct damon_target;
struct damon_tlb_batch;

struct folio *damon_get_folio(unsigned long pfn);
void damon_folio_mkold(struct folio *folio, bool young);
bool damon_folio_used(struct folio *folio);

bool damon_ptep_mkold(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr, struct damon_tlb_batch *batch);
bool damon_ptep_young(pte_t *pte, struct vm_area_struct *vma,
		      unsigned long addr);

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
bool damon_pmdp_mkold(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr, struct damon_tlb_batch *batch);
bool damon_pmdp_young(pmd_t *pmd, struct vm_area_struct *vma,
		      unsigned long addr);
#else
/* Without THP no PMD maps a page that DAMON could sample. */
static inline bool damon_pmdp_mkold(pmd_t *pmd, struct vm_area_struct *vma,
				    unsigned long addr,
				    struct damon_tlb_batch *batch)
{
	return false;
}

static inline bool damon_pmdp_young(pmd_t *pmd, struct vm_area_struct *vma,
				    unsigned long addr)
{
	return false;
}
#endif

#ifdef CONFIG_HUGETLB_PAGE
bool damon_hugetlb_mkold(pte_t *pte, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long size,
			 struct damon_tlb_batch *batch);
bool damon_hugetlb_young(pte_t *pte, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long size);
#endif

struct damon_tlb_batch *damon_tlb_batch_alloc(void);
void damon_tlb_batch_free(struct damon_tlb_batch *batch);
void damon_tlb_batch_add(struct damon_tlb_batch *batch, struct mm_struct *mm,
			 unsigned long addr, unsigned int shift);
void damon_tlb_batch_flush(struct damon_tlb_batch *batch);
void damon_tlb_init(void);
void damon_tlb_drain(void);

bool damon_pa_eligible_report(const struct damon_access_report *report,
			      struct damon_target *t);

#endif	/* _MM_DAMON_OPS_COMMON_H */
