#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Region counts per aggregation, and why neighbours stay apart.

Reads the traces bench/regions-guest.py left in each DIR (one per kernel
or run) and prints, per scenario: the number of regions per aggregation
(median, p25-p75), the recall of the hot bytes where a truth exists, and
what the regions of a snapshot are: idle (0 accesses), 'sparse' (1 to
half the samples: what a hot window is cut around), 'hot' (more); and,
merging each snapshot as the core does with threshold THRES and no size
limit, how many regions would be left ('merged') and why the boundaries
left stand: between an idle region and a sparse one ('0|s'), between two
sparse ones ('s|s'), between a sparse or idle and a hot one ('x|h'),
between two hot ones ('h|h').

Usage: regions-report.py [--thres 2] [--samples 20] DIR...
"""

import argparse
import glob
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analyze  # noqa: E402


def kind(acc, samples):
    if acc == 0:
        return '0'
    return 's' if acc <= samples // 2 else 'h'


def merge(regions, thres, limit):
    """The regions left after merging like the core does."""
    runs = []
    for s, e, a in regions:
        if runs and runs[-1][1] == s and abs(runs[-1][2] - a) <= thres \
                and e - runs[-1][0] <= limit:
            ps, pe, pa = runs[-1]
            a = (pa * (pe - ps) + a * (e - s)) // (e - ps)
            runs[-1] = (ps, e, a)
            continue
        runs.append((s, e, a))
    return runs


def boundaries(regions, thres, samples):
    """Merge like the core (no size limit); count the kinds of the
    boundaries left, and the regions after merging."""
    left = {'0|s': 0, 's|s': 0, 'x|h': 0, 'h|h': 0}
    runs = []
    for s, e, a in regions:
        if runs and runs[-1][1] == s and abs(runs[-1][2] - a) <= thres:
            ps, pe, pa = runs[-1]
            a = (pa * (pe - ps) + a * (e - s)) // (e - ps)
            runs[-1] = (ps, e, a)
            continue
        runs.append((s, e, a))
    for (_, pe, pa), (s, _, a) in zip(runs, runs[1:]):
        if pe != s:
            continue
        k = ''.join(sorted(kind(pa, samples) + kind(a, samples)))
        if k == '0s':
            left['0|s'] += 1
        elif k == 'ss':
            left['s|s'] += 1
        elif k == 'hh':
            left['h|h'] += 1
        else:
            left['x|h'] += 1
    return len(runs), left


def med(values):
    return statistics.median(values) if values else float('nan')


def report(d, thres, samples):
    for trace in sorted(glob.glob(os.path.join(d, 'acc-*.trace'))):
        name = os.path.basename(trace)[4:-6]
        snaps = analyze.read_snapshots(trace, 0)
        if len(snaps) < 3:
            print('%-24s %s: only %d snapshots' % (name, d, len(snaps)))
            continue
        # The first second is the initial split settling.
        snaps = snaps[10:]
        nr = [len(r) for _, r in snaps]
        kinds = {'0': [], 's': [], 'h': []}
        merged, limited, left = [], [], {'0|s': [], 's|s': [], 'x|h': [], 'h|h': []}
        for _, regions in snaps:
            for k in kinds:
                kinds[k].append(sum(kind(a, samples) == k
                                    for _, _, a in regions))
            m, b = boundaries(regions, thres, samples)
            total = sum(e - s for s, e, _ in regions)
            limited.append(len(merge(regions, thres, total // 10)))
            merged.append(m)
            for k in left:
                left[k].append(b[k])
        rec = ''
        truth = trace[:-6] + '.truth'
        if os.path.exists(truth):
            _b, phases, end = analyze.read_truth(truth)
            rows = analyze.score(analyze.read_snapshots(trace, 0), phases,
                                 end, 0.1, 1.0)
            s = analyze.summary(rows)
            if s:
                rec = '%5.2f %4.0f%% %5.2f' % (s['recall_median'],
                                               100 * s['recall_ge_0.9'],
                                               s['precision_median'])
        print('%-20s %-18s %4d %5.0f %4.0f-%-4.0f %4.0f %4.0f %4.0f %5.0f %5.0f '
              '%4.0f %4.0f %4.0f %4.0f  %s' %
              (name, os.path.basename(d.rstrip('/')), len(nr), med(nr),
               analyze.percentile(nr, 25), analyze.percentile(nr, 75),
               med(kinds['0']), med(kinds['s']), med(kinds['h']),
               med(limited), med(merged), med(left['0|s']), med(left['s|s']),
               med(left['x|h']), med(left['h|h']), rec))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--thres', type=int, default=2)
    ap.add_argument('--samples', type=int, default=20)
    ap.add_argument('dirs', nargs='+')
    args = ap.parse_args()
    print('%-20s %-18s %4s %5s %9s %4s %4s %4s %5s %5s %4s %4s %4s %4s  %s' %
          ('scenario', 'run', 'n', 'nr50', 'p25-p75', 'idle', 'sprs',
           'hot', 'mrgL', 'mrgd', '0|s', 's|s', 'x|h', 'h|h', 'rec50 r>.9 prec50'))
    for d in args.dirs:
        report(d, args.thres, args.samples)
    return 0


if __name__ == '__main__':
    sys.exit(main())
