#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does what ran before decide whether DAMON without a flush sees accesses?

In the guest (bench/profile.sh tlb-order boots it): a sequence of steps on
one kernel, each recording what DAMON (vaddr, default attributes, our
translation flush off) saw of a 'stairs' workload with transparent huge
pages, and how fast the workload ran:

  probe     stairs, 10 x 10 MiB, 3 s a part: recall median and the
            workload's passes per second
  churn     flush-heavy warm-up without DAMON: a 200 MiB hot set on the
            workload's CPU, with 200 short processes started there (each
            switch of address space is a whole-TLB flush, at which qemu
            resizes its software TLB to what the last 100 ms used)
  flushwarm our DAMON with the flush on over the same stairs (what make
            bench runs before its -noflush scenarios)
  madvwarm  the same stairs without DAMON, while this script flushes the
            workload's translations every 5 ms from the other CPU:
            process_madvise(MADV_COLD) over its whole area, which clears
            the Accessed bits and flushes the range (any kernel)

Usage: tlb-order-guest.py --kernel ours|mainline --out DIR --bin DIR
                          --steps probe,churn,probe,...
"""

import argparse
import ctypes
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))


def load(name, file):
    spec = importlib.util.spec_from_file_location(name,
                                                  os.path.join(here, file))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gb = load('guest_bench', 'guest-bench.py')
an = load('analyze', 'analyze.py')
PHASE = 3


def stairs(args, iface, idx, flush):
    """One stairs run under DAMON; returns recall and speed."""
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'stairs', '-s', '100', '-n', '10', '-t',
                      str(PHASE), '-d', str(PHASE * 10), '-w', '2',
                      '-P', '0.5'])
    wl.wait_ready()
    gb.set_flush(flush)
    gb.tracing(True)
    iface.start(wl.pid)
    wl.proc.wait()
    wl.thread.join()
    iface.stop()
    gb.tracing(False)
    gb.set_flush(False)
    base = os.path.join(args.out, 'step%d' % idx)
    with open(base + '.truth', 'w') as f:
        f.writelines(wl.lines)
    with open(gb.TRACING + '/trace') as src, open(base + '.trace', 'w') as d:
        d.writelines(line for line in src if 'damon_aggregated' in line)
    snaps = an.read_snapshots(base + '.trace', 0)
    _, phases, end = an.read_truth(base + '.truth')
    rows = an.score(snaps, phases, end, 0.1, 1.0, 1.0)
    prog = [(float(w[1]), int(w[2])) for w in
            (line.split() for line in wl.lines) if w[0] == 'progress']
    speeds = [(p1 - p0) / (t1 - t0)
              for (t0, p0), (t1, p1) in zip(prog, prog[1:])]
    rec = [r[3] for r in rows]
    return {'recall_median': statistics.median(rec) if rec else None,
            'recall_ge_0.9': (sum(r >= 0.9 for r in rec) / len(rec)
                              if rec else None),
            'snapshots': len(rec),
            'passes_per_s_median': statistics.median(speeds) if speeds
            else None,
            'passes_per_s': speeds}


SYS_PIDFD_OPEN, SYS_PROCESS_MADVISE, MADV_COLD = 434, 440, 20


class Iovec(ctypes.Structure):
    _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]


def madvwarm(args):
    """Stairs without DAMON, its area made cold every 5 ms from CPU 0."""
    libc = ctypes.CDLL(None, use_errno=True)
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'stairs', '-s', '100', '-n', '10', '-t',
                      str(PHASE), '-d', str(PHASE * 10), '-w', '2',
                      '-P', '0.5'])
    wl.wait_ready()
    pidfd = libc.syscall(SYS_PIDFD_OPEN, wl.pid, 0)
    iov = Iovec(wl.area[0], wl.area[1] - wl.area[0])
    calls = fails = 0
    while wl.proc.poll() is None:
        if libc.syscall(SYS_PROCESS_MADVISE, pidfd, ctypes.byref(iov), 1,
                        MADV_COLD, 0) < 0:
            fails += 1
        calls += 1
        time.sleep(0.005)
    os.close(pidfd)
    wl.thread.join()
    prog = [(float(w[1]), int(w[2])) for w in
            (line.split() for line in wl.lines) if w[0] == 'progress']
    speeds = [(p1 - p0) / (t1 - t0)
              for (t0, p0), (t1, p1) in zip(prog, prog[1:])]
    return {'madvise_calls': calls, 'madvise_fails': fails,
            'passes_per_s_median': statistics.median(speeds) if speeds
            else None, 'passes_per_s': speeds}


def churn(args):
    """The flush-heavy warm-up: a big hot set and address-space switches."""
    wl = gb.Workload(os.path.join(args.bin, 'workload'),
                     ['-p', 'hold', '-s', '200', '-H', '200', '-d', '12',
                      '-P', '0.5'])
    wl.wait_ready()
    wl.started.wait()
    for _ in range(200):
        subprocess.run(['true'], check=True,
                       preexec_fn=lambda: gb.pin(0, gb.WORKLOAD_CPU))
        time.sleep(0.02)
    wl.proc.wait()
    wl.thread.join()
    return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, choices=('ours', 'mainline'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin', required=True)
    ap.add_argument('--steps', required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    gb.pin(0, gb.MONITOR_CPU)
    iface = gb.Dbgfs()
    gb.write(gb.TRACING + '/trace_clock', 'mono')
    gb.write(gb.TRACING + '/buffer_size_kb', 16384)
    gb.set_flush(False)
    res = {'kernel': args.kernel, 'uname': os.uname().release,
           'flush_param': os.path.exists(gb.FLUSH), 'steps': []}
    for idx, step in enumerate(args.steps.split(',')):
        t = time.monotonic()
        if step == 'probe':
            rec = stairs(args, iface, idx, False)
        elif step == 'flushwarm':
            rec = stairs(args, iface, idx, True)
        elif step == 'churn':
            rec = churn(args)
        elif step == 'madvwarm':
            rec = madvwarm(args)
        else:
            raise SystemExit('unknown step %s' % step)
        rec['step'] = step
        rec['seconds'] = time.monotonic() - t
        gb.log('step %d %-9s recall %s, %s passes/s' %
               (idx, step, rec.get('recall_median'),
                rec.get('passes_per_s_median')))
        res['steps'].append(rec)
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
