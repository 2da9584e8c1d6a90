# SPDX-License-Identifier: GPL-2.0
"""damo 3.x features this damo does not have, and the ones that wait for
other parts of the series, in one place: ``damo help`` prints the table,
and the options and commands named here fail with a line that says why
instead of "unrecognized arguments".

The commands of damo 3.x that once waited for other parts of the series
(DAMOS, DAMON_RECLAIM, DAMON_LRU_SORT) are all here now: 'schemes' and
the --damos_* options in damos_args.py, 'reclaim', 'lru_sort' and
'module' in modules.py.
"""

import argparse
import re
import textwrap

from .errors import DamoError

DAMOS_JSON = ('schemes and kdamonds in damo 3.x\'s JSON form are not '
              'taken: give schemes with the --damos_* options')

# damo 3.x's options that take whole setups in its JSON form, and the
# ones for features this damo does not have.
REFUSED_OPTIONS = (
    ('--schemes', DAMOS_JSON), ('--kdamonds', DAMOS_JSON),
    ('--damos_filter_out', 'not taken: use --damos_filter TYPE matching'),
    ('--snapshot_damos_filter', 'not taken: "damo status" shows each '
     'scheme\'s statistics'),
)

# Commands of damo 3.x that wait for another part of the series.
PENDING_COMMANDS = {
}

# damo 3.x features that do not fit this damo, and why (for damo help).
NOT_HERE = (
    ('record --snapshot DELAY COUNT',
     'damo records every aggregation (the full record); for one snapshot '
     'of a running DAMON use "damo report access" without -i'),
    ('record --do_record cpu_profile|vmas|proc_stats',
     'damo records the access pattern, and the memory footprints when '
     'asked (--do_record mem_footprint or --footprint; 3.x does it by '
     'default); profiles need perf'),
    ('record --include_child_tasks, --schemes_target_regions',
     'child tasks are not followed; tried regions are not recorded '
     '("damo status" shows each scheme\'s statistics)'),
    ('--schemes/-c, --kdamonds (JSON setups)', DAMOS_JSON),
    ('--damos_filter_out, --snapshot_damos_filter',
     'not taken: --damos_filter TYPE matching|nomatching filters'),
    ('record --perf_path, --damon_tracer, --output_type perf_data',
     'damo reads the tracepoint through tracefs itself, without perf; '
     'it reads perf.data files (with perf) but does not write them'),
    ('report access --style/--format/--exec and region filters',
     'one layout: the detailed one (heatmap line, one line per region, '
     'total size)'),
    ('report heatmap --draw_range all, --stdout_colorset flame|emotion',
     'draws one address range (the busiest, or --address_range); '
     'colours: gray levels only'),
    ('report wss --work_time',
     'snapshots are never merged into longer work units'),
    ('report damon/profile/times/holistic/sysinfo/kdamonds, args, '
     'diagnose, replay, adjust, validate',
     'not implemented'),
    ('--damon_interface_DEPRECATED', 'taken: same as --damon_interface'),
    ('--damos_* through debugfs',
     'debugfs has the actions willneed, cold, pageout, hugepage, '
     'nohugepage and stat, quotas and watermarks; filters, quota goals, '
     'apply intervals, lru_prio/lru_deprio and migrate_* need sysfs'),
    ('--damos_quotas without a reset interval',
     'the quota resets every 1000 ms (damo 3.x: never)'),
)


def names(option):
    """Whether "damo help"'s table of damo 3.x features names option."""
    pattern = re.compile(r'(?<![\w-])%s(?![\w-])' % re.escape(option))
    return any(pattern.search(what) for what, _ in NOT_HERE)


class _Waits(argparse.Action):
    """An option that is known but waits: fails with the reason."""

    def __init__(self, option_strings, dest, reason=None, **kwargs):
        self.reason = reason
        super().__init__(option_strings, argparse.SUPPRESS,
                         nargs=argparse.ZERO_OR_MORE, help=argparse.SUPPRESS,
                         default=argparse.SUPPRESS)

    def __call__(self, parser, namespace, values, option_string=None):
        raise DamoError('%s: %s' % (option_string, self.reason))


def add_refused(parser):
    """damo 3.x options this damo knows but does not take: refused with
    the reason."""
    for opt, reason in REFUSED_OPTIONS:
        names = ('-c', opt) if opt == '--schemes' else (opt,)
        parser.add_argument(*names, action=_Waits, reason=reason)


def add_pending_commands(subparsers):
    for name, reason in PENDING_COMMANDS.items():
        p = subparsers.add_parser(name, help='(waits: %s)' % reason.split(
            ' (')[0].split(';')[0], add_help=True)
        p.add_argument('rest', nargs=argparse.REMAINDER,
                       help=argparse.SUPPRESS)
        p.set_defaults(func=_pending(name, reason))


def _pending(name, reason):
    def run(args):
        raise DamoError('damo %s: %s' % (name, reason))
    return run


def _item(lines, what, why):
    lines.extend(textwrap.wrap(what, 76, initial_indent='  ',
                               subsequent_indent='    '))
    lines.extend(textwrap.wrap(why, 76, initial_indent='      ',
                               subsequent_indent='      '))


def help_text():
    lines = ['damo 3.x features and what this damo does with them:', '']
    lines.append('Not in this damo:')
    for what, why in NOT_HERE:
        _item(lines, what, why)
    return '\n'.join(lines) + '\n'
