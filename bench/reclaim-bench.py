#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The guest side of the reclaim benchmark (bench/run.sh boots a kernel and
runs this): DAMON_RECLAIM of the kernel it finds itself in, ours or
mainline's, against a workload of known hot and cold memory.

The workload ('hold') maps 1 GiB, writes it all once and then keeps
writing 100 MiB of it; the other 924 MiB stay cold.  Transparent huge
pages are as the guest has them (always): in base pages, reclaim under
TCG moves about 3 MiB/s on either kernel, each page costing a translation
flush on the workload's CPU, which qemu makes dear, and the runs would
measure little else.  It runs
alone on CPU 1, kdamond and this script on CPU 0.  Swap is a zram device.

  1. baseline: the workload's speed (passes over its hot set per second)
     over WINDOW seconds, without DAMON_RECLAIM; slowdowns are against it;
  2. DAMON_RECLAIM enabled with the parameters below, the same on both
     kernels, for RECLAIM seconds; every second: the workload's RSS, swap
     used, the memory zram takes for it, kdamond's CPU time (ns, from
     /proc/<pid>/schedstat) and the workload's passes;
  3. disabled, then the workload's speed again over WINDOW seconds.

On our kernel this runs as it comes ("ours"); with --extras, on a fresh
workload again without the translation flush of sampled pages
("ours-noflush", damon.flush_sampled_tlb=N), which is what our DAMON
costs without the accuracy the flush buys.  On mainline it runs its
DAMON_RECLAIM ("mainline"), and the same scheme set up through its sysfs
interface ("mainline-sysfs"): paddr over the same range, pageout of
regions idle for min_age, the same quota, weights and watermarks.  (In
our guests mainline 6.12's DAMON_RECLAIM never tries a region, whatever
its parameters; its DAMOS engine, given the scheme through sysfs, does.)

Writes <variant>.json to OUT: the samples and the summary (memory saved,
slowdown, kdamond CPU, time to steady state), which
bench/reclaim-report.py turns into the table.

Usage: reclaim-bench.py --kernel ours|mainline --out DIR --bin DIR
                        [--window S] [--reclaim S] [--variants V,...]
                        [--extras]
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time

PARAMS = '/sys/module/damon_reclaim/parameters'
ADMIN = '/sys/kernel/mm/damon/admin/kdamonds'
STATS = ('nr_reclaim_tried_regions', 'bytes_reclaim_tried_regions',
         'nr_reclaimed_regions', 'bytes_reclaimed_regions',
         'nr_quota_exceeds')
FLUSH = '/sys/module/damon/parameters/flush_sampled_tlb'
ZRAM = '/sys/block/zram0'
MIB = 1 << 20
SIZE_MIB, HOT_MIB = 1024, 100
# The same on both kernels: regions idle for 10 s are cold; at most 128 MiB
# (mainline's default size quota) per second, with no time quota (under
# TCG, where a preempted kdamond's pageout looks slow, mainline's default
# 10 ms lets through about 1 MiB per second on either kernel); watermarks
# that keep the scheme working whatever memory is free, checked every
# second; default monitoring attributes and region (the largest System RAM
# range).
SETTINGS = {
    'min_age': 10000000,
    'quota_ms': 0,
    'quota_sz': 128 * MIB,
    'quota_reset_interval_ms': 1000,
    'wmarks_interval': 1000000,
    'wmarks_high': 1000,
    'wmarks_mid': 1000,
    'wmarks_low': 0,
    'sample_interval': 5000,
    'aggr_interval': 100000,
    'min_nr_regions': 10,
    'max_nr_regions': 1000,
    'skip_anon': 'N',
}


def load_guest_bench():
    """bench/guest-bench.py, for its Workload, pin() and helpers."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'guest-bench.py')
    spec = importlib.util.spec_from_file_location('guest_bench', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gb = load_guest_bench()
log, write, read = gb.log, gb.write, gb.read


def kib_fields(path):
    """The "Name:   123 kB" lines of a /proc file, in bytes."""
    with open(path) as f:
        words = (line.replace(':', ' ').split() for line in f)
        return {w[0]: int(w[1]) << 10 for w in words
                if len(w) == 3 and w[2] == 'kB'}


def meminfo():
    return kib_fields('/proc/meminfo')


def rss(pid):
    return kib_fields('/proc/%d/status' % pid).get('VmRSS', 0)


def schedstat_ns(pid):
    """Time the task spent on a CPU, in ns."""
    with open('/proc/%d/schedstat' % pid) as f:
        return int(f.read().split()[0])


def zram_used():
    """Memory zram takes for what it stores (mm_stat's mem_used_total)."""
    with open(ZRAM + '/mm_stat') as f:
        return int(f.read().split()[2])


def thp_mode():
    try:
        with open('/sys/kernel/mm/transparent_hugepage/enabled') as f:
            return f.read().split('[')[1].split(']')[0]
    except (OSError, IndexError):
        return 'none'


def swap_on(size_mib):
    if meminfo()['SwapTotal']:
        return
    write(ZRAM + '/disksize', '%dM' % size_mib)
    subprocess.run(['mkswap', '/dev/zram0'], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(['swapon', '/dev/zram0'], check=True)


def sample(wl, kdamond, t0):
    info = meminfo()
    now = time.monotonic()
    return {
        't': now - t0,
        'mono': now,
        'rss': rss(wl.pid),
        'swap_used': info['SwapTotal'] - info['SwapFree'],
        'zram_used': zram_used(),
        'mem_available': info['MemAvailable'],
        'kdamond_ns': schedstat_ns(kdamond) if kdamond else 0,
    }


def steady_time(samples, rss0):
    """When the RSS came within 2 % of its total fall (at least 8 MiB) of
    where it ended and stayed there; None if it hardly fell."""
    final = samples[-1]['rss']
    drop = rss0 - final
    if drop < 16 * MIB:
        return None
    band = max(0.02 * drop, 8 * MIB)
    at = samples[-1]['t']
    for s in reversed(samples):
        if abs(s['rss'] - final) > band:
            break
        at = s['t']
    return at


class Module:
    """DAMON_RECLAIM, through its module parameters."""

    def start(self):
        for name, value in SETTINGS.items():
            write(os.path.join(PARAMS, name), value)
        write(os.path.join(PARAMS, 'enabled'), 'Y')
        return int(read(os.path.join(PARAMS, 'kdamond_pid')))

    def stats(self):
        return {name: int(read(os.path.join(PARAMS, name)))
                for name in STATS}

    def stop(self):
        write(os.path.join(PARAMS, 'enabled'), 'N')


class SysfsScheme:
    """DAMON_RECLAIM's scheme, set up through DAMON's sysfs interface."""

    def __init__(self):
        self.kd = ADMIN + '/0'
        self.ctx = self.kd + '/contexts/0'
        self.scheme = self.ctx + '/schemes/0'

    def start(self):
        ram = max(gb.system_ram(), key=lambda r: r[1] - r[0])
        st = SETTINGS
        write(ADMIN + '/nr_kdamonds', 1)
        write(self.kd + '/contexts/nr_contexts', 1)
        c = self.ctx
        write(c + '/operations', 'paddr')
        attrs = c + '/monitoring_attrs'
        write(attrs + '/intervals/sample_us', st['sample_interval'])
        write(attrs + '/intervals/aggr_us', st['aggr_interval'])
        write(attrs + '/nr_regions/min', st['min_nr_regions'])
        write(attrs + '/nr_regions/max', st['max_nr_regions'])
        write(c + '/targets/nr_targets', 1)
        write(c + '/targets/0/regions/nr_regions', 1)
        write(c + '/targets/0/regions/0/start', ram[0])
        write(c + '/targets/0/regions/0/end', ram[1])
        write(c + '/schemes/nr_schemes', 1)
        s = self.scheme
        write(s + '/action', 'pageout')
        pattern = {'sz': (gb.PAGE, 1 << 62), 'nr_accesses': (0, 0),
                   'age': (st['min_age'] // st['aggr_interval'], 1 << 31)}
        for name, (lo, hi) in pattern.items():
            write('%s/access_pattern/%s/max' % (s, name), hi)
            write('%s/access_pattern/%s/min' % (s, name), lo)
        write(s + '/quotas/ms', st['quota_ms'])
        write(s + '/quotas/bytes', st['quota_sz'])
        write(s + '/quotas/reset_interval_ms', st['quota_reset_interval_ms'])
        write(s + '/quotas/weights/sz_permil', 0)
        write(s + '/quotas/weights/nr_accesses_permil', 0)
        write(s + '/quotas/weights/age_permil', 1)
        write(s + '/watermarks/metric', 'free_mem_rate')
        write(s + '/watermarks/interval_us', st['wmarks_interval'])
        for name in ('high', 'mid', 'low'):
            write('%s/watermarks/%s' % (s, name), st['wmarks_' + name])
        write(self.kd + '/state', 'on')
        return int(read(self.kd + '/pid'))

    def stats(self):
        write(self.kd + '/state', 'update_schemes_stats')
        st = self.scheme + '/stats/'
        return dict(zip(STATS, (int(read(st + n)) for n in (
            'nr_tried', 'sz_tried', 'nr_applied', 'sz_applied',
            'qt_exceeds'))))

    def stop(self):
        write(self.kd + '/state', 'off')
        write(ADMIN + '/nr_kdamonds', 0)


def run(args, variant):
    if os.path.exists(FLUSH):
        write(FLUSH, 'N' if variant.endswith('noflush') else 'Y')
    reclaimer = SysfsScheme() if variant.endswith('sysfs') else Module()
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'hold', '-s', str(SIZE_MIB), '-H', str(HOT_MIB),
                      '-d', '100000', '-P', '0.5'])
    wl.wait_ready()
    wl.started.wait()
    steady = wl.settle()
    log('workload %s' % ('steady' if steady else 'still unsteady'))

    t = time.monotonic()
    time.sleep(args.window)
    before = wl.rate(t, time.monotonic())
    rss0, info0 = rss(wl.pid), meminfo()
    log('baseline %.1f passes/s, rss %.1f MiB' % (before, rss0 / MIB))

    kdamond = reclaimer.start()
    gb.pin(kdamond, gb.MONITOR_CPU)
    t0 = time.monotonic()
    samples = [sample(wl, kdamond, t0)]
    while samples[-1]['t'] < args.reclaim:
        time.sleep(1)
        samples.append(sample(wl, kdamond, t0))
        s = samples[-1]
        if int(s['t']) % 10 == 0:
            log('%5.0fs rss %7.1f MiB swap %7.1f MiB kdamond %.3f s' %
                (s['t'], s['rss'] / MIB, s['swap_used'] / MIB,
                 (s['kdamond_ns'] - samples[0]['kdamond_ns']) / 1e9))
    stats = reclaimer.stats()
    reclaimer.stop()
    # Let the workload's progress lines for the last sample arrive.
    time.sleep(1.5)
    for s in samples:
        s['passes'] = wl.passes_at(s['mono'])
    during = ((samples[-1]['passes'] - samples[0]['passes']) /
              (samples[-1]['mono'] - samples[0]['mono']))
    # The last 30 s: after the bulk of the reclaim.
    late = [s for s in samples if s['t'] >= args.reclaim - 30]
    during_late = ((late[-1]['passes'] - late[0]['passes']) /
                   (late[-1]['mono'] - late[0]['mono']))

    t = time.monotonic()
    time.sleep(args.window)
    after = wl.rate(t, time.monotonic())
    wl.stop()
    last = samples[-1]
    summary = {
        'rss_before': rss0,
        'rss_after': last['rss'],
        'saved': rss0 - last['rss'],
        'swap_used': last['swap_used'],
        'zram_used': last['zram_used'],
        'mem_available_gain': last['mem_available'] - info0['MemAvailable'],
        'baseline_before': before,
        'baseline_after': after,
        'rate_during': during,
        'rate_late': during_late,
        # Against the speed before: what reclaim takes away from the
        # workload while it works, and (after) what is left of it once it
        # stops, e.g. hot memory paged out and faulted back in.
        'slowdown': 1 - during / before,
        'slowdown_late': 1 - during_late / before,
        'slowdown_after': 1 - after / before,
        'kdamond_cpu_ns_per_s': ((last['kdamond_ns'] -
                                  samples[0]['kdamond_ns']) /
                                 (last['mono'] - samples[0]['mono'])),
        'steady_s': steady_time(samples, rss0),
        'stats': stats,
    }
    log('saved %.1f MiB, swap %.1f MiB, slowdown %.1f%%, kdamond %.0f ns/s, '
        'steady after %s s' %
        (summary['saved'] / MIB, summary['swap_used'] / MIB,
         100 * summary['slowdown'], summary['kdamond_cpu_ns_per_s'],
         summary['steady_s']))
    return {'kernel': variant, 'uname': os.uname().release,
            'mem_total': info0['MemTotal'], 'settings': SETTINGS,
            'size_mib': SIZE_MIB, 'hot_mib': HOT_MIB, 'thp': thp_mode(),
            'window_s': args.window, 'reclaim_s': args.reclaim,
            'summary': summary,
            'samples': [{k: v for k, v in s.items() if k != 'mono'}
                        for s in samples]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, choices=('ours', 'mainline'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin', required=True)
    ap.add_argument('--window', type=float, default=15)
    ap.add_argument('--reclaim', type=float, default=150)
    ap.add_argument('--extras', action='store_true',
                    help='also ours-noflush (not part of make bench\'s '
                    'targets)')
    ap.add_argument('--variants',
                    help='comma-separated variants to run (default: all '
                    'of the kernel)')
    args = ap.parse_args()
    if not os.path.exists(os.path.join(PARAMS, 'enabled')):
        log('no DAMON_RECLAIM in this kernel')
        return 1
    os.makedirs(args.out, exist_ok=True)
    gb.pin(0, gb.MONITOR_CPU)
    swap_on(2048)
    variants = [args.kernel]
    if args.extras and args.kernel == 'ours' and os.path.exists(FLUSH):
        variants.append('ours-noflush')
    if args.kernel == 'mainline' and os.path.exists(ADMIN):
        variants.append('mainline-sysfs')
    if args.variants:
        variants = [v for v in variants if v in args.variants.split(',')]
    for variant in variants:
        log('reclaim: %s' % variant)
        result = run(args, variant)
        with open(os.path.join(args.out, variant + '.json'), 'w') as f:
            json.dump(result, f, indent=1)
        # What this run paged out must not count for the next one.
        subprocess.run(['swapoff', '/dev/zram0'], check=True)
        write(ZRAM + '/reset', 1)
        swap_on(2048)
    if os.path.exists(FLUSH):
        write(FLUSH, 'Y')
    return 0


if __name__ == '__main__':
    sys.exit(main())
