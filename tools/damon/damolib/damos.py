# SPDX-License-Identifier: GPL-2.0
"""DAMOS schemes: what damo keeps of one, and how each kernel interface
takes it.

A Scheme holds its access pattern in damo 3.x's units (bytes, access rate
in percent, age in us), because that is what users give; the kernel
counts accesses per aggregation interval and age in aggregation
intervals, so the values are converted with the monitoring intervals of
the context the scheme goes to (kernel_pattern()).

debugfs takes a scheme as one line of eighteen numbers (debugfs_line())
and reads it back with five statistics appended (parse_debugfs());
sysfs takes a directory of files per scheme (sysfs_files()).
"""

from .errors import DamoError

U32_MAX = (1 << 32) - 1
U64_MAX = (1 << 64) - 1

# Actions by name; the number is the one the debugfs "schemes" file uses
# (None: debugfs cannot take it).
ACTIONS = {
    'willneed': 0, 'cold': 1, 'pageout': 2, 'hugepage': 3,
    'nohugepage': 4, 'lru_prio': None, 'lru_deprio': None,
    'migrate_hot': None, 'migrate_cold': None, 'stat': 5,
}
MIGRATE_ACTIONS = ('migrate_hot', 'migrate_cold')
DEBUGFS_ACTIONS = {num: name for name, num in ACTIONS.items()
                   if num is not None}
WMARK_METRICS = ('none', 'free_mem_rate')
FILTER_TYPES = ('anon', 'memcg', 'young', 'addr', 'target')
GOAL_METRICS = ('user_input', 'some_mem_psi_us')
STAT_NAMES = ('nr_tried', 'sz_tried', 'nr_applied', 'sz_applied',
              'qt_exceeds')


class Filter:
    """One DAMOS filter: type, whether matching pages are filtered out,
    and the type's argument (memcg path, (start, end), target index)."""

    def __init__(self, ftype, matching, arg=None):
        self.type = ftype
        self.matching = matching
        self.arg = arg


class Scheme:
    """One scheme as damo takes it from its options (see the module doc).

    sz, rate (percent) and age_us are (min, max) pairs; None as max means
    no upper limit.  quota: (ms, bytes, reset ms, (sz, nr_accesses, age)
    weights); wmarks: (metric, interval us, high, mid, low);
    goals: [(metric, target, current)].
    """

    def __init__(self, action, target_nid=None, sz=(0, None),
                 rate=(0, None), age_us=(0, None), apply_interval_us=0,
                 quota=None, wmarks=None, filters=(), goals=()):
        self.action = action
        self.target_nid = target_nid
        self.sz = sz
        self.rate = rate
        self.age_us = age_us
        self.apply_interval_us = apply_interval_us
        self.quota = quota or (0, 0, 0, (0, 0, 0))
        self.wmarks = wmarks or ('none', 0, 0, 0, 0)
        self.filters = list(filters)
        self.goals = list(goals)

    def kernel_pattern(self, sample_us, aggr_us):
        """((sz min, max), (nr_accesses min, max), (age min, max)) in the
        kernel's units for the given intervals."""
        max_nr = max(aggr_us // sample_us, 1)

        def nr(percent):
            return max_nr if percent is None else \
                min(int(percent * max_nr / 100), max_nr)

        def aggrs(us):
            return U32_MAX if us is None else min(us // aggr_us, U32_MAX)

        return ((self.sz[0], U64_MAX if self.sz[1] is None else self.sz[1]),
                (nr(self.rate[0]), nr(self.rate[1])),
                (aggrs(self.age_us[0]), aggrs(self.age_us[1])))

    def describe(self):
        def pair(p, unit):
            return '%s%s-%s' % (p[0], unit, 'max' if p[1] is None else
                                '%s%s' % (p[1], unit))
        return '%s: size %s, access rate %s, age %s' % (
            self.action, pair(self.sz, ''), pair(self.rate, '%'),
            pair(self.age_us, 'us'))


def debugfs_line(scheme, sample_us, aggr_us):
    """The line of the debugfs "schemes" file for scheme."""
    num = ACTIONS[scheme.action]
    if num is None:
        raise DamoError('the debugfs interface has no "%s" action (use '
                        'sysfs)' % scheme.action)
    for what, there in (('takes no filters', scheme.filters),
                        ('takes no quota goals', scheme.goals),
                        ('has no apply interval',
                         scheme.apply_interval_us)):
        if there:
            raise DamoError('the debugfs interface %s (use sysfs)' % what)
    sz, nr, age = scheme.kernel_pattern(sample_us, aggr_us)
    ms, nbytes, reset, weights = scheme.quota
    metric, interval, high, mid, low = scheme.wmarks
    values = (sz + nr + age + (num, ms, nbytes, reset) + tuple(weights) +
              (WMARK_METRICS.index(metric), interval, high, mid, low))
    return ' '.join('%d' % v for v in values)


def parse_debugfs(text):
    """The schemes the debugfs file reads: [{'action', 'sz', 'nr_accesses',
    'age' (pairs, the kernel's units), 'quota', 'wmarks', 'stats'}]."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        try:
            v = [int(x) for x in f]
        except ValueError as e:
            raise DamoError('unexpected line in the debugfs schemes file: '
                            '%r' % line) from e
        if len(v) not in (18, 23):
            raise DamoError('unexpected line in the debugfs schemes file: '
                            '%r' % line)
        out.append({
            'action': DEBUGFS_ACTIONS.get(v[6], str(v[6])),
            'sz': tuple(v[0:2]), 'nr_accesses': tuple(v[2:4]),
            'age': tuple(v[4:6]),
            'quota': (v[7], v[8], v[9], tuple(v[10:13])),
            'wmarks': (WMARK_METRICS[v[13]] if v[13] < len(WMARK_METRICS)
                       else str(v[13]),) + tuple(v[14:18]),
            'stats': dict(zip(STAT_NAMES, v[18:23])) if len(v) == 23
            else None,
        })
    return out


def debugfs_settings(text):
    """The schemes file's text without the statistics: what writing it
    back sets again."""
    return '\n'.join(' '.join(line.split()[:18]) for line in
                     text.splitlines() if line.strip())


def sysfs_files(scheme, sample_us, aggr_us):
    """[(path relative to the scheme's directory, value)] in the order
    they are written; directories made by writing a nr_* file come after
    that file."""
    sz, nr, age = scheme.kernel_pattern(sample_us, aggr_us)
    ms, nbytes, reset, weights = scheme.quota
    metric, interval, high, mid, low = scheme.wmarks
    files = [('action', scheme.action)]
    if scheme.target_nid is not None:
        files.append(('target_nid', scheme.target_nid))
    files.append(('apply_interval_us', scheme.apply_interval_us))
    for name, (lo, hi) in (('sz', sz), ('nr_accesses', nr), ('age', age)):
        # max first: the kernel may check min <= max as each is written.
        files.append(('access_pattern/%s/max' % name, hi))
        files.append(('access_pattern/%s/min' % name, lo))
    files += [('quotas/ms', ms), ('quotas/bytes', nbytes),
              ('quotas/reset_interval_ms', reset)]
    for name, w in zip(('sz_permil', 'nr_accesses_permil', 'age_permil'),
                       weights):
        files.append(('quotas/weights/%s' % name, w))
    files.append(('quotas/goals/nr_goals', len(scheme.goals)))
    for i, (gmetric, target, current) in enumerate(scheme.goals):
        files += [('quotas/goals/%d/target_metric' % i, gmetric),
                  ('quotas/goals/%d/target_value' % i, target),
                  ('quotas/goals/%d/current_value' % i, current)]
    files += [('watermarks/metric', metric),
              ('watermarks/interval_us', interval),
              ('watermarks/high', high), ('watermarks/mid', mid),
              ('watermarks/low', low)]
    files.append(('filters/nr_filters', len(scheme.filters)))
    for i, f in enumerate(scheme.filters):
        base = 'filters/%d/' % i
        files.append((base + 'type', f.type))
        if f.type == 'memcg':
            files.append((base + 'memcg_path', f.arg))
        elif f.type == 'addr':
            files += [(base + 'addr_end', f.arg[1]),
                      (base + 'addr_start', f.arg[0])]
        elif f.type == 'target':
            # Mainline's file name (its usage.rst says target_idx).
            files.append((base + 'damon_target_idx', f.arg))
        files.append((base + 'matching', 'Y' if f.matching else 'N'))
    return files


def format_scheme(i, s):
    """Lines for "damo status" of one scheme as the kernel holds it (a
    dict as parse_debugfs() or sysfs.Sysfs.current() gives)."""
    def rng(p):
        return '%d-%s' % (p[0], 'max' if p[1] in (U32_MAX, U64_MAX)
                          else p[1])
    lines = ['scheme %d: action %s' % (i, s['action'])]
    lines.append('  pattern: size %s bytes, nr_accesses %s, age %s '
                 'aggregations' % (rng(s['sz']), rng(s['nr_accesses']),
                                   rng(s['age'])))
    ms, nbytes, reset, weights = s['quota']
    if ms or nbytes:
        lines.append('  quota: %d ms, %d bytes per %d ms; weights %s' % (
            ms, nbytes, reset, '/'.join(str(w) for w in weights)))
    if s['wmarks'][0] != 'none':
        lines.append('  watermarks: %s every %d us, high %d, mid %d, '
                     'low %d' % s['wmarks'])
    if s.get('filters'):
        lines.append('  filters: %s' % ', '.join(s['filters']))
    if s.get('stats') is not None:
        lines.append('  stats: ' + ', '.join(
            '%s %d' % (k, s['stats'][k]) for k in STAT_NAMES))
    return lines
