#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The guest side of 'make bench' (bench/run.sh boots a kernel and runs this).

Runs every scenario on the kernel it finds itself in, ours or mainline's,
and leaves raw results in OUT for bench/report.py on the host:

  acc-<scenario>.truth    the workload's ground truth (virtual addresses;
                          for paddr, the same phases in physical addresses)
  acc-<scenario>.trace    the damon:damon_aggregated events of that run
  results.json            everything else: overhead windows, CPU times

Accuracy: stairs (10 x 10 MiB, one hot at a time) and zigzag (2 x 100 MiB,
alternately hot), monitored as vaddr and as paddr with default attributes;
vaddr again in base pages (-4k) and, on our kernel, without the translation
flush (-noflush).
Overhead: 'hold' mappings of 1, 2, 4, 8 GiB with 10 MiB kept hot, in base
pages (MADV_NOHUGEPAGE: idle page tracking works per page frame); windows
without monitoring alternate with windows under DAMON (and, on our kernel,
DAMON without the translation flush and the idle page tracking full scan),
and the workload's speed in each is compared with the unmonitored windows
around it.
paddr_fault (--only fault, our kernel only): stairs and zigzag monitored as
paddr and as paddr_fault, and 'hold' mappings of --fault-sizes GiB whose
windows alternate unmonitored, paddr, unmonitored, paddr_fault,
unmonitored; the workload's minor faults in each window count the page
faults that paddr_fault made it take.

Usage: guest-bench.py --kernel ours|mainline --out DIR --bin DIR
                      [--sizes 1,2,4,8] [--window S] [--phase S]
                      [--iface dbgfs|sysfs] [--only acc,ovh,fault]
                      [--fault-sizes 1,4] [--order forward|reverse]
"""

import argparse
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time

TRACING = '/sys/kernel/tracing'
EVENT = TRACING + '/events/damon/damon_aggregated/enable'
DBGFS = '/sys/kernel/debug/damon'
SYSFS = '/sys/kernel/mm/damon/admin'
FLUSH = '/sys/module/damon/parameters/flush_sampled_tlb'
# Ours asks other CPUs to flush and goes on; 'damon-wait' waits for them.
FLUSH_WAIT = '/sys/module/damon/parameters/flush_sampled_tlb_wait'
# Sampling 5 ms, aggregation 100 ms, update 1 s, 10 to 1,000 regions.
ATTRS = (5000, 100000, 1000000, 10, 1000)
PAGE = os.sysconf('SC_PAGESIZE')
MONITOR_CPU, WORKLOAD_CPU = 0, 1


def pin(pid, cpu):
    """Keep a task on one CPU, when there is more than one.

    The workload runs alone on WORKLOAD_CPU; kdamond, the page_idle scanner
    and this script share the other one, so that what monitoring costs
    shows as its own CPU time and as the workload's slowdown, the same way
    from run to run, rather than depending on where the scheduler put them.
    """
    if os.cpu_count() > 1:
        os.sched_setaffinity(pid, {cpu})


def log(*args):
    print('guest-bench:', *args, flush=True)


def write(path, value):
    with open(path, 'w') as f:
        f.write(str(value) + '\n')


def read(path):
    with open(path) as f:
        return f.read().strip()


def cpu_seconds(pid):
    """CPU time of a task, in seconds, from /proc/<pid>/schedstat.

    schedstat counts in nanoseconds what the task ran; utime and stime of
    /proc/<pid>/stat count whole scheduler ticks, and a kdamond using 2 %
    of a CPU gets about two ticks a second: too coarse for a window of a
    second, and for ratios of two such figures.
    """
    with open('/proc/%d/schedstat' % pid) as f:
        return int(f.read().split()[0]) / 1e9


def minor_faults(pid):
    """The minor page faults a process took so far (/proc/<pid>/stat).

    Every PROT_NONE fault that paddr_fault makes a process take is handled
    without I/O, so it counts here, as do the faults of first touches.
    """
    with open('/proc/%d/stat' % pid) as f:
        # Field 10 (minflt), counted after the command's closing bracket.
        return int(f.read().rsplit(')', 1)[1].split()[7])


def cpu_per_second(pid, seconds, faults_of=None):
    """Sample a task's CPU time once a second for seconds.

    Returns (CPU s/s over the whole time, [CPU s/s of each second], t0,
    t1, faults): the per-second figures give the median and spread of a
    window; faults is how many minor faults the process faults_of took
    from t0 to t1 (None without it).
    """
    f0 = minor_faults(faults_of) if faults_of else None
    c0 = c = cpu_seconds(pid)
    t0 = t = time.monotonic()
    per_s = []
    for i in range(1, int(seconds) + 1):
        time.sleep(max(0, t0 + i - time.monotonic()))
        c1, t1 = cpu_seconds(pid), time.monotonic()
        per_s.append((c1 - c) / (t1 - t))
        c, t = c1, t1
    faults = minor_faults(faults_of) - f0 if faults_of else None
    return (c - c0) / (t - t0), per_s, t0, t, faults


def system_ram():
    """The System RAM ranges of /proc/iomem of at least 1 MiB, [start, end)."""
    ranges = []
    with open('/proc/iomem') as f:
        for line in f:
            if line.startswith(' ') or 'System RAM' not in line:
                continue
            start, end = (int(x, 16) for x in line.split(':')[0].split('-'))
            if end + 1 - start >= 1 << 20:
                ranges.append((start, end + 1))
    return ranges


class Dbgfs:
    """DAMON's debugfs files, the same in both kernels."""

    name = 'dbgfs'

    def __init__(self):
        # Mainline 6.12 renamed monitor_on; ours has both names.
        self.on = DBGFS + '/monitor_on_DEPRECATED'
        if not os.path.exists(self.on):
            self.on = DBGFS + '/monitor_on'

    def start(self, target, regions=()):
        write(DBGFS + '/attrs', ' '.join(map(str, ATTRS)))
        write(DBGFS + '/target_ids', target)
        if regions:
            write(DBGFS + '/init_regions',
                  ' '.join('0 %d %d' % r for r in regions))
        write(self.on, 'on')
        pid = int(read(DBGFS + '/kdamond_pid'))
        pin(pid, MONITOR_CPU)
        return pid

    def stop(self):
        try:
            write(self.on, 'off')
        except OSError:
            pass
        for _ in range(100):
            if read(self.on) == 'off':
                return
            time.sleep(0.1)
        raise RuntimeError('DAMON did not stop')


class Sysfs:
    """DAMON's sysfs files (admin-guide usage.rst), one kdamond."""

    name = 'sysfs'

    def __init__(self):
        write(SYSFS + '/kdamonds/nr_kdamonds', 1)
        self.kd = SYSFS + '/kdamonds/0'
        write(self.kd + '/contexts/nr_contexts', 1)
        self.ctx = self.kd + '/contexts/0'

    def start(self, target, regions=()):
        ctx = self.ctx
        attrs = ctx + '/monitoring_attrs'
        physical = target in ('paddr', 'paddr_fault')
        write(ctx + '/operations', target if physical else 'vaddr')
        for name, val in zip(('sample_us', 'aggr_us', 'update_us'), ATTRS):
            write(attrs + '/intervals/' + name, val)
        write(attrs + '/nr_regions/min', ATTRS[3])
        write(attrs + '/nr_regions/max', ATTRS[4])
        write(ctx + '/targets/nr_targets', 1)
        tgt = ctx + '/targets/0'
        if not physical:
            write(tgt + '/pid_target', target)
        write(tgt + '/regions/nr_regions', len(regions))
        for i, (start, end) in enumerate(regions):
            write('%s/regions/%d/start' % (tgt, i), start)
            write('%s/regions/%d/end' % (tgt, i), end)
        write(self.kd + '/state', 'on')
        pid = int(read(self.kd + '/pid'))
        pin(pid, MONITOR_CPU)
        return pid

    def stop(self):
        try:
            write(self.kd + '/state', 'off')
        except OSError:
            pass


class Workload:
    """bench/workload, its output collected in a thread with arrival times."""

    def __init__(self, path, args):
        self.proc = subprocess.Popen([path] + args, stdout=subprocess.PIPE,
                                     text=True)
        pin(self.proc.pid, WORKLOAD_CPU)
        self.lines = []
        self.area = None
        self.base = None
        self.ready = threading.Event()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            w = line.split()
            if w[0] == 'area':
                self.pid = int(w[1])
                self.area = (int(w[2], 16), int(w[3], 16))
                self.ready.set()
            elif w[0] == 'start':
                self.base = float(w[1])
                self.started.set()
        self.ready.set()
        self.started.set()

    def wait_ready(self):
        self.ready.wait()
        if self.area is None:
            raise RuntimeError('workload died: %r' % self.lines)

    def passes_at(self, t):
        """Passes done by CLOCK_MONOTONIC time t, interpolated."""
        pts = [(self.base, 0)] + [
            (self.base + float(w[1]), int(w[2]))
            for w in (line.split() for line in list(self.lines))
            if w[0] == 'progress']
        for (t0, p0), (t1, p1) in zip(pts, pts[1:]):
            if t0 <= t <= t1:
                return p0 + (p1 - p0) * (t - t0) / (t1 - t0)
        raise RuntimeError('no progress around %.1f' % t)

    def last_progress(self):
        """The CLOCK_MONOTONIC time of the last progress line, or None."""
        for line in reversed(list(self.lines)):
            w = line.split()
            if w[0] == 'progress':
                return self.base + float(w[1])
        return None

    def rate(self, t0, t1):
        # Let the first progress line after t1 arrive before asking: on a
        # busy host, with the guest's clock on the host's TSC, it can come
        # seconds late.
        end = max(time.monotonic(), t1) + 10
        while time.monotonic() < end:
            last = self.last_progress()
            if last is not None and last >= t1:
                break
            time.sleep(0.1)
        return (self.passes_at(t1) - self.passes_at(t0)) / (t1 - t0)

    def rates(self, t0, t1):
        """The speed in each whole second from t0 to t1, passes/s."""
        self.rate(t0, t1)
        n = int(t1 - t0)
        return [self.passes_at(t0 + i + 1) - self.passes_at(t0 + i)
                for i in range(n)]

    def settle(self, limit=30):
        """Wait until the speed is steady.

        Right after populating a large mapping the workload runs up to 20
        times slower, until something flushes its CPU's TLB: qemu sizes its
        software TLB only when the guest flushes it, so it stays as small as
        the populating left it while the workload runs alone on its CPU.  A
        few context switches there (each a CR3 write, a full flush for
        qemu) let it grow to fit the hot set, in the unmonitored windows as
        in the monitored ones.  True once two successive seconds differ by
        less than 5 %, False after limit.
        """
        end = time.monotonic() + limit
        for _ in range(30):
            subprocess.run(['true'], check=True,
                           preexec_fn=lambda: pin(0, WORKLOAD_CPU))
            time.sleep(0.1)
        while time.monotonic() < end:
            t = time.monotonic() - 0.7
            a, b = self.rate(t - 2, t - 1), self.rate(t - 1, t)
            if abs(a - b) < 0.05 * max(a, b):
                return True
            time.sleep(1)
        return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()
        self.thread.join()


def frames(pid, area):
    """Page frame number of every page of area, from /proc/<pid>/pagemap."""
    start, end = area
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // PAGE * 8)
        data = f.read((end - start) // PAGE * 8)
    return [e & ((1 << 55) - 1) if e >> 63 else None
            for (e,) in struct.iter_unpack('=Q', data)]


def physical_truth(lines, area, pfns):
    """The truth lines again, each range given as its physical ranges."""
    out = []
    for line in lines:
        w = line.split()
        if w[0] != 'truth':
            out.append(line)
            continue
        first = (int(w[3], 16) - area[0]) // PAGE
        last = (int(w[4], 16) - area[0]) // PAGE
        runs = []
        for pfn in sorted(p for p in pfns[first:last] if p is not None):
            if runs and runs[-1][1] == pfn:
                runs[-1][1] = pfn + 1
            else:
                runs.append([pfn, pfn + 1])
        out.extend('truth %s %s %x %x\n' % (w[1], w[2], s * PAGE, e * PAGE)
                   for s, e in runs)
    return out


def set_flush(on, wait=False):
    if os.path.exists(FLUSH):
        write(FLUSH, 'Y' if on else 'N')
    if os.path.exists(FLUSH_WAIT):
        write(FLUSH_WAIT, 'Y' if wait else 'N')


def tracing(on):
    if on:
        write(TRACING + '/tracing_on', 0)
        write(TRACING + '/trace', '')
        write(EVENT, 1)
        write(TRACING + '/tracing_on', 1)
    else:
        write(EVENT, 0)
        write(TRACING + '/tracing_on', 0)


def overruns():
    total = 0
    for cpu in os.listdir(TRACING + '/per_cpu'):
        with open(TRACING + '/per_cpu/%s/stats' % cpu) as f:
            for line in f:
                if line.startswith('overrun:'):
                    total += int(line.split()[1])
    return total


def accuracy(args, iface, name, pattern, mode, flush=True, huge=True):
    """One accuracy scenario; returns its summary for results.json."""
    size = 100 if pattern == 'stairs' else 200
    duration = args.phase * (10 if pattern == 'stairs' else 6)
    wl = Workload(os.path.join(args.bin, 'workload'),
                  ['-p', pattern, '-s', str(size), '-n', '10',
                   '-t', str(args.phase), '-d', str(duration), '-w', '2'] +
                  ([] if huge else ['-T', 'nothp']))
    wl.wait_ready()
    physical = mode in ('paddr', 'paddr_fault')
    pfns = frames(wl.pid, wl.area) if physical else None
    set_flush(flush)
    tracing(True)
    if physical:
        kdamond = iface.start(mode, system_ram())
    else:
        kdamond = iface.start(wl.pid)
    c0, t0 = cpu_seconds(kdamond), time.monotonic()
    c1, t1 = c0, t0
    per_s = []
    # The kdamond of a vaddr target ends with the workload: sample it,
    # once a second, while it lives.
    while wl.proc.poll() is None:
        time.sleep(1)
        try:
            c, t = cpu_seconds(kdamond), time.monotonic()
        except OSError:
            break
        per_s.append((c - c1) / (t - t1))
        c1, t1 = c, t
    wl.proc.wait()
    wl.thread.join()
    iface.stop()
    tracing(False)
    set_flush(True)
    lines = wl.lines
    if physical:
        lines = physical_truth(lines, wl.area, pfns)
    with open(os.path.join(args.out, 'acc-%s.truth' % name), 'w') as f:
        f.writelines(lines)
    with open(TRACING + '/trace') as src, \
            open(os.path.join(args.out, 'acc-%s.trace' % name), 'w') as dst:
        for line in src:
            if 'damon_aggregated' in line:
                dst.write(line)
    lost = overruns()
    log('%s: kdamond %.3f CPU s/s, %d trace events lost' %
        (name, (c1 - c0) / (t1 - t0), lost))
    return {'kdamond_cpu_per_s': (c1 - c0) / (t1 - t0),
            'kdamond_cpu_samples': per_s, 'lost': lost,
            'flush': flush, 'mode': mode, 'pattern': pattern, 'thp': huge}


def overhead(args, iface, gib, kinds=None):
    """Windows of a 'hold' workload of gib GiB; returns them as dicts.

    kinds are the monitored windows, each between two unmonitored ones:
    damon (vaddr), damon-wait, damon-noflush, page_idle, paddr or paddr_fault.  By
    default those of the 'ovh' part.
    """
    wl = Workload(os.path.join(args.bin, 'workload'),
                  ['-p', 'hold', '-s', str(gib << 10), '-H', '10',
                   '-d', '100000', '-P', '0.5', '-T', 'nothp'])
    t = time.monotonic()
    wl.wait_ready()
    wl.started.wait()
    log('hold %d GiB: populated in %.1f s' % (gib, time.monotonic() - t))
    t = time.monotonic()
    steady = wl.settle()
    log('hold %d GiB: %s after %.1f s' %
        (gib, 'steady' if steady else 'still unsteady', time.monotonic() - t))
    w = args.window
    # Each monitored window between two unmonitored ones; on our kernel
    # the flush on and off in an order that alternates from size to size,
    # so that neither always comes first after the populating.
    if kinds is None:
        kinds = ['damon']
        if args.kernel == 'ours':
            if args.extras:
                kinds.append('damon-noflush')
                if os.path.exists(FLUSH_WAIT):
                    kinds.insert(1, 'damon-wait')
                if args.sizes.split(',').index(str(gib)) % 2:
                    kinds.reverse()
            kinds.append('page_idle')
    plan = ['none']
    for kind in kinds:
        plan += [kind, 'none']
    windows = []
    for kind in plan:
        rec = {'size_gib': gib, 'kind': kind}
        if kind.startswith('damon') or kind.startswith('paddr'):
            set_flush(kind != 'damon-noflush', kind == 'damon-wait')
            if kind.startswith('paddr'):
                kdamond = iface.start(kind, system_ram())
            else:
                kdamond = iface.start(wl.pid)
            time.sleep(1)
            rec['cpu_per_s'], rec['cpu_samples'], t0, t1, rec['faults'] = \
                cpu_per_second(kdamond, w, wl.pid)
            iface.stop()
            set_flush(True)
        elif kind == 'page_idle':
            out = subprocess.run(
                [os.path.join(args.bin, 'page_idle_scan'),
                 '-p', str(wl.pid), '-a', str(wl.area[0]),
                 '-e', str(wl.area[1]), '-i', '100', '-d', str(w)],
                stdout=subprocess.PIPE, text=True, check=True).stdout
            words = out.split()
            res = dict(zip(words[::2], words[1::2]))
            t0 = float(res['begin'])
            t1 = t0 + float(res['wall'])
            rec['cpu_per_s'] = float(res['needed'])
            rec['cpu_per_scan'] = float(res['cpu_per_scan'])
            rec['scans'] = int(res['scans'])
        else:
            f0 = minor_faults(wl.pid)
            t0 = time.monotonic()
            time.sleep(w)
            t1 = time.monotonic()
            rec['faults'] = minor_faults(wl.pid) - f0
        rec['seconds'] = t1 - t0
        rec['passes_per_s'] = wl.rate(t0, t1)
        rec['rates'] = wl.rates(t0, t1)
        log('hold %d GiB %-13s %8.1f passes/s%s%s' %
            (gib, kind, rec['passes_per_s'],
             '  %.4f CPU s/s' % rec['cpu_per_s'] if 'cpu_per_s' in rec
             else '',
             '  %.0f faults/s' % (rec['faults'] / rec['seconds'])
             if rec.get('faults') is not None else ''))
        windows.append(rec)
    wl.stop()
    return windows


def fits(res, gib):
    """Whether a hold mapping of gib GiB fits in the guest; logs and
    records it in res if not."""
    # Leave room for the kernel, the tracer and the programs.
    if (gib << 30) + (768 << 20) <= res['mem_bytes']:
        return True
    log('hold %d GiB: does not fit in %.1f GiB, skipped' %
        (gib, res['mem_bytes'] / 2**30))
    res['skipped_sizes'].append(gib)
    return False


def fault_part(args, iface, res):
    """paddr_fault next to paddr: accuracy, kdamond CPU, and what the
    workload pays per page fault that paddr_fault makes it take."""
    if not os.path.exists(DBGFS + '/report_filters'):
        log('no paddr_fault on this kernel: fault part skipped')
        return
    scenarios = [('stairs-paddr', 'stairs', 'paddr'),
                 ('zigzag-paddr', 'zigzag', 'paddr'),
                 ('stairs-paddr_fault', 'stairs', 'paddr_fault'),
                 ('zigzag-paddr_fault', 'zigzag', 'paddr_fault')]
    if args.order == 'reverse':
        scenarios.reverse()
    for name, pattern, mode in scenarios:
        if name not in res['accuracy']:
            res['accuracy'][name] = accuracy(args, iface, name, pattern,
                                             mode)
    sizes = [int(x) for x in args.fault_sizes.split(',')]
    for i, gib in enumerate(sizes):
        if not fits(res, gib):
            continue
        # Which of the two comes first after populating alternates.
        kinds = ['paddr', 'paddr_fault']
        if (i % 2) != (args.order == 'reverse'):
            kinds.reverse()
        res['fault_sizes'].append(gib)
        res['overhead'] += overhead(args, iface, gib, kinds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, choices=('ours', 'mainline'))
    ap.add_argument('--out', required=True)
    ap.add_argument('--bin', required=True)
    ap.add_argument('--sizes', default='1,2,4,8')
    ap.add_argument('--window', type=float, default=10)
    ap.add_argument('--phase', type=float, default=5)
    ap.add_argument('--iface', default='dbgfs', choices=('dbgfs', 'sysfs'))
    ap.add_argument('--only', default='acc,ovh')
    ap.add_argument('--fault-sizes', default='1,4')
    ap.add_argument('--extras', action='store_true',
                    help='also the variants that explain, not the targets: '
                    'ours without the flush and with the waiting flush')
    ap.add_argument('--order', default='forward',
                    choices=('forward', 'reverse'))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    pin(0, MONITOR_CPU)
    iface = Dbgfs() if args.iface == 'dbgfs' else Sysfs()
    write(TRACING + '/trace_clock', 'mono')
    write(TRACING + '/buffer_size_kb', 32768)
    mem = os.sysconf('SC_PHYS_PAGES') * PAGE
    res = {'kernel': args.kernel, 'uname': os.uname().release,
           'iface': iface.name, 'mem_bytes': mem, 'phase': args.phase,
           'window': args.window, 'flush_param': os.path.exists(FLUSH),
           'order': args.order,
           'thp': read('/sys/kernel/mm/transparent_hugepage/enabled'),
           'accuracy': {}, 'overhead': [], 'skipped_sizes': [],
           'fault_sizes': []}
    log('%s kernel %s, %.1f GiB, interface %s' %
        (args.kernel, res['uname'], mem / 2**30, iface.name))
    only = args.only.split(',')
    if 'acc' in only:
        # Transparent huge pages as the system has them (always), then
        # the same in base pages (4k).
        scenarios = [('stairs-vaddr', 'stairs', 'vaddr', True, True),
                     ('zigzag-vaddr', 'zigzag', 'vaddr', True, True),
                     ('stairs-vaddr-4k', 'stairs', 'vaddr', True, False),
                     ('zigzag-vaddr-4k', 'zigzag', 'vaddr', True, False),
                     ('stairs-paddr', 'stairs', 'paddr', True, True),
                     ('zigzag-paddr', 'zigzag', 'paddr', True, True)]
        if res['flush_param'] and args.extras:
            scenarios += [
                ('stairs-vaddr-noflush', 'stairs', 'vaddr', False, True),
                ('zigzag-vaddr-noflush', 'zigzag', 'vaddr', False, True)]
        # The order alternates between runs (--order), so that what the
        # first scenarios leave behind in qemu's software TLB cannot
        # always favour the same ones.
        if args.order == 'reverse':
            scenarios.reverse()
        for name, pattern, mode, flush, huge in scenarios:
            res['accuracy'][name] = accuracy(args, iface, name, pattern,
                                             mode, flush, huge)
    if 'ovh' in only:
        for gib in (int(x) for x in args.sizes.split(',')):
            if not fits(res, gib):
                continue
            res['overhead'] += overhead(args, iface, gib)
    if 'fault' in only:
        fault_part(args, iface, res)
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump(res, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
