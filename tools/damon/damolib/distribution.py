# SPDX-License-Identifier: GPL-2.0
"""Per-snapshot values and their percentiles: what ``report wss`` and
``report nr_regions`` share.

Percentiles use the nearest-rank method: with n values sorted, the p-th
percentile is the value at 1-based rank ceil(p / 100 * n), clamped to
[1, n]; so p = 0 is the smallest value, p = 100 the largest and p = 50 the
lower median.

With --sortby time the values stay in time order and the percentile
column means "this far through the recording" instead.
"""

import math
import os
import sys
import tempfile

from . import plot, report
from .errors import DamoError


def add_common_options(p, what):
    p.add_argument('--tid', type=int, metavar='ID',
                   help='only this target (default: each target)')
    p.add_argument('--range', nargs=3, type=int, default=[0, 101, 25],
                   metavar=('START', 'END', 'STEP'),
                   help='percentiles to print, like Python\'s range() '
                   '(default: 0 101 25)')
    p.add_argument('--sortby', choices=('size', 'time'), default='size',
                   help='sort the %s values by size (percentiles) or keep '
                   'them in time order (default %%(default)s)' % what)
    p.add_argument('--plot', metavar='OUT',
                   help='also draw the sorted values to OUT (.png/.svg/'
                   '.pdf/.eps)')
    p.add_argument('--raw_number', '--raw-number', action='store_true',
                   help='plain numbers, without units')


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


def per_target(rec, tid, value_of):
    """{target id: [(end_ns, value)]} with value_of(TargetSnapshot)."""
    out = {}
    for i in report.pick_targets(rec, tid):
        out[i] = [(s.end_ns, value_of(s.target(i)))
                  for s in rec.snapshots if s.target(i) is not None]
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
        out.write('# target_id %d, %d snapshots\n' % (tid, len(vals)))
        out.write('# avr: %s\n' % fmt_value(avg))
        out.write('# <%s> <%s>\n' % (
            'percentile' if args.sortby == 'size' else 'time percentile',
            label))
        for p, v in percentiles(vals, pcts):
            out.write('%3d %s\n' % (p, fmt_value(v)))


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
                                 'target %d' % tid)))
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
