#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Monitoring of processes that exit stops on its own.

- A monitored process that ends by itself: monitoring stops within a few
  seconds, even while the process is a zombie that nobody reaped yet.
- Two monitored processes: monitoring goes on while one of them lives, and
  stops when both have exited.
- Each time, kdamond_pid reads "none" and no kdamond thread is left.
"""

import os
import sys
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, skip
from lib_damon_access import Workload, workload_path

ATTRS = '5000 100000 1000000 10 1000'


def kdamond_threads():
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit():
            continue
        try:
            with open('/proc/%s/comm' % pid) as f:
                if f.read().startswith('kdamond'):
                    found.append(int(pid))
        except OSError:
            pass
    return found


def state(pid):
    with open('/proc/%d/stat' % pid) as f:
        return f.read().rsplit(')', 1)[1].split()[0]


def wait_off(d, what, timeout=10):
    deadline = time.monotonic() + timeout
    while d.read('monitor_on') != 'off':
        if time.monotonic() > deadline:
            fail('%s: monitoring still on after %d s' % (what, timeout))
        time.sleep(0.05)
    if d.read('kdamond_pid') != 'none':
        fail('%s: kdamond_pid is not "none"' % what)
    time.sleep(0.2)
    if kdamond_threads():
        fail('%s: kdamond threads left: %s' % (what, kdamond_threads()))


def zombie_target(d):
    """The target ends by itself and stays unreaped."""
    wl = Workload(['-b', '8', '-h', '2', '-o', '0', '-t', '2'])
    d.write('target_ids', str(wl.pid))
    d.write('monitor_on', 'on')
    time.sleep(1)
    if d.read('monitor_on') != 'on':
        fail('monitoring stopped while the target lives')
    # Don't reap it: Popen.poll() would.  Watch /proc instead.
    deadline = time.monotonic() + 10
    while state(wl.pid) != 'Z':
        if time.monotonic() > deadline:
            fail('the workload did not exit')
        time.sleep(0.05)
    wait_off(d, 'zombie target')
    wl.wait()


def two_targets(d):
    """Monitoring goes on until the last target exits."""
    short = Workload(['-b', '8', '-h', '2', '-o', '0', '-t', '1'])
    long = Workload(['-b', '8', '-h', '2', '-o', '0'])
    try:
        d.write('target_ids', '%d %d' % (short.pid, long.pid))
        d.write('monitor_on', 'on')
        short.wait()
        time.sleep(1.5)
        if d.read('monitor_on') != 'on':
            fail('monitoring stopped while one target lives')
    finally:
        long.stop()
    wait_off(d, 'two targets')


def main():
    d = Dbgfs.setup()
    if not workload_path():
        skip('hot_set_workload is not built')
    if kdamond_threads():
        skip('another kdamond runs')
    d.write('attrs', ATTRS)
    zombie_target(d)
    two_targets(d)
    d.check_no_splat()
    print('PASS: monitoring of exited processes stops by itself')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
