# SPDX-License-Identifier: GPL-2.0
"""damo 3.x's record formats: reading its files, writing what it reads,
round trips through every format, and damaged input."""

import json
import os
import shutil
import subprocess
import unittest
import zlib

import damo3_fixtures as d3
import support
from support import KNOWN, MULTI, S, run_damo, snap
from damolib import jsonrec, recfile, recload, recsave
from damolib.errors import DamoError
from damolib.model import Intervals, Record

# KNOWN with ages, which every format but the binary one keeps.
AGED = [snap(s.end_ns, *[(t.target_id, [tuple(r[:3]) + (i,)
                                        for i, r in enumerate(t.regions)])
                         for t in s.targets]) for s in KNOWN]


def _no_age(snaps):
    return [snap(s.end_ns, *[(t.target_id, [tuple(r[:3]) + (0,)
                                            for r in t.regions])
                             for t in s.targets]) for s in snaps]


class ReadDamo3Test(unittest.TestCase):
    def check(self, buf, fmt):
        rec = recload.loads(buf, 'x')
        self.assertEqual(rec.snapshots, d3.EXPECTED)
        self.assertEqual(rec.fmt, fmt)
        self.assertIsNone(rec.warning)
        return rec

    def test_json(self):
        rec = self.check(d3.json_text().encode(), 'json')
        self.assertEqual(rec.intervals, Intervals(5000, 1000000, 1000000))
        self.assertEqual([s.start_ns for s in rec.snapshots],
                         [1 * S, 2 * S, 3 * S])

    def test_json_human_numbers(self):
        self.check(d3.json_text(human=True).encode(), 'json')

    def test_json_compressed(self):
        self.check(d3.json_compressed(), 'json_compressed')

    def test_perf_script_targets_in_time_order(self):
        """3.x writes one target after the other; each target's snapshots
        must stay in time order (issue: the second target's first
        snapshot took the first target's last time)."""
        rec = self.check(d3.perf_script().encode(), 'tracepoint text')
        for tid in (4242, 77):
            ends = [s.end_ns for s in rec.snapshots
                    if s.target(tid) is not None]
            self.assertEqual(ends, [2 * S, 3 * S, 4 * S])

    def test_perf_script_fake_snapshot(self):
        one = [(9, [(5 * S, 7 * S, [(0, 4096, 2, 0)])])]
        rec = recload.loads(d3.perf_script(one).encode())
        self.assertEqual(rec.snapshots, [snap(7 * S, (9, [(0, 4096, 2, 0)]))])
        self.assertEqual(rec.snapshots[0].start_ns, 5 * S)

    def test_raw_report_time_runs_forward(self):
        path = os.path.join(self.tmp, 'p.txt')
        with open(path, 'w') as f:
            f.write(d3.perf_script())
        status, out, err = run_damo(['report', 'raw', '-i', path])
        self.assertEqual(status, 0, err)
        times = [float(line.split()[3]) for line in out.splitlines()
                 if line.startswith('snapshot ')]
        self.assertEqual(times, sorted(times))
        self.assertEqual(len(times), 3)

    def setUp(self):
        self.tmp = support.tempfile.mkdtemp(prefix='damo-test-')
        self.addCleanup(shutil.rmtree, self.tmp, True)


class RoundTripTest(unittest.TestCase):
    def test_every_format(self):
        for snaps in (AGED, MULTI, d3.EXPECTED):
            for otype in recsave.OUTPUT_TYPES:
                rec = recload.loads(recsave.encode(Record(snaps, 'x'),
                                                   otype))
                want = snaps
                if otype == recsave.BINARY:
                    want = [snap(s.end_ns, *[(t.target_id,
                                              [tuple(r[:3]) for r in
                                               t.regions])
                                             for t in s.targets])
                            for s in snaps]
                elif snaps is MULTI:
                    want = _no_age(snaps)
                self.assertEqual(rec.snapshots, want, otype)

    def test_json_keeps_intervals_and_starts(self):
        rec = recload.loads(d3.json_text().encode())
        again = recload.loads(jsonrec.dumps(rec).encode())
        self.assertEqual(again.intervals, rec.intervals)
        self.assertEqual([s.start_ns for s in again.snapshots],
                         [s.start_ns for s in rec.snapshots])

    def test_binary_to_json_and_back(self):
        rec = recfile.loads(recfile.dumps(KNOWN))
        back = recload.loads(recsave.encode(rec, 'json_compressed'))
        self.assertEqual(recfile.dumps(back.snapshots), recfile.dumps(KNOWN))


class WriterShapeTest(unittest.TestCase):
    """What we write has the shape damo 3.x's reader expects."""

    RECORD_KEYS = {'kdamond_idx', 'context_idx', 'intervals', 'scheme_idx',
                   'target_id', 'scheme_filters', 'snapshots',
                   'data_source'}
    SNAPSHOT_KEYS = {'start_time', 'end_time', 'regions', 'total_bytes',
                     'damos_stats', 'sample_interval_us'}
    REGION_KEYS = {'start', 'end', 'nr_accesses', 'age', 'probe_hits',
                   'sz_filter_passed'}

    def test_json_keys_and_types(self):
        text = jsonrec.dumps(Record(MULTI, 'x'))
        self.assertTrue(text.startswith('[\n    {'))
        objs = json.loads(text)
        self.assertEqual([o['target_id'] for o in objs], [1, (1 << 64) - 1])
        for o in objs:
            self.assertEqual(set(o), self.RECORD_KEYS)
            self.assertIsNone(o['scheme_idx'])
            self.assertEqual(o['scheme_filters'], [])
            self.assertEqual(set(o['intervals']), {
                'sample_us', 'aggr_us', 'ops_update_us', 'intervals_goal'})
            # MULTI's snapshots are 1 s apart: that is the aggregation.
            self.assertEqual(o['intervals']['aggr_us'], '1000000')
            for s in o['snapshots']:
                self.assertEqual(set(s), self.SNAPSHOT_KEYS)
                self.assertIsInstance(s['end_time'], str)
                self.assertLess(int(s['start_time']), int(s['end_time']))
                for r in s['regions']:
                    self.assertEqual(set(r), self.REGION_KEYS)
                    self.assertIsInstance(r['start'], str)
                    self.assertIsInstance(r['nr_accesses']['samples'], int)
                    self.assertEqual(set(r['age']),
                                     {'usec', 'aggr_intervals'})

    def test_compressed_is_zlib(self):
        data = jsonrec.dumps_compressed(Record(KNOWN, 'x'))
        self.assertEqual(data[0], 0x78)
        json.loads(zlib.decompress(data))

    def test_perf_script_fields(self):
        text = recsave.encode(Record(MULTI, 'x'), 'perf_script').decode()
        lines = text.splitlines()
        for line in lines:
            f = line.split()
            self.assertEqual(len(f), 10, line)
            self.assertTrue(f[3].endswith(':'))
            self.assertEqual(f[4], 'damon:damon_aggregated:')
        # Target 1 first, all of its snapshots, then target -1 (written
        # unsigned, as the kernel prints it).
        self.assertEqual([line.split()[5] for line in lines],
                         ['target_id=1'] * 2 +
                         ['target_id=%d' % ((1 << 64) - 1)] * 3)

    def test_perf_script_fake_for_one_snapshot(self):
        text = recsave.encode(Record(KNOWN[:1], 'x'),
                              'perf_script').decode()
        self.assertEqual(text.splitlines()[-1].split()[3:],
                         ['1.100000:', 'damon:damon_aggregated:',
                          'target_id=42', 'nr_regions=1', '0-0:', '-1',
                          '-1'])

    @unittest.skipUnless(shutil.which('file'), 'file(1) is not installed')
    def test_file_names_them_as_damo3_expects(self):
        """damo 3.x dispatches on `file -b`: these two are what it reads
        on Debian 12."""
        tmp = support.tempfile.mkdtemp(prefix='damo-test-')
        self.addCleanup(shutil.rmtree, tmp, True)
        for otype, want in (('json_compressed', 'zlib compressed data'),
                            ('perf_script', 'ASCII text')):
            path = os.path.join(tmp, otype)
            recsave.save(Record(support.MULTI, 'x'), path, otype)
            got = subprocess.run(['file', '-b', path],
                                 stdout=subprocess.PIPE, check=True,
                                 universal_newlines=True).stdout.strip()
            self.assertEqual(got, want, otype)


class DamagedTest(support.TempDirTest):
    def load_error(self, data):
        path = self.write('bad', data, 'wb')
        with self.assertRaises(DamoError) as ctx:
            rec = recload.load(path)
            recload.check_usable(rec, path)
        msg = str(ctx.exception)
        self.assertNotIn('\n', msg)
        return msg

    def test_truncated_json(self):
        self.assertIn('damaged or truncated JSON',
                      self.load_error(d3.json_text()[:500].encode()))

    def test_truncated_compressed(self):
        self.assertIn('damaged or truncated compressed',
                      self.load_error(d3.json_compressed()[:100]))

    def test_json_of_another_shape(self):
        self.assertIn('expected a list', self.load_error(b'{"a": 1}'))
        self.assertIn('has no "target_id"', self.load_error(b'[{}]'))
        objs = d3.json_objects()
        del objs[0]['snapshots'][1]['regions'][0]['end']
        self.assertIn('record 0 snapshot 1 region 0 has no "end"',
                      self.load_error(json.dumps(objs).encode()))
        objs = d3.json_objects()
        objs[1]['snapshots'][0]['end_time'] = 'soon'
        self.assertIn('"end_time": \'soon\' is not a time',
                      self.load_error(json.dumps(objs).encode()))

    def test_zeros(self):
        self.assertIn('only zero bytes', self.load_error(b'\0' * 4096))

    def test_no_targets(self):
        data = recfile.dumps([snap(1), snap(2)])
        self.assertIn('2 snapshots, but no monitoring target',
                      self.load_error(data))

    def test_text_junk(self):
        self.assertIn('not a DAMON record', self.load_error(b'hello\n'))

    def test_truncated_binary_keeps_what_is_whole(self):
        path = self.write('cut', recfile.dumps(KNOWN)[:-5], 'wb')
        rec = recload.load(path)
        self.assertEqual(len(rec.snapshots), 3)
        self.assertIn('ignoring data after snapshot 3', rec.warning)

    def test_report_says_one_line(self):
        """No traceback for any of them, from the command line."""
        cases = [b'\0' * 4096, recfile.dumps([snap(1)]),
                 d3.json_text()[:300].encode(), d3.json_compressed()[:50],
                 b'[1, 2]', b'']
        for i, data in enumerate(cases):
            path = self.write('c%d' % i, data, 'wb')
            for report in ('raw', 'heats', 'wss', 'nr_regions'):
                status, out, err = run_damo(['report', report, '-i', path])
                self.assertEqual(status, 1, (i, report, err))
                self.assertEqual(len(err.splitlines()), 1, (i, err))
                self.assertTrue(err.startswith('damo: error: '), err)


class UnwritableOutputTest(support.TempDirTest):
    """Issue: gnuplot wrote the PNG to its stdout when it could not open
    the file, and damo died decoding it.  Every output path is checked
    first, with one line and nothing printed before it."""

    def test_every_output(self):
        rec = self.path('d')
        recfile.write(rec, KNOWN)
        nodir = self.path('no', 'dir', 'x.png')
        for argv in (['report', 'heats', '-i', rec, '--heatmap', nodir],
                     ['report', 'wss', '-i', rec, '--plot', nodir],
                     ['report', 'nr_regions', '-i', rec, '-p', nodir],
                     ['report', 'heatmap', '-i', rec, '--output', nodir],
                     ['report', 'heats', '-i', rec, '--heatmap', self.tmp],
                     ['report', 'wss', '-i', rec, '--plot',
                      '/proc/no-such.png'],
                     ['convert', '-i', rec, '-o', nodir],
                     ['record', '-o', nodir, 'paddr']):
            status, out, err = run_damo(argv)
            self.assertEqual(status, 1, (argv, err))
            self.assertEqual(out, '', argv)
            self.assertEqual(len(err.splitlines()), 1, err)
            self.assertIn('cannot write', err)


if __name__ == '__main__':
    unittest.main()
