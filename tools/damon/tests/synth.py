#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Synthetic DAMON records, for the demo picture and for tests.

"stairs": a process whose 40 MiB hot set walks up a 256 MiB heap in
steps, while a small 4 MiB area stays warm all the time.  The regions look
like what DAMON's adaptive regions produce: a few tens per snapshot, cut
at the hot set's edges, with some sampling noise in nr_accesses.

Usage: synth.py stairs OUT [--seconds S] [--aggr-ms MS] [--version 1|2]
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

from damolib import recfile  # noqa: E402
from damolib.model import Region, Snapshot, TargetSnapshot  # noqa: E402

MiB = 1 << 20
BASE = 0x7f0000000000


def stairs(seconds=20, aggr_ms=100, steps=5, seed=1):
    """Snapshots of the stairs pattern described in the module doc."""
    rnd = random.Random(seed)
    heap, heap_len = BASE, 256 * MiB
    hot_len = 40 * MiB
    warm = (BASE + 200 * MiB, BASE + 204 * MiB)
    n = int(seconds * 1000 / aggr_ms)
    snaps = []
    for i in range(n):
        step = i * steps // n
        hot = (heap + step * 50 * MiB, heap + step * 50 * MiB + hot_len)
        cuts = {heap, heap + heap_len, hot[0], hot[1], warm[0], warm[1]}
        while len(cuts) < 30:
            cuts.add(heap + rnd.randrange(heap_len // 4096) * 4096)
        cuts = sorted(cuts)
        regions = []
        for start, end in zip(cuts, cuts[1:]):
            if hot[0] <= start < hot[1]:
                acc = rnd.randint(16, 20)
            elif warm[0] <= start < warm[1]:
                acc = rnd.randint(4, 8)
            else:
                acc = 1 if rnd.random() < 0.03 else 0
            regions.append(Region(start, end, acc))
        snaps.append(Snapshot(10 * 10**9 + (i + 1) * aggr_ms * 10**6,
                              [TargetSnapshot(1234, regions)]))
    return snaps


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('pattern', choices=['stairs'])
    p.add_argument('out')
    p.add_argument('--seconds', type=float, default=20)
    p.add_argument('--aggr-ms', type=int, default=100)
    p.add_argument('--version', type=int, choices=(1, 2), default=2)
    args = p.parse_args()
    recfile.write(args.out, stairs(args.seconds, args.aggr_ms),
                  args.version)


if __name__ == '__main__':
    main()
