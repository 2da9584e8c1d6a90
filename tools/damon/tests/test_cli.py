# SPDX-License-Identifier: GPL-2.0
"""The command line: help, argument errors, exit status, paddr_layout."""

import io
import os
import subprocess
import sys
import unittest
from unittest import mock

import support
from support import KNOWN, run_damo
from damolib import progress, recfile

LAYOUT = """\
RANGE                          NODE  STATE           SIZE  NAME
0x000000000000-0x000000001000     -  -          4.000 KiB  Reserved
0x000000001000-0x00000009fc00     0  online   635.000 KiB  System RAM
0x00000009fc00-0x0000000a0000     -  -          1.000 KiB  Reserved
0x0000000a0000-0x0000000c0000     -  -        128.000 KiB  PCI Bus 0000:00
0x0000000f0000-0x000000100000     -  -         64.000 KiB  Reserved
0x000000100000-0x00007ffe0000     0  online     1.999 GiB  System RAM
0x00007ffe0000-0x000080000000     -  -        128.000 KiB  Reserved
0x000080000000-0x0000b0000000     -  -        768.000 MiB  PCI Bus 0000:00
0x000100000000-0x000140000000     0  online     1.000 GiB  System RAM
0x000140000000-0x000180000000     1  online     1.000 GiB  System RAM
0x000180000000-0x0001a0000000     1  offline  512.000 MiB  System RAM
0x0001a0000000-0x000280000000     1  online     3.500 GiB  System RAM
"""

LAYOUT_RAM_RAW = """\
RANGE                          NODE  STATE          SIZE  NAME
0x000000001000-0x00000009fc00     0  online       650240  System RAM
0x000000100000-0x00007ffe0000     0  online   2146304000  System RAM
0x000100000000-0x000140000000     0  online   1073741824  System RAM
0x000140000000-0x000180000000     1  online   1073741824  System RAM
0x000180000000-0x0001a0000000     1  offline   536870912  System RAM
0x0001a0000000-0x000280000000     1  online   3758096384  System RAM
"""


class HelpTest(unittest.TestCase):
    def test_help_everywhere(self):
        for argv in ([], ['record'], ['report'], ['report', 'raw'],
                     ['report', 'heats'], ['report', 'wss'],
                     ['report', 'nr_regions'], ['paddr_layout']):
            status, out, err = run_damo(argv + ['--help'])
            self.assertEqual(status, 0, argv)
            self.assertIn('usage: damo', out)

    def test_entry_point_runs(self):
        """tools/damon/damo works as a program from any directory."""
        res = subprocess.run([support.DAMO, '--help'], cwd='/',
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True, check=False)
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn('paddr_layout', res.stdout)


class ErrorTest(support.TempDirTest):
    def check(self, argv, status, message):
        got, out, err = run_damo(argv)
        self.assertEqual(got, status, err)
        self.assertIn(message, err)
        self.assertNotIn('Traceback', err)

    def test_usage_errors(self):
        self.check([], 2, 'required')
        self.check(['frobnicate'], 2, 'invalid choice')
        self.check(['report'], 2, 'required')
        self.check(['report', 'heats', '--tres', 'many'], 2, 'invalid int')
        self.check(['record', '-s', '0', 'paddr'], 2, 'must be positive')
        self.check(['record', '--numa_node', '-1', 'paddr'], 2,
                   'must not be negative')

    def test_missing_input(self):
        self.check(['report', 'raw', '-i', self.path('nope.data')], 1,
                   'cannot read record')

    def test_not_a_record(self):
        path = self.write('junk', 'hello world\n')
        self.check(['report', 'wss', '-i', path], 1, 'not a DAMON record')

    def test_bad_range(self):
        path = self.path('d')
        recfile.write(path, KNOWN)
        self.check(['report', 'wss', '-i', path, '--range', '0', '101',
                    '0'], 1, 'STEP must be positive')

    def test_record_target_errors(self):
        dbg = support.make_debugfs(self.path('damon'))
        base = ['record', '--debugfs', dbg, '-o', self.path('o')]
        self.check(base, 1, 'no TARGET given')
        self.check(base + ['no-such-command-x'], 1,
                   'command not found or not executable: no-such-command-x')
        self.check(base + ['99999999'], 1, 'no process with pid 99999999')
        self.check(base + ['--numa_node', '0', 'true'], 1,
                   '--numa_node works only with the paddr target')
        self.check(base + ['-r', '10-5', 'true'], 1, 'start must be below')
        self.check(base + ['-r', '0-10,5-20', 'true'], 1, 'overlap')
        self.check(base + ['-r', 'abc', 'true'], 1, 'expected START-END')
        self.check(base + ['-s', '1000', '-a', '10', 'true'], 1,
                   'must not be shorter')
        self.check(base + ['-n', '100', '-m', '10', 'true'], 1,
                   'below the minimum')
        self.check(base + ['--debugfs', self.path('none'), 'true'], 1,
                   'DAMON not found: neither %s' % self.path(
                       'no-sysfs', 'kernel', 'mm', 'damon', 'admin'))
        self.check(base[:-2] + ['-o', self.path('no/dir/o'), 'true'], 1,
                   'does not exist')
        self.assertEqual(support.read_tree(dbg), support.DEBUGFS_BEFORE)

    def test_record_needs_root(self):
        sysfs, proc = support.make_sysfs(self.tmp)
        del os.environ['DAMO_DEBUGFS']      # the real one needs root
        with mock.patch('os.geteuid', return_value=1000):
            self.check(['record', '--sysfs-root', sysfs, '--proc-root',
                        proc, 'paddr'], 1, 'needs root')


class PaddrLayoutTest(support.TempDirTest):
    def test_layout(self):
        sysfs, proc = support.make_sysfs(self.tmp)
        opts = ['--sysfs-root', sysfs, '--proc-root', proc]
        status, out, err = run_damo(['paddr_layout'] + opts)
        self.assertEqual(status, 0, err)
        self.assertEqual(out, LAYOUT)
        status, out, err = run_damo(['paddr_layout', '--ram',
                                     '--raw_number'] + opts)
        self.assertEqual(out, LAYOUT_RAM_RAW)

    def test_env_roots(self):
        sysfs, proc = support.make_sysfs(self.tmp)
        os.environ['DAMO_SYSFS_ROOT'] = sysfs
        os.environ['DAMO_PROC_ROOT'] = proc
        try:
            status, out, _ = run_damo(['paddr_layout'])
        finally:
            del os.environ['DAMO_SYSFS_ROOT'], os.environ['DAMO_PROC_ROOT']
        self.assertEqual(out, LAYOUT)

    def test_missing_block_size(self):
        sysfs, proc = support.make_sysfs(self.tmp, block_size=None)
        status, _, err = run_damo(['paddr_layout', '--sysfs-root', sysfs,
                                   '--proc-root', proc])
        self.assertEqual(status, 1)
        self.assertIn('memory block size not found', err)


class ProgressTest(support.TempDirTest):
    def test_progress_line(self):
        stream = io.StringIO()
        prog = progress.Progress(stream, enabled=True)
        prog.update(3, 2048, force=True)
        prog.done()
        self.assertRegex(stream.getvalue(), r'^\rrecording: \d+\.\d s '
                         r'elapsed, 3 snapshots, 2\.000 KiB\x1b\[K\n$')

    def test_quiet_when_not_a_tty(self):
        stream = io.StringIO()
        prog = progress.Progress(stream)
        prog.update(3, 2048, force=True)
        prog.done()
        self.assertEqual(stream.getvalue(), '')

    def test_file_watcher_counts_growing_file(self):
        path = self.path('growing')
        data = recfile.dumps(KNOWN)
        watcher = progress.FileWatcher(path)
        watcher.poll()
        self.assertEqual(watcher.snapshots, 0)
        for cut in (10, 30, len(data) - 3, len(data)):
            with open(path, 'wb') as f:
                f.write(data[:cut])
            watcher.poll()
        self.assertEqual((watcher.snapshots, watcher.nbytes),
                         (4, len(data)))


class StdinTest(support.TempDirTest):
    def test_report_from_stdin(self):
        path = self.path('d')
        recfile.write(path, KNOWN)
        with open(path, 'rb') as f:
            res = subprocess.run([sys.executable, support.DAMO, 'report',
                                  'nr_regions', '-i', '-'], stdin=f,
                                 stdout=subprocess.PIPE, check=False)
        self.assertEqual(res.returncode, 0)
        self.assertIn(b'# avr: 2', res.stdout)


if __name__ == '__main__':
    unittest.main()
