# SPDX-License-Identifier: GPL-2.0
"""Helpers for the DAMOS tests that set schemes through sysfs: a scheme of
kdamond 0 written file by file (action, access pattern, target node,
filters), its stats and tried regions read back, and where (on which NUMA
node) a process's pages are."""

import ctypes
import os

from lib_damon import fail, skip
from lib_damos import ULONG_MAX, PAGE, STATS
from lib_sysfs import Sysfs

# x86_64 system call numbers; the guests are x86_64.
SYS_MOVE_PAGES = 279
SYS_SET_MEMPOLICY = 238
MPOL_DEFAULT, MPOL_BIND = 0, 2

_libc = ctypes.CDLL(None, use_errno=True)


def scheme_dir(idx):
    return Sysfs.ctx(0, 'schemes/%d/' % idx)


def set_scheme(s, idx, action, sz=(0, ULONG_MAX), nr_accesses=(0, ULONG_MAX),
               age=(0, ULONG_MAX), target_nid=None, filters=()):
    """Scheme idx of kdamond 0, which must exist already.

    filters is a list of dicts of the files of a filter directory, e.g.
    {'type': 'addr', 'matching': 'Y', 'addr_start': a, 'addr_end': b};
    they are written in that order, type first."""
    d = scheme_dir(idx)
    s.write(d + 'action', action)
    for name, (lo, hi) in (('sz', sz), ('nr_accesses', nr_accesses),
                           ('age', age)):
        s.write(d + 'access_pattern/%s/min' % name, lo)
        s.write(d + 'access_pattern/%s/max' % name, hi)
    if target_nid is not None:
        s.write(d + 'target_nid', target_nid)
    s.write(d + 'filters/nr_filters', len(filters))
    for i, f in enumerate(filters):
        for name, value in f.items():
            s.write(d + 'filters/%d/%s' % (i, name), value)


def stats(s, idx):
    """Scheme idx's stats, refreshed first."""
    s.state(0, 'update_schemes_stats')
    return {n: int(s.read(scheme_dir(idx) + 'stats/' + n)) for n in STATS}


def tried_regions(s, idx):
    """[(start, end)] of what scheme idx tried in the last aggregation."""
    s.state(0, 'update_schemes_tried_regions')
    d = scheme_dir(idx) + 'tried_regions/'
    names = sorted((n for n in os.listdir(s.path(d)) if n.isdigit()), key=int)
    return [(int(s.read(d + n + '/start')), int(s.read(d + n + '/end')))
            for n in names]


def need_node(nid):
    if not os.path.isdir('/sys/devices/system/node/node%d' % nid):
        skip('needs NUMA node %d (numa=fake=2 on the command line)' % nid)


def bind_to_node(nid):
    """Take this process's memory, and its children's, only from node nid
    (None: the default policy again)."""
    if nid is None:
        err = _libc.syscall(SYS_SET_MEMPOLICY, MPOL_DEFAULT, None, 0)
    else:
        mask = ctypes.c_ulong(1 << nid)
        err = _libc.syscall(SYS_SET_MEMPOLICY, MPOL_BIND, ctypes.byref(mask),
                            ctypes.sizeof(mask) * 8 + 1)
    if err:
        fail('set_mempolicy: %s' % os.strerror(ctypes.get_errno()))


def nodes_of(pid, start, end):
    """{node: bytes} of the present pages of [start, end) in process pid,
    from move_pages(2) asked for no move; key None counts pages that are
    not present."""
    count = (end - start) // PAGE
    pages = (ctypes.c_void_p * count)(*range(start, end, PAGE))
    status = (ctypes.c_int * count)()
    if _libc.syscall(SYS_MOVE_PAGES, pid, ctypes.c_ulong(count), pages, None,
                     status, 0):
        fail('move_pages: %s' % os.strerror(ctypes.get_errno()))
    result = {}
    for st in status:
        key = st if st >= 0 else None
        result[key] = result.get(key, 0) + PAGE
    return result
