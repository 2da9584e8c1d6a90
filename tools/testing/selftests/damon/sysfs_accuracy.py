#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Do vaddr and paddr find a process's hot set when started through sysfs?

vaddr_accuracy.py and paddr_accuracy.py, with the same workload and the
same bars, but with monitoring set up and turned on and off through
/sys/kernel/mm/damon/admin instead of debugfs.  One transparent huge page
mode each, 10 s of monitoring per run: the debugfs runs cover the others.
"""

import sys

import paddr_accuracy
import vaddr_accuracy
from lib_damon import KSFT_PASS
from lib_sysfs import Sysfs


def main():
    s = Sysfs.setup()
    vaddr_accuracy.main(s, ['never'], 10)
    paddr_accuracy.main(s, ['always'], 10)
    return KSFT_PASS


if __name__ == '__main__':
    sys.exit(main())
