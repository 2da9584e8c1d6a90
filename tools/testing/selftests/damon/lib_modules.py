# SPDX-License-Identifier: GPL-2.0
"""Helpers for the tests of DAMON_RECLAIM and DAMON_LRU_SORT: their module
parameters, swap space for reclaim to page out to, and what the kernel says
about a process's pages."""

import atexit
import glob
import os
import struct
import subprocess
import time

from lib_damon_access import Workload, workload_path
from lib_dbgfs import fail, skip

PAGE = os.sysconf('SC_PAGESIZE')
MIB = 1 << 20
# /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h).
KPF_LRU, KPF_ACTIVE = 5, 6
ZRAM = '/sys/block/zram0'


class Module:
    """The parameters of one DAMON module, restored when the test exits."""

    def __init__(self, name):
        self.name = name
        self.dir = '/sys/module/%s/parameters' % name
        if not os.path.exists(os.path.join(self.dir, 'enabled')):
            skip('%s is not built' % name)
        self._saved = {}
        for path in glob.glob(os.path.join(self.dir, '*')):
            param = os.path.basename(path)
            if param in ('enabled', 'commit_inputs'):
                continue
            if os.stat(path).st_mode & 0o200:
                self._saved[param] = self.read(param)
        atexit.register(self.restore)

    def read(self, param):
        with open(os.path.join(self.dir, param)) as f:
            return f.read().strip()

    def write(self, param, value):
        try:
            with open(os.path.join(self.dir, param), 'w') as f:
                f.write(str(value))
        except OSError as e:
            fail('%s: writing %s to %s: %s' % (self.name, value, param, e))

    def set(self, **params):
        for param, value in params.items():
            self.write(param, value)

    def restore(self):
        self.write('enabled', 'N')
        for param, value in self._saved.items():
            self.write(param, value)

    def always_active(self):
        """Watermarks that keep the schemes working whatever memory is free,
        checked every 100 ms."""
        self.set(wmarks_high=1000, wmarks_mid=1000, wmarks_low=0,
                 wmarks_interval=100000)


def kdamonds():
    n = 0
    for comm in glob.glob('/proc/[0-9]*/comm'):
        try:
            with open(comm) as f:
                n += f.read().startswith('kdamond')
        except OSError:
            pass
    return n


def swap_total():
    """Bytes of swap space, and of it used."""
    info = meminfo()
    return info['SwapTotal'], info['SwapTotal'] - info['SwapFree']


def meminfo():
    info = {}
    with open('/proc/meminfo') as f:
        for line in f:
            key, value = line.split(':')
            info[key] = int(value.split()[0]) * 1024
    return info


def vmstat(key):
    """A /proc/vmstat counter, or None: event counters such as pgactivate
    and pswpin need CONFIG_VM_EVENT_COUNTERS."""
    with open('/proc/vmstat') as f:
        for line in f:
            k, v = line.split()
            if k == key:
                return int(v)
    return None


def ensure_swap(size_mib=512):
    """Make sure there is swap space: the guest's own, or a zram device set
    up here (and taken down at exit).  Skip without either."""
    if swap_total()[0]:
        return
    if not os.path.exists(ZRAM) and os.path.exists('/sys/class/zram-control'):
        with open('/sys/class/zram-control/hot_add') as f:
            f.read()
    if not os.path.exists(ZRAM):
        skip('no swap space and no zram device')
    with open(os.path.join(ZRAM, 'disksize'), 'w') as f:
        f.write('%dM' % size_mib)
    for cmd in (['mkswap', '/dev/zram0'], ['swapon', '/dev/zram0']):
        if subprocess.run(cmd, capture_output=True, check=False).returncode:
            fail('%s failed' % ' '.join(cmd))
    atexit.register(_zram_down)


def _zram_down():
    subprocess.run(['swapoff', '/dev/zram0'], capture_output=True,
                   check=False)
    with open(os.path.join(ZRAM, 'reset'), 'w') as f:
        f.write('1')


def rss(pid):
    """The resident set size of a process, in bytes."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
    fail('no VmRSS for pid %d' % pid)
    return 0


def pagemap(pid, start, end):
    """The pagemap entries of [start, end) of a process, one per page."""
    with open('/proc/%d/pagemap' % pid, 'rb') as f:
        f.seek(start // PAGE * 8)
        data = f.read((end - start) // PAGE * 8)
    return [e for (e,) in struct.iter_unpack('=Q', data)]


def major_faults(pid):
    """How many major faults (swap-ins and file reads) a process took."""
    with open('/proc/%d/stat' % pid) as f:
        # The fields after the command name, which may hold spaces; majflt
        # is the 12th field of the line.
        return int(f.read().rsplit(')', 1)[1].split()[9])


def present(entries):
    """How many of the pagemap entries are of present pages."""
    return sum(1 for e in entries if e >> 63)


# How much of a hot set a reclaiming scheme may take by mistake.  The
# workload's hot pages sit in physical memory as 2 MiB blocks; after other
# tests have fragmented memory, one block can lie alone among idle pages,
# about 1 % of the region around it.  Such an island may go unsampled (or
# sampled too rarely to reset the region's age) for min_age, and be paged
# out with its region; the workload faults it back at its next sweep.  So
# at any one look a block or two may be missing (a CI run once saw 479
# pages of 5,120 out), but the hot set must come back, and reclaim must
# not take it as a whole.
HOT_LOOK_MIN = 0.8
HOT_BACK_MIN = 0.99


def check_hot_look(hot_present, hot_pages, now):
    """Fail if fewer than HOT_LOOK_MIN of the hot pages are present."""
    if hot_present < HOT_LOOK_MIN * hot_pages:
        fail('%d of the %d hot pages not present after %.1f s'
             % (hot_pages - hot_present, hot_pages, now))


def wait_hot_back(pid, hot, timeout=10):
    """Wait until at least HOT_BACK_MIN of the pages of the hot range
    [start, end) of @pid are present; fail after @timeout seconds.
    Return the share present."""
    hot_pages = (hot[1] - hot[0]) // PAGE
    began = time.monotonic()
    while True:
        n = present(pagemap(pid, *hot))
        if n >= HOT_BACK_MIN * hot_pages:
            return n / hot_pages
        if time.monotonic() - began >= timeout:
            fail('%d of the %d hot pages still not present %d s after '
                 'reclaim' % (hot_pages - n, hot_pages, timeout))
        time.sleep(0.5)


def pfns(entries):
    return [e & ((1 << 55) - 1) for e in entries if e >> 63]


def kpageflags(pfn_list):
    """The /proc/kpageflags word of each page frame."""
    flags = []
    with open('/proc/kpageflags', 'rb') as f:
        for pfn in pfn_list:
            f.seek(pfn * 8)
            flags.append(struct.unpack('=Q', f.read(8))[0])
    return flags


def active_share(pid, start, end):
    """The share of the present pages of [start, end) that are on an
    active LRU list, and of those on an inactive one."""
    flags = kpageflags(pfns(pagemap(pid, start, end)))
    lru = [f for f in flags if f >> KPF_LRU & 1]
    if not flags:
        return 0.0, 0.0
    active = sum(1 for f in lru if f >> KPF_ACTIVE & 1)
    return active / len(flags), (len(lru) - active) / len(flags)


def with_module_and_workload(name, workload_args, run, swap=False):
    """The frame of a module test with hot_set_workload: as root, with no
    kdamond before, start the workload (after making sure of swap space if
    @swap), call run(module, workload), and stop it, the module's parameters
    restored and no kdamond left after."""
    if os.geteuid():
        skip('needs root')
    m = Module(name)
    if not workload_path():
        skip('hot_set_workload is not built')
    if kdamonds():
        fail('a kdamond runs before the test')
    if swap:
        ensure_swap()
    w = Workload(workload_args)
    try:
        run(m, w)
    finally:
        w.stop()
        m.restore()
    if kdamonds():
        fail('kdamond left after disabling')
