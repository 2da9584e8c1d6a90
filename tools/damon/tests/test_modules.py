# SPDX-License-Identifier: GPL-2.0
"""damo module, reclaim and lru_sort against a fake /sys/module tree.
The guest test (tests/guest/run.sh) drives the real modules."""

import errno
import os
from unittest import mock

import support
from damolib import modules

RECLAIM = {
    'enabled': 'N', 'commit_inputs': 'N', 'kdamond_pid': '-1',
    'min_age': '120000000', 'quota_sz': '134217728', 'skip_anon': 'N',
    'wmarks_high': '500', 'nr_reclaim_tried_regions': '3',
    'bytes_reclaimed_regions': '2097152', 'nr_quota_exceeds': '0',
}


class ModulesTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.root = self.path('sys')
        self.params = os.path.join(self.root, 'module', 'damon_reclaim',
                                   'parameters')
        os.makedirs(self.params)
        for name, value in RECLAIM.items():
            self.put(name, value)
        self.opts = ['--sysfs-root', self.root]

    def put(self, name, value):
        with open(os.path.join(self.params, name), 'w') as f:
            f.write(value + '\n')

    def get(self, name):
        with open(os.path.join(self.params, name)) as f:
            return f.read().strip()

    def damo(self, *argv, status=0):
        return support.damo_checked(self, self.opts, argv, status)

    def test_status(self):
        out, _ = self.damo('module', 'reclaim')
        self.assertEqual(out.splitlines()[:2], [
            'DAMON_RECLAIM: disabled', 'kdamond_pid: -1'])
        self.assertIn('bytes_reclaimed_regions: 2097152 (2.000 MiB)', out)
        self.assertIn('nr_reclaim_tried_regions: 3', out)
        self.assertNotIn('min_age', out)
        # damo reclaim and the module's own name are the same command.
        self.assertEqual(self.damo('reclaim', 'status')[0], out)
        self.assertEqual(self.damo('module', 'damon_reclaim', 'status')[0],
                         out)

    def test_read(self):
        out, _ = self.damo('module', 'reclaim', 'read', 'min_age',
                           'skip_anon')
        self.assertEqual(out, 'min_age 120000000\nskip_anon N\n')
        out, _ = self.damo('reclaim', 'read')
        self.assertEqual(len(out.splitlines()), len(RECLAIM))

    def test_write_stopped(self):
        self.damo('reclaim', 'write', 'min_age', '5000000', 'skip_anon', 'Y')
        self.assertEqual(self.get('min_age'), '5000000')
        self.assertEqual(self.get('skip_anon'), 'Y')
        # Not running: nothing to commit.
        self.assertEqual(self.get('commit_inputs'), 'N')

    def test_write_running_commits(self):
        self.put('enabled', 'Y')
        self.damo('reclaim', 'write', 'wmarks_high', '900')
        self.assertEqual(self.get('wmarks_high'), '900')
        self.assertEqual(self.get('commit_inputs'), 'Y')

    def test_enable_disable(self):
        self.damo('module', 'reclaim', 'enable', 'min_age', '7000000')
        self.assertEqual(self.get('min_age'), '7000000')
        self.assertEqual(self.get('enabled'), 'Y')
        self.damo('module', 'reclaim', 'disable')
        self.assertEqual(self.get('enabled'), 'N')

    def test_commit(self):
        self.damo('lru_sort', 'commit', status=1)
        self.damo('reclaim', 'commit')
        self.assertEqual(self.get('commit_inputs'), 'Y')

    def test_bad_input(self):
        for argv, msg in (
                (('module', 'stat'), "no module 'stat'"),
                (('reclaim', 'frob'), "no action 'frob'"),
                (('reclaim', 'write', 'min_age'), 'PARAM VALUE pairs'),
                (('reclaim', 'write'), 'PARAM VALUE pairs needed'),
                (('reclaim', 'write', 'no_such', '1'),
                 "has no parameter 'no_such'"),
                (('reclaim', 'write', 'kdamond_pid', '1'), 'read-only'),
                (('reclaim', 'write', 'enabled', 'Y'), 'with "enable"'),
                (('reclaim', 'status', 'x'), 'takes no argument'),
                (('lru_sort',), 'DAMON_LRU_SORT is not in this kernel')):
            _, err = self.damo(*argv, status=1)
            self.assertIn(msg, err, argv)
        self.assertEqual(self.get('kdamond_pid'), '-1')

    def test_refused_value(self):
        real_open = open

        def refusing(path, *args, **kwargs):
            if path.endswith('/wmarks_high') and args and args[0] == 'w':
                raise OSError(errno.EINVAL, 'Invalid argument', path)
            return real_open(path, *args, **kwargs)

        self.put('enabled', 'Y')
        with mock.patch('builtins.open', refusing):
            _, err = self.damo('reclaim', 'write', 'wmarks_high', '5000',
                               status=1)
        self.assertIn('DAMON_RECLAIM refused wmarks_high=5000', err)
        self.assertEqual(self.get('wmarks_high'), '500')
        self.assertEqual(self.get('commit_inputs'), 'N')

    def test_did_not_start(self):
        real_write = modules.Module.write

        def stays_off(mod, name, value):
            if name != 'enabled':
                real_write(mod, name, value)

        with mock.patch.object(modules.Module, 'write', stays_off):
            _, err = self.damo('reclaim', 'enable', status=1)
        self.assertIn('DAMON_RECLAIM did not start', err)

    def test_help(self):
        out, _ = self.damo('module', '--help')
        self.assertIn('commit_inputs', out)
