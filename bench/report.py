#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the raw results of bench/guest-bench.py into the benchmark's report.

Reads DIR/ours and DIR/mainline (either may be missing), prints the tables
and the targets with PASS or MISS, writes a CSV (kernel, section, name,
metric, value) and, with gnuplot, PNG plots into OUT.  The paddr_fault
part, when it ran, gets a table of its own.

Usage: report.py --results DIR --out OUT [--settle S] [--skip S]
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import analyze  # noqa: E402

MIB = 2**20
KERNELS = ('ours', 'mainline')
SCENARIOS = ('stairs-vaddr', 'zigzag-vaddr', 'stairs-vaddr-4k',
             'zigzag-vaddr-4k', 'stairs-paddr', 'zigzag-paddr',
             'stairs-vaddr-noflush', 'zigzag-vaddr-noflush',
             'stairs-paddr_fault', 'zigzag-paddr_fault')
# The hold windows of the paddr_fault part, not of the overhead table.
FAULT_KINDS = ('paddr', 'paddr_fault')


def load(results):
    data = {}
    for k in KERNELS:
        path = os.path.join(results, k, 'results.json')
        if os.path.exists(path):
            with open(path) as f:
                data[k] = json.load(f)
            data[k]['dir'] = os.path.join(results, k)
    return data


def accuracy(data, args):
    """{(kernel, scenario): summary dict}, and per-snapshot series."""
    acc, series = {}, {}
    for k, res in data.items():
        for name, meta in res['accuracy'].items():
            trace = os.path.join(res['dir'], 'acc-%s.trace' % name)
            truth = os.path.join(res['dir'], 'acc-%s.truth' % name)
            snaps = analyze.read_snapshots(trace, 0)
            _base, phases, end = analyze.read_truth(truth)
            rows = analyze.score(snaps, phases, end, 0.1, args.skip,
                                 args.settle)
            s = analyze.summary(rows) or {'snapshots': 0}
            s['kdamond_cpu_per_s'] = meta['kdamond_cpu_per_s']
            s.update(spread('kdamond_cpu',
                            meta.get('kdamond_cpu_samples') or []))
            s['lost'] = meta['lost']
            acc[(k, name)] = s
            first = phases[0][0] if phases else 0
            series[(k, name)] = (
                [(t - first, sum(e - s_ for s_, e, a in r if a) / MIB)
                 for t, r in snaps],
                [(t - first, sum(e - s_ for s_, e in rng) / MIB)
                 for t, rng in phases], (end or first) - first)
    return acc, series


def spread(name, samples):
    """{name_p25, name_p50, name_p75} of samples, or {} without any."""
    if not samples:
        return {}
    if len(samples) == 1:
        q = samples * 3
    else:
        q = statistics.quantiles(samples, n=4, method='inclusive')
    return {name + '_p25': q[0], name + '_p50': q[1], name + '_p75': q[2]}


def overhead(data):
    """{(kernel, kind, gib): {cpu_per_s, slowdown, ...}}.

    The slowdown of a monitored window is measured against the speed of
    the unmonitored windows right before and after it: each second of the
    window against the median second of those two, so that the spread of
    the slowdown shows too.  Results without per-second samples (older
    runs) compare whole windows.
    """
    out = {}
    for k, res in data.items():
        wins = res['overhead']
        for i, w in enumerate(wins):
            if w['kind'] == 'none':
                continue
            near = [wins[j] for j in (i - 1, i + 1)
                    if 0 <= j < len(wins) and wins[j]['kind'] == 'none'
                    and wins[j]['size_gib'] == w['size_gib']]
            rec = dict(w)
            if near and all(n.get('rates') for n in near) and w.get('rates'):
                base = statistics.median([r for n in near
                                          for r in n['rates']])
                rec.update(spread('slowdown',
                                  [1 - r / base for r in w['rates']]))
                rec['slowdown'] = rec['slowdown_p50']
            else:
                base = (statistics.mean(n['passes_per_s'] for n in near)
                        if near else float('nan'))
                rec['slowdown'] = 1 - w['passes_per_s'] / base
            rec['base_passes_per_s'] = base
            rec.update(spread('cpu', w.get('cpu_samples') or []))
            faults_per_s(rec, w, near)
            # The figure compared everywhere: the median second when
            # there are per-second samples.
            rec['cpu'] = rec.get('cpu_p50', w.get('cpu_per_s'))
            out[(k, w['kind'], w['size_gib'])] = rec
    return out


def faults_per_s(rec, w, near):
    """The page faults per second that monitoring made the workload take:
    its minor faults in the window, less those of the unmonitored windows
    around it (none once its mapping is populated); and what each cost
    it, in ns: the time it lost per second (its slowdown), divided by
    them."""
    if w.get('faults') is None or not w.get('seconds'):
        return
    base = [n['faults'] / n['seconds'] for n in near
            if n.get('faults') is not None and n.get('seconds')]
    rec['faults_per_s'] = w['faults'] / w['seconds'] - \
        (statistics.mean(base) if base else 0)
    if rec['faults_per_s'] < 1:
        return
    for q in ('', '_p25', '_p75'):
        if 'slowdown' + q in rec:
            rec['ns_per_fault' + q] = \
                rec['slowdown' + q] * 1e9 / rec['faults_per_s']


def fmt(v, spec='%.3f'):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return '-'
    if isinstance(v, float) and math.isinf(v):
        return 'inf'
    return spec % v


def cpu_slow(rec, spec='%.4f'):
    """The CPU and slowdown columns of a window, formatted."""
    return (fmt(rec.get('cpu'), spec),
            fmt(100 * rec['slowdown'] if rec else None, '%.1f'))


def ratio(a, b):
    if a is None or b is None:
        return None
    if b == 0:
        return float('inf') if a > 0 else float('nan')
    return a / b


def print_accuracy(acc, csv):
    print('Accuracy: default attributes (5 ms sampling, 100 ms aggregation, '
          '1 s update, 10-1000 regions)')
    print('WSS = bytes in regions with nr_accesses > 0 per aggregation, MiB; '
          'err = (WSS p50 - hot) / hot; cpu/s = kdamond CPU s/s, median '
          'second (schedstat)')
    hdr = ('%-9s %-21s %5s %6s %6s %6s %6s %6s %7s %6s %5s %6s %5s %6s %4s'
           % ('kernel', 'scenario', 'hot', 'p5', 'p25', 'p50', 'p75', 'p95',
              'err', 'rec50', 'r>.9', 'prec50', 'p>.9', 'cpu/s', 'n'))
    print(hdr)
    for name in SCENARIOS:
        for k in KERNELS:
            s = acc.get((k, name))
            if not s:
                continue
            if not s['snapshots']:
                print('%-9s %-21s no snapshot scored' % (k, name))
                continue
            err = (s['wss_p50'] - s['hot_bytes']) / s['hot_bytes']
            print('%-9s %-21s %5.1f %6.1f %6.1f %6.1f %6.1f %6.1f %+6.1f%% '
                  '%6.2f %4.0f%% %6.2f %4.0f%% %6.3f %4d' %
                  (k, name, s['hot_bytes'] / MIB, s['wss_p5'] / MIB,
                   s['wss_p25'] / MIB, s['wss_p50'] / MIB, s['wss_p75'] / MIB,
                   s['wss_p95'] / MIB, 100 * err, s['recall_median'],
                   100 * s['recall_ge_0.9'], s['precision_median'],
                   100 * s['precision_ge_0.9'],
                   s.get('kdamond_cpu_p50', s['kdamond_cpu_per_s']),
                   s['snapshots']))
            s['wss_err'] = err
            for m, v in sorted(s.items()):
                csv.append((k, 'accuracy', name, m, v))


def print_overhead(ovh, data, csv):
    sizes = sorted({g for (_k, _kind, g) in ovh})
    print('Overhead: hold workload, 10 MiB hot in a mapping of N GiB '
          '(4 KiB pages)')
    print('cpu = CPU seconds per second of monitoring, median second '
          '(kdamond, schedstat ns; or the page_idle scanner: one scan\'s '
          'CPU / 100 ms); slow = workload slowdown, median second, against '
          'the unmonitored windows around')
    # Ours without the flush, and with the waiting flush, come with
    # BENCH_EXTRAS=1 only.
    cols = [('ours cpu', ('ours', 'damon'), '%.4f')]
    if any(kind == 'damon-wait' for (_k, kind, _g) in ovh):
        print('wait = ours waiting for the other CPUs to flush (the flush '
              'of earlier runs; flush_sampled_tlb_wait=Y)')
        cols.append(('wait', ('ours', 'damon-wait'), '%.4f'))
    if any(kind == 'damon-noflush' for (_k, kind, _g) in ovh):
        cols.append(('noflush', ('ours', 'damon-noflush'), '%.4f'))
    cols += [('mainline', ('mainline', 'damon'), '%.4f'),
             ('fullscan', ('ours', 'page_idle'), '%.3f')]
    print('%4s' % 'GiB' + ''.join('  %9s %7s' % (c[0], 'slow')
                                   for c in cols) +
          '  %8s %8s' % ('ours/ml', 'full/our'))
    for g in sizes:
        o = ovh.get(('ours', 'damon', g), {})
        m = ovh.get(('mainline', 'damon', g), {})
        p = ovh.get(('ours', 'page_idle', g), {})
        line = '%4d' % g
        for _title, (k, kind), form in cols:
            line += '  %9s %6s%%' % cpu_slow(ovh.get((k, kind, g), {}), form)
        print(line + '  %8s %8s' % (
            fmt(ratio(o.get('cpu'), m.get('cpu')), '%.2f'),
            fmt(ratio(p.get('cpu'), o.get('cpu')), '%.0f')))
    spreads = [(k, kind, g) for (k, kind, g), r in sorted(ovh.items())
               if 'cpu_p25' in r or 'slowdown_p25' in r]
    if spreads:
        print('Spread (25th-75th percentile of the seconds of a window):')
        for key in spreads:
            r = ovh[key]
            print('  %-9s %-14s %2d GiB  cpu %s-%s  slow %s%%-%s%%' %
                  (key[0], key[1], key[2], fmt(r.get('cpu_p25'), '%.4f'),
                   fmt(r.get('cpu_p75'), '%.4f'),
                   fmt(100 * r['slowdown_p25'] if 'slowdown_p25' in r
                       else None, '%.1f'),
                   fmt(100 * r['slowdown_p75'] if 'slowdown_p75' in r
                       else None, '%.1f')))
    for (k, kind, g), rec in sorted(ovh.items()):
        for m in ('cpu', 'cpu_per_s', 'cpu_p25', 'cpu_p75', 'slowdown',
                  'slowdown_p25', 'slowdown_p75', 'passes_per_s',
                  'base_passes_per_s', 'cpu_per_scan', 'scans'):
            if m in rec:
                csv.append((k, 'overhead', '%s-%dGiB' % (kind, g), m,
                            rec[m]))
    for k, res in data.items():
        if res.get('skipped_sizes'):
            print('%s: sizes %s GiB skipped: the guest has %.1f GiB' %
                  (k, ','.join(map(str, res['skipped_sizes'])),
                   res['mem_bytes'] / 2**30))


def print_fault(ovh, csv):
    """The hold windows of the paddr_fault part: paddr and paddr_fault
    monitoring all RAM, one process keeping 10 MiB hot."""
    sizes = sorted({g for (_k, _kind, g) in ovh})
    if not sizes:
        return
    print('paddr_fault: hold workload, 10 MiB hot in a mapping of N GiB '
          '(4 KiB pages), all RAM monitored')
    print('cpu = kdamond CPU s/s, median second (schedstat ns); slow = '
          'workload slowdown, median second; faults/s = page faults '
          'paddr_fault made the workload take (its minor faults); ns/fault '
          '= slow x 1 s / faults/s (p25-p75 of the slowdown); beyond paddr '
          '= (slow - paddr\'s slow) x 1 s / faults/s')
    print('%4s  %9s %7s  %9s %7s  %8s %9s %15s %11s' %
          ('GiB', 'paddr cpu', 'slow', 'fault cpu', 'slow', 'faults/s',
           'ns/fault', 'p25-p75', 'beyond pa'))
    for g in sizes:
        pa = ovh.get(('ours', 'paddr', g), {})
        pf = ovh.get(('ours', 'paddr_fault', g), {})
        beyond = None
        if pa and pf and pf.get('faults_per_s', 0) >= 1:
            beyond = (pf['slowdown'] - pa['slowdown']) * 1e9 / \
                pf['faults_per_s']
            pf['ns_per_fault_beyond_paddr'] = beyond
        print('%4d  %9s %6s%%  %9s %6s%%  %8s %9s %15s %11s' %
              ((g,) + cpu_slow(pa) + cpu_slow(pf) +
               (fmt(pf.get('faults_per_s'), '%.0f'),
               fmt(pf.get('ns_per_fault'), '%.0f'),
               '%s..%s' % (fmt(pf.get('ns_per_fault_p25'), '%.0f'),
                           fmt(pf.get('ns_per_fault_p75'), '%.0f')),
               fmt(beyond, '%.0f'))))
    for (k, kind, g), rec in sorted(ovh.items()):
        for m in ('cpu', 'cpu_per_s', 'cpu_p25', 'cpu_p75', 'slowdown',
                  'slowdown_p25', 'slowdown_p75', 'passes_per_s',
                  'base_passes_per_s', 'faults_per_s', 'ns_per_fault',
                  'ns_per_fault_p25', 'ns_per_fault_p75',
                  'ns_per_fault_beyond_paddr'):
            if m in rec:
                csv.append((k, 'paddr_fault', '%s-%dGiB' % (kind, g), m,
                            rec[m]))


def fault_targets(acc, ovh):
    """paddr_fault against the bars of paddr, and its costs."""
    out = []
    for pat in ('stairs', 'zigzag'):
        s = acc.get(('ours', pat + '-paddr_fault'))
        if not s or not s['snapshots']:
            continue
        err = (s['wss_p50'] - s['hot_bytes']) / s['hot_bytes']
        out.append(('%s-paddr_fault WSS median within +-5%% of hot' % pat,
                    '%+.1f%%' % (100 * err), 'PASS' if abs(err) <= 0.05
                    else 'MISS'))
        out.append(('%s-paddr_fault hot-byte recall median >= 0.9' % pat,
                    '%.2f' % s['recall_median'],
                    'PASS' if s['recall_median'] >= 0.9 else 'MISS'))
    sizes = sorted({g for (_k, _kind, g) in ovh})
    rs = [ratio(ovh[('ours', 'paddr_fault', g)]['cpu'],
                ovh[('ours', 'paddr', g)]['cpu']) for g in sizes
          if ('ours', 'paddr_fault', g) in ovh and ('ours', 'paddr', g) in ovh]
    if rs:
        out.append(('kdamond CPU paddr_fault / paddr (hold, per size)',
                    ', '.join(fmt(r, '%.2f') for r in rs), 'INFO'))
    ns = [fmt(ovh[('ours', 'paddr_fault', g)].get('ns_per_fault'), '%.0f')
          for g in sizes if ('ours', 'paddr_fault', g) in ovh]
    if ns:
        out.append(('workload cost per paddr_fault fault, ns (per size)',
                    ', '.join(ns), 'INFO'))
    return out


def targets(acc, ovh):
    """[(target, measured, PASS/MISS/INFO)]."""
    out = []
    sizes = sorted({g for (k, kind, g) in ovh if k == 'ours'})
    ours = {g: ovh.get(('ours', 'damon', g), {}).get('cpu') for g in sizes}
    ml = {g: ovh.get(('mainline', 'damon', g), {}).get('cpu')
          for g in sizes}
    full = {g: ovh.get(('ours', 'page_idle', g), {}).get('cpu')
            for g in sizes}

    def verdict(ok):
        return 'PASS' if ok else 'MISS'

    rs = [ratio(ours[g], ml[g]) for g in sizes if ml.get(g) is not None
          and ours.get(g) is not None]
    if rs:
        out.append(('kdamond CPU ours/mainline <= 1.0 (every size)',
                    ', '.join(fmt(r, '%.2f') for r in rs),
                    verdict(all(r <= 1.0 for r in rs))))
    noflush = {g: ovh.get(('ours', 'damon-noflush', g), {}).get('cpu')
               for g in sizes}
    rs = [ratio(noflush[g], ml[g]) for g in sizes
          if ml.get(g) is not None and noflush.get(g) is not None]
    if rs:
        out.append(('kdamond CPU ours without flush / mainline',
                    ', '.join(fmt(r, '%.2f') for r in rs), 'INFO'))
    if sizes and ours.get(sizes[0]) and ours.get(sizes[-1]) is not None:
        r = ours[sizes[-1]] / ours[sizes[0]]
        out.append(('kdamond CPU ours %d GiB / 1 GiB <= 1.1' % sizes[-1],
                    '%.2f' % r, verdict(r <= 1.1)))
    if sizes and full.get(sizes[-1]) is not None and ours.get(sizes[-1]):
        r = full[sizes[-1]] / ours[sizes[-1]]
        out.append(('full-scan CPU / ours at %d GiB >= 50' % sizes[-1],
                    '%.0f' % r, verdict(r >= 50)))
    rs = []
    for name in SCENARIOS[:6]:
        o, m = acc.get(('ours', name)), acc.get(('mainline', name))
        if o and m:
            rs.append(ratio(o.get('kdamond_cpu_p50', o['kdamond_cpu_per_s']),
                            m.get('kdamond_cpu_p50', m['kdamond_cpu_per_s'])))
    if rs:
        out.append(('kdamond CPU ours/mainline <= 1.0 (accuracy scenarios)',
                    ', '.join(fmt(r, '%.2f') for r in rs),
                    verdict(all(r <= 1.0 for r in rs))))
    for name in SCENARIOS[:6]:
        s = acc.get(('ours', name))
        if not s or not s['snapshots']:
            continue
        err = (s['wss_p50'] - s['hot_bytes']) / s['hot_bytes']
        out.append(('%s WSS median within +-5%% of hot' % name,
                    '%+.1f%%' % (100 * err), verdict(abs(err) <= 0.05)))
        out.append(('%s hot-byte recall median >= 0.9' % name,
                    '%.2f' % s['recall_median'],
                    verdict(s['recall_median'] >= 0.9)))
    for pat in ('stairs', 'zigzag'):
        on = acc.get(('ours', pat + '-vaddr'))
        off = acc.get(('ours', pat + '-vaddr-noflush'))
        if on and off and on['snapshots'] and off['snapshots']:
            out.append(('%s-vaddr recall, flush on / off' % pat,
                        '%.2f / %.2f' % (on['recall_median'],
                                         off['recall_median']), 'INFO'))
    slow_on = [ovh[('ours', 'damon', g)]['slowdown'] for g in sizes
               if ('ours', 'damon', g) in ovh]
    slow_off = [ovh[('ours', 'damon-noflush', g)]['slowdown'] for g in sizes
                if ('ours', 'damon-noflush', g) in ovh]
    cpu_on = [c for c in ours.values() if c is not None]
    cpu_off = [c for c in noflush.values() if c is not None]
    if cpu_on and cpu_off:
        out.append(('kdamond CPU s/s, flush on / off (mean of sizes)',
                    '%.3f / %.3f' % (statistics.mean(cpu_on),
                                     statistics.mean(cpu_off)), 'INFO'))
    if slow_on and slow_off:
        out.append(('workload slowdown, flush on / off (mean of sizes)',
                    '%.1f%% / %.1f%%' % (100 * statistics.mean(slow_on),
                                         100 * statistics.mean(slow_off)),
                    'INFO'))
    if slow_on:
        out.append(('workload slowdown under vaddr monitoring <= 2% '
                    '(every size)',
                    ', '.join('%.1f%%' % (100 * s) for s in slow_on),
                    verdict(all(s <= 0.02 for s in slow_on))))
    slow_ml = [ovh[('mainline', 'damon', g)]['slowdown'] for g in sizes
               if ('mainline', 'damon', g) in ovh]
    if slow_ml:
        out.append(('workload slowdown under mainline monitoring',
                    ', '.join('%.1f%%' % (100 * s) for s in slow_ml),
                    'INFO'))
    return out


def gnuplot(script):
    if not shutil.which('gnuplot'):
        return False
    subprocess.run(['gnuplot'], input=script, text=True, check=True)
    return True


def plots(acc_series, ovh, out):
    made = []
    sizes = sorted({g for (_k, _kind, g) in ovh})
    if sizes:
        dat = os.path.join(out, 'overhead.dat')
        with open(dat, 'w') as f:
            f.write('# GiB ours ours-noflush mainline full-scan\n')
            for g in sizes:
                f.write('%d %s\n' % (g, ' '.join(
                    '%g' % ovh[key]['cpu'] if key in ovh else 'NaN'
                    for key in (('ours', 'damon', g),
                                ('ours', 'damon-noflush', g),
                                ('mainline', 'damon', g),
                                ('ours', 'page_idle', g)))))
        png = os.path.join(out, 'overhead.png')
        if gnuplot('''set terminal pngcairo size 800,500 noenhanced
set output '%s'
set title 'Monitoring CPU time vs memory size (hold, 10 MiB hot)'
set xlabel 'mapping size (GiB)'
set ylabel 'CPU seconds per second'
set logscale xy 2
set key top left
set grid
plot '%s' u 1:2 w lp t 'ours (flush on)', \\
     '' u 1:3 w lp t 'ours (flush off)', '' u 1:4 w lp t 'mainline DAMON', \\
     '' u 1:5 w lp t 'idle page tracking full scan'
''' % (png, dat)):
            made.append(png)
    for name in SCENARIOS:
        keys = [k for k in KERNELS if (k, name) in acc_series]
        if not keys:
            continue
        truth = acc_series[(keys[0], name)]
        dat = os.path.join(out, 'wss-%s' % name)
        cmds = []
        tdat = dat + '-truth.dat'
        with open(tdat, 'w') as f:
            last = 0
            for t, mib in truth[1]:
                f.write('%.3f %g\n' % (t, last))
                f.write('%.3f %g\n' % (t, mib))
                last = mib
            f.write('%.3f %g\n' % (truth[2], last))
        cmds.append("'%s' u 1:2 w l lw 2 t 'truth (hot set)'" % tdat)
        for k in keys:
            kdat = '%s-%s.dat' % (dat, k)
            with open(kdat, 'w') as f:
                for t, mib in acc_series[(k, name)][0]:
                    f.write('%.3f %g\n' % (t, mib))
            cmds.append("'%s' u 1:2 w l t '%s'" % (kdat, k))
        png = dat + '.png'
        if gnuplot('''set terminal pngcairo size 900,400 noenhanced
set output '%s'
set title 'Working set size over time: %s'
set xlabel 'seconds since the workload started'
set ylabel 'MiB'
set grid
set xrange [0:%g]
plot %s
''' % (png, name, truth[2], ', '.join(cmds))):
            made.append(png)
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--results', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--skip', type=float, default=1.0)
    ap.add_argument('--settle', type=float, default=1.0)
    args = ap.parse_args()
    data = load(args.results)
    if not data:
        print('report: no results in %s' % args.results, file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    csv = []
    for k, res in data.items():
        print('%s: %s, %.1f GiB guest, %s interface, THP %s' %
              (k, res['uname'], res['mem_bytes'] / 2**30, res['iface'],
               res['thp']))
    print()
    acc, series = accuracy(data, args)
    print_accuracy(acc, csv)
    print('(windows inside one phase only, the first %g s of the run and '
          'of each phase not scored)' % args.settle)
    print()
    every = overhead(data)
    ovh = {key: r for key, r in every.items() if key[1] not in FAULT_KINDS}
    fault = {key: r for key, r in every.items() if key[1] in FAULT_KINDS}
    if ovh:
        print_overhead(ovh, data, csv)
        print()
    if fault:
        print_fault(fault, csv)
        print()
    print('Targets:')
    for name, value, verdict in targets(acc, ovh) + fault_targets(acc,
                                                                  fault):
        print('  %-4s  %-58s %s' % (verdict, name, value))
        csv.append(('ours', 'target', name, verdict, value))
    with open(os.path.join(args.out, 'results.csv'), 'w') as f:
        f.write('kernel,section,name,metric,value\n')
        for row in csv:
            f.write(','.join(str(x) for x in row) + '\n')
    print()
    print('CSV: %s' % os.path.join(args.out, 'results.csv'))
    for png in plots(series, ovh, args.out):
        print('plot: %s' % png)
    return 0


if __name__ == '__main__':
    sys.exit(main())
