#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does paddr_fault find a process's hot set in physical memory?

The test of paddr_accuracy.py, with the same bar, run with the paddr_fault
operations set: it learns about accesses from the faults on the pages it
samples instead of from Accessed bits.  NUMA balancing stays as it is (off
in the test guest; paddr_fault_numa.py runs with it on).
Arguments and environment as for paddr_accuracy.py.

This test once failed in about half of the runs on a loaded machine, with
up to 51 MiB seen accessed next to the 10 MiB hot set, for two reasons,
both of memory outside the hot set that the test's own Python process
used.  A huge page faulting is reported whole, and every region it
overlapped counted as accessed, also those sampling elsewhere; such a
region never looked mostly idle, so the core never cut the huge page's
part out of it (fixed in the core: a fault counts only for the regions
that sampled it).  And waiting for the aggregations parsed every traced
line again twice a second, megabytes of the process's memory kept hot
(fixed in lib_damon_access.py).
"""

import sys

from paddr_accuracy import main

if __name__ == '__main__':
    sys.exit(main(ops='paddr_fault'))
