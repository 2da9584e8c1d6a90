#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad input to the debugfs ``schemes`` file: a clear errno, old schemes kept.

Each bad value must fail with its errno and leave the schemes as they
were: inverted ranges, unknown action or watermark metric numbers,
watermarks out of order, weights whose sum overflows, too few or too many
numbers, an action the targets' operations set cannot do (EOPNOTSUPP),
and any write while monitoring is on (EBUSY).  A context whose schemes no
longer suit its targets does not start.

A reader that takes the file in several read()s gets one text: the
statistics that a kdamond moves between two of them do not tear it.
"""

import errno
import os
import sys
import time

from lib_damon_access import Workload, workload_path
import lib_damos
from lib_dbgfs import KSFT_PASS, fail, largest_ram, skip

GOOD = lib_damos.scheme('pageout', sz=(4096, 1 << 30), nr_accesses=(0, 3),
                        age=(5, 100), quota=(10, 1 << 20, 1000),
                        weights=(1, 2, 3),
                        wmarks=(lib_damos.WMARK_FREE_MEM_RATE, 100000, 900,
                                800, 100))
BASE = [4096, 8192, 0, 5, 10, 20, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def line(**changes):
    """BASE with values changed by position: line(v6=9) sets the action."""
    values = list(BASE)
    for key, value in changes.items():
        values[int(key[1:])] = value
    return ' '.join(str(v) for v in values)


BAD = [
    (line(v0=8193), errno.EINVAL, 'size min > max'),
    (line(v2=6), errno.EINVAL, 'nr_accesses min > max'),
    (line(v4=21), errno.EINVAL, 'age min > max'),
    (line(v6=6), errno.EINVAL, 'unknown action'),
    (line(v13=2), errno.EINVAL, 'unknown watermark metric'),
    (line(v13=1, v15=100, v16=200, v17=50), errno.EINVAL, 'high < mid'),
    (line(v13=1, v15=300, v16=200, v17=250), errno.EINVAL, 'mid < low'),
    (line(v10=4294967295, v12=1), errno.EINVAL, 'weights overflow'),
    (line(v11=4294967296), errno.EINVAL, 'weight too large'),
    (line() + ' 1', errno.EINVAL, 'nineteen numbers'),
    (' '.join(str(v) for v in BASE[:17]), errno.EINVAL, 'seventeen numbers'),
    (line(v0=-1), errno.EINVAL, 'negative'),
    (GOOD + '\n' + line(v6=6), errno.EINVAL, 'a bad second line'),
]


def expect(d, value, err, why):
    got = d.try_write('schemes', value)
    if got != err:
        fail('%s: errno %s, expected %s' % (why, got, err))
    if d.read('schemes').split()[:18] != GOOD.split():
        fail('%s: the schemes changed: %r' % (why, d.read('schemes')))


def read_raw(d):
    with open(d.path('schemes'), 'rb') as f:
        return f.read()


def wait_change(d, text):
    """Monitor until the schemes file no longer reads text."""
    d.write('monitor_on', 'on')
    deadline = time.monotonic() + 30
    while read_raw(d) == text:
        if time.monotonic() > deadline:
            fail('the stat scheme\'s statistics did not move in 30 s')
        time.sleep(0.1)
    d.write('monitor_on', 'off')


def check_whole_reads(d):
    """Statistics moved between two read()s of one open file: the second
    read goes on with the text of the first."""
    d.write('schemes', lib_damos.scheme('stat'))
    wait_change(d, read_raw(d))
    fd = os.open(d.path('schemes'), os.O_RDONLY)
    try:
        head = os.read(fd, 8)
        before = read_raw(d)
        wait_change(d, before)
        rest = b''
        while True:
            piece = os.read(fd, 5)
            if not piece:
                break
            rest += piece
    finally:
        os.close(fd)
    if head + rest != before:
        fail('a read in pieces tore: %r, the text was %r' % (
            head + rest, before))
    print('a read in 8- and 5-byte pieces kept its text while the '
          'statistics moved')


def main():
    d = lib_damos.setup()
    d.write('schemes', GOOD)
    for value, err, why in BAD:
        expect(d, value, err, why)
    # willneed is for virtual address spaces only.
    d.write('target_ids', 'paddr')
    expect(d, lib_damos.scheme('willneed'), errno.EOPNOTSUPP,
           'willneed for paddr')
    d.write('target_ids', '')

    if not workload_path():
        skip('hot_set_workload not built')
    wl = Workload(['-b', '8', '-h', '4', '-o', '0', '-t', '30'])
    try:
        d.write('target_ids', str(wl.pid))
        check_whole_reads(d)
        d.write('schemes', GOOD)
        d.write('monitor_on', 'on')
        expect(d, lib_damos.scheme('stat'), errno.EBUSY, 'while on')
        d.write('monitor_on', 'off')
        # The targets changed after the schemes: refused at start.
        d.write('schemes', lib_damos.scheme('willneed'))
        d.write('target_ids', 'paddr')
        start, end = largest_ram()
        end = min(end, start + (64 << 20))
        d.write('init_regions', '-1 %d %d' % (start, end))
        got = d.try_write('monitor_on', 'on')
        if got != errno.EOPNOTSUPP:
            fail('started with a scheme paddr cannot run: errno %s' % got)
    finally:
        wl.stop()
    print('%d bad inputs refused with old schemes kept' % (len(BAD) + 2))
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
