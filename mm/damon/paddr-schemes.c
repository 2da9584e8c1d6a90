// SPDX-License-Identifier: GPL-2.0
/*
 * DAMOS actions of the paddr operations set: what a scheme does to the
 * user memory folios of a physical address range.
 *
 * Each action walks the region folio by folio, taking only folios on an
 * LRU list (damon_get_folio()), and skips those the scheme's page filters
 * exclude (anonymous, memory cgroup, young), which count as tried but not
 * applied.  pageout and the migrations gather the folios they could
 * isolate and hand them to reclaim or migration in one go; lru_prio and
 * lru_deprio move each folio on its LRU lists.  The bytes returned are
 * those the action really got done: reclaimed, moved on a list, or
 * migrated.  A large folio is done, and counted whole, by the region that
 * holds its first page, so the bytes may pass the region's end.
 */

#include <linux/gfp.h>
#include <linux/memcontrol.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/rcupdate.h>
#include <linux/swap.h>

#include "../internal.h"
#include "core_internal.h"
#include "ops-common.h"
#include "paddr-schemes.h"

/*
 * Whether @f names the folio at @paddr; @young says whether the page was
 * accessed since it last asked.
 */
static bool damon_pa_filter_match(struct damos_filter *f, struct folio *folio,
				  unsigned long paddr,
				  bool (*young)(unsigned long paddr))
{
	struct mem_cgroup *memcg;
	bool match = false;

	switch (f->type) {
	case DAMOS_FILTER_ANON:
		return folio_test_anon(folio);
	case DAMOS_FILTER_MEMCG:
		rcu_read_lock();
		memcg = folio_memcg_check(folio);
		match = memcg && mem_cgroup_id(memcg) == f->memcg_id;
		rcu_read_unlock();
		return match;
	case DAMOS_FILTER_YOUNG:
		return young(paddr);
	default:
		/* Address and target filters were the core's. */
		return false;
	}
}

static bool damon_pa_filtered_out(struct damos *s, struct folio *folio,
				  unsigned long paddr,
				  bool (*young)(unsigned long paddr))
{
	struct damos_filter *f;

	damos_for_each_filter(f, s) {
		if (damon_pa_filter_match(f, folio, paddr, young) ==
		    f->matching)
			return true;
	}
	return false;
}

/**
 * struct damon_pa_folio_fn - What to do to each folio of a region.
 * @fn:		Called with a folio, referenced, and @arg; returns the bytes
 *		it got done.
 * @arg:	For @fn.
 */
struct damon_pa_folio_fn {
	unsigned long (*fn)(struct folio *folio, void *arg);
	void *arg;
};

/*
 * Call @f on each folio of @r that @s's filters leave and return the sum
 * of what it returns; @young is for the young filter.
 */
static unsigned long damon_pa_walk_folios(struct damon_region *r,
					  struct damos *s,
					  bool (*young)(unsigned long paddr),
					  const struct damon_pa_folio_fn *f)
{
	unsigned long addr = r->ar.start, done = 0;

	while (addr < r->ar.end) {
		struct folio *folio = damon_get_folio(PHYS_PFN(addr));
		unsigned long next = addr + PAGE_SIZE;

		if (folio) {
			unsigned long head = PFN_PHYS(folio_pfn(folio));

			next = max(next, head + folio_size(folio));
			/*
			 * The region holding a large folio's first page does
			 * all of it, so that the bytes done are counted once
			 * and whole; the region holding its tail leaves it.
			 */
			if (head >= r->ar.start &&
			    !damon_pa_filtered_out(s, folio, addr, young))
				done += f->fn(folio, f->arg);
			folio_put(folio);
		}
		addr = next;
		cond_resched();
	}
	return done;
}

/* Isolate @folio from its LRU list onto the list @arg. */
static unsigned long damon_pa_isolate(struct folio *folio, void *arg)
{
	if (!folio_isolate_lru(folio))
		return 0;
	list_add(&folio->lru, arg);
	return 0;
}

static unsigned long damon_pa_pageout(struct damon_region *r, struct damos *s,
				      bool (*young)(unsigned long paddr))
{
	LIST_HEAD(folios);
	struct damon_pa_folio_fn f = { damon_pa_isolate, &folios };

	damon_pa_walk_folios(r, s, young, &f);
	/* Puts back what it could not reclaim. */
	return reclaim_pages(&folios) * PAGE_SIZE;
}

static unsigned long damon_pa_activate(struct folio *folio, void *arg)
{
	folio_activate(folio);
	return folio_size(folio);
}

static unsigned long damon_pa_deactivate(struct folio *folio, void *arg)
{
	folio_deactivate(folio);
	return folio_size(folio);
}

/**
 * struct damon_pa_migration - Folios gathered for a migration.
 * @nid:	The node they go to.
 * @folios:	The isolated folios.
 */
struct damon_pa_migration {
	int nid;
	struct list_head folios;
};

/* Isolate @folio for migration, unless it is on the target node already. */
static unsigned long damon_pa_isolate_migrate(struct folio *folio, void *arg)
{
	struct damon_pa_migration *m = arg;

	if (folio_nid(folio) != m->nid)
		isolate_folio_to_list(folio, &m->folios);
	return 0;
}

static unsigned long damon_pa_migrate(struct damon_region *r, struct damos *s,
				      bool (*young)(unsigned long paddr))
{
	struct damon_pa_migration m = { .nid = s->target_nid };
	/* Only the target node: a cold page moved elsewhere is no help. */
	struct migration_target_control mtc = {
		.nid = s->target_nid,
		.gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE |
			__GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC,
		.reason = MR_DAMON,
	};
	struct damon_pa_folio_fn f = { damon_pa_isolate_migrate, &m };
	unsigned int nr_moved = 0;

	/* The node may have gone offline since the scheme was checked. */
	if (!node_online(s->target_nid))
		return 0;
	INIT_LIST_HEAD(&m.folios);
	damon_pa_walk_folios(r, s, young, &f);
	if (list_empty(&m.folios))
		return 0;
	if (migrate_pages(&m.folios, alloc_migration_target, NULL,
			  (unsigned long)&mtc, MIGRATE_ASYNC, MR_DAMON,
			  &nr_moved))
		putback_movable_pages(&m.folios);
	return (unsigned long)nr_moved * PAGE_SIZE;
}

/**
 * damon_pa_apply_scheme() - Apply a scheme's action to a physical region.
 * @r:		The region.
 * @s:		The scheme.
 * @young:	Whether the page at an address was accessed since the last
 *		call for it, for the young filter.
 *
 * What the &damon_operations->apply_scheme of paddr does.
 *
 * Return: the bytes the action got done.
 */
unsigned long damon_pa_apply_scheme(struct damon_region *r, struct damos *s,
				    bool (*young)(unsigned long paddr))
{
	static const struct damon_pa_folio_fn activate = { damon_pa_activate };
	static const struct damon_pa_folio_fn deactivate = {
		damon_pa_deactivate
	};

	switch (s->action) {
	case DAMOS_PAGEOUT:
		return damon_pa_pageout(r, s, young);
	case DAMOS_LRU_PRIO:
		return damon_pa_walk_folios(r, s, young, &activate);
	case DAMOS_LRU_DEPRIO:
		return damon_pa_walk_folios(r, s, young, &deactivate);
	case DAMOS_MIGRATE_HOT:
	case DAMOS_MIGRATE_COLD:
		return damon_pa_migrate(r, s, young);
	default:
		return 0;
	}
}
