# SPDX-License-Identifier: GPL-2.0
"""Helpers for the tests of paddr_fault and of access report filters:
rw_workload, monitoring of all RAM through debugfs with a report filter,
how much of a set of pages DAMON saw accessed, NUMA balancing's switch and
counters, and the scan of PROT_NONE page table entries."""

import os
import subprocess
import time

from lib_damon_access import AggregationTrace, paddr_scores, pfns_of
from lib_dbgfs import fail

HERE = os.path.dirname(os.path.abspath(__file__))
SCAN = '/sys/kernel/debug/damon_paddr_fault/protnone_ptes'
NUMA = '/proc/sys/kernel/numa_balancing'
# As in paddr_accuracy.py: 5 ms sampling, 100 ms aggregation, 100 to 1000
# regions over all RAM.
ATTRS = os.environ.get('DAMON_TEST_ATTRS', '5000 100000 1000000 100 1000')
AGGR_S = int(ATTRS.split()[1]) / 1e6
# Aggregations of the first second of monitoring time are left out: DAMON
# needs a few to cut its regions along the workload's pages.
SKIP = round(1 / AGGR_S)


def rw_workload_path():
    for d in (HERE, os.environ.get('OUTPUT')):
        if d and os.access(os.path.join(d, 'rw_workload'), os.X_OK):
            return os.path.join(d, 'rw_workload')
    return None


class RwWorkload:
    """rw_workload, started and waited for until its buffers are ready.

    Attributes once ready: pid, written and read ((start, end) each).
    """

    def __init__(self, args):
        self.proc = subprocess.Popen([rw_workload_path()] + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 6 or line[0] != 'ready':
            self.proc.kill()
            fail('rw_workload did not start: %r' % line)
        self.pid = int(line[1])
        self.written = (int(line[2], 16), int(line[3], 16))
        self.read = (int(line[4], 16), int(line[5], 16))

    def pfns(self, area):
        """The page frames of area (written or read), all present."""
        pfns = pfns_of(self.pid, *area)
        if len(pfns) * os.sysconf('SC_PAGESIZE') != area[1] - area[0]:
            fail('only %d pages of the workload are present' % len(pfns))
        return pfns

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.communicate()


def monitor(d, ram, seconds, filters='write_only=0 cpus=all'):
    """Monitor all of RAM with paddr_fault and the report filters; return
    the regions of each aggregation after the first second."""
    d.write('attrs', ATTRS)
    d.write('target_ids', 'paddr_fault')
    d.write('init_regions', '-1 %d %d' % ram)
    d.write('report_filters', filters)
    trace = AggregationTrace()
    d.write('monitor_on', 'on')
    try:
        on_for(d, seconds)
    finally:
        d.write('monitor_on', 'off')
        trace.stop()
    snaps = trace.snapshots()
    if len(snaps) <= SKIP:
        fail('only %d aggregations traced in %s s' % (len(snaps), seconds))
    return [regions for _, _, regions in snaps[SKIP:]]


def on_for(d, seconds):
    """Let monitoring run; check meanwhile that its settings cannot be
    switched while it runs (the operations set, the filters)."""
    time.sleep(seconds / 2)
    for name, value in (('target_ids', 'paddr'),
                        ('report_filters', 'write_only=1')):
        if d.try_write(name, value) is None:
            fail('%s changed to %s while monitoring' % (name, value))
    if d.read('target_ids') != 'paddr_fault':
        fail('target_ids reads %s while paddr_fault runs' %
             d.read('target_ids'))
    time.sleep(seconds / 2)


def seen(regions, pfns):
    """The share of the page frames pfns that lie in regions seen
    accessed."""
    return paddr_scores(regions, pfns, os.sysconf('SC_PAGESIZE'))[0]


def protnone():
    """{pid: PROT_NONE entries in accessible mappings}, and their total."""
    counts, total = {}, None
    with open(SCAN) as f:
        for line in f:
            key, value = line.split()
            if key == 'total':
                total = int(value)
            else:
                counts[int(key)] = int(value)
    if total is None:
        fail('%s has no total' % SCAN)
    return counts, total


def vmstat(name):
    with open('/proc/vmstat') as f:
        for line in f:
            key, value = line.split()
            if key == name:
                return int(value)
    return None


def set_numa(value):
    """Set kernel.numa_balancing; return the previous value."""
    with open(NUMA) as f:
        old = f.read().strip()
    with open(NUMA, 'w') as f:
        f.write(value)
    return old
