# SPDX-License-Identifier: GPL-2.0
"""Helpers for the Python tests of DAMON's debugfs interface."""

import atexit
import os
import struct

# Re-exported: the tests of the debugfs interface import them from here.
from lib_damon import (KSFT_FAIL, KSFT_PASS, KSFT_SKIP,  # noqa: F401
                       Files, dmesg_lines, fail, largest_ram, skip)

DBGFS = '/sys/kernel/debug/damon'
MAGIC = b'damon_recfmt_ver'


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


class Dbgfs(Files):
    """The default context's files; settings are restored at exit.

    setup() starts a test from a clean interface whatever an earlier test
    left (monitoring off, no other contexts, no schemes), so that one
    failure cannot make the tests after it fail too.

    Also the debugfs side of the accuracy tests: monitor_vaddr(),
    monitor_paddr(), on() and off() (lib_sysfs.Sysfs has the same).
    """

    SAVED = ('attrs', 'target_ids', 'init_regions', 'record')

    def __init__(self, path=DBGFS):
        super().__init__(path)
        self.saved = {}

    @classmethod
    def setup(cls):
        if os.geteuid() != 0:
            skip('needs root')
        d = cls()
        if not os.path.exists(os.path.join(d.dir, 'monitor_on')):
            skip('no DAMON debugfs interface at %s' % d.dir)
        d.clean()
        d.saved = {name: d.read(name) for name in cls.SAVED}
        atexit.register(d.restore)
        return d

    def contexts(self):
        """The names of the contexts made with mk_contexts."""
        return sorted(e.name for e in os.scandir(self.dir) if e.is_dir())

    def clean(self):
        """Monitoring off, the other contexts removed, no schemes."""
        self.try_write('monitor_on', 'off')
        for name in self.contexts():
            self.try_write('rm_contexts', name)
        self.try_write('schemes', '')

    def restore(self):
        self.clean()
        for name in self.SAVED:
            self.try_write(name, self.saved[name])

    def monitor_vaddr(self, attrs, pid):
        """Set up monitoring of a process with attrs ("s a u min max")."""
        self.write('attrs', attrs)
        self.write('target_ids', str(pid))

    def has_paddr(self, ops='paddr'):
        """Whether the operations set ops (paddr, paddr_fault) exists."""
        return self.try_write('target_ids', ops) is None

    def monitor_paddr(self, attrs, start, end, ops='paddr'):
        """Set up monitoring of physical memory [start, end) with the
        operations set ops."""
        self.write('attrs', attrs)
        self.write('target_ids', ops)
        self.write('init_regions', '-1 %d %d' % (start, end))

    def on(self):
        self.write('monitor_on', 'on')

    def off(self):
        self.write('monitor_on', 'off')
