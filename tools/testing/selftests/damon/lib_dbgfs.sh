#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests of DAMON's debugfs interface.  Source it after
# lib_damon.sh; don't run it.
#
# dbgfs_setup checks that the interface is there, saves the default
# context's settings and restores them (monitoring off) when the test exits.

dbgfs=$debugfs/damon

# dbgfs_setup: skip unless root with the debugfs interface; arrange the
# restore of the settings at exit.
dbgfs_setup()
{
	skip_unless_root
	if ! grep -qw debugfs /proc/mounts; then
		mount -t debugfs none "$debugfs" 2>/dev/null
	fi
	skip_unless_file "$dbgfs/monitor_on" "DAMON debugfs interface"
	echo off > "$dbgfs/monitor_on"
	dbgfs_saved_attrs=$(cat "$dbgfs/attrs")
	dbgfs_saved_targets=$(cat "$dbgfs/target_ids")
	dbgfs_saved_regions=$(cat "$dbgfs/init_regions")
	dbgfs_saved_record=$(cat "$dbgfs/record")
	trap dbgfs_restore EXIT
}

dbgfs_restore()
{
	local d

	echo off > "$dbgfs/monitor_on" 2>/dev/null
	for d in "$dbgfs"/*/; do
		[ -d "$d" ] && basename "$d" > "$dbgfs/rm_contexts" 2>/dev/null
	done
	echo "$dbgfs_saved_attrs" > "$dbgfs/attrs" 2>/dev/null
	echo "$dbgfs_saved_targets" > "$dbgfs/target_ids" 2>/dev/null
	echo "$dbgfs_saved_regions" > "$dbgfs/init_regions" 2>/dev/null
	echo "$dbgfs_saved_record" > "$dbgfs/record" 2>/dev/null
}

# write_ok FILE VALUE: the write must succeed.
write_ok()
{
	local err

	err=$( { echo "$2" > "$1"; } 2>&1 ) ||
		fail "writing '$2' to ${1#"$dbgfs/"} failed: ${err##*: }"
}

# write_fails FILE VALUE ERROR: the write must fail with ERROR (the text of
# the errno, e.g. "Invalid argument").
write_fails()
{
	local err

	if err=$( { echo "$2" > "$1"; } 2>&1 ); then
		fail "writing '$2' to ${1#"$dbgfs/"} succeeded; expected '$3'"
	fi
	case "$err" in
	*"$3"*) ;;
	*) fail "writing '$2' to ${1#"$dbgfs/"}: '${err##*: }', expected '$3'" ;;
	esac
}

# reads FILE EXPECTED: the file must read EXPECTED (trailing newlines of
# both do not count).
reads()
{
	local got

	got=$(cat "$1") || fail "cannot read ${1#"$dbgfs/"}"
	[ "$got" = "$2" ] ||
		fail "${1#"$dbgfs/"} reads '$got', expected '$2'"
}

# wait_off [SECONDS]: wait until monitoring is off; fail after SECONDS.
wait_off()
{
	local i

	for ((i = 0; i < ${1:-10} * 20; i++)); do
		[ "$(cat "$dbgfs/monitor_on")" = off ] && return 0
		sleep 0.05
	done
	fail "monitoring still on after ${1:-10} s"
}

# largest_ram: "start end" of the largest System RAM range of /proc/iomem,
# end exclusive, in decimal.
largest_ram()
{
	local best=0 bstart=0 range start end

	# No process substitution: the test guest has no /dev/fd.
	for range in $(awk '/: System RAM$/ {print $1}' /proc/iomem); do
		start=$((16#${range%-*}))
		end=$((16#${range#*-} + 1))
		if [ $((end - start)) -gt "$best" ]; then
			best=$((end - start))
			bstart=$start
		fi
	done
	[ "$best" -gt 0 ] || return 1
	echo "$bstart $((bstart + best))"
}

# no_splat SINCE_LINE: fail if the kernel log after line SINCE_LINE holds a
# splat.
no_splat()
{
	local bad

	bad=$(dmesg | tail -n +"$(($1 + 1))" |
	      grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|circular locking|general protection')
	[ -z "$bad" ] || fail "kernel splat: $bad"
}
