# SPDX-License-Identifier: GPL-2.0
"""Which kernel interface damo drives: sysfs when it exists, debugfs as
the fallback, or the one --damon_interface names.

Both backends offer the same calls: is_on(), kdamond_pid(), apply(params)
(stage a setup while DAMON is off; returns notes for the user), start(),
stop(), commit(params) (change a running DAMON), current() (the staged
setup as a dict), save()/restore() (record puts back what it changed).
Only debugfs has a ``record`` file the kernel writes results to; through
sysfs damo records from the damon_aggregated tracepoint.
"""

import os

from . import damos, dbgfs, sysfs
from .errors import DamoError

CHOICES = ('auto', 'sysfs', 'debugfs')


class DebugfsBackend:
    """params-level calls over dbgfs.Debugfs (one context)."""

    name = 'debugfs'

    def __init__(self, dirpath):
        self.dbg = dbgfs.Debugfs(dirpath)
        self.dir = dirpath
        self.changed = set()

    def is_on(self):
        return self.dbg.is_on()

    def kdamond_pid(self):
        return self.dbg.kdamond_pid()

    def has_record_file(self):
        return self.dbg.has(dbgfs.RECORD)

    def set_record(self, nbytes, path):
        self.changed.add(dbgfs.RECORD)
        self.dbg.set_record(nbytes, path)

    def apply(self, params):
        if params.ops == 'fvaddr':
            raise DamoError('the debugfs interface has no fvaddr '
                            'operations set (use sysfs)')
        # Before any write, so that a scheme debugfs cannot take changes
        # nothing.
        lines = [damos.debugfs_line(s, params.sample, params.aggr)
                 for s in params.schemes]
        self.changed.add(dbgfs.ATTRS)
        self.dbg.set_attrs(params.sample, params.aggr, params.updr,
                           params.minr, params.maxr)
        self.changed.add('targets')
        if params.physical():
            self.dbg.set_targets(params.ops)
        else:
            self.dbg.set_targets(params.pids)
        if params.regions:
            self.changed.add(dbgfs.INIT_REGIONS)
            key = -1 if params.physical() else params.pids[0]
            self.dbg.set_init_regions([key, 0], params.regions)
        if self.dbg.has(dbgfs.REPORT_FILTERS):
            self.changed.add(dbgfs.REPORT_FILTERS)
            self.dbg.set_report_filters(params.write_only, params.cpus)
        elif params.has_report_filters():
            raise DamoError('this kernel has no access report filters '
                            '(%s)' % self.dbg.path(dbgfs.REPORT_FILTERS))
        if lines or self.dbg.has(dbgfs.SCHEMES):
            self.changed.add(dbgfs.SCHEMES)
            self.dbg.set_schemes(lines)
        return []

    def start(self):
        self.dbg.start()

    def stop(self, timeout=10.0):
        return self.dbg.stop(timeout)

    def commit(self, params):
        """debugfs takes no setting while DAMON runs: stop, set, start."""
        if not self.dbg.stop():
            raise DamoError('the kdamond did not stop; nothing changed')
        self.apply(params)
        self.dbg.start()
        return ['the debugfs interface cannot change a running DAMON: it '
                'was restarted with the new setup (its regions start '
                'over)']

    def current(self):
        attrs = self.dbg.read(dbgfs.ATTRS).split()
        targets = self.dbg.read('targets').split()
        regions = []
        if self.dbg.has(dbgfs.INIT_REGIONS):
            for line in self.dbg.read(dbgfs.INIT_REGIONS).splitlines():
                f = line.split()
                if len(f) == 3:
                    regions.append((int(f[1]), int(f[2])))
        out = {'ops': 'paddr' if targets in (['-1'], ['paddr'])
               else 'paddr_fault' if targets == ['paddr_fault']
               else 'vaddr', 'targets': []}
        for name, value in zip(('sample_us', 'aggr_us', 'update_us',
                                'nr_regions_min', 'nr_regions_max'), attrs):
            out[name] = int(value)
        if out['ops'] in ('paddr', 'paddr_fault'):
            out['targets'].append((None, regions))
        else:
            out['targets'] = [(int(t), regions) for t in targets]
        out['schemes'] = damos.parse_debugfs(self.dbg.read(
            dbgfs.SCHEMES)) if self.dbg.has(dbgfs.SCHEMES) else []
        return out

    def save(self):
        return self.dbg.save()

    def restore(self, saved):
        return self.dbg.restore(saved, self.changed)


def sysfs_admin(paths):
    return os.path.join(paths.sysfs, sysfs.ADMIN)


def choose(paths, choice='auto'):
    """The backend to use (see the module doc)."""
    admin = sysfs_admin(paths)
    if choice == 'sysfs' or (choice == 'auto' and sysfs.Sysfs.exists(admin)):
        return sysfs.Sysfs(admin)
    if choice == 'debugfs' or os.path.isdir(paths.debugfs):
        return DebugfsBackend(paths.debugfs)
    raise DamoError('DAMON not found: neither %s nor %s exists (is DAMON '
                    'built in, are sysfs and debugfs mounted, are you '
                    'root?)' % (admin, paths.debugfs))


def other_running(paths, backend):
    """Describe DAMON running through the other interface, or None: the
    kernel lets only one of them run at a time."""
    if backend.name == 'sysfs':
        if os.path.isdir(paths.debugfs):
            try:
                if dbgfs.Debugfs(paths.debugfs).is_on():
                    return 'DAMON is monitoring through debugfs (%s)' % \
                        paths.debugfs
            except DamoError:
                return None
        return None
    admin = sysfs_admin(paths)
    if sysfs.Sysfs.exists(admin):
        try:
            if sysfs.Sysfs(admin).is_on():
                return 'DAMON is monitoring through sysfs (%s)' % admin
        except DamoError:
            return None
    return None


def add_option(parser):
    """--damon_interface (and damo 3.x's --damon_interface_DEPRECATED)."""
    parser.add_argument('--damon_interface', '--damon_interface_DEPRECATED',
                        choices=CHOICES, default='auto',
                        help='kernel interface to use: sysfs, debugfs, or '
                        'auto (sysfs if it exists; default)')
