# SPDX-License-Identifier: GPL-2.0
"""Records in damo 3.x's formats, written from the format description
alone (independently of damolib's writers), for the reader tests.

The description (what damo 3.3.0 writes): ``json`` is a list of
per-target objects indented by 4 spaces, with addresses written with
thousands separators ("4,096") and times as nanosecond strings;
``json_compressed`` is that text in one zlib stream; ``perf_script`` is
one line per region, ten fields, the targets one after another, and a
fake last snapshot (region 0-0, nr_accesses and age -1) after a target
that has a single snapshot.

Each fixture comes with the snapshots damolib should read from it.
"""

import json
import zlib

from support import S, snap

# Two targets with snapshots at the same times, plus a third (a scheme's
# tried regions would look alike) at other times; ages known.
SERIES = [
    (4242, [
        (1 * S, 2 * S, [(4096, 8192, 3, 1), (8192, 65536, 0, 7)]),
        (2 * S, 3 * S, [(4096, 65536, 1, 0)]),
        (3 * S, 4 * S, [(4096, 16384, 9, 2), (16384, 65536, 0, 3)]),
    ]),
    (77, [
        (1 * S, 2 * S, [(1 << 40, (1 << 40) + 4096, 5, 0)]),
        (2 * S, 3 * S, [(1 << 40, (1 << 40) + 4096, 6, 1)]),
        (3 * S, 4 * S, [(1 << 40, (1 << 40) + 4096, 0, 0)]),
    ]),
]

# What damolib makes of SERIES: one snapshot per end time.
EXPECTED = [
    snap(2 * S, (4242, [(4096, 8192, 3, 1), (8192, 65536, 0, 7)]),
         (77, [(1 << 40, (1 << 40) + 4096, 5, 0)])),
    snap(3 * S, (4242, [(4096, 65536, 1, 0)]),
         (77, [(1 << 40, (1 << 40) + 4096, 6, 1)])),
    snap(4 * S, (4242, [(4096, 16384, 9, 2), (16384, 65536, 0, 3)]),
         (77, [(1 << 40, (1 << 40) + 4096, 0, 0)])),
]

INTERVALS = {'sample_us': '5,000', 'aggr_us': '1,000,000',
             'ops_update_us': '1,000,000',
             'intervals_goal': {'access_bp': '0', 'aggrs': '0',
                                'min_sample_us': '0', 'max_sample_us': '0'}}


def _sep(n):
    return '{:,}'.format(n)


def json_objects(series=SERIES, human=False):
    """The per-target objects.  human=True writes sizes and times the way
    3.x's non-raw output does ("4.000 KiB" is not exact for addresses, so
    only the times and totals change)."""
    objs = []
    for tid, snaps in series:
        snapshots = []
        for start, end, regions in snaps:
            snapshots.append({
                'start_time': ('%d s' % (start // S)) if human
                else '%d' % start,
                'end_time': ('%d s' % (end // S)) if human else '%d' % end,
                'regions': [{
                    'start': _sep(s), 'end': _sep(e),
                    'nr_accesses': {'samples': acc, 'percent': None},
                    'age': {'usec': None, 'aggr_intervals': _sep(age)},
                    'probe_hits': [],
                    'sz_filter_passed': '0 B',
                } for s, e, acc, age in regions],
                'total_bytes': _sep(sum(e - s for s, e, _, _ in regions))
                if not human else '%d B' % sum(e - s for s, e, _, _ in
                                                regions),
                'damos_stats': None,
                'sample_interval_us': None,
            })
        objs.append({
            'kdamond_idx': 0, 'context_idx': 0, 'intervals': INTERVALS,
            'scheme_idx': None, 'target_id': tid, 'scheme_filters': [],
            'snapshots': snapshots, 'data_source': 'unknown',
        })
    return objs


def json_text(series=SERIES, human=False):
    return json.dumps(json_objects(series, human), indent=4)


def json_compressed(series=SERIES):
    return zlib.compress(json_text(series).encode())


def perf_script(series=SERIES):
    lines = []
    for tid, snaps in series:
        snaps = list(snaps)
        if len(snaps) == 1:
            start, end, _ = snaps[0]
            snaps.append((end, 2 * end - start, [(0, 0, -1, -1)]))
        for _, end, regions in snaps:
            for s, e, acc, age in regions:
                lines.append(' '.join([
                    'kdamond.x', 'xxxx', 'xxxx', '%f:' % (end / 1e9),
                    'damon:damon_aggregated:', 'target_id=%d' % tid,
                    'nr_regions=%d' % len(regions), '%d-%d:' % (s, e),
                    '%d' % acc, '%d' % age]))
    return '\n'.join(lines) + '\n'
