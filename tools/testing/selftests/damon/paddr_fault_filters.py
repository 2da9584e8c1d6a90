#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write-only and per-CPU monitoring with paddr_fault, with NUMA balancing
off and on, and no PROT_NONE entry left behind.

rw_workload writes 10 MiB (A) and only reads another 10 MiB (B).  With the
report filter write_only=1, A must be seen accessed and B not; without a
filter, both.  Two rw_workloads, one pinned to CPU 1 writing C and one
pinned to CPU 0 writing D, each from its own NUMA node where there are
two: with cpus=1, C must be seen and D not.  "Seen" means at least 90 % of
the area's pages lie in regions reported accessed, "not seen" at most
10 %; each must hold in at least 90 % of the aggregations after the first
second in which each workload ran for at least 10 % of the time (at least
5 of them; on a loaded machine a workload may get no CPU for a while).

DAMON counts a region accessed if a report hit any of its pages, and merges
neighbours whose access counts differ little, so a region may hold pages
of an area that must not be seen next to pages that are really accessed
now and then (through the filter) by something else.  The test keeps the
truth simple so that the expectation is exact for regions: this script
(and with it its trace reader thread) and the NUMA balancing workload run
on CPU 0 only, so CPU 1 runs nothing but the workload under test; and the
read area B and C take their memory from node 1, where nothing else of
the test lives, so that B has only unwritten memory around it: not even
A, whose huge pages would otherwise lie between B's, each edge of them
a place where a region may hold written pages of A and read ones of B.

All of it runs twice: with NUMA balancing off, as the test guest boots,
and on (kernel.numa_balancing=1).  The workloads keep NUMA balancing off
their own memory (rw_workload -N) so that their pages stay put; another
one, which does not, keeps NUMA balancing busy in the second run.  With
balancing off, the NUMA hinting fault counter must not move although
paddr_fault takes thousands of PROT_NONE faults: each of them is DAMON's.
With balancing on, it must move: NUMA balancing still gets its own.

After each run, the PROT_NONE entries of every process are counted
(<debugfs>/damon_paddr_fault/protnone_ptes): the workloads must have
none, and no process may have more than before the run (with balancing
off nothing else makes them).  Also: the operations set and the filters
cannot change while monitoring runs, a CPU list naming a CPU the machine
cannot have is refused, and one naming an offline CPU is taken.

Environment: DAMON_TEST_SECONDS (monitoring time per run, default 8; up
to three times that while a slow kdamond has traced fewer than 20
aggregations).
"""

import os
import statistics
import sys

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import percent
from lib_paddr_fault import (NUMA, SCAN, RwWorkload, monitor, protnone,
                             rw_workload_path, seen, set_numa, vmstat)

HOT, COLD, MIN_GOOD = 0.9, 0.1, 0.9
# An aggregation counts if each workload ran for this share of it, and at
# least this many must count.
RAN, MIN_AGGRS = 0.1, 5
CPU_ONLINE = '/sys/devices/system/cpu/cpu1/online'


def judge(what, aggrs, areas):
    """Whether in MIN_GOOD of aggrs, [(regions, shares)] from monitor(),
    each area of areas, a list of (name, page frames, hot), was seen
    accessed (hot) or not (not hot).  Only aggregations in which each
    workload ran for RAN of the time count: on a loaded machine a workload
    may not run at all for a while, and its area is then rightly not seen,
    nor proves anything by not being seen."""
    ran = [regions for regions, shares in aggrs if min(shares) >= RAN]
    if len(ran) < MIN_AGGRS:
        print('  %s: only %d of %d aggregations had the workloads running, '
              '%d needed' % (what, len(ran), len(aggrs), MIN_AGGRS))
        return False
    good = 0
    shares = [[seen(regions, pfns) for _, pfns, _ in areas]
              for regions in ran]
    for s in shares:
        good += all(x >= HOT if hot else x <= COLD
                    for x, (_, _, hot) in zip(s, areas))
    print('  %s: %d of %d aggregations with the workloads running (median '
          'share %s), %s good; seen (median, min, max): %s' %
          (what, len(ran), len(aggrs),
           percent(statistics.median(min(sh) for _, sh in aggrs)),
           percent(good / len(ran)),
           ', '.join('%s %s %s %s' % (name, percent(statistics.median(col)),
                                      percent(min(col)), percent(max(col)))
                     for (name, _, _), col in zip(areas, zip(*shares)))))
    return good / len(ran) >= MIN_GOOD


def check_left(before, pids, strict):
    """No workload keeps a PROT_NONE entry; with strict, nobody has more
    than before."""
    after, total = protnone()
    for pid in pids:
        if after.get(pid, 0):
            fail('pid %d keeps %d PROT_NONE entries after monitoring' %
                 (pid, after[pid]))
    if strict:
        grown = {p: n for p, n in after.items() if n > before.get(p, 0)}
        if grown:
            fail('PROT_NONE entries left after monitoring: %s' % grown)
    return total


def numa_nodes():
    return len([n for n in os.listdir('/sys/devices/system/node')
                if n.startswith('node')])


def run_all(d, ram, seconds, numa):
    failed = []
    strict = numa == '0'
    two_cpus = os.cpu_count() >= 2
    # Node 1, where there are two, holds only what is under test: B and C.
    far = '1' if numa_nodes() >= 2 else '0'

    before, _ = protnone()
    hints = vmstat('numa_hint_faults')
    # Not pinned by itself: it runs where this script does (CPU 0).
    busy = RwWorkload(['-w', '32']) if numa == '1' else None
    # A on node 0, away from B: a region that held the edge of both would
    # see B's pages there written.
    wl = RwWorkload(['-w', '10', '-r', '10', '-N', '0', '-R', far] +
                    (['-c', '1'] if two_cpus else []))
    try:
        a, b = wl.pfns(wl.written), wl.pfns(wl.read)
        aggrs = monitor(d, ram, seconds, 'write_only=1 cpus=all',
                        [wl.pid])
        check_left(before, [wl.pid], strict)
        if not judge('write-only', aggrs,
                     [('written', a, True), ('read', b, False)]):
            failed.append('write-only')
        aggrs = monitor(d, ram, seconds, pids=[wl.pid])
        check_left(before, [wl.pid], strict)
        if not judge('no filter', aggrs,
                     [('written', a, True), ('read', b, True)]):
            failed.append('no filter')
    finally:
        wl.stop()
    if two_cpus:
        # D on node 0 lies among the pages of this script and of busy,
        # which run on CPU 0 too: cpus=1 must not count any of them.
        on1 = RwWorkload(['-w', '10', '-c', '1', '-N', far])
        on0 = RwWorkload(['-w', '10', '-c', '0', '-N', '0'])
        try:
            c, dd = on1.pfns(on1.written), on0.pfns(on0.written)
            aggrs = monitor(d, ram, seconds, 'cpus=1',
                            [on1.pid, on0.pid])
            check_left(before, [on1.pid, on0.pid], strict)
            if not judge('cpus=1', aggrs,
                         [('CPU 1\'s', c, True), ('CPU 0\'s', dd, False)]):
                failed.append('per-CPU')
        finally:
            on1.stop()
            on0.stop()
    else:
        print('  per-CPU: skipped, one CPU only')
    if busy:
        busy.stop()
    hints = vmstat('numa_hint_faults') - hints
    print('  NUMA hinting faults meanwhile: %d' % hints)
    if numa == '0' and hints:
        failed.append('%d PROT_NONE faults went to NUMA balancing' % hints)
    if numa == '1' and not hints:
        failed.append('NUMA balancing got no hinting fault')
    return failed


def bad_cpus(d):
    """A CPU list may name offline CPUs, not impossible ones."""
    with open('/sys/devices/system/cpu/possible') as f:
        last = int(f.read().strip().replace(',', '-').split('-')[-1])
    if d.try_write('report_filters', 'cpus=0,%d' % (last + 1)) is None:
        fail('report_filters took CPU %d, which cannot exist' % (last + 1))
    if not os.path.exists(CPU_ONLINE):
        print('  offline CPU: skipped, CPU 1 cannot go offline')
        return
    with open(CPU_ONLINE, 'w') as f:
        f.write('0')
    try:
        err = d.try_write('report_filters', 'cpus=1')
    finally:
        with open(CPU_ONLINE, 'w') as f:
            f.write('1')
    if err is not None or d.read('report_filters') != 'write_only=0 cpus=1':
        fail('report_filters refused offline CPU 1: %s' %
             (os.strerror(err) if err else d.read('report_filters')))
    d.write('report_filters', 'cpus=all')


def main():
    seconds = float(os.environ.get('DAMON_TEST_SECONDS', '8'))
    d = Dbgfs.setup()
    if d.try_write('target_ids', 'paddr_fault') is not None:
        skip('no paddr_fault operations set')
    if not os.path.exists(SCAN) or vmstat('numa_hint_faults') is None:
        skip('no %s or no NUMA balancing counters' % SCAN)
    if not rw_workload_path():
        skip('rw_workload is not built')
    d.saved['report_filters'] = d.read('report_filters')
    d.SAVED = d.SAVED + ('report_filters',)
    ram = largest_ram()
    bad_cpus(d)
    if os.cpu_count() >= 2:
        # Before the trace reader threads and workloads, which inherit it.
        os.sched_setaffinity(0, {0})
    old = set_numa('0')
    failed = []
    try:
        for numa in ('0', '1'):
            print('NUMA balancing %s:' % ('off' if numa == '0' else 'on'))
            set_numa(numa)
            failed += ['NUMA %s: %s' % (numa, f)
                       for f in run_all(d, ram, seconds, numa)]
    finally:
        set_numa(old)
    d.check_no_splat()
    if failed:
        fail('; '.join(failed))
    print('PASS: write-only and per-CPU monitoring with NUMA balancing '
          'off and on')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
