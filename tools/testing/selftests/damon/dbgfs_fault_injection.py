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
from lib_fuzz import (FUZZ_DIR, kdamonds, kmemleak_new, kmemleak_start,
                      settle, slab_counts)

FAULTS = ('/sys/kernel/debug/failslab', '/sys/kernel/debug/fail_page_alloc')
SHOWN = ('attrs', 'target_ids', 'init_regions', 'record', 'monitor_on')


def set_attr(name, value):
    old = {}
    for d in FAULTS:
        path = os.path.join(d, name)
        if os.path.exists(path):
            with open(path) as f:
                old[path] = f.read().strip()
            with open(path, 'w') as f:
                f.write(value)
    return old


def state():
    snap = {}
    for ctx in sorted(os.listdir(DBGFS)):
        base = os.path.join(DBGFS, ctx)
        if os.path.isdir(base):
            snap.update({ctx + '/' + f: open(os.path.join(base, f)).read()
                         for f in SHOWN[:-1]})
    snap.update({f: open(os.path.join(DBGFS, f)).read() for f in SHOWN})
    return snap


def write_with_fault(path, value, nth):
    """Write with the nth allocation failed; (errno or None, injected)."""
    fd = os.open(path, os.O_WRONLY)
    tf = os.open('/proc/thread-self/fail-nth', os.O_RDWR)
    err = None
    try:
        os.pwrite(tf, str(nth).encode(), 0)
        try:
            os.write(fd, value.encode())
        except OSError as e:
            err = e.errno
        left = int(os.pread(tf, 32, 0) or b'0')
        os.pwrite(tf, b'0', 0)
    finally:
        os.close(tf)
        os.close(fd)
    return err, left == 0


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
    if not all(os.path.exists(f) for f in FAULTS) or \
            not os.path.exists('/proc/thread-self/fail-nth'):
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
    leak_check = kmemleak_start()
    old = set_attr('ignore-gfp-wait', 'N')
    old.update(set_attr('min-order', '0'))
    settle()
    pids0, slab0 = slab_counts()
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
        for path, value in old.items():
            with open(path, 'w') as f:
                f.write(value)
    d.write('rm_contexts', 'fi')
    d.restore()
    subprocess.run(['rm', '-rf', FUZZ_DIR])
    settle()
    pids1, slab1 = slab_counts()
    print('%d faults injected; struct pid objects %s -> %s, unreclaimable '
          'slab %d -> %d KiB' % (total, pids0, pids1, slab0, slab1))
    if pids0 is not None and pids1 > pids0 + 8:
        fail('struct pid objects grew by %d' % (pids1 - pids0))
    if slab1 > slab0 + 2048:
        fail('unreclaimable slab grew by %d KiB' % (slab1 - slab0))
    if leak_check:
        leaks = kmemleak_new()
        if leaks:
            fail('kmemleak reports %d new leaks' % leaks)
        print('kmemleak: no new leak')
    d.check_no_splat()
    print('PASS: failed allocations leave the previous configuration intact')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
