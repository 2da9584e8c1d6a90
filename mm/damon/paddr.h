/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the paddr operations set's access checks (paddr.c) and its DAMOS
 * actions (paddr-schemes.c) share.
 */

#ifndef _MM_DAMON_PADDR_H
#define _MM_DAMON_PADDR_H

#include <linux/damon.h>

struct damon_tlb_batch;

bool damon_pa_young(unsigned long paddr);
void damon_pa_mkold(unsigned long paddr, struct damon_tlb_batch *batch);
unsigned long damon_pa_apply_scheme(struct damon_ctx *ctx,
				    struct damon_target *t,
				    struct damon_region *r, struct damos *s);

#endif	/* _MM_DAMON_PADDR_H */
