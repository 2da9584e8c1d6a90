# SPDX-License-Identifier: GPL-2.0
"""The binary record format: both versions, with and without header."""

import struct
import unittest

import support
from support import KNOWN, MULTI
from damolib import recfile, recload
from damolib.errors import DamoError


class LayoutTest(unittest.TestCase):
    def test_v2_bytes(self):
        """The exact bytes of a one-region snapshot, field by field."""
        data = recfile.dumps([support.snap(
            3 * support.S + 7, (5, [(0x1000, 0x2000, 9)]))])
        want = (b'damon_recfmt_ver' + struct.pack('<i', 2) +
                struct.pack('<qq', 3, 7) + struct.pack('<I', 1) +
                struct.pack('<Q', 5) + struct.pack('<I', 1) +
                struct.pack('<QQI', 0x1000, 0x2000, 9))
        self.assertEqual(data, want)

    def test_v1_bytes(self):
        data = recfile.dumps([support.snap(
            3 * support.S, (-1, [(0x1000, 0x2000, 9)]))], version=1,
            magic=False)
        want = (struct.pack('<qq', 3, 0) + struct.pack('<I', 1) +
                struct.pack('<i', -1) + struct.pack('<I', 1) +
                struct.pack('<QQI', 0x1000, 0x2000, 9))
        self.assertEqual(data, want)

    def test_negative_id_v2(self):
        data = recfile.dumps(MULTI)
        self.assertIn(struct.pack('<Q', (1 << 64) - 1), data)
        self.assertEqual(recfile.loads(data).snapshots, MULTI)


class RoundTripTest(unittest.TestCase):
    def check(self, snaps, version, magic, fmt):
        rec = recfile.loads(recfile.dumps(snaps, version, magic))
        self.assertEqual(rec.snapshots, snaps)
        self.assertEqual(rec.fmt, fmt)
        self.assertIsNone(rec.warning)

    def test_all_variants(self):
        for snaps in (KNOWN, MULTI):
            self.check(snaps, 2, True, 'binary v2')
            self.check(snaps, 1, True, 'binary v1')
            self.check(snaps, 1, False, 'binary v1 (no header)')

    def test_headerless_v2_layout(self):
        """64-bit ids without a header: v1 does not fit, v2 does."""
        self.check(MULTI, 2, False, 'binary v2 layout (no header)')
        big = [support.snap(1, (1 << 40, [(0, 4096, 1)]))]
        self.check(big, 2, False, 'binary v2 layout (no header)')

    def test_empty_snapshot_list(self):
        rec = recfile.loads(recfile.dumps([]))
        self.assertEqual(rec.snapshots, [])


class DamagedTest(unittest.TestCase):
    def test_truncated_last_snapshot(self):
        data = recfile.dumps(KNOWN)
        rec = recfile.loads(data[:-5], 'x.data')
        self.assertEqual(rec.snapshots, KNOWN[:3])
        self.assertIn('ignoring data after snapshot 3', rec.warning)

    def test_unknown_version(self):
        data = recfile.MAGIC + struct.pack('<i', 7)
        with self.assertRaisesRegex(DamoError, 'version 7'):
            recfile.loads(data)

    def test_short_header(self):
        with self.assertRaisesRegex(DamoError, 'header is cut short'):
            recfile.loads(recfile.MAGIC + b'\2')

    def test_garbage(self):
        with self.assertRaisesRegex(DamoError, 'not a DAMON record'):
            recfile.loads(b'\xff' * 64, 'junk')

    def test_region_end_before_start(self):
        bad = [support.snap(1, (1, [(0x2000, 0x1000, 0)]))]
        with self.assertRaisesRegex(DamoError, 'ends before it starts'):
            recfile.loads(recfile.dumps(bad))


class LoadTest(support.TempDirTest):
    def test_load_file_versions(self):
        for version, magic in ((1, False), (1, True), (2, True)):
            path = self.path('v%d%s.data' % (version, magic))
            recfile.write(path, KNOWN, version, magic)
            self.assertEqual(recload.load(path).snapshots, KNOWN)

    def test_missing_file(self):
        with self.assertRaisesRegex(DamoError, 'cannot read record'):
            recload.load(self.path('nope'))

    def test_empty_file(self):
        path = self.write('empty', '')
        with self.assertRaisesRegex(DamoError, 'is empty'):
            recload.load(path)

    def test_trace_text_file(self):
        path = self.write('t.txt', '\n'.join(support.trace_lines(KNOWN)))
        rec = recload.load(path)
        self.assertEqual(rec.fmt, 'tracepoint text')
        self.assertEqual(rec.snapshots, KNOWN)

    def test_perf_data_without_perf(self):
        path = self.write('perf.data', 'PERFILE2' + '\0' * 100)
        import os
        old = os.environ.get('PATH')
        os.environ['PATH'] = self.tmp
        try:
            with self.assertRaisesRegex(DamoError, 'perf.data file'):
                recload.load(path)
        finally:
            os.environ['PATH'] = old


if __name__ == '__main__':
    unittest.main()
