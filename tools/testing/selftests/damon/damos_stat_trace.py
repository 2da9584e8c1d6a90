#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DAMOS statistics against the regions the schemes really tried.

Two stat schemes watch hot_set_workload through debugfs for two seconds:
one for every region, one for regions seen accessed at least once.  The
damos_before_apply tracepoint shows each region a scheme tries, in
mainline's text format.  Afterwards, each scheme's nr_tried and sz_tried
must equal the number and the total size of its events, nr_applied and
sz_applied must equal them too (stat applies to all it tries), and every
event of the second scheme must show an access.
"""

import os
import re
import sys
import time

from lib_damon_access import TRACEFS, Workload, workload_path
import lib_damos
from lib_damos import ULONG_MAX
from lib_dbgfs import KSFT_PASS, fail, skip

EVENT = 'events/damon/damos_before_apply'
LINE = re.compile(r'damos_before_apply: ctx_idx=(\d+) scheme_idx=(\d+) '
                  r'target_idx=(\d+) nr_regions=(\d+) (\d+)-(\d+): '
                  r'(\d+) (\d+)$')


def tracefs_write(name, value):
    with open(os.path.join(TRACEFS, name), 'w') as f:
        f.write(value)


def main():
    d = lib_damos.setup()
    if not os.path.isdir(os.path.join(TRACEFS, EVENT)):
        skip('no %s in %s' % (EVENT, TRACEFS))
    if not workload_path():
        skip('hot_set_workload not built')
    wl = Workload(['-b', '64', '-h', '8', '-o', '16', '-t', '60'])
    try:
        events = run(d, wl)
    finally:
        wl.stop()
        tracefs_write(EVENT + '/enable', '0')
    check(d, events)
    return KSFT_PASS


def run(d, wl):
    d.write('target_ids', str(wl.pid))
    d.write('schemes', '\n'.join([
        lib_damos.scheme('stat'),
        lib_damos.scheme('stat', nr_accesses=(1, ULONG_MAX))]))
    tracefs_write('tracing_on', '0')
    tracefs_write('buffer_size_kb', '8192')
    tracefs_write('trace', '')
    tracefs_write(EVENT + '/enable', '1')
    tracefs_write('tracing_on', '1')
    d.write('monitor_on', 'on')
    time.sleep(2)
    d.write('monitor_on', 'off')
    tracefs_write('tracing_on', '0')
    with open(os.path.join(TRACEFS, 'trace')) as f:
        lines = f.read().splitlines()
    if any('LOST' in line for line in lines):
        fail('the trace lost events')
    events = [[], []]
    for line in lines:
        if 'damos_before_apply' not in line:
            continue
        m = LINE.search(line)
        if not m:
            fail('event not in the expected format: %r' % line)
        ctx, sidx, tidx, nr, start, end, acc, age = map(int, m.groups())
        if ctx != 0 or tidx != 0 or sidx > 1 or start >= end or nr < 1:
            fail('odd event: %r' % line)
        events[sidx].append((start, end, acc, age))
    return events


def check(d, events):
    st = lib_damos.stats(d)
    for sidx, evs in enumerate(events):
        nr, sz = len(evs), sum(e - s for s, e, _, _ in evs)
        print('scheme %d: %d events, %d bytes; stats %s' %
              (sidx, nr, sz, ' '.join('%s=%d' % kv for kv in
                                     st[sidx].items())))
        if st[sidx]['nr_tried'] != nr or st[sidx]['sz_tried'] != sz:
            fail('scheme %d: tried %d regions, %d bytes, but %d events, '
                 '%d bytes' % (sidx, st[sidx]['nr_tried'],
                               st[sidx]['sz_tried'], nr, sz))
        if (st[sidx]['nr_applied'] != nr or
                st[sidx]['sz_applied'] != sz):
            fail('scheme %d: stat applied other than it tried' % sidx)
    if not events[0] or not events[1]:
        fail('a scheme tried nothing')
    idle = [e for e in events[1] if e[2] < 1]
    if idle:
        fail('the accessed-only scheme tried idle regions: %r' % idle[:3])


if __name__ == '__main__':
    sys.exit(main())
