#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMON_RECLAIM under a size quota smaller than its regions still pages
out all of the cold memory.

Idle neighbours merge into regions of up to a min_nr_regions-th of the
monitored memory, here about 200 MiB of the guest's RAM, and the quota
(half of that per window of 100 ms) cuts such a region short: the window
pages out its start, and the next one must go on with the rest.  But the start,
acted on, begins its age again from 0, and merging it back with the rest
makes the whole region too young for min_age; when it is old enough
again, the quota goes to its start once more, which was paged out
already.  If the rest of a cut region does not keep its turn, the end of
every such region stays resident for good (in the reclaim benchmark, 300
of 924 cold MiB).

hot_set_workload keeps 20 MiB hot and 200 MiB cold; the process's RSS must
fall by 90 % of the cold part before the scheme has tried four times the
monitored memory (bytes_reclaim_tried_regions), while the hot pages stay
present (as reclaim_pageout.py checks them).  Counting the work, not the
seconds, keeps the test from depending on the machine's speed.  On a host
loaded by other guests, with the rest of cut regions carried over it took
1.35 and 1.59 times the memory (17 and 52 s); without, the RSS had fallen
by 163 MiB at 4.04 times (40 s), and by 168 MiB at 5 times (60 s).
DAMON_TEST_SECONDS (default 120) bounds the wait.
"""

import os
import sys
import time

from lib_dbgfs import KSFT_PASS, fail, skip
from lib_modules import (MIB, PAGE, check_hot_look, pagemap, present, rss,
                         wait_hot_back, with_module_and_workload)

COLD_MIB, HOT_MIB = 200, 20
MIN_NR_REGIONS = 10
DEADLINE = float(os.environ.get('DAMON_TEST_SECONDS', '120'))


def largest_ram():
    """Bytes of the largest System RAM range: the module's default."""
    best = 0
    with open('/proc/iomem') as f:
        for line in f:
            if line.startswith(' ') or 'System RAM' not in line:
                continue
            lo, hi = (int(x, 16) for x in line.split(':')[0].split('-'))
            best = max(best, hi + 1 - lo)
    return best


def main():
    ram = largest_ram()
    if not ram:
        skip('no System RAM range in /proc/iomem')
    with_module_and_workload(
        'damon_reclaim', ['-b', str(COLD_MIB + HOT_MIB), '-h', str(HOT_MIB),
                          '-o', str(COLD_MIB)],
        lambda m, w: run(m, w, ram), swap=True)
    return KSFT_PASS


def run(m, w, ram):
    time.sleep(1)
    rss0 = rss(w.pid)
    hot_pages = (w.hot[1] - w.hot[0]) // PAGE
    # Half the largest merged region per window, in whole MiB, and a
    # window per aggregation interval: the rest of a cut region is merged
    # before the next window, and the quota goes round all memory soon.
    quota = ram // MIN_NR_REGIONS // 2 // MIB * MIB
    m.always_active()
    m.set(min_age=1000000, quota_ms=0, quota_sz=quota,
          quota_reset_interval_ms=100, sample_interval=5000,
          aggr_interval=100000, min_nr_regions=MIN_NR_REGIONS,
          max_nr_regions=1000, skip_anon='N')
    m.write('enabled', 'Y')
    began = time.monotonic()
    print('# rss before %.1f MiB, quota %d MiB per 100 ms'
          % (rss0 / MIB, quota // MIB))
    tried = last = 0
    while time.monotonic() - began < DEADLINE and tried <= 4 * ram:
        time.sleep(0.5)
        now = time.monotonic() - began
        tried = int(m.read('bytes_reclaim_tried_regions'))
        cur = rss(w.pid)
        hot_present = present(pagemap(w.pid, *w.hot))
        if now - last >= 5:
            last = now
            print('# %4.1fs rss %6.1f MiB, tried %5.2f x the memory, hot '
                  'present %5.1f%%' % (now, cur / MIB, tried / ram,
                                       100 * hot_present / hot_pages))
        check_hot_look(hot_present, hot_pages, now)
        if rss0 - cur >= 0.9 * COLD_MIB * MIB:
            wait_hot_back(w.pid, w.hot)
            print('ok: %.1f MiB of cold memory paged out in %.1f s, having '
                  'tried %.2f x the memory under the quota'
                  % ((rss0 - cur) / MIB, now, tried / ram))
            return
    fail('rss fell by %.1f MiB only, expected %.1f, with %.2f x the memory '
         'tried in %.1f s: the ends of regions the quota cut short stayed'
         % ((rss0 - rss(w.pid)) / MIB, 0.9 * COLD_MIB, tried / ram,
            time.monotonic() - began))


if __name__ == '__main__':
    sys.exit(main())
