#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS lru_prio and lru_deprio of paddr move pages between the LRU lists.

hot_set_workload writes a 100 MiB buffer once and keeps touching 20 MiB of
it; new anonymous pages start on an inactive list, and with no memory
pressure nothing moves them.  Kdamond 0 monitors all of RAM through
paddr, set through sysfs:

1. one scheme, lru_prio of everything: within DEADLINE seconds at least
   90 % of the whole buffer must be on an active list (/proc/kpageflags);
2. committed online in its place: lru_deprio of what has not been
   accessed for 2 s and lru_prio of what was accessed in at least half
   of the samples: within DEADLINE seconds at least 90 % of the
   cold 80 MiB must be back on an inactive list while at least 90 % of
   the hot 20 MiB stays active throughout.

Both schemes' stats must show them applied.  Prints how long each step
took.
"""

import os
import sys
import time

from lib_damon import KSFT_PASS, fail, largest_ram, skip
from lib_damon_access import Workload, workload_path
from lib_damos import PAGE, ULONG_MAX
from lib_modules import active_share
from lib_sysfs import Sysfs
import lib_damos_sysfs as ds

ATTRS = '5000 100000 1000000 100 1000'
DEADLINE = 30.0
GOAL = 0.9


def wait_for(what, done, watch=None):
    """Poll until done() or DEADLINE; watch() is polled too and its least
    value returned.  Return (seconds or None, least watched)."""
    start = time.monotonic()
    least = 1.0
    while time.monotonic() - start < DEADLINE:
        time.sleep(0.5)
        if watch:
            least = min(least, watch())
        if done():
            return time.monotonic() - start, least
    print('%s: not within %d s' % (what, DEADLINE))
    return None, least


def main():
    s = Sysfs.setup()
    if not workload_path():
        skip('hot_set_workload not built')
    if not os.path.exists('/proc/kpageflags'):
        skip('no /proc/kpageflags')
    if not s.has_paddr():
        skip('no paddr operations set')
    wl = Workload(['-b', '100', '-h', '20', '-o', '40', '-t', '120'])
    try:
        run(s, wl)
    finally:
        wl.stop()
    s.check_no_splat()
    return KSFT_PASS


def run(s, wl):
    cold = [(wl.buf[0], wl.hot[0]), (wl.hot[1], wl.buf[1])]
    cold_size = sum(e - b for b, e in cold)

    def active(part):
        return active_share(wl.pid, *part)[0]

    def cold_inactive():
        return sum(active_share(wl.pid, *p)[1] * (p[1] - p[0])
                   for p in cold) / cold_size

    print('before: buffer %.0f %% active' % (active(wl.buf) * 100))
    s.monitor_paddr(ATTRS, *largest_ram())
    s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 1)
    ds.set_scheme(s, 0, 'lru_prio', sz=(PAGE, ULONG_MAX))
    s.on()
    took, _ = wait_for('lru_prio of all',
                       lambda: active(wl.buf) >= GOAL)
    print('lru_prio of all: buffer %.0f %% active after %s s' %
          (active(wl.buf) * 100, '%.1f' % took if took else 'never'))
    if took is None:
        fail('lru_prio left the buffer inactive')

    s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 2)
    ds.set_scheme(s, 0, 'lru_deprio', sz=(PAGE, ULONG_MAX),
                  nr_accesses=(0, 0), age=(20, ULONG_MAX))
    ds.set_scheme(s, 1, 'lru_prio', sz=(PAGE, ULONG_MAX),
                  nr_accesses=(10, ULONG_MAX))
    s.state(0, 'commit')
    took, hot_least = wait_for('lru_deprio of the cold part',
                               lambda: cold_inactive() >= GOAL,
                               lambda: active(wl.hot))
    st = [ds.stats(s, i) for i in range(2)]
    s.off()
    print('lru_deprio: cold part %.0f %% inactive after %s s; hot part at '
          'least %.0f %% active throughout; stats deprio %s, prio %s' %
          (cold_inactive() * 100, '%.1f' % took if took else 'never',
           hot_least * 100, st[0], st[1]))
    if took is None:
        fail('lru_deprio left the cold part active')
    if hot_least < GOAL:
        fail('the hot part left the active list')
    for i, name in enumerate(('lru_deprio', 'lru_prio')):
        if st[i]['nr_applied'] == 0:
            fail('%s stats show nothing applied: %s' % (name, st[i]))
    if st[0]['sz_applied'] < cold_size * GOAL:
        fail('lru_deprio counted less than the cold part: %s' % st[0])


if __name__ == '__main__':
    sys.exit(main())
