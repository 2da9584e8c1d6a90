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

ONE_CONTEXT = ('damo sets up one kdamond with one context and one target; '
               'give each scheme its own --damos_action')

# damo 3.x's options that take whole setups in its JSON form, and the
# ones for features this damo does not have.
REFUSED_OPTIONS = (
    ('--nr_targets', ONE_CONTEXT), ('--nr_ctxs', ONE_CONTEXT),
    ('--nr_schemes', ONE_CONTEXT),
    ('--monitoring_intervals_goal', 'the intervals are not tuned '
     'automatically by this kernel: give them with -s/-a/-u or '
     '--monitoring_intervals'),
    ('--schemes', DAMOS_JSON), ('--kdamonds', DAMOS_JSON),
    ('--damos_filter_out', 'not taken: use --damos_filter TYPE matching'),
    ('--snapshot_damos_filter', 'not taken: "damo status" shows each '
     'scheme\'s statistics'),
)

# Commands of damo 3.x that wait for another part of the series.
PENDING_COMMANDS = {
}

# Commands and report types of damo 3.x that this damo does not have:
# they fail with the reason instead of "invalid choice".
MISSING = {
    '': {
        'record_info': 'not here: "damo report raw" prints a record\'s '
        'format and number of snapshots first, "damo report heatmap '
        '--guide" each target\'s time span and address ranges',
        'monitor': 'not here: "damo start" and then "damo report access" '
        '(a snapshot of the running DAMON) as often as wanted, or "damo '
        'record" and its reports',
        'features': 'not here: "damo status" shows the interface damo '
        'uses; the --damos_* help says what needs sysfs',
        'setup_cli_completion': 'not here: damo has no shell completion',
    },
    'report ': {
        'trace': 'not here: "damo convert --output_type perf_script" '
        'writes a record as damon_aggregated trace text',
        'record_info': 'not here: "damo report raw" prints a record\'s '
        'format and number of snapshots first, "damo report heatmap '
        '--guide" each target\'s time span and address ranges',
        'pa_layout': 'not here as a report: "damo paddr_layout" (or "damo '
        'pa_layout") shows the physical address layout',
    },
}

# damo 3.x commands that this damo has under another name.
SAME_AS = (
    ('convert_record_format', 'damo convert'),
    ('pa_layout', 'damo paddr_layout'),
    ('report damon', 'damo status (or show): the current DAMON status'),
)

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
    ('report profile/times/holistic/sysinfo/kdamonds, args, '
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
    return any(pattern.search(what) for what, _ in
               NOT_HERE + REFUSED_OPTIONS)


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


def missing(words):
    """(command, reason) when words (the command line, or a "damo help"
    topic) start with a damo 3.x command or report type this damo does
    not have, else None."""
    if words and words[0] in MISSING['']:
        return words[0], MISSING[''][words[0]]
    if len(words) > 1 and words[0] == 'report' and \
            words[1] in MISSING['report ']:
        return 'report ' + words[1], MISSING['report '][words[1]]
    return None


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
    lines.append('Other names for the same commands:')
    for what, why in SAME_AS:
        _item(lines, what, why)
    lines.append('')
    lines.append('Not in this damo:')
    for prefix, names in MISSING.items():
        for name, why in names.items():
            _item(lines, prefix + name, why)
    for what, why in NOT_HERE:
        _item(lines, what, why)
    for opt, why in REFUSED_OPTIONS:
        if opt.startswith('--nr_') or opt == '--monitoring_intervals_goal':
            _item(lines, opt, why)
    return '\n'.join(lines) + '\n'
