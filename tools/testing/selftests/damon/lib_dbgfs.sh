#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the tests of DAMON's debugfs interface.  Source it after
# lib_damon.sh; don't run it.
#
# dbgfs_setup checks that the interface is there, saves the default
# context's settings and restores them (monitoring off) when the test exits.

dbgfs=$debugfs/damon
# Messages name files relative to this directory.
ksft_dir=$dbgfs

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
