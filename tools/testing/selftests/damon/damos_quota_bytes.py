#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A DAMOS size quota caps what is paged out per quota window.

A pageout scheme for hot_set_workload's idle memory, the only memory
monitored, may try 8 MiB per 500 ms window.  The idle part is 200 MiB, far more than a few windows
can take, so every window spends its quota, and qt_exceeds counts the
windows.  Between the ends of two windows eight windows apart, the idle
memory that left (from /proc/pid/pagemap) per window must be the quota,
within 10 %, and so must the process's swap use per window.  Windows are
counted, not timed, so that a slow machine only makes the test longer.
Needs swap.
"""

import sys
import time

from lib_damon_access import Workload, workload_path
import lib_damos
from lib_damos import MIB
from lib_dbgfs import KSFT_PASS, fail, skip

QUOTA = 8 * MIB
RESET_MS = 500
WINDOWS = 8


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


def vm_swap(pid):
    """Bytes of pid's memory in swap."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmSwap:'):
                return int(line.split()[1]) * 1024
    return 0


def after_window(d, wl, cold, windows, seconds):
    """(windows, idle bytes resident, bytes in swap) right after the
    windows'th window spent its quota."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = lib_damos.stats(d)[0]['qt_exceeds']
        if now >= windows:
            return (now, lib_damos.resident(wl.pid, *cold),
                    vm_swap(wl.pid))
        time.sleep(0.02)
    fail('only %d quota windows ran out in %d s' %
         (lib_damos.stats(d)[0]['qt_exceeds'], seconds))
    return None


def run(d, wl):
    cold = (wl.hot[1], wl.buf[1])
    # Only the idle part, as 100 regions of 2 MiB that neither merge nor
    # split (no update within the run): the quota's accounting alone
    # decides what is paged out, and every window takes fresh memory.
    d.write('attrs', '5000 100000 3600000000 100 100')
    d.write('target_ids', str(wl.pid))
    d.write('init_regions', '%d %d %d' % (wl.pid, cold[0], cold[1]))
    d.write('schemes', lib_damos.scheme(
        'pageout', nr_accesses=(0, 0), quota=(0, QUOTA, RESET_MS),
        weights=(0, 0, 1)))
    d.write('monitor_on', 'on')
    start = time.monotonic()
    w0, r0, s0 = after_window(d, wl, cold, 2, 30)
    w1, r1, s1 = after_window(d, wl, cold, w0 + WINDOWS, 60)
    d.write('monitor_on', 'off')

    windows = w1 - w0
    per_window = (r0 - r1) / windows
    swapped = (s1 - s0) / windows
    print('%d windows of %d ms in %.1f s: %.2f MiB of idle memory left '
          'memory per window, %.2f MiB swapped out per window, quota '
          '%.2f MiB (%+.1f%%)' %
          (windows, RESET_MS, time.monotonic() - start, per_window / MIB,
           swapped / MIB, QUOTA / MIB, 100.0 * (per_window - QUOTA) / QUOTA))
    for what, value in (('paged out', per_window), ('swapped', swapped)):
        if abs(value - QUOTA) > QUOTA / 10:
            fail('%s %.2f MiB per window, quota %.2f MiB' %
                 (what, value / MIB, QUOTA / MIB))


if __name__ == '__main__':
    sys.exit(main())
