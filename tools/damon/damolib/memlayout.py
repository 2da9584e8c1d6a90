# SPDX-License-Identifier: GPL-2.0
"""The physical memory layout: /proc/iomem and the memory-block sysfs.

Physical-address monitoring needs to know where RAM is.  /proc/iomem lists
the resources (one per line, children indented by two spaces)::

    00100000-bffdffff : System RAM
      01000000-01ffffff : Kernel code

with inclusive end addresses.  Memory hotplug splits RAM into blocks of
/sys/devices/system/memory/block_size_bytes (hexadecimal) bytes; block M
covers [M * size, (M + 1) * size), its state (online, offline, ...) is in
memoryM/state, and /sys/devices/system/node/nodeN/ has a memoryM entry for
each block of node N.

All ranges returned here are [start, end) with an exclusive end, the form
DAMON's init_regions takes.
"""

import collections
import os
import re

from .errors import DamoError

IomemEntry = collections.namedtuple('IomemEntry', 'start end name depth')
Segment = collections.namedtuple('Segment', 'start end node state name')

SYSTEM_RAM = 'System RAM'
_IOMEM_LINE = re.compile(r'^(\s*)([0-9a-fA-F]+)-([0-9a-fA-F]+)\s*:\s*(.*)$')
_NUMBERED = re.compile(r'^(node|memory)(\d+)$')


def _read(path, what):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError as e:
        raise DamoError('%s not found (%s)' % (what, path)) from e
    except OSError as e:
        raise DamoError('cannot read %s (%s): %s' % (
            what, path, e.strerror or e)) from e


def parse_iomem(text):
    """Parse /proc/iomem text into IomemEntry tuples (exclusive ends)."""
    entries = []
    for line in text.splitlines():
        m = _IOMEM_LINE.match(line)
        if not m:
            continue
        start, last = int(m.group(2), 16), int(m.group(3), 16)
        entries.append(IomemEntry(start, last + 1, m.group(4).strip(),
                                  len(m.group(1)) // 2))
    return entries


def read_iomem(paths):
    """The entries of paths' /proc/iomem; fails if addresses are hidden."""
    entries = parse_iomem(_read(paths.iomem(), 'the resource map'))
    if not entries:
        raise DamoError('no resources found in %s' % paths.iomem())
    if all(e.start == 0 and e.end == 1 for e in entries):
        raise DamoError('%s shows all addresses as zero; reading physical '
                        'addresses needs root' % paths.iomem())
    return entries


def system_ram(entries):
    """The System RAM ranges of the top level, sorted."""
    ram = [(e.start, e.end) for e in entries
           if e.name == SYSTEM_RAM and e.depth == 0]
    if not ram:
        ram = [(e.start, e.end) for e in entries if e.name == SYSTEM_RAM]
    return merge_ranges(ram)


def merge_ranges(ranges):
    """Sort ranges and merge those that overlap or touch."""
    out = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect_ranges(a, b):
    """Intersection of two sorted lists of disjoint ranges."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def largest_system_ram(paths):
    """The largest System RAM range: the default paddr monitoring range."""
    ram = system_ram(read_iomem(paths))
    if not ram:
        raise DamoError('no "System RAM" in %s' % paths.iomem())
    return max(ram, key=lambda r: (r[1] - r[0], -r[0]))


def block_size(paths):
    path = os.path.join(paths.memory_dir(), 'block_size_bytes')
    if not os.path.isdir(paths.memory_dir()):
        raise DamoError('memory block size not found: %s does not exist '
                        '(kernel without CONFIG_MEMORY_HOTPLUG?)' %
                        paths.memory_dir())
    text = _read(path, 'the memory block size').strip()
    try:
        size = int(text, 16)
    except ValueError as e:
        raise DamoError('%s: not a hexadecimal number: %r' % (
            path, text)) from e
    if size <= 0:
        raise DamoError('%s: invalid memory block size %r' % (path, text))
    return size


def _numbered(dirpath, prefix):
    """{number: name} of the nodeN/memoryN entries of a directory."""
    out = {}
    for name in os.listdir(dirpath):
        m = _NUMBERED.match(name)
        if m and m.group(1) == prefix:
            out[int(m.group(2))] = name
    return out


def nodes(paths):
    """Sorted NUMA node numbers; fails without NUMA information."""
    ndir = paths.node_dir()
    if not os.path.isdir(ndir):
        raise DamoError('no NUMA information: %s does not exist (kernel '
                        'without CONFIG_NUMA?)' % ndir)
    return sorted(_numbered(ndir, 'node'))


def node_blocks(paths, node):
    """Sorted memory block numbers of NUMA node `node`."""
    known = nodes(paths)
    ndir = os.path.join(paths.node_dir(), 'node%d' % node)
    if node not in known:
        raise DamoError('NUMA node %d does not exist (%s not found; '
                        'nodes: %s)' % (node, ndir, ', '.join(
                            str(n) for n in known) or 'none'))
    return sorted(_numbered(ndir, 'memory'))


def block_state(paths, block, node=None):
    """The state of a memory block ('online', 'offline', ...)."""
    cands = [os.path.join(paths.memory_dir(), 'memory%d' % block, 'state')]
    if node is not None:
        cands.append(os.path.join(paths.node_dir(), 'node%d' % node,
                                  'memory%d' % block, 'state'))
    for path in cands:
        if os.path.exists(path):
            return _read(path, 'memory block state').strip()
    raise DamoError('state of memory block %d not found (%s)' % (
        block, cands[0]))


def node_ranges(paths, node):
    """Node `node`'s online System RAM, as merged [start, end) ranges."""
    blocks = node_blocks(paths, node)
    if not blocks:
        raise DamoError('NUMA node %d has no memory blocks' % node)
    size = block_size(paths)
    online = [(b * size, (b + 1) * size) for b in blocks
              if block_state(paths, b, node) == 'online']
    if not online:
        raise DamoError('NUMA node %d has no online memory block' % node)
    ranges = intersect_ranges(merge_ranges(online),
                              system_ram(read_iomem(paths)))
    if not ranges:
        raise DamoError('NUMA node %d: its online memory blocks hold no '
                        'System RAM of %s' % (node, paths.iomem()))
    return ranges


def block_map(paths):
    """{block: (node, state)} for every memory block, or None when the
    memory-block sysfs is not there (kernel without memory hotplug)."""
    mdir = paths.memory_dir()
    if not os.path.isdir(mdir):
        return None
    node_of = {}
    if os.path.isdir(paths.node_dir()):
        for n, name in _numbered(paths.node_dir(), 'node').items():
            for b in _numbered(os.path.join(paths.node_dir(), name),
                               'memory'):
                node_of[b] = n
    out = {}
    for b in _numbered(mdir, 'memory'):
        try:
            state = block_state(paths, b)
        except DamoError:
            state = '?'
        out[b] = (node_of.get(b), state)
    return out


def layout(paths):
    """The physical layout as Segments: the top-level resources of
    /proc/iomem, with System RAM split where the node or the state of its
    memory blocks changes.  node and state are None where unknown."""
    entries = [e for e in read_iomem(paths) if e.depth == 0]
    blocks = block_map(paths)
    size = block_size(paths) if blocks else None
    segs = []
    for e in sorted(entries, key=lambda e: (e.start, e.end)):
        if e.name != SYSTEM_RAM or not blocks:
            segs.append(Segment(e.start, e.end, None, None, e.name))
            continue
        pos = e.start
        first = len(segs)
        while pos < e.end:
            b = pos // size
            end = min(e.end, (b + 1) * size)
            node, state = blocks.get(b, (None, None))
            last = segs[-1] if len(segs) > first else None
            if last and last.node == node and last.state == state:
                segs[-1] = last._replace(end=end)
            else:
                segs.append(Segment(pos, end, node, state, e.name))
            pos = end
    return segs
