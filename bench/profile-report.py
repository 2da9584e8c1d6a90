#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where kdamond's time goes: the table of 'make bench-profile'.

Reads the results.json that bench/profile-guest.py left for each kernel
and prints, per kernel, mode and size, the cost of one sampling interval
split into: page-table walk, reverse-map walk, Accessed-bit test and clear,
TLB flush, folio lookup and flags, the rest of the operations (address
space, mmap lock, randomness, the prepare/check loops themselves) and the
core (kdamond's CPU time without profiling, less all of the above).

Each function's profiled time is its own (graph-time off), so the
categories add up.  The profiler costs something per traced call: c = (CPU
time of kdamond in the full windows - in the plain windows) / calls traced
in the full windows.  Corrected time = raw - c * calls, per function (the
cost of a call lands partly in its caller's own time; the sum is right).

Usage: profile-report.py DIR...   (each DIR holds one results.json)
"""

import json
import os
import statistics
import sys

CATS = ('ptwalk', 'rmap', 'abit', 'flush', 'folio', 'ops', 'core')
LABEL = {'ptwalk': 'page-table walk', 'rmap': 'rmap walk',
         'abit': 'Accessed bit', 'flush': 'TLB flush',
         'folio': 'folio lookup', 'ops': 'ops other', 'core': 'core (rest)'}

ABIT = {'ptep_test_and_clear_young', 'pmdp_test_and_clear_young',
        'damon_ptep_mkold', 'damon_pmdp_mkold', 'damon_ptep_young',
        'damon_pmdp_young', 'damon_hugetlb_mkold', 'damon_hugetlb_young',
        '__mmu_notifier_clear_young', '__mmu_notifier_test_young'}
RMAP = {'rmap_walk', 'rmap_walk_anon', 'rmap_walk_file', 'rmap_walk_locked',
        'folio_lock_anon_vma_read', 'page_vma_mapped_walk',
        'anon_vma_interval_tree_iter_first',
        'anon_vma_interval_tree_iter_next', 'anon_vma_interval_tree_iter_ne',
        'anon_vma_interval_tree_iter_fi', 'vma_address', 'damon_pa_rmap',
        'damon_pa_mkold_one', 'damon_pa_young_one', 'damon_pa_init_pvmw',
        'damon_folio_mkold_one', 'damon_folio_young_one',
        'folio_referenced', 'folio_referenced_one'}
PTWALK = {'walk_page_range', 'walk_page_range_mm', '__walk_page_range',
          'walk_page_range_vma', 'mtree_load',
          'walk_pgd_range', 'walk_p4d_range', 'walk_pud_range',
          'walk_pmd_range', 'walk_pte_range', 'walk_pte_range_inner',
          'walk_page_test', 'walk_hugetlb_range', 'find_vma',
          '__pte_offset_map', '__pte_offset_map_lock',
          'pte_offset_map_nolock', 'damon_va_mkold_pte', 'damon_va_mkold_pmd',
          'damon_va_young_pte', 'damon_va_young_pmd',
          'damon_va_lock_huge_pmd', 'damon_va_walk_addr',
          'damon_va_mkold_hugetlb', 'damon_va_young_hugetlb',
          'damon_mkold_pmd_entry', 'damon_young_pmd_entry',
          'damon_mkold_hugetlb_entry', 'damon_young_hugetlb_entry',
          'damon_va_mkold', 'damon_va_young'}
FOLIO = {'damon_get_folio', 'pfn_to_online_page', 'damon_folio_used',
         'damon_folio_mkold', 'page_idle_get_folio'}
OPS = {'damon_va_prepare_access_checks', 'damon_va_check_accesses',
       'damon_pa_prepare_access_checks', 'damon_pa_check_accesses',
       'damon_va_get_mm', 'damon_get_mm', 'damon_get_task_struct',
       'get_task_mm', 'get_pid_task', 'mmput', 'down_read', 'up_read',
       'down_read_killable', '__cond_resched', 'damon_va_relax',
       'damon_pa_mkold', 'damon_pa_young', '__damon_va_prepare_access_check',
       '__damon_va_check_access', '__damon_pa_prepare_access_check',
       '__damon_pa_check_access', 'get_random_u32', 'get_random_u64',
       '__get_random_u32_below', 'damon_rand'}
# Same name, other job: mainline's damon_folio_mkold/young walk the rmap.
MAINLINE = {'damon_folio_mkold': 'rmap', 'damon_folio_young': 'rmap'}


def category(kernel, name):
    if kernel == 'mainline' and name in MAINLINE:
        return MAINLINE[name]
    if 'flush_tlb' in name or name.startswith('damon_tlb_') or name in (
            'on_each_cpu_cond_mask', 'smp_call_function_many_cond'):
        return 'flush'
    for cat, names in (('abit', ABIT), ('rmap', RMAP), ('ptwalk', PTWALK),
                       ('folio', FOLIO), ('ops', OPS)):
        if name in names:
            return cat
    return 'core'


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def stats(win, cpu):
    """A window's profile of one CPU, {name: [hits, us]}, with gcc's clone
    suffixes (.isra.0, .constprop.0) folded into the function's name."""
    out = {}
    for name, (h, t) in win['stats'].get(str(cpu), {}).items():
        acc = out.setdefault(name.split('.')[0], [0, 0.0])
        acc[0] += h
        acc[1] += t
    return out


def median_cpu(wins):
    """Median per-second kdamond CPU (s/s) over the given windows."""
    return statistics.median(s for w in wins for s in w['cpu_samples'])


def analyse(kernel, run, calib=None):
    """The breakdown of one run (one mode, one size), ns per interval.

    calib: (c, c_in) to use instead of this run's own, for runs whose
    kdamond CPU time is too noisy to show the profiler's cost (ours with
    the flush on: most of it is waiting for the workload's CPU).
    """
    wins = run['windows']
    plain = [w for w in wins if w['kind'] == 'plain']
    full = [w for w in wins if w['kind'] == 'full']
    tiny = [w for w in wins if w['kind'] == 'tiny']
    prep = 'damon_%s_prepare_access_checks' % run['mode'][:2]
    check = 'damon_%s_check_accesses' % run['mode'][:2]
    cpu_plain, cpu_full = median_cpu(plain), median_cpu(full)
    # Functions by CPU 0 (kdamond's) summed over the full windows.
    hits, us = {}, {}
    for w in full:
        for name, (h, t) in stats(w, 0).items():
            hits[name] = hits.get(name, 0) + h
            us[name] = us.get(name, 0.0) + t
    secs = sum(w['window_s'] for w in full)
    intervals = hits.get(prep, 0)
    if not intervals:
        return None
    # One walk (vaddr: walk_page_range() in mainline, walk_page_range_vma()
    # in ours) or one folio lookup (paddr) per region in prepare and again
    # in check.
    per_region = ['walk_page_range', 'walk_page_range_vma'] \
        if run['mode'] == 'vaddr' else ['damon_get_folio']
    regions = sum(hits.get(f, 0) for f in per_region) / 2 / intervals
    calls = sum(hits.values())
    # The profiler's cost per traced call, c, from kdamond's CPU time.  The
    # part inside the callee's own timing, c_in, is at most the own time
    # of the cheapest function called at least once an interval (a few
    # instructions: up_read(), pfn_to_online_page()); the rest, c_out,
    # lands in the caller's own time.
    c_ns = max(0.0, (cpu_full - cpu_plain) * secs * 1e9 / calls)
    c_in = min(us[f] * 1e3 / hits[f] for f in hits if hits[f] >= intervals)
    c_in = min(c_in, c_ns)
    if calib:
        c_ns, c_in = calib
    c_out = c_ns - c_in
    tree = run.get('tree', {})

    def children(f):
        t = tree.get(f)
        return hits[f] * t[1] / t[0] if t and t[0] else 0.0

    raw = dict.fromkeys(CATS, 0.0)
    cor = dict.fromkeys(CATS, 0.0)
    own = {}
    for name in hits:
        cat = category(kernel, name)
        own[name] = (us[name] * 1e3 - c_in * hits[name] -
                     c_out * children(name)) / intervals
        raw[cat] += us[name] * 1e3 / intervals
        cor[cat] += own[name]
    # Intervals per second from the profiled windows; the plain CPU time
    # per interval is the uninstrumented total the corrected parts share.
    per_s = intervals / secs
    total_plain = cpu_plain * 1e9 / per_s
    total_full = cpu_full * 1e9 / per_s
    ops = sum(cor[c] for c in CATS if c != 'core')
    cor['core'] = total_plain - ops
    raw['core'] = total_full - sum(raw[c] for c in CATS if c != 'core')
    # The tiny windows: prepare + check alone, nearly unperturbed.
    t_int = sum(stats(w, 0).get(prep, [0, 0])[0] for w in tiny)
    t_us = sum(stats(w, 0).get(n, [0, 0])[1]
               for w in tiny for n in (prep, check))
    t_secs = sum(w['window_s'] for w in tiny)
    ipi = sum(stats(w, 1).get('flush_tlb_func', [0, 0.0])[1] for w in full)
    return {'raw': raw, 'cor': cor, 'c_ns': c_ns, 'c_in': c_in,
            'calls': calls / intervals, 'per_s': per_s,
            'tiny_per_s': t_int / t_secs if t_secs else 0.0,
            'cpu_plain': cpu_plain, 'cpu_full': cpu_full,
            'total_plain': total_plain, 'total_full': total_full,
            'tiny_ops': t_us * 1e3 / t_int if t_int else 0.0,
            'ops_cor': ops, 'ipi': ipi * 1e3 / intervals,
            'regions': regions, 'hits': hits, 'us': us, 'own': own,
            'intervals': intervals}


def table(kernel, res, calib):
    print('%s (%s), flush %s, %g s windows' %
          (kernel, res['uname'], 'on' if res['flush'] else 'off/none',
           res['window']))
    print('ns per sampling interval (raw | corrected), and corrected ns per '
          'region per sample')
    head = '%-16s' % ''
    rows = {c: '%-16s' % LABEL[c] for c in CATS}
    extra = {k: '%-16s' % k for k in ('total', 'cpu s/s', 'intervals/s',
                                      'regions', 'traced calls',
                                      'c ns/call', 'tiny prep+check',
                                      'IPI on workload')}
    out = []
    for run in res['runs']:
        a = analyse(kernel, run)
        # Too noisy to show the profiler's cost (a loaded host, where our
        # flush waits for milliseconds): take it from the other runs.
        used = a is not None and a['c_ns'] <= 0 and run['mode'] in calib
        if used:
            a = analyse(kernel, run, calib[run['mode']])
        if a is None:
            continue
        out.append((run, a))
        head += ' | %5s %d GiB %19s' % (run['mode'], run['size_gib'], '')
        for c in CATS:
            per_r = a['cor'][c] / a['regions'] if a['regions'] else 0
            rows[c] += ' | %9.0f %9.0f %8.0f' % (a['raw'][c], a['cor'][c],
                                                  per_r)
        tot_r = a['total_plain'] / a['regions'] if a['regions'] else 0
        extra['total'] += ' | %9.0f %9.0f %8.0f' % (
            a['total_full'], a['total_plain'], tot_r)
        extra['cpu s/s'] += ' | %9.4f %9.4f %8s' % (a['cpu_full'],
                                                    a['cpu_plain'], '')
        extra['intervals/s'] += ' | %9.1f %9s %8.1f' % (a['per_s'], '',
                                                     a['tiny_per_s'])
        extra['regions'] += ' | %28.1f' % a['regions']
        extra['traced calls'] += ' | %28.0f' % a['calls']
        extra['c ns/call'] += ' | %17.0f%s in %6.0f' % (
            a['c_ns'], '*' if used else ' ', a['c_in'])
        extra['tiny prep+check'] += ' | %9.0f %9.0f %8s' % (
            a['tiny_ops'], a['ops_cor'], '')
        extra['IPI on workload'] += ' | %9.0f %9s %8s' % (a['ipi'], '', '')
    print(head)
    for c in CATS:
        print(rows[c])
    for v in extra.values():
        print(v)
    print()
    return out


def top(kernel, out, n=12):
    """The costliest functions of each run, corrected, ns per interval."""
    for run, a in out:
        print('%s %s %d GiB: top functions (own time, corrected ns/interval,'
              ' calls/interval)' % (kernel, run['mode'], run['size_gib']))
        rows = sorted(((a['own'][f], a['hits'][f] / a['intervals'], f)
                       for f in a['hits']), reverse=True)[:n]
        for ns, calls, f in rows:
            print('  %-36s %-7s %9.0f %7.1f' % (f, category(kernel, f), ns,
                                                calls))
    print()


def calibration(results):
    """Per mode, the median profiler cost (c, c_in) of the runs that
    show it."""
    cs = {}
    for res in results:
        for run in res['runs']:
            a = analyse(res['kernel'], run)
            if a and a['c_ns'] > 0:
                cs.setdefault(run['mode'], []).append((a['c_ns'], a['c_in']))
    return {m: (statistics.median(c for c, _ in v),
                statistics.median(i for _, i in v)) for m, v in cs.items()}


def main():
    results = []
    for d in sys.argv[1:]:
        path = os.path.join(d, 'results.json')
        if not os.path.exists(path):
            print('%s: no results' % d)
            continue
        with open(path) as f:
            results.append(json.load(f))
    calib = calibration(results)
    for res in results:
        out = table(res['kernel'], res, calib)
        top(res['kernel'], out)
    print('c ns/call: the profiler\'s cost per traced call, of which "in" '
          'lands in the callee\'s own time; * = from the other runs (this '
          'one too noisy to show it)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
