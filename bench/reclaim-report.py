#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The reclaim benchmark's report: our DAMON_RECLAIM next to mainline's,
from the <variant>.json files reclaim-bench.py left in RESULTS/<kernel>/.

Prints the table and the targets (at least mainline's saving, at no more
than its slowdown and kdamond CPU), and appends every figure to CSV as
kernel,section,name,metric,value lines.

Usage: reclaim-report.py --results DIR [--csv FILE]
"""

import argparse
import json
import os
import sys

MIB = 1 << 20


VARIANTS = (('ours', 'ours'), ('ours', 'ours-noflush'),
            ('mainline', 'mainline'), ('mainline', 'mainline-sysfs'))


def load(results):
    runs = {}
    for kernel, variant in VARIANTS:
        path = os.path.join(results, kernel, variant + '.json')
        if os.path.exists(path):
            with open(path) as f:
                runs[variant] = json.load(f)
    return runs


def fmt_steady(s):
    return '-' if s is None else '%.0f s' % s


def table(runs):
    first = next(iter(runs.values()))
    st = first['settings']
    print('Reclaim: DAMON_RECLAIM, "hold" workload: %d MiB, %d MiB of it '
          'hot, THP %s; zram swap' % (first['size_mib'], first['hot_mib'],
                                      first.get('thp', '?')))
    print('same parameters on both: min_age %d s, quota %s ms and %d MiB '
          'per %d ms, watermarks %d/%d/%d (always on), %d s of reclaim'
          % (st['min_age'] / 1e6, st['quota_ms'] or 'no', st['quota_sz'] / MIB,
             st['quota_reset_interval_ms'], st['wmarks_high'],
             st['wmarks_mid'], st['wmarks_low'], first['reclaim_s']))
    print('saved = workload RSS before - after (MiB); swap, zram = swap '
          "used and zram's memory for it; slow = fall of the workload's "
          'speed against the window before, over the whole reclaim, its '
          'last 30 s, and the window after it; kdamond = CPU ms per s '
          '(schedstat); steady = time until RSS stays within 2 % of its '
          'fall from the end value')
    print('%-13s %7s %7s %7s %7s %6s %7s %7s %7s %8s %7s' %
          ('kernel', 'rss', 'after', 'saved', 'swap', 'zram',
           'slow', 'slow30', 'after', 'kdamond', 'steady'))
    for kernel, r in runs.items():
        s = r['summary']
        print('%-13s %7.1f %7.1f %7.1f %7.1f %6.1f %6.1f%% %6.1f%% %6.1f%% '
              '%8.1f %7s' %
              (kernel, s['rss_before'] / MIB, s['rss_after'] / MIB,
               s['saved'] / MIB, s['swap_used'] / MIB, s['zram_used'] / MIB,
               100 * s['slowdown'], 100 * s['slowdown_late'],
               100 * s['slowdown_after'],
               s['kdamond_cpu_ns_per_s'] / 1e6, fmt_steady(s['steady_s'])))
    for kernel, r in runs.items():
        st = r['summary']['stats']
        print('%-13s tried %d regions / %.1f MiB, reclaimed %d regions '
              '/ %.1f MiB, quota exceeded %d times' %
              (kernel, st['nr_reclaim_tried_regions'],
               st['bytes_reclaim_tried_regions'] / MIB,
               st['nr_reclaimed_regions'],
               st['bytes_reclaimed_regions'] / MIB, st['nr_quota_exceeds']))


def targets(runs):
    if 'ours' not in runs:
        return
    o = runs['ours']['summary']
    print()
    print('Targets (ours against mainline\'s DAMON_RECLAIM, and against the '
          'same scheme through mainline\'s sysfs):')
    for ref in ('mainline', 'mainline-sysfs'):
        if ref not in runs:
            continue
        m = runs[ref]['summary']
        checks = [
            ('memory saved >= %s' % ref, o['saved'] >= m['saved'],
             '%.1f vs %.1f MiB' % (o['saved'] / MIB, m['saved'] / MIB)),
            ('workload slowdown <= %s' % ref, o['slowdown'] <= m['slowdown'],
             '%.1f%% vs %.1f%%' % (100 * o['slowdown'],
                                   100 * m['slowdown'])),
            ('kdamond CPU <= %s' % ref,
             o['kdamond_cpu_ns_per_s'] <= m['kdamond_cpu_ns_per_s'],
             '%.1f vs %.1f ms/s' % (o['kdamond_cpu_ns_per_s'] / 1e6,
                                    m['kdamond_cpu_ns_per_s'] / 1e6)),
        ]
        for name, ok, detail in checks:
            print('  %-4s  %-42s %s' % ('PASS' if ok else 'MISS', name,
                                         detail))
        print('  INFO  %-42s %s vs %s' % ('time to steady state, ' + ref,
                                          fmt_steady(o['steady_s']),
                                          fmt_steady(m['steady_s'])))
    if 'ours-noflush' in runs:
        n = runs['ours-noflush']['summary']
        print('  INFO  %-42s saved %.1f MiB, slowdown %.1f%%, kdamond %.1f '
              'ms/s' % ('ours without the translation flush',
                        n['saved'] / MIB, 100 * n['slowdown'],
                        n['kdamond_cpu_ns_per_s'] / 1e6))


def csv(runs, path):
    with open(path, 'a') as f:
        for kernel, r in runs.items():
            for metric, value in r['summary'].items():
                if isinstance(value, (int, float)):
                    f.write('%s,reclaim,hold-%d,%s,%s\n' %
                            (kernel, r['size_mib'], metric, value))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--results', required=True)
    ap.add_argument('--csv')
    args = ap.parse_args()
    runs = load(args.results)
    if not runs:
        print('reclaim: no results in %s' % args.results)
        return 1
    table(runs)
    targets(runs)
    if args.csv:
        csv(runs, args.csv)
    return 0


if __name__ == '__main__':
    sys.exit(main())
