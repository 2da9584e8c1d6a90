#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A process as the target of the debugfs interface, recorded to a file.

A child maps 32 MiB and keeps writing to all of it.  Its pid goes to
target_ids and that mapping to init_regions, with an update interval
longer than the run so that the regions stay as given; monitoring is
recorded.  When the child is killed, monitoring must stop by itself and
the record, written out by the stopping kdamond, must hold the child's
pid as target id, regions inside the mapping only, and seen accesses.
Then the same without init_regions: the regions follow the mappings.
"""

import ctypes
import mmap
import os
import signal
import sys
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, decode_record, fail

SIZE = 32 << 20
PATH = '/tmp/damon-selftest-vaddr.data'


def workload(wfd):
    area = mmap.mmap(-1, SIZE)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(area))
    os.write(wfd, b'%d\n' % addr)
    os.close(wfd)
    page = b'x' * 64
    while True:
        for off in range(0, SIZE, 4096):
            area[off:off + 64] = page


def start_workload():
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            workload(wfd)
        finally:
            os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd) as f:
        addr = int(f.readline())
    return pid, addr


def run(d, with_regions):
    pid, addr = start_workload()
    try:
        d.write('target_ids', str(pid))
        if with_regions:
            d.write('init_regions', '%d %d %d' % (pid, addr, addr + SIZE))
        d.write('record', '65536 %s' % PATH)
        d.write('monitor_on', 'on')
        time.sleep(2)
        if d.read('monitor_on') != 'on':
            fail('monitoring stopped while the target lives')
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    deadline = time.monotonic() + 10
    while d.read('monitor_on') != 'off':
        if time.monotonic() > deadline:
            fail('monitoring still on 10 s after the target died')
        time.sleep(0.05)
    if d.read('kdamond_pid') != 'none':
        fail('kdamond_pid is not "none" after the kdamond stopped')
    with open(PATH, 'rb') as f:
        snaps = decode_record(f.read())
    os.unlink(PATH)
    if len(snaps) < 5:
        fail('only %d snapshots in 2 s' % len(snaps))
    seen = 0
    for i, (_, targets) in enumerate(snaps):
        if [t[0] for t in targets] != [pid]:
            fail('snapshot %d: target ids %s, expected [%d]' % (
                i, [t[0] for t in targets], pid))
        regions = targets[0][1]
        if with_regions and (regions[0][0] < addr // 4096 * 4096 or
                             regions[-1][1] > addr + SIZE):
            fail('snapshot %d: regions %#x-%#x outside the mapping' % (
                i, regions[0][0], regions[-1][1]))
        seen = max([seen] + [r[2] for r in regions])
    if with_regions and not seen:
        fail('no access seen in a mapping written all the time')
    print('%s: %d snapshots, up to %d accesses per region' % (
        'init_regions' if with_regions else 'mappings', len(snaps), seen))


def main():
    d = Dbgfs.setup()
    d.write('attrs', '5000 100000 60000000 10 100')
    run(d, True)
    d.write('attrs', '5000 100000 1000000 10 100')
    run(d, False)
    d.check_no_splat()
    print('PASS: a process target is monitored, recorded and let go')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
