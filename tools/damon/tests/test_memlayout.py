# SPDX-License-Identifier: GPL-2.0
"""Physical memory layout from fake /proc/iomem and sysfs trees."""

import os
import shutil
import tempfile
import unittest

import support
from damolib import memlayout
from damolib.errors import DamoError
from damolib.paths import Paths

GiB = 1 << 30


class IomemTest(unittest.TestCase):
    def test_parse(self):
        entries = memlayout.parse_iomem(support.IOMEM)
        self.assertEqual(entries[1], memlayout.IomemEntry(
            0x1000, 0x9fc00, 'System RAM', 0))
        self.assertEqual(entries[5], memlayout.IomemEntry(
            0xf0000, 0x100000, 'System ROM', 1))
        self.assertEqual(memlayout.system_ram(entries), [
            (0x1000, 0x9fc00), (0x100000, 0x7ffe0000),
            (0x100000000, 0x280000000)])

    def test_ranges(self):
        self.assertEqual(memlayout.merge_ranges([(5, 9), (0, 3), (3, 4)]),
                         [(0, 4), (5, 9)])
        self.assertEqual(memlayout.intersect_ranges(
            [(0, 10), (20, 30)], [(5, 25), (28, 40)]),
            [(5, 10), (20, 25), (28, 30)])


class LayoutTest(support.TempDirTest):
    @classmethod
    def setUpClass(cls):
        # Building a tree takes a while on slow file systems: share the
        # default one between the tests that do not change it.
        cls.shared = tempfile.mkdtemp(prefix='damo-test-')
        cls.shared_paths = support.make_sysfs(cls.shared)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.shared, True)

    def paths(self, private=False, **kw):
        if kw or private:
            sysfs, proc = support.make_sysfs(self.tmp, **kw)
        else:
            sysfs, proc = self.shared_paths
        return Paths(sysfs=sysfs, proc=proc, debugfs='/nonexistent')

    def test_largest_system_ram(self):
        self.assertEqual(memlayout.largest_system_ram(self.paths()),
                         (0x100000000, 0x280000000))

    def test_node0_spans_the_hole(self):
        """Node 0's blocks below 2 GiB are cut to System RAM; the ones
        above 4 GiB form a separate range."""
        self.assertEqual(memlayout.node_ranges(self.paths(), 0), [
            (0x1000, 0x9fc00), (0x100000, 0x7ffe0000),
            (0x100000000, 0x140000000)])

    def test_node1_offline_blocks(self):
        self.assertEqual(memlayout.node_ranges(self.paths(), 1), [
            (0x140000000, 0x180000000), (0x1a0000000, 0x280000000)])

    def test_missing_node(self):
        with self.assertRaisesRegex(
                DamoError, r'NUMA node 2 does not exist .*nodes: 0, 1'):
            memlayout.node_ranges(self.paths(), 2)

    def test_no_numa(self):
        paths = self.paths(node_dir=False)
        with self.assertRaisesRegex(DamoError, 'no NUMA information'):
            memlayout.node_ranges(paths, 0)

    def test_missing_block_size(self):
        with self.assertRaisesRegex(DamoError,
                                    'memory block size not found'):
            memlayout.node_ranges(self.paths(block_size=None), 0)

    def test_bad_block_size(self):
        with self.assertRaisesRegex(DamoError, 'not a hexadecimal'):
            memlayout.node_ranges(self.paths(block_size='lots'), 0)

    def test_all_offline(self):
        paths = self.paths(offline=support.NODES[1])
        with self.assertRaisesRegex(DamoError, 'no online memory block'):
            memlayout.node_ranges(paths, 1)

    def test_missing_state(self):
        paths = self.paths(private=True)
        os.unlink(os.path.join(paths.memory_dir(), 'memory15', 'state'))
        with self.assertRaisesRegex(DamoError, 'state of memory block 15'):
            memlayout.node_ranges(paths, 1)

    def test_node_without_ram(self):
        # Node 2's only block lies in the PCI hole.
        nodes = dict(support.NODES)
        nodes[2] = [5]
        with self.assertRaisesRegex(DamoError, 'hold no System RAM'):
            memlayout.node_ranges(self.paths(nodes=nodes), 2)

    def test_hidden_addresses(self):
        zeros = ''.join('00000000-00000000 : %s\n' % n
                        for n in ('Reserved', 'System RAM'))
        with self.assertRaisesRegex(DamoError, 'needs root'):
            memlayout.largest_system_ram(self.paths(iomem=zeros))

    def test_no_iomem(self):
        with self.assertRaisesRegex(DamoError, 'resource map not found'):
            memlayout.largest_system_ram(Paths(proc=self.path('none')))

    def test_layout(self):
        segs = memlayout.layout(self.paths())
        ram = [s for s in segs if s.name == 'System RAM']
        self.assertEqual(ram, [
            memlayout.Segment(0x1000, 0x9fc00, 0, 'online', 'System RAM'),
            memlayout.Segment(0x100000, 0x7ffe0000, 0, 'online',
                              'System RAM'),
            memlayout.Segment(0x100000000, 0x140000000, 0, 'online',
                              'System RAM'),
            memlayout.Segment(0x140000000, 0x180000000, 1, 'online',
                              'System RAM'),
            memlayout.Segment(0x180000000, 0x1a0000000, 1, 'offline',
                              'System RAM'),
            memlayout.Segment(0x1a0000000, 0x280000000, 1, 'online',
                              'System RAM'),
        ])
        self.assertEqual(len(segs), 6 + 6)

    def test_layout_without_memory_sysfs(self):
        paths = self.paths(private=True)
        shutil.rmtree(paths.memory_dir())
        segs = memlayout.layout(paths)
        self.assertEqual([(s.node, s.state) for s in segs],
                         [(None, None)] * 9)


if __name__ == '__main__':
    unittest.main()
