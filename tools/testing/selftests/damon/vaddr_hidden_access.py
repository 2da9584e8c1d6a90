#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Accessed bits cleared by others do not hide a hot set from vaddr.

Idle page tracking, like reclaim and MGLRU, clears Accessed bits without
flushing the TLB; a page whose translation stays cached is then accessed
without its bit being set again.  Here a thread marks the pages of
hot_set_workload's hot set idle through /sys/kernel/mm/page_idle/bitmap
every 20 ms while DAMON monitors the process.  DAMON must still report the
hot set accessed (recall median at least 70 % after the first second): it
flushes the translations of the pages it samples, whether it found their
bit set or not.  DAMON's flush_mm_threshold parameter is raised for the
test, so that a whole-mm flush, caused by other sampled pages, cannot
mask the problem.
"""

import os
import statistics
import sys
import threading
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, skip
from lib_damon_access import (AggregationTrace, Workload, percent, set_thp,
                              vaddr_scores, workload_path)

BITMAP = '/sys/kernel/mm/page_idle/bitmap'
THRESHOLD = '/sys/module/damon/parameters/flush_mm_threshold'
ATTRS = '5000 100000 1000000 10 1000'
SECONDS = 8


class IdleMarker:
    """Marks page frames idle, over and over, until stopped."""

    def __init__(self, pfns, period):
        words = {}
        for pfn in pfns:
            words[pfn // 64] = words.get(pfn // 64, 0) | 1 << (pfn % 64)
        self.words = sorted(words.items())
        self.period = period
        self.rounds = 0
        self.stopped = False
        self.fd = os.open(BITMAP, os.O_WRONLY)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stopped:
            for word, bits in self.words:
                os.pwrite(self.fd, bits.to_bytes(8, sys.byteorder),
                          word * 8)
            self.rounds += 1
            time.sleep(self.period)

    def stop(self):
        self.stopped = True
        self.thread.join()
        os.close(self.fd)


def set_threshold(value):
    with open(THRESHOLD) as f:
        old = f.read().strip()
    with open(THRESHOLD, 'w') as f:
        f.write(value)
    return old


def main():
    d = Dbgfs.setup()
    if workload_path() is None:
        skip('hot_set_workload is not built')
    if not os.path.exists(BITMAP):
        skip('no idle page tracking (%s)' % BITMAP)
    if not os.path.exists(THRESHOLD):
        skip('no %s' % THRESHOLD)
    old_thp = set_thp('never')
    old_threshold = set_threshold('16')
    try:
        wl = Workload(['-b', '32', '-h', '2', '-o', '8'])
        try:
            pfns = wl.hot_pfns()
            if len(pfns) < 256:
                fail('only %d pages of the hot set are present' % len(pfns))
            marker = IdleMarker(pfns, 0.02)
            d.write('attrs', ATTRS)
            d.write('target_ids', str(wl.pid))
            trace = AggregationTrace()
            d.write('monitor_on', 'on')
            trace.wait(30, SECONDS, 60)
            d.write('monitor_on', 'off')
            trace.stop()
            marker.stop()
        finally:
            wl.stop()
    finally:
        set_threshold(old_threshold)
        if old_thp:
            set_thp(old_thp)

    snaps = trace.snapshots()[10:]
    if len(snaps) < 10:
        fail('only %d aggregations traced after the first second' %
             len(snaps))
    recall = statistics.median(vaddr_scores(regions, wl.buf, wl.hot)[1]
                               for _, _, regions in snaps)
    print('%d aggregations, %d rounds of idle marking, recall median %s' % (
        len(snaps), marker.rounds, percent(recall)))
    if recall < 0.7:
        fail('the hot set hid behind bits cleared without a flush')
    d.check_no_splat()
    print('PASS: bits cleared by idle page tracking hide no access')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
