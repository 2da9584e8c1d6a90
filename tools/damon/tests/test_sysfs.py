# SPDX-License-Identifier: GPL-2.0
"""damo over DAMON's sysfs interface, against a fake sysfs tree that
plays the kernel (support.FakeSysfs).  The guest test is what proves it
against our kernel; these pin down the files and values damo writes."""

import os

import support
from support import KNOWN, run_damo
from damolib import backend, params, paths, recload, sysfs
from damolib.errors import DamoError


class SysfsTest(support.SysfsCase):

    def test_chosen_when_present(self):
        be = backend.choose(paths.Paths(sysfs=self.root,
                                        debugfs=self.path('none')))
        self.assertEqual(be.name, 'sysfs')

    def test_apply_paddr(self):
        be = sysfs.Sysfs(self.fake.admin)
        be.apply(params.MonitorParams('paddr', regions=[(4096, 8192),
                                                        (16384, 32768)],
                                      sample=1000, aggr=20000, updr=500000,
                                      minr=5, maxr=50))
        ctx = 'kdamonds/0/contexts/0/'
        self.assertEqual(self.fake.read('kdamonds/nr_kdamonds'), '1')
        self.assertEqual(self.fake.read(ctx + 'operations'), 'paddr')
        attrs = ctx + 'monitoring_attrs/'
        self.assertEqual([self.fake.read(attrs + f) for f in (
            'intervals/sample_us', 'intervals/aggr_us',
            'intervals/update_us', 'nr_regions/min', 'nr_regions/max')],
            ['1000', '20000', '500000', '5', '50'])
        t = ctx + 'targets/'
        self.assertEqual(self.fake.read(t + 'nr_targets'), '1')
        self.assertEqual(self.fake.read(t + '0/regions/nr_regions'), '2')
        self.assertEqual([self.fake.read(t + '0/regions/1/' + f)
                          for f in ('start', 'end')], ['16384', '32768'])
        self.assertEqual(be.current()['targets'], [
            (0, [(4096, 8192), (16384, 32768)])])

    def test_apply_vaddr(self):
        be = sysfs.Sysfs(self.fake.admin)
        be.apply(params.MonitorParams('vaddr', pids=[os.getpid()]))
        t = 'kdamonds/0/contexts/0/targets/'
        self.assertEqual(self.fake.read(t + '0/pid_target'),
                         str(os.getpid()))
        self.assertEqual(self.fake.read(t + '0/regions/nr_regions'), '0')

    def test_missing_operations_set(self):
        be = sysfs.Sysfs(self.fake.admin)
        be.apply(params.MonitorParams('paddr', regions=[(0, 4096)]))
        with open(os.path.join(self.fake.admin, 'kdamonds/0/contexts/0/'
                               'avail_operations'), 'w') as f:
            f.write('vaddr\n')
        with self.assertRaisesRegex(DamoError, 'no "paddr" operations set'):
            be.commit(params.MonitorParams('paddr', regions=[(0, 4096)]))

    def test_start_status_tune_stop(self):
        out, _ = self.damo('start', 'paddr', '-a', '200ms')
        self.assertIn('through sysfs (kdamond 4321)', out)
        self.assertTrue(self.fake.on())
        seen = self.fake.seen
        self.assertEqual(seen['kdamonds/0/contexts/0/monitoring_attrs/'
                              'intervals/aggr_us'], '200000')
        self.assertEqual(seen['kdamonds/0/contexts/0/targets/0/regions/0/'
                              'start'], str(0x100000000))
        out, _ = self.damo('status')
        self.assertIn('interface: sysfs', out)
        self.assertIn('state: on\nkdamond pid: 4321\noperations: paddr',
                      out)
        self.assertIn('aggr 200000 us', out)
        self.damo('start', 'paddr', status=1)
        out, _ = self.damo('tune', '--aggr', '300000')
        self.assertEqual(self.fake.commits, 1)
        self.assertEqual(self.fake.read('kdamonds/0/contexts/0/'
                                        'monitoring_attrs/intervals/'
                                        'aggr_us'), '300000')
        self.assertEqual(self.fake.read('kdamonds/0/contexts/0/operations'),
                         'paddr')
        out, _ = self.damo('stop')
        self.assertFalse(self.fake.on())
        _, err = self.damo('stop', status=1)
        self.assertIn('DAMON is not running', err)
        _, err = self.damo('tune', '-a', '100ms', status=1)
        self.assertIn('not running', err)

    def test_record_through_tracepoint(self):
        trace = self.path('tracing')
        self.write('tracing/events/damon/damon_aggregated/enable', '0\n')
        self.write('tracing/tracing_on', '0\n')
        self.write('tracing/trace_pipe', '\n'.join(
            support.trace_lines(KNOWN, 'tracefs')) + '\n')
        out = self.path('s.data')
        _, err = self.damo('record', '--tracefs', trace, 'paddr',
                           '--timeout', '0.3', '-o', out, '--output_type',
                           'json_compressed')
        self.assertIn('sysfs interface has no record file', err)
        self.assertEqual(recload.load(out).snapshots,
                         [support.snap(s.end_ns, *[
                             (t.target_id, [tuple(r[:3]) + (0,)
                                            for r in t.regions])
                             for t in s.targets]) for s in KNOWN])
        self.assertEqual(recload.load(out).intervals.aggr_us, 100000)
        self.assertFalse(self.fake.on())
        # damo made the only kdamond: it is gone again.
        self.assertEqual(self.fake.read('kdamonds/nr_kdamonds'), '0')

    def test_debugfs_on_request(self):
        dbg = support.make_debugfs(self.path('damon'))
        fake = support.FakeKernel(dbg)
        fake.start()
        self.damo('start', '--debugfs', dbg, '--damon_interface', 'debugfs',
                  'paddr')
        self.assertTrue(fake.started_monitoring.wait(10))
        fake.stop()
        self.assertEqual(fake.seen['target_ids'], 'paddr')
        self.assertEqual(self.fake.read('kdamonds/nr_kdamonds'), '0')

    def test_refuses_when_debugfs_runs(self):
        dbg = support.make_debugfs(self.path('damon'))
        with open(os.path.join(dbg, 'monitor_on'), 'w') as f:
            f.write('on\n')
        _, err = self.damo('start', '--debugfs', dbg, 'paddr', status=1)
        self.assertIn('DAMON is monitoring through debugfs', err)
