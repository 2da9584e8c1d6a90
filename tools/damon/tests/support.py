# SPDX-License-Identifier: GPL-2.0
"""Shared fixtures for damo's tests: known records, fake kernel trees.

Importing this module puts tools/damon on sys.path so tests can import
damolib whichever directory they are started from.
"""

import contextlib
import io
import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

DAMON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAMO = os.path.join(DAMON_DIR, 'damo')
if DAMON_DIR not in sys.path:
    sys.path.insert(0, DAMON_DIR)

from damolib import cli  # noqa: E402
from damolib.model import Region, Snapshot, TargetSnapshot  # noqa: E402

S = 1000000000


def snap(end_ns, *targets):
    """snap(t, (tid, [(start, end, acc), ...]), ...) -> Snapshot."""
    return Snapshot(end_ns, [
        TargetSnapshot(tid, [Region(*r) for r in regions])
        for tid, regions in targets])


# One target, four snapshots 100 ms apart; the working set sizes are
# 8 KiB, 4 KiB, 12 KiB, 16 KiB and the region counts 2, 2, 3, 1.
KNOWN = [
    snap(1 * S, (42, [(0x1000, 0x3000, 0), (0x3000, 0x5000, 4)])),
    snap(1 * S + S // 10, (42, [(0x1000, 0x2000, 2), (0x2000, 0x5000, 0)])),
    snap(1 * S + 2 * S // 10,
         (42, [(0x1000, 0x3000, 1), (0x3000, 0x4000, 3),
               (0x4000, 0x5000, 0)])),
    snap(1 * S + 3 * S // 10, (42, [(0x1000, 0x5000, 5)])),
]

# Two targets (ids that fit version 1's 32-bit field, one negative).
G = 1 << 32
MULTI = [
    snap(5 * S, (1, [(0, 4096, 1)]),
         (-1, [(G, G + 8192, 0), (G + 8192, G + 16384, 7)])),
    snap(6 * S, (1, [(0, 4096, 0)]), (-1, [(G, G + 16384, 2)])),
]


def trace_lines(snapshots, style='perf'):
    """Render snapshots as damon_aggregated trace text, in the layout of
    `perf script` ('perf') or of tracefs trace_pipe ('tracefs')."""
    out = []
    if style == 'tracefs':
        out.append('# tracer: nop')
        out.append('#')
    for s in snapshots:
        ts = '%d.%06d' % (s.end_ns // S, s.end_ns % S // 1000)
        for t in s.targets:
            tid = t.target_id & ((1 << 64) - 1)
            for r in t.regions:
                # No age field when the region has none, as the first
                # kernels printed it.
                ev = ('target_id=%d nr_regions=%d %d-%d: %d' % (
                    tid, len(t.regions), r.start, r.end, r.nr_accesses))
                if r.age is not None:
                    ev += ' %d' % r.age
                if style == 'perf':
                    out.append('       kdamond.0   812 [001] %12s: '
                               'damon:damon_aggregated: %s' % (ts, ev))
                else:
                    out.append('       kdamond.0-812     [001] .....'
                               ' %12s: damon_aggregated: %s' % (ts, ev))
    return out


def run_damo(argv):
    """Run damo in this process; returns (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as e:     # argparse errors and --help
            status = e.code if isinstance(e.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def damo_checked(test, opts, argv, status=0):
    """Run "damo CMD OPTS ARGS..." (argv = [CMD, ARGS...]), check its exit
    status and that it printed no traceback; returns (stdout, stderr)."""
    got, out, err = run_damo(list(argv[:1]) + list(opts) + list(argv[1:]))
    test.assertEqual(got, status, err)
    test.assertNotIn('Traceback', err)
    return out, err


class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary directory in self.tmp."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='damo-test-')
        self.addCleanup(shutil.rmtree, self.tmp, True)
        # Tests must never see the real kernel's files by accident (the
        # machine running them may well have DAMON running): point damo
        # at empty places unless a test gives its own fake tree.
        for var, value in (('DAMO_DEBUGFS', 'no-debugfs'),
                           ('DAMO_TRACEFS', 'no-tracefs'),
                           ('DAMO_SYSFS_ROOT', 'no-sysfs'),
                           ('DAMO_PROC_ROOT', None)):
            old = os.environ.pop(var, None)
            if old is not None:
                self.addCleanup(os.environ.__setitem__, var, old)
            else:
                self.addCleanup(os.environ.pop, var, None)
            if value is not None:
                os.environ[var] = self.path(value)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write(self, relpath, text, mode='w'):
        path = self.path(relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path

    def read(self, relpath):
        with open(self.path(relpath)) as f:
            return f.read()


# A machine with a PCI hole between 2 GiB and 4 GiB, 512 MiB memory blocks,
# node 0 = blocks 0-3 and 8-9, node 1 = blocks 10-19 of which 12 is
# offline.
IOMEM = """\
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-0009ffff : Reserved
000a0000-000bffff : PCI Bus 0000:00
000f0000-000fffff : Reserved
  000f0000-000fffff : System ROM
00100000-7ffdffff : System RAM
  01000000-01ffffff : Kernel code
  02000000-0220ffff : Kernel data
7ffe0000-7fffffff : Reserved
80000000-afffffff : PCI Bus 0000:00
100000000-27fffffff : System RAM
"""
BLOCK = 0x20000000
NODES = {0: [0, 1, 2, 3, 8, 9], 1: list(range(10, 20))}
OFFLINE = (12,)


def make_sysfs(root, nodes=None, offline=OFFLINE, block_size='20000000',
               iomem=IOMEM, node_dir=True):
    """Build fake /proc/iomem and /sys/devices/system/{memory,node} trees
    under root; returns (sysfs root, proc root)."""
    nodes = NODES if nodes is None else nodes
    sysfs = os.path.join(root, 'sys')
    proc = os.path.join(root, 'proc')
    os.makedirs(proc, exist_ok=True)
    with open(os.path.join(proc, 'iomem'), 'w') as f:
        f.write(iomem)
    mem = os.path.join(sysfs, 'devices', 'system', 'memory')
    os.makedirs(mem, exist_ok=True)
    if block_size is not None:
        with open(os.path.join(mem, 'block_size_bytes'), 'w') as f:
            f.write(block_size + '\n')
    ndir = os.path.join(sysfs, 'devices', 'system', 'node')
    for node, blocks in nodes.items():
        if node_dir:
            os.makedirs(os.path.join(ndir, 'node%d' % node), exist_ok=True)
        for b in blocks:
            bdir = os.path.join(mem, 'memory%d' % b)
            os.makedirs(bdir, exist_ok=True)
            with open(os.path.join(bdir, 'state'), 'w') as f:
                f.write('offline\n' if b in offline else 'online\n')
            if node_dir:
                os.symlink(os.path.join('..', '..', 'memory',
                                        'memory%d' % b),
                           os.path.join(ndir, 'node%d' % node,
                                        'memory%d' % b))
    return sysfs, proc


DEBUGFS_BEFORE = {
    'attrs': '5000 100000 1000000 10 1000',
    'target_ids': '',
    'init_regions': '',
    'record': '0',
    'monitor_on': 'off',
    'kdamond_pid': 'none',
}


def make_debugfs(path, files=None, omit=()):
    """A fake DAMON debugfs directory of regular files."""
    files = dict(DEBUGFS_BEFORE if files is None else files)
    os.makedirs(path, exist_ok=True)
    for name, value in files.items():
        if name in omit:
            continue
        with open(os.path.join(path, name), 'w') as f:
            f.write(value + '\n' if value else '')
    return path


def read_tree(path):
    """{name: stripped content} of the regular files in a directory."""
    out = {}
    for name in sorted(os.listdir(path)):
        full = os.path.join(path, name)
        if os.path.isfile(full):
            with open(full) as f:
                out[name] = f.read().strip()
    return out


class FakeKernel(threading.Thread):
    """Plays the kernel behind a fake debugfs directory.

    When monitor_on becomes "on" it records what every file holds (in
    self.seen), writes `record_bytes` to the path named in the record file
    (if any), and shows a kdamond pid; when monitor_on turns "off" it
    clears the pid again.  Works across processes, as it only looks at
    files.
    """

    def __init__(self, dbgfs, record_bytes=None, timeout=20):
        super().__init__(daemon=True)
        self.dbgfs = dbgfs
        self.record_bytes = record_bytes
        self.seen = None
        self.timeout = timeout
        self.started_monitoring = threading.Event()
        self._quit = threading.Event()

    def _read(self, name):
        try:
            with open(os.path.join(self.dbgfs, name)) as f:
                return f.read().strip()
        except OSError:
            return None

    def _write(self, name, value):
        with open(os.path.join(self.dbgfs, name), 'w') as f:
            f.write(value + '\n')

    def run(self):
        deadline = time.monotonic() + self.timeout
        while not self._quit.is_set() and time.monotonic() < deadline:
            state = self._read('monitor_on')
            if state == 'on' and self.seen is None:
                self.seen = read_tree(self.dbgfs)
                rec = (self._read('record') or '').split()
                if self.record_bytes is not None and len(rec) == 2:
                    with open(rec[1], 'wb') as f:
                        f.write(self.record_bytes)
                self._write('kdamond_pid', '4242')
                self.started_monitoring.set()
            elif state == 'off' and self.seen is not None:
                self._write('kdamond_pid', 'none')
                return
            time.sleep(0.01)

    def stop(self):
        self._quit.set()
        self.join(5)


class FakeSysfs:
    """Plays the kernel behind a fake DAMON sysfs tree (regular files).

    install() wraps damolib.sysfs's low-level write so that, as in the
    kernel, writing nr_kdamonds, nr_contexts, nr_targets, a target's
    nr_regions, nr_schemes, nr_filters or nr_goals makes that many fresh
    child directories (schemes with made-up stats), writing "on" to a
    kdamond's state starts it (pid 4321; EBUSY if it runs), "off" stops
    it, and "commit" counts (EINVAL if it is not running); nr_kdamonds
    and operations refuse writes (EBUSY) while it runs.  In-process
    tests only.
    """

    CONTEXT = {
        'avail_operations': 'vaddr\nfvaddr\npaddr',
        'operations': 'vaddr',
        'monitoring_attrs/intervals/sample_us': '5000',
        'monitoring_attrs/intervals/aggr_us': '100000',
        'monitoring_attrs/intervals/update_us': '1000000',
        'monitoring_attrs/nr_regions/min': '10',
        'monitoring_attrs/nr_regions/max': '1000',
        'targets/nr_targets': '0',
        'schemes/nr_schemes': '0',
    }

    SCHEME = dict(
        [('action', 'stat'), ('target_nid', '0'),
         ('apply_interval_us', '0'), ('quotas/ms', '0'),
         ('quotas/bytes', '0'), ('quotas/reset_interval_ms', '0'),
         ('quotas/goals/nr_goals', '0'), ('filters/nr_filters', '0'),
         ('watermarks/metric', 'none'), ('stats/nr_tried', '7'),
         ('stats/sz_tried', '8192'), ('stats/nr_applied', '7'),
         ('stats/sz_applied', '8192'), ('stats/qt_exceeds', '0')] +
        [('access_pattern/%s/%s' % (k, m), '0')
         for k in ('sz', 'nr_accesses', 'age') for m in ('min', 'max')] +
        [('quotas/weights/%s_permil' % k, '0')
         for k in ('sz', 'nr_accesses', 'age')] +
        [('watermarks/' + k, '0')
         for k in ('interval_us', 'high', 'mid', 'low')])

    def __init__(self, root):
        self.root = root
        self.admin = os.path.join(root, 'kernel', 'mm', 'damon', 'admin')
        self._files({'kdamonds/nr_kdamonds': '0'}, self.admin)
        self.commits = 0
        self.seen = None        # the tree when turned on

    def _files(self, files, base):
        for rel, value in files.items():
            path = os.path.join(base, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(value + '\n')

    def _children(self, parent, count, files):
        for name in os.listdir(parent):
            if name.isdigit():
                shutil.rmtree(os.path.join(parent, name))
        for i in range(count):
            self._files(files, os.path.join(parent, str(i)))

    def read(self, rel):
        with open(os.path.join(self.admin, rel)) as f:
            return f.read().strip()

    def tree(self):
        out = {}
        for dirpath, _, names in os.walk(self.admin):
            for name in names:
                path = os.path.join(dirpath, name)
                with open(path) as f:
                    out[os.path.relpath(path, self.admin)] = f.read().strip()
        return out

    def on(self):
        return self.read('kdamonds/0/state') == 'on' if os.path.exists(
            os.path.join(self.admin, 'kdamonds/0/state')) else False

    def write(self, real_write, path, value):
        import errno
        name = os.path.basename(path)
        parent = os.path.dirname(path)
        value = value.strip()
        if name == 'state':
            if value == 'on':
                if self.on():
                    raise OSError(errno.EBUSY, 'Device or resource busy')
                real_write(path, 'on')
                real_write(os.path.join(parent, 'pid'), '4321')
                self.seen = self.tree()
            elif value == 'off':
                real_write(path, 'off')
                real_write(os.path.join(parent, 'pid'), '-1')
            elif value == 'update_schemes_tried_regions':
                self.tried(parent)
            elif value == 'commit':
                if not self.on():
                    raise OSError(errno.EINVAL, 'Invalid argument')
                self.commits += 1
            else:
                raise OSError(errno.EINVAL, 'Invalid argument')
            return
        if name in ('nr_kdamonds', 'operations') and self.on():
            raise OSError(errno.EBUSY, 'Device or resource busy')
        real_write(path, value)
        if name == 'nr_kdamonds':
            self._children(parent, int(value), {
                'state': 'off', 'pid': '-1', 'contexts/nr_contexts': '0'})
        elif name == 'nr_contexts':
            self._children(parent, int(value), self.CONTEXT)
        elif name == 'nr_targets':
            self._children(parent, int(value), {
                'pid_target': '0', 'regions/nr_regions': '0'})
        elif name == 'nr_regions' and os.path.basename(parent) == 'regions':
            self._children(parent, int(value), {'start': '0', 'end': '0'})
        elif name == 'nr_schemes':
            self._children(parent, int(value), self.SCHEME)
        elif name == 'nr_filters':
            self._children(parent, int(value), {
                'type': 'anon', 'matching': 'N', 'memcg_path': '',
                'addr_start': '0', 'addr_end': '0',
                'damon_target_idx': '0'})
        elif name == 'nr_goals':
            self._children(parent, int(value), {'target_metric': '',
                                                'target_value': '0',
                                                'current_value': '0'})

    def tried(self, kdamond):
        """Two made-up tried regions for every scheme of kdamond."""
        base = os.path.join(kdamond, 'contexts', '0', 'schemes')
        for name in os.listdir(base):
            if name.isdigit():
                self._files({'total_bytes': '12288', '0/start': '4096',
                             '0/end': '8192', '0/nr_accesses': '0',
                             '0/age': '3', '1/start': '8192',
                             '1/end': '16384', '1/nr_accesses': '2',
                             '1/age': '0'},
                            os.path.join(base, name, 'tried_regions'))

    def install(self, test):
        from unittest import mock
        from damolib import sysfs
        real = sysfs._write
        patcher = mock.patch.object(
            sysfs, '_write',
            side_effect=lambda path, value: self.write(real, path, value))
        patcher.start()
        test.addCleanup(patcher.stop)
        return self


class SysfsCase(TempDirTest):
    """A test against a FakeSysfs tree (self.fake); self.damo() runs damo
    with the options that point it there."""

    def setUp(self):
        super().setUp()
        self.root, self.proc = make_sysfs(self.path('root'))
        self.fake = FakeSysfs(self.root).install(self)
        self.opts = ['--sysfs-root', self.root, '--proc-root', self.proc]

    def damo(self, *argv, status=0):
        return damo_checked(self, self.opts, argv, status)
