#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What the translation flush of sampled pages costs a workload, by kind.

In the guest: bench/workload 'hold' maps 1 GiB and keeps touching the first
HOT MiB of it, one byte a page, on its own CPU; then, in windows of WIN
seconds, its speed (passes over the hot set per second) and the kdamond's
CPU time (schedstat) are measured without DAMON and under DAMON's paddr
operations set, default intervals (5 ms sampling), 10 to 16 regions, with
each flush mode of the damon module:

  nowait  the default: each CPU running the workload is left a request
          naming the sampled translations, flushed one by one
          (flush_sampled_tlb_wait=N)
  wait    the kernel's usual flush, one page at a time while at most 16
          (flush_sampled_tlb_wait=Y, flush_mm_threshold=16)
  off     no flush (flush_sampled_tlb=N): cheap, and blind under qemu

once with transparent huge pages and once without (-T thp|nothp).

Usage, from the top of the repository, after bench/run.sh or make bench
built the workload into build/bench:
  dev/guest-run.sh -f guest "python3 $PWD/bench/flush-cost-guest.py \\
      --bin $PWD/build/bench"
Environment: WIN (s, default 10), HOT (MiB, default 100), HUGE (default
"thp nothp"), MODES (default "nowait wait off nowait").
"""

import argparse
import importlib.util
import json
import os
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    'guest_bench', os.path.join(here, 'guest-bench.py'))
gb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gb)

PARAMS = '/sys/module/damon/parameters/'
WIN = float(os.environ.get('WIN', 10))
# Few regions, so that the waiting mode flushes single pages too.
gb.ATTRS = (5000, 100000, 1000000, 10, 16)


def sched_ns(pid):
    with open('/proc/%d/schedstat' % pid) as f:
        return int(f.read().split()[0])


def window(wl, kdamond=None):
    """The workload's passes/s and the kdamond's CPU ms/s over WIN s."""
    k0 = sched_ns(kdamond) if kdamond else 0
    t0 = time.monotonic()
    time.sleep(WIN)
    t1 = time.monotonic()
    k1 = sched_ns(kdamond) if kdamond else 0
    return wl.rate(t0, t1), (k1 - k0) / 1e6 / (t1 - t0)


def set_mode(mode):
    gb.write(PARAMS + 'flush_sampled_tlb', 'N' if mode == 'off' else 'Y')
    gb.write(PARAMS + 'flush_sampled_tlb_wait', 'Y' if mode == 'wait' else 'N')
    gb.write(PARAMS + 'flush_mm_threshold', 16 if mode == 'wait' else 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--bin', required=True, help='where workload is')
    args = ap.parse_args()
    ram = max(gb.system_ram(), key=lambda r: r[1] - r[0])
    res = {}
    for huge in os.environ.get('HUGE', 'thp nothp').split():
        wl = gb.Workload(os.path.join(args.bin, 'workload'),
                         ['-p', 'hold', '-s', '1024', '-H',
                          os.environ.get('HOT', '100'), '-d', '100000',
                          '-P', '0.5', '-T', huge])
        wl.wait_ready()
        wl.started.wait()
        wl.settle()
        rows = [('none', window(wl)[0], 0.0)]
        for mode in os.environ.get('MODES', 'nowait wait off nowait').split():
            set_mode(mode)
            iface = gb.Sysfs()
            kdamond = iface.start('paddr', [ram])
            time.sleep(3)
            rate, cpu = window(wl, kdamond)
            iface.stop()
            time.sleep(1)
            rows.append((mode, rate, cpu))
        rows.append(('none', window(wl)[0], 0.0))
        wl.stop()
        base = (rows[0][1] + rows[-1][1]) / 2
        for mode, rate, cpu in rows:
            gb.log('%-5s %-6s %7.0f passes/s %+6.1f %% kdamond %5.1f ms/s' %
                   (huge, mode, rate, (rate / base - 1) * 100, cpu))
        res[huge] = rows
    set_mode('nowait')
    print(json.dumps(res))


if __name__ == '__main__':
    main()
