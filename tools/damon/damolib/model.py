# SPDX-License-Identifier: GPL-2.0
"""In-memory form of monitoring results, whatever file they came from.

A record is a list of snapshots in time order.  A snapshot is one
aggregation interval's result: when it ended (nanoseconds, in whatever clock
the kernel used) and, per monitoring target, the regions with the number of
samples that found them accessed (nr_accesses) and, where the source format
keeps it, their age (in aggregation intervals; None when unknown).

Target ids are unsigned 64-bit numbers, as the kernel prints them in
the damon_aggregated trace event and damo 3.x writes them: an id given
as a negative number (version 1 records, damo's own older records, -1 for
the physical address space on the command line) is taken modulo 2^64, so
that the same target has the same id whichever format it came from.

Formats that keep one list of snapshots per target (damo 3.x's JSON, perf
script text) are folded into this shape: the targets' snapshots that ended
at the same moment share one Snapshot.
"""

import collections

Region = collections.namedtuple('Region', 'start end nr_accesses age',
                                defaults=(None,))

TID_MASK = (1 << 64) - 1


def target_id_of(value):
    """The unsigned 64-bit form of a target id (see the module doc)."""
    return value & TID_MASK


class Intervals:
    """The monitoring intervals a record was made with, in microseconds."""

    __slots__ = ('sample_us', 'aggr_us', 'update_us')

    def __init__(self, sample_us, aggr_us, update_us):
        self.sample_us = sample_us
        self.aggr_us = aggr_us
        self.update_us = update_us

    def __eq__(self, other):
        return (isinstance(other, Intervals) and
                (self.sample_us, self.aggr_us, self.update_us) ==
                (other.sample_us, other.aggr_us, other.update_us))

    def __repr__(self):
        return 'Intervals(%r, %r, %r)' % (self.sample_us, self.aggr_us,
                                          self.update_us)


class TargetSnapshot:
    """The regions of one target in one snapshot, in address order."""

    __slots__ = ('target_id', 'regions')

    def __init__(self, target_id, regions):
        self.target_id = target_id_of(target_id)
        self.regions = regions

    def __eq__(self, other):
        return (isinstance(other, TargetSnapshot) and
                self.target_id == other.target_id and
                list(self.regions) == list(other.regions))

    def __repr__(self):
        return 'TargetSnapshot(%r, %r)' % (self.target_id, self.regions)


class Snapshot:
    """One aggregation interval: end time in ns and the targets' regions.

    start_ns is when the interval started, for formats that store it
    (None otherwise; see heats.snapshot_intervals() for how it is
    deduced).  Equality ignores it, as formats without it would always
    differ.
    """

    __slots__ = ('end_ns', 'targets', 'start_ns')

    def __init__(self, end_ns, targets, start_ns=None):
        self.end_ns = end_ns
        self.targets = targets
        self.start_ns = start_ns

    def __eq__(self, other):
        return (isinstance(other, Snapshot) and
                self.end_ns == other.end_ns and
                list(self.targets) == list(other.targets))

    def __repr__(self):
        return 'Snapshot(%r, %r)' % (self.end_ns, self.targets)

    def target(self, tid):
        tid = target_id_of(tid)
        for t in self.targets:
            if t.target_id == tid:
                return t
        return None


class Record:
    """A whole record: snapshots plus how the file was read.

    fmt is a short description of the source format ('binary v2',
    'tracepoint text', ...).  warning, when set, says what part of the input
    could not be used (e.g. a truncated last snapshot).  intervals is an
    Intervals when the source says how the record was made, else None;
    target_intervals maps target ids to their own Intervals where the
    source keeps them per target (damo 3.x's JSON: one per kdamond).
    """

    def __init__(self, snapshots, fmt, warning=None, intervals=None,
                 target_intervals=None):
        self.snapshots = snapshots
        self.fmt = fmt
        self.warning = warning
        self.intervals = intervals
        self.target_intervals = {
            target_id_of(t): iv for t, iv in (target_intervals or {}).items()
            if iv is not None}

    def target_ids(self):
        """Target ids in order of first appearance."""
        seen = []
        for snap in self.snapshots:
            for t in snap.targets:
                if t.target_id not in seen:
                    seen.append(t.target_id)
        return seen


def merge_target_series(series):
    """Fold per-target snapshot lists into one time-ordered list.

    series is a list of (target id, [(start_ns or None, end_ns, regions)])
    pairs.  Snapshots of different targets that ended at the same time
    share one Snapshot; the rest are kept apart, so that every target's
    snapshots stay in time order whatever order the targets came in.
    """
    by_end = {}
    for tid, snaps in series:
        for start, end, regions in snaps:
            snap = by_end.get(end)
            if snap is None or snap.target(tid) is not None:
                if snap is not None:
                    # The same target twice at one time: keep both.
                    end_key = (end, len(by_end))
                else:
                    end_key = end
                snap = by_end[end_key] = Snapshot(end, [], start)
            elif snap.start_ns is None:
                snap.start_ns = start
            snap.targets.append(TargetSnapshot(tid, regions))
    return sorted(by_end.values(), key=lambda s: s.end_ns)


def region_size(r):
    return r.end - r.start
