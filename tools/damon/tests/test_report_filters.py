# SPDX-License-Identifier: GPL-2.0
"""paddr_fault and its access report filters (--ops paddr_fault,
--write_only, --cpus), through sysfs (support.FakeSysfs) and debugfs (a
directory of plain files).  The guest tests prove the kernel side."""

import os

import support
from damolib import backend, params, sysfs
from damolib.errors import DamoError

CTX = 'kdamonds/0/contexts/0/'


class SysfsReportFiltersTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.root, self.proc = support.make_sysfs(self.path('root'))
        self.fake = support.FakeSysfs(self.root).install(self)
        self.fake.CONTEXT = dict(support.FakeSysfs.CONTEXT, **{
            'avail_operations': 'vaddr\nfvaddr\npaddr\npaddr_fault',
            'report_filters/write_only': '0',
            'report_filters/cpus': 'all'})
        self.opts = ['--sysfs-root', self.root, '--proc-root', self.proc]

    def damo(self, *argv, status=0):
        return support.damo_checked(self, self.opts, argv, status)

    def test_apply(self):
        be = sysfs.Sysfs(self.fake.admin)
        be.apply(params.MonitorParams('paddr_fault', regions=[(0, 8192)],
                                      write_only=True, cpus='1'))
        self.assertEqual(self.fake.read(CTX + 'operations'), 'paddr_fault')
        self.assertEqual(self.fake.read(CTX + 'report_filters/write_only'),
                         '1')
        self.assertEqual(self.fake.read(CTX + 'report_filters/cpus'), '1')
        # A later setup without filters resets them.
        be.apply(params.MonitorParams('paddr_fault', regions=[(0, 8192)]))
        self.assertEqual(self.fake.read(CTX + 'report_filters/write_only'),
                         '0')
        self.assertEqual(self.fake.read(CTX + 'report_filters/cpus'), 'all')

    def test_start_and_tune(self):
        out, _ = self.damo('start', 'paddr', '--ops', 'paddr_fault',
                           '--write_only', '--cpus', '0-1')
        self.assertIn('paddr_fault', out)
        seen = self.fake.seen
        self.assertEqual(seen[CTX + 'operations'], 'paddr_fault')
        self.assertEqual(seen[CTX + 'report_filters/write_only'], '1')
        self.assertEqual(seen[CTX + 'report_filters/cpus'], '0-1')
        # tune keeps the operations set, and sets the filters it is given.
        self.damo('tune', '--cpus', '1')
        self.assertEqual(self.fake.commits, 1)
        self.assertEqual(self.fake.read(CTX + 'operations'), 'paddr_fault')
        self.assertEqual(self.fake.read(CTX + 'report_filters/cpus'), '1')
        self.assertEqual(self.fake.read(CTX + 'report_filters/write_only'),
                         '0')
        self.damo('stop')

    def test_refused(self):
        for argv, msg in (
                (['paddr', '--write_only'], 'need --ops paddr_fault'),
                (['paddr', '--cpus', '1'], 'need --ops paddr_fault'),
                (['--ops', 'paddr_fault', str(os.getpid())],
                 '--ops paddr_fault monitors physical memory')):
            _, err = self.damo('start', *argv, status=1)
            self.assertIn(msg, err)
        for bad in ('x', '1-0', '1,', '-1'):
            _, err = self.damo('start', 'paddr', '--ops', 'paddr_fault',
                               '--cpus', bad, status=2)
            self.assertIn('is not a CPU list', err)
        self.assertFalse(self.fake.on())

    def test_kernel_without_filters(self):
        fake = support.FakeSysfs(self.path('other'))
        be = sysfs.Sysfs(fake.admin)
        fake.install(self)
        # No filter asked: nothing to write, no complaint.
        be.apply(params.MonitorParams('paddr', regions=[(0, 4096)]))
        with self.assertRaisesRegex(DamoError, 'no access report filters'):
            be.apply(params.MonitorParams('paddr', regions=[(0, 4096)],
                                          write_only=True))


class DebugfsReportFiltersTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.dir = self.path('damon')
        os.makedirs(self.dir)
        for name, value in (('attrs', '5000 100000 1000000 10 1000'),
                            ('target_ids', ''), ('init_regions', ''),
                            ('kdamond_pid', 'none'), ('monitor_on', 'off'),
                            ('report_filters',
                             'write_only=0 cpus=all')):
            self.put(name, value)

    def put(self, name, value):
        with open(os.path.join(self.dir, name), 'w') as f:
            f.write(value + '\n')

    def get(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return f.read().strip()

    def test_apply_and_restore(self):
        be = backend.DebugfsBackend(self.dir)
        saved = be.save()
        be.apply(params.MonitorParams('paddr_fault', regions=[(0, 8192)],
                                      write_only=True, cpus='1'))
        self.assertEqual(self.get('target_ids'), 'paddr_fault')
        self.assertEqual(self.get('report_filters'), 'write_only=1 cpus=1')
        self.assertEqual(be.current()['ops'], 'paddr_fault')
        self.assertEqual(be.current()['targets'][0][0], None)
        be.restore(saved)
        self.assertEqual(self.get('report_filters'), 'write_only=0 cpus=all')

    def test_kernel_without_filters(self):
        os.remove(os.path.join(self.dir, 'report_filters'))
        be = backend.DebugfsBackend(self.dir)
        be.apply(params.MonitorParams('paddr', regions=[(0, 8192)]))
        with self.assertRaisesRegex(DamoError, 'no access report filters'):
            be.apply(params.MonitorParams('paddr_fault', regions=[(0, 8192)],
                                          cpus='0'))
