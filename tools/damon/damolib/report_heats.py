# SPDX-License-Identifier: GPL-2.0
"""damo report heats: access frequency over time and address space."""

import argparse
import sys

from . import ascii_heatmap, heatmap_plot, heats, plot, report
from .errors import DamoError

DESCRIPTION = """\
Show how often each part of the address space was accessed over time: a
matrix of TRES time bins by ARES address bins holding the average
nr_accesses of each cell.  --stdout prints it as "<time> <address>
<frequency>" rows (time in ns and address in bytes, both relative to the
start of the shown range unless --abs); --heatmap draws it with gnuplot
(the format follows the file name: .png, .svg, .pdf or .eps).  Without
either option it is drawn on the terminal as digits 0-9, 40 time rows by
80 address columns unless --tres/--ares say otherwise ("damo report
heatmap" is damo 3.x's spelling of the same report).

By default the shown address range is the busiest contiguous range the
target's regions cover (a process's heap, mmap area and stack are far
apart; showing them at once would squash each to a thin line).
"""


def parse_int(text):
    """A decimal or 0x hex number (an address)."""
    return int(text, 0)


def add_parser(sub, common):
    p = sub.add_parser('heats', parents=[common], description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='access frequency by time and address '
                       '(text or heatmap picture)')
    p.add_argument('--tid', type=int, metavar='ID',
                   help='target to show (default: the first one)')
    p.add_argument('--tres', type=int, metavar='N',
                   help='time bins (default 400, or 40 on the terminal)')
    p.add_argument('--ares', type=int, metavar='N',
                   help='address bins (default 200, or 80 on the '
                   'terminal)')
    p.add_argument('--address_range', '--address-range', nargs=2,
                   type=parse_int, metavar=('START', 'END'),
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
    if (args.tres is not None and args.tres <= 0) or \
            (args.ares is not None and args.ares <= 0):
        raise DamoError('--tres and --ares must be positive')
    if args.address_range and args.address_range[0] >= \
            args.address_range[1]:
        raise DamoError('--address_range: START must be below END')


def _print_rows(hm, base_t, base_a, out):
    for t, a, v in hm.rows():
        out.write('%d %d %.3f\n' % (t - base_t, a - base_a, v))


def pick_range(rec, tid, given):
    """The address range to show: the given one, or the busiest."""
    if given:
        return tuple(given)
    start, end, nr_ranges = heats.default_address_range(rec.snapshots, tid)
    if nr_ranges > 1:
        print('damo: showing %#x-%#x, the busiest of the %d address '
              'ranges of target %d (choose with --address_range)' % (
                  start, end, nr_ranges, tid), file=sys.stderr)
    return start, end


def run(args):
    _check(args)
    if args.heatmap:
        plot.check_writable(args.heatmap)
    rec = report.load(args)
    tid = report.pick_targets(rec, args.tid)[0]
    addr_range = pick_range(rec, tid, args.address_range)
    terminal = not args.stdout and not args.heatmap
    tres = args.tres or (40 if terminal else 400)
    ares = args.ares or (80 if terminal else 200)
    hm = heats.compute(rec.snapshots, tid, addr_range, tres, ares)
    if args.heatmap:
        heatmap_plot.draw(hm, args.heatmap,
                          'DAMON access frequency: target %d' % tid,
                          abs_addr=args.abs, abs_time=args.abs)
    if args.stdout:
        base_t = 0 if args.abs else hm.time_edges[0]
        base_a = 0 if args.abs else hm.addr_edges[0]
        _print_rows(hm, base_t, base_a, sys.stdout)
    if terminal:
        colour = ascii_heatmap.use_colour(sys.stdout)
        for line in ascii_heatmap.render(hm, colour):
            sys.stdout.write(line + '\n')
    return 0
