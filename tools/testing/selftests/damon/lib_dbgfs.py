# SPDX-License-Identifier: GPL-2.0
"""Helpers for the Python tests of DAMON's debugfs interface."""

import atexit
import os
import re
import struct
import subprocess
import sys

KSFT_PASS, KSFT_FAIL, KSFT_SKIP = 0, 1, 4
DBGFS = '/sys/kernel/debug/damon'
MAGIC = b'damon_recfmt_ver'
SPLAT = re.compile(r'BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|'
                   r'circular locking|general protection')


def fail(msg):
    print('FAIL: %s' % msg)
    sys.exit(KSFT_FAIL)


def skip(msg):
    print('SKIP: %s' % msg)
    sys.exit(KSFT_SKIP)


def dmesg_lines():
    return subprocess.run(['dmesg'], capture_output=True, text=True,
                          check=False).stdout.splitlines()


def largest_ram():
    """(start, end) of the largest System RAM range, end exclusive."""
    best = None
    with open('/proc/iomem') as f:
        for line in f:
            if line.rstrip().endswith(': System RAM'):
                lo, hi = (int(x, 16) for x in line.split()[0].split('-'))
                if best is None or hi + 1 - lo > best[1] - best[0]:
                    best = (lo, hi + 1)
    if best is None or best[1] <= best[0] + 1:
        fail('no System RAM in /proc/iomem')
    return best


def decode_record(data):
    """The snapshots of a record file: [(ns, [(id, [(s, e, acc)])])]."""
    if data[:16] != MAGIC:
        fail('record does not start with the magic: %r' % data[:16])
    version, = struct.unpack_from('=i', data, 16)
    if version != 2:
        fail('record format version %d, expected 2' % version)
    try:
        return _decode_snapshots(data, 20)
    except struct.error:
        fail('record ends inside a snapshot')
    return None


def _decode_snapshots(data, pos):
    snaps = []
    while pos < len(data):
        sec, nsec, nr_targets = struct.unpack_from('=qqI', data, pos)
        pos += 20
        if not 0 <= nsec < 10 ** 9:
            fail('snapshot %d: nanoseconds %d' % (len(snaps), nsec))
        targets = []
        for _ in range(nr_targets):
            tid, nr_regions = struct.unpack_from('=QI', data, pos)
            pos += 12
            regions = [struct.unpack_from('=QQI', data, pos + 20 * i)
                       for i in range(nr_regions)]
            pos += 20 * nr_regions
            targets.append((tid, regions))
        snaps.append((sec * 10 ** 9 + nsec, targets))
    if pos != len(data):
        fail('record ends inside a snapshot')
    return snaps


class Dbgfs:
    """The default context's files; settings are restored at exit."""

    SAVED = ('attrs', 'target_ids', 'init_regions', 'record')

    def __init__(self, path=DBGFS):
        self.dir = path
        self.saved = {}
        self.dmesg_start = len(dmesg_lines())

    @classmethod
    def setup(cls):
        if os.geteuid() != 0:
            skip('needs root')
        d = cls()
        if not os.path.exists(os.path.join(d.dir, 'monitor_on')):
            skip('no DAMON debugfs interface at %s' % d.dir)
        d.try_write('monitor_on', 'off')
        d.saved = {name: d.read(name) for name in cls.SAVED}
        atexit.register(d.restore)
        return d

    def restore(self):
        self.try_write('monitor_on', 'off')
        for name in self.SAVED:
            self.try_write(name, self.saved[name])

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read().strip()

    def try_write(self, name, value):
        """Write value in one write(); return None or the errno."""
        fd = os.open(self.path(name), os.O_WRONLY)
        try:
            os.write(fd, (value + '\n').encode())
        except OSError as e:
            return e.errno
        finally:
            os.close(fd)
        return None

    def write(self, name, value):
        err = self.try_write(name, value)
        if err is not None:
            fail('writing "%s" to %s: %s' % (value, name, os.strerror(err)))

    def check_no_splat(self):
        bad = [line for line in dmesg_lines()[self.dmesg_start:]
               if SPLAT.search(line)]
        if bad:
            fail('kernel splat:\n' + '\n'.join(bad))
