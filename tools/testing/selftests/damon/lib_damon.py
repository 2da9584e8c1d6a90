# SPDX-License-Identifier: GPL-2.0
"""Helpers shared by the Python tests of DAMON: results, the kernel log, the
physical memory layout, and the files of an interface directory."""

import os
import re
import subprocess
import sys
import time

KSFT_PASS, KSFT_FAIL, KSFT_SKIP = 0, 1, 4
SPLAT = re.compile(r'BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|'
                   r'circular locking|general protection')


def fail(msg):
    print('FAIL: %s' % msg)
    sys.exit(KSFT_FAIL)


def skip(msg):
    print('SKIP: %s' % msg)
    sys.exit(KSFT_SKIP)


def dmesg_lines():
    return subprocess.run(['dmesg'], capture_output=True, text=True,
                          check=False).stdout.splitlines()


def kmsg_mark():
    """Write a mark of this test to the kernel log and return it, for
    kmsg_since().  Line numbers of dmesg would not do: once the log buffer
    is full, old lines make room for new ones, so a line count taken earlier
    points at the wrong place."""
    mark = 'damon-selftest: %s[%d] mark %d' % (
        os.path.basename(sys.argv[0]), os.getpid(), time.monotonic_ns())
    try:
        with open('/dev/kmsg', 'w') as f:
            f.write(mark + '\n')
    except OSError as e:
        fail('cannot write to /dev/kmsg: %s' % e)
    return mark


def kmsg_since(mark):
    """The lines of the kernel log after the mark.  If the mark has been
    pushed out of the buffer, all the buffer holds came after it."""
    lines = dmesg_lines()
    for i in range(len(lines) - 1, -1, -1):
        if mark in lines[i]:
            return lines[i + 1:]
    return lines


def largest_ram():
    """(start, end) of the largest System RAM range, end exclusive."""
    best = None
    with open('/proc/iomem') as f:
        for line in f:
            if line.rstrip().endswith(': System RAM'):
                lo, hi = (int(x, 16) for x in line.split()[0].split('-'))
                if best is None or hi + 1 - lo > best[1] - best[0]:
                    best = (lo, hi + 1)
    if best is None or best[1] <= best[0] + 1:
        fail('no System RAM in /proc/iomem')
    return best


class Files:
    """Files of one directory, each value written in one write(); kernel
    splats since its creation can be checked."""

    def __init__(self, path):
        self.dir = path
        self.kmsg_mark = kmsg_mark()

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read().strip()

    def try_write(self, name, value):
        """Write value in one write(); return None or the errno."""
        fd = os.open(self.path(name), os.O_WRONLY)
        try:
            os.write(fd, (str(value) + '\n').encode())
        except OSError as e:
            return e.errno
        finally:
            os.close(fd)
        return None

    def write(self, name, value):
        err = self.try_write(name, value)
        if err is not None:
            fail('writing "%s" to %s: %s' % (value, name, os.strerror(err)))

    def check_no_splat(self):
        bad = [line for line in kmsg_since(self.kmsg_mark)
               if SPLAT.search(line)]
        if bad:
            fail('kernel splat:\n' + '\n'.join(bad))
