# SPDX-License-Identifier: GPL-2.0
"""damo convert: rewrite a record in another format, e.g. a binary
record from the kernel's debugfs ``record`` file as json_compressed for
damo 3.x."""

from . import recload, recsave
from .errors import DamoError


def add_parser(subparsers):
    p = subparsers.add_parser(
        'convert', aliases=['convert_record_format'],
        help='rewrite a record in another format',
        description='Read a record in any format damo reads and write it '
        'as --output_type: %s.  damo 3.x reads json_compressed and '
        'perf_script.' % ', '.join(recsave.OUTPUT_TYPES))
    p.add_argument('-i', '--input', default='damon.data', metavar='FILE',
                   help='record to read (default %(default)s)')
    p.add_argument('-o', '--out', required=True, metavar='FILE',
                   help='file to write')
    p.add_argument('--output_type', default='json_compressed',
                   choices=recsave.OUTPUT_TYPES + tuple(recsave.ALIASES),
                   help='format to write (default %(default)s)')
    p.add_argument('--output_permission', metavar='MODE',
                   help='octal mode of the written file')
    p.set_defaults(func=run)
    return p


def run(args):
    mode = None
    if args.output_permission is not None:
        mode = recsave.parse_permission(args.output_permission)
    recsave.check_path(args.out)
    rec = recload.load(args.input)
    recload.check_usable(rec, args.input)
    if rec.warning:
        print('damo: warning: %s' % rec.warning)
    otype = recsave.ALIASES.get(args.output_type, args.output_type)
    if args.out == args.input and otype == recsave.BINARY and \
            rec.fmt.startswith('binary'):
        raise DamoError('%s is already a binary record' % args.input)
    recsave.save(rec, args.out, otype, mode)
    print('damo: %d snapshots of %s (%s) written to %s as %s' % (
        len(rec.snapshots), args.input, rec.fmt, args.out, otype))
    return 0
