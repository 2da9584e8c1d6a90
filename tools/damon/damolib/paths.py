# SPDX-License-Identifier: GPL-2.0
"""Where damo finds kernel files.

Every file damo reads or writes under /proc, /sys, debugfs or tracefs is
found through a Paths object, so tests (and people debugging damo) can point
it at a fake tree.  Each location comes from, in order: a command-line
option, an environment variable, the default.

  DAMO_DEBUGFS      DAMON's debugfs directory   (/sys/kernel/debug/damon)
  DAMO_TRACEFS      the tracefs mount           (/sys/kernel/tracing, or
                                                 /sys/kernel/debug/tracing)
  DAMO_SYSFS_ROOT   the sysfs mount             (/sys)
  DAMO_PROC_ROOT    the procfs mount            (/proc)
"""

import os

DEFAULT_DEBUGFS = '/sys/kernel/debug/damon'
DEFAULT_TRACEFS = ('/sys/kernel/tracing', '/sys/kernel/debug/tracing')
DEFAULT_SYSFS = '/sys'
DEFAULT_PROC = '/proc'


class Paths:
    """Resolved locations of the kernel interfaces damo uses."""

    def __init__(self, debugfs=None, tracefs=None, sysfs=None, proc=None,
                 env=None):
        env = os.environ if env is None else env
        self.debugfs = debugfs or env.get('DAMO_DEBUGFS') or DEFAULT_DEBUGFS
        self._tracefs = tracefs or env.get('DAMO_TRACEFS')
        self.sysfs = sysfs or env.get('DAMO_SYSFS_ROOT') or DEFAULT_SYSFS
        self.proc = proc or env.get('DAMO_PROC_ROOT') or DEFAULT_PROC
        # Only the defaults need root; fake trees are usually not.
        self.is_default_debugfs = self.debugfs == DEFAULT_DEBUGFS

    @property
    def tracefs(self):
        """The tracefs mount: the configured one, or the first default
        that has a trace_pipe, or the first default if none has."""
        if self._tracefs:
            return self._tracefs
        for cand in DEFAULT_TRACEFS:
            if os.path.exists(os.path.join(cand, 'trace_pipe')):
                return cand
        return DEFAULT_TRACEFS[0]

    def iomem(self):
        return os.path.join(self.proc, 'iomem')

    def memory_dir(self):
        return os.path.join(self.sysfs, 'devices', 'system', 'memory')

    def node_dir(self):
        return os.path.join(self.sysfs, 'devices', 'system', 'node')

    def proc_pid(self, pid):
        return os.path.join(self.proc, str(pid))


def add_path_options(parser, debugfs=False, tracefs=False, sysfs=False,
                     proc=False):
    """Add the --debugfs/--tracefs/--sysfs-root/--proc-root options that
    a subcommand needs to its argparse parser."""
    grp = parser.add_argument_group('kernel file locations (for testing)')
    if debugfs:
        grp.add_argument('--debugfs', metavar='DIR',
                         help='DAMON debugfs directory (env DAMO_DEBUGFS; '
                         'default %s)' % DEFAULT_DEBUGFS)
    if tracefs:
        grp.add_argument('--tracefs', metavar='DIR',
                         help='tracefs mount (env DAMO_TRACEFS; default '
                         '%s)' % ' or '.join(DEFAULT_TRACEFS))
    if sysfs:
        grp.add_argument('--sysfs-root', metavar='DIR',
                         help='sysfs mount (env DAMO_SYSFS_ROOT; '
                         'default /sys)')
    if proc:
        grp.add_argument('--proc-root', metavar='DIR',
                         help='procfs mount (env DAMO_PROC_ROOT; '
                         'default /proc)')


def from_args(args):
    """Build a Paths from parsed arguments (missing options are None)."""
    return Paths(debugfs=getattr(args, 'debugfs', None),
                 tracefs=getattr(args, 'tracefs', None),
                 sysfs=getattr(args, 'sysfs_root', None),
                 proc=getattr(args, 'proc_root', None))
