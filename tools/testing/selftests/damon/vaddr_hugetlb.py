#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vaddr samples hugetlb mappings.

hot_set_workload -H keeps touching 8 MiB of a 32 MiB buffer of hugetlb
pages (MAP_HUGETLB, 2 MiB each).  Monitored through debugfs, the hot part
must be reported accessed: in the aggregations after the first second,
the median share of the hot set found accessed (recall) must be at least
80 %, and the cold part of the buffer must not look accessed in most of
them.  A page table walk without a hugetlb entry handler never looks at
these pages and reports the whole buffer idle.
"""

import statistics
import sys

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, skip
from lib_damon_access import (AggregationTrace, Workload, percent,
                              vaddr_scores, workload_path)

NR_HUGEPAGES = '/proc/sys/vm/nr_hugepages'
ATTRS = '5000 100000 1000000 10 1000'
SECONDS = 6


def set_hugepages(nr):
    with open(NR_HUGEPAGES) as f:
        old = int(f.read())
    with open(NR_HUGEPAGES, 'w') as f:
        f.write(str(nr))
    with open(NR_HUGEPAGES) as f:
        return old, int(f.read())


def main():
    d = Dbgfs.setup()
    if workload_path() is None:
        skip('hot_set_workload is not built')
    try:
        old, got = set_hugepages(20)
    except OSError:
        skip('no hugetlb support (%s)' % NR_HUGEPAGES)
    try:
        if got < 16:
            skip('only %d hugetlb pages could be reserved' % got)
        wl = Workload(['-H', '-b', '32', '-h', '8', '-o', '8'])
        try:
            d.write('attrs', ATTRS)
            d.write('target_ids', str(wl.pid))
            trace = AggregationTrace()
            d.write('monitor_on', 'on')
            trace.wait(25, SECONDS, 60)
            d.write('monitor_on', 'off')
            trace.stop()
        finally:
            wl.stop()
    finally:
        set_hugepages(old)

    snaps = trace.snapshots()[10:]
    if len(snaps) < 5:
        fail('only %d aggregations traced after the first second' %
             len(snaps))
    scores = [vaddr_scores(regions, wl.buf, wl.hot)
              for _, _, regions in snaps]
    recall = statistics.median(r for _, r, _ in scores)
    precision = statistics.median(p for p, _, _ in scores)
    print('hugetlb: %d aggregations, recall median %s, precision median %s'
          % (len(scores), percent(recall), percent(precision)))
    if recall < 0.8:
        fail('the hot hugetlb pages were not seen accessed (recall %s)' %
             percent(recall))
    if precision < 0.5:
        fail('the cold hugetlb pages looked accessed (precision %s)' %
             percent(precision))
    d.check_no_splat()
    print('PASS: vaddr samples hugetlb pages')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
