# SPDX-License-Identifier: GPL-2.0
"""The options and TARGET that record, start and tune share.

TARGET is ``paddr``, a pid, or a command.  damo's own spelling puts
options first and gives every word after a command to the command
(``damo record -o out ./app --its-args``); damo 3.x's takes options
anywhere and the command as one quoted word (``damo record "./app
--its-args" -o out``).  split_argv() takes both: after ``paddr``, a pid
or a command quoted into one word, options go on; after an unquoted
command, every word is the command's.
"""

import argparse
import os
import shlex
import shutil

from . import backend, compat3, damos_args, memlayout
from .errors import DamoError
from .numtext import parse_time
from .params import DEFAULTS, PHYSICAL_OPS, MonitorParams

OPS = ('vaddr', 'fvaddr', 'paddr', 'paddr_fault')


def interval_us(text):
    """An interval in us: '5000', or with a unit as damo 3.x takes it
    ('5ms', '1 s')."""
    try:
        val = parse_time(text, 'us')
    except ValueError as e:
        raise argparse.ArgumentTypeError(
            '%r is not an interval (us, or e.g. "5ms")' % text) from e
    if val <= 0:
        raise argparse.ArgumentTypeError('%r must be positive' % text)
    return val


def _int_at_least(text, least, what):
    try:
        val = int(text, 0)
    except ValueError as e:
        raise argparse.ArgumentTypeError('%r is not an integer' % text) \
            from e
    if val < least:
        raise argparse.ArgumentTypeError('%r %s' % (text, what))
    return val


def positive(text):
    return _int_at_least(text, 1, 'must be positive')


def non_negative_int(text):
    return _int_at_least(text, 0, 'must not be negative')


def cpu_list(text):
    """A CPU list as the kernel takes it ('0-2,5'); checked for form
    only, the kernel checks the CPUs."""
    for part in text.split(','):
        first, sep, last = part.partition('-')
        if not first.isdigit() or (sep and not last.isdigit()) or (
                sep and int(last) < int(first)):
            raise argparse.ArgumentTypeError(
                '%r is not a CPU list (e.g. "0-2,5")' % text)
    return text


def parse_regions(text):
    """'start-end,start-end' or damo 3.x's 'start-end start-end' (decimal
    or 0x hex) -> sorted list of pairs; non-empty, not overlapping."""
    regions = []
    for part in text.replace(',', ' ').split():
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


def add_options(p):
    """The monitoring options, in our and in damo 3.x's spellings."""
    attrs = p.add_argument_group('monitoring attributes')
    for short, long, kind, what in (
            ('-s', '--sample', interval_us, 'sampling interval in us'),
            ('-a', '--aggr', interval_us, 'aggregation interval in us'),
            ('-u', '--updr', interval_us, 'regions update interval in us'),
            ('-n', '--minr', positive, 'minimum number of regions'),
            ('-m', '--maxr', positive, 'maximum number of regions')):
        attrs.add_argument(short, long, type=kind,
                           metavar='US' if kind is interval_us else 'N',
                           help='%s (default %d)' % (what,
                                                     DEFAULTS[long[2:]]))
    attrs.add_argument('--monitoring_intervals', nargs=3, type=interval_us,
                       metavar=('SAMPLE', 'AGGR', 'UPDATE'),
                       help='damo 3.x: the three intervals at once '
                       '(e.g. 5ms 100ms 1s)')
    attrs.add_argument('--monitoring_nr_regions_range', nargs=2,
                       type=positive, metavar=('MIN', 'MAX'),
                       help='damo 3.x: minimum and maximum number of '
                       'regions')
    where = p.add_argument_group('what to monitor')
    where.add_argument('--ops', choices=OPS,
                       help='operations set (default: paddr for paddr, '
                       'vaddr for a process; fvaddr needs --regions and '
                       'sysfs; paddr_fault monitors physical memory from '
                       'page faults)')
    reports = p.add_argument_group(
        'access report filters (paddr_fault only)')
    reports.add_argument('--write_only', '--write-only',
                         action='store_true', default=None,
                         help='count only the accesses that write')
    reports.add_argument('--cpus', type=cpu_list, metavar='LIST',
                         help='count only the accesses made on these CPUs, '
                         'e.g. "1" or "0-2,5"')
    where.add_argument('--target_pid', type=positive, metavar='PID',
                       help='damo 3.x: the process to monitor (same as '
                       'giving PID as TARGET)')
    where.add_argument('-r', '--regions', metavar='START-END[,...]',
                       help='initial monitoring regions, e.g. '
                       '"0x1000-0x200000,0x300000-0x400000" (damo 3.x '
                       'separates them with spaces; both work); for paddr '
                       'they replace the default range')
    where.add_argument('--numa_node', '--numa-node', type=non_negative_int,
                       metavar='N',
                       help='paddr only: monitor the online System RAM of '
                       'NUMA node N')
    damos_args.add_options(p)
    backend.add_option(p)
    compat3.add_refused(p)


class Target:
    """What to monitor: kind is 'paddr', 'pid', 'cmd' or None (nothing
    given)."""

    def __init__(self, kind, pid=None, argv=None):
        self.kind = kind
        self.pid = pid
        self.argv = argv


def pid_alive(pid, proc='/proc'):
    """Whether pid names a live process (not a zombie)."""
    try:
        os.kill(pid, 0)
    except OSError as e:
        if e.errno != 1:        # EPERM: it exists, just not ours
            return False
    try:
        with open(os.path.join(proc, str(pid), 'stat')) as f:
            # "pid (comm) state ...": comm may hold spaces and parens.
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return True


def resolve_target(words, args):
    """The Target of TARGET words and --ops/--target_pid."""
    if getattr(args, 'target_pid', None) is not None:
        if words:
            raise DamoError('give either TARGET or --target_pid, not both')
        words = [str(args.target_pid)]
    if not words:
        if args.ops in PHYSICAL_OPS:
            return Target('paddr')
        return Target(None)
    if len(words) == 1 and words[0] == 'paddr':
        return Target('paddr')
    if len(words) == 1 and words[0] in ('vaddr', 'fvaddr'):
        raise DamoError('%s needs a process: give its pid or a command as '
                        'TARGET (or --target_pid)' % words[0])
    if len(words) == 1 and words[0].isdigit():
        pid = int(words[0])
        if pid <= 0 or not pid_alive(pid):
            raise DamoError('no process with pid %d' % pid)
        return Target('pid', pid=pid)
    argv = words
    if len(words) == 1:
        try:
            argv = shlex.split(words[0])
        except ValueError as e:
            raise DamoError('cannot split command %r: %s' % (
                words[0], e)) from e
        if not argv:
            raise DamoError('empty command')
    if shutil.which(argv[0]) is None:
        raise DamoError('command not found or not executable: %s' % argv[0])
    return Target('cmd', argv=argv)


def attrs(args):
    """The monitoring attributes {sample, aggr, updr, minr, maxr} given
    by either spelling of the options, defaults for the rest; checked."""
    out = {k: getattr(args, k) for k in DEFAULTS}
    if args.monitoring_intervals:
        for k, v in zip(('sample', 'aggr', 'updr'),
                        args.monitoring_intervals):
            if out[k] is None:
                out[k] = v
    if args.monitoring_nr_regions_range:
        for k, v in zip(('minr', 'maxr'), args.monitoring_nr_regions_range):
            if out[k] is None:
                out[k] = v
    for k, v in DEFAULTS.items():
        if out[k] is None:
            out[k] = v
    if out['aggr'] < out['sample']:
        raise DamoError('the aggregation interval (%d us) must not be '
                        'shorter than the sampling interval (%d us)' % (
                            out['aggr'], out['sample']))
    if out['maxr'] < out['minr']:
        raise DamoError('the maximum number of regions (%d) is below the '
                        'minimum (%d)' % (out['maxr'], out['minr']))
    return out


def check_attrs(args):
    """Validate the attribute and DAMOS options before anything else
    happens."""
    attrs(args)
    damos_args.schemes(args)


def monitoring_regions(args, kind, paths):
    """The initial regions to set, or None to let the kernel decide."""
    if args.numa_node is not None:
        if kind != 'paddr':
            raise DamoError('--numa_node works only with the paddr target')
        if args.regions:
            raise DamoError('--numa_node and --regions do not go together')
        return memlayout.node_ranges(paths, args.numa_node)
    if args.regions:
        return parse_regions(args.regions)
    if kind == 'paddr':
        return [memlayout.largest_system_ram(paths)]
    return None


def make_params(args, target, regions, pid=None):
    """MonitorParams for a resolved target (pid: the process, for 'pid'
    and 'cmd' targets)."""
    ops = args.ops
    if target.kind == 'paddr':
        if ops not in (None,) + PHYSICAL_OPS:
            raise DamoError('--ops %s does not go with the paddr target'
                            % ops)
        ops = ops or 'paddr'
    else:
        if ops in PHYSICAL_OPS:
            raise DamoError('--ops %s monitors physical memory: give '
                            'paddr (or nothing) as TARGET, not a process'
                            % ops)
        ops = ops or 'vaddr'
        if ops == 'fvaddr' and not regions:
            raise DamoError('fvaddr monitors fixed ranges: give them with '
                            '--regions')
    write_only = bool(getattr(args, 'write_only', None))
    cpus = getattr(args, 'cpus', None)
    if (write_only or cpus is not None) and ops != 'paddr_fault':
        raise DamoError('--write_only and --cpus filter access reports: '
                        'they need --ops paddr_fault')
    return MonitorParams(ops, [pid] if pid is not None else [], regions,
                         write_only=write_only, cpus=cpus,
                         schemes=damos_args.schemes(args), **attrs(args))


# Splitting the command line (see the module doc).

def _value_count(action, word):
    """How many words after `word` the option takes."""
    if action.nargs == 0:
        return 0
    if '=' in word and word.startswith('--'):
        return 0
    if not word.startswith('--') and len(word) > 2:
        return 0            # -s1000
    if action.nargs is None:
        return 1
    if isinstance(action.nargs, int):
        return action.nargs
    return -1               # '+', '*', '?': up to the next option


def _closes(word):
    """After these TARGET words, damo options may follow."""
    return word == 'paddr' or word.isdigit() or len(shlex.split(word)) != 1


def _lookup(actions, key):
    """The action of option key, or of the one long option it is a
    prefix of (as argparse takes abbreviations).  An unknown option must
    stop the split: its values would be taken for TARGET."""
    if key in actions:
        return actions[key]
    hint = ' (a damo 3.x option: see "damo help")' \
        if compat3.names(key) else ''
    hits = set()
    if key.startswith('--') and not hint:
        hits = {a for name, a in actions.items() if name.startswith(key)}
    if len(hits) == 1:
        return hits.pop()
    if hits:
        raise DamoError('ambiguous option %s: could be %s' % (key, ', '.join(
            sorted(n for n, a in actions.items() if a in hits and
                   n.startswith(key)))))
    raise DamoError('unrecognized arguments: %s%s' % (key, hint))


def split_argv(parser, argv):
    """(option words, TARGET words) of argv (see the module doc)."""
    opts, target = [], []
    i, n = 0, len(argv)
    actions = parser._option_string_actions     # noqa: SLF001
    while i < n:
        word = argv[i]
        if word == '--':
            if target:
                raise DamoError('"--" after TARGET: give the command after '
                                '"--", and options before it')
            target = argv[i + 1:]
            break
        if word.startswith('-') and word != '-':
            opts.append(word)
            key = word.split('=', 1)[0] if word.startswith('--') \
                else word[:2]
            action = _lookup(actions, key)
            i += 1
            count = _value_count(action, word)
            if count and hasattr(action, 'count_values'):
                count = action.count_values(argv[i:])
            while i < n and count != 0 and (count > 0 or not (
                    argv[i].startswith('-') and argv[i] != '-')):
                opts.append(argv[i])
                i += 1
                count -= 1
            continue
        if target:
            raise DamoError('unexpected %r after TARGET %r: quote a command '
                            'with its arguments ("./app -x") to put options '
                            'after it' % (word, ' '.join(target)))
        target = [word]
        i += 1
        try:
            closes = _closes(word)
        except ValueError:
            closes = False
        if not closes:
            target += argv[i:]
            break
    return opts, target
