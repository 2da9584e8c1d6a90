#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests of DAMON's sysfs interface.  Source it after
# lib_damon.sh; don't run it.
#
# sysfs_setup checks that the interface is there, turns every kdamond of it
# off and removes them, and does that again when the test exits.

admin=/sys/kernel/mm/damon/admin
kdamonds=$admin/kdamonds
ksft_dir=$admin

EINVAL="Invalid argument"
ERANGE="Numerical result out of range"
EBUSY="Device or resource busy"
ESRCH="No such process"
E2BIG="Argument list too long"
EOPNOTSUPP="Operation not supported"

# write_too_long FILE: a value longer than a page, in one write(), must
# fail with E2BIG.  (bash's echo would cut it into page-sized writes.)
write_too_long()
{
	local err

	if err=$(printf '%05000d\n' 1 |
		 dd of="$1" bs=1M count=1 iflag=fullblock status=none 2>&1); then
		fail "a write of 5001 bytes to ${1#"$ksft_dir/"} succeeded"
	fi
	case "$err" in
	*"$E2BIG"*) ;;
	*) fail "a write of 5001 bytes to ${1#"$ksft_dir/"}: '${err##*: }'" ;;
	esac
}

# sysfs_reset: every kdamond off, none left.
sysfs_reset()
{
	local d

	for d in "$kdamonds"/[0-9]*; do
		[ -d "$d" ] && echo off > "$d/state" 2>/dev/null
	done
	echo 0 > "$kdamonds/nr_kdamonds" 2>/dev/null
}

# sysfs_setup: skip unless root with the sysfs interface; start from an
# empty tree and leave one at exit.
sysfs_setup()
{
	skip_unless_root
	skip_unless_file "$kdamonds/nr_kdamonds" "DAMON sysfs interface"
	sysfs_reset
	[ "$(cat "$kdamonds/nr_kdamonds")" = 0 ] ||
		fail "cannot remove the kdamonds of an earlier user"
	trap sysfs_reset EXIT
}

# ctx_dir KDAMOND: the directory of the context of kdamond KDAMOND.
ctx_dir()
{
	echo "$kdamonds/$1/contexts/0"
}

# sysfs_kdamond IDX OPS: make kdamond IDX (growing nr_kdamonds if needed)
# with one context of operations OPS and no target.
sysfs_kdamond()
{
	local nr

	nr=$(cat "$kdamonds/nr_kdamonds")
	[ "$nr" -gt "$1" ] || write_ok "$kdamonds/nr_kdamonds" $(($1 + 1))
	write_ok "$kdamonds/$1/contexts/nr_contexts" 1
	write_ok "$(ctx_dir "$1")/operations" "$2"
	write_ok "$(ctx_dir "$1")/targets/nr_targets" 0
}

# sysfs_target KDAMOND IDX PID [START END]...: target IDX of kdamond
# KDAMOND: process PID, with the given regions.
sysfs_target()
{
	local t=$(ctx_dir "$1")/targets i=0 nr

	nr=$(cat "$t/nr_targets")
	[ "$nr" -gt "$2" ] || write_ok "$t/nr_targets" $(($2 + 1))
	t=$t/$2
	write_ok "$t/pid_target" "$3"
	shift 3
	write_ok "$t/regions/nr_regions" $(($# / 2))
	while [ $# -ge 2 ]; do
		write_ok "$t/regions/$i/start" "$1"
		write_ok "$t/regions/$i/end" "$2"
		i=$((i + 1))
		shift 2
	done
}

# wait_state KDAMOND STATE [SECONDS]: wait until kdamond KDAMOND reads STATE.
wait_state()
{
	local i

	for ((i = 0; i < ${3:-10} * 20; i++)); do
		[ "$(cat "$kdamonds/$1/state")" = "$2" ] && return 0
		sleep 0.05
	done
	fail "kdamond $1 still not $2 after ${3:-10} s"
}
