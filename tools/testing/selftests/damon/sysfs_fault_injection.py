#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Failed allocations on every start, commit and resize path of sysfs.

Each write that changes DAMON through the sysfs interface (nr_kdamonds,
nr_contexts, nr_targets and nr_regions up and down, a value file, "on",
and "commit" to a running kdamond) is written again and again, with the
first, second, third ... allocation of the write failed through fail-nth
(failslab and fail_page_alloc, GFP_KERNEL included), until a write goes
through with no allocation failed.  Every failed write must leave every
file under kdamonds/ reading what it held (no directory made or removed
in part, no kdamond started or stopped), and in the end no struct pid
object, slab or (with kmemleak) leak may be left over.

"commit" fails in the writer only while the new settings are built: the
kdamond takes them in its own thread, where fail-nth does not reach.
"""

import os
import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_fuzz import (faults_ready, kdamonds, kmemleak_new, kmemleak_start,
                      restore_faults, set_fault_attr, settle, slab_counts,
                      write_with_fault)
from lib_sysfs import Sysfs
from lib_sysfs_fuzz import snapshot

ATTRS = '1000 20000 1000000 10 100'
# Kdamond 1 runs through the whole test: slowly, to leave the CPUs to it.
SLOW = '10000 200000 1000000 10 100'
SLOW2 = '20000 400000 2000000 10 200'


def base(s, ram):
    """kdamond 0: paddr, off; 1: vaddr on this process, on; 2: empty."""
    s.set_kdamond(0, 'paddr', ATTRS, [(0, [(ram[0], ram[0] + (64 << 20))])])
    s.set_kdamond(1, 'vaddr', SLOW, [(os.getpid(), [])])
    if s.read('kdamonds/1/state') != 'on':
        s.state(1, 'on')
    s.write('kdamonds/nr_kdamonds', 3)


def exercise(s, what, path, value, undo):
    """Fail each allocation of writing value to path in turn; return how
    many failures were injected."""
    injected = 0
    before = None
    for nth in range(1, 1000):
        if before is None:
            before = snapshot(volatile=False)
            before_state = s.read('kdamonds/1/state')
            nr_kdamonds = len(kdamonds())
        err, hit = write_with_fault(s.path(path), value, nth)
        injected += hit
        if err is None:
            undo()
            if not hit:
                return injected
            before = None	# what undo() wrote may read differently
            continue
        after = snapshot(volatile=False)
        if after != before:
            fail('%s with allocation %d failed (%s) changed %s' % (
                what, nth, os.strerror(err),
                sorted(k for k in set(after) | set(before)
                       if after.get(k) != before.get(k))[:8]))
        if s.read('kdamonds/1/state') != before_state:
            fail('%s with allocation %d failed (%s) stopped kdamond 1' % (
                what, nth, os.strerror(err)))
        if len(kdamonds()) != nr_kdamonds:
            fail('%s with allocation %d failed (%s): %d kdamonds, not %d' % (
                what, nth, os.strerror(err), len(kdamonds()), nr_kdamonds))
    fail('%s: still failing after 1000 allocations (%s)' % (
        what, os.strerror(err)))
    return injected


def main():
    s = Sysfs.setup()
    if not faults_ready():
        skip('no failslab, fail_page_alloc or fail-nth')
    ram = largest_ram()
    base(s, ram)
    if 'paddr' not in s.read(s.ctx(0, 'avail_operations')).split():
        skip('no paddr operations set')
    leak_check = kmemleak_start()
    old = set_fault_attr('ignore-gfp-wait', 'N')
    old.update(set_fault_attr('min-order', '0'))
    # A stack dump per failure on the serial console of a TCG guest costs
    # more than the test itself; what went wrong is told here.
    old.update(set_fault_attr('verbose', '0'))
    t0 = time.monotonic()
    settle()
    pids0, slab0 = slab_counts()
    print('settled in %.1f s' % (time.monotonic() - t0))

    k0 = s.ctx(0)
    regions = k0 + 'targets/0/regions/nr_regions'

    def write(name, value):
        return lambda: s.write(name, value)

    def commit_undo():
        s.set_attrs(1, SLOW)
        s.state(1, 'commit')
        s.set_attrs(1, SLOW2)

    # (what, file, value, undo after success, set up before, clean up after)
    cases = [
        ('nr_kdamonds up', 'kdamonds/nr_kdamonds', '5',
         write('kdamonds/nr_kdamonds', 3), None, None),
        ('nr_kdamonds down', 'kdamonds/nr_kdamonds', '3',
         write('kdamonds/nr_kdamonds', 5),
         write('kdamonds/nr_kdamonds', 5), write('kdamonds/nr_kdamonds', 3)),
        ('nr_contexts up', 'kdamonds/2/contexts/nr_contexts', '1',
         write('kdamonds/2/contexts/nr_contexts', 0), None, None),
        ('nr_targets up', k0 + 'targets/nr_targets', '3',
         write(k0 + 'targets/nr_targets', 1), None, None),
        ('nr_regions up', regions, '3', write(regions, 1), None, None),
        ('nr_regions down', regions, '1', write(regions, 3),
         write(regions, 3), write(regions, 1)),
        ('sample_us', k0 + 'monitoring_attrs/intervals/sample_us', '2000',
         write(k0 + 'monitoring_attrs/intervals/sample_us', 1000), None,
         None),
        ('on', 'kdamonds/0/state', 'on', write('kdamonds/0/state', 'off'),
         None, None),
        ('commit', 'kdamonds/1/state', 'commit', commit_undo,
         lambda: s.set_attrs(1, SLOW2), lambda: s.set_attrs(1, SLOW)),
    ]
    total = 0
    try:
        for what, path, value, undo, prepare, cleanup in cases:
            if prepare:
                prepare()
            t0 = time.monotonic()
            n = exercise(s, what, path, value, undo)
            if cleanup:
                cleanup()
            print('%s: %d allocations failed in turn, %.1f s' % (
                what, n, time.monotonic() - t0))
            total += n
    finally:
        restore_faults(old)
    s.reset()
    settle()
    pids1, slab1 = slab_counts()
    print('%d faults injected; struct pid objects %s -> %s, unreclaimable '
          'slab %d -> %d KiB' % (total, pids0, pids1, slab0, slab1))
    if kdamonds():
        fail('kdamonds left: %s' % kdamonds())
    if pids0 is not None and pids1 > pids0 + 8:
        fail('struct pid objects grew by %d' % (pids1 - pids0))
    if slab1 > slab0 + 2048:
        fail('unreclaimable slab grew by %d KiB' % (slab1 - slab0))
    if leak_check:
        leaks = kmemleak_new()
        if leaks:
            fail('kmemleak reports %d new leaks' % leaks)
        print('kmemleak: no new leak')
    s.check_no_splat()
    print('PASS: failed allocations leave the previous configuration intact')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
