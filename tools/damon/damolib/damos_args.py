# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's --damos_* options, and the schemes they describe.

Each --damos_action starts a scheme; the n-th --damos_sz_region,
--damos_access_rate, --damos_age, --damos_apply_interval, --damos_quotas
(or --damos_quota_interval with --damos_quota_time/_space/_weights) and
--damos_wmarks go to the n-th scheme, and the ones not given take their
defaults (any size, rate and age; no quota; no watermarks).  Filters and
quota goals are handed out in order, --damos_nr_filters and
--damos_nr_quota_goals saying how many each scheme takes (needed only
with more than one scheme).

Values take damo 3.x's forms: sizes "4096", "4K", "2 MiB"; access rates
"50%" or "50"; ages and intervals in us or with a unit ("5s", "100 ms");
"min" and "max" for either end of a range.
"""

import re

from . import damos
from .damos import Filter, Scheme
from .errors import DamoError
from .numtext import parse_bytes, parse_time

_SHORT_SIZE = re.compile(r'^\s*(\d+(\.\d+)?)\s*([KMGTP])(i?B)?\s*$', re.I)


def _size(text, what):
    if text.strip() == 'max':
        return None
    m = _SHORT_SIZE.match(text)
    try:
        if m:
            return int(float(m.group(1)) *
                       (1 << (10 * ('KMGTP'.index(m.group(3).upper()) + 1))))
        val = parse_bytes(text)
    except ValueError:
        val = -1
    if val < 0:
        raise DamoError('%s: %r is not a size (bytes, or e.g. "4K", '
                        '"2 MiB", "min", "max")' % (what, text))
    return val


def _percent(text, what):
    word = text.strip()
    if word in ('min', 'max'):
        return 0 if word == 'min' else None
    try:
        val = float(word.rstrip('%').strip())
    except ValueError:
        val = -1
    if not 0 <= val <= 100:
        raise DamoError('%s: %r is not an access rate (0%% to 100%%, '
                        '"min" or "max")' % (what, text))
    return val


def _us(text, what, allow_max=True):
    if allow_max and text.strip() == 'max':
        return None
    try:
        val = parse_time(text, 'us')
    except ValueError:
        val = -1
    if val < 0 or val > damos.U64_MAX:
        raise DamoError('%s: %r is not a time (us, or e.g. "5s", '
                        '"100 ms")' % (what, text))
    return val


def _ms(text, what):
    word = text.strip()
    if re.match(r'^\d+$', word):
        return int(word)
    return _us(word, what, allow_max=False) // 1000


def _int(text, what, least=0, most=damos.U64_MAX):
    try:
        val = int(text, 0)
    except ValueError:
        val = least - 1
    if not least <= val <= most:
        raise DamoError('%s: %r is not an integer from %d to %d' % (
            what, text, least, most))
    return val


def _range(pair, parse, what):
    lo, hi = parse(pair[0], what), parse(pair[1], what)
    if lo is None:
        raise DamoError('%s: "max" is only for the upper end' % what)
    if hi is not None and hi < lo:
        raise DamoError('%s: %s is below %s' % (what, pair[1], pair[0]))
    return (lo, hi)


# How many words after the option belong to it, where that depends on
# the first one: damo_args.split_argv() asks, so that "--damos_action
# stat paddr" leaves paddr to be the TARGET.

def _action_words(words):
    return 2 if words and words[0] in damos.MIGRATE_ACTIONS else 1


def _filter_words(words):
    return {'memcg': 3, 'addr': 4, 'target': 3}.get(
        words[0] if words else '', 2)


def _goal_words(words):
    return 3 if words and words[0] == 'user_input' else 2


def _counted(parser, name, counter, **kwargs):
    action = parser.add_argument(name, nargs='+', action='append',
                                 default=[], **kwargs)
    action.count_values = counter


def add_options(p):
    """The --damos_* options (see the module doc)."""
    g = p.add_argument_group(
        'DAMOS (damo 3.x options; repeat --damos_action for more schemes)')
    _counted(g, '--damos_action', _action_words,
             metavar=('ACTION', 'NID'),
             help='start a scheme: %s (migrate_* take the target node)'
             % ', '.join(damos.ACTIONS))
    for name, what in (('sz_region', 'size (bytes, "4K")'),
                       ('access_rate', 'access rate (percent)'),
                       ('age', 'age (us, "5s")')):
        g.add_argument('--damos_' + name, nargs=2, action='append',
                       default=[], metavar=('MIN', 'MAX'),
                       help='the %s of the regions to act on' % what)
    g.add_argument('--damos_apply_interval', action='append', default=[],
                   metavar='US', help='how often the scheme is applied '
                   '(default: every aggregation; sysfs only)')
    g.add_argument('--damos_quotas', nargs='+', action='append',
                   default=[], metavar='Q',
                   help='quota: TIME_MS [BYTES [RESET_MS [SZ_PERMIL '
                   '[NR_ACCESSES_PERMIL [AGE_PERMIL]]]]] (reset interval '
                   'default 1000 ms, weights default 0)')
    g.add_argument('--damos_quota_interval', action='append', default=[],
                   metavar='MS', help='quota reset interval')
    g.add_argument('--damos_quota_time', action='append', default=[],
                   metavar='MS', help='time quota')
    g.add_argument('--damos_quota_space', action='append', default=[],
                   metavar='BYTES', help='size quota')
    g.add_argument('--damos_quota_weights', nargs=3, action='append',
                   default=[], metavar=('SZ', 'NR_ACCESSES', 'AGE'),
                   help='prioritization weights, permil (default 1 1 1)')
    _counted(g, '--damos_quota_goal', _goal_words,
             metavar=('METRIC', 'VALUE'),
             help='quota tuning goal: METRIC TARGET [CURRENT]; METRIC: %s '
             '(sysfs only)' % ', '.join(damos.GOAL_METRICS))
    g.add_argument('--damos_nr_quota_goals', nargs='+', action='extend',
                   default=[], metavar='N',
                   help='quota goals of each scheme, in order')
    g.add_argument('--damos_wmarks', nargs=5, action='append', default=[],
                   metavar=('METRIC', 'US', 'HIGH', 'MID', 'LOW'),
                   help='watermarks: none|free_mem_rate, check interval, '
                   'high, mid and low marks (permil)')
    _counted(g, '--damos_filter', _filter_words,
             metavar=('TYPE', 'MATCHING'),
             help='filter: anon|young matching|nomatching, memcg '
             'matching|nomatching PATH, addr ... START END, target ... '
             'INDEX; matching pages are left alone (sysfs only)')
    g.add_argument('--damos_nr_filters', nargs='+', action='extend',
                   default=[], metavar='N',
                   help='filters of each scheme, in order')


def _counts(given, total, nr_schemes, what):
    """Split `total` items over the schemes as --damos_nr_* says."""
    if not given:
        if total and nr_schemes > 1:
            raise DamoError('with more than one scheme, --damos_nr_%s '
                            'must say how many --damos_%s each takes' % (
                                what, what[:-1]))
        return [total] + [0] * (nr_schemes - 1)
    counts = [_int(c, '--damos_nr_' + what) for c in given]
    if len(counts) != nr_schemes or sum(counts) != total:
        raise DamoError('--damos_nr_%s %s: needs one number per scheme '
                        '(%d) adding up to the %d --damos_%s given' % (
                            what, ' '.join(given), nr_schemes, total,
                            what[:-1]))
    return counts


def _filter(words):
    what = '--damos_filter'
    ftype, rest = words[0], words[1:]
    if ftype not in damos.FILTER_TYPES:
        raise DamoError('%s: unknown type %r (%s)' % (
            what, ftype, ', '.join(damos.FILTER_TYPES)))
    if not rest or rest[0] not in ('matching', 'nomatching'):
        raise DamoError('%s %s: give "matching" or "nomatching" after the '
                        'type' % (what, ftype))
    args = rest[1:]
    need = _filter_words([ftype]) - 2
    if len(args) != need:
        raise DamoError('%s %s takes %d argument(s) after matching, not %d'
                        % (what, ftype, need, len(args)))
    arg = None
    if ftype == 'memcg':
        arg = args[0]
    elif ftype == 'addr':
        arg = (_int(args[0], what), _int(args[1], what))
        if arg[0] >= arg[1]:
            raise DamoError('%s addr: start must be below end' % what)
    elif ftype == 'target':
        arg = _int(args[0], what)
    return Filter(ftype, rest[0] == 'matching', arg)


def _goal(words):
    what = '--damos_quota_goal'
    if words[0] not in damos.GOAL_METRICS:
        raise DamoError('%s: unknown metric %r (%s)' % (
            what, words[0], ', '.join(damos.GOAL_METRICS)))
    if len(words) != _goal_words(words):
        raise DamoError('%s %s takes %d value(s)' % (
            what, words[0], _goal_words(words) - 1))
    current = _int(words[2], what) if len(words) == 3 else 0
    return (words[0], _int(words[1], what), current)


def _quota(words):
    what = '--damos_quotas'
    if len(words) > 6:
        raise DamoError('%s takes at most 6 values, not %d' % (
            what, len(words)))
    vals = list(words) + [None] * (6 - len(words))
    ms = _ms(vals[0], what)
    nbytes = 0 if vals[1] is None else _size(vals[1], what)
    reset = 1000 if vals[2] is None else _ms(vals[2], what)
    weights = tuple(0 if w is None else _int(w, what, 0, 1000)
                    for w in vals[3:6])
    if nbytes is None:
        nbytes = 0
    return (ms, nbytes, reset, weights)


def _wmarks(words):
    what = '--damos_wmarks'
    if words[0] not in damos.WMARK_METRICS:
        raise DamoError('%s: unknown metric %r (%s)' % (
            what, words[0], ', '.join(damos.WMARK_METRICS)))
    high, mid, low = (_int(w, what, 0, 1000) for w in words[2:5])
    if not high >= mid >= low:
        raise DamoError('%s: the marks must be high >= mid >= low' % what)
    return (words[0], _us(words[1], what, allow_max=False), high, mid, low)


def _split_quotas(args):
    """--damos_quotas, or the quota spelled out option by option."""
    if not args.damos_quota_interval:
        if args.damos_quota_time or args.damos_quota_space or \
                args.damos_quota_weights:
            raise DamoError('--damos_quota_time, _space and _weights go '
                            'with --damos_quota_interval')
        return [_quota(q) for q in args.damos_quotas]
    if args.damos_quotas:
        raise DamoError('give --damos_quotas or --damos_quota_interval, '
                        'not both')
    out = []
    what = '--damos_quota_*'
    for i, interval in enumerate(args.damos_quota_interval):
        def nth(values, default):
            return values[i] if i < len(values) else default
        weights = nth(args.damos_quota_weights, ('1', '1', '1'))
        out.append((_ms(nth(args.damos_quota_time, '0'), what),
                    _size(nth(args.damos_quota_space, '0'), what) or 0,
                    _ms(interval, what),
                    tuple(_int(w, what, 0, 1000) for w in weights)))
    return out


def _any_given(args):
    return any(getattr(args, k) for k in vars(args)
               if k.startswith('damos_') and k != 'damos_action')


def schemes(args):
    """The schemes the --damos_* options of args describe, checked."""
    actions = getattr(args, 'damos_action', None)
    if not actions:
        if actions is not None and _any_given(args):
            raise DamoError('--damos_* options need --damos_action (one '
                            'per scheme)')
        return []
    n = len(actions)
    quotas = _split_quotas(args)
    for name, given in (('sz_region', args.damos_sz_region),
                        ('access_rate', args.damos_access_rate),
                        ('age', args.damos_age),
                        ('apply_interval', args.damos_apply_interval),
                        ('quotas', quotas),
                        ('wmarks', args.damos_wmarks)):
        if len(given) > n:
            raise DamoError('%d --damos_%s for %d scheme(s): one at most '
                            'per --damos_action' % (len(given), name, n))
    nr_filters = _counts(args.damos_nr_filters, len(args.damos_filter), n,
                         'filters')
    nr_goals = _counts(args.damos_nr_quota_goals,
                       len(args.damos_quota_goal), n, 'quota_goals')
    filters = [_filter(f) for f in args.damos_filter]
    goals = [_goal(g) for g in args.damos_quota_goal]
    out = []
    for i, words in enumerate(actions):
        action = words[0]
        if action not in damos.ACTIONS:
            raise DamoError('--damos_action: unknown action %r (%s)' % (
                action, ', '.join(damos.ACTIONS)))
        nid = None
        if action in damos.MIGRATE_ACTIONS:
            if len(words) != 2:
                raise DamoError('--damos_action %s needs the target NUMA '
                                'node after it' % action)
            nid = _int(words[1], '--damos_action %s' % action, 0)
        elif len(words) != 1:
            raise DamoError('--damos_action %s takes no argument' % action)

        def nth(values, default):
            return values[i] if i < len(values) else default
        f0, g0 = sum(nr_filters[:i]), sum(nr_goals[:i])
        out.append(Scheme(
            action, nid,
            sz=_range(nth(args.damos_sz_region, ('min', 'max')), _size,
                      '--damos_sz_region'),
            rate=_range(nth(args.damos_access_rate, ('min', 'max')),
                        _percent, '--damos_access_rate'),
            age_us=_range(nth(args.damos_age, ('min', 'max')), _us,
                          '--damos_age'),
            apply_interval_us=_us(nth(args.damos_apply_interval, '0'),
                                  '--damos_apply_interval', False),
            quota=nth(quotas, None),
            wmarks=_wmarks(args.damos_wmarks[i])
            if i < len(args.damos_wmarks) else None,
            filters=filters[f0:f0 + nr_filters[i]],
            goals=goals[g0:g0 + nr_goals[i]]))
    if any(s.goals and not s.quota[2] for s in out):
        raise DamoError('quota goals need a quota reset interval '
                        '(--damos_quotas or --damos_quota_interval)')
    return out


def given(args):
    """Whether any DAMOS option was given."""
    return bool(getattr(args, 'damos_action', None)) or _any_given(args)

