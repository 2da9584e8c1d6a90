#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS migrate_cold and migrate_hot of paddr move pages to target_nid.

Needs two NUMA nodes (guest-run.sh boots with numa=fake=2).  In each of
two rounds hot_set_workload, bound to node 0, writes a 128 MiB buffer once
and then keeps touching its first 32 MiB.  Kdamond 0 monitors all of RAM
through paddr with one scheme, set through sysfs:

- migrate_cold, target_nid 1, for what has not been accessed for 2 s:
  within DEADLINE seconds at least 90 % of the cold 96 MiB must be on
  node 1, while at least 85 % of the hot 32 MiB stays on node 0;
- migrate_hot, target_nid 1, for what was accessed in at least half of
  the samples: at least 90 % of the hot 32 MiB must move to node 1,
  while at least 85 % of the cold part stays on node 0.

Where the pages are is asked with move_pages(2).  The scheme's stats must
agree: sz_applied counts at least the workload's bytes that moved (other
memory of the guest matches the pattern too; with transparent huge pages,
a folio that straddles two regions must still be counted whole), and
nr_applied is positive.  Prints how long each round took to get there and
how much node 1's used memory grew (only roughly what moved: other
memory comes and goes).
"""

import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import Workload, workload_path
from lib_damos import MIB, PAGE, ULONG_MAX
from lib_sysfs import Sysfs
import lib_damos_sysfs as ds

ATTRS = '5000 100000 1000000 100 1000'
BUF_MIB, HOT_MIB = 128, 32
DEADLINE = 45.0
GOAL = 0.9
# What must stay: less strict, since a region of the hot part's edge may
# take a huge page of the other part with it.
STAY = 0.85


def node_used(nid):
    """Bytes of node nid's memory in use."""
    with open('/sys/devices/system/node/node%d/meminfo' % nid) as f:
        for line in f:
            if line.split()[2] == 'MemUsed:':
                return int(line.split()[3]) * 1024
    fail('no MemUsed in node%d/meminfo' % nid)
    return 0


def start_workload():
    """hot_set_workload with all of its memory on node 0."""
    ds.bind_to_node(0)
    try:
        wl = Workload(['-b', str(BUF_MIB), '-h', str(HOT_MIB), '-o', '0',
                       '-t', '120'])
    finally:
        ds.bind_to_node(None)
    parts = {'hot': wl.hot, 'cold': (wl.hot[1], wl.buf[1])}
    for name, (start, end) in parts.items():
        on0 = ds.nodes_of(wl.pid, start, end).get(0, 0)
        if on0 < (end - start) * GOAL:
            wl.stop()
            fail('%s part not on node 0 to begin with: %d of %d MiB' %
                 (name, on0 // MIB, (end - start) // MIB))
    return wl, parts


def share(wl, part, nid):
    start, end = part
    return ds.nodes_of(wl.pid, start, end).get(nid, 0) / (end - start)


def run_round(s, action, nr_accesses, age):
    """One round; the part that must move is cold for migrate_cold."""
    wl, parts = start_workload()
    moving, staying = (('cold', 'hot') if action == 'migrate_cold' else
                       ('hot', 'cold'))
    try:
        used1 = node_used(1)
        s.monitor_paddr(ATTRS, *largest_ram())
        s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 1)
        ds.set_scheme(s, 0, action, sz=(PAGE, ULONG_MAX),
                      nr_accesses=nr_accesses, age=age, target_nid=1)
        s.on()
        start = time.monotonic()
        reached, stay_min = None, 1.0
        while time.monotonic() - start < DEADLINE:
            time.sleep(0.5)
            stay_min = min(stay_min, share(wl, parts[staying], 0))
            if share(wl, parts[moving], 1) >= GOAL:
                reached = time.monotonic() - start
                break
        moved = share(wl, parts[moving], 1)
        st = ds.stats(s, 0)
        s.off()
        grown = node_used(1) - used1
    finally:
        wl.stop()
    size = parts[moving][1] - parts[moving][0]
    print('%s: %.0f %% of the %s %d MiB on node 1 after %s s; the %s part '
          'kept at least %.0f %% on node 0; node 1 grew by %.1f MiB; '
          'stats %s' %
          (action, moved * 100, moving, size // MIB,
           '%.1f' % reached if reached is not None else 'never (%d)' %
           DEADLINE, staying, stay_min * 100, grown / MIB, st))
    if reached is None:
        fail('%s moved %.0f %% of the %s part to node 1 in %d s' %
             (action, moved * 100, moving, DEADLINE))
    if stay_min < STAY:
        fail('%s moved the %s part too: only %.0f %% stayed on node 0' %
             (action, staying, stay_min * 100))
    if st['nr_applied'] == 0 or st['sz_applied'] < size * moved:
        fail('%s stats count less than what moved (%.1f MiB): %s' %
             (action, size * moved / MIB, st))


def main():
    s = Sysfs.setup()
    ds.need_node(1)
    if not workload_path():
        skip('hot_set_workload not built')
    if not s.has_paddr():
        skip('no paddr operations set')
    # Cold: not accessed in the last 2 s.  Hot: seen accessed in at least
    # 10 of the 20 samples of an aggregation, for at least 0.5 s.
    run_round(s, 'migrate_cold', (0, 0), (20, ULONG_MAX))
    run_round(s, 'migrate_hot', (10, ULONG_MAX), (5, ULONG_MAX))
    s.check_no_splat()
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
