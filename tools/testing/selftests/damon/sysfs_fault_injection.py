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

DAMOS: nr_schemes up and down, nr_goals and nr_filters up, memcg_path,
and a commit that turns the two schemes of kdamond 1 into three others,
with a goal and filters, go through the same, failing every allocation of
the writer in turn.  The commit is then repeated with allocations of the
kdamond itself failed at random (failslab's task filter on its pid), so
that its half of the commit fails too.  A failed commit must leave the
kdamond running its old schemes, all of them; a successful one, the new
ones, all of them: update_schemes_tried_bytes tells which schemes run,
since each tries either every region or none.

Environment: DAMON_FAULT_STRIDE (fail only every N-th allocation of the
cases that make scheme, goal and filter directories; default 1),
DAMON_FAULT_KDAMOND_ROUNDS (commits with the kdamond's allocations
failing; default 16).
"""

import errno
import os
import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_fuzz import (LeakWatch, env_count, faults_ready, kdamonds,
                      restore_faults, set_fault_attr, write_with_fault)
from lib_sysfs import Sysfs
from lib_sysfs_fuzz import snapshot

ATTRS = '1000 20000 1000000 10 100'
# Kdamond 1 runs through the whole test: slowly, to leave the CPUs to it.
SLOW = '10000 200000 1000000 10 100'
SLOW2 = '20000 400000 2000000 10 200'
# Commits of kdamond 1's schemes with its own allocations failing.
KDAMOND_ROUNDS = env_count('DAMON_FAULT_KDAMOND_ROUNDS', 16)
# A new scheme directory takes some 60 allocations: on the debug kernel,
# failing each costs 0.4 s, so CI fails only every STRIDE-th there.
STRIDE = max(1, env_count('DAMON_FAULT_STRIDE', 1))
STRIDED = ('nr_schemes up', 'nr_goals up', 'nr_filters up')


def base(s, ram):
    """kdamond 0: paddr, off; 1: vaddr on this process, on; 2: empty."""
    s.set_kdamond(0, 'paddr', ATTRS, [(0, [(ram[0], ram[0] + (64 << 20))])])
    s.set_kdamond(1, 'vaddr', SLOW, [(os.getpid(), [])])
    if s.read('kdamonds/1/state') != 'on':
        s.state(1, 'on')
    s.write('kdamonds/nr_kdamonds', 3)


def exercise(s, what, path, value, undo, stride=1):
    """Fail each allocation (each stride-th) of writing value to path in
    turn; return how many failures were injected."""
    injected = 0
    before = None
    for nth in range(1, 1000, stride):
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


# Kdamond 1's schemes before and after the commit of the DAMOS cases, by
# whether each tries every region (True) or none; the third directory of
# OLD has no scheme, so tries nothing.
OLD = (True, False, False)
NEW = (False, True, True)
NEVER = 1 << 40		# no region is that large


def schemes_dir(idx=None):
    path = Sysfs.ctx(1, 'schemes')
    return path if idx is None else '%s/%d/' % (path, idx)


def set_schemes(s, tries):
    """Scheme files of kdamond 1 for OLD or NEW, scheme 0 of NEW with a
    quota goal and filters that exclude nothing."""
    new = tries == NEW
    s.write(schemes_dir() + '/nr_schemes', 3 if new else 2)
    for i, t in enumerate(tries[:3 if new else 2]):
        s.write(schemes_dir(i) + 'access_pattern/sz/min', 0 if t else NEVER)
    goals = schemes_dir(0) + 'quotas/goals/'
    filters = schemes_dir(0) + 'filters/'
    s.write(goals + 'nr_goals', 1 if new else 0)
    s.write(filters + 'nr_filters', 2 if new else 0)
    if new:
        s.write(goals + '0/target_value', 100)
        s.write(filters + '0/type', 'addr')
        s.write(filters + '0/addr_start', 0)
        s.write(filters + '0/addr_end', 4096)
        s.write(filters + '0/matching', 'Y')
        s.write(filters + '1/type', 'target')
        s.write(filters + '1/damon_target_idx', 5)
        s.write(filters + '1/matching', 'Y')


def running_schemes(s):
    """Which of kdamond 1's three scheme directories have a running
    scheme that tries regions."""
    nr = s.read(schemes_dir() + '/nr_schemes')
    # A directory for each scheme that may run; values do not matter.
    s.write(schemes_dir() + '/nr_schemes', 3)
    s.state(1, 'update_schemes_tried_bytes')
    tried = [int(s.read(schemes_dir(i) + 'tried_regions/total_bytes'))
             for i in range(3)]
    s.write(schemes_dir() + '/nr_schemes', nr)
    return tuple(t > 0 for t in tried)


def check_schemes(s, what, want):
    if s.read('kdamonds/1/state') != 'on':
        fail('%s stopped kdamond 1' % what)
    got = running_schemes(s)
    if got != want:
        fail('%s: kdamond 1 runs schemes %s, not %s' % (what, got, want))


def commit_schemes(s):
    """The commit of NEW over OLD with each allocation of the writer
    failed in turn; return the failures injected."""
    injected = 0
    set_schemes(s, OLD)
    s.state(1, 'commit')
    check_schemes(s, 'a commit', OLD)
    set_schemes(s, NEW)
    for nth in range(1, 1000):
        err, hit = write_with_fault(s.path('kdamonds/1/state'), 'commit',
                                    nth)
        injected += hit
        if err is None:
            check_schemes(s, 'a commit with allocation %d failed' % nth
                          if hit else 'a commit', NEW)
            if not hit:
                return injected
            set_schemes(s, OLD)
            s.state(1, 'commit')
            set_schemes(s, NEW)
            continue
        if err != errno.ENOMEM:
            fail('commit with allocation %d failed: %s' % (
                nth, os.strerror(err)))
        check_schemes(s, 'a commit refused with allocation %d failed' %
                      nth, OLD)
    fail('commit of schemes: still failing after 1000 allocations')
    return injected


def commit_schemes_kdamond(s, rounds):
    """Commits of NEW and OLD in turn with one in 20 of the kdamond's
    allocations failed; return (commits refused, accepted)."""
    kdamond = s.kdamond_pid(1)
    refused = accepted = 0
    want = NEW		# what commit_schemes() left running
    check_schemes(s, 'the last commit', want)
    old = set_fault_attr('task-filter', 'Y')
    old.update(set_fault_attr('interval', '1'))
    old.update(set_fault_attr('times', '-1'))
    old.update(set_fault_attr('probability', '0'))
    try:
        with open('/proc/%d/make-it-fail' % kdamond, 'w') as f:
            f.write('1')
        for i in range(rounds):
            other = NEW if want == OLD else OLD
            set_schemes(s, other)
            set_fault_attr('probability', '5')
            err = s.try_write('kdamonds/1/state', 'commit')
            set_fault_attr('probability', '0')
            if err is None:
                want = other
                accepted += 1
            elif err != errno.ENOMEM:
                fail('commit with kdamond allocations failing: %s' %
                     os.strerror(err))
            else:
                refused += 1
            check_schemes(s, 'commit %d with kdamond allocations failing'
                          ' (%s)' % (i, 'refused' if err else 'accepted'),
                          want)
    finally:
        restore_faults(old)
        try:
            with open('/proc/%d/make-it-fail' % kdamond, 'w') as f:
                f.write('0')
        except OSError:
            pass
    return refused, accepted


def main():
    s = Sysfs.setup()
    if not faults_ready():
        skip('no failslab, fail_page_alloc or fail-nth')
    ram = largest_ram()
    base(s, ram)
    if 'paddr' not in s.read(s.ctx(0, 'avail_operations')).split():
        skip('no paddr operations set')
    old = set_fault_attr('ignore-gfp-wait', 'N')
    old.update(set_fault_attr('min-order', '0'))
    # A stack dump per failure on the serial console of a TCG guest costs
    # more than the test itself; what went wrong is told here.
    old.update(set_fault_attr('verbose', '0'))
    t0 = time.monotonic()
    watch = LeakWatch()
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
    sch = schemes_dir()
    s0 = schemes_dir(0)
    cases += [
        ('nr_schemes up', sch + '/nr_schemes', '2',
         write(sch + '/nr_schemes', 1), None, None),
        ('nr_schemes down', sch + '/nr_schemes', '1',
         write(sch + '/nr_schemes', 2), write(sch + '/nr_schemes', 2),
         None),
        ('nr_goals up', s0 + 'quotas/goals/nr_goals', '2',
         write(s0 + 'quotas/goals/nr_goals', 0), None, None),
        ('nr_filters up', s0 + 'filters/nr_filters', '2',
         write(s0 + 'filters/nr_filters', 0), None, None),
        ('memcg_path', s0 + 'filters/0/memcg_path', '/a/b',
         write(s0 + 'filters/0/memcg_path', ''),
         write(s0 + 'filters/nr_filters', 1),
         write(s0 + 'filters/nr_filters', 0)),
    ]
    total = 0
    try:
        for what, path, value, undo, prepare, cleanup in cases:
            if prepare:
                prepare()
            t0 = time.monotonic()
            n = exercise(s, what, path, value, undo,
                         STRIDE if what in STRIDED else 1)
            if cleanup:
                cleanup()
            print('%s: %d allocations failed in turn, %.1f s' % (
                what, n, time.monotonic() - t0))
            total += n
        t0 = time.monotonic()
        n = commit_schemes(s)
        print('commit of schemes: %d allocations failed in turn, %.1f s' % (
            n, time.monotonic() - t0))
        total += n
        t0 = time.monotonic()
        refused, accepted = commit_schemes_kdamond(s, KDAMOND_ROUNDS)
        print('commit of schemes with kdamond allocations failing: %d '
              'refused, %d accepted, %.1f s' % (refused, accepted,
                                                time.monotonic() - t0))
        if not refused:
            fail('no commit failed in the kdamond')
    finally:
        restore_faults(old)
    s.reset()
    if kdamonds():
        fail('kdamonds left: %s' % kdamonds())
    watch.check('%d faults injected; ' % total)
    s.check_no_splat()
    print('PASS: failed allocations leave the previous configuration intact')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
