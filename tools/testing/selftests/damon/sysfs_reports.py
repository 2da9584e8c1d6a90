#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write-only monitoring with paddr_fault through sysfs, and "commit" of
the report filters.

rw_workload writes 10 MiB and only reads another 10 MiB.  A kdamond set
up through /sys/kernel/mm/damon/admin with paddr_fault and
report_filters/write_only 1 must see the written pages and not the read
ones; after write_only 0 and a "commit", without restarting, both.  Each
in at least 90 % of its aggregations (after the first second; those
around the commit are left out).  Meanwhile the operations set cannot be
switched (operations refuses other names while it runs, so no commit can
carry one).  After "off" the workload keeps no PROT_NONE page table
entry.  A kernel with report filters and NUMA balancing must list
paddr_fault in avail_operations.  The files' values are
checked by sysfs_files.sh.

Environment: DAMON_TEST_SECONDS (monitoring time per half, default 6).
"""

import errno
import os
import statistics
import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import AggregationTrace, percent
from lib_paddr_fault import (ATTRS, SCAN, SKIP, RwWorkload, protnone,
                             rw_workload_path, seen)
from lib_sysfs import ADMIN, Sysfs

HOT, COLD, MIN_GOOD = 0.9, 0.1, 0.9


def judge(what, snaps, written, read, read_hot):
    shares = [(seen(r, written), seen(r, read)) for _, _, r in snaps]
    if not shares:
        fail('%s: no aggregation' % what)
    good = sum(1 for w, r in shares
               if w >= HOT and (r >= HOT if read_hot else r <= COLD))
    print('%s: %d aggregations, %s good; seen (median): written %s, read %s'
          % (what, len(shares), percent(good / len(shares)),
             percent(statistics.median(w for w, _ in shares)),
             percent(statistics.median(r for _, r in shares))))
    return good / len(shares) >= MIN_GOOD


def main():
    seconds = float(os.environ.get('DAMON_TEST_SECONDS', '6'))
    s = Sysfs.setup()
    if not s.has_paddr('paddr_fault'):
        # Ours has it wherever the kernel has NUMA balancing's PROT_NONE.
        filters_dir = os.path.join(ADMIN, Sysfs.ctx(0, 'report_filters'))
        if os.path.exists('/proc/sys/kernel/numa_balancing') and \
                os.path.isdir(filters_dir):
            fail('avail_operations lacks paddr_fault')
        skip('no paddr_fault operations set')
    if not rw_workload_path() or not os.path.exists(SCAN):
        skip('rw_workload is not built, or no %s' % SCAN)
    filters = Sysfs.ctx(0, 'report_filters/')
    wl = RwWorkload(['-w', '10', '-r', '10', '-n'])
    failed = []
    try:
        written, read = wl.pfns(wl.written), wl.pfns(wl.read)
        s.monitor_paddr(ATTRS, *largest_ram(), ops='paddr_fault')
        s.write(filters + 'write_only', 1)
        trace = AggregationTrace()
        s.on()
        pid = s.kdamond_pid(0)
        time.sleep(seconds)

        if s.try_write(Sysfs.ctx(0, 'operations'), 'paddr') != errno.EBUSY:
            fail('operations switched while the kdamond runs')
        s.write(filters + 'write_only', 0)
        trace.mark('commit')
        s.state(0, 'commit')
        trace.mark('committed')
        time.sleep(seconds)
        if s.kdamond_pid(0) != pid:
            fail('the commit restarted the kdamond')
        s.off()
        trace.stop()

        snaps = trace.snapshots(pid)
        t0, t1 = trace.marker('commit'), trace.marker('committed')
        before = [sn for sn in snaps if sn[0] < t0][SKIP:]
        after = [sn for sn in snaps if sn[0] > t1][1:]
        if not judge('write_only 1', before, written, read, False):
            failed.append('write_only 1')
        if not judge('write_only 0 committed', after, written, read, True):
            failed.append('write_only 0 after commit')
        left, _ = protnone()
        if left.get(wl.pid):
            fail('the workload keeps %d PROT_NONE entries after off' %
                 left[wl.pid])
    finally:
        wl.stop()
    s.check_no_splat()
    if failed:
        fail('; '.join(failed))
    print('PASS: write-only monitoring through sysfs, filters committed')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
