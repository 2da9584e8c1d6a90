#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Monitoring started, changed and stopped through sysfs.

1. Three kdamonds at once, one per operations set, all watching one
   hot_set_workload (10 MiB hot in 100 MiB): vaddr its process, fvaddr its
   buffer, paddr the largest System RAM range.  The aggregations of each
   kdamond, told apart by the pid its pid file shows, must report at least
   half of the hot set accessed in most of them after the first second
   (the accuracy bars are sysfs_accuracy.py's).
2. "commit" changes running kdamonds without restarting them: a doubled
   aggregation interval doubles the access count of the hot set; a second
   target joins; a target replaced by another process monitors that
   process; fvaddr regions narrowed to the hot set stay inside it.  A
   commit the files refuse changes nothing.
"""

import errno
import statistics
import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import (AggregationTrace, Workload, paddr_scores,
                              vaddr_scores, workload_path)
from lib_sysfs import Sysfs

AGGR_S = 0.1
# The first second of monitoring time; TCG runs samples at half speed.
SKIP = round(1 / AGGR_S)
# Aggregations scored per kdamond, and how long to wait for them at most:
# a loaded machine runs three kdamonds under TCG slowly.
SCORED = 8
WAIT_S = 60
PADDR_ATTRS = '5000 100000 1000000 100 1000'


def median_recall(snaps, score):
    recalls = [score(regions) for _, _, regions in snaps[SKIP:]]
    if len(recalls) < SCORED:
        fail('only %d aggregations after the first second' % len(recalls))
    return statistics.median(recalls)


def wait_for(what, cond):
    """Wait until cond() holds, for WAIT_S at most."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if cond():
            return
    print('note: waited %d s for %s in vain' % (WAIT_S, what))


def wait_aggregations(trace, pids):
    """Wait until every kdamond of pids made SKIP + SCORED aggregations."""
    wait_for('%d aggregations of each kdamond' % (SKIP + SCORED),
             lambda: all(len(trace.snapshots(p)) >= SKIP + SCORED
                         for p in pids))


def snapshots_since(trace, pid, marker, tid):
    """The aggregations of target tid of kdamond pid after a marker."""
    t = trace.marker(marker)
    if t is None:
        return []
    return [sn for sn in trace.snapshots(pid) if sn[0] > t and sn[1] == tid]


def three_kdamonds(s, wl):
    """vaddr, fvaddr and paddr at once on one workload."""
    page = 4096
    s.set_kdamond(0, 'vaddr', targets=[(wl.pid, [])])
    s.set_kdamond(1, 'fvaddr', targets=[(wl.pid, [wl.buf])])
    s.set_kdamond(2, 'paddr', PADDR_ATTRS, [(0, [largest_ram()])])
    pfns = wl.hot_pfns()
    trace = AggregationTrace()
    for k in range(3):
        s.state(k, 'on')
    pids = [s.kdamond_pid(k) for k in range(3)]
    if len(set(pids)) != 3 or min(pids) <= 0:
        fail('kdamond pids %s' % pids)
    wait_aggregations(trace, pids)
    for k in range(3):
        if s.read('kdamonds/%d/state' % k) != 'on':
            fail('kdamond %d stopped by itself' % k)
        s.state(k, 'off')
        if s.kdamond_pid(k) != -1:
            fail('kdamond %d still has a pid after off' % k)
    trace.stop()

    for k, name in enumerate(('vaddr', 'fvaddr')):
        recall = median_recall(trace.snapshots(pids[k]),
                               lambda r: vaddr_scores(r, wl.buf, wl.hot)[1])
        print('%-6s: median recall of the hot set %.2f' % (name, recall))
        if recall < 0.5:
            fail('%s through sysfs misses the hot set' % name)
    recall = median_recall(trace.snapshots(pids[2]),
                           lambda r: paddr_scores(r, pfns, page)[0])
    print('paddr : median recall of the hot pages %.2f' % recall)
    if recall < 0.5:
        fail('paddr through sysfs misses the hot set')


def max_accesses(snaps):
    """The highest access count of each aggregation: for a set touched in
    every sample, the number of samples per aggregation."""
    return [max(n for _, _, n in regions) for _, _, regions in snaps]


def commits(s, wl, other):
    """Change attributes, targets and regions of running kdamonds."""
    s.set_kdamond(0, 'vaddr', '5000 100000 1000000 10 1000',
                  [(wl.pid, [])])
    s.set_kdamond(1, 'fvaddr', None, [(wl.pid, [wl.buf])])
    trace = AggregationTrace()
    s.state(0, 'on')
    s.state(1, 'on')
    pids = [s.kdamond_pid(0), s.kdamond_pid(1)]
    wait_for('aggregations before the commits',
             lambda: len(trace.snapshots(pids[0])) >= SCORED)

    # A refused commit: the running kdamond goes on unchanged.
    s.write(Sysfs.ctx(0, 'monitoring_attrs/intervals/aggr_us'), 1000)
    if s.try_write('kdamonds/0/state', 'commit') != errno.EINVAL:
        fail('a commit of aggr_us < sample_us did not fail with EINVAL')

    s.set_kdamond(0, 'vaddr', '5000 200000 1000000 10 1000',
                  [(wl.pid, []), (other.pid, [])])
    trace.mark('commit 1')
    s.state(0, 'commit')
    trace.mark('committed 1')
    s.set_kdamond(1, 'fvaddr', None, [(wl.pid, [wl.hot])])
    s.state(1, 'commit')
    trace.mark('committed fvaddr')
    # A new process's regions come with the next operations update, and a
    # target without regions shows in no aggregation.
    wait_for('the new target', lambda: len(snapshots_since(
        trace, pids[0], 'committed 1', 1)) >= SCORED)
    s.set_kdamond(0, 'vaddr', None, [(other.pid, [])])
    trace.mark('commit 2')
    s.state(0, 'commit')
    trace.mark('committed 2')
    wait_for('the replaced target', lambda: len(snapshots_since(
        trace, pids[0], 'committed 2', 0)) >= 3 and len(snapshots_since(
            trace, pids[1], 'committed fvaddr', 0)) >= 3)
    if [s.kdamond_pid(0), s.kdamond_pid(1)] != pids:
        fail('commit restarted a kdamond')
    s.state(0, 'off')
    s.state(1, 'off')
    trace.stop()

    snaps = trace.snapshots(pids[0])
    # Aggregations between a commit and its marker may show either side.
    t1, t2 = trace.marker('commit 1'), trace.marker('commit 2')
    t1_done, t2_done = trace.marker('committed 1'), trace.marker('committed 2')
    before = [sn for sn in snaps if sn[0] < t1]
    during = [sn for sn in snaps if t1_done < sn[0] < t2]
    after = [sn for sn in snaps if sn[0] > t2_done]
    if not any(tid == 1 for _, tid, _ in during):
        fail('the target added by commit was never monitored')
    if any(tid == 1 for _, tid, _ in after):
        fail('target 1 still monitored after it was removed')
    during = [sn for sn in during if sn[1] == 0]
    # 20 samples per aggregation before, 40 after.
    highest = (max(max_accesses(before)),
               statistics.median(max_accesses(during)))
    print('highest access count per aggregation before commit %d, median'
          ' after %d' % highest)
    if highest[0] > 20 or highest[1] <= 25:
        fail('aggr_us doubled by commit, but access counts %d, then %d'
             % highest)
    if len(after) < 3:
        fail('the replaced target was not monitored')
    recall = statistics.median(vaddr_scores(regions, other.buf,
                                            other.hot)[1]
                               for _, _, regions in after[-3:])
    print('replaced target: recall of the new process\'s hot set %.2f'
          % recall)
    if recall < 0.5:
        fail('the replaced target does not monitor the new process')

    last = trace.snapshots(pids[1])[-1][2]
    lo, hi = min(r[0] for r in last), max(r[1] for r in last)
    print('fvaddr regions after commit: %#x-%#x, hot set %#x-%#x'
          % (lo, hi, *wl.hot))
    if lo < wl.hot[0] or hi > wl.hot[1]:
        fail('fvaddr regions outside the ranges committed')


def main():
    s = Sysfs.setup()
    if not workload_path():
        skip('hot_set_workload is not built')
    wl = Workload()
    other = Workload(['-b', '20', '-h', '10', '-o', '5'])
    try:
        three_kdamonds(s, wl)
        commits(s, wl, other)
    finally:
        wl.stop()
        other.stop()
    s.reset()
    s.check_no_splat()
    print('PASS: sysfs starts, changes and stops monitoring')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
