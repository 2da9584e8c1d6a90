#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS through the sysfs schemes/ tree.

hot_set_workload writes 60 MiB once and then keeps touching the first
10 MiB.  Kdamond 0 monitors it with two schemes set file by file: 0 pages
out what has been idle for a second, 1 only counts ("stat") every region.

- pageout acts: within 20 s, 90 % of the cold 50 MiB leaves memory while
  the hot part stays (needs swap);
- update_schemes_stats fills stats/ of both schemes;
- update_schemes_tried_regions fills tried_regions/ of the stat scheme
  with regions in address order whose sizes add up to total_bytes, and
  clear_schemes_tried_regions empties it;
- bad values fail with a clear errno and leave what was there: an unknown
  action keeps the old one; a commit of an inverted access pattern fails
  with EINVAL, and one of a memcg filter of no cgroup with ENOENT (or
  EOPNOTSUPP without memory cgroups), while
  the running schemes keep acting (their stats go on growing).
"""

import errno
import os
import sys
import time

from lib_damon_access import Workload, workload_path
import lib_damos
from lib_damos import MIB, PAGE, ULONG_MAX
from lib_damon import KSFT_PASS, fail, skip
from lib_sysfs import Sysfs

DEADLINE = 20.0
STATS = lib_damos.STATS


def scheme_dir(idx):
    return Sysfs.ctx(0, 'schemes/%d/' % idx)


def set_scheme(s, idx, action, nr_accesses=(0, ULONG_MAX),
               age=(0, ULONG_MAX)):
    d = scheme_dir(idx)
    s.write(d + 'action', action)
    for name, (lo, hi) in (('nr_accesses', nr_accesses), ('age', age)):
        s.write(d + 'access_pattern/%s/min' % name, lo)
        s.write(d + 'access_pattern/%s/max' % name, hi)


def stats(s, idx):
    return {n: int(s.read(scheme_dir(idx) + 'stats/' + n)) for n in STATS}


def expect_errno(s, name, value, *want):
    """Write value to name, which must fail with one of want."""
    got = s.try_write(name, value)
    if got not in want:
        fail('writing %r to %s: errno %s, expected %s' %
             (value, name, got, [errno.errorcode[w] for w in want]))


def check_tried(s):
    """tried_regions/ of the stat scheme after an update, then cleared."""
    s.state(0, 'update_schemes_tried_regions')
    d = scheme_dir(1) + 'tried_regions/'
    names = sorted((n for n in os.listdir(s.path(d)) if n.isdigit()), key=int)
    if not names:
        fail('no tried regions for the stat scheme')
    total, last_end = 0, 0
    for n in names:
        start = int(s.read(d + n + '/start'))
        end = int(s.read(d + n + '/end'))
        if start >= end or start < last_end:
            fail('tried region %s is [%d, %d) after %d' %
                 (n, start, end, last_end))
        total += end - start
        last_end = end
    if total != int(s.read(d + 'total_bytes')):
        fail('tried regions add up to %d, total_bytes is %s' %
             (total, s.read(d + 'total_bytes')))
    print('tried regions: %d, %.1f MiB' % (len(names), total / MIB))
    s.state(0, 'clear_schemes_tried_regions')
    if any(n.isdigit() for n in os.listdir(s.path(d))):
        fail('clear_schemes_tried_regions left directories')


def check_bad_input(s):
    """Errors leave the files and the running schemes as they were."""
    expect_errno(s, scheme_dir(0) + 'action', 'page_out', errno.EINVAL)
    if s.read(scheme_dir(0) + 'action') != 'pageout':
        fail('a refused action changed the action file')
    s.state(0, 'update_schemes_stats')
    before = stats(s, 1)['nr_tried']

    s.write(scheme_dir(1) + 'access_pattern/age/min', 10)
    s.write(scheme_dir(1) + 'access_pattern/age/max', 5)
    expect_errno(s, 'kdamonds/0/state', 'commit', errno.EINVAL)
    s.write(scheme_dir(1) + 'access_pattern/age/min', 0)
    s.write(scheme_dir(1) + 'access_pattern/age/max', ULONG_MAX)

    # EOPNOTSUPP without memory cgroups in the kernel.
    f = scheme_dir(1) + 'filters/'
    s.write(f + 'nr_filters', 1)
    s.write(f + '0/type', 'memcg')
    s.write(f + '0/memcg_path', '/no/such/damon/cgroup')
    expect_errno(s, 'kdamonds/0/state', 'commit', errno.ENOENT,
                 errno.EOPNOTSUPP)
    s.write(f + 'nr_filters', 0)

    time.sleep(0.5)
    s.state(0, 'update_schemes_stats')
    if stats(s, 1)['nr_tried'] <= before:
        fail('the schemes stopped after a refused commit')


def main():
    s = Sysfs.setup()
    lib_damos.need_swap(128 * MIB)
    if not workload_path():
        skip('hot_set_workload not built')
    wl = Workload(['-b', '60', '-h', '10', '-o', '0', '-t', '120'])
    try:
        run(s, wl)
    finally:
        wl.stop()
    return KSFT_PASS


def run(s, wl):
    hot, cold = wl.hot, (wl.hot[1], wl.buf[1])
    hot0 = lib_damos.resident(wl.pid, *hot)
    cold0 = lib_damos.resident(wl.pid, *cold)
    s.monitor_vaddr(None, wl.pid)
    s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 2)
    set_scheme(s, 0, 'pageout', nr_accesses=(0, 0), age=(10, ULONG_MAX))
    s.write(scheme_dir(0) + 'access_pattern/sz/min', PAGE)
    set_scheme(s, 1, 'stat')
    s.on()
    start = time.monotonic()

    reached, hot_min, cold_now = None, hot0, cold0
    while time.monotonic() - start < DEADLINE and reached is None:
        time.sleep(0.25)
        cold_now = lib_damos.resident(wl.pid, *cold)
        hot_min = min(hot_min, lib_damos.resident(wl.pid, *hot))
        if cold_now <= cold0 // 10:
            reached = time.monotonic() - start
    s.state(0, 'update_schemes_stats')
    st = [stats(s, i) for i in range(2)]
    print('cold: %.1f MiB resident before, %.1f MiB after, 90%% gone after '
          '%s s; hot: %.1f MiB, at least %.1f MiB throughout' %
          (cold0 / MIB, cold_now / MIB,
           '%.2f' % reached if reached is not None else 'never',
           hot0 / MIB, hot_min / MIB))
    print('stats: pageout %s; stat %s' % (st[0], st[1]))
    if reached is None:
        fail('the cold part did not fall by 90 %% within %d s' % DEADLINE)
    if hot_min < hot0 * 9 // 10:
        fail('the hot part left memory')
    if st[0]['sz_applied'] < (cold[1] - cold[0]) // 2:
        fail('pageout stats count less than half the cold part')
    if st[1]['nr_tried'] == 0 or st[1]['nr_applied'] != st[1]['nr_tried']:
        fail('stat scheme: %s' % st[1])

    check_tried(s)
    check_bad_input(s)
    s.off()


if __name__ == '__main__':
    sys.exit(main())
