# SPDX-License-Identifier: GPL-2.0
"""In-memory form of monitoring results, whatever file they came from.

A record is a list of snapshots in time order.  A snapshot is one
aggregation interval's result: when it ended (nanoseconds, in whatever clock
the kernel used) and, per monitoring target, the regions with the number of
samples that found them accessed (nr_accesses).
"""

import collections

Region = collections.namedtuple('Region', 'start end nr_accesses')


class TargetSnapshot:
    """The regions of one target in one snapshot, in address order."""

    __slots__ = ('target_id', 'regions')

    def __init__(self, target_id, regions):
        self.target_id = target_id
        self.regions = regions

    def __eq__(self, other):
        return (isinstance(other, TargetSnapshot) and
                self.target_id == other.target_id and
                list(self.regions) == list(other.regions))

    def __repr__(self):
        return 'TargetSnapshot(%r, %r)' % (self.target_id, self.regions)


class Snapshot:
    """One aggregation interval: end time in ns and the targets' regions."""

    __slots__ = ('end_ns', 'targets')

    def __init__(self, end_ns, targets):
        self.end_ns = end_ns
        self.targets = targets

    def __eq__(self, other):
        return (isinstance(other, Snapshot) and
                self.end_ns == other.end_ns and
                list(self.targets) == list(other.targets))

    def __repr__(self):
        return 'Snapshot(%r, %r)' % (self.end_ns, self.targets)

    def target(self, target_id):
        for t in self.targets:
            if t.target_id == target_id:
                return t
        return None


class Record:
    """A whole record: snapshots plus how the file was read.

    fmt is a short description of the source format ('binary v2',
    'tracepoint text', ...).  warning, when set, says what part of the input
    could not be used (e.g. a truncated last snapshot).
    """

    def __init__(self, snapshots, fmt, warning=None):
        self.snapshots = snapshots
        self.fmt = fmt
        self.warning = warning

    def target_ids(self):
        """Target ids in order of first appearance."""
        seen = []
        for snap in self.snapshots:
            for t in snap.targets:
                if t.target_id not in seen:
                    seen.append(t.target_id)
        return seen


def region_size(r):
    return r.end - r.start
