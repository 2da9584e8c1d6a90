#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_LRU_SORT moves a process's hot memory to the active LRU lists and
its cold memory to the inactive ones.

hot_set_workload keeps touching 20 MiB of a 100 MiB buffer.  New anonymous
pages start on the inactive list, and without memory pressure nothing moves
them, so before DAMON_LRU_SORT runs most of the hot pages are inactive.
With watermarks that keep it working and a cold_min_age of 2 s, within
30 s at least 90 % of the hot pages must be on an active list and at least
90 % of the cold 80 MiB on an inactive one (/proc/kpageflags), and
/proc/vmstat must count at least as many activations as hot pages became
active (when the kernel counts them).  Not all of them need be active at
that point: a 2 MiB block of the hot set alone among idle pages may be
found later (lib_modules.HOT_LOOK_MIN).

Environment: DAMON_TEST_SECONDS, how long to wait (default 30).
"""

import os
import sys
import time

from lib_dbgfs import KSFT_PASS, fail, skip
from lib_damon_access import Workload, workload_path
from lib_modules import PAGE, Module, active_share, kdamonds, vmstat

BUF_MIB, HOT_MIB, HOT_OFF_MIB = 100, 20, 40
DEADLINE = float(os.environ.get('DAMON_TEST_SECONDS', '30'))
GOAL = 0.9


def main():
    if os.geteuid():
        skip('needs root')
    m = Module('damon_lru_sort')
    if not workload_path():
        skip('hot_set_workload is not built')
    if not os.path.exists('/proc/kpageflags'):
        skip('no /proc/kpageflags (CONFIG_PROC_PAGE_MONITOR)')
    if kdamonds():
        fail('a kdamond runs before the test')

    w = Workload(['-b', str(BUF_MIB), '-h', str(HOT_MIB),
                  '-o', str(HOT_OFF_MIB)])
    try:
        run(m, w)
    finally:
        w.stop()
        m.restore()
    if kdamonds():
        fail('kdamond left after disabling')
    return KSFT_PASS


def shares(w):
    """(hot pages active, cold pages inactive), as shares."""
    hot_active, _ = active_share(w.pid, *w.hot)
    _, low_inactive = active_share(w.pid, w.buf[0], w.hot[0])
    _, high_inactive = active_share(w.pid, w.hot[1], w.buf[1])
    low, high = w.hot[0] - w.buf[0], w.buf[1] - w.hot[1]
    return hot_active, (low_inactive * low + high_inactive * high) / \
        (low + high)


def run(m, w):
    time.sleep(1)
    hot0, cold0 = shares(w)
    activated0 = vmstat('pgactivate')
    print('# before: hot active %.1f%%, cold inactive %.1f%%'
          % (100 * hot0, 100 * cold0))
    m.always_active()
    m.set(cold_min_age=2000000, hot_thres_access_freq=500, quota_ms=0)
    m.write('enabled', 'Y')
    began = time.monotonic()
    while True:
        time.sleep(1)
        now = time.monotonic() - began
        hot, cold = shares(w)
        print('# %4.1fs hot active %5.1f%%, cold inactive %5.1f%%'
              % (now, 100 * hot, 100 * cold))
        if hot >= GOAL and cold >= GOAL:
            break
        if now >= DEADLINE:
            fail('after %d s: hot active %.1f%%, cold inactive %.1f%%'
                 % (DEADLINE, 100 * hot, 100 * cold))
    hot_pages = (w.hot[1] - w.hot[0]) // PAGE
    print('# hot: %s bytes sorted, cold: %s bytes sorted'
          % (m.read('bytes_lru_sorted_hot_regions'),
             m.read('bytes_lru_sorted_cold_regions')))
    if activated0 is None:
        print('# no pgactivate in /proc/vmstat (CONFIG_VM_EVENT_COUNTERS)')
    else:
        activated = vmstat('pgactivate') - activated0
        moved = int((hot - hot0) * hot_pages)
        print('# pgactivate +%d' % activated)
        if activated < moved:
            fail('pgactivate rose by %d only, for %d hot pages made active'
                 % (activated, moved))
    print('ok: hot set active (%.1f%% -> %.1f%%), cold set inactive in %.1f s'
          % (100 * hot0, 100 * hot, now))


if __name__ == '__main__':
    sys.exit(main())
