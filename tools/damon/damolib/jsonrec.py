# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's JSON records: ``json`` and ``json_compressed``.

The file is a JSON list with one object per monitoring target.  The keys
damo reads and writes (numbers are decimal strings unless said otherwise;
reading also takes the forms of numtext.py, e.g. "4,096" or "100 ms")::

    kdamond_idx, context_idx   integer or null
    intervals                  {sample_us, aggr_us, ops_update_us,
                                intervals_goal: {access_bp, aggrs,
                                min_sample_us, max_sample_us}} or null
    scheme_idx                 integer or null (null: monitoring results)
    target_id                  integer
    scheme_filters             list (empty for monitoring results)
    data_source                string (optional)
    snapshots                  list, in time order, of
        start_time, end_time   nanoseconds
        total_bytes            bytes, or null
        damos_stats            null for monitoring results
        sample_interval_us     null or microseconds
        regions                list of
            start, end         bytes
            nr_accesses        {samples: integer, percent: null or number}
            age                {usec: null or us, aggr_intervals: count}
            probe_hits         list
            sz_filter_passed   bytes ("0 B")

``json_compressed`` is that text compressed into one zlib stream (as
Python's zlib.compress() makes; not gzip).  damo 3.x tells the two apart
with file(1) and, on Debian 12, reads only the compressed form (file 5.44
calls plain JSON "JSON text data", a name 3.x does not expect).

Reading checks that every value fits what DAMON can report (and the
binary format can hold): addresses below 2^64, nr_accesses below 2^32,
ages and times not negative, target ids that a 64-bit field holds.  Each
snapshot's regions are sorted by address, and regions that overlap are
refused: reports assume the regions of a snapshot are disjoint.

What damo writes for what its own records do not know: kdamond and
context index 0 (damo uses one of each), the intervals of the record when
known, otherwise DAMON's default sampling (5 ms, or the aggregation
interval if shorter) and update (1 s) intervals with the aggregation
interval measured from the snapshots' spacing (3.x's reports need
intervals to turn nr_accesses into access rates), and age 0 where the age
is unknown.
"""

import json
import zlib

from . import heats
from .errors import DamoError
from .model import Intervals, Record, Region, merge_target_series, \
    target_id_of
from .numtext import parse_bytes, parse_nr, parse_time

DEFAULT_SAMPLE_US = 5000
DEFAULT_UPDATE_US = 1000000

# DAMON's region fields: unsigned long addresses (64 bits at most) and
# an unsigned int nr_accesses; target ids go in a 64-bit field (a
# negative one is taken modulo 2^64, see model.py).
ADDR_LIMIT = 1 << 64
NR_ACCESSES_LIMIT = 1 << 32
TID_RANGE = (-(1 << 63), 1 << 64)
TIME_LIMIT = 1 << 63


class _Bad(Exception):
    """A value that does not fit the format; the message says where."""


def _get(obj, key, where, parse=None, optional=False):
    if not isinstance(obj, dict):
        raise _Bad('%s is not an object' % where)
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise _Bad('%s has no "%s"' % (where, key))
    if parse is None:
        return obj[key]
    try:
        return parse(obj[key])
    except ValueError as e:
        raise _Bad('%s "%s": %s' % (where, key, e)) from e


def _intervals(obj, where):
    iv = _get(obj, 'intervals', where, optional=True)
    if iv is None:
        return None
    where += ' intervals'
    return Intervals(
        _get(iv, 'sample_us', where, lambda t: parse_time(t, 'us')),
        _get(iv, 'aggr_us', where, lambda t: parse_time(t, 'us')),
        _get(iv, 'ops_update_us', where, lambda t: parse_time(t, 'us')))


def _nr_accesses(obj, where, intervals):
    samples = _get(obj, 'samples', where, parse_nr, optional=True)
    if samples is not None:
        return samples
    percent = _get(obj, 'percent', where, float, optional=True)
    if percent is None:
        raise _Bad('%s has neither samples nor percent' % where)
    if intervals is None or not intervals.sample_us:
        raise _Bad('%s is a percent, but the record has no intervals to '
                   'turn it into samples' % where)
    return int(round(percent * intervals.aggr_us / intervals.sample_us /
                     100))


def _age(obj, where, intervals):
    if obj is None:
        return None
    aggrs = _get(obj, 'aggr_intervals', where, parse_nr, optional=True)
    if aggrs is not None:
        return aggrs
    usec = _get(obj, 'usec', where, lambda t: parse_time(t, 'us'),
                optional=True)
    if usec is None or intervals is None or not intervals.aggr_us:
        return None
    return usec // intervals.aggr_us


def _in_range(value, lo, hi, where, what):
    if not lo <= value < hi:
        text = '%d' % value
        if len(text) > 24:
            text = '%s...(%d digits)' % (text[:6], len(text))
        raise _Bad('%s %s %s is out of range (%d to %d)' % (
            where, what, text, lo, hi - 1))
    return value


def _region(obj, where, intervals):
    start = _get(obj, 'start', where, parse_bytes)
    end = _get(obj, 'end', where, parse_bytes)
    _in_range(start, 0, ADDR_LIMIT, where, 'start')
    _in_range(end, 0, ADDR_LIMIT, where, 'end')
    if end < start:
        raise _Bad('%s ends (%d) before it starts (%d)' % (where, end, start))
    acc = _nr_accesses(_get(obj, 'nr_accesses', where), where +
                       ' nr_accesses', intervals)
    _in_range(acc, 0, NR_ACCESSES_LIMIT, where, 'nr_accesses')
    age = _age(_get(obj, 'age', where, optional=True), where + ' age',
               intervals)
    if age is not None:
        _in_range(age, 0, TIME_LIMIT, where, 'age')
    return Region(start, end, acc, age)


def _regions(objs, where, intervals):
    """The snapshot's regions, sorted by address and disjoint."""
    if not isinstance(objs, list):
        raise _Bad('%s "regions" is not a list' % where)
    regions = sorted((_region(r, '%s region %d' % (where, j), intervals)
                      for j, r in enumerate(objs)),
                     key=lambda r: (r.start, r.end))
    for prev, r in zip(regions, regions[1:]):
        if r.start < prev.end:
            raise _Bad('%s has overlapping regions %#x-%#x and %#x-%#x' % (
                where, prev.start, prev.end, r.start, r.end))
    return regions


def _target_series(obj, where):
    tid = _in_range(_get(obj, 'target_id', where, parse_nr),
                    TID_RANGE[0], TID_RANGE[1], where, 'target_id')
    intervals = _intervals(obj, where)
    snaps = _get(obj, 'snapshots', where)
    if not isinstance(snaps, list):
        raise _Bad('%s "snapshots" is not a list' % where)
    out = []
    prev_end = None
    for i, snap in enumerate(snaps):
        swhere = '%s snapshot %d' % (where, i)
        start = _get(snap, 'start_time', swhere, parse_time, optional=True)
        end = _get(snap, 'end_time', swhere, parse_time)
        _in_range(end, 0, TIME_LIMIT, swhere, 'end_time')
        if start is not None:
            _in_range(start, 0, end + 1, swhere, 'start_time')
        if prev_end is not None and end < prev_end:
            raise _Bad('%s ends before the one before it' % swhere)
        prev_end = end
        out.append((start, end, _regions(_get(snap, 'regions', swhere),
                                          swhere, intervals)))
    return tid, intervals, out


def loads(text, name='record', fmt='json'):
    """Decode damo 3.x JSON text into a Record."""
    try:
        data = json.loads(text)
    except ValueError as e:
        raise DamoError('%s: damaged or truncated JSON record (%s)' % (
            name, e)) from e
    if not isinstance(data, list):
        raise DamoError('%s: not a damo JSON record (expected a list of '
                        'per-target records)' % name)
    series = []
    intervals = None
    per_tid = {}
    try:
        for i, obj in enumerate(data):
            tid, iv, snaps = _target_series(obj, 'record %d' % i)
            intervals = intervals or iv
            per_tid.setdefault(tid, iv)
            series.append((tid, snaps))
    except _Bad as e:
        raise DamoError('%s: not a damo JSON record: %s' % (name, e)) \
            from None
    return Record(merge_target_series(series), fmt, intervals=intervals,
                  target_intervals=per_tid)


def loads_compressed(buf, name='record'):
    """Decode a json_compressed record (a zlib stream of JSON text)."""
    try:
        text = zlib.decompress(buf)
    except zlib.error as e:
        raise DamoError('%s: damaged or truncated compressed record (%s)' %
                        (name, e)) from e
    try:
        text = text.decode('utf-8')
    except UnicodeDecodeError as e:
        raise DamoError('%s: zlib data, but not a damo JSON record' % name) \
            from e
    return loads(text, name, 'json_compressed')


# Writing.

def guess_intervals(rec, tid=None):
    """The intervals of target tid (when the record keeps them per
    target), else the record's, else defaults with the aggregation
    interval measured from the snapshots (see the module doc)."""
    if tid is not None and target_id_of(tid) in rec.target_intervals:
        return rec.target_intervals[target_id_of(tid)]
    if rec.intervals is not None:
        return rec.intervals
    spans = heats.snapshot_intervals(rec.snapshots) if rec.snapshots \
        else []
    gaps = sorted(e - s for s, e in spans)
    aggr = max(1, gaps[len(gaps) // 2] // 1000) if gaps else 100000
    return Intervals(min(DEFAULT_SAMPLE_US, aggr), aggr, DEFAULT_UPDATE_US)


def per_target(rec):
    """[(target id, [(start_ns, end_ns, regions)])] in order of first
    appearance, each target's start times filled in: as stored, else the
    previous snapshot's end, else (the first) its end minus the median
    snapshot length of the record."""
    if not rec.snapshots:
        return []
    spans = heats.snapshot_intervals(rec.snapshots)
    out = {}
    for (guess_start, end), snap in zip(spans, rec.snapshots):
        for t in snap.targets:
            series = out.setdefault(t.target_id, [])
            start = snap.start_ns
            if start is None:
                start = series[-1][1] if series else guess_start
            series.append((start, end, t.regions))
    return list(out.items())


def _region_obj(r):
    return {
        'start': '%d' % r.start,
        'end': '%d' % r.end,
        'nr_accesses': {'samples': r.nr_accesses, 'percent': None},
        'age': {'usec': None, 'aggr_intervals': '%d' % (r.age or 0)},
        'probe_hits': [],
        'sz_filter_passed': '0 B',
    }


def to_objects(rec):
    """The record as the list of per-target objects damo 3.x writes."""
    def intervals(tid):
        iv = guess_intervals(rec, tid)
        return {
            'sample_us': '%d' % iv.sample_us,
            'aggr_us': '%d' % iv.aggr_us,
            'ops_update_us': '%d' % iv.update_us,
            'intervals_goal': {'access_bp': '0', 'aggrs': '0',
                               'min_sample_us': '0', 'max_sample_us': '0'},
        }

    objs = []
    for tid, snaps in per_target(rec):
        objs.append({
            'kdamond_idx': 0,
            'context_idx': 0,
            'intervals': intervals(tid),
            'scheme_idx': None,
            'target_id': tid,
            'scheme_filters': [],
            'snapshots': [{
                'start_time': '%d' % start,
                'end_time': '%d' % end,
                'regions': [_region_obj(r) for r in regions],
                'total_bytes': '%d' % sum(r.end - r.start
                                          for r in regions),
                'damos_stats': None,
                'sample_interval_us': None,
            } for start, end, regions in snaps],
            'data_source': 'unknown',
        })
    return objs


def dumps(rec):
    """The record as damo 3.x's ``json`` text (indented by 4 spaces)."""
    return json.dumps(to_objects(rec), indent=4)


def dumps_compressed(rec):
    """The record as damo 3.x's ``json_compressed`` bytes."""
    return zlib.compress(dumps(rec).encode())
