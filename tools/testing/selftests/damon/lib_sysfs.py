# SPDX-License-Identifier: GPL-2.0
"""Helpers for the Python tests of DAMON's sysfs interface."""

import atexit
import os

from lib_damon import Files, skip

ADMIN = '/sys/kernel/mm/damon/admin'
# The files of monitoring_attrs/, in the order of the debugfs attrs file.
ATTR_FILES = ('intervals/sample_us', 'intervals/aggr_us', 'intervals/update_us',
              'nr_regions/min', 'nr_regions/max')


class Sysfs(Files):
    """The kdamonds of the sysfs interface, all removed at setup and exit.

    set_kdamond() sets one up; state() sends it a command.  Also the sysfs
    side of the accuracy tests, with kdamond 0: monitor_vaddr(),
    monitor_paddr(), on() and off(), as lib_dbgfs.Dbgfs has them.
    """

    def __init__(self):
        super().__init__(ADMIN)

    @classmethod
    def setup(cls):
        if os.geteuid() != 0:
            skip('needs root')
        s = cls()
        if not os.path.exists(s.path('kdamonds/nr_kdamonds')):
            skip('no DAMON sysfs interface at %s' % ADMIN)
        s.reset()
        atexit.register(s.reset)
        return s

    def reset(self):
        """Every kdamond off, and none left."""
        for name in os.listdir(self.path('kdamonds')):
            if name.isdigit():
                self.try_write('kdamonds/%s/state' % name, 'off')
        self.try_write('kdamonds/nr_kdamonds', '0')

    @staticmethod
    def ctx(idx, name=''):
        """A file of the context of kdamond idx."""
        return os.path.join('kdamonds/%d/contexts/0' % idx, name)

    def set_attrs(self, idx, attrs):
        """Set the monitoring attributes, given as debugfs's attrs file
        shows them: "<sample> <aggr> <update> <min> <max>"."""
        for name, value in zip(ATTR_FILES, attrs.split()):
            self.write(self.ctx(idx, 'monitoring_attrs/' + name), value)

    def set_targets(self, idx, targets):
        """targets: [(pid, [(start, end), ...]), ...]."""
        self.write(self.ctx(idx, 'targets/nr_targets'), len(targets))
        for t, (pid, regions) in enumerate(targets):
            tdir = self.ctx(idx, 'targets/%d/' % t)
            self.write(tdir + 'pid_target', pid)
            self.write(tdir + 'regions/nr_regions', len(regions))
            for r, (start, end) in enumerate(regions):
                self.write(tdir + 'regions/%d/start' % r, start)
                self.write(tdir + 'regions/%d/end' % r, end)

    def set_kdamond(self, idx, ops, attrs=None, targets=()):
        """Set up kdamond idx, adding kdamonds as needed; may be used on a
        running kdamond before a commit."""
        if int(self.read('kdamonds/nr_kdamonds')) <= idx:
            self.write('kdamonds/nr_kdamonds', idx + 1)
        if self.read('kdamonds/%d/contexts/nr_contexts' % idx) != '1':
            self.write('kdamonds/%d/contexts/nr_contexts' % idx, 1)
        self.write(self.ctx(idx, 'operations'), ops)
        if attrs:
            self.set_attrs(idx, attrs)
        self.set_targets(idx, targets)

    def state(self, idx, cmd):
        self.write('kdamonds/%d/state' % idx, cmd)

    def kdamond_pid(self, idx):
        return int(self.read('kdamonds/%d/pid' % idx))

    def monitor_vaddr(self, attrs, pid):
        self.set_kdamond(0, 'vaddr', attrs, [(pid, [])])

    def has_paddr(self):
        self.set_kdamond(0, 'vaddr')
        return 'paddr' in self.read(self.ctx(0, 'avail_operations')).split()

    def monitor_paddr(self, attrs, start, end):
        self.set_kdamond(0, 'paddr', attrs, [(0, [(start, end)])])

    def on(self):
        self.state(0, 'on')

    def off(self):
        self.state(0, 'off')
