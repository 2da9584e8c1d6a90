#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reading the debugfs files while the target exits and the kdamond stops.

Over and over, a child process makes itself the target, turns monitoring
on and exits at once, so that its kdamond stops by itself; meanwhile the
parent keeps reading target_ids, pids, init_regions, kdamond_pid and
monitor_on.  Nothing may splat, every read must give well-formed text,
and monitoring must end by itself after each target's exit.
"""

import os
import sys
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, fail

RUN_SECONDS = 20


def child(d):
    try:
        pid = str(os.getpid())
        d.write('target_ids', pid)
        d.write('monitor_on', 'on')
        time.sleep(0.001)
    finally:
        os._exit(0)


def check_reads(fds):
    for name, fd in fds.items():
        text = os.pread(fd, 4096, 0).decode().strip()
        if name in ('target_ids', 'pids'):
            ok = all(w.lstrip('-').isdigit() for w in text.split())
        elif name == 'kdamond_pid':
            ok = text == 'none' or text.isdigit()
        elif name == 'monitor_on':
            ok = text in ('on', 'off')
        else:
            ok = True
        if not ok:
            fail('%s read "%s" during the race' % (name, text))


def main():
    d = Dbgfs.setup()
    d.write('attrs', '1000 10000 100000 10 100')
    names = ('target_ids', 'pids', 'init_regions', 'kdamond_pid',
             'monitor_on')
    fds = {n: os.open(d.path(n), os.O_RDONLY) for n in names}
    rounds = 0
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        pid = os.fork()
        if pid == 0:
            child(d)
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            check_reads(fds)
        # With its only target gone, the kdamond must stop by itself.
        stop_by = time.monotonic() + 10
        while d.read('monitor_on') != 'off':
            check_reads(fds)
            if time.monotonic() > stop_by:
                fail('monitoring still on 10 s after the target exited')
        check_reads(fds)
        rounds += 1
    for fd in fds.values():
        os.close(fd)
    d.check_no_splat()
    print('PASS: %d rounds of reads racing target exits and kdamond stops'
          % rounds)
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
