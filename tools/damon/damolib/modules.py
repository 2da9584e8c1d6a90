# SPDX-License-Identifier: GPL-2.0
"""damo module, reclaim and lru_sort: DAMON's kernel-user modules
(DAMON_RECLAIM, DAMON_LRU_SORT) through their module parameters, in
/sys/module/damon_<name>/parameters/.

  damo module NAME [status]      enabled or not, kdamond's pid, the stats
  damo module NAME read [PARAM...]
                                 "PARAM VALUE" lines, all by default
  damo module NAME write PARAM VALUE [PARAM VALUE...]
                                 set parameters; a running module gets them
                                 at once (commit_inputs), a refused commit
                                 leaves it running as it was
  damo module NAME enable [PARAM VALUE...]
  damo module NAME disable
  damo module NAME commit        commit what was written by other means

NAME is reclaim or lru_sort (or the module's name, damon_reclaim...).
"damo reclaim ..." and "damo lru_sort ..." are "damo module reclaim ..."
and "damo module lru_sort ...".
"""

import argparse
import errno
import os

from . import paths as pathmod
from .errors import DamoError, write_failed
from .fmt import size_str

# damo's names of the modules: what the kernel calls them, and who they are.
MODULES = {
    'reclaim': ('damon_reclaim', 'DAMON_RECLAIM'),
    'lru_sort': ('damon_lru_sort', 'DAMON_LRU_SORT'),
}
ACTIONS = ('status', 'read', 'write', 'enable', 'disable', 'commit')
# Parameters that are not inputs: the switches and what the module reports.
SWITCHES = ('enabled', 'commit_inputs')
OUTPUTS = ('kdamond_pid',)


def _is_stat(name):
    return name.startswith(('nr_', 'bytes_'))


class Module:
    """One kernel-user module, seen through its parameter files."""

    def __init__(self, name, sysfs_root):
        key = name[len('damon_'):] if name.startswith('damon_') else name
        if key not in MODULES:
            raise DamoError('no module %r: known are %s' % (
                name, ', '.join(sorted(MODULES))))
        self.kname, self.title = MODULES[key]
        self.dir = os.path.join(sysfs_root, 'module', self.kname,
                                'parameters')

    def names(self):
        if not os.path.isdir(self.dir):
            raise DamoError(
                '%s is not in this kernel: no %s (build with CONFIG_%s, '
                'or load it: modprobe %s)' % (self.title, self.dir,
                                              self.title, self.kname))
        return sorted(os.listdir(self.dir))

    def inputs(self):
        return [n for n in self.names() if n not in SWITCHES + OUTPUTS and
                not _is_stat(n)]

    def stats(self):
        return [n for n in self.names() if _is_stat(n)]

    def path(self, name):
        if name not in self.names():
            raise DamoError('%s has no parameter %r; it has: %s' % (
                self.title, name, ' '.join(self.names())))
        return os.path.join(self.dir, name)

    def read(self, name):
        path = self.path(name)
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError as e:
            raise DamoError('cannot read %s: %s' % (path, e.strerror or e))

    def write(self, name, value):
        path = self.path(name)
        try:
            with open(path, 'w') as f:
                f.write(str(value))
        except OSError as e:
            if e.errno == errno.EINVAL:
                raise DamoError(
                    '%s refused %s=%s (out of range, or out of order with '
                    'the others; dmesg may say why)' % (self.title, name,
                                                         value)) from e
            raise write_failed(value, path, e) from e

    def running(self):
        return self.read('enabled') == 'Y'


def _pairs(words, title):
    if len(words) % 2:
        raise DamoError('%s: parameters go in PARAM VALUE pairs, got %s' % (
            title, ' '.join(words)))
    return list(zip(words[0::2], words[1::2]))


def _set_inputs(mod, pairs):
    """Write the inputs; enabled and commit_inputs are for the actions."""
    for name, value in pairs:
        if name in SWITCHES:
            raise DamoError('%s: set %s with "enable", "disable" or '
                            '"commit", not as a parameter' % (mod.title,
                                                             name))
        if name not in mod.inputs():
            mod.path(name)      # unknown: fails naming what there is
            raise DamoError('%s: %s is read-only' % (mod.title, name))
        mod.write(name, value)


def _stat_str(name, value):
    if name.startswith('bytes_') and value.isdigit():
        return '%s (%s)' % (value, size_str(int(value)))
    return value


def status_lines(mod):
    on = mod.running()
    lines = ['%s: %s' % (mod.title, 'enabled' if on else 'disabled')]
    if 'kdamond_pid' in mod.names():
        lines.append('kdamond_pid: %s' % mod.read('kdamond_pid'))
    for name in mod.stats():
        lines.append('%s: %s' % (name, _stat_str(name, mod.read(name))))
    return lines


def run(args):
    mod = Module(args.module, pathmod.from_args(args).sysfs)
    action, words = args.action, args.words
    if action not in ACTIONS:
        raise DamoError('%s: no action %r: use one of %s' % (
            mod.title, action, ', '.join(ACTIONS)))
    if action in ('status', 'disable', 'commit') and words:
        raise DamoError('%s %s takes no argument' % (mod.title, action))
    if action == 'status':
        print('\n'.join(status_lines(mod)))
    elif action == 'read':
        for name in words or mod.names():
            print('%s %s' % (name, mod.read(name)))
    elif action == 'write':
        if not words:
            raise DamoError('%s write: PARAM VALUE pairs needed' % mod.title)
        _set_inputs(mod, _pairs(words, mod.title))
        if mod.running():
            mod.write('commit_inputs', 'Y')
    elif action == 'enable':
        _set_inputs(mod, _pairs(words, mod.title))
        # Already running: enabled=Y alone would not apply new values.
        if words and mod.running():
            mod.write('commit_inputs', 'Y')
        else:
            mod.write('enabled', 'Y')
        if not mod.running():
            raise DamoError('%s did not start (dmesg may say why)'
                            % mod.title)
    elif action == 'disable':
        mod.write('enabled', 'N')
    elif action == 'commit':
        mod.write('commit_inputs', 'Y')
    return 0


def _add_args(p):
    p.add_argument('action', nargs='?', default='status', metavar='ACTION',
                   help='%s (default status)' % ', '.join(ACTIONS))
    p.add_argument('words', nargs='*', metavar='PARAM [VALUE]',
                   help='parameters to read, or PARAM VALUE pairs to write')
    pathmod.add_path_options(p, sysfs=True)
    p.set_defaults(func=run)


def add_parsers(subparsers):
    p = subparsers.add_parser(
        'module', help='control DAMON_RECLAIM or DAMON_LRU_SORT',
        description=__doc__.split('\n\n')[0].replace('\n', ' ') + '.',
        epilog='\n\n'.join(__doc__.split('\n\n')[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('module', metavar='NAME',
                   help='reclaim or lru_sort (or damon_reclaim, ...)')
    _add_args(p)
    for name, (kname, title) in MODULES.items():
        p = subparsers.add_parser(
            name, help='control %s ("damo module %s")' % (title, name),
            description='"damo %s ARGS" is "damo module %s ARGS": %s '
            'through /sys/module/%s/parameters.' % (name, name, title,
                                                     kname))
        p.set_defaults(module=name)
        _add_args(p)
