#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the DAMOS files of the sysfs interface (the schemes/ tree).

Kdamond 0 monitors 4 MiB of physical memory with up to four schemes.
Scheme 0 is a probe: a "stat" scheme whose access_pattern/sz/min this
test alone sets, to 0 (it tries every region: its nr_tried grows) or to
1 TiB (it tries nothing), so that what the running kdamond applies can be
told from its statistics.  The other schemes get random values.

1. A walk ended by a signal: with a scheme applied once in days,
   update_schemes_tried_regions waits for it; SIGKILL must end the wait
   (the write fails) and leave every file usable.
2. The fuzz: random and boundary values (huge, negative, past 64 bits,
   empty, non-numeric, wrong keywords) to every writable file of schemes
   1 to 3, including the nr_schemes, nr_goals and nr_filters files while
   the kdamond runs; writes to the read-only files; "on", "off",
   "commit" and commit_schemes_quota_goals in between.  A child process
   meanwhile sends the other DAMOS commands (update_schemes_stats,
   update_schemes_tried_bytes, update_schemes_tried_regions,
   clear_schemes_tried_regions, update_schemes_effective_quotas) and
   reads what they fill; when a write of this process waits for more
   than a few seconds behind a walk of a scheme applied once in days,
   the child is killed and restarted.
   Checked: every write succeeds (a number then reads back as written) or
   fails with an errno of the ABI and leaves its file as it was; a
   refused "commit" or "on" applies nothing (the probe keeps its former
   behaviour, and a refused commit leaves the kdamond running); a
   successful one applies the files (the probe takes the new behaviour).
3. Afterwards no kdamond is left, no splat, no leak (kmemleak, slab).

Environment: DAMON_DAMOS_FUZZ_OPS (operations, default 1,500),
DAMON_DAMOS_FUZZ_SEED (to replay a run).
"""

import errno
import os
import random
import signal
import sys
import threading
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damos_fuzz import scheme_value
from lib_fuzz import LeakWatch, env_count, no_kdamond_left
from lib_sysfs import Sysfs
from lib_sysfs_fuzz import read_or_none, walk, write_value

ATTRS = '2000 10000 1000000 3 10'
SCHEMES = 'kdamonds/0/contexts/0/schemes'
NEVER = 1 << 40		# no region of 4 MiB is that large
# Files of schemes/ only the kernel writes.
READ_ONLY = ('nr_tried', 'sz_tried', 'nr_applied', 'sz_applied',
             'qt_exceeds', 'effective_bytes', 'total_bytes', 'start', 'end',
             'nr_accesses', 'age')
# The errnos of the ABI (usage.rst) for a value file, for "on" and
# "commit", and for the commands of the child (EINTR when it is killed in
# a walk; ENOMEM is never injected here, but the ABI allows it).
FILE_ERRS = {errno.EINVAL, errno.ERANGE, errno.E2BIG, errno.ENAMETOOLONG,
             errno.ENOMEM}
STATE_ERRS = {errno.EINVAL, errno.EOPNOTSUPP, errno.ENOENT, errno.ENOMEM}
CMD_ERRS = {errno.EINVAL, errno.ENOMEM, errno.EINTR}
NR_FILES = ('nr_schemes', 'nr_goals', 'nr_filters')
# Files that show a written number as something else.
SHOWN_OTHERWISE = ('action', 'metric', 'target_metric', 'type', 'matching',
                   'memcg_path')
CHILD_CMDS = (b'update_schemes_stats', b'update_schemes_tried_bytes',
              b'update_schemes_tried_regions', b'clear_schemes_tried_regions',
              b'update_schemes_effective_quotas')
STALL_S = 4		# an operation taking longer waits behind a long walk
STUCK_S = 15		# still waiting that long after the kill: a hang


def commander(state_path, report):
    """The child: DAMOS commands and reads of what they fill, for ever."""
    rnd = random.Random()
    while True:
        cmd = rnd.choice(CHILD_CMDS)
        err = write_value(state_path, cmd)
        if err is not None and err not in CMD_ERRS:
            os.write(report, b'%s: %s\n' % (
                cmd, errno.errorcode.get(err, str(err)).encode()))
        for path in walk(os.path.dirname(state_path) + '/contexts'):
            if '/tried_regions/' in path or '/stats/' in path:
                read_or_none(path)
        time.sleep(rnd.random() * 0.02)


class Child:
    """The commander process, killed when it holds up the test."""

    def __init__(self, s):
        self.state = s.path('kdamonds/0/state')
        self.pid = None
        self.kills = 0
        self.rd, self.wr = os.pipe()
        os.set_blocking(self.rd, False)

    def start(self):
        if self.pid is not None:
            return
        pid = os.fork()
        if pid == 0:
            try:
                commander(self.state, self.wr)
            finally:
                os._exit(0)
        self.pid = pid

    def kill(self):
        if self.pid is None:
            return
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.pid = None

    def complaints(self):
        try:
            return os.read(self.rd, 65536).decode()
        except BlockingIOError:
            return ''


class Watchdog(threading.Thread):
    """Kills the child when a write of the fuzz waits too long, and fails
    the test when killing it does not end the wait."""

    def __init__(self, child):
        super().__init__(daemon=True)
        self.child = child
        self.lock = threading.Lock()
        self.since = None
        self.what = None
        self.killed_at = None

    def begin(self, what):
        with self.lock:
            self.since, self.what = time.monotonic(), what

    def end(self):
        with self.lock:
            self.since = None
            self.killed_at = None

    def run(self):
        while True:
            time.sleep(0.5)
            with self.lock:
                if self.since is None:
                    continue
                now = time.monotonic()
                if self.killed_at is None and now - self.since > STALL_S:
                    self.killed_at = now
                    pid = self.child.pid
                    if pid is not None:
                        os.kill(pid, signal.SIGKILL)
                        self.child.kills += 1
                elif self.killed_at and now - self.killed_at > STUCK_S:
                    print('not ok: %s still waits %d s after the walk was '
                          'killed' % (self.what, STUCK_S), flush=True)
                    os._exit(1)


class Fuzz:
    def __init__(self, s, ram, rnd):
        self.s = s
        self.rnd = rnd
        self.ram = ram
        self.child = Child(s)
        self.dog = Watchdog(self.child)
        self.probe = None	# what the running probe does: True tries all
        self.files = None
        self.count = dict.fromkeys((
            'writes', 'refused', 'read-only', 'resizes', 'commits',
            'commits refused', 'ons', 'ons refused', 'goal commits',
            'probe checks'), 0)
        self.why = {}

    def guarded(self, what, path, value):
        """write_value(), named for the watchdog."""
        self.dog.what = what
        return write_value(path, value)

    def scheme_files(self):
        if self.files is None:
            self.files = [p for p in walk(self.s.path(SCHEMES))
                          if '/schemes/0/' not in p and
                          '/tried_regions/' not in p and
                          os.path.basename(p) not in READ_ONLY + NR_FILES]
        return self.files

    def write_file(self):
        files = self.scheme_files()
        if not files:
            return
        path = self.rnd.choice(files)
        name = os.path.basename(path)
        value = scheme_value(name, self.rnd)
        before = read_or_none(path)
        err = self.guarded('write to ' + path, path, value)
        after = read_or_none(path)
        self.count['writes'] += 1
        if err is None:
            text = value.decode(errors='replace').strip()
            if name not in SHOWN_OTHERWISE and text.isascii() and \
                    text.isdigit() and not text.startswith('0') and \
                    after.strip() != text:
                fail('%s took %r but reads %r' % (path, value, after))
            return
        self.count['refused'] += 1
        if err not in FILE_ERRS:
            fail('%r to %s: unexpected %s' % (value, path,
                                              errno.errorcode.get(err)))
        if after != before:
            fail('refused %r to %s (%s) changed it: %r -> %r' % (
                value, path, errno.errorcode.get(err), before, after))

    def write_read_only(self):
        paths = [p for p in walk(self.s.path(SCHEMES))
                 if os.path.basename(p) in READ_ONLY]
        if not paths:
            return
        path = self.rnd.choice(paths)
        # What they read may change meanwhile: the child's commands fill
        # them.  ENOENT: a tried region went since the walk.
        err = write_value(path, b'1')
        self.count['read-only'] += 1
        if err not in (errno.EACCES, errno.ENOENT):
            fail('writing read-only %s: %s' % (
                path, errno.errorcode.get(err, 'success')))

    def resize(self):
        # Not the probe's goals and filters: a new goal is invalid
        # (target_value 0) and would refuse every later command.
        nrs = [p for p in walk(self.s.path(SCHEMES))
               if os.path.basename(p) in NR_FILES and
               '/schemes/0/' not in p]
        path = self.rnd.choice(nrs)
        if os.path.basename(path) == 'nr_schemes':
            value = str(self.rnd.randint(1, 4))	# the probe stays
        elif self.rnd.random() < 0.8:
            value = str(self.rnd.randint(0, 3))
        else:
            value = self.rnd.choice(('-1', '17', '65', '257', 'x',
                                     str(1 << 64)))
        before = read_or_none(path)
        err = self.guarded('resize ' + path, path, value.encode())
        self.files = None
        if err is None:
            self.count['resizes'] += 1
        elif err not in (errno.ERANGE, errno.EINVAL):
            fail('%s to %s: %s' % (value, path, errno.errorcode.get(err)))
        elif read_or_none(path) != before:
            fail('refused %s to %s changed it' % (value, path))

    def probe_tries(self):
        """Whether the running probe tries regions: its nr_tried grows."""
        stat = self.s.path(SCHEMES + '/0/stats/nr_tried')
        state = self.s.path('kdamonds/0/state')

        def nr_tried():
            err = self.guarded('update_schemes_stats', state,
                               b'update_schemes_stats')
            if err is not None:
                fail('update_schemes_stats: %s' % errno.errorcode.get(err))
            return int(read_or_none(stat))

        first = nr_tried()
        # An aggregation interval is 10 ms; TCG and a loaded machine
        # slow the kdamond down, so wait for 30 of them.
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if nr_tried() > first:
                return True
        return False

    def check_probe(self, what):
        self.count['probe checks'] += 1
        tries = self.probe_tries()
        if tries != self.probe:
            fail('after %s, the probe %s regions, not as the last '
                 'accepted files said' % (what, 'tries' if tries else
                                          'tries no'))

    def state(self, cmd):
        """on or commit, with the probe flipped first."""
        flip = not self.probe if self.probe is not None else \
            self.rnd.random() < 0.5
        self.s.write(SCHEMES + '/0/access_pattern/sz/min',
                     0 if flip else NEVER)
        was_on = self.s.read('kdamonds/0/state') == 'on'
        err = self.guarded(cmd, self.s.path('kdamonds/0/state'),
                           cmd.encode())
        on = self.s.read('kdamonds/0/state') == 'on'
        key = 'commits' if cmd == 'commit' else 'ons'
        self.count[key] += 1
        if err is None:
            if not on:
                fail('%s succeeded, but the kdamond is off' % cmd)
            self.probe = flip
        else:
            self.count[key + ' refused'] += 1
            why = '%s %s' % (cmd, errno.errorcode.get(err))
            self.why[why] = self.why.get(why, 0) + 1
            if cmd == 'on' and not was_on and err == errno.EBUSY:
                fail('on of a stopped kdamond: EBUSY')
            if err not in STATE_ERRS | {errno.EBUSY}:
                fail('%s: unexpected %s' % (cmd, errno.errorcode.get(err)))
            if on != was_on:
                fail('refused %s (%s) turned the kdamond %s' % (
                    cmd, errno.errorcode.get(err), 'on' if on else 'off'))
            # Now and then fresh schemes, valid until the fuzz writes
            # them, so that more commands go through.
            if self.rnd.random() < (0.3 if on else 0.6):
                self.s.write(SCHEMES + '/nr_schemes', 1)
                self.s.write(SCHEMES + '/nr_schemes',
                             self.rnd.randint(1, 4))
                self.files = None
            if not on:
                return
        if on and self.rnd.random() < 0.5:
            self.check_probe('%s (%s)' % (cmd, errno.errorcode.get(
                err, 'accepted')))

    def commit_goals(self):
        err = self.guarded('commit_schemes_quota_goals',
                           self.s.path('kdamonds/0/state'),
                           b'commit_schemes_quota_goals')
        self.count['goal commits'] += 1
        if err is not None and err not in STATE_ERRS:
            fail('commit_schemes_quota_goals: %s' % errno.errorcode.get(err))

    def op(self):
        r = self.rnd.random()
        if r < 0.55:
            self.write_file()
        elif r < 0.65:
            self.resize()
        elif r < 0.7:
            self.write_read_only()
        elif r < 0.85:
            self.state('commit')
        elif r < 0.9:
            self.commit_goals()
        else:
            if self.rnd.random() < 0.5:
                self.guarded('off', self.s.path('kdamonds/0/state'), b'off')
                if self.s.read('kdamonds/0/state') != 'off':
                    fail('off left the kdamond on')
            self.state('on')

    def run(self, n):
        self.dog.start()
        for i in range(n):
            if self.child.pid is None and i % 10 == 0:
                self.child.start()
            # Every op reads or writes files that a walk of the child
            # may keep locked: all of them run under the watchdog.
            self.dog.begin('op %d' % i)
            self.op()
            if self.s.read('kdamonds/0/state') == 'off' and \
                    self.rnd.random() < 0.2:
                self.state('on')
            self.dog.end()
            if self.child.pid is not None:
                done, _ = os.waitpid(self.child.pid, os.WNOHANG)
                if done:
                    self.child.pid = None
        self.child.kill()
        bad = self.child.complaints()
        if bad:
            fail('DAMOS commands failed with errnos not in the ABI:\n' + bad)


def setup(s, ram):
    start = ram[0] + (64 << 20)
    s.set_kdamond(0, 'paddr', ATTRS, [(0, [(start, start + (4 << 20))])])
    s.write(SCHEMES + '/nr_schemes', 1)
    s.write(SCHEMES + '/0/action', 'stat')


def walk_signal(s):
    """Part 1: a walk waiting for a scheme applied once in days."""
    s.write(SCHEMES + '/nr_schemes', 2)
    s.write(SCHEMES + '/1/apply_interval_us', 10 ** 12)
    s.state(0, 'on')
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        fd = os.open(s.path('kdamonds/0/state'), os.O_WRONLY)
        os.write(fd, b'update_schemes_tried_regions')
        os._exit(0)
    time.sleep(1)
    done, _ = os.waitpid(pid, os.WNOHANG)
    if done:
        fail('update_schemes_tried_regions did not wait for a scheme '
             'applied once in 11 days')
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        # Leave the stuck writer; every later write would wait behind it.
        print('not ok: SIGKILL did not end a walk waiting for an 11-day '
              'apply interval', flush=True)
        os._exit(1)
    s.state(0, 'off')
    s.write(SCHEMES + '/1/apply_interval_us', 0)
    s.write(SCHEMES + '/nr_schemes', 1)
    print('a walk waiting for an 11-day apply interval: killed after 1 s, '
          'gone in %.1f s' % (time.monotonic() - t0 - 1))


def main():
    s = Sysfs.setup()
    ram = largest_ram()
    if ram[1] - ram[0] < (128 << 20):
        skip('no 128 MiB of contiguous RAM')
    s.set_kdamond(0, 'vaddr')
    if 'paddr' not in s.read(s.ctx(0, 'avail_operations')).split():
        skip('no paddr operations set')
    if not os.path.exists(s.path(SCHEMES)):
        skip('no schemes/ directory')
    n = env_count('DAMON_DAMOS_FUZZ_OPS', 1500)
    seed = env_count('DAMON_DAMOS_FUZZ_SEED', random.randrange(1 << 32))
    print('seed %d (DAMON_DAMOS_FUZZ_SEED replays it), %d operations' %
          (seed, n))
    watch = LeakWatch()
    setup(s, ram)

    walk_signal(s)

    t0 = time.monotonic()
    fuzz = Fuzz(s, ram, random.Random(seed))
    fuzz.run(n)
    print('%s; %d walks killed; %.0f s' % (
        ', '.join('%d %s' % (v, k) for k, v in fuzz.count.items()),
        fuzz.child.kills, time.monotonic() - t0))
    print('refused: %s' % ', '.join('%d %s' % (v, k) for k, v in
                                    sorted(fuzz.why.items())))
    if fuzz.count['probe checks'] < 5:
        fail('only %d commits checked' % fuzz.count['probe checks'])

    s.reset()
    no_kdamond_left()
    watch.check(pids=False)
    s.check_no_splat()
    print('PASS: the DAMOS sysfs files survived fuzzing')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
