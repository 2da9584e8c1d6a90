# SPDX-License-Identifier: GPL-2.0
"""damo start, stop, status (show) and tune: live monitoring without a
record file, in damo 3.x's spelling.

  start   set DAMON up for TARGET and leave it running; a command is
          started in its own session and left running too
  stop    turn DAMON off (whichever interface started it)
  status  show the interface, whether DAMON runs, the kdamond's pid and
          the setup; "show" is the same
  tune    change a running DAMON: through sysfs, the new setup is
          committed online (state "commit"); debugfs takes no setting
          while running, so there DAMON is stopped, set up and restarted
  schemes start DAMON with its DAMOS schemes (the --damos_* options),
          wait until the target exits, --timeout passes or Ctrl-C, stop
          it and show what the schemes did

"damo record" without TARGET records a running DAMON; "damo report
access" without -i shows one snapshot of it.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from . import backend as backends
from . import damon_args, damos, paths as pathmod
from .errors import DamoError
from .fmt import size_str


def _paths_options(p):
    pathmod.add_path_options(p, debugfs=True, sysfs=True, proc=True)


def _with_target(subparsers, name, func, help_text, description):
    p = subparsers.add_parser(
        name, help=help_text, description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('target', nargs='*', metavar='TARGET')
    damon_args.add_options(p)
    _paths_options(p)
    p.set_defaults(func=func, split_target=True)
    return p


def add_status_parser(subparsers, name, same_as=''):
    """The parser of "damo status" under another name ("show", and damo
    3.x's "report damon", which shows the same: the current status)."""
    p = subparsers.add_parser(
        name, help='show whether and how DAMON is monitoring' + same_as,
        description='Show the kernel interface damo uses, whether '
        'DAMON is running, its kdamond\'s pid and its setup.')
    p.add_argument('--damos_tried_regions', action='store_true',
                   help='also list the regions each scheme tried in '
                   'its last aggregation (sysfs only)')
    backends.add_option(p)
    _paths_options(p)
    p.set_defaults(func=run_status)
    return p


def add_parsers(subparsers):
    _with_target(
        subparsers, 'start', run_start,
        'start monitoring and leave it running',
        'Start DAMON for TARGET (paddr, a pid, or a command to start) and '
        'exit, leaving it running.  "damo status" shows it, "damo record" '
        '(without TARGET) records it, "damo stop" stops it.  Options may '
        'come before or after TARGET, as for "damo record".')

    p = subparsers.add_parser('stop', help='stop monitoring',
                              description='Turn DAMON off.')
    backends.add_option(p)
    _paths_options(p)
    p.set_defaults(func=run_stop)

    for name in ('status', 'show'):
        add_status_parser(subparsers, name, (' (same as status)'
                                             if name == 'show' else ''))

    _with_target(
        subparsers, 'tune', run_tune,
        'change the setup of a running DAMON',
        'Apply new monitoring attributes (and TARGET, if given) to the '
        'running DAMON.  Through sysfs this is an online commit; debugfs '
        'cannot change a running DAMON, so there it is stopped, set up '
        'again and restarted.  Without TARGET the running targets are '
        'kept; attributes and schemes not given take their defaults (no '
        'schemes), as in damo 3.x.')

    p = _with_target(
        subparsers, 'schemes', run_schemes,
        'apply DAMOS schemes until the target exits',
        'Start DAMON for TARGET with the schemes of the --damos_* options, '
        'wait until the target exits (paddr: until --timeout or Ctrl-C), '
        'then stop DAMON and print each scheme\'s statistics.  "damo '
        'start" with the same options leaves DAMON running instead.')
    p.add_argument('--timeout', type=float, metavar='SECONDS',
                   help='stop after that long (not in damo 3.x)')


def _backend(args, paths):
    if paths.is_default_debugfs and os.geteuid() != 0:
        raise DamoError('damo %s needs root (DAMON\'s files are root-only)'
                        % args.command)
    return backends.choose(paths, args.damon_interface)


def _spawn(argv):
    """Start a command that outlives damo."""
    try:
        return subprocess.Popen(argv, start_new_session=True)
    except OSError as e:
        raise DamoError('cannot start %s: %s' % (argv[0], e.strerror or e)) \
            from e


def _start(args):
    """Set DAMON up for args' TARGET and start it: (backend, params,
    started child or None)."""
    paths = pathmod.from_args(args)
    damon_args.check_attrs(args)
    target = damon_args.resolve_target(args.target, args)
    if target.kind is None:
        raise DamoError('%s: no TARGET given (paddr, a pid or a '
                        'command)' % args.command)
    regions = damon_args.monitoring_regions(args, target.kind, paths)
    be = _backend(args, paths)
    busy = 'DAMON is already monitoring (through %s)' % be.name \
        if be.is_on() else backends.other_running(paths, be)
    if busy:
        raise DamoError('%s; "damo tune" changes it, "damo stop" stops it'
                        % busy)
    child = None
    pid = target.pid
    if target.kind == 'cmd':
        child = _spawn(target.argv)
        pid = child.pid
    try:
        params = damon_args.make_params(args, target, regions, pid)
        for note in be.apply(params):
            print('damo: note: %s' % note, file=sys.stderr)
        be.start()
    except DamoError:
        if child is not None and child.poll() is None:
            child.kill()
        raise
    print('damo: monitoring %s through %s (kdamond %s)' % (
        params.describe(), be.name, be.kdamond_pid() or '?'))
    if child is not None:
        print('damo: started %s as pid %d' % (target.argv[0], pid))
    return be, params, child


def run_start(args):
    _start(args)
    return 0


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Terminated()


def run_schemes(args):
    # "not >" so that nan, which compares false with everything, fails.
    if args.timeout is not None and not args.timeout > 0:
        raise DamoError('--timeout must be positive')
    old_term = signal.signal(signal.SIGTERM, _on_sigterm)
    be = None
    try:
        be, params, child = _start(args)
        print('damo: press Ctrl-C to stop')
        pid = params.pids[0] if params.pids else None
        begin = time.monotonic()
        while be.is_on():
            if child is not None and child.poll() is not None:
                break
            if pid is not None and not damon_args.pid_alive(pid):
                break
            if args.timeout and time.monotonic() - begin >= args.timeout:
                break
            time.sleep(0.1)
    except (KeyboardInterrupt, _Terminated):
        print('damo: interrupted')
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            if be is not None and hasattr(be, 'update_schemes_stats'):
                be.update_schemes_stats()
            if be is not None and not be.stop():
                print('damo: warning: the kdamond did not stop within '
                      '10 s', file=sys.stderr)
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, old_term)
    cur = be.current() or {}
    for i, scheme in enumerate(cur.get('schemes', [])):
        for line in damos.format_scheme(i, scheme):
            print(line)
    return 0


def run_stop(args):
    paths = pathmod.from_args(args)
    be = _backend(args, paths)
    if not be.is_on():
        other = backends.other_running(paths, be)
        if other:
            raise DamoError('%s; stop it with --damon_interface %s' % (
                other, 'sysfs' if be.name == 'debugfs' else 'debugfs'))
        raise DamoError('DAMON is not running')
    if not be.stop():
        raise DamoError('the kdamond did not stop within 10 s')
    print('damo: stopped')
    return 0


def format_setup(cur):
    lines = ['operations: %s' % cur.get('ops', '?')]
    if 'sample_us' in cur:
        lines.append('intervals: sample %d us, aggr %d us, update %d us' % (
            cur['sample_us'], cur['aggr_us'], cur['update_us']))
        lines.append('nr_regions: %d-%d' % (cur['nr_regions_min'],
                                            cur['nr_regions_max']))
    for i, (pid, regions) in enumerate(cur.get('targets', [])):
        # sysfs reads a paddr target's unused pid_target back as 0.
        paddr = pid is None or cur.get('ops') == 'paddr'
        lines.append('target %d: %s' % (
            i, 'physical memory' if paddr else 'pid %d' % pid))
        for start, end in regions:
            lines.append('  region %#x-%#x (%s)' % (start, end,
                                                   size_str(end - start)))
    for i, scheme in enumerate(cur.get('schemes', [])):
        lines.extend(damos.format_scheme(i, scheme))
    return lines


def run_status(args):
    paths = pathmod.from_args(args)
    be = _backend(args, paths)
    on = be.is_on()
    print('interface: %s (%s)' % (be.name, be.dir))
    print('state: %s' % ('on' if on else 'off'))
    if on:
        print('kdamond pid: %s' % (be.kdamond_pid() or '?'))
        if hasattr(be, 'update_schemes_stats'):
            # Statistics files are refreshed on request only.
            be.update_schemes_stats()
    other = backends.other_running(paths, be)
    if other:
        print('note: %s' % other)
    cur = be.current()
    if cur:
        for line in format_setup(cur):
            print(line)
    else:
        print('no setup staged')
    if args.damos_tried_regions:
        _print_tried(be, on)
    return 0


def _print_tried(be, on):
    if not hasattr(be, 'tried_regions'):
        raise DamoError('--damos_tried_regions: the %s interface does not '
                        'show tried regions (use sysfs)' % be.name)
    if not on:
        raise DamoError('--damos_tried_regions: DAMON is not running')
    tried = be.tried_regions()
    if tried is None:
        raise DamoError('--damos_tried_regions: the kernel would not '
                        'update the tried regions')
    for i, (total, regions) in enumerate(tried):
        print('scheme %d tried %d regions, %s' % (i, len(regions),
                                                  size_str(total)))
        for start, end, nr, age in regions:
            print('  %#x-%#x (%s) nr_accesses %d age %d' % (
                start, end, size_str(end - start), nr, age))


def run_tune(args):
    paths = pathmod.from_args(args)
    damon_args.check_attrs(args)
    be = _backend(args, paths)
    if not be.is_on():
        raise DamoError('DAMON is not running: "damo start" starts it')
    target = damon_args.resolve_target(args.target, args)
    if target.kind is None:
        cur = be.current() or {}
        targets = cur.get('targets', [])
        if cur.get('ops') in ('paddr', 'paddr_fault') or not targets:
            target = damon_args.Target('paddr')
            # The operations set of a running DAMON cannot change.
            if args.ops is None:
                args.ops = cur.get('ops')
            regions = targets[0][1] if targets else None
            if not regions or args.regions or args.numa_node is not None:
                regions = damon_args.monitoring_regions(args, 'paddr',
                                                        paths)
        else:
            target = damon_args.Target('pid', pid=targets[0][0])
            regions = damon_args.monitoring_regions(args, 'pid', paths)
            if args.ops is None:
                args.ops = cur.get('ops')
    else:
        if target.kind == 'cmd':
            raise DamoError('tune: give a pid or paddr, not a command')
        regions = damon_args.monitoring_regions(args, target.kind, paths)
    params = damon_args.make_params(args, target, regions, target.pid)
    for note in be.commit(params):
        print('damo: note: %s' % note, file=sys.stderr)
    print('damo: now monitoring %s' % params.describe())
    return 0
