# SPDX-License-Identifier: GPL-2.0
"""Reading damon_aggregated tracepoint text."""

import unittest

import support
from support import KNOWN, MULTI, S
from damolib import tracetext
from damolib.model import Region


class ParseLineTest(unittest.TestCase):
    def test_perf_script_line(self):
        line = ('kdamond.0  1029 [000]   124.421733: damon:damon_aggregated:'
                ' target_id=0 nr_regions=10 94549337608192-94549337874432:'
                ' 3 5')
        self.assertEqual(tracetext.parse_line(line), (
            124421733000, 0, 10,
            Region(94549337608192, 94549337874432, 3, 5)))

    def test_tracefs_line(self):
        line = ('   kdamond.0-1029    [000] ..... 12.5: damon_aggregated: '
                'target_id=18446744073709551615 nr_regions=1 4096-8192: 0 0')
        self.assertEqual(tracetext.parse_line(line),
                         (12500000000, (1 << 64) - 1, 1,
                          Region(4096, 8192, 0, 0)))

    def test_other_lines(self):
        for line in ('', '# tracer: nop', 'x 1.0: sched_switch: a=b',
                     'kdamond 1.0: damon:damos_before_apply: ...'):
            self.assertIsNone(tracetext.parse_line(line))


class GroupingTest(unittest.TestCase):
    def test_perf_and_tracefs_styles(self):
        for snaps in (KNOWN, MULTI):
            for style in ('perf', 'tracefs'):
                rec = tracetext.parse_lines(
                    support.trace_lines(snaps, style))
                self.assertEqual(rec.snapshots, snaps, style)
                self.assertIsNone(rec.warning)

    def test_lost_events(self):
        """A target's aggregation that stops short is left out."""
        lines = support.trace_lines(KNOWN)
        # KNOWN[2] has 3 regions: drop its middle line.
        del lines[5]
        rec = tracetext.parse_lines(lines, 'x')
        self.assertEqual(rec.snapshots, [KNOWN[0], KNOWN[1], KNOWN[3]])
        self.assertIn('left out 1 incomplete', rec.warning)

    def test_lost_events_same_count(self):
        """Lost tail lines followed by an aggregation with the same number
        of regions are noticed because addresses go backwards."""
        a = support.snap(1 * S, (7, [(0, 10, 1), (10, 20, 2)]))
        b = support.snap(2 * S, (7, [(0, 5, 3), (5, 20, 4)]))
        lines = support.trace_lines([a, b])
        del lines[1]
        rec = tracetext.parse_lines(lines)
        self.assertEqual(rec.snapshots, [b])

    def test_snapshot_time_is_latest_line(self):
        lines = [
            'k 1.000000: damon_aggregated: target_id=1 nr_regions=2 0-4: 1 0',
            'k 1.000002: damon_aggregated: target_id=1 nr_regions=2 4-8: 0 0',
        ]
        rec = tracetext.parse_lines(lines)
        self.assertEqual(rec.snapshots[0].end_ns, 1000002000)

    def test_streaming(self):
        asm = tracetext.Assembler()
        done = [asm.feed(line) for line in support.trace_lines(KNOWN)]
        done.append(asm.finish())
        self.assertEqual([d for d in done if d], KNOWN)


if __name__ == '__main__':
    unittest.main()
