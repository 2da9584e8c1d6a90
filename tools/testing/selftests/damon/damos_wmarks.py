#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS watermarks switch a scheme off and on as free memory crosses them.

A stat scheme on hot_set_workload, through debugfs, with free memory rate
watermarks checked every 100 ms: high a little below the free memory
rate of the start, mid below that, low near zero.  So the scheme starts
deactivated (above high): it must try nothing, and the kdamond, with no
active scheme, must not monitor (its CPU time hardly grows).  Then this
test takes 30 % of the memory: free memory falls below mid, and the
scheme must start trying regions.  When the memory is given back, free
memory rises above high again, and the scheme must stop.
"""

import sys
import time

from lib_damon_access import Workload, workload_path
import lib_damos
from lib_damos import MIB
from lib_dbgfs import KSFT_PASS, fail, skip


def tried(d):
    return lib_damos.stats(d)[0]['nr_tried']


def wait_tried(d, more_than, seconds):
    """Wait until the scheme tried more than more_than regions."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if tried(d) > more_than:
            return True
        time.sleep(0.1)
    return False


def total_mem():
    with open('/proc/meminfo') as f:
        return int(f.readline().split()[1]) * 1024


def main():
    d = lib_damos.setup()
    if not workload_path():
        skip('hot_set_workload not built')
    wl = Workload(['-b', '16', '-h', '4', '-o', '0', '-t', '120'])
    try:
        run(d, wl)
    finally:
        wl.stop()
    return KSFT_PASS


def run(d, wl):
    rate = lib_damos.free_mem_rate()
    if rate < 500:
        skip('only %d per thousand of memory free' % rate)
    high, mid, low = rate - 60, rate - 120, 10
    d.write('target_ids', str(wl.pid))
    d.write('schemes', lib_damos.scheme(
        'stat', wmarks=(lib_damos.WMARK_FREE_MEM_RATE, 100000, high, mid,
                        low)))
    d.write('monitor_on', 'on')
    kdamond = int(d.read('kdamond_pid'))
    time.sleep(0.5)
    cpu0 = lib_damos.cpu_ns(kdamond)
    time.sleep(1.5)
    idle_cpu = lib_damos.cpu_ns(kdamond) - cpu0
    if tried(d):
        fail('tried %d regions above the high mark (free %d, high %d)' %
             (tried(d), lib_damos.free_mem_rate(), high))

    hog = b'\x01' * (total_mem() * 3 // 10)
    low_rate = lib_damos.free_mem_rate()
    if not wait_tried(d, 0, 5):
        fail('nothing tried below the mid mark (free %d, mid %d)' %
             (low_rate, mid))
    on_at = tried(d)
    del hog
    back_rate = lib_damos.free_mem_rate()
    time.sleep(1)
    off_at = tried(d)
    time.sleep(1.5)
    after = tried(d)
    print('free memory rate %d at start, %d with 30%% taken, %d given back; '
          'marks %d/%d/%d; kdamond %.1f ms of CPU in 1.5 s while off; '
          'tried %d, %d, %d' % (rate, low_rate, back_rate, high, mid, low,
                                idle_cpu / 1e6, on_at, off_at, after))
    if back_rate <= high:
        skip('memory did not come back above the high mark')
    if after != off_at:
        fail('tried %d more regions above the high mark' % (after - off_at))
    # Monitoring one region per 5 ms would take far more than this.
    if idle_cpu > 50 * 1000 * 1000:
        fail('kdamond ran %.1f ms in 1.5 s with every scheme off' %
             (idle_cpu / 1e6))


if __name__ == '__main__':
    sys.exit(main())
