# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's command spellings, each next to ours, against a fake
debugfs (support.FakeKernel) or a record file."""

import json
import os
import subprocess
import sys
import threading
import zlib

import support
from support import KNOWN, MULTI, S, run_damo
from damolib import recfile, recload

# How long the fake kernel's monitoring lasts: long enough for its thread,
# which polls every 10 ms, to see "on" on a loaded machine.
RECORD_S = '1'


class RecordSpellingTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.dbg = support.make_debugfs(self.path('damon'))
        self.sysfs, self.proc = support.make_sysfs(self.path('root'))
        self.out = self.path('out.data')
        self.opts = ['--debugfs', self.dbg, '--sysfs-root', self.sysfs,
                     '--proc-root', self.proc]

    def record(self, *argv, status=0):
        fake = support.FakeKernel(self.dbg, recfile.dumps(KNOWN))
        fake.start()
        got, out, err = run_damo(['record'] + list(argv))
        fake.stop()
        self.assertEqual(got, status, err)
        self.assertNotIn('Traceback', err)
        return fake, out, err

    def test_options_after_paddr(self):
        """Issue: "damo record paddr -o x.data" ran a command "paddr"."""
        fake, out, _ = self.record('paddr', '-o', self.out, '--timeout',
                                   RECORD_S, *self.opts)
        self.assertEqual(fake.seen['target_ids'], 'paddr')
        self.assertEqual(fake.seen['record'], '1048576 %s' % self.out)
        self.assertIn('4 snapshots', out)

    def test_quoted_command_then_options(self):
        fake, _, _ = self.record('sh -c "sleep 0.2"', '-o', self.out,
                                 '-s', '1ms', *self.opts)
        self.assertTrue(fake.seen['target_ids'].isdigit())
        self.assertTrue(fake.seen['attrs'].startswith('1000 100000 '))

    def test_unquoted_command_keeps_its_words(self):
        # sh runs the script with "--timeout" as $0: not damo's option.
        fake, _, _ = self.record(*self.opts, '-o', self.out, 'sh', '-c',
                                 'sleep 0.3', '--timeout')
        self.assertTrue(fake.seen['target_ids'].isdigit())

    def test_pid_then_options(self):
        child = subprocess.Popen(['sleep', '0.3'])
        reaper = threading.Thread(target=child.wait)
        reaper.start()
        try:
            fake, _, _ = self.record(str(child.pid), '--timeout', '5', '-o',
                                     self.out, *self.opts)
        finally:
            reaper.join()
        self.assertEqual(fake.seen['target_ids'], str(child.pid))

    def test_target_pid_and_intervals(self):
        child = subprocess.Popen(['sleep', '0.3'])
        reaper = threading.Thread(target=child.wait)
        reaper.start()
        try:
            fake, _, _ = self.record(
                '--target_pid', str(child.pid), '--monitoring_intervals',
                '1ms', '20ms', '500ms', '--monitoring_nr_regions_range', '5',
                '50', '-o', self.out, *self.opts)
        finally:
            reaper.join()
        self.assertEqual(fake.seen['attrs'], '1000 20000 500000 5 50')

    def test_output_types(self):
        for otype, check in (
                ('json_compressed', lambda b: json.loads(zlib.decompress(b))),
                ('json', json.loads),
                ('perf_script', lambda b: b.decode().index('damon:'))):
            self.record('paddr', '--timeout', RECORD_S, '-o', self.out,
                        '--output_type', otype, '--output_permission', '640',
                        *self.opts)
            with open(self.out, 'rb') as f:
                check(f.read())
            self.assertEqual(os.stat(self.out).st_mode & 0o777, 0o640)
            rec = recload.load(self.out)
            self.assertEqual(len(rec.snapshots), 4)
            if otype.startswith('json'):
                self.assertEqual(rec.intervals.aggr_us, 100000)

    def test_footprint(self):
        self.record('paddr', '--timeout', RECORD_S, '-o', self.out,
                    '--do_record', 'access', 'mem_footprint', *self.opts)
        with open(self.out + '.mem_footprint') as f:
            samples = json.load(f)
        self.assertGreaterEqual(len(samples), 1)
        self.assertEqual(samples[0]['footprints'][-1]['pid'], None)

    def test_refused_spellings(self):
        for argv, status, msg in (
                (['paddr', '--output_type', 'perf_data'], 2,
                 'perf_data is written by perf'),
                (['--schemes', 'x.json', 'paddr'], 1, 'JSON form'),
                (['paddr', 'extra'], 2, "unexpected 'extra' after TARGET"),
                (['paddr', '--output_permission', '999'], 1,
                 'give an octal mode'),
                (['vaddr'], 1, 'vaddr needs a process'),
                (['--ops', 'paddr', '1'], 1, '--ops paddr monitors'),
                (['paddr', '--bogus'], 2, 'damo record: error: '
                 'unrecognized arguments: --bogus')):
            got, _, err = run_damo(['record', '-o', self.out] + self.opts +
                                   argv)
            self.assertEqual(got, status, (argv, err))
            self.assertIn(msg, err)
            self.assertNotIn('Traceback', err)

    def test_no_target_and_not_running(self):
        got, _, err = run_damo(['record', '-o', self.out] + self.opts)
        self.assertEqual(got, 1)
        self.assertIn('no TARGET given', err)


class LiveTest(support.TempDirTest):
    """start, status, stop and tune through debugfs."""

    def setUp(self):
        super().setUp()
        self.dbg = support.make_debugfs(self.path('damon'))
        self.sysfs, self.proc = support.make_sysfs(self.path('root'))
        self.opts = ['--debugfs', self.dbg, '--sysfs-root', self.sysfs,
                     '--proc-root', self.proc]

    def damo(self, *argv, status=0):
        return support.damo_checked(self, self.opts, argv, status)

    def test_start_status_stop(self):
        fake = support.FakeKernel(self.dbg)
        fake.start()
        self.damo('start', 'paddr', '-a', '200000')
        self.assertTrue(fake.started_monitoring.wait(10))
        self.assertEqual(fake.seen['attrs'], '5000 200000 1000000 10 1000')
        out, _ = self.damo('status')
        self.assertIn('interface: debugfs', out)
        self.assertIn('state: on', out)
        self.assertIn('target 0: physical memory\n  region 0x100000000-'
                      '0x280000000', out)
        out, _ = self.damo('show')
        self.assertIn('state: on', out)
        self.damo('stop')
        fake.join(5)
        out, _ = self.damo('status')
        self.assertIn('state: off', out)
        _, err = self.damo('stop', status=1)
        self.assertIn('DAMON is not running', err)

    def test_tune_restarts_on_debugfs(self):
        with open(os.path.join(self.dbg, 'monitor_on'), 'w') as f:
            f.write('on\n')
        with open(os.path.join(self.dbg, 'target_ids'), 'w') as f:
            f.write('-1\n')
        with open(os.path.join(self.dbg, 'init_regions'), 'w') as f:
            f.write('-1 4096 8192\n')
        _, err = self.damo('tune', '--aggr', '300000')
        self.assertIn('restarted with the new setup', err)
        self.assertEqual(support.read_tree(self.dbg)['attrs'],
                         '5000 300000 1000000 10 1000')
        self.assertEqual(support.read_tree(self.dbg)['init_regions'],
                         '-1 4096 8192')

    def test_start_needs_target(self):
        _, err = self.damo('start', status=1)
        self.assertIn('no TARGET given', err)


class ReportSpellingTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.rec = self.path('damon.data')
        recfile.write(self.rec, KNOWN)

    def report(self, *argv, status=0):
        got, out, err = run_damo(['report'] + list(argv))
        self.assertEqual(got, status, err)
        self.assertNotIn('Traceback', err)
        return out

    def test_access(self):
        out = self.report('access', '--input_file', self.rec)
        self.assertIn('# target 42, snapshot 3 of 4: 300.000 ms - '
                      '400.000 ms', out)
        # KNOWN[3]: one 16 KiB region with 5 of 20 samples.
        self.assertIn('0 addr 0x1000 size 16.000 KiB access 25 % age ?\n'
                      'total size: 16.000 KiB', out)
        self.assertIn('heatmap: ' + '9' * 80, out)

    def test_access_raw_form(self):
        out = self.report('access', '-i', self.rec, '--raw_form')
        self.assertIn('snapshot 3: time 0.300000000 s', out)

    def test_heatmap_terminal_and_raw(self):
        out = self.report('heatmap', '-i', self.rec, '--resol', '4', '4')
        rows = out.splitlines()[:4]
        # HEATS_4x4 of test_reports, 5 accesses being the top (9).
        self.assertEqual(rows, ['0077', '4000', '2250', '9999'])
        self.assertIn('# resolution: 4x4', out)
        out = self.report('heatmap', '-i', self.rec, '--output', 'raw',
                          '--resol', '1', '1', '--abs_time', '--abs_addr')
        self.assertEqual(out, '900000000\t4096\t2.1875\n')

    def test_heatmap_guide(self):
        out = self.report('heatmap', '-i', self.rec, '--guide')
        self.assertIn('target_id:42\ntime: 900000000-1300000000 '
                      '(400.000 ms)\nregion   0: ', out)

    def test_heats_default_is_short(self):
        """Issue: "report heats" without options printed 80,000 rows."""
        big = self.path('big.data')
        snaps = [support.snap(i * S // 10, (1, [(0, 1 << 30, i % 20)]))
                 for i in range(1, 300)]
        recfile.write(big, snaps)
        out = self.report('heats', '-i', big)
        self.assertLess(len(out.splitlines()), 50)

    def test_wss_short_options(self):
        out = self.report('wss', '-i', self.rec, '-r', '0', '101', '50',
                          '-s', 'time', '-t', '2', '--raw_number')
        self.assertEqual(out.splitlines()[3:], ['  0 8192', ' 50 4096',
                                                '100 16384'])

    def test_wss_exclude_samples_and_all(self):
        out = self.report('wss', '-i', self.rec, '--exclude_samples', '2',
                          '--all_wss', '--raw_number')
        self.assertEqual(out.splitlines()[3:], ['  0 12288', '  1 16384'])
        out = self.report('wss', '-i', self.rec, '--exclude_samples', '9',
                          status=1)

    def test_wss_collapse_targets(self):
        multi = self.path('multi.data')
        recfile.write(multi, MULTI)
        out = self.report('wss', '-i', multi, '--collapse_targets',
                          '--raw_number', '-r', '0', '101', '100')
        self.assertEqual(out, '# target_id all (collapsed), 2 snapshots\n'
                         '# avr: 14336\n# <percentile> <working set size>\n'
                         '  0 12288\n100 16384\n')

    def test_nr_regions_short_options(self):
        out = self.report('nr_regions', '-i', self.rec, '-r', '0', '101',
                          '100', '--nr_cols_bar', '4')
        self.assertIn('100 3 |****|', out)

    def test_footprints(self):
        fp = self.write('f.mem_footprint', json.dumps([
            {'time': 1.0, 'footprints': [
                {'pid': 7, 'footprint': {'size': 10, 'resident': 4}},
                {'pid': None, 'footprint': {'total': 100, 'free': 40}}]},
            {'time': 2.0, 'footprints': [
                {'pid': 7, 'footprint': {'size': 12, 'resident': 6}},
                {'pid': None, 'footprint': {'total': 100, 'free': 30}}]}]))
        page = os.sysconf('SC_PAGE_SIZE')
        out = self.report('footprints', 'rss', '-i', fp, '--raw_number',
                          '-r', '0', '101', '100')
        self.assertEqual(out, '# rss, 2 samples\n# avr: %d\n  0 %d\n'
                         '100 %d\n' % (5 * page, 4 * page, 6 * page))
        out = self.report('footprints', '-i', fp, '--raw_number')
        self.assertIn('# sys_used, 2 samples\n# avr: 66560', out)
        self.write('bad', '[{"x": 1}]')
        self.report('footprints', '-i', self.path('bad'), status=1)

    def test_convert(self):
        out = self.path('c.json.z')
        got, _, err = run_damo(['convert', '-i', self.rec, '-o', out])
        self.assertEqual(got, 0, err)
        self.assertEqual(recload.load(out).fmt, 'json_compressed')


class CommandLineTest(support.TempDirTest):
    def test_version(self):
        for argv in (['version'], ['--version']):
            got, out, _ = run_damo(argv)
            self.assertEqual(got, 0)
            self.assertRegex(out, r'^damo \d+\.\d+ ')

    def test_help_lists_what_waits(self):
        got, out, _ = run_damo(['help'])
        self.assertEqual(got, 0)
        self.assertIn('--kdamonds', out)
        self.assertIn('DAMON_RECLAIM', out)
        self.assertIn('record --snapshot', out)
        got, out, _ = run_damo(['help', 'report', 'wss'])
        self.assertIn('usage: damo report wss', out)

    def test_unknown_option_prints_subcommand_usage(self):
        for argv, usage in ((['report', 'heats', '--bogus'],
                             'usage: damo report heats'),
                            (['status', '--bogus'], 'usage: damo status'),
                            (['report', 'access', '--x'],
                             'usage: damo report access')):
            got, _, err = run_damo(argv)
            self.assertEqual(got, 2)
            self.assertTrue(err.startswith(usage), err)

    def test_no_command_pending(self):
        got, out, _ = run_damo(['help'])
        self.assertEqual(got, 0)
        self.assertNotIn('not in this kernel series yet', out)

    def test_entry_point_version(self):
        res = subprocess.run([sys.executable, support.DAMO, '--version'],
                             stdout=subprocess.PIPE, check=False,
                             universal_newlines=True, cwd='/')
        self.assertEqual(res.returncode, 0)
        self.assertTrue(res.stdout.startswith('damo '))
