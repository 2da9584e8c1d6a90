# SPDX-License-Identifier: GPL-2.0
"""Inputs and paths that once ended in a traceback, a wrong answer or a
damaged file: each must give one clear line and a non-zero exit."""

import json
import os

import damo3_fixtures
import support
from support import KNOWN, S, run_damo
from damolib import heats, jsonrec, recfile, recload, report_access
from damolib.errors import DamoError
from damolib.model import Intervals, Region


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


def _series(tid=7, regions=((4096, 8192, 3, 0),)):
    return [(tid, [(1 * S, 2 * S, list(regions))])]


class JsonRangeTest(support.TempDirTest):
    """JSON values that DAMON cannot report, and so the binary format
    cannot hold, are refused when read; regions come out sorted."""

    def convert(self, series, status=1):
        src = self.write('in.json', damo3_fixtures.json_text(series))
        got, out, err = run_damo(['convert', '-i', src, '-o',
                                  self.path('out.data'), '--output_type',
                                  'record'])
        self.assertEqual(got, status, err)
        self.assertNotIn('Traceback', err)
        return err

    def test_nr_accesses_negative(self):
        err = self.convert(_series(regions=[(4096, 8192, -1, 0)]))
        self.assertIn('nr_accesses -1 is out of range', err)

    def test_nr_accesses_too_large(self):
        err = self.convert(_series(regions=[(4096, 8192, 1 << 32, 0)]))
        self.assertIn('is out of range (0 to 4294967295)', err)

    def test_huge_float_count(self):
        objs = damo3_fixtures.json_objects(_series())
        objs[0]['snapshots'][0]['regions'][0]['nr_accesses'] = {
            'samples': 1e308, 'percent': None}
        src = self.write('in.json', json.dumps(objs))
        got, _, err = run_damo(['report', 'access', '-i', src])
        self.assertEqual(got, 1, err)
        self.assertIn('(309 digits) is out of range', err)
        self.assertEqual(len(err.strip().splitlines()), 1, err)

    def test_target_id_too_large(self):
        err = self.convert(_series(tid=1 << 64))
        self.assertIn('target_id', err)
        self.assertFalse(os.path.exists(self.path('out.data')))

    def test_largest_values_convert(self):
        self.convert(_series(tid=(1 << 64) - 1, regions=[
            (4096, (1 << 64) - 1, (1 << 32) - 1, 0)]), status=0)
        rec = recload.load(self.path('out.data'))
        self.assertEqual(rec.snapshots[0].targets[0].regions[0].nr_accesses,
                         (1 << 32) - 1)

    def test_overlap_refused(self):
        err = self.convert(_series(regions=[(0, 8192, 1, 0),
                                            (4096, 12288, 1, 0)]))
        self.assertIn('overlapping regions 0x0-0x2000 and 0x1000-0x3000',
                      err)

    def test_unsorted_regions_sorted(self):
        """A region below the first one once broke the access report's
        heatmap line (IndexError)."""
        src = self.write('in.json', damo3_fixtures.json_text(_series(
            regions=[(1 << 20, 2 << 20, 5, 0), (0, 4096, 1, 0)])))
        rec = recload.load(src)
        self.assertEqual([r.start for r in rec.snapshots[0].targets[0]
                          .regions], [0, 1 << 20])
        got, out, err = run_damo(['report', 'access', '-i', src])
        self.assertEqual(got, 0, err)
        self.assertIn('heatmap: ', out)

    def test_binary_encode_error(self):
        """A value that does not fit (from any source) is a DamoError."""
        with self.assertRaisesRegex(DamoError, 'json_compressed'):
            recfile.dumps([support.snap(S, (1, [(0, 4096, 1 << 32)]))])


class HeatmapLineTest(support.TempDirTest):
    def test_unsorted_and_overlapping(self):
        """Binary records are not checked: the line must still work."""
        regions = [Region(1 << 20, 2 << 20, 5), Region(0, 4096, 1),
                   Region(0, 8192, 2)]
        digits, _, top, _ = report_access.heatmap_line(
            regions, Intervals(5000, 100000, 1000000))
        self.assertEqual(len(digits), report_access.COLUMNS)
        self.assertGreater(top, 0)


class UnknownOptionTest(support.TempDirTest):
    """An unknown option before or after TARGET is named as such, not
    taken for the end of the options (its value for a second TARGET)."""

    def refused(self, argv, text):
        status, _, err = run_damo(argv)
        self.assertEqual(status, 2, err)
        self.assertNotIn('Traceback', err)
        self.assertNotIn('after TARGET', err)
        self.assertIn(text, err.splitlines()[-1])

    def test_after_target(self):
        self.refused(['start', 'paddr', '--timeout', '5'],
                     'unrecognized arguments: --timeout')

    def test_before_target(self):
        self.refused(['tune', '--bogus=3', 'paddr'],
                     'unrecognized arguments: --bogus')

    def test_damo3_option_points_to_help(self):
        self.refused(['record', '--snapshot', '1', '1'],
                     'unrecognized arguments: --snapshot (a damo 3.x option: '
                     'see "damo help")')

    def test_abbreviation_still_taken(self):
        from damolib import cli
        args = cli.parse(['record', '--time', '0.5', 'paddr'])
        self.assertEqual(args.duration, 0.5)
        self.assertEqual(args.target, ['paddr'])


class TargetIdTest(support.TempDirTest):
    """Target ids stay unsigned 64-bit numbers whatever the format: a
    kernel pointer used as id (2^63 or more) once came out negative from
    perf_script text, and so differed from the same record in JSON."""

    BIG = (1 << 64) - 120638127092736

    def test_perf_script_to_json(self):
        src = self.write('in.ps', damo3_fixtures.perf_script(
            _series(tid=self.BIG)))
        got, _, err = run_damo(['convert', '-i', src, '-o',
                                self.path('out.json'), '--output_type',
                                'json'])
        self.assertEqual(got, 0, err)
        objs = json.loads(self.read('out.json'))
        self.assertEqual(objs[0]['target_id'], self.BIG)
        for fmt in ('record', 'perf_script', 'json_compressed'):
            out = self.path('out.' + fmt)
            got, _, err = run_damo(['convert', '-i', self.path('out.json'),
                                    '-o', out, '--output_type', fmt])
            self.assertEqual(got, 0, err)
            self.assertEqual(recload.load(out).target_ids(), [self.BIG], fmt)

    def test_tid_option_takes_both_forms(self):
        src = self.write('in.ps', damo3_fixtures.perf_script(
            _series(tid=(1 << 64) - 1)))
        for tid in ('-1', str((1 << 64) - 1)):
            got, out, err = run_damo(['report', 'access', '-i', src,
                                      '--tid', tid])
            self.assertEqual(got, 0, err)
            self.assertIn('heatmap:', out)


class MinorOptionTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.rec = self.path('r.data')
        recfile.write(self.rec, KNOWN)

    def damo(self, argv, status=1):
        got, out, err = run_damo(argv)
        self.assertEqual(got, status, err)
        self.assertNotIn('Traceback', err)
        return out, err

    def test_schemes_timeout_nan(self):
        _, err = self.damo(['schemes', 'paddr', '--damos_action', 'stat',
                            '--timeout', 'nan'])
        self.assertIn('--timeout must be positive', err)

    def test_plot_to_fifo_before_report(self):
        fifo = self.path('w.png')
        os.mkfifo(fifo)
        out, err = self.damo(['report', 'wss', '-i', self.rec, '--plot',
                              fifo])
        self.assertIn('not a regular file', err)
        self.assertEqual(out, '')

    def test_negative_counts(self):
        for opts in (['wss', '--nr_cols_bar', '-1'],
                     ['nr_regions', '--nr_cols_bar', '-3'],
                     ['wss', '--sz_thres', '-1'],
                     ['wss', '--acc_thres', '-1']):
            with self.subTest(opts):
                out, err = self.damo(['report'] + opts + ['-i', self.rec])
                self.assertIn('must not be negative', err)
                self.assertEqual(out, '')

    def test_heatmap_hex_address_range(self):
        out, _ = self.damo(['report', 'heatmap', '-i', self.rec, '--output',
                            'raw', '--resol', '4', '4', '--address_range',
                            '0x1000', '0x5000'], status=0)
        hexed = out
        out, _ = self.damo(['report', 'heatmap', '-i', self.rec, '--output',
                            'raw', '--resol', '4', '4', '--address_range',
                            '4096', '20480'], status=0)
        self.assertEqual(hexed, out)


class PerTargetIntervalsTest(support.TempDirTest):
    """Each kdamond of a damo 3.x JSON record has its own intervals."""

    def test_each_target_keeps_its_own(self):
        objs = damo3_fixtures.json_objects(
            [(1, [(1 * S, 2 * S, [(0, 4096, 2, 0)])]),
             (2, [(1 * S, 2 * S, [(8192, 12288, 2, 0)])])])
        objs[1]['kdamond_idx'] = 1
        objs[1]['intervals'] = dict(objs[1]['intervals'],
                                    sample_us='10000', aggr_us='200000')
        src = self.write('in.json', json.dumps(objs))
        rec = recload.load(src)
        self.assertEqual(jsonrec.guess_intervals(rec, 1).aggr_us, 1000000)
        self.assertEqual(jsonrec.guess_intervals(rec, 2).aggr_us, 200000)
        written = json.loads(jsonrec.dumps(rec))
        self.assertEqual([o['intervals']['aggr_us'] for o in written],
                         ['1000000', '200000'])
        got, out, err = run_damo(['report', 'access', '-i', src])
        self.assertEqual(got, 0, err)
        # 2 samples of 5 ms in 1 s is 1 %; of 10 ms in 200 ms, 10 %.
        rates = [line.split('access ')[1].split(' %')[0].strip()
                 for line in out.splitlines() if ' addr ' in line]
        self.assertEqual(rates, ['1', '10'])
