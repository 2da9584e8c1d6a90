# SPDX-License-Identifier: GPL-2.0
"""The damo command line: subcommands, and turning failures into messages.

Exit status: 0 on success, 1 when a DamoError (a user-facing failure)
was reported, 2 for command-line usage errors (argparse's convention),
130 when interrupted outside of recording.
"""

import argparse
import sys

from . import paddr_layout, record, report
from .errors import DamoError

SUBCOMMANDS = (record, report, paddr_layout)


def build_parser():
    p = argparse.ArgumentParser(
        prog='damo',
        description='Record and report data access patterns with DAMON, '
        'the kernel\'s Data Access MONitor.',
        epilog='Run "damo COMMAND --help" for the options of a command.')
    sub = p.add_subparsers(dest='command', metavar='COMMAND',
                           title='commands')
    sub.required = True
    for mod in SUBCOMMANDS:
        mod.add_parser(sub)
    return p


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except DamoError as e:
        print('damo: error: %s' % e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print('damo: interrupted', file=sys.stderr)
        return 130
    except BrokenPipeError:
        # "damo report raw | head": the reader went away; not an error.
        sys.stderr.close()
        return 0
