# SPDX-License-Identifier: GPL-2.0
"""damo record against a fake debugfs (regular files in a temp dir).

A FakeKernel thread stands in for the kernel: it notes what the files hold
when monitoring is turned on and writes the record file.  The tests check
what damo wrote and that every setting is back afterwards.
"""

import errno
import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time

import support
from support import KNOWN, run_damo
from damolib import dbgfs, recfile, recload
from damolib.errors import DamoError


class RecordTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.dbg = support.make_debugfs(self.path('damon'))
        self.sysfs, self.proc = support.make_sysfs(self.path('root'))
        self.out = self.path('out.data')

    def damo(self, *args, record_bytes=None, kernel=True):
        fake = None
        if kernel:
            fake = support.FakeKernel(
                self.dbg, recfile.dumps(KNOWN) if record_bytes is None
                else record_bytes)
            fake.start()
        status, out, err = run_damo(
            ['record', '--debugfs', self.dbg, '--sysfs-root', self.sysfs,
             '--proc-root', self.proc, '-o', self.out] + list(args))
        if fake:
            fake.stop()
        self.assertNotIn('Traceback', err)
        return status, out, err, fake

    def assert_restored(self):
        self.assertEqual(support.read_tree(self.dbg),
                         support.DEBUGFS_BEFORE)

    def test_command(self):
        status, out, err, fake = self.damo(
            '-s', '1000', '-a', '20000', '-u', '500000', '-n', '5', '-m',
            '50', '-l', '4096', 'sleep', '0.3')
        self.assertEqual(status, 0, err)
        seen = fake.seen
        self.assertEqual(seen['attrs'], '1000 20000 500000 5 50')
        self.assertTrue(seen['target_ids'].isdigit())
        self.assertNotEqual(int(seen['target_ids']), os.getpid())
        self.assertEqual(seen['record'], '4096 %s' % self.out)
        self.assertEqual(seen['init_regions'], '')
        self.assertEqual(seen['monitor_on'], 'on')
        self.assertIn('4 snapshots', out)
        self.assertEqual(recload.load(self.out).snapshots, KNOWN)
        self.assert_restored()

    def test_command_as_one_string(self):
        status, _, err, fake = self.damo('-r', '0x1000-0x2000,8192-16384',
                                         'sh -c "sleep 0.2"')
        self.assertEqual(status, 0, err)
        pid = fake.seen['target_ids']
        self.assertEqual(fake.seen['init_regions'],
                         '%s 4096 8192\n%s 8192 16384' % (pid, pid))
        self.assert_restored()

    def test_old_file_kept(self):
        with open(self.out, 'w') as f:
            f.write('old')
        status, _, err, _ = self.damo('sleep', '0.2')
        self.assertEqual(status, 0, err)
        with open(self.out + '.old') as f:
            self.assertEqual(f.read(), 'old')

    def test_pid(self):
        child = subprocess.Popen(['sleep', '0.3'])
        # Reap it as soon as it exits, as its parent would.
        reaper = threading.Thread(target=child.wait)
        reaper.start()
        try:
            status, _, err, fake = self.damo(str(child.pid))
        finally:
            reaper.join()
        self.assertEqual(status, 0, err)
        self.assertEqual(fake.seen['target_ids'], str(child.pid))
        self.assert_restored()

    def test_paddr_default_range(self):
        status, _, err, fake = self.damo('--duration', '0.2', 'paddr')
        self.assertEqual(status, 0, err)
        self.assertEqual(fake.seen['target_ids'], 'paddr')
        self.assertEqual(fake.seen['init_regions'],
                         '-1 %d %d' % (0x100000000, 0x280000000))
        self.assert_restored()

    def test_paddr_numa_node(self):
        status, _, err, fake = self.damo('--duration', '0.2',
                                         '--numa_node', '1', 'paddr')
        self.assertEqual(status, 0, err)
        self.assertEqual(fake.seen['init_regions'], '-1 %d %d\n-1 %d %d' % (
            0x140000000, 0x180000000, 0x1a0000000, 0x280000000))
        self.assert_restored()

    def test_paddr_missing_node(self):
        status, _, err, _ = self.damo('--numa_node', '3', 'paddr',
                                      kernel=False)
        self.assertEqual(status, 1)
        self.assertIn('NUMA node 3 does not exist', err)
        self.assert_restored()

    def test_nothing_recorded(self):
        status, _, err, _ = self.damo('--duration', '0.1', 'paddr',
                                      record_bytes=b'')
        self.assertEqual(status, 1)
        self.assertIn('no record was written', err)
        self.assert_restored()

    def test_already_on(self):
        with open(os.path.join(self.dbg, 'monitor_on'), 'w') as f:
            f.write('on\n')
        status, _, err, _ = self.damo('paddr', kernel=False)
        self.assertEqual(status, 1)
        self.assertIn('already monitoring', err)

    def test_pids_and_deprecated_monitor_on(self):
        """Older and newer file names are found."""
        os.rename(os.path.join(self.dbg, 'target_ids'),
                  os.path.join(self.dbg, 'pids'))
        os.rename(os.path.join(self.dbg, 'monitor_on'),
                  os.path.join(self.dbg, 'monitor_on_DEPRECATED'))
        d = dbgfs.Debugfs(self.dbg)
        self.assertEqual((d.targets_file, d.monitor_file),
                         ('pids', 'monitor_on_DEPRECATED'))

    def test_duration_leaves_command_running(self):
        status, _, err, _ = self.damo('--duration', '0.2', 'sleep', '30')
        self.assertEqual(status, 0, err)
        m = re.search(r'the command \(pid (\d+)\) is still running', err)
        self.assertTrue(m, err)
        os.kill(int(m.group(1)), signal.SIGKILL)
        self.assert_restored()

    def test_progress_on_a_terminal(self):
        fake = support.FakeKernel(self.dbg, recfile.dumps(KNOWN))
        fake.start()
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, support.DAMO, 'record', '--debugfs', self.dbg,
             '--proc-root', self.proc, '--sysfs-root', self.sysfs,
             '--duration', '0.6', '-o', self.out, 'paddr'],
            stdout=slave, stderr=subprocess.DEVNULL)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:     # EIO: the other side is closed
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=20)
        os.close(master)
        fake.stop()
        text = b''.join(chunks).decode()
        self.assertEqual(proc.returncode, 0)
        self.assertIn('recording physical memory 0x100000000-0x280000000; '
                      'for 0.6 s', text)
        self.assertRegex(text, r'\rrecording: \d+\.\d s elapsed, 4 '
                         r'snapshots, \d+ B')
        self.assertIn('4 snapshots', text)

    def test_signal_restores(self):
        """SIGINT and SIGTERM stop the recording and restore settings."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            fake = support.FakeKernel(self.dbg, recfile.dumps(KNOWN))
            fake.start()
            # A shell starts background jobs with SIGINT ignored, and
            # Python keeps it so: let damo see SIGINT as from a terminal.
            proc = subprocess.Popen(
                [sys.executable, support.DAMO, 'record', '--debugfs',
                 self.dbg, '--proc-root', self.proc, '--sysfs-root',
                 self.sysfs, '-o', self.out, 'paddr'],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                universal_newlines=True, preexec_fn=_default_sigint)
            self.assertTrue(fake.started_monitoring.wait(10))
            time.sleep(0.2)
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
            fake.stop()
            self.assertEqual(proc.returncode, 0, err)
            self.assertIn('interrupted; 4 snapshots', out)
            self.assertNotIn('Traceback', err)
            self.assert_restored()


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class TracepointRecordTest(support.TempDirTest):
    """Without a debugfs record file, damo reads trace_pipe itself."""

    def setUp(self):
        super().setUp()
        self.dbg = support.make_debugfs(self.path('damon'), omit=('record',))
        self.trace = self.path('tracing')
        self.write('tracing/events/damon/damon_aggregated/enable', '0\n')
        self.write('tracing/tracing_on', '0\n')
        self.write('tracing/trace_pipe',
                   '\n'.join(support.trace_lines(KNOWN, 'tracefs')) + '\n')
        os.mkdir(self.path('tracing', 'instances'))
        self.sysfs, self.proc = support.make_sysfs(self.path('root'))

    def test_record_from_trace(self):
        fake = support.FakeKernel(self.dbg)
        fake.start()
        out = self.path('t.data')
        status, stdout, err = run_damo(
            ['record', '--debugfs', self.dbg, '--tracefs', self.trace,
             '--sysfs-root', self.sysfs, '--proc-root', self.proc,
             '--duration', '0.3', '-o', out, 'paddr'])
        fake.stop()
        self.assertEqual(status, 0, err)
        self.assertIn('recording through the damon_aggregated tracepoint',
                      err)
        self.assertEqual(
            self.read('tracing/events/damon/damon_aggregated/enable'), '0\n')
        self.assertEqual(self.read('tracing/tracing_on'), '0\n')
        self.assertEqual(os.listdir(self.path('tracing', 'instances')), [])
        rec = recload.load(out)
        self.assertEqual(rec.fmt, 'binary v2')
        self.assertEqual(rec.snapshots, KNOWN)
        self.assertIn('4 snapshots', stdout)
        self.assertEqual(support.read_tree(self.dbg),
                         {k: v for k, v in support.DEBUGFS_BEFORE.items()
                          if k != 'record'})

    def test_missing_event(self):
        os.unlink(self.path('tracing/events/damon/damon_aggregated/enable'))
        status, _, err = run_damo(
            ['record', '--debugfs', self.dbg, '--tracefs', self.trace,
             '--sysfs-root', self.sysfs, '--proc-root', self.proc,
             '--duration', '0.1', '-o', self.path('t.data'), 'paddr'])
        self.assertEqual(status, 1)
        self.assertIn('tracepoint damon:damon_aggregated not found', err)
        self.assertEqual(support.read_tree(self.dbg),
                         {k: v for k, v in support.DEBUGFS_BEFORE.items()
                          if k != 'record'})


class InitRegionsKeyTest(support.TempDirTest):
    """Kernels that want the target index instead of -1/pid."""

    def test_falls_back_to_index(self):
        path = support.make_debugfs(self.path('damon'))

        class IndexOnly(dbgfs.Debugfs):
            def write(self, name, value):
                if name == dbgfs.INIT_REGIONS and value.startswith('-1'):
                    try:
                        raise OSError(errno.EINVAL, 'Invalid argument')
                    except OSError as e:
                        raise DamoError('rejected') from e
                super().write(name, value)

        d = IndexOnly(path)
        self.assertEqual(d.set_init_regions([-1, 0], [(4096, 8192)]), 0)
        self.assertEqual(d.read(dbgfs.INIT_REGIONS), '0 4096 8192')

    def test_readback_mismatch(self):
        path = support.make_debugfs(self.path('damon'))

        class Forgetful(dbgfs.Debugfs):
            def write(self, name, value):
                super().write(name, '' if name == dbgfs.INIT_REGIONS
                              else value)

        with self.assertRaisesRegex(DamoError, 'reads back nothing'):
            Forgetful(path).set_init_regions([-1], [(4096, 8192)])


if __name__ == '__main__':
    import unittest
    unittest.main()
