# SPDX-License-Identifier: GPL-2.0
"""damo record: monitor a command, a process or physical memory.

The kernel does the monitoring; damo sets it up through sysfs or debugfs
(backend.py), waits, and puts back what it changed, also when interrupted
by Ctrl-C or SIGTERM.  Results go to the record file either straight from
the kernel (debugfs ``record``) or through the tracepoint (tracefs.py),
and are turned into the --output_type asked for at the end (recsave.py).
Without TARGET, damo records a DAMON that is already running (started by
"damo start") and leaves it running.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from . import backend as backends
from . import damon_args, damos_args, footprint, paths as pathmod, \
    recload, recsave
from .errors import DamoError
from .fmt import size_str
from .model import Intervals
from .progress import FileWatcher, Progress
from .tracefs import TraceRecorder

RBUF_DEFAULT = 1024 * 1024

HELP = 'record the data access pattern of a command, a process or paddr'
DESCRIPTION = """\
Record the data access pattern of TARGET into a file (default damon.data)
that "damo report" reads.  TARGET is one of:

  paddr            the physical address space: by default the largest
                   "System RAM" range of /proc/iomem, or with --numa_node N
                   the online System RAM of node N; runs until Ctrl-C (or
                   --duration/--timeout)
  PID              a running process, monitored until it exits
  COMMAND [ARG..]  a command to start and monitor until it exits; a single
                   argument holding spaces is split like a shell would
  (nothing)        the DAMON that "damo start" left running, until Ctrl-C
                   or --timeout; it keeps running afterwards

Options may come before or after paddr, a PID or a command quoted into one
word ("./app -x", as damo 3.x takes it); every word after an unquoted
command belongs to the command.  Needs root.  DAMON settings found before
are restored at the end, also on Ctrl-C and SIGTERM.
"""


def _seconds(text):
    try:
        val = float(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError('%r is not a number' % text) from e
    if not val > 0:
        raise argparse.ArgumentTypeError('%r must be positive' % text)
    return val


def _output_type(text):
    text = recsave.ALIASES.get(text, text)
    if text == 'perf_data':
        raise argparse.ArgumentTypeError(
            'perf_data is written by perf, which damo does not use; take '
            'perf_script (damo 3.x reads it too) or json_compressed')
    if text not in recsave.OUTPUT_TYPES:
        raise argparse.ArgumentTypeError(
            'invalid choice %r (choose from %s)' % (
                text, ', '.join(recsave.OUTPUT_TYPES)))
    return text


def add_parser(subparsers):
    p = subparsers.add_parser(
        'record', help=HELP, description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('target', nargs='*', metavar='TARGET',
                   help='paddr, a pid, or a command line')
    damon_args.add_options(p)
    out = p.add_argument_group('output')
    out.add_argument('-o', '--out', default='damon.data', metavar='FILE',
                     help='record file (default %(default)s; an existing '
                     'one is renamed to FILE.old)')
    out.add_argument('--output_type', type=_output_type,
                     default=recsave.BINARY, metavar='TYPE',
                     help='format of the record: %s (default %%(default)s; '
                     'damo 3.x reads json_compressed and perf_script)'
                     % ', '.join(recsave.OUTPUT_TYPES))
    out.add_argument('--output_permission', metavar='MODE',
                     help='octal mode of the record file, e.g. 600 (damo '
                     '3.x\'s default; damo leaves it as created)')
    out.add_argument('-l', '--rbuf', type=damon_args.positive,
                     metavar='BYTES', default=RBUF_DEFAULT,
                     help='kernel record buffer size (debugfs; default '
                     '%(default)s)')
    out.add_argument('--tracepoint', action='store_true',
                     help='record through the damon_aggregated tracepoint '
                     'even if debugfs has a record file')
    out.add_argument('--footprint', action='store_true',
                     help='also sample the memory footprints every second '
                     'into FILE.mem_footprint ("damo report footprints")')
    out.add_argument('--do_record', nargs='+', metavar='WHAT',
                     choices=('access', 'mem_footprint'),
                     help='damo 3.x: access (always) and mem_footprint '
                     '(same as --footprint)')
    out.add_argument('--duration', '--timeout', type=_seconds,
                     metavar='SECONDS',
                     help='stop after SECONDS (default: when the target '
                     'exits, or on Ctrl-C); --timeout is damo 3.x\'s name')
    pathmod.add_path_options(p, debugfs=True, tracefs=True, sysfs=True,
                             proc=True)
    p.set_defaults(func=run, split_target=True)
    return p


def _check_out(path):
    """Fail before touching the kernel if the record cannot be written
    (recsave.check_path(): a regular file or none)."""
    return recsave.check_path(path)


def _prepare_out(path):
    """Keep an old record as FILE.old; returns the absolute path."""
    path = _check_out(path)
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

    def __init__(self, args, target, regions, paths, be, out):
        self.args = args
        self.target = target
        self.regions = regions
        self.paths = paths
        self.be = be
        self.out = out
        self.ongoing = target.kind is None
        self.saved = be.save()
        self.child = None
        self.pid = target.pid
        self.tracer = None
        self.footprints = None
        self.warnings = []
        self.progress = Progress()

    def setup(self):
        if self.target.kind == 'cmd':
            try:
                self.child = subprocess.Popen(self.target.argv)
            except OSError as e:
                raise DamoError('cannot start %s: %s' % (
                    self.target.argv[0], e.strerror or e)) from e
            self.pid = self.child.pid
        if not self.ongoing:
            params = damon_args.make_params(self.args, self.target,
                                            self.regions, self.pid)
            try:
                for note in self.be.apply(params):
                    _say('note: %s' % note)
            except DamoError:
                if self.child is not None and self.child.poll() is not None:
                    raise DamoError('the command exited (status %d) before '
                                    'monitoring could start' %
                                    self.child.returncode) from None
                raise
        use_file = (self.be.name == 'debugfs' and not self.ongoing and
                    not self.args.tracepoint and self.be.has_record_file())
        if use_file:
            self.be.set_record(self.args.rbuf, self.out)
        else:
            if not self.args.tracepoint:
                why = 'DAMON is already running' if self.ongoing else \
                    'the %s interface has no record file' % self.be.name
                _say('%s; recording through the damon_aggregated '
                     'tracepoint' % why)
            self.tracer = TraceRecorder(self.paths.tracefs, self.out)
            self.tracer.setup()
        if self.args.footprint:
            self.footprints = footprint.Sampler(self.paths.proc, [self.pid])
        if not self.ongoing:
            self.be.start()

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
            if self.footprints is not None:
                self.footprints.poll()
            if self.child is not None and self.child.poll() is not None:
                break
            if self.target.kind == 'pid' and \
                    not damon_args.pid_alive(self.pid, self.paths.proc):
                break
            if not self.be.is_on():
                break       # the kernel stopped: every target is gone
            if self.args.duration and \
                    time.monotonic() - start >= self.args.duration:
                break
            time.sleep(0.1)

    def teardown(self, failed):
        """Stop monitoring and undo everything; never raises DamoError."""
        if not self.ongoing:
            try:
                if not self.be.stop():
                    self.warnings.append('the kdamond did not stop within '
                                         '10 s; the record may be '
                                         'incomplete')
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
        if not self.ongoing:
            self.warnings.extend(self.be.restore(self.saved))
        if self.footprints is not None:
            try:
                self.footprints.save(self.out + footprint.SUFFIX)
            except DamoError as e:
                self.warnings.append(str(e))
        self.progress.done()


def run(args):
    paths = pathmod.from_args(args)
    damon_args.check_attrs(args)
    _check_out(args.out)
    if args.do_record and 'mem_footprint' in args.do_record:
        args.footprint = True
    permission = None
    if args.output_permission is not None:
        permission = recsave.parse_permission(args.output_permission)
    target = damon_args.resolve_target(args.target, args)
    if target.kind is None and damos_args.given(args):
        raise DamoError('record: --damos_* options need a TARGET; "damo '
                        'tune" changes the schemes of a running DAMON')
    regions = None
    if target.kind is not None:
        regions = damon_args.monitoring_regions(args, target.kind, paths)
    if paths.is_default_debugfs and os.geteuid() != 0:
        raise DamoError('damo record needs root (DAMON\'s files are '
                        'root-only)')
    be = backends.choose(paths, args.damon_interface)
    if target.kind is None:
        if not be.is_on():
            raise DamoError('record: no TARGET given (paddr, a pid or a '
                            'command) and DAMON is not running; see "damo '
                            'record --help"')
    else:
        busy = 'DAMON is already monitoring (through %s)' % be.name \
            if be.is_on() else backends.other_running(paths, be)
        if busy:
            raise DamoError('%s; stop it first ("damo stop")' % busy)
    out = _prepare_out(args.out)

    session = _Session(args, target, regions, paths, be, out)
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
    _summary(session, interrupted)
    if args.output_type != recsave.BINARY or permission is not None:
        rec = recload.load(out)
        rec.intervals = _intervals(args, be, session.ongoing)
        recsave.save(rec, out, args.output_type, permission)
    return 0


def _intervals(args, be, ongoing):
    """The intervals the record was made with, for formats that keep
    them."""
    if ongoing:
        try:
            cur = be.current()
        except DamoError:
            cur = None
        if not cur:
            return None
        return Intervals(cur['sample_us'], cur['aggr_us'], cur['update_us'])
    a = damon_args.attrs(args)
    return Intervals(a['sample'], a['aggr'], a['updr'])


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
