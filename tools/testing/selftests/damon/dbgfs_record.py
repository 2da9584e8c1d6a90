#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The debugfs ``record`` file.

Monitors the physical address space with recording on and the
damon:damon_aggregated tracepoint enabled, then decodes the record file
and checks that it holds exactly what the tracepoint showed, snapshot by
snapshot; with a buffer that holds several snapshots and with a one-byte
buffer, which writes through.  Then the error cases: paths that cannot be
written make "on" fail cleanly, leave monitoring off and the next start
working; "0" turns recording off.
"""

import errno
import os
import re
import sys
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, KSFT_SKIP, decode_record, fail, \
    largest_ram

TRACEFS = '/sys/kernel/tracing'
EVENT = TRACEFS + '/events/damon/damon_aggregated/enable'
TRACE_RE = re.compile(r'damon_aggregated: target_id=(\d+) nr_regions=(\d+) '
                      r'(\d+)-(\d+): (\d+) \d+')


def trace_aggregations():
    """The tracepoint's view: one list of (s, e, acc) per aggregation."""
    with open(TRACEFS + '/trace') as f:
        rows = [tuple(map(int, m.groups())) for m in map(TRACE_RE.search, f)
                if m]
    aggrs, i = [], 0
    while i < len(rows):
        nr = rows[i][1]
        aggrs.append([r[2:] for r in rows[i:i + nr]])
        i += nr
    return aggrs


def set_trace(on):
    with open(EVENT, 'w') as f:
        f.write('1' if on else '0')
    if on:
        with open(TRACEFS + '/trace', 'w') as f:
            f.write('')


def record_and_compare(d, bufsize, path, fresh):
    """Record with a buffer of bufsize bytes, to a new file if fresh, else
    over an old file that the start must truncate."""
    if fresh:
        if os.path.exists(path):
            os.unlink(path)
    else:
        with open(path, 'wb') as f:
            f.write(b'garbage that the start must truncate' * 100)
    d.write('record', '%d %s' % (bufsize, path))
    set_trace(True)
    d.write('monitor_on', 'on')
    time.sleep(1.5)
    d.write('monitor_on', 'off')
    set_trace(False)
    if d.read('kdamond_pid') != 'none':
        fail('kdamond still there after off')
    if fresh and os.stat(path).st_mode & 0o777 != 0o600:
        fail('new record file has mode %o, not 600' % (
            os.stat(path).st_mode & 0o777))
    with open(path, 'rb') as f:
        snaps = decode_record(f.read())
    aggrs = trace_aggregations()
    if len(snaps) < 5:
        fail('only %d snapshots in 1.5 s' % len(snaps))
    if len(snaps) != len(aggrs):
        fail('%d snapshots recorded, %d aggregations traced' % (
            len(snaps), len(aggrs)))
    prev = 0
    for i, (ns, targets) in enumerate(snaps):
        if ns <= prev:
            fail('snapshot %d is not later than the one before' % i)
        prev = ns
        if len(targets) != 1 or targets[0][0] != 2 ** 64 - 1:
            fail('snapshot %d: targets %s, expected id -1 only' % (
                i, [t[0] for t in targets]))
        if targets[0][1] != aggrs[i]:
            fail('snapshot %d differs from the tracepoint:\n%s\n%s' % (
                i, targets[0][1], aggrs[i]))
    print('buffer %d: %d snapshots match the tracepoint' % (bufsize,
                                                            len(snaps)))


def main():
    d = Dbgfs.setup()
    if not os.path.exists(EVENT):
        print('SKIP: no tracefs or no damon_aggregated tracepoint')
        return KSFT_SKIP
    start, end = largest_ram()
    d.write('attrs', '5000 100000 1000000 10 50')
    if d.try_write('pids', 'paddr'):
        print('SKIP: no paddr operations set')
        return KSFT_SKIP
    d.write('init_regions', '-1 %d %d' % (start, end))
    with open(TRACEFS + '/buffer_size_kb', 'w') as f:
        f.write('4096')
    try:
        path = '/tmp/damon-selftest.data'
        # A snapshot of 10 to 50 regions is 232 to 1032 bytes.
        record_and_compare(d, 4096, path, False)
        record_and_compare(d, 1, path, True)
        os.unlink(path)
    finally:
        set_trace(False)

    # Files that cannot be written: "on" fails, nothing runs.
    cases = [('/tmp/no/such/dir/file', errno.ENOENT),
             ('/tmp', errno.EISDIR),
             ('/dev/null', errno.EINVAL),
             ('/proc/version', None),
             ('/usr/damon-selftest-readonly', None)]
    for path, err in cases:
        d.write('record', '4096 %s' % path)
        got = d.try_write('monitor_on', 'on')
        if got is None:
            fail('"on" worked while recording to %s' % path)
        if err is not None and got != err:
            fail('"on" recording to %s: %s, expected %s' % (
                path, os.strerror(got), os.strerror(err)))
        if d.read('monitor_on') != 'off' or d.read('kdamond_pid') != 'none':
            fail('monitoring runs after a failed start (%s)' % path)
    for bad in ('4096', '4096 relative', '4096 /' + 'x' * 4200):
        if d.try_write('record', bad) != errno.EINVAL:
            fail('record took "%s..."' % bad[:20])

    # "0" turns recording off: monitoring runs and writes no file.
    d.write('record', '0')
    if d.read('record') != '0':
        fail('record reads "%s" after "0"' % d.read('record'))
    d.write('monitor_on', 'on')
    time.sleep(0.3)
    d.write('monitor_on', 'off')
    d.check_no_splat()
    print('PASS: record files decode and match the tracepoint; bad paths '
          'fail cleanly')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
