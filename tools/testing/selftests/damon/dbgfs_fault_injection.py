#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Failed allocations on every start and commit path of debugfs.

Each way of changing DAMON through debugfs (monitor_on's "on" with
recording, attrs, target_ids, init_regions, record, mk_contexts,
rm_contexts) is written again and again, with the first, second, third
... allocation of the write failed through fail-nth (failslab and
fail_page_alloc, GFP_KERNEL included), until a write goes through with
no allocation failed.  Every failed write must leave all files reading
what they held, no kdamond running and no context made or removed; and
in the end no struct pid object, slab or (with kmemleak) leak may be
left over.
"""

import os
import subprocess
import sys

from lib_dbgfs import DBGFS, Dbgfs, KSFT_PASS, fail, largest_ram, skip
from lib_fuzz import (FUZZ_DIR, LeakWatch, faults_ready, kdamonds,
                      restore_faults, set_fault_attr, write_with_fault)

SHOWN = ('attrs', 'target_ids', 'init_regions', 'record', 'monitor_on')


def state():
    snap = {}
    for ctx in sorted(os.listdir(DBGFS)):
        base = os.path.join(DBGFS, ctx)
        if os.path.isdir(base):
            snap.update({ctx + '/' + f: open(os.path.join(base, f)).read()
                         for f in SHOWN[:-1]})
    snap.update({f: open(os.path.join(DBGFS, f)).read() for f in SHOWN})
    return snap


def exercise(d, what, path, value, undo):
    """Fail each allocation of writing value to path in turn."""
    injected = 0
    for nth in range(1, 1000):
        before = state()
        err, hit = write_with_fault(path, value, nth)
        injected += hit
        if err is None:
            undo()
            if not hit:
                return injected
            continue
        after = state()
        if after != before:
            fail('%s with allocation %d failed (%s) changed %s' % (
                what, nth, os.strerror(err),
                [k for k in after if after.get(k) != before.get(k)]))
        if kdamonds():
            fail('%s with allocation %d failed left a kdamond' % (what, nth))
    fail('%s: still failing after 1000 allocations' % what)
    return injected


def main():
    d = Dbgfs.setup()
    if not faults_ready():
        skip('no failslab, fail_page_alloc or fail-nth')
    if d.try_write('pids', 'paddr'):
        skip('no paddr operations set')
    ram = largest_ram()
    subprocess.run(['rm', '-rf', FUZZ_DIR])
    os.mkdir(FUZZ_DIR)
    d.write('attrs', '1000 20000 1000000 10 100')
    d.write('init_regions', '-1 %d %d' % (ram[0], ram[0] + (64 << 20)))
    d.write('record', '4096 %s/fi.data' % FUZZ_DIR)
    d.write('mk_contexts', 'fi')
    sub = Dbgfs(d.path('fi'))
    sub.write('target_ids', str(os.getpid()))
    old = set_fault_attr('ignore-gfp-wait', 'N')
    old.update(set_fault_attr('min-order', '0'))
    watch = LeakWatch()
    cases = [
        ('on', d.path('monitor_on'), 'on',
         lambda: d.write('monitor_on', 'off')),
        ('attrs', d.path('attrs'), '5000 100000 1000000 10 1000',
         lambda: d.write('attrs', '1000 20000 1000000 10 100')),
        ('target_ids', sub.path('target_ids'), '1 %d' % os.getpid(),
         lambda: sub.write('target_ids', str(os.getpid()))),
        ('init_regions', d.path('init_regions'),
         '\n'.join('-1 %d %d' % (ram[0] + i * 8192, ram[0] + i * 8192 + 4096)
                   for i in range(200)),
         lambda: d.write('init_regions', '-1 %d %d' % (
             ram[0], ram[0] + (64 << 20)))),
        ('record', d.path('record'), '8192 %s/other.data' % FUZZ_DIR,
         lambda: d.write('record', '4096 %s/fi.data' % FUZZ_DIR)),
        ('mk_contexts', d.path('mk_contexts'), 'fi2',
         lambda: d.write('rm_contexts', 'fi2')),
        ('rm_contexts', d.path('rm_contexts'), 'fi2',
         lambda: d.write('mk_contexts', 'fi2')),
    ]
    total = 0
    try:
        for what, path, value, undo in cases:
            if what == 'rm_contexts':
                d.write('mk_contexts', 'fi2')
            n = exercise(d, what, path, value, undo)
            if what == 'rm_contexts':
                d.write('rm_contexts', 'fi2')
            print('%s: %d allocations failed in turn' % (what, n))
            total += n
    finally:
        restore_faults(old)
    d.write('rm_contexts', 'fi')
    d.restore()
    subprocess.run(['rm', '-rf', FUZZ_DIR])
    watch.check('%d faults injected; ' % total)
    d.check_no_splat()
    print('PASS: failed allocations leave the previous configuration intact')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
