# SPDX-License-Identifier: GPL-2.0
"""Helpers for DAMON's accuracy tests: a workload with a known hot set,
the damon:damon_aggregated tracepoint read as aggregation snapshots, and
hot-set precision and recall computed from them."""

import os
import re
import select
import struct
import subprocess
import threading
import time

TRACEFS = '/sys/kernel/tracing'
EVENT = 'events/damon/damon_aggregated'
THP = '/sys/kernel/mm/transparent_hugepage/enabled'
HERE = os.path.dirname(os.path.abspath(__file__))

# "<task>-<pid> [<cpu>] <flags> <seconds>: damon_aggregated: target_id=..."
_LINE = re.compile(r'-(\d+)\s+(?:\([^)]*\)\s+)?\[\d+\].*?\s(\d+\.\d+): '
                   r'damon_aggregated: target_id=(\d+) '
                   r'nr_regions=(\d+) (\d+)-(\d+): (\d+) (\d+)')
_MARK = re.compile(r'\s(\d+\.\d+): tracing_mark_write: (.*)$')


def workload_path():
    """Where hot_set_workload was built, or None.

    Next to the tests once installed; in $OUTPUT when run_tests runs the
    tests from the source directory with an output directory elsewhere.
    """
    for d in (HERE, os.environ.get('OUTPUT')):
        if d and os.access(os.path.join(d, 'hot_set_workload'), os.X_OK):
            return os.path.join(d, 'hot_set_workload')
    return None


class Workload:
    """hot_set_workload, started and waited for until its buffer is ready.

    Attributes once ready: pid, buf (start, end) and hot (start, end).
    """

    def __init__(self, args=(), path=None):
        path = path or workload_path()
        self.proc = subprocess.Popen([path] + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().split()
        if len(line) != 6 or line[0] != 'ready':
            self.proc.kill()
            raise RuntimeError('workload did not start: %r' % line)
        self.pid = int(line[1])
        self.buf = (int(line[2], 16), int(line[3], 16))
        self.hot = (int(line[4], 16), int(line[5], 16))

    def stop(self):
        """Stop it; return its passes over the hot set per second."""
        if self.proc.poll() is None:
            self.proc.terminate()
        out = self.proc.stdout.read().split()
        self.proc.wait()
        if len(out) >= 4 and out[0] == 'sweeps':
            return int(out[1]) / max(float(out[3]), 1e-9)
        return None

    def wait(self):
        """Wait until it ends by itself; same return value as stop()."""
        self.proc.wait()
        return self.stop()

    def hot_pfns(self):
        """The page frame numbers of the hot set, from /proc/pid/pagemap."""
        return pfns_of(self.pid, *self.hot)


def pfns_of(pid, start, end):
    """The frame numbers of the present pages of [start, end) in process
    pid, from /proc/<pid>/pagemap (which shows them to root only)."""
    page = os.sysconf('SC_PAGESIZE')
    pfns = []
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // page * 8)
        data = f.read((end - start) // page * 8)
    for (entry,) in struct.iter_unpack('=Q', data):
        if entry >> 63:
            pfns.append(entry & ((1 << 55) - 1))
    return pfns


class AggregationTrace:
    """Collects damon_aggregated events from trace_pipe in a thread.

    snapshots() returns [(seconds, target_id, [(start, end, nr_accesses)])]
    for every complete aggregation of a target, in time order; of all
    kdamonds, or of the one whose pid is given.
    """

    def __init__(self):
        if not os.path.isdir(os.path.join(TRACEFS, EVENT)):
            raise FileNotFoundError('no %s in %s' % (EVENT, TRACEFS))
        self._write('tracing_on', '0')
        self._write('trace', '')
        self._write(EVENT + '/enable', '1')
        self._write('tracing_on', '1')
        self._lines = []
        # wait()'s count, parsed from the lines as they come (see there).
        self._counted = 0
        self._open = {}
        self._complete = 0
        self._stop = False
        self._fd = os.open(os.path.join(TRACEFS, 'trace_pipe'),
                           os.O_RDONLY | os.O_NONBLOCK)
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    @staticmethod
    def _write(name, value):
        with open(os.path.join(TRACEFS, name), 'w') as f:
            f.write(value)

    def _read(self):
        data = b''
        while True:
            stop = self._stop
            select.select([self._fd], [], [], 0.2)
            try:
                chunk = os.read(self._fd, 1 << 20)
            except BlockingIOError:
                chunk = b''
            data += chunk
            *lines, data = data.split(b'\n')
            self._lines.extend(line.decode(errors='replace')
                               for line in lines)
            if stop and not chunk:
                break
        os.close(self._fd)

    def mark(self, text):
        """Put a marker in the trace; marker() tells when it was."""
        self._write('trace_marker', text)

    def marker(self, text):
        """The trace time of the marker text, or None."""
        for line in list(self._lines):
            m = _MARK.search(line)
            if m and m.group(2) == text:
                return float(m.group(1))
        return None

    def stop(self):
        """Stop tracing and wait until the reader drained the pipe."""
        self._write(EVENT + '/enable', '0')
        self._stop = True
        self._thread.join()
        self._write('tracing_on', '0')

    def _count(self):
        """How many complete aggregations (of any kdamond) were traced.

        Parses only the lines that came since the last call.  The test
        process is part of what a physical address space monitor sees:
        parsing every line again twice a second, as snapshots() would,
        kept megabytes of its own memory hot while the accuracy tests
        measured the guest's.
        """
        lines = self._lines
        while self._counted < len(lines):
            m = _LINE.search(lines[self._counted])
            self._counted += 1
            if not m:
                continue
            kdamond, tid, nr = (int(m.group(i)) for i in (1, 3, 4))
            c = self._open.get(kdamond)
            if c is None or c[0] != tid or c[1] == c[2]:
                c = self._open[kdamond] = [tid, 0, nr]
            c[1] += 1
            if c[1] == c[2]:
                self._complete += 1
        return self._complete

    def wait(self, nr, least_s, most_s):
        """Let monitoring run for least_s seconds, and on until nr
        aggregations were traced or most_s seconds passed: a loaded
        machine runs the kdamond slower than its intervals say."""
        t0 = time.monotonic()
        time.sleep(least_s)
        while self._count() < nr and time.monotonic() - t0 < most_s:
            time.sleep(0.5)

    def snapshots(self, pid=None):
        snaps = []
        cur = {}    # the snapshot each kdamond is in the middle of
        for line in list(self._lines):
            m = _LINE.search(line)
            if not m:
                continue
            kdamond = int(m.group(1))
            if pid is not None and kdamond != pid:
                continue
            ts = float(m.group(2))
            tid, nr = int(m.group(3)), int(m.group(4))
            region = (int(m.group(5)), int(m.group(6)), int(m.group(7)))
            c = cur.get(kdamond)
            if c is None or c[1] != tid or len(c[2]) == c[3]:
                c = cur[kdamond] = [ts, tid, [], nr]
                snaps.append(c)
            c[2].append(region)
        return [(s[0], s[1], s[2]) for s in snaps if len(s[2]) == s[3]]


def overlap(a_start, a_end, b_start, b_end):
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def vaddr_scores(regions, buf, hot):
    """(precision, recall, bytes accessed outside buf) of one aggregation.

    Precision is the share of the accessed bytes inside the workload's
    buffer that lie in the hot set: outside the buffer, the program's code,
    stack and libraries are really accessed, so they are no error.  Recall
    is the share of the hot set reported accessed.
    """
    in_buf = in_hot = outside = 0
    for start, end, nr_accesses in regions:
        if not nr_accesses:
            continue
        b = overlap(start, end, *buf)
        in_buf += b
        outside += end - start - b
        in_hot += overlap(start, end, *hot)
    precision = in_hot / in_buf if in_buf else 0.0
    return precision, in_hot / (hot[1] - hot[0]), outside


def paddr_scores(regions, hot_pfns, page_size):
    """(recall, accessed bytes) of one aggregation of physical memory.

    Recall is the share of the hot set's page frames that lie in regions
    reported accessed.
    """
    accessed = sorted((s, e) for s, e, n in regions if n)
    total = sum(e - s for s, e in accessed)
    found = 0
    i = 0
    for pfn in sorted(hot_pfns):
        addr = pfn * page_size
        while i < len(accessed) and accessed[i][1] <= addr:
            i += 1
        if i < len(accessed) and accessed[i][0] <= addr:
            found += 1
    return found / max(len(hot_pfns), 1), total


def set_thp(mode):
    """Set the THP mode; return the previous one, or None without THP."""
    try:
        with open(THP) as f:
            old = re.search(r'\[(\w+)\]', f.read()).group(1)
        with open(THP, 'w') as f:
            f.write(mode)
        return old
    except OSError:
        return None


def percent(x):
    return '%.1f%%' % (100 * x)
