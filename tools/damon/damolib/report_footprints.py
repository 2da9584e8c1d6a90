# SPDX-License-Identifier: GPL-2.0
"""damo report footprints: the memory footprints sampled while recording
("damo record --footprint"), as percentiles like "report wss".

Metrics: vsz (the processes' virtual size), rss (their resident size),
sys_used (the system's MemTotal - MemFree), or all three.  Comparing rss
with "report wss" tells how much of what a workload holds it really
touches.
"""

import argparse
import os
import sys

from . import distribution, footprint
from .fmt import size_str

METRICS = ('vsz', 'rss', 'sys_used')


def add_parser(sub, common):
    p = sub.add_parser('footprints',
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       help='memory footprints recorded with the access '
                       'pattern (damo 3.x)',
                       description=__doc__.split('\n', 2)[2])
    p.add_argument('metric', nargs='?', default='all',
                   choices=METRICS + ('all',),
                   help='what to show (default: all)')
    p.add_argument('-i', '--input', default='damon.data' + footprint.SUFFIX,
                   metavar='FILE', help='footprint file (default '
                   '%(default)s)')
    p.add_argument('-r', '--range', nargs=3, type=int, default=[0, 101, 25],
                   metavar=('START', 'END', 'STEP'),
                   help='percentiles to print (default 0 101 25)')
    p.add_argument('-s', '--sortby', choices=('size', 'time'),
                   default='size', help='sort by size (percentiles) or '
                   'keep time order')
    p.add_argument('--raw_number', action='store_true',
                   help='plain numbers, without units')
    p.add_argument('--all_footprint', action='store_true',
                   help='print every value, not percentiles')
    p.set_defaults(func=run)
    return p


def run(args):
    samples = footprint.load(args.input)
    pcts = distribution.check_range(args.range)
    page = os.sysconf('SC_PAGE_SIZE')
    names = METRICS if args.metric == 'all' else (args.metric,)
    out = sys.stdout
    for k, name in enumerate(names):
        vals = [footprint.metric(s, name, page) for s in samples]
        if args.sortby == 'size':
            vals.sort()
        if k:
            out.write('\n')
        out.write('# %s, %d samples\n' % (name, len(vals)))
        out.write('# avr: %s\n' % size_str(int(sum(vals) / len(vals)),
                                           args.raw_number))
        if args.all_footprint:
            rows = list(enumerate(vals))
        else:
            rows = distribution.percentiles(vals, pcts)
        for p, v in rows:
            out.write('%3d %s\n' % (p, size_str(v, args.raw_number)))
    return 0
