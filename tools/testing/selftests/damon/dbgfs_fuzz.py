#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz and stress the DAMON debugfs interface.

1. Hostile writes: several threads write random valid and invalid values,
   whole or in pieces, to every settings file of every context, while one
   thread turns monitoring on and off, one makes and removes contexts and
   one keeps short-lived target processes coming and going.  The schemes
   file gets random lines: too few or too many values, numbers past 64
   bits, unknown action and metric numbers, inverted ranges.  After every
   refused write the context's files must read back what they held
   before it (schemes without the statistics, which the kdamond moves).
2. Start/stop cycles of a physical address space context.
3. Target-exit races: a process that exits within milliseconds is made
   the target and monitoring turned on; it must stop by itself.
4. Afterwards no kdamond is left, and the number of struct pid objects
   and the unreclaimable slab have not grown (nor, with kmemleak, any
   leak reported).

Environment: DAMON_FUZZ_WRITES (values per settings thread, 4 threads;
default 500), DAMON_FUZZ_CYCLES (default 10,000), DAMON_FUZZ_RACES
(default 1,000).
"""

import errno
import os
import random
import subprocess
import sys
import threading
import time

from lib_dbgfs import DBGFS, Dbgfs, KSFT_PASS, fail, largest_ram, skip
from lib_damos_fuzz import dbgfs_schemes_value
from lib_fuzz import (FUZZ_DIR, LeakWatch, ShortLived, env_count,
                      hostile_value, kdamonds, pieces)

SETTINGS = ('attrs', 'target_ids', 'pids', 'init_regions', 'record',
            'schemes')
SHOWN = ('attrs', 'target_ids', 'init_regions', 'record', 'schemes')
THREADS = 4


def write_pieces(path, value_pieces):
    """Write a value through one open file; return None or the errno."""
    fd = os.open(path, os.O_WRONLY)
    try:
        for p in value_pieces:
            os.write(fd, p)
    except OSError as e:
        return e.errno
    finally:
        os.close(fd)
    return None


def read(path):
    with open(path) as f:
        text = f.read()
    if os.path.basename(path) == 'schemes':
        # Each line: 18 settings, then 5 statistics of the running scheme.
        text = '\n'.join(' '.join(line.split()[:18])
                         for line in text.splitlines())
    return text


class Ctx:
    def __init__(self, name):
        self.name = name
        self.dir = DBGFS if name is None else os.path.join(DBGFS, name)
        self.lock = threading.Lock()
        self.gone = False

    def snapshot(self):
        return {f: read(os.path.join(self.dir, f)) for f in SHOWN}


class Fuzz:
    def __init__(self, ram):
        self.ram = ram
        self.ctxs = {None: Ctx(None)}
        self.ctxs_lock = threading.Lock()
        self.stop = threading.Event()
        self.kids = ShortLived()
        self.kids_lock = threading.Lock()
        self.writes = self.refused = self.pieces = 0
        self.count_lock = threading.Lock()
        self.errors = []
        self.starts = self.ctx_changes = 0

    def pids(self):
        with self.kids_lock:
            return list(self.kids.alive) + [os.getpid(), 1]

    def settings_worker(self, n):
        rnd = random.Random()
        for _ in range(n):
            if self.errors:
                return
            with self.ctxs_lock:
                ctx = rnd.choice(list(self.ctxs.values()))
            name = rnd.choice(SETTINGS)
            if name == 'schemes':
                value = dbgfs_schemes_value(rnd)
            else:
                value = hostile_value(name, self.pids(), self.ram)
            parts = pieces(value)
            with ctx.lock:
                if ctx.gone:
                    continue
                before = ctx.snapshot()
                err = write_pieces(os.path.join(ctx.dir, name), parts)
                if err is not None:
                    after = ctx.snapshot()
                    if after != before:
                        self.errors.append(
                            'refused %r to %s/%s (%s) changed %s' % (
                                parts, ctx.name or '.', name,
                                errno.errorcode.get(err), {
                                    k: (before[k], after[k]) for k in SHOWN
                                    if before[k] != after[k]}))
            with self.count_lock:
                self.writes += 1
                self.pieces += len(parts)
                self.refused += err is not None

    def monitor_worker(self):
        while not self.stop.is_set():
            if write_pieces(DBGFS + '/monitor_on', [b'on']) is None:
                self.starts += 1
            time.sleep(random.random() * 0.05)
            write_pieces(DBGFS + '/monitor_on', [b'off'])
            time.sleep(random.random() * 0.05)

    def contexts_worker(self):
        while not self.stop.is_set():
            name = random.choice(['c0', 'c1', 'c2'])
            with self.ctxs_lock:
                ctx = self.ctxs.get(name)
            if ctx is None:
                value = random.choice([name.encode(), b'..', b'a/b',
                                       b'attrs', b'x' * 300])
                if write_pieces(DBGFS + '/mk_contexts', [value]) is None:
                    with self.ctxs_lock:
                        self.ctxs[value.decode()] = Ctx(value.decode())
                    self.ctx_changes += 1
            else:
                with ctx.lock:
                    if write_pieces(DBGFS + '/rm_contexts',
                                    [name.encode()]) is None:
                        ctx.gone = True
                        with self.ctxs_lock:
                            del self.ctxs[name]
                        self.ctx_changes += 1
            time.sleep(random.random() * 0.05)

    def targets_worker(self):
        while not self.stop.is_set():
            with self.kids_lock:
                self.kids.reap()
                if len(self.kids.alive) < 6:
                    self.kids.spawn(max_ms=200)
            time.sleep(0.01)
        with self.kids_lock:
            self.kids.reap(block=True)

    def run(self, n):
        helpers = [threading.Thread(target=f, daemon=True) for f in
                   (self.monitor_worker, self.contexts_worker,
                    self.targets_worker)]
        workers = [threading.Thread(target=self.settings_worker, args=(n,),
                                    daemon=True) for _ in range(THREADS)]
        for t in helpers + workers:
            t.start()
        for t in workers:
            t.join()
        self.stop.set()
        for t in helpers:
            t.join()
        if self.errors:
            fail('%d refused writes changed settings; first: %s' % (
                len(self.errors), self.errors[0]))


def wait_off(d, timeout=10):
    deadline = time.monotonic() + timeout
    while d.read('monitor_on') != 'off':
        if time.monotonic() > deadline:
            fail('monitoring still on after %d s' % timeout)
        time.sleep(0.002)


def cycles(d, n, ram):
    d.write('attrs', '1000 20000 1000000 3 10')
    d.write('pids', 'paddr')
    d.write('init_regions', '-1 %d %d' % (ram[0], ram[0] + (4 << 20)))
    d.write('record', '0')
    on = os.open(d.path('monitor_on'), os.O_WRONLY)
    t0 = time.monotonic()
    try:
        for i in range(n):
            os.pwrite(on, b'on', 0)
            # Now and then, make sure that "on" really started a kdamond.
            if not i % 500 and not d.read('kdamond_pid').isdigit():
                fail('cycle %d: no kdamond after "on"' % i)
            os.pwrite(on, b'off', 0)
    except OSError as e:
        fail('cycle %d: %s' % (i, os.strerror(e.errno)))
    finally:
        os.close(on)
    return time.monotonic() - t0


def races(d, n):
    kids = ShortLived()
    d.write('attrs', '1000 20000 1000000 3 10')
    started = 0
    t0 = time.monotonic()
    for _ in range(n):
        pid = kids.spawn(max_ms=5)
        err = d.try_write('target_ids', str(pid))
        if err is None and d.try_write('monitor_on', 'on') is None:
            started += 1
        kids.reap(block=True)
        wait_off(d)
    return started, time.monotonic() - t0


def main():
    d = Dbgfs.setup()
    if d.try_write('pids', 'paddr'):
        skip('no paddr operations set')
    ram = largest_ram()
    n_writes = env_count('DAMON_FUZZ_WRITES', 500)
    n_cycles = env_count('DAMON_FUZZ_CYCLES', 10000)
    n_races = env_count('DAMON_FUZZ_RACES', 1000)
    subprocess.run(['rm', '-rf', FUZZ_DIR])
    os.mkdir(FUZZ_DIR)
    os.symlink('/tmp/damon-fuzz-victim', FUZZ_DIR + '/link')
    watch = LeakWatch()

    t0 = time.monotonic()
    fuzz = Fuzz(ram)
    fuzz.run(n_writes)
    d.try_write('monitor_on', 'off')
    for name in list(fuzz.ctxs):
        if name:
            d.write('rm_contexts', name)
    # The schemes left might not suit the processes of the races.
    d.write('schemes', '\n')
    print('hostile writes: %d values in %d write()s from %d threads, %d '
          'refused and checked, %d starts, %d contexts made or removed, '
          '%.0f s' % (fuzz.writes, fuzz.pieces, THREADS, fuzz.refused,
                      fuzz.starts, fuzz.ctx_changes, time.monotonic() - t0))
    if os.path.exists('/tmp/damon-fuzz-victim'):
        fail('a record was written through a symbolic link')

    secs = cycles(d, n_cycles, ram)
    print('start/stop cycles: %d in %.0f s' % (n_cycles, secs))
    started, secs = races(d, n_races)
    print('target-exit races: %d rounds (%d started before the exit was '
          'seen), %.0f s' % (n_races, started, secs))

    wait_off(d)
    if kdamonds():
        fail('kdamonds left: %s' % kdamonds())
    d.restore()
    subprocess.run(['rm', '-rf', FUZZ_DIR])
    watch.check()
    d.check_no_splat()
    print('PASS: the debugfs interface survived fuzzing and stress')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
