# SPDX-License-Identifier: GPL-2.0
"""The binary record format written by debugfs ``record`` (and by damo).

All integers are little-endian and packed (no padding)::

    file      := [header] snapshot*
    header    := b"damon_recfmt_ver" (16 bytes)  version (int32)
    snapshot  := end_sec (int64)  end_nsec (int64)  nr_targets (uint32)
                 target{nr_targets}
    target    := target_id  nr_regions (uint32)  region{nr_regions}
    region    := start (uint64)  end (uint64)  nr_accesses (uint32)

A file without the header is version 1.  The versions differ only in the
width of target_id: version 1 stores it as a signed 32-bit int, version 2 as
a 64-bit integer.  damo keeps target ids unsigned (model.py): a version-1
id of -1 reads as 2^64 - 1, and is written back as -1.

The header is optional so that files from the first recorders (which had
none) still read.  Because a headerless file can in practice hold 64-bit ids
too, read() first tries version 1 and, if that layout does not fit the data
(the file does not end on a snapshot boundary, or a value is impossible:
nanoseconds >= 10^9, a region ending before it starts), tries version 2 and
takes it if it fits.

Snapshots end when the file does; a last snapshot that is cut short (a
recorder killed mid-write) is dropped with a warning rather than failing
the whole read.
"""

import struct

from .errors import DamoError
from .model import Region, Record, Snapshot, TargetSnapshot

MAGIC = b'damon_recfmt_ver'
LATEST_VERSION = 2

_VERSION = struct.Struct('<i')
_TIME = struct.Struct('<qq')
_U32 = struct.Struct('<I')
_REGION = struct.Struct('<QQI')
_ID = {1: struct.Struct('<i'), 2: struct.Struct('<Q')}

# Limits beyond which a field cannot be real data; used to tell versions
# apart and to stop on garbage instead of allocating absurd lists.
_MAX_TARGETS = 1 << 16
_MAX_REGIONS = 1 << 24


class _Short(Exception):
    """The data ends inside a snapshot."""


class _Bad(Exception):
    """The data does not fit the layout."""


def _signed64(v):
    return v - (1 << 64) if v >= (1 << 63) else v


def _parse_one(buf, pos, version):
    """Parse the snapshot at buf[pos:]; return (snapshot, new pos)."""
    idfmt = _ID[version]
    end = len(buf)

    def take(st):
        nonlocal pos
        if pos + st.size > end:
            raise _Short()
        vals = st.unpack_from(buf, pos)
        pos += st.size
        return vals

    sec, nsec = take(_TIME)
    if not 0 <= nsec < 1000000000:
        raise _Bad('nanoseconds field %d out of range' % nsec)
    (nr_targets,) = take(_U32)
    if nr_targets > _MAX_TARGETS:
        raise _Bad('implausible number of targets %d' % nr_targets)
    targets = []
    for _ in range(nr_targets):
        (tid,) = take(idfmt)
        (nr_regions,) = take(_U32)
        if nr_regions > _MAX_REGIONS:
            raise _Bad('implausible number of regions %d' % nr_regions)
        need = nr_regions * _REGION.size
        if pos + need > end:
            raise _Short()
        regions = []
        for start, rend, acc in _REGION.iter_unpack(buf[pos:pos + need]):
            if rend < start:
                raise _Bad('region %#x-%#x ends before it starts' %
                           (start, rend))
            regions.append(Region(start, rend, acc))
        pos += need
        targets.append(TargetSnapshot(tid, regions))
    return Snapshot(sec * 1000000000 + nsec, targets), pos


def parse(buf, pos, version):
    """Parse snapshots from buf[pos:] until the data ends or stops fitting.

    Returns (snapshots, stop position, problem) where problem is None when
    the data ended exactly after a snapshot, or a string saying why parsing
    stopped early.  Used both for whole files and, by the recorder's
    progress display, for files that are still growing.
    """
    snaps = []
    while pos < len(buf):
        try:
            snap, pos = _parse_one(buf, pos, version)
        except _Short:
            return snaps, pos, 'incomplete snapshot at byte %d' % pos
        except _Bad as e:
            return snaps, pos, 'bad data at byte %d: %s' % (pos, e)
        snaps.append(snap)
    return snaps, pos, None


def header_version(buf):
    """Return (version, data offset) of a record held in buf."""
    if buf.startswith(MAGIC):
        if len(buf) < len(MAGIC) + _VERSION.size:
            raise DamoError('record header is cut short')
        (version,) = _VERSION.unpack_from(buf, len(MAGIC))
        if version not in _ID:
            raise DamoError('unsupported record format version %d '
                            '(damo reads 1 and 2)' % version)
        return version, len(MAGIC) + _VERSION.size
    return None, 0


def loads(buf, name='record'):
    """Decode a whole binary record held in buf (bytes)."""
    version, pos = header_version(buf)
    if version is not None:
        snaps, _, problem = parse(buf, pos, version)
        fmt = 'binary v%d' % version
    else:
        snaps, _, problem = parse(buf, 0, 1)
        fmt = 'binary v1 (no header)'
        if problem is not None:
            snaps2, _, problem2 = parse(buf, 0, 2)
            if problem2 is None or len(snaps2) > len(snaps):
                snaps, problem = snaps2, problem2
                fmt = 'binary v2 layout (no header)'
    warning = None
    if problem is not None:
        if not snaps:
            raise DamoError('%s: not a DAMON record (%s)' % (name, problem))
        warning = '%s: ignoring data after snapshot %d: %s' % (
            name, len(snaps), problem)
    return Record(snaps, fmt, warning)


def encode_header(version=LATEST_VERSION):
    return MAGIC + _VERSION.pack(version)


def encode_snapshot(snap, version=LATEST_VERSION):
    """Encode one Snapshot in the given version's layout."""
    idfmt = _ID[version]
    sec, nsec = divmod(snap.end_ns, 1000000000)
    out = [_TIME.pack(sec, nsec), _U32.pack(len(snap.targets))]
    for t in snap.targets:
        tid = t.target_id
        if version < 2:
            tid = _signed64(tid)
        out.append(idfmt.pack(tid))
        out.append(_U32.pack(len(t.regions)))
        for r in t.regions:
            out.append(_REGION.pack(r.start, r.end, r.nr_accesses))
    return b''.join(out)


def dumps(snapshots, version=LATEST_VERSION, magic=True):
    """Encode snapshots as a record file's bytes.

    magic=False leaves out the header, as the first recorders did (readers
    then assume version 1, see the module documentation).
    """
    parts = [encode_header(version)] if magic else []
    try:
        parts.extend(encode_snapshot(s, version) for s in snapshots)
    except struct.error as e:
        raise DamoError('the record does not fit the binary format (%s); '
                        'write it as json_compressed instead' % e) from e
    return b''.join(parts)


def write(path, snapshots, version=LATEST_VERSION, magic=True):
    with open(path, 'wb') as f:
        f.write(dumps(snapshots, version, magic))
