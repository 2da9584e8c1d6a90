# SPDX-License-Identifier: GPL-2.0
"""Helpers for the tests of paddr_fault and of access report filters:
rw_workload, monitoring of all RAM through debugfs with a report filter,
how much of a set of pages DAMON saw accessed, NUMA balancing's switch and
counters, and the scan of PROT_NONE page table entries."""

import os
import subprocess
import threading
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
# Aggregations wanted after those: a kdamond slowed down (a TCG guest on a
# loaded machine) gets up to twice the monitoring time more for them.
WANT = 10
# The trace's clock, made CLOCK_MONOTONIC's to match RunTime's samples.
TRACE_CLOCK = '/sys/kernel/tracing/trace_clock'


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


class RunTime:
    """How long processes ran on a CPU, sampled in a thread from
    /proc/<pid>/schedstat (nanoseconds) with CLOCK_MONOTONIC."""

    PERIOD = 0.02

    def __init__(self, pids):
        self.pids = list(pids)
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            ran = []
            for pid in self.pids:
                try:
                    with open('/proc/%d/schedstat' % pid) as f:
                        ran.append(int(f.read().split()[0]))
                except (OSError, ValueError, IndexError):
                    ran.append(None)
            self.samples.append((time.monotonic(), ran))
            if self._stop.wait(self.PERIOD):
                return

    def stop(self):
        self._stop.set()
        self._thread.join()

    def _at(self, t, i):
        """Process i's run time at t, interpolated; None if unknown."""
        before = after = None
        for when, ran in self.samples:
            if ran[i] is None:
                continue
            if when <= t:
                before = (when, ran[i])
            else:
                after = (when, ran[i])
                break
        if not before or not after:
            return None
        (t0, r0), (t1, r1) = before, after
        return r0 + (r1 - r0) * (t - t0) / (t1 - t0)

    def shares(self, t0, t1):
        """For each process, the share of [t0, t1] (seconds) it ran; 0
        where unknown."""
        out = []
        for i in range(len(self.pids)):
            a, b = self._at(t0, i), self._at(t1, i)
            out.append(0.0 if a is None or b is None or t1 <= t0 else
                       (b - a) / 1e9 / (t1 - t0))
        return out


def monitor(d, ram, seconds, filters='write_only=0 cpus=all', pids=()):
    """Monitor all of RAM with paddr_fault and the report filters; return
    [(regions, shares)] for each aggregation after the first second, where
    shares says for each of pids how much of the aggregation's time it
    ran (1.0: all of it)."""
    d.write('attrs', ATTRS)
    d.write('target_ids', 'paddr_fault')
    d.write('init_regions', '-1 %d %d' % ram)
    d.write('report_filters', filters)
    with open(TRACE_CLOCK) as f:
        clock = f.read().split('[')[1].split(']')[0]
    with open(TRACE_CLOCK, 'w') as f:
        f.write('mono')
    runtime = RunTime(pids)
    try:
        trace = AggregationTrace()
        d.write('monitor_on', 'on')
        try:
            on_for(d, seconds)
            trace.wait(SKIP + WANT, 0, 2 * seconds)
        finally:
            d.write('monitor_on', 'off')
            trace.stop()
    finally:
        runtime.stop()
        with open(TRACE_CLOCK, 'w') as f:
            f.write(clock)
    snaps = trace.snapshots()
    if len(snaps) <= SKIP:
        fail('only %d aggregations traced in %s s' % (len(snaps), seconds))
    return [(snaps[i][2], runtime.shares(snaps[i - 1][0], snaps[i][0]))
            for i in range(SKIP, len(snaps))]


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
