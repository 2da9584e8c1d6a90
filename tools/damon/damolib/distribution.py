# SPDX-License-Identifier: GPL-2.0
"""Per-snapshot values and their percentiles: what ``report wss`` and
``report nr_regions`` share.

Percentiles use the nearest-rank method: with n values sorted, the p-th
percentile is the value at 1-based rank ceil(p / 100 * n), clamped to
[1, n]; so p = 0 is the smallest value, p = 100 the largest and p = 50 the
lower median.

With --sortby time the values stay in time order and the percentile
column means "this far through the recording" instead.

--exclude_samples N leaves out each target's first N snapshots (DAMON's
regions need a few aggregations to adapt).  damo leaves none out by
default; damo 3.x leaves out 20 (two seconds at the default 100 ms
aggregation interval), so give --exclude_samples 20 to get its numbers.
--collapse_targets adds the targets' values up snapshot by snapshot
(damo 3.x's default for wss); damo reports each target (--per_target).
--all prints every value instead of percentiles; --nr_cols_bar N draws a
bar of up to N columns after each value.
"""

import math
import os
import sys
import tempfile

from . import plot, report
from .errors import DamoError


def add_common_options(p, what, all_name):
    p.add_argument('--tid', type=int, metavar='ID',
                   help='only this target (default: each target)')
    p.add_argument('-r', '--range', nargs=3, type=int, default=[0, 101, 25],
                   metavar=('START', 'END', 'STEP'),
                   help='percentiles to print, like Python\'s range() '
                   '(default: 0 101 25)')
    p.add_argument('-s', '--sortby', choices=('size', 'time'),
                   default='size',
                   help='sort the %s values by size (percentiles) or keep '
                   'them in time order (default %%(default)s)' % what)
    p.add_argument('-p', '--plot', metavar='OUT',
                   help='also draw the sorted values to OUT (.png/.svg/'
                   '.pdf/.eps)')
    p.add_argument('--raw_number', '--raw-number', action='store_true',
                   help='plain numbers, without units')
    p.add_argument('--exclude_samples', type=int, default=0, metavar='N',
                   help='leave out the first N snapshots of each target '
                   '(default 0; damo 3.x leaves out 20)')
    p.add_argument('--all', '--' + all_name, action='store_true',
                   dest='all_values',
                   help='print every value, not percentiles')
    p.add_argument('--collapse_targets', action='store_true',
                   help='add the targets\' values up per snapshot')
    p.add_argument('--per_target', action='store_false',
                   dest='collapse_targets',
                   help='report each target (default)')
    p.add_argument('--nr_cols_bar', type=int, default=0, metavar='N',
                   help='draw a bar of up to N columns per value '
                   '(default 0: none; damo 3.x draws 59)')


def check_range(rng):
    start, end, step = rng
    if step <= 0:
        raise DamoError('--range: STEP must be positive')
    if not 0 <= start < end or start > 100:
        raise DamoError('--range: need 0 <= START < END and START <= 100')
    return [p for p in range(start, end, step) if p <= 100]


def rank_index(p, n):
    return min(max(math.ceil(p * n / 100), 1), n) - 1


def percentiles(values, pcts):
    """[(p, value)] for each percentile in pcts, nearest-rank."""
    n = len(values)
    return [(p, values[rank_index(p, n)]) for p in pcts]


def per_target(rec, args, value_of):
    """{target id: [(end_ns, value)]} with value_of(TargetSnapshot), after
    --exclude_samples and --collapse_targets."""
    for opt in ('exclude_samples', 'nr_cols_bar'):
        if getattr(args, opt) < 0:
            raise DamoError('--%s must not be negative' % opt)
    out = {}
    for i in report.pick_targets(rec, args.tid):
        out[i] = [(s.end_ns, value_of(s.target(i)))
                  for s in rec.snapshots if s.target(i) is not None]
        out[i] = out[i][args.exclude_samples:]
    if not any(out.values()):
        raise DamoError('no snapshot left after leaving out the first %d '
                        '(--exclude_samples)' % args.exclude_samples)
    if args.collapse_targets and len(out) > 1:
        total = []
        for series in out.values():
            for k, (t, v) in enumerate(series):
                if k < len(total):
                    total[k] = (total[k][0], total[k][1] + v)
                else:
                    total.append((t, v))
        out = {'all': total}
    return out


def ordered(series, sortby):
    vals = [v for _, v in series]
    return sorted(vals) if sortby == 'size' else vals


def print_report(series_by_target, args, label, fmt_value, out=None):
    out = out or sys.stdout
    pcts = check_range(args.range)
    first = True
    for tid, series in series_by_target.items():
        if not series:
            continue
        if not first:
            out.write('\n')
        first = False
        vals = ordered(series, args.sortby)
        avg = sum(vals) / len(vals)
        out.write('# target_id %s, %d snapshots\n' % (
            'all (collapsed)' if tid == 'all' else tid, len(vals)))
        out.write('# avr: %s\n' % fmt_value(avg))
        if args.all_values:
            rows = list(enumerate(vals))
            out.write('# <index> <%s>\n' % label)
        else:
            rows = percentiles(vals, pcts)
            out.write('# <%s> <%s>\n' % (
                'percentile' if args.sortby == 'size'
                else 'time percentile', label))
        top = max(vals) or 1
        for p, v in rows:
            line = '%3d %s' % (p, fmt_value(v))
            if args.nr_cols_bar > 0:
                n = int(round(v * args.nr_cols_bar / top))
                line += ' |%s|' % ('*' * n).ljust(args.nr_cols_bar)
            out.write(line + '\n')


def draw(series_by_target, args, title, ylabel, out_path, div=1):
    """Plot each target's sorted values (divided by div) against their
    percentile rank."""
    fd, data = tempfile.mkstemp(prefix='damo-dist-', suffix='.dat')
    plots = []
    try:
        with os.fdopen(fd, 'w') as f:
            idx = 0
            for tid, series in series_by_target.items():
                vals = ordered(series, args.sortby)
                if not vals:
                    continue
                n = len(vals)
                for k, v in enumerate(vals):
                    x = 100.0 * k / (n - 1) if n > 1 else 0.0
                    f.write('%.6g %.9g\n' % (x, v / div))
                f.write('\n\n')
                plots.append("%s index %d with linespoints pt 7 ps 0.4 "
                             "title %s" % (plot.quote(data), idx, plot.quote(
                                 'target %s' % tid)))
                idx += 1
        if not plots:
            raise DamoError('nothing to plot')
        script = '\n'.join([
            'set title %s noenhanced' % plot.quote(title),
            'set xlabel %s' % plot.quote(
                'percentile' if args.sortby == 'size'
                else 'time (percent of the recording)'),
            'set ylabel %s' % plot.quote(ylabel),
            'set xrange [0:100]',
            'set yrange [0:*]',
            'set grid',
            'set key top left',
            'plot ' + ', '.join(plots),
        ])
        plot.render(out_path, script)
    finally:
        os.unlink(data)
