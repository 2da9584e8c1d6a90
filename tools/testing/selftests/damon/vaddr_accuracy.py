#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does vaddr find a process's hot set, with and without huge pages?

hot_set_workload keeps touching 10 MiB of a 100 MiB buffer.  Monitored
through debugfs (or sysfs: sysfs_accuracy.py) with the default attributes,
in at least 90 % of the aggregations after the first second, at least 90 %
of the accessed bytes in the buffer must lie in the hot 10 MiB (precision)
and at least 90 % of the hot 10 MiB must be reported accessed (recall).  Runs with transparent
huge pages off and on (arguments: THP modes, default "never always").

Environment: DAMON_TEST_SECONDS (monitoring time per mode, default 20);
DAMON_TEST_ATTRS (the attrs file's content, default the default attributes).
"""

import os
import statistics
import sys

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, skip
from lib_damon_access import (AggregationTrace, Workload, percent, set_thp,
                              vaddr_scores, workload_path)

ATTRS = os.environ.get('DAMON_TEST_ATTRS', '5000 100000 1000000 10 1000')
AGGR_S = int(ATTRS.split()[1]) / 1e6
# DAMON counts time in sampling intervals, and a TCG guest runs them at
# about half the nominal speed: "the first second" is the first second of
# monitoring time, the first 1 / AGGR_S aggregations.
SKIP = round(1 / AGGR_S)
MIN_GOOD = 0.9


def thp_in_use(pid):
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for line in f:
            if line.startswith('AnonHugePages:'):
                return int(line.split()[1]) > 0
    return False


def run(d, mode, seconds):
    if set_thp(mode) is None and mode != 'never':
        return None
    wl = Workload()
    try:
        if (mode == 'always') != thp_in_use(wl.pid):
            fail('THP mode %s, but huge pages %s in use' %
                 (mode, 'are' if mode != 'always' else 'not'))
        d.monitor_vaddr(ATTRS, wl.pid)
        trace = AggregationTrace()
        d.on()
        # A loaded host runs the guest slower than its clock says: wait
        # for the aggregations the bar needs, up to three times as long.
        trace.wait(SKIP + int(seconds * 0.5 / AGGR_S), seconds, 3 * seconds)
        d.off()
        trace.stop()
    finally:
        rate = wl.stop()

    snaps = trace.snapshots()
    if not snaps:
        fail('THP %s: no aggregation traced' % mode)
    scores = [vaddr_scores(regions, wl.buf, wl.hot)
              for _, _, regions in snaps[SKIP:]]
    if len(scores) < seconds * 0.2 / AGGR_S:
        fail('THP %s: only %d aggregations after the first second of %d s'
             % (mode, len(scores), seconds))
    bad = [(i + SKIP, p, r) for i, (p, r, _) in enumerate(scores)
           if p < 0.9 or r < 0.9]
    share = 1 - len(bad) / len(scores)
    print('THP %-6s: %d aggregations, %s good; precision median %s min %s;'
          ' recall median %s min %s; accessed outside the buffer median'
          ' %d KiB; workload %.0f passes/s' % (
              mode, len(scores), percent(share),
              percent(statistics.median(p for p, _, _ in scores)),
              percent(min(p for p, _, _ in scores)),
              percent(statistics.median(r for _, r, _ in scores)),
              percent(min(r for _, r, _ in scores)),
              statistics.median(o for _, _, o in scores) // 1024,
              rate or 0))
    if bad:
        print('  bad aggregations (index, precision, recall): ' +
              ', '.join('%d %.2f %.2f' % b for b in bad))
    return share


def main(d=None, modes=None, seconds=None):
    """Run through d, a lib_dbgfs.Dbgfs by default (sysfs_accuracy.py
    passes a lib_sysfs.Sysfs), with THP modes and seconds per mode."""
    modes = modes or sys.argv[1:] or ['never', 'always']
    seconds = seconds or float(os.environ.get('DAMON_TEST_SECONDS', '20'))
    d = d or Dbgfs.setup()
    if not workload_path():
        skip('hot_set_workload is not built')
    old_thp = set_thp('never')
    failed = []
    ran = 0
    try:
        for mode in modes:
            share = run(d, mode, seconds)
            if share is None:
                continue
            ran += 1
            if share < MIN_GOOD:
                failed.append('THP %s: only %s of the aggregations good' %
                              (mode, percent(share)))
    finally:
        if old_thp:
            set_thp(old_thp)
    d.check_no_splat()
    if not ran:
        skip('no transparent huge page control')
    if failed:
        fail('; '.join(failed))
    print('PASS: vaddr finds the hot set')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
