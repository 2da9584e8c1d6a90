# SPDX-License-Identifier: GPL-2.0
"""damo paddr_layout: where the physical memory is, per node and state."""

import sys

from . import memlayout, paths as pathmod
from .fmt import size_str


def add_parser(subparsers):
    p = subparsers.add_parser(
        'paddr_layout', aliases=['pa_layout'],
        help='show the physical memory layout',
        description='Show the top-level resources of /proc/iomem, with '
        'System RAM split by NUMA node and memory block state (from '
        '/sys/devices/system/{memory,node}).  Ranges are [START, END) '
        'with an exclusive end, as "damo record -r" takes them.  Reading '
        'physical addresses needs root.')
    p.add_argument('--ram', action='store_true',
                   help='show System RAM only')
    p.add_argument('--raw_number', '--raw-number', action='store_true',
                   help='sizes in bytes')
    pathmod.add_path_options(p, sysfs=True, proc=True)
    p.set_defaults(func=run)
    return p


def format_layout(segs, raw_number=False):
    rows = [('RANGE', 'NODE', 'STATE', 'SIZE', 'NAME')]
    for s in segs:
        rows.append(('%#014x-%#014x' % (s.start, s.end),
                     '-' if s.node is None else str(s.node),
                     s.state or '-',
                     size_str(s.end - s.start, raw_number),
                     s.name))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        yield '  '.join([r[0].ljust(widths[0]), r[1].rjust(widths[1]),
                         r[2].ljust(widths[2]), r[3].rjust(widths[3]),
                         r[4]]).rstrip()


def run(args):
    segs = memlayout.layout(pathmod.from_args(args))
    if args.ram:
        segs = [s for s in segs if s.name == memlayout.SYSTEM_RAM]
    for line in format_layout(segs, args.raw_number):
        sys.stdout.write(line + '\n')
    return 0
