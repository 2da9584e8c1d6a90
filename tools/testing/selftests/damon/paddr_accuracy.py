#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does paddr find a process's hot set in physical memory?

First the idle guest is monitored over its largest System RAM range to see
how many bytes it keeps busy by itself.  Then hot_set_workload keeps
touching 10 MiB of a 100 MiB buffer, and the physical pages of the hot
10 MiB are read from /proc/<pid>/pagemap.  In at least 90 % of the
aggregations after the first second, at least 90 % of those pages must lie
in regions reported accessed, and the accessed bytes must stay below twice
the hot set plus the most the idle guest showed.

Monitors with at least 100 regions rather than the default 10 (see ATTRS).
Arguments: THP modes to run with (default: "always never").
Environment: DAMON_TEST_SECONDS (monitoring time per run, default 10);
DAMON_TEST_ATTRS (the attrs file's content).
"""

import os
import statistics
import sys

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import (AggregationTrace, Workload, paddr_scores,
                              percent, set_thp, workload_path)

# All of RAM in at least 10 regions, the default, means regions of up to
# 200 MiB in a 2 GiB guest: twenty times the hot set, so that any stray
# access of another process lights up far more than the hot set, and the
# regions need many aggregations to close in on it.  At least 100 regions
# (up to 20 MiB each) suit monitoring all of RAM better.  With the default
# the test passes too since the core cuts out hot windows (93 to 100 % good
# aggregations in three runs), but with less margin.
ATTRS = os.environ.get('DAMON_TEST_ATTRS', '5000 100000 1000000 100 1000')
AGGR_S = int(ATTRS.split()[1]) / 1e6
# DAMON counts time in sampling intervals, and a TCG guest runs them at
# about half the nominal speed: "the first second" is the first second of
# monitoring time, the first 1 / AGGR_S aggregations.
SKIP = round(1 / AGGR_S)
MIN_GOOD = 0.9
MIB = 1 << 20


def monitor(d, seconds, ram):
    """Monitor physical memory; return the aggregations after the first
    second of monitoring time."""
    d.monitor_paddr(ATTRS, *ram)
    trace = AggregationTrace()
    d.on()
    # A loaded host runs the guest slower than its clock says: wait for the
    # aggregations the bar needs, up to three times as long.
    trace.wait(SKIP + int(seconds * 0.5 / AGGR_S), seconds, 3 * seconds)
    d.off()
    trace.stop()
    snaps = trace.snapshots()
    if not snaps:
        fail('no aggregation traced')
    return [regions for _, _, regions in snaps[SKIP:]]


def idle_baseline(d, seconds, ram):
    page = os.sysconf('SC_PAGESIZE')
    sizes = [paddr_scores(regions, [], page)[1]
             for regions in monitor(d, seconds, ram)]
    print('idle guest: accessed median %.1f MiB, max %.1f MiB' %
          (statistics.median(sizes) / MIB, max(sizes) / MIB))
    return max(sizes)


def run(d, mode, seconds, ram, idle):
    if set_thp(mode) is None and mode != 'never':
        return None
    page = os.sysconf('SC_PAGESIZE')
    wl = Workload()
    try:
        pfns = wl.hot_pfns()
        aggrs = monitor(d, seconds, ram)
        moved = set(pfns) != set(wl.hot_pfns())
    finally:
        wl.stop()
    hot_sz = wl.hot[1] - wl.hot[0]
    if len(pfns) * page != hot_sz:
        fail('only %d of the hot pages are present' % len(pfns))
    if moved:
        print('note: hot pages moved in physical memory during the run')
    if len(aggrs) < seconds * 0.2 / AGGR_S:
        fail('THP %s: only %d aggregations after the first second of %d s'
             % (mode, len(aggrs), seconds))
    limit = 2 * hot_sz + idle
    scores = [paddr_scores(regions, pfns, page) for regions in aggrs]
    good = sum(1 for r, sz in scores if r >= 0.9 and sz < limit)
    share = good / len(scores)
    print('THP %-6s: %d aggregations, %s good; hot pages found median %s'
          ' min %s; accessed median %.1f MiB max %.1f MiB (limit %.1f MiB)'
          % (mode, len(scores), percent(share),
             percent(statistics.median(r for r, _ in scores)),
             percent(min(r for r, _ in scores)),
             statistics.median(sz for _, sz in scores) / MIB,
             max(sz for _, sz in scores) / MIB, limit / MIB))
    return share


def main(d=None, modes=None, seconds=None):
    """Run through d, a lib_dbgfs.Dbgfs by default (sysfs_accuracy.py
    passes a lib_sysfs.Sysfs), with THP modes and seconds per run."""
    modes = modes or sys.argv[1:] or ['always', 'never']
    seconds = seconds or float(os.environ.get('DAMON_TEST_SECONDS', '10'))
    d = d or Dbgfs.setup()
    if not d.has_paddr():
        skip('no paddr operations set')
    if not workload_path():
        skip('hot_set_workload is not built')
    ram = largest_ram()
    idle = idle_baseline(d, seconds, ram)
    old_thp = set_thp('never')
    failed = []
    try:
        for mode in modes:
            share = run(d, mode, seconds, ram, idle)
            if share is not None and share < MIN_GOOD:
                failed.append('THP %s: only %s of the aggregations good' %
                              (mode, percent(share)))
    finally:
        if old_thp:
            set_thp(old_thp)
    d.check_no_splat()
    if failed:
        fail('; '.join(failed))
    print('PASS: paddr finds the hot set')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
