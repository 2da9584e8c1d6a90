#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz and stress the DAMON sysfs interface.

1. Hostile writes: several threads write random valid and invalid values
   to every file under kdamonds/, while one thread makes and removes
   kdamonds, contexts, targets and regions through the nr_ files (and now
   and then sets a kdamond up so that it can start), one turns kdamonds
   on and off and commits, one reads every file, and one keeps
   short-lived target processes coming and going.  After every refused
   write, the file reads back what it held before it.
2. Start/stop cycles of a physical address space kdamond, through one
   open state file.
3. Target-exit races: a process that exits within milliseconds is made
   the target of a kdamond, which is turned on, or given to a running one
   by "commit"; it must stop by itself.
4. Afterwards no kdamond is left, and the number of struct pid objects
   and the unreclaimable slab have not grown (nor, with kmemleak, any
   leak reported).

Environment: DAMON_SYSFS_FUZZ_WRITES (values per writer thread, 4
threads; default 300), DAMON_SYSFS_FUZZ_CYCLES (default 1,000),
DAMON_SYSFS_FUZZ_RACES (default 200).  make check-debug runs it with the
counts of the debugfs fuzz test (4 x 500, 10,000, 1,000).
"""

import errno
import os
import random
import sys
import threading
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_fuzz import LeakWatch, ShortLived, env_count, no_kdamond_left
from lib_sysfs import ATTR_FILES, Sysfs
from lib_sysfs_fuzz import (KDAMONDS, VOLATILE, hostile_value, read_or_none,
                            walk, writable, write_value)

WRITERS = 4
MAX_KDAMONDS = 3


class Fuzz:
    """The fuzz of part 1.  Writers and the tree changer of kdamond k hold
    locks[k], so that a refused write can be checked against what its
    file held; the state, reader and target threads hold nothing."""

    def __init__(self, s, ram):
        self.s = s
        self.ram = ram
        self.locks = [threading.Lock() for _ in range(MAX_KDAMONDS)]
        # The writable files of each kdamond, under its lock; None after
        # its tree changed.
        self.files = [None] * MAX_KDAMONDS
        self.stop = threading.Event()
        self.kids = ShortLived()
        self.kids_lock = threading.Lock()
        self.count_lock = threading.Lock()
        self.errors = []
        self.writes = self.refused = self.checked = 0
        self.resizes = self.setups = self.starts = self.commits = 0
        self.reads = 0

    def pids(self):
        with self.kids_lock:
            return list(self.kids.alive) + [os.getpid(), 1]

    def error(self, msg):
        with self.count_lock:
            self.errors.append(msg)

    def check_refused(self, path, value, err, before):
        after = read_or_none(path)
        name = os.path.basename(path)
        if after is None or before is None:
            return 0		# the directory went: nothing to compare
        if name in VOLATILE:
            return 0		# the switcher and exiting targets change them
        if after != before:
            self.error('refused %r to %s (%s) changed it: %r -> %r' % (
                value, path, errno.errorcode.get(err), before, after))
        return 1

    def writer(self, n):
        rnd = random.Random()
        done = 0
        while done < n and not self.errors:
            k = rnd.randrange(MAX_KDAMONDS)
            with self.locks[k]:
                if self.files[k] is None:
                    self.files[k] = [f for f in walk(os.path.join(
                        KDAMONDS, str(k))) if writable(f)]
                if not self.files[k]:
                    continue
                path = rnd.choice(self.files[k])
                value = hostile_value(path, rnd, self.pids(), self.ram)
                before = read_or_none(path)
                err = write_value(path, value)
                checked = 0
                if os.path.basename(path).startswith('nr_') and err is None:
                    self.files[k] = None
                if err is not None:
                    checked = self.check_refused(path, value, err, before)
            done += 1
            with self.count_lock:
                self.writes += 1
                self.refused += err is not None
                self.checked += checked

    def setup_kdamond(self, k, rnd):
        """Give kdamond k a context that can start; a running kdamond may
        refuse some of it, which is fine here."""
        ctx = os.path.join(KDAMONDS, str(k), 'contexts')
        if rnd.random() < 0.5:
            ops, pid, regions = 'vaddr', rnd.choice(self.pids()), []
        else:
            start = rnd.randrange(self.ram[0], self.ram[1] - (8 << 20), 4096)
            ops, pid, regions = 'paddr', 0, [(start, start + (4 << 20))]
        values = [('nr_contexts', 1), ('0/operations', ops)]
        values += [('0/monitoring_attrs/' + f, v) for f, v in
                   zip(ATTR_FILES, (1000, 20000, 1000000, 10, 100))]
        values += [('0/targets/nr_targets', 1),
                   ('0/targets/0/pid_target', pid),
                   ('0/targets/0/regions/nr_regions', len(regions))]
        for r, (start, end) in enumerate(regions):
            values += [('0/targets/0/regions/%d/start' % r, start),
                       ('0/targets/0/regions/%d/end' % r, end)]
        for name, value in values:
            if write_value(os.path.join(ctx, name),
                           str(value).encode()) is not None:
                return
        self.setups += 1

    def tree_changer(self):
        """Resize the numbered directories, or set a kdamond up."""
        rnd = random.Random()
        while not self.stop.is_set():
            time.sleep(rnd.random() * 0.02)
            if rnd.random() < 0.1:
                # kdamonds/ itself: every kdamond's lock, in order.
                for lock in self.locks:
                    lock.acquire()
                try:
                    nr = rnd.randint(0, MAX_KDAMONDS)
                    if write_value(KDAMONDS + '/nr_kdamonds',
                                   str(nr).encode()) is None:
                        self.resizes += 1
                    self.files = [None] * MAX_KDAMONDS
                finally:
                    for lock in self.locks:
                        lock.release()
                continue
            k = rnd.randrange(MAX_KDAMONDS)
            with self.locks[k]:
                self.files[k] = None
                if not os.path.isdir(os.path.join(KDAMONDS, str(k))):
                    continue
                if rnd.random() < 0.3:
                    self.setup_kdamond(k, rnd)
                    if write_value(os.path.join(KDAMONDS, str(k), 'state'),
                                   b'on') is None:
                        self.starts += 1
                    continue
                nrs = [f for f in walk(os.path.join(KDAMONDS, str(k)))
                       if os.path.basename(f).startswith('nr_')]
                if not nrs:
                    continue
                path = rnd.choice(nrs)
                value = str(rnd.choice([0, 1, 1, 2, 3, 8])).encode()
                before = read_or_none(path)
                err = write_value(path, value)
                if err is None:
                    self.resizes += 1
                elif before is not None and read_or_none(path) != before:
                    self.error('refused %r to %s (%s) changed it' % (
                        value, path, errno.errorcode.get(err)))

    def switcher(self):
        rnd = random.Random()
        while not self.stop.is_set():
            k = rnd.randrange(MAX_KDAMONDS)
            path = os.path.join(KDAMONDS, str(k), 'state')
            cmd = rnd.choice([b'on', b'on', b'off', b'commit'])
            if write_value(path, cmd) is None:
                self.starts += cmd == b'on'
                self.commits += cmd == b'commit'
            time.sleep(rnd.random() * 0.03)

    def reader(self):
        while not self.stop.is_set():
            for path in walk():
                read_or_none(path)
                self.reads += 1
            time.sleep(0.01)	# leave the writers most of the time

    def targets(self):
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
                   (self.tree_changer, self.switcher, self.reader,
                    self.targets)]
        writers = [threading.Thread(target=self.writer, args=(n,),
                                    daemon=True) for _ in range(WRITERS)]
        self.s.write('kdamonds/nr_kdamonds', MAX_KDAMONDS)
        t0 = time.monotonic()
        for t in helpers + writers:
            t.start()
        for t in writers:
            t.join()
        self.secs = time.monotonic() - t0
        self.stop.set()
        for t in helpers:
            t.join()
        if self.errors:
            fail('%d refused writes changed their file; first: %s' % (
                len(self.errors), self.errors[0]))


def wait_off(s, k, timeout=10):
    deadline = time.monotonic() + timeout
    while s.read('kdamonds/%d/state' % k) != 'off':
        if time.monotonic() > deadline:
            fail('kdamond %d still on after %d s' % (k, timeout))
        time.sleep(0.002)


def cycles(s, n, ram):
    s.set_kdamond(0, 'paddr', '1000 20000 1000000 3 10',
                  [(0, [(ram[0], ram[0] + (4 << 20))])])
    state = os.open(s.path('kdamonds/0/state'), os.O_WRONLY)
    t0 = time.monotonic()
    try:
        for i in range(n):
            os.pwrite(state, b'on', 0)
            # Now and then, make sure that "on" really started a kdamond.
            if not i % 250 and s.kdamond_pid(0) <= 0:
                fail('cycle %d: no kdamond after "on"' % i)
            if i % 4 == 1:
                os.pwrite(state, b'commit', 0)
            os.pwrite(state, b'off', 0)
    except OSError as e:
        fail('cycle %d: %s' % (i, os.strerror(e.errno)))
    finally:
        os.close(state)
    return time.monotonic() - t0


def races(s, n):
    """Half the rounds start a kdamond on a dying process, half commit one
    to a kdamond that monitors another dying process."""
    kids = ShortLived()
    s.set_kdamond(0, 'vaddr', '1000 20000 1000000 3 10', [(1, [])])
    started = committed = 0
    t0 = time.monotonic()
    for i in range(n):
        pid = kids.spawn(max_ms=5)
        s.write(s.ctx(0, 'targets/0/pid_target'), pid)
        if s.try_write('kdamonds/0/state', 'on') is None:
            started += 1
            if i % 2:
                pid = kids.spawn(max_ms=5)
                s.write(s.ctx(0, 'targets/0/pid_target'), pid)
                err = s.try_write('kdamonds/0/state', 'commit')
                if err is None:
                    committed += 1
                elif err not in (errno.EINVAL, errno.ESRCH):
                    fail('commit: %s' % os.strerror(err))
        kids.reap(block=True)
        wait_off(s, 0)
    return started, committed, time.monotonic() - t0


def main():
    s = Sysfs.setup()
    ram = largest_ram()
    n_writes = env_count('DAMON_SYSFS_FUZZ_WRITES', 300)
    n_cycles = env_count('DAMON_SYSFS_FUZZ_CYCLES', 1000)
    n_races = env_count('DAMON_SYSFS_FUZZ_RACES', 200)
    s.set_kdamond(0, 'vaddr')
    if 'paddr' not in s.read(s.ctx(0, 'avail_operations')).split():
        skip('no paddr operations set')
    s.reset()
    watch = LeakWatch()

    t0 = time.monotonic()
    fuzz = Fuzz(s, ram)
    fuzz.run(n_writes)
    s.reset()
    print('hostile writes: %d from %d threads, %d refused, %d of them '
          'checked; %d resizes, %d setups, %d starts, %d commits, %d reads, '
          '%.0f s' % (fuzz.writes, WRITERS, fuzz.refused, fuzz.checked,
                      fuzz.resizes, fuzz.setups, fuzz.starts, fuzz.commits,
                      fuzz.reads, time.monotonic() - t0))

    secs = cycles(s, n_cycles, ram)
    print('start/stop cycles: %d (a commit in every fourth) in %.0f s' %
          (n_cycles, secs))
    started, committed, secs = races(s, n_races)
    print('target-exit races: %d rounds (%d started and %d committed before '
          'the exit was seen), %.0f s' % (n_races, started, committed, secs))

    s.reset()
    no_kdamond_left()
    watch.check()
    s.check_no_splat()
    print('PASS: the sysfs interface survived fuzzing and stress')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
