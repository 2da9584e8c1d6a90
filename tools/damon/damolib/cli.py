# SPDX-License-Identifier: GPL-2.0
"""The damo command line: subcommands, and turning failures into messages.

Exit status: 0 on success, 1 when a DamoError (a user-facing failure)
was reported, 2 for command-line usage errors (argparse's convention),
130 when interrupted outside of recording.

Commands that take a TARGET (record, start, tune) let options follow it
as damo 3.x does (damon_args.split_argv()); a usage error inside any
subcommand prints that subcommand's usage.
"""

import argparse
import sys

from . import __version__, compat3, control, convert, damon_args, \
    modules, paddr_layout, record, report
from .errors import DamoError

SUBCOMMANDS = (record, control, report, convert, paddr_layout, modules)


def _add_version(sub):
    p = sub.add_parser('version', help='show the version of damo',
                       description='Show the version of damo.')
    p.set_defaults(func=lambda args: print(version_line()) or 0)


def _add_help(sub, parsers):
    p = sub.add_parser(
        'help', help='help on a command, and on damo 3.x features',
        description='"damo help" lists the damo 3.x commands and options '
        'this damo does not have or that wait for other parts of the '
        'kernel series; "damo help COMMAND" is "damo COMMAND --help".')
    p.add_argument('topic', nargs='*', metavar='COMMAND')

    def run(args):
        if not args.topic:
            parsers['']().print_help()
            print()
            sys.stdout.write(compat3.help_text())
            return 0
        parser = parsers.get(' '.join(args.topic))
        gone = compat3.missing(args.topic)
        if parser is None and gone:
            print('damo %s (damo 3.x): %s' % gone)
            return 0
        if parser is None:
            raise DamoError('help: no command %r (see "damo help")'
                            % ' '.join(args.topic))
        parser.print_help()
        return 0
    p.set_defaults(func=run)


def version_line():
    return 'damo %s (the DAMON user tool of this kernel series)' % \
        __version__


def _remember(sub, parsers, prefix=''):
    """Note every subparser (for help and split commands) and let each,
    nested ones too, report its own usage errors."""
    for name, parser in sub.choices.items():
        full = prefix + name
        parsers.setdefault(full, parser)
        parser.set_defaults(_parser=parser)
        if not prefix:
            parser.set_defaults(command=name)
        for action in parser._actions:     # noqa: SLF001
            if isinstance(action, argparse._SubParsersAction):
                _remember(action, parsers, full + ' ')


def build_parser(parsers=None):
    parsers = {} if parsers is None else parsers
    p = argparse.ArgumentParser(
        prog='damo',
        description='Record and report data access patterns with DAMON, '
        'the kernel\'s Data Access MONitor.',
        epilog='Run "damo COMMAND --help" for the options of a command, '
        '"damo help" for how damo 3.x\'s commands map to these.')
    p.add_argument('--version', action='version', version=version_line())
    sub = p.add_subparsers(dest='command', metavar='COMMAND',
                           title='commands')
    sub.required = True
    for mod in SUBCOMMANDS:
        if hasattr(mod, 'add_parsers'):
            mod.add_parsers(sub)
        else:
            mod.add_parser(sub)
    _add_version(sub)
    _add_help(sub, parsers)
    compat3.add_pending_commands(sub)
    _remember(sub, parsers)
    parsers[''] = lambda: p
    return p


def parse(argv):
    parsers = {}
    top = build_parser(parsers)
    gone = compat3.missing(argv)
    if gone:
        raise DamoError('damo %s: %s (see "damo help")' % gone)
    if argv and argv[0] in compat3.PENDING_COMMANDS and \
            not set(argv[1:]) & {'-h', '--help'}:
        raise DamoError('damo %s: %s' % (argv[0],
                                          compat3.PENDING_COMMANDS[argv[0]]))
    if argv and argv[0] in parsers and argv[0] != '' and \
            parsers[argv[0]].get_default('split_target'):
        sub = parsers[argv[0]]
        try:
            opts, target = damon_args.split_argv(sub, argv[1:])
        except DamoError as e:
            sub.error(str(e))
        args = sub.parse_args(opts)
        args.target = target
        return args
    args, extras = top.parse_known_args(argv)
    if extras:
        getattr(args, '_parser', top).error(
            'unrecognized arguments: %s' % ' '.join(extras))
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parse(argv)
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
