#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare what DAMON saw with what a workload really did.

Reads the damon:damon_aggregated tracepoint text (tracefs 'trace' file or
'perf script' output, with the 'mono' trace clock) and the ground truth that
bench/workload prints, and reports, per aggregation snapshot of the workload's
target, the hot bytes' recall and precision and the working-set size DAMON
reports (bytes of regions with nr_accesses > 0).

The truth is bench/workload's output: "start <seconds>" and lines of
"truth <seconds since start> <pid> <hot start> <hot end>" (hex).  Several
truth lines with the same time make one phase whose hot set is all their
ranges, which is how a physical view of a hot set is given (see
bench/guest-bench.py).

Usage: analyze.py --trace FILE --truth FILE [--target N] [--skip SECONDS]
                  [--settle SECONDS] [--table] [--csv FILE]
"""

import argparse
import re
import statistics
import sys

EVENT = re.compile(r'\s(\d+\.\d+): damon_aggregated: target_id=(\d+) '
                   r'nr_regions=(\d+) (\d+)-(\d+): (\d+) (\d+)')


def read_snapshots(path, target=None):
    """Return [(time, [(start, end, nr_accesses), ...]), ...] of one target.

    A snapshot is complete once nr_regions events of the target are read.
    """
    snaps, cur, want = [], [], None
    with open(path, errors='replace') as f:
        for line in f:
            m = EVENT.search(line)
            if not m:
                continue
            t, tid, nr, start, end, acc, _age = m.groups()
            if target is not None and int(tid) != target:
                continue
            if not cur:
                want = int(nr)
            cur.append((int(start), int(end), int(acc)))
            if len(cur) == want:
                snaps.append((float(t), cur))
                cur = []
    return snaps


def read_truth(path):
    """Return (start time, [(t_abs, [(hot start, hot end), ...]), ...],
    end time); the ranges of a phase are sorted."""
    base, phases, end = None, [], None
    with open(path) as f:
        for line in f:
            w = line.split()
            if w and w[0] == 'start':
                base = float(w[1])
            elif w and w[0] == 'truth':
                t, rng = float(w[1]), (int(w[3], 16), int(w[4], 16))
                if phases and phases[-1][0] == t:
                    phases[-1][1].append(rng)
                else:
                    phases.append((t, [rng]))
            elif w and w[0] == 'done':
                end = float(w[1])
    if base is None:
        raise ValueError(f'{path}: no "start" line')
    return base, [(base + t, sorted(r)) for t, r in phases], \
        base + end if end is not None else None


def hot_at(phases, t0, t1, settle=0.0):
    """The hot ranges if a single phase covers [t0, t1] and had begun at
    least settle seconds before t0, else None."""
    for i, (start, ranges) in enumerate(phases):
        nxt = phases[i + 1][0] if i + 1 < len(phases) else float('inf')
        if start <= t0 and t1 <= nxt:
            return ranges if t0 >= start + settle or i == 0 else None
    return None


def overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def overlap_total(a, b):
    """Bytes shared by two sorted lists of disjoint (start, end) ranges."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        total += overlap(a[i][0], a[i][1], b[j][0], b[j][1])
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def score(snaps, phases, end, aggr, skip, settle=0.0):
    """Score each snapshot against the truth of the window it covers.

    A window runs from the previous snapshot's time (or aggr seconds before
    the first one): when the guest is slow, windows are longer than the
    aggregation interval, and one that spans a change of the hot set says
    nothing about accuracy, so it is left out, as are windows that start
    less than settle seconds into a phase (DAMON needs a few aggregations
    to split its regions along a new hot set).
    """
    rows = []
    first = phases[0][0] if phases else 0
    prev = None
    for t, regions in snaps:
        t0 = prev if prev is not None else t - aggr
        prev = t
        if t0 < first + skip or (end is not None and t > end):
            continue
        hot = hot_at(phases, t0, t, settle)
        if hot is None:
            continue
        accessed = sorted((s, e) for s, e, a in regions if a > 0)
        wss = sum(e - s for s, e in accessed)
        found = overlap_total(accessed, hot)
        hot_bytes = sum(e - s for s, e in hot)
        recall = found / hot_bytes if hot_bytes else 1.0
        precision = found / wss if wss else 0.0
        rows.append((t - first, hot_bytes, wss, recall, precision,
                     len(regions)))
    return rows


def percentile(values, pct):
    """The pct-th percentile of values, interpolated between neighbours."""
    v = sorted(values)
    if not v:
        return float('nan')
    k = (len(v) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def summary(rows):
    """Percentiles of the working set size, recall and precision."""
    if not rows:
        return None
    wss = [r[2] for r in rows]
    rec = [r[3] for r in rows]
    prec = [r[4] for r in rows]
    out = {'snapshots': len(rows),
           'hot_bytes': statistics.median(r[1] for r in rows),
           'recall_median': statistics.median(rec),
           'recall_ge_0.9': sum(r >= 0.9 for r in rec) / len(rec),
           'precision_median': statistics.median(prec),
           'precision_ge_0.9': sum(p >= 0.9 for p in prec) / len(prec),
           'regions_median': statistics.median(r[5] for r in rows)}
    for pct in (5, 25, 50, 75, 95):
        out['wss_p%d' % pct] = percentile(wss, pct)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--trace', required=True)
    ap.add_argument('--truth', required=True)
    ap.add_argument('--target', type=int, default=0)
    ap.add_argument('--aggr', type=float, default=0.1,
                    help='aggregation interval in seconds (default 0.1)')
    ap.add_argument('--skip', type=float, default=1.0,
                    help='seconds after the start not scored (default 1)')
    ap.add_argument('--settle', type=float, default=0.0,
                    help='seconds after each change of the hot set not '
                    'scored (default 0)')
    ap.add_argument('--table', action='store_true',
                    help='print one row per second')
    ap.add_argument('--csv')
    args = ap.parse_args()

    snaps = read_snapshots(args.trace, args.target)
    _base, phases, end = read_truth(args.truth)
    rows = score(snaps, phases, end, args.aggr, args.skip, args.settle)
    if not rows:
        print('analyze: no snapshot overlaps the workload', file=sys.stderr)
        return 1
    if args.csv:
        with open(args.csv, 'w') as f:
            f.write('time,hot_bytes,wss_bytes,recall,precision,nr_regions\n')
            for r in rows:
                f.write('%.3f,%d,%d,%.4f,%.4f,%d\n' % r)
    if args.table:
        print('%7s %12s %12s %7s %9s %8s' % ('time', 'hot MiB', 'seen MiB',
                                             'recall', 'precision',
                                             'regions'))
        last = -1
        for t, hot, wss, rec, prec, nr in rows:
            if int(t) != last:
                last = int(t)
                print('%6.1fs %12.1f %12.1f %7.2f %9.2f %8d' %
                      (t, hot / 2**20, wss / 2**20, rec, prec, nr))
    wss = [r[2] for r in rows]
    rec = [r[3] for r in rows]
    prec = [r[4] for r in rows]
    print('snapshots %d  hot %.1f MiB  wss median %.1f MiB  '
          'recall median %.2f (>=0.9 in %d%%)  precision median %.2f '
          '(>=0.9 in %d%%)' %
          (len(rows), rows[0][1] / 2**20, statistics.median(wss) / 2**20,
           statistics.median(rec),
           100 * sum(r >= 0.9 for r in rec) // len(rec),
           statistics.median(prec),
           100 * sum(p >= 0.9 for p in prec) // len(prec)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
