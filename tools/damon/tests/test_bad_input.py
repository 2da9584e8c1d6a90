# SPDX-License-Identifier: GPL-2.0
"""Inputs and paths that once ended in a traceback, a wrong answer or a
damaged file: each must give one clear line and a non-zero exit."""

import os

import support
from support import KNOWN, run_damo
from damolib import recfile


class DefaultInputTest(support.TempDirTest):
    """Every report type reads ./damon.data when -i is not given (the
    access report once reset the shared -i default to None for all)."""

    def setUp(self):
        super().setUp()
        recfile.write(self.path('damon.data'), KNOWN)
        old = os.getcwd()
        os.chdir(self.tmp)
        self.addCleanup(os.chdir, old)

    def test_each_report_type(self):
        for rtype in ('raw', 'heats', 'wss', 'nr_regions', 'access',
                      'heatmap'):
            with self.subTest(rtype):
                argv = ['report', rtype]
                if rtype == 'heatmap':
                    argv += ['--output', 'raw']
                status, out, err = run_damo(argv)
                self.assertEqual(status, 0, err)
                self.assertNotIn('Traceback', err)
                self.assertTrue(out)
