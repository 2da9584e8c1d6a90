#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A stalled writer does not stall every DAMON file.

- A write to attrs whose buffer userfaultfd holds back (a page nobody
  serves): while it hangs, the other files still read and write.
- "off" waiting for a kdamond that is stuck writing its record (the
  record file's inode lock is held by a write from another such buffer):
  while it waits, the other files still read.

Each check reads monitor_on from a thread and wants the answer within 5 s.
Arguments, if any, name the cases to run (stalled_copy, stalled_stop).
"""

import ctypes
import mmap
import os
import sys
import threading
import time

from lib_dbgfs import Dbgfs, KSFT_PASS, fail, largest_ram, skip

libc = ctypes.CDLL(None, use_errno=True)
NR_USERFAULTFD = 323
UFFDIO_API = 0xC018AA3F
UFFDIO_REGISTER = 0xC020AA00
REC = '/tmp/damon-lock-stalls.data'


class Stall:
    """An anonymous page whose first touch blocks until close()."""

    def __init__(self):
        self.uffd = libc.syscall(NR_USERFAULTFD, os.O_CLOEXEC)
        if self.uffd < 0:
            skip('no userfaultfd (%s)' % os.strerror(ctypes.get_errno()))
        api = (ctypes.c_uint64 * 3)(0xAA, 0, 0)
        if libc.ioctl(self.uffd, UFFDIO_API, api):
            skip('UFFDIO_API failed')
        self.map = mmap.mmap(-1, mmap.PAGESIZE)
        self.addr = ctypes.addressof(ctypes.c_char.from_buffer(self.map))
        reg = (ctypes.c_uint64 * 4)(self.addr, mmap.PAGESIZE, 1, 0)
        if libc.ioctl(self.uffd, UFFDIO_REGISTER, reg):
            skip('UFFDIO_REGISTER failed')

    def write_from(self, fd, count):
        """write() from the stalled page, in a thread; returns the thread."""
        def run():
            libc.write(fd, ctypes.c_void_p(self.addr), count)
        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t

    def close(self):
        os.close(self.uffd)


def responsive(d, what):
    res = []
    t = threading.Thread(target=lambda: res.append(d.read('monitor_on')),
                         daemon=True)
    t.start()
    t.join(5)
    if not res:
        fail('%s: reading monitor_on blocked' % what)
    return res[0]


def stalled_copy(d):
    """The writer stalled in copy_from_user()."""
    stall = Stall()
    fd = os.open(d.path('attrs'), os.O_WRONLY)
    writer = stall.write_from(fd, 32)
    time.sleep(0.5)
    if not writer.is_alive():
        fail('the write from a userfaultfd page did not block')
    responsive(d, 'a write stalled in copy_from_user()')
    d.write('target_ids', '')
    stall.close()
    writer.join(5)
    os.close(fd)


def stalled_stop(d):
    """"off" waiting for a kdamond stuck in kernel_write()."""
    if d.try_write('pids', 'paddr'):
        skip('no paddr operations set')
    d.write('init_regions', '-1 %d %d' % largest_ram())
    d.write('attrs', '1000 20000 1000000 10 50')
    d.write('record', '1 %s' % REC)
    d.write('monitor_on', 'on')
    time.sleep(0.3)
    stall = Stall()
    rec = os.open(REC, os.O_WRONLY | os.O_APPEND)
    holder = stall.write_from(rec, 8)	# holds the inode lock
    time.sleep(0.5)
    off = threading.Thread(target=lambda: d.write('monitor_on', 'off'),
                           daemon=True)
    off.start()
    time.sleep(0.5)
    stuck = off.is_alive()
    state = responsive(d, '"off" waiting for a kdamond in kernel_write()')
    stall.close()
    holder.join(5)
    off.join(10)
    os.close(rec)
    os.unlink(REC)
    if off.is_alive():
        fail('"off" did not return once the record file was free')
    print('off waited for the kdamond: %s; monitor_on read "%s" meanwhile'
          % (stuck, state))


def main():
    d = Dbgfs.setup()
    cases = {'stalled_copy': stalled_copy, 'stalled_stop': stalled_stop}
    for name in sys.argv[1:] or cases:
        cases[name](d)
    d.check_no_splat()
    print('PASS: stalled writers leave the other files alone')
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
