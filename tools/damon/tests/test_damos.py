# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's --damos_* options and "damo schemes": what each option
parses to, the refusals of bad values, and the debugfs schemes lines and
sysfs scheme files that result (fake kernel trees, no root needed)."""

import support
from support import run_damo
from damolib import cli, damos, damos_args
from damolib.errors import DamoError

U32 = damos.U32_MAX
U64 = damos.U64_MAX


def schemes_of(*argv):
    args = cli.parse(['start'] + list(argv))
    return args, damos_args.schemes(args)


class ParseTest(support.TempDirTest):
    def test_no_schemes(self):
        args, got = schemes_of('paddr')
        self.assertEqual(got, [])
        self.assertEqual(args.target, ['paddr'])

    def test_one_scheme_every_option(self):
        args, (s,) = schemes_of(
            '--damos_action', 'pageout', '--damos_sz_region', '4K', '2 MiB',
            '--damos_access_rate', '0%', '10', '--damos_age', '5s', 'max',
            '--damos_quotas', '10ms', '1G', '1s', '1', '2', '3',
            '--damos_wmarks', 'free_mem_rate', '5s', '600', '500', '400',
            'paddr')
        self.assertEqual(args.target, ['paddr'])
        self.assertEqual((s.action, s.sz, s.rate, s.age_us),
                         ('pageout', (4096, 2 << 20), (0, 10), (5000000,
                                                                None)))
        self.assertEqual(s.quota, (10, 1 << 30, 1000, (1, 2, 3)))
        self.assertEqual(s.wmarks, ('free_mem_rate', 5000000, 600, 500, 400))
        # 5 ms samples, 100 ms aggregations: 20 samples, 10 % = 2; 5 s is
        # 50 aggregations.
        self.assertEqual(damos.debugfs_line(s, 5000, 100000),
                         '4096 2097152 0 2 50 %d 2 10 1073741824 1000 1 2 3 '
                         '1 5000000 600 500 400' % U32)

    def test_defaults_cover_everything(self):
        _, (s,) = schemes_of('paddr', '--damos_action', 'stat')
        self.assertEqual(damos.debugfs_line(s, 5000, 100000),
                         '0 %d 0 20 0 %d 5 0 0 0 0 0 0 0 0 0 0 0' % (U64,
                                                                    U32))

    def test_two_schemes_in_order(self):
        _, (a, b) = schemes_of(
            '--damos_action', 'lru_prio', '--damos_access_rate', '50%',
            'max', '--damos_age', '5s', 'max',
            '--damos_action', 'lru_deprio', '--damos_access_rate', '0%',
            '0%', '--damos_filter', 'anon', 'matching',
            '--damos_filter', 'memcg', 'nomatching', '/a',
            '--damos_filter', 'addr', 'matching', '4096', '8192',
            '--damos_nr_filters', '1', '2')
        self.assertEqual((a.action, a.rate, b.action, b.rate),
                         ('lru_prio', (50, None), 'lru_deprio', (0, 0)))
        self.assertEqual([(f.type, f.matching) for f in a.filters],
                         [('anon', True)])
        self.assertEqual([(f.type, f.matching, f.arg) for f in b.filters],
                         [('memcg', False, '/a'),
                          ('addr', True, (4096, 8192))])

    def test_migrate_takes_a_node_and_leaves_target(self):
        args, (s,) = schemes_of('--damos_action', 'migrate_cold', '1',
                                'paddr')
        self.assertEqual((s.action, s.target_nid), ('migrate_cold', 1))
        self.assertEqual(args.target, ['paddr'])

    def test_quota_option_by_option_and_goals(self):
        _, (s,) = schemes_of(
            'paddr', '--damos_action', 'pageout',
            '--damos_quota_interval', '1s', '--damos_quota_space', '8M',
            '--damos_quota_goal', 'some_mem_psi_us', '1000',
            '--damos_apply_interval', '200ms')
        self.assertEqual(s.quota, (0, 8 << 20, 1000, (1, 1, 1)))
        self.assertEqual(s.goals, [('some_mem_psi_us', 1000, 0)])
        self.assertEqual(s.apply_interval_us, 200000)

    def test_sysfs_files(self):
        _, (s,) = schemes_of(
            'paddr', '--damos_action', 'stat', '--damos_sz_region', '0',
            '4096', '--damos_filter', 'young', 'nomatching')
        files = dict(damos.sysfs_files(s, 5000, 100000))
        self.assertEqual(files['action'], 'stat')
        self.assertEqual(files['access_pattern/sz/max'], 4096)
        self.assertEqual(files['access_pattern/nr_accesses/max'], 20)
        self.assertEqual(files['filters/0/type'], 'young')
        self.assertEqual(files['filters/0/matching'], 'N')
        self.assertEqual(files['watermarks/metric'], 'none')

    def test_bad_values(self):
        for argv, msg in (
                (['--damos_action', 'zap'], "unknown action 'zap'"),
                (['--damos_action', 'migrate_hot'], 'target NUMA node'),
                (['--damos_action', 'migrate_hot', 'x'],
                 "'x' is not an integer"),
                (['--damos_action', 'stat', '--damos_sz_region', 'x', '1'],
                 "'x' is not a size"),
                (['--damos_action', 'stat', '--damos_sz_region', '8K',
                  '4K'], 'is below'),
                (['--damos_action', 'stat', '--damos_access_rate', '0',
                  '150%'], 'not an access rate'),
                (['--damos_action', 'stat', '--damos_age', 'max', '1s'],
                 'only for the upper end'),
                (['--damos_action', 'stat', '--damos_age', '1 fortnight',
                  'max'], 'not a time'),
                (['--damos_action', 'stat', '--damos_quotas', '1', '2', '3',
                  '4', '5', '6', '7'], 'at most 6'),
                (['--damos_action', 'stat', '--damos_wmarks', 'cpu', '1',
                  '3', '2', '1'], "unknown metric 'cpu'"),
                (['--damos_action', 'stat', '--damos_wmarks', 'none', '1',
                  '1', '2', '3'], 'high >= mid >= low'),
                (['--damos_action', 'stat', '--damos_filter', 'anon',
                  'maybe'], '"matching" or "nomatching"'),
                (['--damos_action', 'stat', '--damos_filter', 'file',
                  'matching'], "unknown type 'file'"),
                (['--damos_action', 'stat', '--damos_action', 'cold',
                  '--damos_filter', 'anon', 'matching'],
                 '--damos_nr_filters must say'),
                (['--damos_action', 'stat', '--damos_filter', 'anon',
                  'matching', '--damos_nr_filters', '2'], 'adding up'),
                (['--damos_action', 'stat', '--damos_age', '1', '2',
                  '--damos_age', '3', '4'], '2 --damos_age for 1'),
                (['--damos_age', '1', '2'], 'need --damos_action'),
                (['--damos_action', 'stat', '--damos_quota_goal',
                  'user_input', '5', '1'], 'need a quota reset interval'),
                (['--damos_action', 'stat', '--damos_quotas', '1',
                  '--damos_quota_interval', '1'], 'not both')):
            with self.subTest(argv=argv):
                got, _, err = run_damo(['start', 'paddr'] + argv)
                self.assertEqual(got, 1, err)
                self.assertIn(msg, err)
                self.assertEqual(err.count('\n'), 1, err)
                self.assertNotIn('Traceback', err)

    def test_debugfs_cannot_take_lru_prio(self):
        with self.assertRaisesRegex(DamoError, 'no "lru_prio" action'):
            damos.debugfs_line(damos.Scheme('lru_prio'), 5000, 100000)

    def test_usage_errors(self):
        got, _, err = run_damo(['start', 'paddr', '--damos_age', '1'])
        self.assertEqual(got, 2)
        self.assertIn('--damos_age: expected 2 arguments', err)
        self.assertNotIn('Traceback', err)


class DebugfsTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        before = dict(support.DEBUGFS_BEFORE, schemes='')
        self.dbg = support.make_debugfs(self.path('damon'), before)
        self.sysfs, self.proc = support.make_sysfs(self.path('root'))
        self.opts = ['--debugfs', self.dbg, '--sysfs-root', self.sysfs,
                     '--proc-root', self.proc]

    def damo(self, *argv, status=0):
        return support.damo_checked(self, self.opts, argv, status)

    def test_start_writes_schemes_and_status_reads_stats(self):
        fake = support.FakeKernel(self.dbg)
        fake.start()
        # As in damo 3.x, the n-th pattern option goes to the n-th scheme.
        self.damo('start', 'paddr', '--damos_action', 'cold',
                  '--damos_access_rate', '0', '0', '--damos_age', '1s',
                  'max', '--damos_action', 'stat')
        self.assertTrue(fake.started_monitoring.wait(10))
        self.assertEqual(fake.seen['schemes'].splitlines(), [
            '0 %d 0 0 10 %d 1 0 0 0 0 0 0 0 0 0 0 0' % (U64, U32),
            '0 %d 0 20 0 %d 5 0 0 0 0 0 0 0 0 0 0 0' % (U64, U32)])
        # The kernel appends the statistics when the file is read.
        self.write('damon/schemes', ''.join(
            line + ' 3 12288 3 12288 0\n'
            for line in fake.seen['schemes'].splitlines()))
        out, _ = self.damo('status')
        self.assertIn('scheme 1: action stat\n  pattern: size 0-max bytes, '
                      'nr_accesses 0-20, age 0-max aggregations\n  stats: '
                      'nr_tried 3, sz_tried 12288', out)
        self.assertIn('scheme 0: action cold', out)
        _, err = self.damo('status', '--damos_tried_regions', status=1)
        self.assertIn('does not show tried regions (use sysfs)', err)
        self.damo('stop')
        fake.join(5)

    def test_sysfs_only_features_change_nothing(self):
        for argv, msg in (
                (['--damos_action', 'lru_prio'], 'no "lru_prio" action'),
                (['--damos_action', 'stat', '--damos_filter', 'anon',
                  'matching'], 'takes no filters'),
                (['--damos_action', 'stat', '--damos_apply_interval',
                  '1s'], 'has no apply interval')):
            _, err = self.damo('start', 'paddr', *argv, status=1)
            self.assertIn(msg, err)
            self.assertEqual(self.read('damon/attrs').strip(),
                             support.DEBUGFS_BEFORE['attrs'])
            self.assertEqual(self.read('damon/schemes'), '')

    def test_record_puts_schemes_back(self):
        line = '0 4096 0 20 0 10 2 0 0 0 0 0 0 0 0 0 0 0'
        self.write('damon/schemes', line + ' 1 2 3 4 5\n')
        fake = support.FakeKernel(self.dbg, b'')
        fake.start()
        got, _, err = run_damo(['record', '-o', self.path('x.data')] +
                               self.opts + ['paddr', '--timeout', '0.3',
                                            '--damos_action', 'stat'])
        fake.stop()
        self.assertNotIn('Traceback', err)
        self.assertTrue(fake.seen['schemes'].startswith('0 %d' % U64))
        self.assertEqual(self.read('damon/schemes').strip(), line)

    def test_record_of_running_damon_takes_no_schemes(self):
        _, err = self.damo('record', '-o', self.path('x.data'),
                           '--damos_action', 'stat', status=1)
        self.assertIn('--damos_* options need a TARGET', err)

    def test_schemes_command(self):
        fake = support.FakeKernel(self.dbg)
        fake.start()
        out, _ = self.damo('schemes', '--damos_action', 'stat',
                           '--timeout', '0.3', 'paddr')
        fake.join(5)
        self.assertIn('press Ctrl-C to stop', out)
        self.assertIn('scheme 0: action stat', out)
        self.assertTrue(fake.seen['schemes'].startswith('0 %d 0 20' % U64))
        self.assertEqual(self.read('damon/monitor_on').strip(), 'off')

    def test_tune_replaces_schemes(self):
        self.write('damon/monitor_on', 'on\n')
        self.write('damon/target_ids', '-1\n')
        self.write('damon/init_regions', '-1 4096 8192\n')
        self.damo('tune', '--damos_action', 'pageout')
        self.assertEqual(self.read('damon/schemes').split()[6], '2')
        self.damo('tune')
        self.assertEqual(self.read('damon/schemes'), '\n')


class SysfsTest(support.SysfsCase):

    def test_start_writes_scheme_files(self):
        self.damo('start', 'paddr', '--damos_action', 'lru_deprio',
                  '--damos_access_rate', '0', '0', '--damos_quotas', '5',
                  '4M', '500', '--damos_wmarks', 'free_mem_rate', '1s',
                  '500', '400', '300', '--damos_filter', 'addr',
                  'matching', '0x1000', '0x2000', '--damos_filter',
                  'target', 'nomatching', '0', '--damos_quota_goal',
                  'user_input', '100', '40')
        s = 'kdamonds/0/contexts/0/schemes/'
        seen = self.fake.seen
        self.assertEqual(seen[s + 'nr_schemes'], '1')
        for rel, value in (
                ('0/action', 'lru_deprio'),
                ('0/access_pattern/nr_accesses/max', '0'),
                ('0/access_pattern/age/max', str(U32)),
                ('0/quotas/bytes', str(4 << 20)),
                ('0/quotas/reset_interval_ms', '500'),
                ('0/quotas/goals/0/target_metric', 'user_input'),
                ('0/quotas/goals/0/current_value', '40'),
                ('0/watermarks/interval_us', '1000000'),
                ('0/filters/0/type', 'addr'),
                ('0/filters/0/addr_start', '4096'),
                ('0/filters/0/matching', 'Y'),
                ('0/filters/1/damon_target_idx', '0'),
                ('0/filters/1/matching', 'N')):
            self.assertEqual(seen[s + rel], value, rel)
        out, _ = self.damo('status')
        self.assertIn('target 0: physical memory', out)
        self.assertIn('scheme 0: action lru_deprio', out)
        self.assertIn('filters: addr', out)
        self.assertIn('stats: nr_tried 7, sz_tried 8192', out)
        out, _ = self.damo('status', '--damos_tried_regions')
        self.assertIn('scheme 0 tried 2 regions, 12.000 KiB\n  '
                      '0x1000-0x2000 (4.000 KiB) nr_accesses 0 age 3\n', out)
        self.damo('stop')
        _, err = self.damo('status', '--damos_tried_regions', status=1)
        self.assertIn('DAMON is not running', err)

    def test_kernel_without_sysfs_schemes(self):
        from damolib import sysfs
        real = sysfs._write

        def refuse(path, value):
            import errno
            if path.endswith('nr_schemes') and value != '0':
                raise OSError(errno.EOPNOTSUPP, 'Operation not supported')
            return real(path, value)
        from unittest import mock
        with mock.patch.object(sysfs, '_write', side_effect=refuse):
            _, err = self.damo('start', 'paddr', '--damos_action', 'stat',
                               status=1)
        self.assertIn('use --damon_interface debugfs', err)
