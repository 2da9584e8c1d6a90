#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the memory that DAMON_RECLAIM leaves resident lies, and why.

Runs the reclaim benchmark's workload and DAMON_RECLAIM (or the same
scheme through sysfs) as bench/reclaim-bench.py does, then, at the times
given, dumps to OUT:

  snap-<t>.txt   the workload's resident pages: virtual page, PFN, and the
                 /proc/kpageflags word of each, so that a resident cold page
                 can be found in the regions;
  trace-<t>.txt  damon_aggregated and damos_before_apply over TRACE_S
                 seconds: every region with nr_accesses and age at each
                 aggregation, and every region the scheme tried;
  vmstat-<t>.txt /proc/vmstat, for the reclaim counters (pgsteal, THP
                 splits, swap-outs);
  stats.json     the scheme's stats at each snapshot.

On the host, --report DIR prints, for each snapshot, the runs of
physical memory where cold pages of the workload stay resident, and the
regions that hold resident memory at three aggregations of the trace,
with their nr_accesses and age.

Usage: reclaim-trace.py --out DIR --bin DIR [--variant ours|sysfs]
                        [--at 30,60] [--trace 3]
       reclaim-trace.py --report DIR
"""

import argparse
import importlib.util
import glob
import json
import os
import re
import struct
import sys
import time

TRACING = '/sys/kernel/tracing'
EVENTS = ('damon/damon_aggregated', 'damon/damos_before_apply')


def load(name):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        name + '.py')
    spec = importlib.util.spec_from_file_location(name.replace('-', '_'),
                                                  path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PAGE = 4096
KPF_THP = 1 << 22


def resident(pid, area):
    """(vaddr, pfn, kpageflags) of each resident page of area."""
    start, end = area
    n = (end - start) // PAGE
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // PAGE * 8)
        raw = f.read(n * 8)
    out = []
    with open('/proc/kpageflags', 'rb') as kf:
        for i, (e,) in enumerate(struct.iter_unpack('<Q', raw)):
            if not e >> 63 & 1:
                continue
            pfn = e & ((1 << 55) - 1)
            kf.seek(pfn * 8)
            flags = struct.unpack('<Q', kf.read(8))[0]
            out.append((start + i * PAGE, pfn, flags))
    return out


def trace(seconds, path):
    gb.write(TRACING + '/buffer_size_kb', 16384)
    gb.write(TRACING + '/trace', '')
    for e in EVENTS:
        gb.write('%s/events/%s/enable' % (TRACING, e), 1)
    time.sleep(seconds)
    for e in EVENTS:
        gb.write('%s/events/%s/enable' % (TRACING, e), 0)
    with open(TRACING + '/trace') as f, open(path, 'w') as o:
        o.write(f.read())


def aggregations(path):
    """The damon_aggregated regions of each aggregation in a trace, and
    the regions damos_before_apply showed: (start, end, nr, age)."""
    aggs, cur, applied = [], [], []
    pat = re.compile(r'(\w+): .* (\d+)-(\d+): (\d+) (\d+)$')
    with open(path) as f:
        for line in f:
            m = pat.search(line.strip())
            if not m:
                continue
            r = tuple(int(x) for x in m.groups()[1:])
            if m.group(1) == 'damos_before_apply':
                applied.append(r)
                continue
            if cur and r[0] < cur[-1][0]:
                aggs.append(cur)
                cur = []
            cur.append(r)
    if cur:
        aggs.append(cur)
    return aggs, applied


def report(d):
    with open(os.path.join(d, 'area')) as f:
        start, _, hot = f.read().split()
    start, hot = int(start, 16), int(hot)
    for snap in sorted(glob.glob(os.path.join(d, 'snap-*.txt')),
                       key=lambda p: int(re.findall(r'\d+', p)[-1])):
        t = re.findall(r'\d+', snap)[-1]
        cold, hotp = [], []
        with open(snap) as f:
            for line in f:
                v, pfn, flags = (int(x, 16) for x in line.split())
                (hotp if v - start < hot else cold).append(
                    (pfn * PAGE, flags))
        print('t %s s: resident hot %.1f MiB, cold %.1f MiB (%.1f MiB of '
              'it in THPs)' % (t, len(hotp) * PAGE / 2**20,
                               len(cold) * PAGE / 2**20,
                               sum(PAGE for _, fl in cold if fl & KPF_THP) /
                               2**20))
        runs = []
        for a in sorted(a for a, _ in cold):
            if runs and runs[-1][1] == a:
                runs[-1][1] = a + PAGE
            else:
                runs.append([a, a + PAGE])
        for lo, hi in runs:
            print('  cold resident %d-%d (%.1f MiB)' %
                  (lo, hi, (hi - lo) / 2**20))
        aggs, applied = aggregations(os.path.join(d, 'trace-%s.txt' % t))
        for lo, hi, nr, age in applied:
            print('  tried %d-%d (%.1f MiB) nr %d age %d' %
                  (lo, hi, (hi - lo) / 2**20, nr, age))
        for i in sorted({len(aggs) // 4, len(aggs) // 2, len(aggs) - 2}):
            if i < 0 or i >= len(aggs):
                continue
            print('  aggregation %d of %d, %d regions:' %
                  (i, len(aggs), len(aggs[i])))
            for lo, hi, nr, age in aggs[i]:
                c = sum(PAGE for a, _ in cold if lo <= a < hi)
                h = sum(PAGE for a, _ in hotp if lo <= a < hi)
                if c or h:
                    print('    %d-%d %6.1f MiB nr %2d age %4d: cold %6.1f '
                          'MiB, hot %6.1f MiB' %
                          (lo, hi, (hi - lo) / 2**20, nr, age, c / 2**20,
                           h / 2**20))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--report')
    ap.add_argument('--out')
    ap.add_argument('--bin')
    ap.add_argument('--variant', default='ours', choices=('ours', 'sysfs'))
    ap.add_argument('--at', default='30,60')
    ap.add_argument('--trace', type=float, default=3)
    args = ap.parse_args()
    if args.report:
        report(args.report)
        return 0
    global rb, gb
    rb = load('reclaim-bench')
    gb = rb.gb
    os.makedirs(args.out, exist_ok=True)
    gb.pin(0, gb.MONITOR_CPU)
    rb.swap_on(2048)
    reclaimer = rb.SysfsScheme() if args.variant == 'sysfs' else rb.Module()
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'hold', '-s', str(rb.SIZE_MIB), '-H',
                      str(rb.HOT_MIB), '-d', '100000', '-P', '0.5'])
    wl.wait_ready()
    wl.started.wait()
    wl.settle()
    with open(os.path.join(args.out, 'area'), 'w') as f:
        f.write('%x %x %d\n' % (wl.area[0], wl.area[1], rb.HOT_MIB << 20))
    with open('/proc/vmstat') as f, \
            open(os.path.join(args.out, 'vmstat-0.txt'), 'w') as o:
        o.write(f.read())
    kdamond = reclaimer.start()
    gb.pin(kdamond, gb.MONITOR_CPU)
    t0 = time.monotonic()
    stats = {}
    for at in (int(x) for x in args.at.split(',')):
        while time.monotonic() - t0 < at:
            time.sleep(0.5)
        gb.log('t %d rss %.1f MiB' % (at, rb.rss(wl.pid) / rb.MIB))
        trace(args.trace, os.path.join(args.out, 'trace-%d.txt' % at))
        pages = resident(wl.pid, wl.area)
        with open(os.path.join(args.out, 'snap-%d.txt' % at), 'w') as o:
            for v, pfn, fl in pages:
                o.write('%x %x %x\n' % (v, pfn, fl))
        with open('/proc/vmstat') as f, \
                open(os.path.join(args.out, 'vmstat-%d.txt' % at), 'w') as o:
            o.write(f.read())
        stats[at] = reclaimer.stats()
        gb.log('t %d stats %s' % (at, stats[at]))
    with open(os.path.join(args.out, 'stats.json'), 'w') as f:
        json.dump(stats, f, indent=1)
    reclaimer.stop()
    wl.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
