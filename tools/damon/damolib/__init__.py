# SPDX-License-Identifier: GPL-2.0
"""damo: record and report data access patterns monitored by DAMON.

Each subcommand lives in its own module (record.py, report_*.py,
paddr_layout.py); the modules below them do one job each: recfile.py and
tracetext.py read and write monitoring results, memlayout.py reads the
physical memory layout, dbgfs.py and tracefs.py talk to the kernel.
"""

__version__ = '2.0'
