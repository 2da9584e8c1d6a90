#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The number of regions stays within monitoring_attrs/nr_regions/{min,max}
whenever a user can see it.

The user sees the regions through the tried regions of a "stat" scheme
(update_schemes_tried_regions), which the kdamond fills at the end of an
aggregation interval, before that interval merges and splits them.  A
child process maps 128 MiB more (untouched) every 50 ms, up to 1 GiB, then
unmaps all of it, over and over: the operations update (every aggregation
here) keeps adding regions for the new mappings and removing those of the
unmapped ones, after the regions were split to fit.

- min 200, max 1000: no read shows fewer than 200 regions;
- min 3, max 12: no read shows more than 12 (13 came up in 1 to 6 of 25
  reads before updates were fitted at once);
- a commit of min 3, max 7 while more than 7 regions exist: the next read
  shows at most 7, without waiting for an aggregation (it showed 18 to 37).
"""

import os
import subprocess
import sys
import time

from lib_damon import KSFT_PASS, fail
from lib_sysfs import Sysfs

SECONDS = 4.0
SCHEME = Sysfs.ctx(0, 'schemes/0/')
TRIED = SCHEME + 'tried_regions/'
ULONG_MAX = (1 << 64) - 1

# Maps 128 MiB more every 50 ms, up to 1 GiB, then unmaps it all.
CHILD = '''
import mmap, sys, time
sys.stdout.write('ready\\n')
sys.stdout.flush()
while True:
    maps = []
    for i in range(8):
        maps.append(mmap.mmap(-1, 128 << 20))
        time.sleep(0.05)
    for m in maps:
        m.close()
    time.sleep(0.05)
'''


def start(s, pid, nr_min, nr_max):
    """Monitor pid with a stat scheme: 5 ms samples, 100 ms aggregation
    and operations update."""
    s.set_kdamond(0, 'vaddr', '5000 100000 100000 %d %d' % (nr_min, nr_max),
                  [(pid, [])])
    s.write(Sysfs.ctx(0, 'schemes/nr_schemes'), 1)
    s.write(SCHEME + 'action', 'stat')
    for name in ('sz', 'nr_accesses', 'age'):
        s.write(SCHEME + 'access_pattern/%s/min' % name, 0)
        s.write(SCHEME + 'access_pattern/%s/max' % name, ULONG_MAX)
    s.on()


def nr_tried(s):
    s.state(0, 'update_schemes_tried_regions')
    return sum(1 for n in os.listdir(s.path(TRIED)) if n.isdigit())


def check_bounds(s, pid, nr_min, nr_max):
    start(s, pid, nr_min, nr_max)
    seen = []
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        seen.append(nr_tried(s))
    s.off()
    bad = [n for n in seen if not nr_min <= n <= nr_max]
    print('min %d max %d: %d reads, %d to %d regions' %
          (nr_min, nr_max, len(seen), min(seen), max(seen)))
    if bad:
        return '%d of %d reads out of [%d, %d]: %s' % (
            len(bad), len(seen), nr_min, nr_max, bad[:10])
    return None


def check_commit(s, pid):
    start(s, pid, 10, 1000)
    deadline = time.monotonic() + SECONDS
    before = nr_tried(s)
    while before <= 7 and time.monotonic() < deadline:
        before = nr_tried(s)
    if before <= 7:
        fail('never more than 7 regions to start with: %d' % before)
    s.set_attrs(0, '5000 100000 100000 3 7')
    s.state(0, 'commit')
    after = nr_tried(s)
    s.off()
    print('commit of max 7 with %d regions: %d right after' % (before, after))
    if after > 7:
        return '%d regions after a commit of max 7' % after
    return None


def main():
    s = Sysfs.setup()
    child = subprocess.Popen([sys.executable, '-c', CHILD],
                             stdout=subprocess.PIPE)
    try:
        child.stdout.readline()
        errors = [check_bounds(s, child.pid, 200, 1000),
                  check_bounds(s, child.pid, 3, 12),
                  check_commit(s, child.pid)]
    finally:
        child.kill()
        child.wait()
    errors = [e for e in errors if e]
    if errors:
        fail('; '.join(errors))
    s.check_no_splat()
    print('ok')
    sys.exit(KSFT_PASS)


if __name__ == '__main__':
    main()
