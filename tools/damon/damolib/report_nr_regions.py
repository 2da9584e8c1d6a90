# SPDX-License-Identifier: GPL-2.0
"""damo report nr_regions: how many regions each snapshot had."""

import argparse

from . import distribution, plot, report


def add_parser(sub, common):
    p = sub.add_parser('nr_regions', parents=[common],
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='number of regions distribution',
                       description='How many monitoring regions each '
                       'snapshot had, per target.\n\n' +
                       distribution.__doc__.split('\n\n', 1)[1])
    distribution.add_common_options(p, 'number of regions',
                                    'all_nr_regions')
    p.set_defaults(func=run)
    return p


def run(args):
    if args.plot:
        plot.check_writable(args.plot)
    rec = report.load(args)
    series = distribution.per_target(rec, args, lambda t: len(t.regions))

    def fmt(v):
        return '%d' % v if v == int(v) else '%.3f' % v
    distribution.print_report(series, args, 'number of regions', fmt)
    if args.plot:
        distribution.draw(series, args,
                          'number of regions: %s' % args.input,
                          'number of regions', args.plot)
    return 0
