# SPDX-License-Identifier: GPL-2.0
"""The time x address x access-frequency matrix behind ``report heats``.

Time runs from the start of the first snapshot to the end of the last.
Snapshot i stands for the interval from its start, when the record keeps
it (damo 3.x's JSON does), or else the end of snapshot i-1, to its own
end; the first snapshot's start, unless recorded, is its end minus the
median spacing of the snapshots (or minus 100 ms, DAMON's default
aggregation interval, when there is only one snapshot).

The time range is cut into `tres` bins and the address range into `ares`
bins, with integer edges (so that results are exact and repeatable).  A
cell's value is the average nr_accesses over its area: each region of each
snapshot adds nr_accesses x (time overlap) x (address overlap), and the sum
is divided by the cell's area.  Addresses no region covers count as zero.
"""

import bisect

from .errors import DamoError

DEFAULT_FIRST_INTERVAL_NS = 100 * 1000 * 1000

# The matrix is held as Python lists (tens of bytes a cell, and more for
# the rows printed from it): 4 million cells cost a few hundred MiB,
# while the 10^10 of "--resol 100000 100000" would need tens of GiB.
# No picture or terminal shows more cells than this anyway.
MAX_CELLS = 4000000


def snapshot_intervals(snapshots):
    """[(start_ns, end_ns)] of each snapshot, see the module doc."""
    ends = [s.end_ns for s in snapshots]
    gaps = sorted(b - a for a, b in zip(ends, ends[1:]) if b > a)
    first = gaps[len(gaps) // 2] if gaps else DEFAULT_FIRST_INTERVAL_NS
    out = []
    prev = ends[0] - first
    for snap in snapshots:
        start = prev if snap.start_ns is None else min(snap.start_ns,
                                                        snap.end_ns)
        out.append((start, snap.end_ns))
        prev = snap.end_ns
    return out


def covered_ranges(snapshots, tid):
    """Merged [start, end) ranges covered by the target's regions in any
    snapshot, each with its access weight (nr_accesses x size x time)."""
    spans = []
    for (t0, t1), snap in zip(snapshot_intervals(snapshots), snapshots):
        t = snap.target(tid)
        if t is None:
            continue
        for r in t.regions:
            spans.append((r.start, r.end, r.nr_accesses * (t1 - t0)))
    spans.sort()
    merged = []     # [start, end, weight]
    for start, end, acc in spans:
        weight = acc * (end - start)
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += weight
        else:
            merged.append([start, end, weight])
    return merged


def default_address_range(snapshots, tid):
    """The covered range with the most accesses (the largest one if there
    were none): a virtual address space has big unmapped gaps between heap,
    mmap area and stack, and drawing them all would squash the picture."""
    merged = covered_ranges(snapshots, tid)
    if not merged:
        raise DamoError('target %s has no regions in the record' % tid)
    best = max(merged, key=lambda m: (m[2], m[1] - m[0], -m[0]))
    return best[0], best[1], len(merged)


def _edges(lo, hi, nbins):
    return [lo + (hi - lo) * i // nbins for i in range(nbins + 1)]


def _spread(edges, lo, hi, value, out):
    """Add value x overlap([lo, hi), bin) to out[bin] for each bin."""
    if hi <= edges[0] or lo >= edges[-1]:
        return
    lo = max(lo, edges[0])
    hi = min(hi, edges[-1])
    i = max(bisect.bisect_right(edges, lo) - 1, 0)
    n = len(edges) - 1
    while i < n and edges[i] < hi:
        ov = min(hi, edges[i + 1]) - max(lo, edges[i])
        if ov > 0:
            out[i] += value * ov
        i += 1


class Heatmap:
    """The matrix plus its axes.

    values[i][j] is the average nr_accesses of time bin i and address bin
    j; time_edges and addr_edges hold the bins' integer boundaries (one
    more than bins).
    """

    def __init__(self, time_edges, addr_edges, values):
        self.time_edges = time_edges
        self.addr_edges = addr_edges
        self.values = values

    def rows(self):
        """(time bin start, address bin start, value) for every cell."""
        for i, row in enumerate(self.values):
            for j, v in enumerate(row):
                yield self.time_edges[i], self.addr_edges[j], v


def compute(snapshots, tid, addr_range, tres, ares, time_range=None):
    """Build the Heatmap of target tid over addr_range = (start, end)."""
    intervals = snapshot_intervals(snapshots)
    t_lo, t_hi = time_range or (intervals[0][0], intervals[-1][1])
    a_lo, a_hi = addr_range
    if t_hi <= t_lo:
        raise DamoError('empty time range')
    if a_hi <= a_lo:
        raise DamoError('empty address range %#x-%#x' % (a_lo, a_hi))
    tres = max(1, min(tres, t_hi - t_lo))
    ares = max(1, min(ares, a_hi - a_lo))
    if tres * ares > MAX_CELLS:
        raise DamoError('a heatmap of %d x %d cells is too large (at most '
                        '%d cells): lower the time or address resolution'
                        % (tres, ares, MAX_CELLS))
    t_edges = _edges(t_lo, t_hi, tres)
    a_edges = _edges(a_lo, a_hi, ares)
    sums = [[0] * ares for _ in range(tres)]
    for (s0, s1), snap in zip(intervals, snapshots):
        t = snap.target(tid)
        if t is None or s1 <= t_lo or s0 >= t_hi:
            continue
        row = [0] * ares
        for r in t.regions:
            if r.nr_accesses:
                _spread(a_edges, r.start, r.end, r.nr_accesses, row)
        tw = [0] * tres
        _spread(t_edges, s0, s1, 1, tw)
        for i, w in enumerate(tw):
            if w:
                dst = sums[i]
                for j, v in enumerate(row):
                    if v:
                        dst[j] += w * v
    values = []
    for i in range(tres):
        tw = t_edges[i + 1] - t_edges[i]
        values.append([sums[i][j] / (tw * (a_edges[j + 1] - a_edges[j]))
                       for j in range(ares)])
    return Heatmap(t_edges, a_edges, values)
