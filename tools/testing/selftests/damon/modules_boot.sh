#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DAMON_RECLAIM and DAMON_LRU_SORT built in and enabled on the kernel
# command line: both must be running when user space starts, with the
# other parameters given there, and stop when told.  dev/check.sh boots the
# guest with
#
#	damon_reclaim.enabled=Y damon_reclaim.min_age=7000000
#	damon_lru_sort.enabled=Y damon_lru_sort.hot_thres_access_freq=700
#
# and runs this; without those parameters it skips.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"
source "$(dirname "$0")/lib_modules.sh"

skip_unless_root
grep -q "damon_reclaim.enabled=Y" /proc/cmdline &&
	grep -q "damon_lru_sort.enabled=Y" /proc/cmdline ||
	{ echo "SKIP: not booted with damon_*.enabled=Y"; exit $KSFT_SKIP; }

for m in damon_reclaim damon_lru_sort; do
	p=$(params "$m")
	reads "$p/enabled" Y
	pid=$(cat "$p/kdamond_pid")
	grep -q '^kdamond' "/proc/$pid/comm" 2>/dev/null ||
		fail "$m: kdamond_pid $pid is not a kdamond"
done
reads "$(params damon_reclaim)/min_age" 7000000
reads "$(params damon_lru_sort)/hot_thres_access_freq" 700
[ "$(kdamonds)" -eq 2 ] || fail "$(kdamonds) kdamonds at boot, expected 2"
for m in damon_reclaim damon_lru_sort; do
	echo N > "$(params "$m")/enabled" || fail "$m: cannot disable"
	reads "$(params "$m")/kdamond_pid" -1
done
[ "$(kdamonds)" -eq 0 ] || fail "$(kdamonds) kdamonds left"
echo "PASS: both modules enabled from the kernel command line"
exit $KSFT_PASS
