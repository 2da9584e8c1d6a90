#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load damon.ko, monitor briefly, unload it; many times over, with the
# physical address space and with processes as targets, and with a target
# that exits while monitored.  The module must refuse to go while a kdamond
# runs (one started through debugfs or sysfs), and in the end no kdamond
# thread and no leak (kmemleak, when the kernel has it) may be left.
#
# Environment: DAMON_KO, the path of damon.ko (skips without it, e.g. on a
# kernel with DAMON built in); DAMON_RELOADS, the number of rounds
# (default 100).  dev/module-test.sh runs this in the module flavour guest.

source "$(dirname "$0")/lib_damon.sh"

skip_unless_root
ko=${DAMON_KO:-}
rounds=${DAMON_RELOADS:-100}
[ -n "$ko" ] || { echo "SKIP: set DAMON_KO to the path of damon.ko"; exit $KSFT_SKIP; }
[ -f "$ko" ] || fail "$ko does not exist"
grep -q '^damon ' /proc/modules && fail "damon is already loaded"
dbgfs=$debugfs/damon
sysfs=/sys/kernel/mm/damon/admin
kmemleak=$debugfs/kmemleak

# The largest System RAM range of /proc/iomem, as "start end".
largest_ram()
{
	local line range s e best=0 ram=""

	while IFS= read -r line; do
		case $line in *": System RAM") ;; *) continue ;; esac
		range=${line%% :*}
		range=${range// /}
		s=$((16#${range%-*}))
		e=$((16#${range#*-} + 1))
		if [ $((e - s)) -gt $best ]; then
			best=$((e - s))
			ram="$s $e"
		fi
	done < /proc/iomem
	echo "$ram"
}
ram=$(largest_ram)

kdamonds() { grep -l '^kdamond' /proc/[0-9]*/comm 2>/dev/null | wc -l; }

# Wait up to 10 s for monitoring to stop.
wait_off()
{
	local _
	for _ in $(seq 200); do
		[ "$(cat "$dbgfs/monitor_on")" = off ] && return 0
		sleep 0.05
	done
	fail "round $1: monitoring did not stop"
}

[ "$(kdamonds)" -eq 0 ] || fail "a kdamond runs before the test"
if [ -w "$kmemleak" ]; then
	# Forget what was reported before us.
	echo scan > "$kmemleak"
	echo clear > "$kmemleak"
fi

sleep 1000 &
victim=$!
for round in $(seq "$rounds"); do
	insmod "$ko" || fail "round $round: insmod failed"
	[ -d "$dbgfs" ] || fail "round $round: no $dbgfs"
	short=""
	case $((round % 4)) in
	0)	echo paddr > "$dbgfs/target_ids" &&
		echo "-1 $ram" > "$dbgfs/init_regions" ;;
	1)	echo "$victim" > "$dbgfs/target_ids" ;;
	2)	sleep 0.3 &
		short=$!
		echo "$victim $short" > "$dbgfs/target_ids" ;;
	3)	sleep 0.1 &
		short=$!
		echo "$short" > "$dbgfs/target_ids" ;;
	esac || fail "round $round: cannot set the targets"
	echo on > "$dbgfs/monitor_on" || fail "round $round: cannot start"
	sleep 0.2
	# Only targets that live for sure keep the kdamond running here.
	if [ $((round % 4)) -lt 2 ]; then
		[ "$(cat "$dbgfs/monitor_on")" = on ] ||
			fail "round $round: monitoring stopped by itself"
		rmmod damon 2>/dev/null &&
			fail "round $round: unloaded while a kdamond runs"
	fi
	[ "$(cat "$dbgfs/monitor_on")" = on ] && echo off > "$dbgfs/monitor_on"
	[ -n "$short" ] && wait "$short"
	wait_off "$round"
	# Every fourth round, a sysfs kdamond too, whose stopped context and
	# directories the unload must free.
	if [ -d "$sysfs" ] && [ $((round % 4)) -eq 2 ]; then
		k=$sysfs/kdamonds
		echo 1 > "$k/nr_kdamonds" &&
		echo 1 > "$k/0/contexts/nr_contexts" &&
		echo 1 > "$k/0/contexts/0/targets/nr_targets" &&
		echo "$victim" > "$k/0/contexts/0/targets/0/pid_target" &&
		echo on > "$k/0/state" ||
			fail "round $round: cannot start a sysfs kdamond"
		rmmod damon 2>/dev/null &&
			fail "round $round: unloaded while a sysfs kdamond runs"
		echo off > "$k/0/state"
	fi
	rmmod damon || fail "round $round: rmmod failed"
	[ -d "$dbgfs" ] && fail "round $round: $dbgfs left after rmmod"
	[ -d "$sysfs" ] && fail "round $round: $sysfs left after rmmod"
done
kill "$victim"
wait "$victim" 2>/dev/null

sleep 0.5
[ "$(kdamonds)" -eq 0 ] || fail "kdamond threads left after $rounds rounds"
grep -q '^damon ' /proc/modules && fail "damon still loaded"
if [ -w "$kmemleak" ]; then
	# Objects are reported once they stayed unreferenced for a while.
	echo scan > "$kmemleak"
	sleep 6
	echo scan > "$kmemleak"
	leaks=$(cat "$kmemleak")
	[ -z "$leaks" ] || fail "kmemleak reports leaks: $(echo "$leaks" | head -40)"
	echo "kmemleak: no leak"
else
	echo "kmemleak: not available, leaks not checked"
fi
echo "PASS: $rounds rounds of load, monitor, unload"
exit $KSFT_PASS
