#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The record file cannot be turned against root.

- A symbolic link as the record file, or on the way to it, and a hard link
  to another file: "on" fails (ELOOP, EMLINK) and the file it would have
  written keeps its content.
- The record path swapped between a regular file and a FIFO while "on" is
  written over and over: no "on" blocks.

Arguments, if any, name the cases to run (links, fifo_race).
"""

import ctypes
import errno
import os
import subprocess
import sys
import threading

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, largest_ram, skip

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


def main():
    d = Dbgfs.setup()
    subprocess.run(['rm', '-rf', DIR])
    os.mkdir(DIR)
    if d.try_write('pids', 'paddr'):
        skip('no paddr operations set')
    d.write('init_regions', '-1 %d %d' % largest_ram())
    cases = {'links': links, 'fifo_race': fifo_race}
    try:
        for name in sys.argv[1:] or cases:
            cases[name](d)
    finally:
        d.try_write('monitor_on', 'off')
        subprocess.run(['rm', '-rf', DIR])
    d.check_no_splat()
    print('PASS: record files resist links and FIFOs')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
