# SPDX-License-Identifier: GPL-2.0
"""damo record: monitor a command, a process or physical memory.

The kernel does the monitoring; damo sets it up through debugfs
(dbgfs.py), waits, and puts every DAMON setting it changed back as it
found it, also when interrupted by Ctrl-C or SIGTERM.  Results go to the
record file either straight from the kernel (debugfs ``record``) or, on
kernels without that file, through the tracepoint (tracefs.py).
"""

import argparse
import errno
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

from . import dbgfs, memlayout, paths as pathmod
from .errors import DamoError
from .fmt import size_str
from .progress import FileWatcher, Progress
from .tracefs import TraceRecorder

DEFAULTS = {'sample': 5000, 'aggr': 100000, 'updr': 1000000,
            'minr': 10, 'maxr': 1000, 'rbuf': 1024 * 1024}

HELP = 'record the data access pattern of a command, a process or paddr'
DESCRIPTION = """\
Record the data access pattern of TARGET into a file (default damon.data)
that "damo report" reads.  TARGET is one of:

  paddr            the physical address space: by default the largest
                   "System RAM" range of /proc/iomem, or with --numa_node N
                   the online System RAM of node N; runs until Ctrl-C (or
                   --duration)
  PID              a running process, monitored until it exits
  COMMAND [ARG..]  a command to start and monitor until it exits; a single
                   argument holding spaces is split like a shell would

Options go before TARGET: everything after it belongs to the command.
Needs root.  DAMON settings found before are restored at the end, also on
Ctrl-C and SIGTERM.
"""


def _positive(text):
    try:
        val = int(text, 0)
    except ValueError as e:
        raise argparse.ArgumentTypeError('%r is not an integer' % text) \
            from e
    if val <= 0:
        raise argparse.ArgumentTypeError('%r must be positive' % text)
    return val


def _non_negative_int(text):
    try:
        val = int(text, 0)
    except ValueError as e:
        raise argparse.ArgumentTypeError('%r is not an integer' % text) \
            from e
    if val < 0:
        raise argparse.ArgumentTypeError('%r must not be negative' % text)
    return val


def _seconds(text):
    try:
        val = float(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError('%r is not a number' % text) from e
    if not val > 0:
        raise argparse.ArgumentTypeError('%r must be positive' % text)
    return val


def parse_regions(text):
    """'start-end,start-end' (decimal or 0x hex) -> sorted list of pairs.

    Regions must be non-empty and must not overlap."""
    regions = []
    for part in text.split(','):
        part = part.strip()
        if not part:
            continue
        start, sep, end = part.partition('-')
        try:
            if not sep:
                raise ValueError
            pair = (int(start.strip(), 0), int(end.strip(), 0))
        except ValueError as e:
            raise DamoError('bad region %r: expected START-END, e.g. '
                            '4096-1048576 or 0x1000-0x100000' % part) from e
        if pair[0] < 0 or pair[0] >= pair[1]:
            raise DamoError('bad region %r: start must be below end' % part)
        regions.append(pair)
    if not regions:
        raise DamoError('no region given in %r' % text)
    regions.sort()
    for a, b in zip(regions, regions[1:]):
        if b[0] < a[1]:
            raise DamoError('regions %#x-%#x and %#x-%#x overlap' % (
                a + b))
    return regions


def add_parser(subparsers):
    p = subparsers.add_parser(
        'record', help=HELP, description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('target', nargs=argparse.REMAINDER, metavar='TARGET',
                   help='paddr, a pid, or a command line')
    attrs = p.add_argument_group('monitoring attributes')
    attrs.add_argument('-s', '--sample', type=_positive, metavar='US',
                       default=DEFAULTS['sample'],
                       help='sampling interval in us (default %(default)s)')
    attrs.add_argument('-a', '--aggr', type=_positive, metavar='US',
                       default=DEFAULTS['aggr'],
                       help='aggregation interval in us (default '
                       '%(default)s)')
    attrs.add_argument('-u', '--updr', type=_positive, metavar='US',
                       default=DEFAULTS['updr'],
                       help='regions update interval in us (default '
                       '%(default)s)')
    attrs.add_argument('-n', '--minr', type=_positive, metavar='N',
                       default=DEFAULTS['minr'],
                       help='minimum number of regions (default '
                       '%(default)s)')
    attrs.add_argument('-m', '--maxr', type=_positive, metavar='N',
                       default=DEFAULTS['maxr'],
                       help='maximum number of regions (default '
                       '%(default)s)')
    where = p.add_argument_group('what to monitor')
    where.add_argument('-r', '--regions', metavar='START-END[,...]',
                       help='initial monitoring regions, e.g. '
                       '"0x1000-0x200000,0x300000-0x400000"; for paddr '
                       'they replace the default range')
    where.add_argument('--numa_node', '--numa-node', type=_non_negative_int,
                       metavar='N',
                       help='paddr only: monitor the online System RAM of '
                       'NUMA node N')
    out = p.add_argument_group('output')
    out.add_argument('-o', '--out', default='damon.data', metavar='FILE',
                     help='record file (default %(default)s; an existing '
                     'one is renamed to FILE.old)')
    out.add_argument('-l', '--rbuf', type=_positive, metavar='BYTES',
                     default=DEFAULTS['rbuf'],
                     help='kernel record buffer size (default %(default)s)')
    out.add_argument('--tracepoint', action='store_true',
                     help='record through the damon_aggregated tracepoint '
                     'even if debugfs has a record file')
    out.add_argument('--duration', type=_seconds, metavar='SECONDS',
                     help='stop after SECONDS (default: when the target '
                     'exits, or on Ctrl-C)')
    pathmod.add_path_options(p, debugfs=True, tracefs=True, sysfs=True,
                             proc=True)
    p.set_defaults(func=run)
    return p


class _Target:
    """What to monitor: kind is 'paddr', 'pid' or 'cmd'."""

    def __init__(self, kind, pid=None, argv=None):
        self.kind = kind
        self.pid = pid
        self.argv = argv


def _pid_alive(pid, proc='/proc'):
    """Whether pid names a live process (not a zombie)."""
    try:
        os.kill(pid, 0)
    except OSError as e:
        if e.errno != errno.EPERM:
            return False
    try:
        with open(os.path.join(proc, str(pid), 'stat')) as f:
            # "pid (comm) state ...": comm may hold spaces and parens.
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return True


def resolve_target(words):
    if not words:
        raise DamoError('record: no TARGET given (paddr, a pid or a '
                        'command; see "damo record --help")')
    if len(words) == 1 and words[0] == 'paddr':
        return _Target('paddr')
    if len(words) == 1 and words[0].isdigit():
        pid = int(words[0])
        if pid <= 0 or not _pid_alive(pid):
            raise DamoError('no process with pid %d' % pid)
        return _Target('pid', pid=pid)
    argv = words
    if len(words) == 1:
        try:
            argv = shlex.split(words[0])
        except ValueError as e:
            raise DamoError('cannot split command %r: %s' % (
                words[0], e)) from e
        if not argv:
            raise DamoError('record: empty command')
    if shutil.which(argv[0]) is None:
        raise DamoError('command not found or not executable: %s' % argv[0])
    return _Target('cmd', argv=argv)


def check_attrs(args):
    if args.aggr < args.sample:
        raise DamoError('the aggregation interval (%d us) must not be '
                        'shorter than the sampling interval (%d us)' % (
                            args.aggr, args.sample))
    if args.maxr < args.minr:
        raise DamoError('the maximum number of regions (%d) is below the '
                        'minimum (%d)' % (args.maxr, args.minr))


def monitoring_regions(args, target, paths):
    """The initial regions to set, or None to let the kernel decide."""
    if args.numa_node is not None:
        if target.kind != 'paddr':
            raise DamoError('--numa_node works only with the paddr target')
        if args.regions:
            raise DamoError('--numa_node and --regions do not go together')
        return memlayout.node_ranges(paths, args.numa_node)
    if args.regions:
        return parse_regions(args.regions)
    if target.kind == 'paddr':
        return [memlayout.largest_system_ram(paths)]
    return None


def _prepare_out(path):
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    if not os.path.isdir(parent):
        raise DamoError('cannot write %s: directory %s does not exist' % (
            path, parent))
    if os.path.isdir(path):
        raise DamoError('cannot write %s: it is a directory' % path)
    if os.path.exists(path):
        try:
            os.replace(path, path + '.old')
        except OSError as e:
            raise DamoError('cannot rename the old %s: %s' % (
                path, e.strerror)) from e
    return path


class _Terminated(BaseException):
    """SIGTERM arrived.

    A BaseException, like KeyboardInterrupt, so that no "except Exception"
    on the way swallows it: the handler ignores further SIGTERMs, and a
    swallowed one would leave damo recording forever.
    """


def _on_sigterm(signum, frame):
    # One is enough: timeout(1), for one, signals both its child and the
    # child's process group, and a second SIGTERM must not cut the cleanup.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Terminated()


def _end_child(child):
    """Stop a command we started, politely first."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=3)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _say(msg):
    print('damo: %s' % msg, file=sys.stderr)


class _Session:
    """One recording: the steps, and the undo of each."""

    def __init__(self, args, target, regions, paths, dbg, out):
        self.args = args
        self.target = target
        self.regions = regions
        self.paths = paths
        self.dbg = dbg
        self.out = out
        self.saved = dbg.save()
        self.changed = set()
        self.child = None
        self.tracer = None
        self.warnings = []
        self.progress = Progress()

    def setup(self):
        a = self.args
        self.changed.add(dbgfs.ATTRS)
        self.dbg.set_attrs(a.sample, a.aggr, a.updr, a.minr, a.maxr)
        if self.target.kind == 'cmd':
            try:
                self.child = subprocess.Popen(self.target.argv)
            except OSError as e:
                raise DamoError('cannot start %s: %s' % (
                    self.target.argv[0], e.strerror or e)) from e
            self.target.pid = self.child.pid
        self.changed.add('targets')
        try:
            if self.target.kind == 'paddr':
                self.dbg.set_targets('paddr')
            else:
                self.dbg.set_targets([self.target.pid])
        except DamoError:
            if self.child is not None and self.child.poll() is not None:
                raise DamoError('the command exited (status %d) before '
                                'monitoring could start' %
                                self.child.returncode) from None
            raise
        if self.regions:
            self.changed.add(dbgfs.INIT_REGIONS)
            key = -1 if self.target.kind == 'paddr' else self.target.pid
            self.dbg.set_init_regions([key, 0], self.regions)
        if self.args.tracepoint or not self.dbg.has(dbgfs.RECORD):
            if not self.args.tracepoint:
                _say('%s has no record file; recording through the '
                     'damon_aggregated tracepoint' % self.dbg.dir)
            self.tracer = TraceRecorder(self.paths.tracefs, self.out)
            self.tracer.setup()
        else:
            self.changed.add(dbgfs.RECORD)
            self.dbg.set_record(self.args.rbuf, self.out)
        self.dbg.start()

    def wait(self):
        watcher = None if self.tracer else FileWatcher(self.out)
        start = time.monotonic()
        if self.progress.enabled and self.target.kind == 'paddr':
            print('recording physical memory %s; %s' % (
                ', '.join('%#x-%#x' % r for r in self.regions),
                'for %g s' % self.args.duration if self.args.duration
                else 'press Ctrl-C to stop'))
        while True:
            if self.tracer:
                self.tracer.poll()
                self.progress.update(self.tracer.snapshots,
                                     self.tracer.nbytes)
            else:
                watcher.poll()
                self.progress.update(watcher.snapshots, watcher.nbytes)
            if self.child is not None and self.child.poll() is not None:
                break
            if self.target.kind == 'pid' and \
                    not _pid_alive(self.target.pid, self.paths.proc):
                break
            if not self.dbg.is_on():
                break       # the kernel stopped: every target is gone
            if self.args.duration and \
                    time.monotonic() - start >= self.args.duration:
                break
            time.sleep(0.1)

    def teardown(self, failed):
        """Stop monitoring and undo everything; never raises DamoError."""
        try:
            if not self.dbg.stop():
                self.warnings.append('the kdamond did not stop within 10 '
                                     's; the record may be incomplete')
        except DamoError as e:
            self.warnings.append('could not stop monitoring: %s' % e)
        if self.tracer is not None:
            try:
                self.warnings.extend(self.tracer.finish())
            except DamoError as e:
                self.warnings.append(str(e))
        if failed:
            _end_child(self.child)
        elif self.child is not None:
            try:
                self.child.wait(timeout=1)
            except subprocess.TimeoutExpired:
                self.warnings.append('the command (pid %d) is still '
                                     'running, no longer monitored' %
                                     self.child.pid)
        self.warnings.extend(self.dbg.restore(self.saved, self.changed))
        self.progress.done()


def run(args):
    paths = pathmod.from_args(args)
    check_attrs(args)
    target = resolve_target(args.target)
    regions = monitoring_regions(args, target, paths)
    if paths.is_default_debugfs and os.geteuid() != 0:
        raise DamoError('damo record needs root (DAMON\'s debugfs files '
                        'are root-only)')
    dbg = dbgfs.Debugfs(paths.debugfs)
    if dbg.is_on():
        raise DamoError('DAMON is already monitoring (%s reads "on"); '
                        'turn it off first' % dbg.path(dbg.monitor_file))
    out = _prepare_out(args.out)

    session = _Session(args, target, regions, paths, dbg, out)
    old_term = signal.signal(signal.SIGTERM, _on_sigterm)
    failed = True
    interrupted = False
    try:
        session.setup()
        session.wait()
        failed = False
    except (KeyboardInterrupt, _Terminated):
        interrupted = True
    finally:
        # Finish the cleanup even if Ctrl-C is pressed again.
        old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            session.teardown(failed)
        finally:
            signal.signal(signal.SIGINT, old_int)
            signal.signal(signal.SIGTERM, old_term)
            for w in session.warnings:
                _say('warning: %s' % w)
    return _summary(session, interrupted)


def _summary(session, interrupted):
    out = session.out
    watcher = FileWatcher(out)
    watcher.poll()
    if not os.path.exists(out) or watcher.nbytes == 0:
        raise DamoError('no record was written to %s (was monitoring '
                        'shorter than one aggregation interval?)' % out)
    if watcher.snapshots == 0:
        raise DamoError('%s holds no complete snapshot (was monitoring '
                        'shorter than one aggregation interval?)' % out)
    print('damo: %s%d snapshots (%s) in %s' % (
        'interrupted; ' if interrupted else '', watcher.snapshots,
        size_str(watcher.nbytes), out))
    child = session.child
    if child is not None and child.returncode not in (None, 0):
        _say('note: the command exited with status %d' % child.returncode)
    return 0
