# SPDX-License-Identifier: GPL-2.0
"""damo report heats: access frequency over time and address space."""

import argparse
import os
import sys
import tempfile

from . import heats, plot, report
from .errors import DamoError
from .fmt import size_str

DESCRIPTION = """\
Show how often each part of the address space was accessed over time: a
matrix of TRES time bins by ARES address bins holding the average
nr_accesses of each cell.  --stdout prints it as "<time> <address>
<frequency>" rows (time in ns and address in bytes, both relative to the
start of the shown range unless --abs); --heatmap draws it with gnuplot
(the format follows the file name: .png, .svg, .pdf or .eps).  Without
either option the rows are printed.

By default the shown address range is the busiest contiguous range the
target's regions cover (a process's heap, mmap area and stack are far
apart; showing them at once would squash each to a thin line).
"""


def _int(text):
    return int(text, 0)


def add_parser(sub, common):
    p = sub.add_parser('heats', parents=[common], description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='access frequency by time and address '
                       '(text or heatmap picture)')
    p.add_argument('--tid', type=int, metavar='ID',
                   help='target to show (default: the first one)')
    p.add_argument('--tres', type=int, default=400, metavar='N',
                   help='time bins (default %(default)s)')
    p.add_argument('--ares', type=int, default=200, metavar='N',
                   help='address bins (default %(default)s)')
    p.add_argument('--address_range', '--address-range', nargs=2,
                   type=_int, metavar=('START', 'END'),
                   help='address range to show (decimal or 0x hex)')
    p.add_argument('--abs', action='store_true',
                   help='absolute times and addresses instead of offsets '
                   'from the start of the shown range')
    p.add_argument('--heatmap', metavar='OUT',
                   help='draw a heatmap picture to OUT (.png/.svg/.pdf/'
                   '.eps)')
    p.add_argument('--stdout', action='store_true',
                   help='print "<time> <address> <frequency>" rows')
    p.set_defaults(func=run)
    return p


def _check(args):
    if args.tres <= 0 or args.ares <= 0:
        raise DamoError('--tres and --ares must be positive')
    if args.address_range and args.address_range[0] >= \
            args.address_range[1]:
        raise DamoError('--address_range: START must be below END')


def _print_rows(hm, base_t, base_a, out):
    for t, a, v in hm.rows():
        out.write('%d %d %.3f\n' % (t - base_t, a - base_a, v))


def _addr_unit(span):
    for unit, div in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if span >= 4 * div:
            return unit, div
    return 'bytes', 1


def _draw(hm, args, tid, out_path):
    """Write the matrix to a temporary data file and let gnuplot draw it."""
    t0 = hm.time_edges[0]
    a0 = hm.addr_edges[0]
    span = hm.addr_edges[-1] - a0
    ntime = len(hm.time_edges) - 1
    naddr = len(hm.addr_edges) - 1
    t_step = (hm.time_edges[-1] - t0) / ntime
    a_step = span / naddr
    t_base = 0 if args.abs else t0
    if args.abs:
        unit, div, a_base = 'address', 1, 0
    else:
        unit, div = _addr_unit(span)
        unit, a_base = 'address offset (%s)' % unit, a0
    fd, data = tempfile.mkstemp(prefix='damo-heats-', suffix='.dat')
    try:
        with os.fdopen(fd, 'w') as f:
            for i, row in enumerate(hm.values):
                x = (t0 + (i + 0.5) * t_step - t_base) / 1e9
                for j, v in enumerate(row):
                    y = (a0 + (j + 0.5) * a_step - a_base) / div
                    f.write('%.9g %.12g %.6g\n' % (x, y, v))
                f.write('\n')
        x_lo = (t0 - t_base) / 1e9
        x_hi = (hm.time_edges[-1] - t_base) / 1e9
        y_lo = (a0 - a_base) / div
        y_hi = (hm.addr_edges[-1] - a_base) / div
        script = '\n'.join([
            'set title %s noenhanced' % plot.quote(
                'DAMON access frequency: target %d, %#x-%#x (%s)' % (
                    tid, a0, hm.addr_edges[-1], size_str(span))),
            'set xlabel "time (s)"',
            'set ylabel %s' % plot.quote(unit),
            'set cblabel "access frequency (nr_accesses)" noenhanced',
            'set format y %s' % plot.quote('0x%x' if args.abs else '%g'),
            'set xrange [%.9g:%.9g]' % (x_lo, x_hi),
            'set yrange [%.12g:%.12g]' % (y_lo, y_hi),
            'set cbrange [0:*]',
            'set palette defined (0 "black", 1 "#3b0f70", 2 "#b73779", '
            '3 "#fc8961", 4 "#fcfdbf")',
            'set tics out nomirror',
            'plot %s using 1:2:3 with image notitle' % plot.quote(data),
        ])
        plot.render(out_path, script)
    finally:
        os.unlink(data)


def run(args):
    _check(args)
    rec = report.load(args)
    ids = report.pick_targets(rec, args.tid)
    tid = ids[0]
    if args.address_range:
        addr_range = tuple(args.address_range)
    else:
        start, end, nr_ranges = heats.default_address_range(
            rec.snapshots, tid)
        addr_range = (start, end)
        if nr_ranges > 1:
            print('damo: showing %#x-%#x, the busiest of the %d address '
                  'ranges of target %d (choose with --address_range)' % (
                      start, end, nr_ranges, tid), file=sys.stderr)
    hm = heats.compute(rec.snapshots, tid, addr_range, args.tres,
                       args.ares)
    if args.heatmap:
        _draw(hm, args, tid, args.heatmap)
    if args.stdout or not args.heatmap:
        base_t = 0 if args.abs else hm.time_edges[0]
        base_a = 0 if args.abs else hm.addr_edges[0]
        _print_rows(hm, base_t, base_a, sys.stdout)
    return 0
