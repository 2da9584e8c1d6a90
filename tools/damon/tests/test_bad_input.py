# SPDX-License-Identifier: GPL-2.0
"""Inputs and paths that once ended in a traceback, a wrong answer or a
damaged file: each must give one clear line and a non-zero exit."""

import os

import support
from support import KNOWN, S, run_damo
from damolib import heats, recfile


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


class OutputPathTest(support.TempDirTest):
    """Outputs are replaced atomically, so only a regular file (or none)
    may be there: a FIFO or device node once became a regular file."""

    def setUp(self):
        super().setUp()
        self.rec = self.path('r.data')
        recfile.write(self.rec, KNOWN)
        self.fifo = self.path('fifo')
        os.mkfifo(self.fifo)

    def refused(self, argv, why):
        status, _, err = run_damo(argv)
        self.assertEqual(status, 1, err)
        self.assertNotIn('Traceback', err)
        self.assertIn(why, err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_convert_fifo(self):
        self.refused(['convert', '-i', self.rec, '-o', self.fifo],
                     'not a regular file')
        self.assertTrue(os.path.exists(self.fifo))
        self.assertFalse(os.path.isfile(self.fifo))

    def test_convert_directory(self):
        self.refused(['convert', '-i', self.rec, '-o', self.tmp + '/'],
                     'it is a directory')

    def test_record_fifo(self):
        # Refused before the kernel is looked at; the FIFO is not renamed.
        self.refused(['record', 'paddr', '-o', self.fifo, '--timeout', '1'],
                     'not a regular file')
        self.assertFalse(os.path.lexists(self.fifo + '.old'))

    def test_symlink_to_fifo(self):
        os.symlink(self.fifo, self.path('link'))
        self.refused(['convert', '-i', self.rec, '-o', self.path('link')],
                     'not a regular file')

    def test_symlink_to_file_is_followed(self):
        target = self.write('target.json', 'old')
        link = self.path('link')
        os.symlink(target, link)
        status, _, err = run_damo(['convert', '-i', self.rec, '-o', link,
                                   '--output_type', 'json'])
        self.assertEqual(status, 0, err)
        self.assertTrue(os.path.islink(link))
        self.assertIn('"snapshots"', self.read('target.json'))


class HeatmapSizeTest(support.TempDirTest):
    """A huge resolution once took 24 GB of memory; it is refused."""

    def setUp(self):
        super().setUp()
        self.rec = self.path('r.data')
        # A span wide enough in time and address for 10^10 cells.
        recfile.write(self.rec, [
            support.snap(1 * S, (1, [(0, 1 << 30, 3)])),
            support.snap(200 * S, (1, [(0, 1 << 30, 5)]))])

    def refused(self, argv):
        status, out, err = run_damo(['report'] + argv + ['-i', self.rec])
        self.assertEqual(status, 1, err)
        self.assertNotIn('Traceback', err)
        self.assertIn('at most %d cells' % heats.MAX_CELLS, err)
        self.assertEqual(out, '')

    def test_heatmap_resol(self):
        self.refused(['heatmap', '--resol', '100000', '100000', '--output',
                      'raw'])

    def test_heats_tres_ares(self):
        self.refused(['heats', '--stdout', '--tres', '100000', '--ares',
                      '100000'])

    def test_small_resolution_is_fine(self):
        status, _, err = run_damo(['report', 'heats', '--stdout', '--tres',
                                   '2', '--ares', '1000', '-i', self.rec])
        self.assertEqual(status, 0, err)
