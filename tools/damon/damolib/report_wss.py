# SPDX-License-Identifier: GPL-2.0
"""damo report wss: the working set size of each snapshot.

The working set of a snapshot is the bytes of the target's regions whose
nr_accesses is at least --min_accesses (default 1: accessed at all during
the aggregation interval).
"""

import argparse

from . import distribution, plot, report
from .errors import DamoError
from .fmt import size_str


def add_parser(sub, common):
    p = sub.add_parser('wss', parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='working set size distribution',
                       description=__doc__.split('\n', 2)[2].strip() +
                       '\n\n' + distribution.__doc__.split('\n\n', 1)[1])
    distribution.add_common_options(p, 'working set size', 'all_wss')
    p.add_argument('-t', '--min_accesses', '--min-accesses', '--acc_thres',
                   type=int, default=1, metavar='N',
                   help='count regions with at least N accesses '
                   '(default %(default)s; --acc_thres is damo 3.x\'s name)')
    p.add_argument('--sz_thres', type=int, default=1, metavar='BYTES',
                   help='count only regions of at least BYTES (default '
                   '%(default)s)')
    p.set_defaults(func=run)
    return p


def wss_of(min_accesses, min_size=1):
    def value(t):
        return sum(r.end - r.start for r in t.regions
                   if r.nr_accesses >= min_accesses and
                   r.end - r.start >= min_size)
    return value


def run(args):
    if args.min_accesses < 0 or args.sz_thres < 0:
        raise DamoError('--min_accesses (--acc_thres) and --sz_thres must '
                        'not be negative')
    if args.plot:
        plot.check_writable(args.plot)
    rec = report.load(args)
    series = distribution.per_target(rec, args,
                                     wss_of(args.min_accesses,
                                            args.sz_thres))

    def fmt(v):
        return size_str(int(round(v)), args.raw_number)
    distribution.print_report(series, args, 'working set size', fmt)
    if args.plot:
        top = max((v for ser in series.values() for _, v in ser), default=0)
        unit, div = 'bytes', 1
        for name, size in (('GiB', 1 << 30), ('MiB', 1 << 20),
                           ('KiB', 1 << 10)):
            if top >= 2 * size:
                unit, div = name, size
                break
        distribution.draw(series, args, 'working set size: %s' % args.input,
                          'working set size (%s)' % unit, args.plot, div)
    return 0
