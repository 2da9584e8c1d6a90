#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The record file cannot be turned against root, and stays whole.

- A symbolic link as the record file, or on the way to it, and a hard link
  to another file: "on" fails (ELOOP, EMLINK) and the file it would have
  written keeps its content.
- The record path swapped between a regular file and a FIFO while "on" is
  written over and over: no "on" blocks.
- Two contexts recording to one file, under different names: "on" fails
  with EINVAL and nothing runs.
- A start that fails (every allocation of "on" failed in turn through
  fail-nth) leaves the previous record file as it was.
- A full file system: the record ends with a whole snapshot.

Arguments, if any, name the cases to run (links, fifo_race, same_file,
failed_start, full_disk).
"""

import ctypes
import errno
import os
import subprocess
import sys
import threading
import time

from lib_dbgfs import (Dbgfs, KSFT_PASS, decode_record, fail, largest_ram,
                       skip)

DIR = '/tmp/damon-record-safety'
OLD = b'the previous record, which must survive' * 10
libc = ctypes.CDLL(None, use_errno=True)


def fresh(path, data=OLD):
    with open(path, 'wb') as f:
        f.write(data)


def content(path):
    with open(path, 'rb') as f:
        return f.read()


def try_on(d, what, expect):
    got = d.try_write('monitor_on', 'on')
    if got is None:
        d.write('monitor_on', 'off')
        fail('%s: "on" worked' % what)
    if expect is not None and got != expect:
        fail('%s: "on" failed with %s, expected %s' % (
            what, errno.errorcode.get(got), errno.errorcode[expect]))
    if d.read('monitor_on') != 'off':
        fail('%s: monitoring runs after a failed start' % what)


def links(d):
    victim = DIR + '/victim'
    fresh(victim)
    os.symlink(victim, DIR + '/symlink')
    d.write('record', '4096 %s/symlink' % DIR)
    try_on(d, 'symlink', errno.ELOOP)
    os.mkdir(DIR + '/real')
    os.symlink(DIR + '/real', DIR + '/dirlink')
    fresh(DIR + '/real/rec')
    d.write('record', '4096 %s/dirlink/rec' % DIR)
    try_on(d, 'symlink on the way', errno.ELOOP)
    os.link(victim, DIR + '/hardlink')
    d.write('record', '4096 %s/hardlink' % DIR)
    try_on(d, 'hard link', errno.EMLINK)
    if content(victim) != OLD or content(DIR + '/real/rec') != OLD:
        fail('a file reached through a link was written')


def renameat2_exchange(a, b):
    if libc.syscall(316, -100, a.encode(), -100, b.encode(), 2):
        raise OSError(ctypes.get_errno(), 'renameat2')


def fifo_race(d, attempts=60):
    path, spare = DIR + '/race', DIR + '/race-spare'
    fresh(path, b'')
    os.mkfifo(spare)
    d.write('record', '4096 %s' % path)
    stop = []

    def exchange():
        while not stop:
            renameat2_exchange(path, spare)

    swapper = threading.Thread(target=exchange, daemon=True)
    swapper.start()
    results = {}
    try:
        for _ in range(attempts):
            done = threading.Event()
            res = []

            def start():
                res.append(d.try_write('monitor_on', 'on'))
                done.set()
            writer = threading.Thread(target=start, daemon=True)
            writer.start()
            if not done.wait(10):
                # Unblock the writer: give the FIFO a reader.
                stop.append(1)
                for p in (path, spare):
                    try:
                        os.open(p, os.O_RDONLY | os.O_NONBLOCK)
                    except OSError:
                        pass
                fail('"on" blocked opening a FIFO as its record file')
            err = res[0]
            results[err] = results.get(err, 0) + 1
            if err is None:
                d.write('monitor_on', 'off')
    finally:
        stop.append(1)
        swapper.join()
    print('FIFO race: %d starts, outcomes %s' % (attempts, {
        errno.errorcode.get(k, 'ok'): v for k, v in results.items()}))


def same_file(d):
    d.write('record', '4096 %s/shared' % DIR)
    d.write('mk_contexts', 'other')
    try:
        o = Dbgfs(d.path('other'))
        o.write('pids', 'paddr')
        o.write('init_regions', '-1 %d %d' % largest_ram())
        o.write('record', '4096 %s//./shared' % DIR)
        fresh(DIR + '/shared')
        try_on(d, 'two contexts, one file', errno.EINVAL)
        if content(DIR + '/shared') != OLD:
            fail('a refused start wrote the shared record file')
    finally:
        d.write('rm_contexts', 'other')


def failed_start_keeps_record(d):
    path = DIR + '/kept'
    fresh(path)
    d.write('record', '4096 %s' % path)
    fi = '/sys/kernel/debug/failslab'
    if not os.path.exists(fi + '/ignore-gfp-wait'):
        print('no failslab: the failed-start case is skipped')
        return
    for name, val in (('ignore-gfp-wait', 'N'),):
        with open(fi + '/' + name, 'w') as f:
            f.write(val)
    nth = os.open('/proc/thread-self/fail-nth', os.O_RDWR)
    try:
        for n in range(1, 200):
            # A new open file each time: one that failed takes no more.
            fd = os.open(d.path('monitor_on'), os.O_WRONLY)
            os.pwrite(nth, str(n).encode(), 0)
            try:
                os.write(fd, b'on')
            except OSError:
                pass
            left = int(os.pread(nth, 32, 0) or b'0')
            os.pwrite(nth, b'0', 0)
            os.close(fd)
            if d.read('monitor_on') == 'on':
                # It started (a failed allocation was one it can do
                # without): the record is rightly new; make it old again.
                d.write('monitor_on', 'off')
                if left:
                    break
                fresh(path)
                continue
            if content(path) != OLD:
                fail('a start whose allocation %d failed truncated the '
                     'record file' % n)
        else:
            fail('"on" never succeeded in 200 tries')
        print('failed starts: %d allocations failed in turn, record kept'
              % (n - 1))
    finally:
        os.pwrite(nth, b'0', 0)
        os.close(nth)
        with open(fi + '/ignore-gfp-wait', 'w') as f:
            f.write('Y')


def full_disk(d):
    mnt = DIR + '/full'
    os.mkdir(mnt)
    if subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'none',
                       mnt]).returncode:
        skip('cannot mount a small tmpfs')
    try:
        d.write('attrs', '1000 20000 1000000 10 50')
        # A one-byte buffer writes each snapshot in pieces.
        d.write('record', '1 %s/rec' % mnt)
        d.write('monitor_on', 'on')
        last, still = -1, 0
        for _ in range(150):
            time.sleep(0.2)
            size = os.stat(mnt + '/rec').st_size
            still = still + 1 if size == last else 0
            last = size
            if still >= 10 and size > 32 * 1024:
                break
        d.write('monitor_on', 'off')
        snaps = decode_record(content(mnt + '/rec'))
        print('full disk: %d bytes, %d whole snapshots' % (last, len(snaps)))
        if not snaps:
            fail('no snapshot fit on the small file system')
    finally:
        subprocess.run(['umount', mnt])


def main():
    d = Dbgfs.setup()
    subprocess.run(['rm', '-rf', DIR])
    os.mkdir(DIR)
    if d.try_write('pids', 'paddr'):
        skip('no paddr operations set')
    d.write('init_regions', '-1 %d %d' % largest_ram())
    cases = {'links': links, 'fifo_race': fifo_race, 'same_file': same_file,
             'failed_start': failed_start_keeps_record,
             'full_disk': full_disk}
    try:
        for name in sys.argv[1:] or cases:
            cases[name](d)
    finally:
        d.try_write('monitor_on', 'off')
        subprocess.run(['rm', '-rf', DIR])
    d.check_no_splat()
    print('PASS: record files resist links, FIFOs, sharing and full disks')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
