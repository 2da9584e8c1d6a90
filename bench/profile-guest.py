#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The guest side of 'make bench-profile' (bench/profile.sh boots a kernel
of the profile or mainline-profile flavour and runs this).

Where kdamond's time goes on the 'hold' workload of bench/guest-bench.py,
monitored as vaddr and as paddr: ftrace's function profiler
(trace_stat/function<cpu>, graph-time and sleep-time off, so that each
function's time is its own, without the traced functions it calls and
without sleeping) over the DAMON functions and the mm functions they call.

Windows on one workload process, kdamond pinned to CPU 0 and the workload
alone on CPU 1, as in make bench:

  plain   no profiling: kdamond's CPU time from /proc/<pid>/schedstat
  tiny    only the operations' prepare and check functions profiled: their
          time, nearly free of the profiler's own cost
  full    every function of FUNCS profiled
  (then plain and full again), and a short window with the
  damon:damon_aggregated tracepoint on, to count the regions.

The profiler's cost per traced call is what full adds to kdamond's CPU
time over plain, divided by the calls it counted; bench/profile-report.py
takes it off each function.  Raw results go to OUT/results.json.

Usage: profile-guest.py --kernel ours|mainline --out DIR --bin DIR
                        [--sizes 1,4] [--window S] [--modes vaddr,paddr]
"""

import argparse
import importlib.util
import json
import os
import re
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    'guest_bench', os.path.join(here, 'guest-bench.py'))
gb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gb)

TRACING = gb.TRACING
CALL = re.compile(r'([\w.]+)\(\)\s*(;|\{)')
EVENT = re.compile(r'damon_aggregated: target_id=\d+ nr_regions=(\d+)')

# The operations' entry points of both kernels: per sampling interval,
# kdamond calls one prepare and one check.
TOP = ['damon_va_prepare_access_checks*', 'damon_va_check_accesses*',
       'damon_pa_prepare_access_checks*', 'damon_pa_check_accesses*']

# DAMON's own functions (both kernels), and what of mm they call while
# sampling: page-table walk, reverse map, Accessed bits, TLB flush, the
# address space and its lock.  Names that a kernel lacks or that are
# inlined are left out (and listed in results.json).
FUNCS = ['damon_*', 'kdamond*', '__damon_*',
         'walk_page_range', 'walk_page_range_mm', '__walk_page_range',
         'walk_page_range_vma', 'mtree_load', 'walk_pgd_range', 'walk_p4d_range', 'walk_pud_range',
         'walk_pmd_range', 'walk_pte_range', 'walk_pte_range_inner',
         'walk_page_test', 'walk_hugetlb_range', 'find_vma',
         '__pte_offset_map', '__pte_offset_map_lock', 'pte_offset_map_nolock',
         'ptep_test_and_clear_young', 'pmdp_test_and_clear_young',
         '__mmu_notifier_clear_young', '__mmu_notifier_test_young',
         'rmap_walk', 'rmap_walk_anon', 'rmap_walk_file', 'rmap_walk_locked',
         'folio_lock_anon_vma_read', 'page_vma_mapped_walk',
         'anon_vma_interval_tree_iter_first',
         'anon_vma_interval_tree_iter_next', 'vma_address',
         'folio_referenced', 'folio_referenced_one', 'pfn_to_online_page',
         'page_idle_get_folio', 'folio_mkclean',
         'flush_tlb_mm_range', 'flush_tlb_func', 'native_flush_tlb_multi',
         'native_flush_tlb_one_user', 'native_flush_tlb_local',
         'flush_tlb_one_user', 'flush_tlb_local',
         'on_each_cpu_cond_mask', 'smp_call_function_many_cond',
         'get_task_mm', 'get_pid_task', 'mmput', 'down_read', 'up_read',
         'down_read_killable', 'mmap_read_lock_killable', '__cond_resched',
         'get_random_u32', 'get_random_u64', '__get_random_u32_below']


def set_filter(names):
    """Set set_ftrace_filter to the names that exist; return those."""
    gb.write(TRACING + '/set_ftrace_filter', '')
    taken = []
    # gcc's clones of a function are named name.isra.0, name.constprop.0.
    names = [n for name in names
             for n in ((name,) if '*' in name else (name, name + '.*'))]
    for name in names:
        try:
            with open(TRACING + '/set_ftrace_filter', 'a') as f:
                f.write(name + '\n')
            taken.append(name)
        except OSError:
            pass
    return taken


def read_stats(cpu):
    """trace_stat/function<cpu>: {name: [hits, time us]}."""
    stats = {}
    path = '%s/trace_stat/function%d' % (TRACING, cpu)
    if not os.path.exists(path):
        return stats
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) < 4 or not w[1].isdigit():
                continue
            stats[w[0]] = [int(w[1]), float(w[2])]
    return stats


def profiled(kdamond, seconds):
    """Profile for seconds; return (cpu s/s, per-second, {cpu: stats})."""
    gb.write(TRACING + '/function_profile_enabled', 1)   # also resets
    cpu, per_s = gb.cpu_per_second(kdamond, seconds)[:2]
    gb.write(TRACING + '/function_profile_enabled', 0)
    return cpu, per_s, {c: read_stats(c) for c in range(os.cpu_count())}


def call_tree(seconds):
    """Who calls whom among the traced functions, from function_graph.

    Returns {name: [calls, traced calls it made]} over seconds of CPU 0: the
    profiler's cost of a call lands partly in the caller's own time, and
    bench/profile-report.py takes it off there.
    """
    gb.write(TRACING + '/tracing_on', 0)
    gb.write(TRACING + '/current_tracer', 'function_graph')
    gb.write(TRACING + '/trace', '')
    gb.write(TRACING + '/tracing_on', 1)
    time.sleep(seconds)
    gb.write(TRACING + '/tracing_on', 0)
    tree, stack = {}, []
    with open(TRACING + '/per_cpu/cpu0/trace') as f:
        for line in f:
            if '|' not in line:
                continue
            body = line.split('|', 1)[1].strip()
            if body.startswith('}'):
                if stack:
                    stack.pop()
                continue
            m = CALL.match(body)
            if not m:
                continue
            name = m.group(1).split('.')[0]
            if stack:
                tree.setdefault(stack[-1], [0, 0])[1] += 1
            tree.setdefault(name, [0, 0])[0] += 1
            if m.group(2) == '{':
                stack.append(name)
    gb.write(TRACING + '/current_tracer', 'nop')
    return tree


def nr_regions(seconds):
    """Median nr_regions of the damon_aggregated events over seconds."""
    gb.tracing(True)
    time.sleep(seconds)
    gb.tracing(False)
    counts = []
    with open(TRACING + '/trace') as f:
        for line in f:
            m = EVENT.search(line)
            if m:
                counts.append(int(m.group(1)))
    counts.sort()
    return counts[len(counts) // 2] if counts else 0


def windows(args, iface, wl, mode):
    """The windows of one mode on the running workload."""
    target = wl.pid if mode == 'vaddr' else 'paddr'
    regions = gb.system_ram() if mode == 'paddr' else ()
    kdamond = iface.start(target, regions)
    time.sleep(2)
    out = []
    for kind in ('plain', 'tiny', 'full', 'plain', 'full'):
        rec = {'kind': kind}
        if kind == 'plain':
            rec['cpu_per_s'], rec['cpu_samples'] = \
                gb.cpu_per_second(kdamond, args.window)[:2]
        else:
            rec['filter'] = set_filter(TOP if kind == 'tiny' else FUNCS)
            rec['cpu_per_s'], rec['cpu_samples'], rec['stats'] = \
                profiled(kdamond, args.window)
        rec['window_s'] = args.window
        gb.log('%s %-5s %.4f CPU s/s' % (mode, kind, rec['cpu_per_s']))
        out.append(rec)
    set_filter(FUNCS)
    tree = call_tree(0.5)
    regs = nr_regions(3)
    iface.stop()
    gb.log('%s: %d regions' % (mode, regs))
    return {'mode': mode, 'nr_regions': regs, 'windows': out, 'tree': tree}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, choices=('ours', 'mainline'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin', required=True)
    ap.add_argument('--sizes', default='1,4')
    ap.add_argument('--modes', default='vaddr,paddr')
    ap.add_argument('--window', type=float, default=10)
    ap.add_argument('--noflush', action='store_true',
                    help='our translation flush off (flush_sampled_tlb=N)')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    gb.pin(0, gb.MONITOR_CPU)
    iface = gb.Dbgfs()
    gb.write(TRACING + '/trace_clock', 'mono')
    gb.write(TRACING + '/buffer_size_kb', 8192)
    # Each function's own time: without the traced functions it calls,
    # and without the time it slept (cond_resched(), the mmap lock).
    gb.write(TRACING + '/options/graph-time', 0)
    gb.write(TRACING + '/options/sleep-time', 0)
    gb.set_flush(not args.noflush)
    res = {'kernel': args.kernel, 'uname': os.uname().release,
           'flush': not args.noflush and os.path.exists(gb.FLUSH),
           'window': args.window, 'runs': []}
    for gib in (int(x) for x in args.sizes.split(',')):
        wl = gb.Workload(os.path.join(args.bin, 'workload'),
                         ['-p', 'hold', '-s', str(gib << 10), '-H', '10',
                          '-d', '100000', '-P', '0.5', '-T', 'nothp'])
        wl.wait_ready()
        wl.started.wait()
        steady = wl.settle()
        gb.log('hold %d GiB: %s' % (gib, 'steady' if steady else 'unsteady'))
        for mode in args.modes.split(','):
            run = windows(args, iface, wl, mode)
            run['size_gib'] = gib
            res['runs'].append(run)
        wl.stop()
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
