#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Does paddr_fault find a process's hot set in physical memory?

The test of paddr_accuracy.py, with the same bar, run with the paddr_fault
operations set: it learns about accesses from the faults on the pages it
samples instead of from Accessed bits.  NUMA balancing stays as it is (off
in the test guest; paddr_fault_numa.py runs with it on).
Arguments and environment as for paddr_accuracy.py.
"""

import sys

from paddr_accuracy import main

if __name__ == '__main__':
    sys.exit(main(ops='paddr_fault'))
