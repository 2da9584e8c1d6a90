# SPDX-License-Identifier: GPL-2.0
"""Helpers for the DAMOS tests: schemes written to the debugfs ``schemes``
file and their statistics read back, how much of a process's memory is
resident (from /proc/pid/pagemap), swap, and a kdamond's CPU time."""

import atexit
import os
import struct
import time

from lib_dbgfs import Dbgfs, fail, skip

PAGE = os.sysconf('SC_PAGESIZE')
MIB = 1 << 20
ULONG_MAX = (1 << 64) - 1

# Action and watermark metric numbers of the debugfs schemes file.
ACTIONS = {'willneed': 0, 'cold': 1, 'pageout': 2, 'hugepage': 3,
           'nohugepage': 4, 'stat': 5}
WMARK_NONE, WMARK_FREE_MEM_RATE = 0, 1
STATS = ('nr_tried', 'sz_tried', 'nr_applied', 'sz_applied', 'qt_exceeds')


def scheme(action, sz=(0, ULONG_MAX), nr_accesses=(0, ULONG_MAX),
           age=(0, ULONG_MAX), quota=(0, 0, 0), weights=(0, 0, 0),
           wmarks=(WMARK_NONE, 0, 0, 0, 0)):
    """One line of the schemes file.

    quota is (ms, bytes, reset interval ms), weights (size, nr_accesses,
    age) and wmarks (metric, interval us, high, mid, low)."""
    values = (list(sz) + list(nr_accesses) + list(age) + [ACTIONS[action]] +
              list(quota) + list(weights) + list(wmarks))
    return ' '.join(str(v) for v in values)


def setup():
    """The debugfs interface, with its schemes removed again at exit."""
    d = Dbgfs.setup()

    def clear():
        d.try_write('monitor_on', 'off')
        d.try_write('schemes', '')
    # Registered after Dbgfs.setup()'s restore, so it runs before it.
    atexit.register(clear)
    return d


def stats(d):
    """The statistics of each scheme, as dicts, from the schemes file."""
    result = []
    for line in d.read('schemes').splitlines():
        values = [int(v) for v in line.split()]
        if len(values) != 23:
            fail('schemes line with %d numbers: %r' % (len(values), line))
        result.append(dict(zip(STATS, values[18:])))
    return result


def resident(pid, start, end):
    """Bytes of [start, end) of pid's address space in memory."""
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // PAGE * 8)
        data = f.read((end - start) // PAGE * 8)
    return sum(e >> 63 for (e,) in struct.iter_unpack('=Q', data)) * PAGE


def need_swap(min_bytes):
    """Skip unless at least min_bytes of swap space are free."""
    free = 0
    with open('/proc/swaps') as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            free += (int(fields[2]) - int(fields[3])) * 1024
    if free < min_bytes:
        skip('needs %d MiB of swap, has %d free (guest-run.sh -s)' %
             (min_bytes // MIB, free // MIB))


def cpu_ns(pid):
    """Nanoseconds pid has run on a CPU, from its CPU-time clock (exact,
    where /proc/pid/stat counts ticks and schedstat may be configured
    out)."""
    # The kernel's clock id of a process's scheduler CPU time.
    return time.clock_gettime_ns(((~pid) << 3) | 2)


def swap_used():
    """Bytes of swap space in use."""
    used = 0
    with open('/proc/swaps') as f:
        for line in f.readlines()[1:]:
            used += int(line.split()[3]) * 1024
    return used


def free_mem_rate():
    """Free memory in per thousand of all memory, as watermarks see it."""
    info = {}
    with open('/proc/meminfo') as f:
        for line in f:
            key, value = line.split(':')
            info[key] = int(value.split()[0])
    return info['MemFree'] * 1000 // info['MemTotal']
