# SPDX-License-Identifier: GPL-2.0
"""Driving DAMON through its sysfs interface.

The files, under <sysfs>/kernel/mm/damon/admin/ (the kernel's
Documentation/admin-guide/mm/damon/usage.rst is the reference)::

  kdamonds/nr_kdamonds               writing N makes directories 0..N-1
  kdamonds/<K>/state                 reads on/off; takes on, off, commit
  kdamonds/<K>/pid                   the kdamond's pid while it is on
  kdamonds/<K>/contexts/nr_contexts  0 or 1
  .../contexts/<C>/avail_operations  the operations sets this kernel has
  .../contexts/<C>/operations        vaddr, fvaddr, paddr, ...
  .../monitoring_attrs/intervals/{sample_us,aggr_us,update_us}
  .../monitoring_attrs/nr_regions/{min,max}
  .../targets/nr_targets             writing N makes targets 0..N-1
  .../targets/<T>/pid_target         the process, for vaddr and fvaddr
  .../targets/<T>/regions/nr_regions and regions/<R>/{start,end}
  .../schemes/nr_schemes             writing N makes schemes 0..N-1
  .../schemes/<S>/action, access_pattern/, quotas/, watermarks/,
                  filters/, stats/   one DAMOS scheme (damos.sysfs_files())

damo uses kdamond 0 with one context.  Writing nr_kdamonds recreates
the kdamond directories empty, so damo only does that when no kdamond is
running, and says so when it replaces a staged, not running, setup.
Writes are single write() calls, like "echo value > file"; errors carry
the file name and the kernel's errno text.
"""

import errno
import os
import time

from . import damos
from .errors import DamoError, write_failed

ADMIN = os.path.join('kernel', 'mm', 'damon', 'admin')
KDAMONDS = 'kdamonds'


def _read(path):
    with open(path) as f:
        return f.read().strip()


def _write(path, value):
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, (value + '\n').encode())
    finally:
        os.close(fd)


class Sysfs:
    """DAMON's sysfs admin directory."""

    name = 'sysfs'

    def __init__(self, admin_dir):
        self.dir = admin_dir
        if not os.path.exists(self.path(KDAMONDS, 'nr_kdamonds')):
            raise DamoError('DAMON sysfs directory %s not found (is DAMON '
                            'built with CONFIG_DAMON_SYSFS and sysfs '
                            'mounted?)' % admin_dir)

    @staticmethod
    def exists(admin_dir):
        return os.path.exists(os.path.join(admin_dir, KDAMONDS,
                                           'nr_kdamonds'))

    def path(self, *parts):
        return os.path.join(self.dir, *[str(p) for p in parts])

    def kd(self, *parts, kdamond=0):
        return self.path(KDAMONDS, kdamond, *parts)

    def ctx(self, *parts, kdamond=0):
        return self.kd('contexts', 0, *parts, kdamond=kdamond)

    def read(self, path):
        try:
            return _read(path)
        except OSError as e:
            raise DamoError('cannot read %s: %s' % (
                path, e.strerror or e)) from e

    def write(self, path, value):
        try:
            _write(path, '%s' % value)
        except OSError as e:
            raise write_failed(value, path, e) from e

    # State.

    def nr_kdamonds(self):
        return int(self.read(self.path(KDAMONDS, 'nr_kdamonds')))

    def kdamond_states(self):
        """[(index, 'on'/'off', pid or None)] of every kdamond directory."""
        out = []
        for k in range(self.nr_kdamonds()):
            state = self.read(self.kd('state', kdamond=k))
            pid = None
            if os.path.exists(self.kd('pid', kdamond=k)):
                pid = self.read(self.kd('pid', kdamond=k))
                if pid in ('', '-1', 'none'):
                    pid = None
            out.append((k, state, pid))
        return out

    def is_on(self):
        return any(state == 'on' for _, state, _ in self.kdamond_states())

    def kdamond_pid(self):
        for _, state, pid in self.kdamond_states():
            if state == 'on' and pid:
                return pid
        return None

    def avail_operations(self):
        path = self.ctx('avail_operations')
        if not os.path.exists(path):
            return None
        return self.read(path).split()

    # Settings.

    def _put(self, path, value, changed_only):
        """Write value, or with changed_only only if it differs: a running
        kdamond's files may refuse some writes (the operations set, for
        one) even of the value they hold."""
        if changed_only and os.path.exists(path) and \
                self.read(path) == '%s' % value:
            return
        self.write(path, value)

    def _set_targets(self, params, changed_only=False):
        base = self.ctx('targets')
        targets = params.targets()
        if changed_only:
            cur = self.current()['targets']
            if len(cur) == len(targets) and all(
                    (pid is None or pid == cur_pid) and
                    list(regions) == list(cur_regions)
                    for (pid, regions), (cur_pid, cur_regions) in
                    zip(targets, cur)):
                return
        self.write(os.path.join(base, 'nr_targets'), len(targets))
        for t, (pid, regions) in enumerate(targets):
            tdir = os.path.join(base, str(t))
            if pid is not None:
                self.write(os.path.join(tdir, 'pid_target'), pid)
            rdir = os.path.join(tdir, 'regions')
            self.write(os.path.join(rdir, 'nr_regions'), len(regions))
            for r, (start, end) in enumerate(regions):
                self.write(os.path.join(rdir, str(r), 'start'), start)
                self.write(os.path.join(rdir, str(r), 'end'), end)

    def _set_schemes(self, params, changed_only=False):
        base = self.ctx('schemes')
        nr_path = os.path.join(base, 'nr_schemes')
        if not params.schemes and (not os.path.exists(nr_path) or (
                changed_only and self.read(nr_path) == '0')):
            return
        files = [damos.sysfs_files(s, params.sample, params.aggr)
                 for s in params.schemes]
        try:
            self.write(nr_path, len(params.schemes))
        except DamoError as e:
            # Kernels whose sysfs has no DAMOS refuse any other count.
            if params.schemes and isinstance(e.__cause__, OSError) and \
                    e.__cause__.errno in (errno.EINVAL, errno.EOPNOTSUPP):
                raise DamoError('%s; this kernel\'s sysfs interface takes '
                                'no DAMOS schemes: use --damon_interface '
                                'debugfs' % e) from e
            raise
        for i, scheme_files in enumerate(files):
            for rel, value in scheme_files:
                self.write(os.path.join(base, str(i), rel), value)

    def update_schemes_stats(self):
        """Have the running kdamonds refresh their schemes' stats files;
        False if the kernel would not."""
        done = False
        for k, state, _ in self.kdamond_states():
            if state != 'on':
                continue
            try:
                self.write(self.kd('state', kdamond=k),
                           'update_schemes_stats')
                done = True
            except DamoError:
                return False
        return done

    def tried_regions(self):
        """[(total bytes, [(start, end, nr_accesses, age)])] of each scheme
        of kdamond 0, refreshed by the kernel first (it applies the
        schemes once more to find them); None if the kernel would not."""
        try:
            self.write(self.kd('state'), 'update_schemes_tried_regions')
        except DamoError:
            return None
        base = self.ctx('schemes')
        out = []
        for i in range(int(self.read(os.path.join(base, 'nr_schemes')))):
            tdir = os.path.join(base, str(i), 'tried_regions')
            regions = []
            for name in sorted((n for n in os.listdir(tdir) if n.isdigit()),
                               key=int):
                regions.append(tuple(
                    int(self.read(os.path.join(tdir, name, f)))
                    for f in ('start', 'end', 'nr_accesses', 'age')))
            out.append((int(self.read(os.path.join(tdir, 'total_bytes'))),
                        regions))
        return out

    def _schemes(self):
        base = self.ctx('schemes')
        if not os.path.exists(os.path.join(base, 'nr_schemes')):
            return []
        out = []
        for i in range(int(self.read(os.path.join(base, 'nr_schemes')))):
            sdir = os.path.join(base, str(i))

            def get(rel, conv=int, sdir=sdir):
                return conv(self.read(os.path.join(sdir, rel)))

            def pair(name, get=get):
                return (get('access_pattern/%s/min' % name),
                        get('access_pattern/%s/max' % name))
            filters = []
            for f in range(get('filters/nr_filters')):
                filters.append('%s%s' % (
                    '' if get('filters/%d/matching' % f, str) == 'Y'
                    else 'not ', get('filters/%d/type' % f, str)))
            stats = None
            if os.path.isdir(os.path.join(sdir, 'stats')):
                stats = {n: get('stats/' + n) for n in damos.STAT_NAMES}
            out.append({
                'action': get('action', str),
                'sz': pair('sz'), 'nr_accesses': pair('nr_accesses'),
                'age': pair('age'),
                'quota': (get('quotas/ms'), get('quotas/bytes'),
                          get('quotas/reset_interval_ms'),
                          tuple(get('quotas/weights/%s_permil' % w)
                                for w in ('sz', 'nr_accesses', 'age'))),
                'wmarks': (get('watermarks/metric', str),) + tuple(
                    get('watermarks/' + w) for w in
                    ('interval_us', 'high', 'mid', 'low')),
                'filters': filters, 'stats': stats})
        return out

    def _set_context(self, params, changed_only=False):
        avail = self.avail_operations()
        if avail is not None and params.ops not in avail:
            raise DamoError('this kernel has no "%s" operations set '
                            '(available: %s)' % (params.ops,
                                                 ', '.join(avail)))
        self._put(self.ctx('operations'), params.ops, changed_only)
        attrs = self.ctx('monitoring_attrs')
        for name, value in (('sample_us', params.sample),
                            ('aggr_us', params.aggr),
                            ('update_us', params.updr)):
            self._put(os.path.join(attrs, 'intervals', name), value,
                      changed_only)
        # max first: the kernel may check min <= max as each is written.
        self._put(os.path.join(attrs, 'nr_regions', 'max'), params.maxr,
                  changed_only)
        self._put(os.path.join(attrs, 'nr_regions', 'min'), params.minr,
                  changed_only)
        self._set_targets(params, changed_only)
        self._set_schemes(params, changed_only)
        self._set_report_filters(params, changed_only)

    def _set_report_filters(self, params, changed_only=False):
        """report_filters/ of paddr_fault, reset to "count every report"
        unless params asks for filters."""
        base = self.ctx('report_filters')
        if not os.path.isdir(base):
            if params.has_report_filters():
                raise DamoError('this kernel has no access report filters '
                                '(%s)' % base)
            return
        self._put(os.path.join(base, 'write_only'),
                  1 if params.write_only else 0, changed_only)
        self._put(os.path.join(base, 'cpus'),
                  params.cpus if params.cpus is not None else 'all',
                  changed_only)

    def apply(self, params):
        """Stage params in kdamond 0 (recreated); DAMON must be off.
        Returns a list of notes for the user."""
        notes = []
        before = self.nr_kdamonds()
        if before:
            notes.append('replaced the staged setup of %d kdamond(s) in %s'
                         % (before, self.path(KDAMONDS)))
        self.write(self.path(KDAMONDS, 'nr_kdamonds'), 1)
        self.write(self.kd('contexts', 'nr_contexts'), 1)
        self._set_context(params)
        return notes

    def commit(self, params):
        """Apply params to the running kdamond 0 (state "commit"),
        writing only the files whose value changes."""
        self._set_context(params, changed_only=True)
        self.write(self.kd('state'), 'commit')
        return []

    def current(self):
        """The staged setup of kdamond 0 as a dict, or None if none."""
        if self.nr_kdamonds() < 1 or not os.path.exists(
                self.ctx('operations')):
            return None
        attrs = self.ctx('monitoring_attrs')
        out = {'ops': self.read(self.ctx('operations')), 'targets': []}
        for name in ('sample_us', 'aggr_us', 'update_us'):
            out[name] = int(self.read(os.path.join(attrs, 'intervals',
                                                   name)))
        for name in ('min', 'max'):
            out['nr_regions_' + name] = int(self.read(
                os.path.join(attrs, 'nr_regions', name)))
        base = self.ctx('targets')
        for t in range(int(self.read(os.path.join(base, 'nr_targets')))):
            tdir = os.path.join(base, str(t))
            pid = None
            if os.path.exists(os.path.join(tdir, 'pid_target')):
                pid = int(self.read(os.path.join(tdir, 'pid_target')))
            rdir = os.path.join(tdir, 'regions')
            regions = []
            for r in range(int(self.read(os.path.join(rdir,
                                                      'nr_regions')))):
                regions.append((
                    int(self.read(os.path.join(rdir, str(r), 'start'))),
                    int(self.read(os.path.join(rdir, str(r), 'end')))))
            out['targets'].append((pid, regions))
        out['schemes'] = self._schemes()
        return out

    # Running.

    def start(self):
        self.write(self.kd('state'), 'on')

    def stop(self, timeout=10.0):
        """Turn every running kdamond off; False if one was still on after
        timeout seconds."""
        for k, state, _ in self.kdamond_states():
            if state != 'on':
                continue
            try:
                self.write(self.kd('state', kdamond=k), 'off')
            except DamoError:
                # It may have stopped by itself in between.
                if self.read(self.kd('state', kdamond=k)) == 'on':
                    raise
        deadline = time.monotonic() + timeout
        while self.is_on():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    # Saving and restoring, for record.

    def save(self):
        return {'nr_kdamonds': self.nr_kdamonds()}

    def restore(self, saved):
        """Put the kdamond count back when damo made the only one."""
        warnings = []
        if saved.get('nr_kdamonds') == 0:
            try:
                self.write(self.path(KDAMONDS, 'nr_kdamonds'), 0)
            except DamoError as e:
                warnings.append('could not restore nr_kdamonds: %s' % e)
        return warnings
