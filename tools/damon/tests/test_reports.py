# SPDX-License-Identifier: GPL-2.0
"""Every report on a known record, with the exact expected output."""

import os
import shutil
import unittest

import support
from support import KNOWN, MULTI, run_damo
from damolib import heats, recfile

RAW = """\
# {path}: binary v2, 4 snapshots
snapshot 0: time 0.000000000 s (recorded 1.000000000)
  target 42: 2 regions
    0x1000-0x3000 (8.000 KiB): 0
    0x3000-0x5000 (8.000 KiB): 4
snapshot 1: time 0.100000000 s (recorded 1.100000000)
  target 42: 2 regions
    0x1000-0x2000 (4.000 KiB): 2
    0x2000-0x5000 (12.000 KiB): 0
snapshot 2: time 0.200000000 s (recorded 1.200000000)
  target 42: 3 regions
    0x1000-0x3000 (8.000 KiB): 1
    0x3000-0x4000 (4.000 KiB): 3
    0x4000-0x5000 (4.000 KiB): 0
snapshot 3: time 0.300000000 s (recorded 1.300000000)
  target 42: 1 regions
    0x1000-0x5000 (16.000 KiB): 5
"""

WSS = """\
# target_id 42, 4 snapshots
# avr: 10.000 KiB
# <percentile> <working set size>
  0 4.000 KiB
 25 4.000 KiB
 50 8.000 KiB
 75 12.000 KiB
100 16.000 KiB
"""

WSS_TIME_RAW = """\
# target_id 42, 4 snapshots
# avr: 10240
# <time percentile> <working set size>
  0 8192
 50 4096
100 16384
"""

NR_REGIONS = """\
# target_id 42, 4 snapshots
# avr: 2
# <percentile> <number of regions>
  0 1
 25 1
 50 2
 75 2
100 3
"""

# Four 100 ms time bins (one per snapshot) by four 4 KiB address bins.
HEATS_4x4 = [
    (0, 0, 0), (0, 4096, 0), (0, 8192, 4), (0, 12288, 4),
    (100000000, 0, 2), (100000000, 4096, 0), (100000000, 8192, 0),
    (100000000, 12288, 0),
    (200000000, 0, 1), (200000000, 4096, 1), (200000000, 8192, 3),
    (200000000, 12288, 0),
    (300000000, 0, 5), (300000000, 4096, 5), (300000000, 8192, 5),
    (300000000, 12288, 5),
]


def heat_text(rows, t0=0, a0=0):
    return ''.join('%d %d %.3f\n' % (t + t0, a + a0, v) for t, a, v in rows)


class ReportTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.rec = self.path('damon.data')
        recfile.write(self.rec, KNOWN)

    def report(self, *args):
        status, out, err = run_damo(['report'] + list(args) +
                                    ['-i', self.rec])
        self.assertEqual(status, 0, err)
        return out

    def test_raw(self):
        self.assertEqual(self.report('raw'), RAW.format(path=self.rec))

    def test_raw_all_formats_agree(self):
        """v1 without header, v1, v2 and trace text give the same raw
        report apart from the format line."""
        body = RAW.split('\n', 1)[1]
        for version, magic in ((1, False), (1, True)):
            recfile.write(self.rec, KNOWN, version, magic)
            self.assertEqual(self.report('raw').split('\n', 1)[1], body)
        self.write('damon.data', '\n'.join(support.trace_lines(KNOWN)))
        out = self.report('raw')
        self.assertIn('tracepoint text', out.split('\n', 1)[0])
        self.assertEqual(out.split('\n', 1)[1], body)

    def test_raw_number(self):
        self.assertIn('0x1000-0x5000 (16384): 5', self.report(
            'raw', '--raw_number'))

    def test_wss(self):
        self.assertEqual(self.report('wss'), WSS)

    def test_wss_sortby_time_raw(self):
        self.assertEqual(self.report('wss', '--sortby', 'time', '--range',
                                     '0', '101', '50', '--raw_number'),
                         WSS_TIME_RAW)

    def test_wss_min_accesses(self):
        out = self.report('wss', '--min_accesses', '4', '--range', '0',
                          '101', '100', '--raw_number')
        # Working sets with nr_accesses >= 4: 8192, 0, 0, 16384.
        self.assertEqual(out.splitlines()[3:], ['  0 0', '100 16384'])

    def test_nr_regions(self):
        self.assertEqual(self.report('nr_regions'), NR_REGIONS)

    def test_heats_4x4(self):
        out = self.report('heats', '--stdout', '--tres', '4', '--ares', '4')
        self.assertEqual(out, heat_text(HEATS_4x4))

    def test_heats_abs(self):
        out = self.report('heats', '--stdout', '--tres', '4', '--ares', '4',
                          '--abs')
        self.assertEqual(out, heat_text(HEATS_4x4, 900000000, 0x1000))

    def test_heats_averaging(self):
        """Coarser bins average over time and address."""
        out = self.report('heats', '--stdout', '--tres', '2', '--ares', '2')
        self.assertEqual(out, heat_text([
            (0, 0, 0.5), (0, 8192, 2),
            (200000000, 0, 3), (200000000, 8192, 3.25)]))

    def test_heats_address_range(self):
        out = self.report('heats', '--stdout', '--tres', '1', '--ares',
                          '1', '--address_range', '0x3000', '0x4000')
        # Over the 400 ms: 4, 0, 3, 5 -> 3.
        self.assertEqual(out, '0 0 3.000\n')

    def test_heats_bins_clamped_to_range(self):
        out = self.report('heats', '--stdout', '--tres', '1', '--ares',
                          '1000', '--address_range', '0x3000', '0x3004')
        self.assertEqual(len(out.splitlines()), 4)


class MultiTargetTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.rec = self.path('multi.data')
        recfile.write(self.rec, MULTI, version=1, magic=False)

    def test_wss_each_target(self):
        status, out, err = run_damo(['report', 'wss', '-i', self.rec,
                                     '--raw_number', '--range', '0', '101',
                                     '100'])
        self.assertEqual(status, 0, err)
        self.assertEqual(out, '# target_id 1, 2 snapshots\n# avr: 2048\n'
                         '# <percentile> <working set size>\n  0 0\n'
                         '100 4096\n\n'
                         '# target_id 18446744073709551615, 2 snapshots\n'
                         '# avr: 12288\n'
                         '# <percentile> <working set size>\n  0 8192\n'
                         '100 16384\n')

    def test_heats_tid(self):
        status, out, err = run_damo(['report', 'heats', '-i', self.rec,
                                     '--tid', '-1', '--tres', '2',
                                     '--ares', '2', '--stdout'])
        self.assertEqual(status, 0, err)
        self.assertEqual(out, heat_text([(0, 0, 0), (0, 8192, 7),
                                         (S1, 0, 2), (S1, 8192, 2)]))

    def test_unknown_tid(self):
        status, _, err = run_damo(['report', 'heats', '-i', self.rec,
                                   '--tid', '9'])
        self.assertEqual(status, 1)
        self.assertIn('no target 9 in the record (targets: 1, '
                      '18446744073709551615)', err)


S1 = 1000000000


class DefaultRangeTest(unittest.TestCase):
    def test_busiest_range_wins(self):
        snaps = [support.snap(1, (1, [(0, 1 << 20, 0), (1 << 20, 2 << 20, 0),
                                       (1 << 40, (1 << 40) + 4096, 9)]))]
        self.assertEqual(heats.default_address_range(snaps, 1),
                         (1 << 40, (1 << 40) + 4096, 2))

    def test_largest_when_idle(self):
        snaps = [support.snap(1, (1, [(0, 4096, 0),
                                       (1 << 40, (1 << 40) + 8192, 0)]))]
        self.assertEqual(heats.default_address_range(snaps, 1)[:2],
                         (1 << 40, (1 << 40) + 8192))

    def test_single_snapshot_interval(self):
        self.assertEqual(heats.snapshot_intervals(KNOWN[:1]),
                         [(900000000, 1000000000)])


@unittest.skipUnless(shutil.which('gnuplot'), 'gnuplot is not installed')
class PictureTest(support.TempDirTest):
    def setUp(self):
        super().setUp()
        self.rec = self.path('damon.data')
        recfile.write(self.rec, KNOWN)

    def draw(self, *args):
        status, out, err = run_damo(['report'] + list(args) +
                                    ['-i', self.rec])
        self.assertEqual(status, 0, err)
        return out

    def test_heatmap_png(self):
        png = self.path('heats.png')
        self.assertEqual(self.draw('heats', '--heatmap', png), '')
        with open(png, 'rb') as f:
            self.assertEqual(f.read(8), b'\x89PNG\r\n\x1a\n')
        self.assertGreater(os.path.getsize(png), 1000)

    def test_heatmap_svg_and_stdout(self):
        svg = self.path('heats.svg')
        out = self.draw('heats', '--heatmap', svg, '--stdout', '--tres', '4',
                        '--ares', '4')
        self.assertEqual(out, heat_text(HEATS_4x4))
        with open(svg) as f:
            self.assertIn('<svg', f.read())

    def test_heatmap_abs(self):
        self.draw('heats', '--abs', '--heatmap', self.path('abs.pdf'))
        with open(self.path('abs.pdf'), 'rb') as f:
            self.assertEqual(f.read(4), b'%PDF')

    def test_wss_and_nr_regions_plots(self):
        for kind in ('wss', 'nr_regions'):
            out_png = self.path(kind + '.png')
            self.assertEqual(self.draw(kind, '--plot', out_png),
                             WSS if kind == 'wss' else NR_REGIONS)
            self.assertGreater(os.path.getsize(out_png), 1000)

    def test_bad_suffix(self):
        status, _, err = run_damo(['report', 'heats', '-i', self.rec,
                                   '--heatmap', self.path('x.bmp')])
        self.assertEqual(status, 1)
        self.assertIn('use a .png, .svg, .pdf or .eps', err)


class NoGnuplotTest(support.TempDirTest):
    def test_clear_error(self):
        rec = self.path('damon.data')
        recfile.write(rec, KNOWN)
        os.environ['DAMO_GNUPLOT'] = self.path('no-gnuplot')
        try:
            status, out, err = run_damo(['report', 'heats', '-i', rec,
                                         '--heatmap', self.path('h.png')])
        finally:
            del os.environ['DAMO_GNUPLOT']
        self.assertEqual(status, 1)
        self.assertIn('gnuplot not found', err)
        self.assertNotIn('Traceback', err)


if __name__ == '__main__':
    unittest.main()
