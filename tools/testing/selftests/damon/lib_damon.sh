#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the DAMON selftests.  Source it; don't run it.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

tracefs=/sys/kernel/tracing
debugfs=/sys/kernel/debug

# skip_unless_root: kselftest's skip unless we run as root.
skip_unless_root()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root"
		exit $KSFT_SKIP
	fi
}

# skip_unless_file PATH WHAT: skip when PATH does not exist.
skip_unless_file()
{
	if [ ! -e "$1" ]; then
		echo "SKIP: $2 ($1 missing)"
		exit $KSFT_SKIP
	fi
}

# fail MESSAGE: report and exit with the kselftest failure status.
fail()
{
	echo "FAIL: $*"
	exit $KSFT_FAIL
}
