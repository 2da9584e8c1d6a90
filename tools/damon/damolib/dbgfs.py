# SPDX-License-Identifier: GPL-2.0
"""Driving DAMON through its debugfs files.

Files used, under <debugfs>/damon/:

  attrs         "<sample us> <aggr us> <update us> <min regions> <max regions>"
  target_ids    target pids, or "paddr" for physical memory (older kernels
                call this file "pids"; damo uses whichever exists)
  init_regions  lines of "<target> <start> <end>"; <target> is the pid, or
                -1 for paddr (kernels that only take the target's index get
                0 instead, see set_init_regions())
  record        "<buffer bytes> <path>": where the kernel writes results
  report_filters  "write_only=<0|1> cpus=<CPU list|all>": which access
                reports paddr_fault counts (our kernel only)
  schemes       DAMOS schemes, one a line of eighteen numbers; each line
                reads back with five statistics appended (damos.py)
  monitor_on    "on" / "off" (monitor_on_DEPRECATED on some kernels)
  kdamond_pid   the monitoring thread's pid, or "none"

Writes use a single write() of the whole value, like "echo value > file",
and errors carry the file name and the kernel's errno text.
"""

import errno
import os
import time

from .damos import debugfs_settings
from .errors import DamoError, write_failed

ATTRS = 'attrs'
INIT_REGIONS = 'init_regions'
RECORD = 'record'
SCHEMES = 'schemes'
KDAMOND_PID = 'kdamond_pid'
REPORT_FILTERS = 'report_filters'
_TARGET_FILES = ('target_ids', 'pids')
_MONITOR_FILES = ('monitor_on', 'monitor_on_DEPRECATED')

# The order settings are restored in: targets before the regions that
# refer to them, and before the schemes, whose actions the kernel checks
# against the targets' operations set.
_RESTORE_ORDER = (ATTRS, 'targets', INIT_REGIONS, SCHEMES, RECORD,
                  REPORT_FILTERS)


class Debugfs:
    """One DAMON debugfs directory (the root context)."""

    def __init__(self, dirpath):
        self.dir = dirpath
        if not os.path.isdir(dirpath):
            raise DamoError(
                'DAMON debugfs directory %s not found (is debugfs mounted, '
                'DAMON built with its debugfs interface, and are you '
                'root?)' % dirpath)
        self.targets_file = self._pick(_TARGET_FILES)
        self.monitor_file = self._pick(_MONITOR_FILES)
        for name in (ATTRS, KDAMOND_PID):
            if not self.has(name):
                raise DamoError('%s has no "%s" file; is this a DAMON '
                                'debugfs directory?' % (dirpath, name))

    def _pick(self, names):
        for name in names:
            if self.has(name):
                return name
        raise DamoError('%s has none of %s; is this a DAMON debugfs '
                        'directory?' % (self.dir, ', '.join(names)))

    def path(self, name):
        return os.path.join(self.dir, name)

    def has(self, name):
        return os.path.exists(self.path(name))

    def _real(self, name):
        return self.targets_file if name == 'targets' else name

    def read(self, name):
        path = self.path(self._real(name))
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError as e:
            raise DamoError('cannot read %s: %s' % (
                path, e.strerror or e)) from e

    def write(self, name, value):
        """Write value (plus a newline) to a file in one write() call."""
        path = self.path(self._real(name))
        data = (value + '\n').encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as e:
            raise write_failed(value.strip().replace('\n', '; '), path, e) \
                from e

    # Saving and restoring what was there before.

    def setting(self, name):
        """What a file holds as a setting: schemes without statistics."""
        value = self.read(name)
        return debugfs_settings(value) if name == SCHEMES else value

    def save(self):
        """Current values of every setting damo may change."""
        saved = {}
        for name in _RESTORE_ORDER:
            if name == 'targets' or self.has(name):
                saved[name] = self.setting(name)
        return saved

    def restore(self, saved, changed):
        """Write back saved values of the settings in `changed` whose
        value differs now.  Returns a list of warnings (never raises), so
        that one failure does not keep the others from being restored."""
        warnings = []
        for name in _RESTORE_ORDER:
            if name not in changed or name not in saved:
                continue
            try:
                if self.setting(name) == saved[name]:
                    continue
                value = saved[name]
                if name == 'targets' and value == '-1':
                    value = 'paddr'     # how paddr reads back
                self.write(name, value)
            except DamoError as e:
                warnings.append('could not restore %s: %s' % (
                    self._real(name), e))
        return warnings

    # Settings.

    def set_attrs(self, sample, aggr, update, min_nr, max_nr):
        self.write(ATTRS, '%d %d %d %d %d' % (sample, aggr, update, min_nr,
                                              max_nr))

    def set_targets(self, targets):
        """targets: list of pids, or the string 'paddr' or
        'paddr_fault'."""
        if targets in ('paddr', 'paddr_fault'):
            self.write('targets', targets)
        else:
            self.write('targets', ' '.join(str(p) for p in targets))

    def set_report_filters(self, write_only, cpus):
        """cpus: a CPU list, or None for every CPU."""
        self.write(REPORT_FILTERS, 'write_only=%d cpus=%s' % (
            1 if write_only else 0, cpus if cpus is not None else 'all'))

    def set_init_regions(self, keys, regions):
        """Set one target's initial regions.

        keys lists ways to name the target, tried in order until the kernel
        accepts one: e.g. [pid, 0] or [-1, 0] for paddr, because some
        kernels take the pid (or -1 for paddr) and others the index of the
        target.  Returns the key used; checks what the kernel reads back.
        """
        if not self.has(INIT_REGIONS):
            raise DamoError('%s has no init_regions file: this kernel '
                            'cannot take initial regions' % self.dir)
        errors = []
        for key in keys:
            text = '\n'.join('%d %d %d' % (key, s, e) for s, e in regions)
            try:
                self.write(INIT_REGIONS, text)
            except DamoError as e:
                if not isinstance(e.__cause__, OSError) or \
                        e.__cause__.errno != errno.EINVAL:
                    raise
                errors.append(str(e))
                continue
            back = [line.split() for line in
                    self.read(INIT_REGIONS).splitlines() if line.strip()]
            got = sorted((int(f[1]), int(f[2])) for f in back
                         if len(f) == 3)
            if got != sorted(regions):
                raise DamoError(
                    'kernel accepted init_regions but reads back %s '
                    'instead of %s' % (
                        got or 'nothing', sorted(regions)))
            return key
        raise DamoError('the kernel rejected the initial regions:\n  ' +
                        '\n  '.join(errors))

    def set_schemes(self, lines):
        """Set the schemes (debugfs lines; none removes them all)."""
        if not self.has(SCHEMES):
            if not lines:
                return
            raise DamoError('%s has no schemes file: this kernel has no '
                            'DAMOS through debugfs' % self.dir)
        self.write(SCHEMES, '\n'.join(lines))

    def set_record(self, nbytes, path):
        self.write(RECORD, '%d %s' % (nbytes, path))

    # Running.

    def is_on(self):
        return self.read(self.monitor_file) == 'on'

    def kdamond_pid(self):
        value = self.read(KDAMOND_PID)
        return None if value == 'none' else value

    def start(self):
        self.write(self.monitor_file, 'on')

    def stop(self, timeout=10.0):
        """Turn monitoring off and wait until the kdamond is gone (it
        writes the last of the record file on its way out).  Returns False
        if it was still there after timeout seconds."""
        if self.is_on():
            try:
                self.write(self.monitor_file, 'off')
            except DamoError:
                # It may have stopped by itself in between.
                if self.is_on():
                    raise
        deadline = time.monotonic() + timeout
        while self.kdamond_pid() is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True
