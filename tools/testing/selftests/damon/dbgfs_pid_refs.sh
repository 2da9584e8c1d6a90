#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debugfs interface keeps one counted reference to each target
# process's struct pid and must drop it when the targets are replaced or
# their context removed.  1,000 times, a process writes its own pid to
# target_ids and exits; no reference may pile up.
#
# How a leak is seen, by what the kernel offers:
#  - pid namespaces (CONFIG_PID_NS): a struct pid pins the namespace it was
#    made in, and /proc/sys/user/max_pid_namespaces caps how many exist.
#    Each writer runs as pid 1 of a fresh namespace with the cap at 20, so
#    a leak makes the 21st namespace fail.  The test first checks that
#    references held on purpose (one per context, in 25 contexts) do hit
#    the cap, and that removing the contexts frees the namespaces.
#  - /proc/slabinfo (SLUB_DEBUG): the active objects of the pid cache.
#  - kmemleak: a leaked struct pid has no pointer left to it.
# Without any of them the test is skipped.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"

dbgfs_setup
# Next to the test once installed; in $OUTPUT when run_tests runs the tests
# from the source directory with an output directory elsewhere.
writer=$(dirname "$0")/dbgfs_pid_writer
[ -x "$writer" ] || writer=${OUTPUT:-.}/dbgfs_pid_writer
[ -x "$writer" ] || fail "dbgfs_pid_writer not built"
rounds=1000
max_ns=/proc/sys/user/max_pid_namespaces
methods=0

# in_new_ns FILE: run a shell that is pid 1 of a new pid namespace and
# writes "1", its own pid there, to FILE.
in_new_ns()
{
	unshare --pid --fork /bin/sh -c "echo 1 > $1" 2>/dev/null
}

# writers FILE ROUNDS [ns]: see dbgfs_pid_writer.c.
writers()
{
	"$writer" "$@"
}

if [ -w "$max_ns" ] && unshare --pid --fork true 2>/dev/null; then
	methods=$((methods + 1))
	old_max=$(cat "$max_ns")
	trap 'echo "$old_max" > "$max_ns"; dbgfs_restore' EXIT
	echo 20 > "$max_ns"

	# References we keep on purpose must keep namespaces alive...
	held=0
	for made in $(seq 25); do
		write_ok "$dbgfs/mk_contexts" "ns$made"
		in_new_ns "$dbgfs/ns$made/target_ids" || break
		held=$made
	done
	[ "$held" -lt 25 ] ||
		fail "25 referenced namespaces did not reach a cap of 20"
	echo "pid namespaces: the cap of 20 stops at $held held references"
	# ...and removing their contexts must free them.
	for i in $(seq "$made"); do
		write_ok "$dbgfs/rm_contexts" "ns$i"
	done
	sleep 1		# namespaces are freed after an RCU grace period
	in_new_ns "$dbgfs/target_ids" ||
		fail "namespaces stay pinned after their contexts went away"

	writers "$dbgfs/target_ids" "$rounds" ns ||
		fail "pid namespaces ran out: references to pids leak"
	reads "$dbgfs/target_ids" 1
	echo "$old_max" > "$max_ns"
	echo "pid namespaces: $rounds writers, namespaces freed each time"
fi

slab_pids()
{
	awk '$1 == "pid" { print $2 }' /proc/slabinfo 2>/dev/null
}

kmemleak=$debugfs/kmemleak
if [ -n "$(slab_pids)" ] || [ -w "$kmemleak" ]; then
	before=$(slab_pids)
	[ -w "$kmemleak" ] && echo clear > "$kmemleak"
	writers "$dbgfs/target_ids" "$rounds" || fail "writers failed"
	write_ok "$dbgfs/target_ids" ""
	if [ -n "$before" ]; then
		methods=$((methods + 1))
		# Freed pids go back to the slab after an RCU grace period,
		# and the count includes whole per-CPU slabs: let it settle.
		for i in $(seq 15); do
			sleep 1
			echo 1 > /sys/kernel/slab/pid/shrink 2>/dev/null
			after=$(slab_pids)
			[ "$after" -le $((before + rounds / 2)) ] && break
		done
		echo "pid slab objects: $before before, $after after $rounds writers"
		[ "$after" -le $((before + rounds / 2)) ] ||
			fail "pid objects grew from $before to $after"
	fi
	if [ -w "$kmemleak" ]; then
		methods=$((methods + 1))
		sleep 6		# kmemleak ignores objects younger than 5 s
		echo scan > "$kmemleak"
		leaks=$(grep -c alloc_pid "$kmemleak")
		echo "kmemleak: $leaks leaked struct pid"
		[ "$leaks" -eq 0 ] || fail "kmemleak reports leaked struct pids"
	fi
fi

if [ "$methods" -eq 0 ]; then
	echo "SKIP: no way to see pid references (needs PID_NS, SLUB_DEBUG or kmemleak)"
	exit $KSFT_SKIP
fi
echo "PASS: $rounds target writes leave no pid reference behind"
exit $KSFT_PASS
