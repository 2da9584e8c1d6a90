#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How many regions DAMON keeps on the bench's scenarios (guest side).

Runs scenarios of bench/guest-bench.py with the damon:damon_aggregated
tracepoint on and leaves one trace (and, for stairs and zigzag, the
workload's truth) per scenario in OUT, for bench/regions-report.py:

  stairs-vaddr, zigzag-vaddr, ... as in 'make bench' (--acc), and
  hold-vaddr-<G>, hold-paddr-<G>: a 'hold' mapping of G GiB in base pages
  with 10 MiB hot, monitored for --window seconds (--hold).

Usage: regions-guest.py --kernel ours|mainline --out DIR --bin DIR
                        [--acc NAME,...] [--hold vaddr:1,paddr:4]
                        [--flush Y|N] [--phase S] [--window S]
"""

import argparse
import importlib.util
import os
import sys
import time

spec = importlib.util.spec_from_file_location(
    'gb', os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'guest-bench.py'))
gb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gb)

# name: (pattern, mode, huge pages)
ACC = {'stairs-vaddr': ('stairs', 'vaddr', True),
       'zigzag-vaddr': ('zigzag', 'vaddr', True),
       'stairs-vaddr-4k': ('stairs', 'vaddr', False),
       'zigzag-vaddr-4k': ('zigzag', 'vaddr', False),
       'stairs-paddr': ('stairs', 'paddr', True),
       'zigzag-paddr': ('zigzag', 'paddr', True),
       'stairs-paddr-4k': ('stairs', 'paddr', False),
       'zigzag-paddr-4k': ('zigzag', 'paddr', False)}


def hold(args, iface, mode, gib, flush):
    """Trace window seconds of a hold mapping of gib GiB."""
    name = 'hold-%s-%d' % (mode, gib)
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'hold', '-s', str(gib << 10), '-H', '10',
                      '-d', '100000', '-P', '0.5', '-T', 'nothp'])
    wl.wait_ready()
    wl.started.wait()
    wl.settle()
    gb.set_flush(flush)
    gb.tracing(True)
    if mode == 'paddr':
        iface.start('paddr', gb.system_ram())
    else:
        iface.start(wl.pid)
    time.sleep(args.window)
    iface.stop()
    gb.tracing(False)
    gb.set_flush(True)
    wl.stop()
    with open(gb.TRACING + '/trace') as src, \
            open(os.path.join(args.out, 'acc-%s.trace' % name), 'w') as dst:
        for line in src:
            if 'damon_aggregated' in line:
                dst.write(line)
    gb.log('%s: %d trace events lost' % (name, gb.overruns()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, choices=('ours', 'mainline'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin', required=True)
    ap.add_argument('--acc', default=','.join(ACC))
    ap.add_argument('--hold', default='vaddr:1,paddr:4')
    ap.add_argument('--flush', default='Y', choices=('Y', 'N'))
    ap.add_argument('--phase', type=float, default=5)
    ap.add_argument('--window', type=float, default=20)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    gb.pin(0, gb.MONITOR_CPU)
    iface = gb.Dbgfs()
    gb.write(gb.TRACING + '/trace_clock', 'mono')
    gb.write(gb.TRACING + '/buffer_size_kb', 32768)
    flush = args.flush == 'Y'
    for name in filter(None, args.acc.split(',')):
        pattern, mode, huge = ACC[name]
        gb.accuracy(args, iface, name, pattern, mode, flush, huge)
    for item in filter(None, args.hold.split(',')):
        mode, gib = item.split(':')
        hold(args, iface, mode, int(gib), flush)
    return 0


if __name__ == '__main__':
    sys.exit(main())
