#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS filters keep a scheme's action off the memory they name.

Two rounds of pageout of what has been idle for a second, set through
sysfs; needs swap.

vaddr, with a target filter and an address filter: kdamond 0 monitors two
hot_set_workload processes (64 MiB, the first 8 MiB kept hot).  Filter 0
excludes target 1, filter 1 the upper half of target 0's cold part.
Within DEADLINE seconds at least 90 % of the lower half of target 0's
cold part must leave memory, while its upper half, its hot part and all
of target 1 stay at least 90 % resident throughout, and sz_applied must
count at least the lower half.  A second scheme, stat, with the same
filters and any age, shows what is tried: its tried_regions/, read once
an aggregation up to five times, must once cover at least 90 % of the
idle lower half and never anything of the excluded range.

paddr, with an anon filter: this test maps a 64 MiB tmpfs file and reads
it once; a hot_set_workload process (64 MiB, 8 MiB hot) gives cold
anonymous memory.  Kdamond 0 monitors all of RAM with one filter that
excludes anonymous pages: at least 90 % of the file's pages must leave
memory, while the workload's anonymous memory stays at least 90 %
resident, and swap must grow by the file's size and no more than 8 MiB
beyond (sz_applied counts only the pages reclaim freed at once: a page
still under writeback to swap is counted when a later pass frees it).

paddr, with a memcg and a young filter: two hot_set_workload processes
(32 MiB, the first 8 MiB hot) start in two memory cgroups of their own
(cgroup v2), A and B.  A pageout scheme for any access pattern keeps to
B's pages (filter 0: memcg B, matching N) and spares young ones (filter
1: young, matching Y).  At least 90 % of B's cold part must leave
memory, while B's hot part, which the pattern takes in but is young each
time the scheme looks, and all of A stay at least 90 % resident; swap
grows by no more than B's cold part and 8 MiB.  Then the young filter
is removed (commit): B's hot part, which comes back at once, must be
written to swap in full within CONTROL seconds, and half of it at most
in as long before, with the filter (the cold part's last tenth may still
be on its way out then).
Prints how long each round took.
"""

import mmap
import os
import sys
import tempfile
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import Workload, workload_path
import lib_damos
from lib_damos import MIB, PAGE, ULONG_MAX
from lib_sysfs import Sysfs
import lib_damos_sysfs as ds

VADDR_ATTRS = '5000 100000 1000000 10 1000'
PADDR_ATTRS = '5000 100000 1000000 100 1000'
COLD = {'nr_accesses': (0, 0), 'age': (10, ULONG_MAX), 'sz': (PAGE, ULONG_MAX)}
DEADLINE = 40.0
GOAL = 0.9
SNAPSHOTS = 5


def resident_share(pid, part):
    return lib_damos.resident(pid, *part) / (part[1] - part[0])


def watch(until_gone, keep):
    """Until until_gone's share is at most 1 - GOAL or DEADLINE passes,
    follow the least share resident of each of keep.  Both are dicts of
    name: (pid, (start, end)).  Return the seconds it took (None: never),
    the last share of each of until_gone and the least of each of keep."""
    start = time.monotonic()
    least = {name: 1.0 for name in keep}
    gone = {}
    reached = None
    while time.monotonic() - start < DEADLINE:
        time.sleep(0.5)
        for name, (pid, part) in keep.items():
            least[name] = min(least[name], resident_share(pid, part))
        gone = {name: resident_share(pid, part)
                for name, (pid, part) in until_gone.items()}
        if max(gone.values()) <= 1 - GOAL:
            reached = time.monotonic() - start
            break
    return reached, gone, least


def report(what, reached, gone, least):
    print('%s: %s resident at the end, after %s s; kept at least: %s' %
          (what, ', '.join('%s %.0f %%' % (n, v * 100)
                           for n, v in gone.items()),
           '%.1f' % reached if reached is not None else
           'never (%d)' % DEADLINE,
           ', '.join('%s %.0f %%' % (n, v * 100) for n, v in least.items())))
    if reached is None:
        fail('%s: not paged out within %d s' % (what, DEADLINE))
    low = [n for n, v in least.items() if v < GOAL]
    if low:
        fail('%s: excluded memory left memory: %s' % (what, low))


def tried_snapshots(s, lower):
    """Up to SNAPSHOTS of the stat scheme's tried regions, one an
    aggregation, until one covers GOAL of lower: the regions adapt, and one
    that straddles the hot part's end is accessed, so not tried, until a
    split cuts it there.  Returns [(regions, bytes of lower covered)]."""
    snaps = []
    for _ in range(SNAPSHOTS):
        tried = ds.tried_regions(s, 1)
        seen = sum(max(0, min(r[1], lower[1]) - max(r[0], lower[0]))
                   for r in tried)
        snaps.append((tried, seen))
        if seen >= (lower[1] - lower[0]) * GOAL:
            break
    return snaps


def vaddr_round(s):
    wls = [Workload(['-b', '64', '-h', '8', '-o', '0', '-t', '120'])
           for _ in range(2)]
    try:
        w0, w1 = wls
        mid = w0.hot[1] + (w0.buf[1] - w0.hot[1]) // 2
        lower, upper = (w0.hot[1], mid), (mid, w0.buf[1])
        s.set_kdamond(0, 'vaddr', VADDR_ATTRS, [(w.pid, []) for w in wls])
        filters = [{'type': 'target', 'matching': 'Y',
                    'damon_target_idx': 1},
                   {'type': 'addr', 'matching': 'Y', 'addr_start': upper[0],
                    'addr_end': upper[1]}]
        s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 2)
        ds.set_scheme(s, 0, 'pageout', filters=filters, **COLD)
        # Ages restart where pageout acts: the stat scheme takes any age.
        ds.set_scheme(s, 1, 'stat', filters=filters, sz=COLD['sz'],
                      nr_accesses=COLD['nr_accesses'])
        s.on()
        reached, gone, least = watch(
            {'lower': (w0.pid, lower)},
            {'upper': (w0.pid, upper), 'hot': (w0.pid, w0.hot),
             'target 1': (w1.pid, w1.buf)})
        snaps = tried_snapshots(s, lower)
        st = ds.stats(s, 0)
        s.off()
    finally:
        for w in wls:
            w.stop()
    print('vaddr stats: %s; tried regions of each snapshot, and MiB of the '
          'lower half they cover: %s' %
          (st, ', '.join('%d (%.1f)' % (len(t), seen / MIB)
                         for t, seen in snaps)))
    report('vaddr, target and addr filters', reached, gone, least)
    bad = [r for t, _ in snaps for r in t
           if r[0] < upper[1] and r[1] > upper[0]]
    seen = max(seen for _, seen in snaps)
    if seen < (lower[1] - lower[0]) * GOAL:
        fail('the stat scheme tried %.1f MiB of the idle lower half only' %
             (seen / MIB))
    if bad:
        fail('tried regions overlap the excluded range %x-%x: %s' %
             (upper[0], upper[1], ['%x-%x' % r for r in bad]))
    if st['sz_applied'] < (lower[1] - lower[0]) * GOAL:
        fail('sz_applied is below the part paged out: %s' % st)


def file_mapping(size):
    """A tmpfs file of size bytes, written, mapped read-only and read
    once; returns the mapping and its (start, end) in this process."""
    with tempfile.NamedTemporaryFile(dir='/dev/shm') as f:
        f.write(b'\x5a' * size)
        f.flush()
        m = mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ)
        name = f.name
    sum(m[i] for i in range(0, size, PAGE))
    with open('/proc/self/maps') as maps:
        for line in maps:
            if line.rstrip().endswith(name + ' (deleted)'):
                start, end = (int(x, 16) for x in line.split()[0].split('-'))
                return m, (start, end)
    fail('the tmpfs file is not in /proc/self/maps')
    return None, None


def paddr_round(s):
    if not s.has_paddr():
        print('no paddr operations set: anon filter round skipped')
        return
    m, fpart = file_mapping(64 * MIB)
    wl = Workload(['-b', '64', '-h', '8', '-o', '0', '-t', '120'])
    try:
        cold = (wl.hot[1], wl.buf[1])
        swap0 = lib_damos.swap_used()
        s.monitor_paddr(PADDR_ATTRS, *largest_ram())
        s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 1)
        ds.set_scheme(s, 0, 'pageout',
                      filters=[{'type': 'anon', 'matching': 'Y'}], **COLD)
        s.on()
        reached, gone, least = watch(
            {'tmpfs file': (os.getpid(), fpart)},
            {'anon cold': (wl.pid, cold), 'anon hot': (wl.pid, wl.hot)})
        st = ds.stats(s, 0)
        s.off()
        swapped = lib_damos.swap_used() - swap0
    finally:
        wl.stop()
        m.close()
    size = fpart[1] - fpart[0]
    print('paddr stats: %s; swap grew by %.1f MiB' % (st, swapped / MIB))
    report('paddr, anon filter', reached, gone, least)
    # Only the file is shared memory; all anonymous memory is excluded.
    if not size * GOAL <= swapped <= size + 8 * MIB:
        fail('swap grew by %.1f MiB for a %d MiB file' %
             (swapped / MIB, size // MIB))
    if st['nr_applied'] == 0:
        fail('paddr stats show nothing applied: %s' % st)


CGROOT = '/sys/fs/cgroup'
CONTROL = 3


def swap_writes(secs):
    """Bytes written to swap in the next secs seconds."""
    def pswpout():
        with open('/proc/vmstat') as f:
            return next(int(line.split()[1]) for line in f
                        if line.startswith('pswpout '))
    start = pswpout()
    time.sleep(secs)
    return (pswpout() - start) * PAGE


def memcg_setup():
    """Mount cgroup v2 if needed and give its children the memory
    controller; return whether memory cgroups can be made."""
    if not os.path.exists(CGROOT + '/cgroup.controllers') and \
            os.system('mount -t cgroup2 none %s 2>/dev/null' % CGROOT):
        return False
    with open(CGROOT + '/cgroup.controllers') as f:
        if 'memory' not in f.read().split():
            return False
    with open(CGROOT + '/cgroup.subtree_control', 'w') as f:
        f.write('+memory')
    return True


def join_cgroup(path):
    with open(CGROOT + path + '/cgroup.procs', 'w') as f:
        f.write(str(os.getpid()))


def started_in(cg):
    """A workload started from within cgroup cg, so that its memory is
    charged there; this process returns to the root cgroup."""
    os.makedirs(CGROOT + cg, exist_ok=True)
    join_cgroup(cg)
    try:
        return Workload(['-b', '32', '-h', '8', '-o', '0', '-t', '120'])
    finally:
        join_cgroup('')


def memcg_young_round(s):
    if not s.has_paddr() or not memcg_setup():
        print('no paddr or no memory cgroups: memcg and young round skipped')
        return
    wls = []
    try:
        for cg in ('/damon-a', '/damon-b'):
            wls.append(started_in(cg))
        a, b = wls
        cold = (b.hot[1], b.buf[1])
        swap0 = lib_damos.swap_used()
        s.monitor_paddr(PADDR_ATTRS, *largest_ram())
        s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 1)
        ds.set_scheme(s, 0, 'pageout', filters=[
            {'type': 'memcg', 'memcg_path': '/damon-b', 'matching': 'N'},
            {'type': 'young', 'matching': 'Y'}])
        s.on()
        reached, gone, least = watch(
            {'B cold': (b.pid, cold)},
            {'B hot': (b.pid, b.hot), 'A': (a.pid, a.buf)})
        st = ds.stats(s, 0)
        swapped = lib_damos.swap_used() - swap0
        # B's hot part comes back at once when paged out: count the
        # writes to swap instead, with and without the young filter.
        out = [swap_writes(CONTROL)]
        s.write(ds.scheme_dir(0) + 'filters/nr_filters', 1)
        s.state(0, 'commit')
        out.append(swap_writes(CONTROL))
        s.off()
    finally:
        for w in wls:
            w.stop()
        for cg in ('/damon-a', '/damon-b'):
            if os.path.isdir(CGROOT + cg):
                os.rmdir(CGROOT + cg)
    print('memcg/young stats: %s; swap grew by %.1f MiB' %
          (st, swapped / MIB))
    report('paddr, memcg and young filters', reached, gone, least)
    print('written to swap in %d s: %.1f MiB with the young filter, '
          '%.1f MiB without' % (CONTROL, out[0] / MIB, out[1] / MIB))
    hot = b.hot[1] - b.hot[0]
    if out[0] > hot // 2 or out[1] < hot:
        fail('the young filter does not keep B hot from being paged out')
    if swapped > cold[1] - cold[0] + 8 * MIB:
        fail('swap grew by %.1f MiB for a %d MiB cold part' %
             (swapped / MIB, (cold[1] - cold[0]) // MIB))


def main():
    s = Sysfs.setup()
    lib_damos.need_swap(256 * MIB)
    if not workload_path():
        skip('hot_set_workload not built')
    vaddr_round(s)
    paddr_round(s)
    memcg_young_round(s)
    s.check_no_splat()
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
