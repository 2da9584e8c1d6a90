#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS pageout of a process's cold memory, through debugfs.

hot_set_workload writes 220 MiB once and then keeps touching the first
20 MiB.  A scheme pages out what has not been accessed for a second
(nr_accesses 0 for 10 aggregation intervals of 100 ms).  Within 20 s of
monitoring on, at least 90 % of the cold 200 MiB must have left memory
(counted page by page in /proc/pid/pagemap), while the hot 20 MiB stays
resident all along.  Prints the figures: resident bytes before and after,
the time it took, and the kdamond's CPU time.  Needs swap.
"""

import sys
import time

from lib_damon_access import Workload, workload_path
import lib_damos
from lib_damos import MIB, PAGE, ULONG_MAX
from lib_dbgfs import KSFT_PASS, fail, skip

DEADLINE = 20.0		# seconds to page out 90 % of the cold part
			# (7-8 s idle, over 11 s on a loaded machine)
WATCH = 3.0		# seconds the hot part is watched after that


def main():
    d = lib_damos.setup()
    lib_damos.need_swap(256 * MIB)
    if not workload_path():
        skip('hot_set_workload not built')
    wl = Workload(['-b', '220', '-h', '20', '-o', '0', '-t', '120'])
    try:
        run(d, wl)
    finally:
        wl.stop()
    return KSFT_PASS


def run(d, wl):
    hot, cold = wl.hot, (wl.hot[1], wl.buf[1])
    hot0 = lib_damos.resident(wl.pid, *hot)
    cold0 = lib_damos.resident(wl.pid, *cold)
    if cold0 < (cold[1] - cold[0]) * 9 // 10:
        fail('cold part not in memory to begin with: %d MiB' %
             (cold0 // MIB))
    swapped0 = lib_damos.swap_used()

    d.write('target_ids', str(wl.pid))
    d.write('schemes', lib_damos.scheme('pageout', sz=(PAGE, ULONG_MAX),
                                        nr_accesses=(0, 0),
                                        age=(10, ULONG_MAX)))
    d.write('monitor_on', 'on')
    start = time.monotonic()
    kdamond = int(d.read('kdamond_pid'))
    cpu0 = lib_damos.cpu_ns(kdamond)

    reached, hot_min, cold_now = None, hot0, cold0
    while time.monotonic() - start < DEADLINE + WATCH:
        time.sleep(0.25)
        cold_now = lib_damos.resident(wl.pid, *cold)
        hot_min = min(hot_min, lib_damos.resident(wl.pid, *hot))
        if reached is None and cold_now <= cold0 // 10:
            reached = time.monotonic() - start
        if reached is not None and time.monotonic() - start > reached + WATCH:
            break
    elapsed = time.monotonic() - start
    cpu = lib_damos.cpu_ns(kdamond) - cpu0
    d.write('monitor_on', 'off')
    st = lib_damos.stats(d)[0]
    swapped = lib_damos.swap_used() - swapped0

    print('cold: %.1f MiB resident before, %.1f MiB after (-%.1f%%), '
          '90%% gone after %s s' %
          (cold0 / MIB, cold_now / MIB, 100 - 100.0 * cold_now / cold0,
           '%.2f' % reached if reached is not None else 'never'))
    print('hot: %.1f MiB resident before, at least %.1f MiB throughout' %
          (hot0 / MIB, hot_min / MIB))
    print('kdamond: %.1f ms of CPU in %.1f s (%.1f ms/s); swapped out '
          '%.1f MiB; scheme tried %d regions, %.1f MiB, applied %.1f MiB' %
          (cpu / 1e6, elapsed, cpu / 1e6 / elapsed, swapped / MIB,
           st['nr_tried'], st['sz_tried'] / MIB, st['sz_applied'] / MIB))
    if reached is None or reached > DEADLINE:
        fail('the cold part did not fall by 90 %% within %d s' % DEADLINE)
    if hot_min < hot0 * 9 // 10:
        fail('the hot part left memory: %.1f of %.1f MiB stayed' %
             (hot_min / MIB, hot0 / MIB))


if __name__ == '__main__':
    sys.exit(main())
