#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_RECLAIM pages out a process's cold memory and leaves its hot
memory alone.

hot_set_workload keeps touching 20 MiB of a 220 MiB buffer; the other
200 MiB it wrote once and never again.  DAMON_RECLAIM, with watermarks that
keep it working and a min_age of 3 s, must page out at least 90 % of the
cold 200 MiB (the process's RSS falls by 180 MiB or more, and as much swap
gets used) within two minutes, while the hot 20 MiB stays resident: at every
look at least 80 % of its pages are present, at least 99 % once the cold
memory is gone, and the workload faults less than a fifth of it back in
(what reclaim wrongly took and it touched again: its major faults; swap-ins
of the whole system count other processes' cold memory too, which reclaim
rightly takes).  lib_modules.HOT_LOOK_MIN says why a block of the hot set
may be taken by mistake now and then.  Swap space is the guest's, or a zram
device set up here.

bytes_reclaimed_regions counts the pages a pass of the scheme freed.  On a
swap device that writes asynchronously (a disk, unlike zram), a page is
still under writeback when its pass ends; the next pass over its region,
min_age later, frees it.  So the statistic catches up with the RSS some
seconds later, and the test waits for both.

Environment: DAMON_TEST_SECONDS, how long to wait for the cold memory to go
(default 120: about 20 s on an idle machine, 30 to 60 s while other guests
and builds load it).
"""

import os
import sys
import time

from lib_dbgfs import KSFT_PASS, fail, skip
from lib_damon_access import Workload, workload_path
from lib_modules import (HOT_LOOK_MIN, MIB, PAGE, Module, check_hot_look,
                         ensure_swap, kdamonds, major_faults, pagemap,
                         present, rss, swap_total, vmstat, wait_hot_back)

COLD_MIB, HOT_MIB = 200, 20
DEADLINE = float(os.environ.get('DAMON_TEST_SECONDS', '120'))
# After the cold memory is gone, keep watching the hot set this long.
SETTLE = 3


def main():
    if os.geteuid():
        skip('needs root')
    m = Module('damon_reclaim')
    if not workload_path():
        skip('hot_set_workload is not built')
    if kdamonds():
        fail('a kdamond runs before the test')
    ensure_swap()

    w = Workload(['-b', str(COLD_MIB + HOT_MIB), '-h', str(HOT_MIB),
                  '-o', str(COLD_MIB)])
    try:
        run(m, w)
    finally:
        w.stop()
        m.restore()
    if kdamonds():
        fail('kdamond left after disabling')
    return KSFT_PASS


def run(m, w):
    time.sleep(1)
    rss0, swap0, swpin0 = rss(w.pid), swap_total()[1], vmstat('pswpin')
    majflt0 = major_faults(w.pid)
    hot_pages = (w.hot[1] - w.hot[0]) // PAGE
    m.always_active()
    m.set(min_age=3000000, quota_ms=0, quota_sz=0, skip_anon='N')
    m.write('enabled', 'Y')
    began = time.monotonic()
    print('# rss before %.1f MiB' % (rss0 / MIB))

    gone_at = counted_at = None
    while time.monotonic() - began < DEADLINE:
        time.sleep(1)
        now = time.monotonic() - began
        cur = rss(w.pid)
        hot_present = present(pagemap(w.pid, *w.hot))
        reclaimed = int(m.read('bytes_reclaimed_regions'))
        print('# %4.1fs rss %6.1f MiB, swap used %6.1f MiB, reclaimed '
              '%6.1f MiB, hot present %5.1f%%'
              % (now, cur / MIB, (swap_total()[1] - swap0) / MIB,
                 reclaimed / MIB, 100 * hot_present / hot_pages))
        check_hot_look(hot_present, hot_pages, now)
        if gone_at is None and rss0 - cur >= 0.9 * COLD_MIB * MIB:
            gone_at = now
        if counted_at is None and reclaimed >= 0.9 * COLD_MIB * MIB:
            counted_at = now
        if gone_at is not None and counted_at is not None and \
                now - gone_at >= SETTLE:
            break
    if gone_at is None:
        fail('rss fell by %.1f MiB only in %d s, expected %.1f'
             % ((rss0 - rss(w.pid)) / MIB, DEADLINE, 0.9 * COLD_MIB))
    hot_back = wait_hot_back(w.pid, w.hot)
    swapped = swap_total()[1] - swap0
    faulted_in = (major_faults(w.pid) - majflt0) * PAGE
    if swpin0 is not None:
        print('# the whole system swapped in %.1f MiB'
              % ((vmstat('pswpin') - swpin0) * PAGE / MIB))
    print('# reclaimed: %s tried, %s reclaimed, in %d regions'
          % (m.read('bytes_reclaim_tried_regions'),
             m.read('bytes_reclaimed_regions'),
             int(m.read('nr_reclaimed_regions'))))
    if swapped < 0.9 * COLD_MIB * MIB:
        fail('only %.1f MiB of swap used' % (swapped / MIB))
    if faulted_in > (1 - HOT_LOOK_MIN) * HOT_MIB * MIB:
        fail('the workload faulted %.1f MiB back in: hot memory was '
             'reclaimed' % (faulted_in / MIB))
    if counted_at is None:
        fail('bytes_reclaimed_regions is %s after %d s' %
             (m.read('bytes_reclaimed_regions'), DEADLINE))
    print('ok: %.1f MiB of cold memory paged out in %.1f s, the hot %d MiB '
          'kept (%.1f %% present; the workload faulted %.1f MiB back in)'
          % ((rss0 - rss(w.pid)) / MIB, gone_at, HOT_MIB, 100 * hot_back,
             faulted_in / MIB))


if __name__ == '__main__':
    sys.exit(main())
