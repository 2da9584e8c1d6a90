# SPDX-License-Identifier: GPL-2.0
"""damo report heatmap: damo 3.x's spelling of "report heats"."""

import argparse
import sys

from . import ascii_heatmap, heatmap_plot, heats, plot, report, \
    report_heats
from .errors import DamoError
from .fmt import size_str, time_str

DESCRIPTION = """\
Show when which address ranges were how often accessed, as damo 3.x's
"report heatmap" does: on the terminal as rows of digits 0-9 (time runs
down, addresses run right; --resol 40 80 by default), as "<time> <address>
<frequency>" rows with --output raw (times in ns and addresses relative to
the start unless --abs_time/--abs_addr; --resol 500 500), or as a picture
with --output FILE.png (.svg, .pdf, .eps; --resol 500 500).  --guide
prints each target's time span and the address ranges its regions cover.
By default the busiest contiguous range is drawn (--draw_range hottest).
"""


def add_parser(sub, common):
    p = sub.add_parser('heatmap', parents=[common], description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='access heatmap: terminal, raw rows or picture '
                       '(damo 3.x)')
    p.add_argument('--output', default='stdout', metavar='OUTPUT',
                   help='stdout (default), raw, or a picture file')
    p.add_argument('--tid', type=int, metavar='ID',
                   help='target to show (default: the first)')
    p.add_argument('--kdamond_idx', type=int, metavar='N',
                   help='kdamond of the target (damo records one: 0)')
    p.add_argument('--context_idx', type=int, metavar='N',
                   help='context of the target (damo records one: 0)')
    p.add_argument('--scheme_idx', type=int, metavar='N',
                   help='not taken: damo does not record DAMOS tried regions')
    p.add_argument('--resol', type=int, nargs=2, metavar=('TIME', 'ADDR'),
                   help='time and address resolution (number of bins)')
    p.add_argument('--time_range', type=int, nargs=2,
                   metavar=('START', 'END'),
                   help='time range to show (ns, as recorded)')
    p.add_argument('--address_range', type=report_heats.parse_int,
                   nargs=2, action='append', metavar=('START', 'END'),
                   help='address range to show (decimal or 0x hex)')
    p.add_argument('--draw_range', choices=('hottest',), default='hottest',
                   help='which covered range to draw (damo draws the '
                   'hottest; see "damo help")')
    p.add_argument('--abs_time', action='store_true',
                   help='absolute times in the output')
    p.add_argument('--abs_addr', action='store_true',
                   help='absolute addresses in the output')
    p.add_argument('--guide', action='store_true',
                   help='print time spans and covered address ranges')
    p.add_argument('--stdout_colorset', choices=('gray',), default='gray',
                   help='shades on the terminal (gray)')
    p.add_argument('--stdout_skip_colorset_example', action='store_true',
                   help='no legend line of the shades')
    p.set_defaults(func=run)
    return p


def _guide(rec, out):
    for tid in rec.target_ids():
        snaps = [s for s in rec.snapshots if s.target(tid) is not None]
        spans = heats.snapshot_intervals(snaps)
        t0, t1 = spans[0][0], spans[-1][1]
        out.write('target_id:%s\n' % tid)
        out.write('time: %d-%d (%s)\n' % (t0, t1, time_str(t1 - t0)))
        for i, (start, end, _) in enumerate(
                heats.covered_ranges(snaps, tid)):
            out.write('region %3d: %020d-%020d (%s)\n' % (
                i, start, end, size_str(end - start)))


def _check(args):
    if args.kdamond_idx not in (None, 0) or \
            args.context_idx not in (None, 0):
        raise DamoError('damo records one kdamond and one context: their '
                        'index is 0')
    if args.scheme_idx is not None:
        raise DamoError('--scheme_idx: damo does not record DAMOS tried '
                        'regions, only monitoring results')
    if args.resol and min(args.resol) <= 0:
        raise DamoError('--resol: both resolutions must be positive')
    if args.address_range and len(args.address_range) > 1:
        raise DamoError('give one --address_range (damo draws one range)')
    for rng, name in ((args.time_range, '--time_range'),
                      (args.address_range[0] if args.address_range
                       else None, '--address_range')):
        if rng and rng[0] >= rng[1]:
            raise DamoError('%s: START must be below END' % name)


def run(args):
    _check(args)
    picture = args.output not in ('stdout', 'raw')
    if picture:
        plot.check_writable(args.output)
    rec = report.load(args)
    if args.guide:
        _guide(rec, sys.stdout)
        return 0
    tid = report.pick_targets(rec, args.tid)[0]
    addr_range = report_heats.pick_range(
        rec, tid, args.address_range[0] if args.address_range else None)
    tres, ares = args.resol or ((40, 80) if args.output == 'stdout'
                                else (500, 500))
    hm = heats.compute(rec.snapshots, tid, addr_range, tres, ares,
                       tuple(args.time_range) if args.time_range else None)
    if args.output == 'stdout':
        colour = ascii_heatmap.use_colour(sys.stdout)
        for line in ascii_heatmap.render(
                hm, colour, legend=not args.stdout_skip_colorset_example):
            sys.stdout.write(line + '\n')
    elif args.output == 'raw':
        base_t = 0 if args.abs_time else hm.time_edges[0]
        base_a = 0 if args.abs_addr else hm.addr_edges[0]
        for t, a, v in hm.rows():
            sys.stdout.write('%d\t%d\t%s\n' % (t - base_t, a - base_a,
                                               '%.6g' % v))
    else:
        heatmap_plot.draw(hm, args.output,
                          'DAMON access frequency: target %d' % tid,
                          abs_addr=args.abs_addr, abs_time=args.abs_time)
    return 0
