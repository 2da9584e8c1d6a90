#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Monitoring goes on while a process lives on without its main thread.

hot_set_workload -l touches its hot set from a second thread; its main
thread exits right away and stays a zombie while the process runs.  The
pid written to target_ids names that main thread.  Monitoring must keep
running, and keep seeing the hot set, for as long as the other thread
runs, and stop by itself once the whole process is gone.
"""

import statistics
import sys
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, skip
from lib_damon_access import (AggregationTrace, Workload, percent,
                              vaddr_scores, workload_path)

ATTRS = '5000 100000 1000000 10 1000'
RUN_S = 15


def leader_state(pid):
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[0]


def wait_for(what, cond, timeout):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            fail('%s after %d s' % (what, timeout))
        time.sleep(0.05)


def main():
    d = Dbgfs.setup()
    if workload_path() is None:
        skip('hot_set_workload is not built')
    wl = Workload(['-l', '-b', '32', '-h', '4', '-o', '8', '-t', str(RUN_S)])
    try:
        wait_for('the main thread has not exited',
                 lambda: leader_state(wl.pid) == 'Z', 5)
        d.write('attrs', ATTRS)
        d.write('target_ids', str(wl.pid))
        trace = AggregationTrace()
        d.write('monitor_on', 'on')
        trace.wait(15, 3, RUN_S - 2)
        on = d.read('monitor_on')
        trace.stop()
        if on != 'on':
            fail('monitoring stopped although the process still runs')
        wl.stop()
        wait_for('monitoring still on once the process is gone',
                 lambda: d.read('monitor_on') == 'off', 10)
    finally:
        wl.stop()

    snaps = trace.snapshots()[5:]
    if len(snaps) < 5:
        fail('only %d aggregations traced' % len(snaps))
    recall = statistics.median(vaddr_scores(regions, wl.buf, wl.hot)[1]
                               for _, _, regions in snaps)
    print('%d aggregations without the main thread, recall median %s' % (
        len(snaps), percent(recall)))
    if recall < 0.5:
        fail('the hot set of the leaderless process was not seen')
    d.check_no_splat()
    print('PASS: a process without its main thread stays monitored')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
