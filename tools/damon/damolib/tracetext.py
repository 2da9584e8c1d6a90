# SPDX-License-Identifier: GPL-2.0
"""Monitoring results as damon:damon_aggregated tracepoint text.

The tracepoint fires once per region at the end of each aggregation
interval and prints::

    target_id=<id> nr_regions=<n> <start>-<end>: <nr_accesses> <age>

Lines come from ``perf script`` (event shown as ``damon:damon_aggregated``)
or from tracefs ``trace``/``trace_pipe`` (shown as ``damon_aggregated``);
both put the timestamp in seconds, followed by a colon, before the event
name.  Lines for other events, comments and blank lines are skipped.

One aggregation of a target prints nr_regions lines in address order; a
target's aggregation is complete once its nr_regions lines have been
seen.  A target whose lines stop short (events lost when the trace buffer
overflowed) is left out and counted in ``dropped``.

Targets' aggregations become snapshots in two ways:

- parse_lines() (a whole file) collects each target's aggregations first,
  then puts aggregations of different targets into one snapshot when they
  ended within half an aggregation interval of each other.  So a file
  that lists one target's snapshots after another's (as damo 3.x's
  ``perf_script`` writer does) keeps every target in time order.
- Assembler (a live trace_pipe, in time order) adds each completed
  aggregation to the open snapshot, and starts a new one when that target
  is already in it.

damo 3.x's ``perf_script`` files also carry a fake last snapshot (one
region ``0-0`` with nr_accesses and age -1) for targets that have a single
snapshot, so that its length can be told; parse_lines() drops it and uses
it for that.  write() writes that layout (see its doc).

A snapshot's end time is the latest timestamp among its lines.
"""

import re

from .model import Region, Record, Snapshot, TargetSnapshot

_LINE = re.compile(
    r'(?P<ts>\d+(?:\.\d+)?):\s+(?:damon:)?damon_aggregated:\s+'
    r'target_id=(?P<tid>-?\d+)\s+nr_regions=(?P<nr>\d+)\s+'
    r'(?P<start>0x[0-9a-fA-F]+|\d+)-(?P<end>0x[0-9a-fA-F]+|\d+):\s+'
    r'(?P<acc>-?\d+)(?:\s+(?P<age>-?\d+))?')

# Seconds between snapshots of a record with one snapshot per target, when
# nothing tells: DAMON's default aggregation interval.
_DEFAULT_AGGR_NS = 100 * 1000 * 1000


def _ts_ns(text):
    """'123.456789' seconds -> nanoseconds, without float rounding."""
    sec, _, frac = text.partition('.')
    frac = (frac + '000000000')[:9]
    return int(sec) * 1000000000 + int(frac)


def _int(text):
    return int(text, 0) if text.startswith('0x') else int(text)


def parse_line(line):
    """Return (ts_ns, target_id, nr_regions, Region) or None if the line is
    not a damon_aggregated event."""
    m = _LINE.search(line)
    if not m:
        return None
    # The kernel prints the id unsigned, and damo 3.x keeps it so (some
    # kernels use a pointer, 2^63 or more, as the id): keep it as printed
    # so that perf_script and JSON records of the same run agree.
    tid = int(m.group('tid'))
    age = m.group('age')
    return (_ts_ns(m.group('ts')), tid, int(m.group('nr')),
            Region(_int(m.group('start')), _int(m.group('end')),
                   int(m.group('acc')), None if age is None else int(age)))


def is_fake(region):
    """damo 3.x's marker of the end of a one-snapshot target."""
    return region.start == region.end == 0 and region.nr_accesses < 0


class _Splitter:
    """Cuts each target's lines into aggregations (see the module doc)."""

    def __init__(self):
        self._pending = {}      # target id -> [expected, ts, regions]
        self.dropped = 0
        self.events = 0

    def feed(self, ts, tid, nr_regions, region):
        """Returns (ts, tid, regions) when this line completes an
        aggregation, else None."""
        self.events += 1
        p = self._pending.get(tid)
        if p is not None and (p[0] != nr_regions or
                              region.start < p[2][-1].end):
            # Lines of one aggregation come in address order: this one
            # starts a new aggregation, so lines of the last were lost.
            self.dropped += 1
            p = None
        if p is None:
            p = self._pending[tid] = [nr_regions, ts, []]
        p[1] = max(p[1], ts)
        p[2].append(region)
        if len(p[2]) < p[0]:
            return None
        del self._pending[tid]
        return p[1], tid, sorted(p[2], key=lambda r: r.start)

    def finish(self):
        """End of input: what is still pending was cut short."""
        self.dropped += len(self._pending)
        self._pending = {}


class Assembler:
    """Turns a live, time-ordered stream of event lines into snapshots."""

    def __init__(self):
        self._split = _Splitter()
        self._cur = None        # the open Snapshot

    @property
    def dropped(self):
        return self._split.dropped

    @property
    def events(self):
        return self._split.events

    def feed(self, line):
        """Feed one line; return the snapshot it completed, or None."""
        ev = parse_line(line)
        if ev is None:
            return None
        return self.feed_event(*ev)

    def feed_event(self, ts, tid, nr_regions, region):
        if is_fake(region):
            return None
        agg = self._split.feed(ts, tid, nr_regions, region)
        if agg is None:
            return None
        ts, tid, regions = agg
        done = None
        if self._cur is not None and self._cur.target(tid) is not None:
            done, self._cur = self._cur, None
        if self._cur is None:
            self._cur = Snapshot(ts, [])
        self._cur.targets.append(TargetSnapshot(tid, regions))
        self._cur.end_ns = max(self._cur.end_ns, ts)
        return done

    def finish(self):
        """End of input: return the last snapshot, or None."""
        self._split.finish()
        done, self._cur = self._cur, None
        return done


def _group(aggs):
    """Snapshots from [(ts, tid, regions)] of any order (module doc)."""
    last = {}
    gaps = []
    for ts, tid, _ in sorted(aggs, key=lambda a: (a[1], a[0])):
        if tid in last and ts > last[tid]:
            gaps.append(ts - last[tid])
        last[tid] = ts
    tolerance = min(gaps) // 2 if gaps else 1000000
    snaps = []
    first_ts = None
    for ts, tid, regions in sorted(aggs, key=lambda a: a[0]):
        cur = snaps[-1] if snaps else None
        if cur is None or cur.target(tid) is not None or \
                ts - first_ts > tolerance:
            cur = Snapshot(ts, [])
            snaps.append(cur)
            first_ts = ts
        cur.targets.append(TargetSnapshot(tid, regions))
        cur.end_ns = max(cur.end_ns, ts)
    return snaps


def parse_lines(lines, name='trace'):
    """Parse an iterable of text lines (a whole file) into a Record."""
    split = _Splitter()
    aggs = []
    fakes = {}
    for line in lines:
        ev = parse_line(line)
        if ev is None:
            continue
        if is_fake(ev[3]):
            fakes[ev[1]] = ev[0]
            continue
        agg = split.feed(*ev)
        if agg is not None:
            aggs.append(agg)
    split.finish()
    snaps = _group(aggs)
    # A fake snapshot ends one snapshot length after the target's only
    # real one: that tells when the real one started.
    for tid, fake_end in fakes.items():
        mine = [s for s in snaps if s.target(tid) is not None]
        if len(mine) == 1 and fake_end > mine[0].end_ns:
            mine[0].start_ns = 2 * mine[0].end_ns - fake_end
    warning = None
    if split.dropped:
        warning = ('%s: left out %d incomplete target aggregations '
                   '(lost trace events?)' % (name, split.dropped))
    rec = Record(snaps, 'tracepoint text', warning)
    rec.events = split.events
    return rec


def dumps(per_target):
    """damo 3.x's ``perf_script`` text of [(target id, [(start_ns, end_ns,
    regions)])] (jsonrec.per_target() makes that from a Record).

    Every line has the ten fields damo 3.x splits it into: placeholders
    for the task, pid and cpu, the snapshot's end in seconds (microsecond
    precision, as perf prints it), the event name, target_id, nr_regions,
    START-END, nr_accesses and age (0 when unknown).  Targets follow one
    another; a target with a single snapshot gets the fake one after it.
    """
    out = []

    def line(tid, end, nr, r):
        out.append('kdamond.x xxxx xxxx %d.%06d: damon:damon_aggregated: '
                   'target_id=%d nr_regions=%d %d-%d: %d %d' % (
                       end // 1000000000, end % 1000000000 // 1000, tid,
                       nr, r.start, r.end, r.nr_accesses, r.age or 0))

    for tid, snaps in per_target:
        for _, end, regions in snaps:
            for r in regions:
                line(tid, end, len(regions), r)
        if len(snaps) == 1:
            start, end, _ = snaps[0]
            length = end - start if end > start else _DEFAULT_AGGR_NS
            line(tid, end + length, 1, Region(0, 0, -1, -1))
    return ''.join(s + '\n' for s in out)
