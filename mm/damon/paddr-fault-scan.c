// SPDX-License-Identifier: GPL-2.0
/*
 * A diagnostic of the paddr_fault operations set: which processes have
 * PROT_NONE page table entries in accessible mappings, that is entries that
 * fault on their next access, as DAMON's and NUMA balancing's protections
 * do.
 *
 * Reading <debugfs>/damon_paddr_fault/protnone_ptes walks the page tables
 * of every process and prints one line per process that has any,
 *
 *	<pid> <number of entries>
 *
 * a PMD that maps a huge page counting as one entry, then
 *
 *	total <number of entries>
 *
 * With NUMA balancing off since boot, none may be left once paddr_fault
 * stopped; the selftests check that.  The walk takes each process's
 * mmap_lock for reading in turn, so it is meant for debugging, not for
 * frequent use.
 */

#include <linux/debugfs.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pagewalk.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>

#include "core_internal.h"

static struct dentry *damon_pf_scan_dir;

static int damon_pf_scan_test_walk(unsigned long start, unsigned long end,
				   struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;

	/* Inaccessible mappings are PROT_NONE by their owner's will. */
	return !vma_is_accessible(vma) || is_vm_hugetlb_page(vma);
}

static int damon_pf_scan_pmd(pmd_t *pmd, unsigned long addr,
			     unsigned long next, struct mm_walk *walk)
{
	unsigned long *nr = walk->private;
	pmd_t pmde = pmdp_get_lockless(pmd);
	spinlock_t *ptl;	/* The PMD's page table lock. */

	if (!pmd_present(pmde)) {
		/* Under migration: nothing mapped, nothing to split. */
		walk->action = ACTION_CONTINUE;
		return 0;
	}
	if (!pmd_leaf(pmde))
		return 0;
	/* A huge PMD: count it here, never split it to walk its PTEs. */
	ptl = pmd_lock(walk->mm, pmd);
	pmde = pmdp_get(pmd);
	if (pmd_present(pmde) && pmd_trans_huge(pmde))
		*nr += pmd_protnone(pmde);
	/* Split meanwhile: look again.  Other leaves (DAX) are skipped. */
	if (pmd_present(pmde) && !pmd_leaf(pmde))
		walk->action = ACTION_AGAIN;
	else
		walk->action = ACTION_CONTINUE;
	spin_unlock(ptl);
	return 0;
}

static int damon_pf_scan_pte(pte_t *pte, unsigned long addr,
			     unsigned long next, struct mm_walk *walk)
{
	unsigned long *nr = walk->private;
	pte_t ptent = ptep_get(pte);

	*nr += pte_present(ptent) && pte_protnone(ptent);
	return 0;
}

static const struct mm_walk_ops damon_pf_scan_ops = {
	.test_walk = damon_pf_scan_test_walk,
	.pmd_entry = damon_pf_scan_pmd,
	.pte_entry = damon_pf_scan_pte,
	.walk_lock = PGWALK_RDLOCK,
};

/* The PROT_NONE entries of @mm's accessible mappings. */
static unsigned long damon_pf_scan_mm(struct mm_struct *mm)
{
	unsigned long nr = 0;

	mmap_read_lock(mm);
	walk_page_range(mm, 0, mm->task_size, &damon_pf_scan_ops, &nr);
	mmap_read_unlock(mm);
	return nr;
}

/* The next process from pid @nr on, with a reference, or NULL. */
static struct task_struct *damon_pf_scan_next(int *nr)
{
	struct task_struct *task = NULL;
	struct pid *pid;

	rcu_read_lock();
	while ((pid = find_ge_pid(*nr, &init_pid_ns))) {
		*nr = pid_nr(pid) + 1;
		task = pid_task(pid, PIDTYPE_TGID);
		if (task) {
			get_task_struct(task);
			break;
		}
	}
	rcu_read_unlock();
	return task;
}

static int damon_pf_scan_show(struct seq_file *m, void *v)
{
	unsigned long total = 0;
	struct task_struct *task;
	int nr = 1;

	while ((task = damon_pf_scan_next(&nr))) {
		struct mm_struct *mm = get_task_mm(task);
		unsigned long n;

		if (mm) {
			n = damon_pf_scan_mm(mm);
			mmput(mm);
			if (n)
				seq_printf(m, "%d %lu\n", task_tgid_nr(task), n);
			total += n;
		}
		put_task_struct(task);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	seq_printf(m, "total %lu\n", total);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(damon_pf_scan);

/**
 * damon_pf_scan_init() - Create <debugfs>/damon_paddr_fault/protnone_ptes.
 *
 * Without a usable debugfs the file is simply not there.
 */
void damon_pf_scan_init(void)
{
	struct dentry *dir = debugfs_create_dir("damon_paddr_fault", NULL);

	if (IS_ERR(dir))
		return;
	debugfs_create_file("protnone_ptes", 0400, dir, NULL,
			    &damon_pf_scan_fops);
	damon_pf_scan_dir = dir;
}

/**
 * damon_pf_scan_exit() - Remove <debugfs>/damon_paddr_fault/.
 */
void damon_pf_scan_exit(void)
{
	debugfs_remove(damon_pf_scan_dir);
	damon_pf_scan_dir = NULL;
}
