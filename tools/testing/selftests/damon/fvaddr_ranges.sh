#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fvaddr monitors only the ranges it is given, vaddr follows a process's
# mappings, and monitoring of either stops by itself when the process dies.
# No user interface selects fvaddr (debugfs offers vaddr and paddr, like
# mainline's), so the kernel side of this test is the KUnit suite
# damon_vaddr_live (mm/damon/tests/vaddr_live_kunit.c), which monitors a
# real process; this runs it through KUnit's debugfs files.

source "$(dirname "$0")/lib_damon.sh"

skip_unless_root
suite=$debugfs/kunit/damon_vaddr_live
skip_unless_file "$suite/run" \
	"the damon_vaddr_live KUnit suite (needs CONFIG_DAMON_KUNIT_TEST and CONFIG_KUNIT_DEBUGFS)"

echo run > "$suite/run" || fail "cannot run the suite"
results=$(cat "$suite/results")
echo "$results"
grep -q "not ok" <<< "$results" && fail "damon_vaddr_live failed"
grep -q "# SKIP" <<< "$results" && { echo "SKIP: cases skipped"; exit $KSFT_SKIP; }
grep -Eq "^ok [0-9]+ damon_vaddr_live" <<< "$results" ||
	fail "no result of damon_vaddr_live"
echo "PASS: fvaddr keeps to its ranges, vaddr follows the mappings"
exit $KSFT_PASS
