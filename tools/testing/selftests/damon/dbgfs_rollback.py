#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A value written in pieces that fails undoes its own pieces, only.

- target_ids written in two pieces, attrs and record written through
  other files in between, then a bad second piece: target_ids goes back
  to what it was, attrs and record keep what was written to them.
- The same, with a complete target_ids value written through another
  open file in between: that value stands.
- A two-piece target_ids value with monitoring turned on between the
  pieces: the second piece fails with EBUSY, and target_ids reads what
  it held before the first piece, as the admin guide promises.
"""

import errno
import os
import subprocess
import sys

from lib_dbgfs import Dbgfs, KSFT_PASS, fail


def piece(fd, text):
    try:
        os.write(fd, text.encode())
    except OSError as e:
        return e.errno
    return None


def expect(d, name, value, what):
    got = d.read(name)
    if got != value:
        fail('%s: %s reads "%s", expected "%s"' % (what, name, got, value))


def other_files(d, me, other):
    """Other files written between the pieces keep their values."""
    d.write('attrs', '5000 100000 1000000 10 1000')
    d.write('record', '0')
    d.write('target_ids', str(me))
    fd = os.open(d.path('target_ids'), os.O_WRONLY)
    if piece(fd, '%d\n' % other):
        fail('first piece refused')
    d.write('attrs', '1000 20000 1000000 10 100')
    d.write('record', '4096 /tmp/damon-rollback.data')
    if piece(fd, '%d\n' % other) != errno.EINVAL:
        fail('a duplicate pid in the second piece was taken')
    os.close(fd)
    expect(d, 'target_ids', str(me), 'failed value')
    expect(d, 'attrs', '1000 20000 1000000 10 100', 'other file')
    expect(d, 'record', '4096 /tmp/damon-rollback.data', 'other file')
    d.write('record', '0')


def value_between(d, me, other):
    """A complete value of the same file, written in between, stands."""
    d.write('target_ids', str(me))
    fd = os.open(d.path('target_ids'), os.O_WRONLY)
    piece(fd, '%d\n' % other)
    d.write('target_ids', '%d %d' % (me, other))
    if piece(fd, '%d\n' % other) != errno.EINVAL:
        fail('a duplicate pid in the second piece was taken')
    os.close(fd)
    expect(d, 'target_ids', '%d %d' % (me, other), 'value between')


def started_between(d, me, other):
    """Monitoring started between the pieces: the value still goes back."""
    d.write('record', '0')
    d.write('target_ids', str(me))
    fd = os.open(d.path('target_ids'), os.O_WRONLY)
    piece(fd, '%d\n' % other)
    d.write('monitor_on', 'on')
    err = piece(fd, '%d\n' % me)
    d.write('monitor_on', 'off')
    os.close(fd)
    if err != errno.EBUSY:
        fail('second piece while on: %s, expected EBUSY' %
             errno.errorcode.get(err, 'success'))
    expect(d, 'target_ids', str(me), 'value refused while on')


def main():
    d = Dbgfs.setup()
    cases = {'other_files': other_files, 'value_between': value_between,
             'started_between': started_between}
    sleeper = subprocess.Popen(['sleep', '1000'])
    try:
        for name in sys.argv[1:] or cases:
            cases[name](d, os.getpid(), sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()
    d.check_no_splat()
    print('PASS: a failed value undoes its own pieces and nothing else')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
