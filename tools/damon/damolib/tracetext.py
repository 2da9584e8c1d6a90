# SPDX-License-Identifier: GPL-2.0
"""Monitoring results from the damon:damon_aggregated tracepoint's text.

The tracepoint fires once per region at the end of each aggregation
interval and prints::

    target_id=<id> nr_regions=<n> <start>-<end>: <nr_accesses> <age>

Lines come from ``perf script`` (event shown as ``damon:damon_aggregated``)
or from tracefs ``trace``/``trace_pipe`` (shown as ``damon_aggregated``);
both put the timestamp in seconds, followed by a colon, before the event
name.  Lines for other events, comments and blank lines are skipped.

Grouping into snapshots: one aggregation of a target prints nr_regions
lines back to back.  A target's part of the snapshot is complete once its
nr_regions lines have been seen; the next line for a target that is already
complete in the current snapshot starts a new snapshot.  A snapshot's end
time is the latest timestamp among its lines.  A target whose lines stop
short (events lost when the trace buffer overflowed) is left out of its
snapshot and counted in ``dropped``.
"""

import re

from .model import Region, Record, Snapshot, TargetSnapshot

_LINE = re.compile(
    r'(?P<ts>\d+(?:\.\d+)?):\s+(?:damon:)?damon_aggregated:\s+'
    r'target_id=(?P<tid>-?\d+)\s+nr_regions=(?P<nr>\d+)\s+'
    r'(?P<start>0x[0-9a-fA-F]+|\d+)-(?P<end>0x[0-9a-fA-F]+|\d+):\s+'
    r'(?P<acc>\d+)(?:\s+(?P<age>\d+))?')


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
    tid = int(m.group('tid'))
    if tid >= 1 << 63:
        tid -= 1 << 64
    return (_ts_ns(m.group('ts')), tid, int(m.group('nr')),
            Region(_int(m.group('start')), _int(m.group('end')),
                   int(m.group('acc'))))


class _Pending:
    __slots__ = ('expected', 'regions')

    def __init__(self, expected):
        self.expected = expected
        self.regions = []

    def complete(self):
        return len(self.regions) == self.expected


class Assembler:
    """Turns a stream of event lines into snapshots (see module doc)."""

    def __init__(self):
        self._cur = {}          # target id -> _Pending, insertion ordered
        self._cur_ts = 0
        self.dropped = 0        # incomplete target aggregations left out
        self.events = 0

    def _flush(self):
        targets = []
        for tid, p in self._cur.items():
            if p.complete():
                targets.append(TargetSnapshot(
                    tid, sorted(p.regions, key=lambda r: r.start)))
            else:
                self.dropped += 1
        self._cur = {}
        if not targets:
            return None
        return Snapshot(self._cur_ts, targets)

    def feed(self, line):
        """Feed one line; return the snapshot it completed, or None."""
        ev = parse_line(line)
        if ev is None:
            return None
        return self.feed_event(*ev)

    def feed_event(self, ts, tid, nr_regions, region):
        self.events += 1
        done = None
        p = self._cur.get(tid)
        if p is not None and p.complete():
            done = self._flush()
            p = None
        elif p is not None and (p.expected != nr_regions or
                                region.start < p.regions[-1].end):
            # A target's lines come in address order, once per
            # aggregation; this one belongs to a new aggregation, so lines
            # of the previous one were lost.  Start over.
            self.dropped += 1
            del self._cur[tid]
            p = None
        if p is None:
            if not self._cur:
                self._cur_ts = ts
            p = self._cur[tid] = _Pending(nr_regions)
        p.regions.append(region)
        self._cur_ts = max(self._cur_ts, ts)
        return done

    def finish(self):
        """End of input: return the last snapshot, or None."""
        return self._flush()


def parse_lines(lines, name='trace'):
    """Parse an iterable of text lines into a Record."""
    asm = Assembler()
    snaps = []
    for line in lines:
        snap = asm.feed(line)
        if snap is not None:
            snaps.append(snap)
    snap = asm.finish()
    if snap is not None:
        snaps.append(snap)
    warning = None
    if asm.dropped:
        warning = ('%s: left out %d incomplete target aggregations '
                   '(lost trace events?)' % (name, asm.dropped))
    rec = Record(snaps, 'tracepoint text', warning)
    rec.events = asm.events
    return rec
