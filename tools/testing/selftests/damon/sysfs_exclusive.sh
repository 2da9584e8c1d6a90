#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kdamonds of the sysfs interface run side by side, but never beside the
# contexts of the debugfs interface, in either direction: like the readers
# and the writer of a reader-writer lock.  A refused start leaves nothing
# running and the other side untouched.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_sysfs.sh"

sysfs_setup
dbgfs=$debugfs/damon
skip_unless_file "$dbgfs/monitor_on" "DAMON debugfs interface"
[ "$(cat "$dbgfs/monitor_on")" = off ] || fail "debugfs monitoring is on"
saved_targets=$(cat "$dbgfs/target_ids")
restore()
{
	echo off > "$dbgfs/monitor_on" 2>/dev/null
	echo "$saved_targets" > "$dbgfs/target_ids" 2>/dev/null
	sysfs_reset
	kill "$pid" 2>/dev/null
}
trap restore EXIT

sleep 1000 &
pid=$!
write_ok "$dbgfs/target_ids" $pid
for k in 0 1; do
	sysfs_kdamond $k vaddr
	sysfs_target $k 0 $pid
done

# Two sysfs kdamonds at once; debugfs waits for both to stop.
write_ok "$kdamonds/0/state" on
write_ok "$kdamonds/1/state" on
reads "$kdamonds/1/state" on
[ "$(cat "$kdamonds/0/pid")" != "$(cat "$kdamonds/1/pid")" ] ||
	fail "both kdamonds show one pid"
write_fails "$dbgfs/monitor_on" on "$EBUSY"
reads "$dbgfs/monitor_on" off
reads "$dbgfs/kdamond_pid" none
write_ok "$kdamonds/0/state" off
write_fails "$dbgfs/monitor_on" on "$EBUSY"
write_ok "$kdamonds/1/state" off
write_ok "$dbgfs/monitor_on" on

# The debugfs contexts run alone.
reads "$dbgfs/monitor_on" on
write_fails "$kdamonds/0/state" on "$EBUSY"
reads "$kdamonds/0/state" off
reads "$kdamonds/0/pid" -1
write_fails "$kdamonds/0/state" commit "$EINVAL"
write_ok "$dbgfs/monitor_on" off
write_ok "$kdamonds/0/state" on
reads "$kdamonds/0/state" on
write_ok "$kdamonds/0/state" off

echo "PASS: sysfs kdamonds and debugfs contexts exclude each other"
exit $KSFT_PASS
