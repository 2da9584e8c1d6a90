#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Contexts of the DAMON debugfs interface: mk_contexts and rm_contexts
# accept names of new and existing contexts only, each context has its own
# settings, all of them start and stop as one group, and a context removed
# while one of its files is open leaves that file failing cleanly.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"

dbgfs_setup
EINVAL="Invalid argument"
EBUSY="Device or resource busy"
lines=$(kmsg_mark) || fail "cannot write to /dev/kmsg"
ram=$(largest_ram) || fail "no System RAM in /proc/iomem"
read -r ram_start ram_end <<< "$ram"
half=$(( (ram_start + (ram_end - ram_start) / 2) & ~4095 ))

write_ok "$dbgfs/mk_contexts" foo
[ -d "$dbgfs/foo" ] || fail "no directory for context foo"
for f in attrs target_ids pids init_regions record kdamond_pid; do
	[ -f "$dbgfs/foo/$f" ] || fail "context foo has no $f"
done
for f in monitor_on mk_contexts rm_contexts; do
	[ -e "$dbgfs/foo/$f" ] && fail "context foo has $f, a root-only file"
done

# Names: no duplicates, no clash with the root files, no paths.
write_fails "$dbgfs/mk_contexts" foo "File exists"
for f in attrs monitor_on mk_contexts; do
	write_fails "$dbgfs/mk_contexts" "$f" "File exists"
done
for bad in "" "a/b" "." ".." "two words"; do
	write_fails "$dbgfs/mk_contexts" "$bad" "$EINVAL"
	write_fails "$dbgfs/rm_contexts" "$bad" "$EINVAL"
done
for f in attrs target_ids monitor_on rm_contexts nosuch; do
	write_fails "$dbgfs/rm_contexts" "$f" "No such file or directory"
	[ -e "$dbgfs/$f" ] || [ "$f" = nosuch ] || fail "rm_contexts removed $f"
done

# Each context has its own settings.
write_ok "$dbgfs/attrs" "5000 100000 1000000 10 1000"
write_ok "$dbgfs/foo/attrs" "10000 200000 2000000 20 2000"
reads "$dbgfs/attrs" "5000 100000 1000000 10 1000"
reads "$dbgfs/foo/attrs" "10000 200000 2000000 20 2000"
write_ok "$dbgfs/pids" paddr
write_ok "$dbgfs/init_regions" "-1 $ram_start $half"
reads "$dbgfs/foo/target_ids" ""

# All contexts start together, and each needs a target.
write_fails "$dbgfs/monitor_on" on "$EINVAL"
reads "$dbgfs/kdamond_pid" none
write_ok "$dbgfs/foo/pids" paddr
write_ok "$dbgfs/foo/init_regions" "-1 $half $ram_end"
write_ok "$dbgfs/monitor_on" on
root_pid=$(cat "$dbgfs/kdamond_pid")
foo_pid=$(cat "$dbgfs/foo/kdamond_pid")
[[ "$root_pid" =~ ^[0-9]+$ && "$foo_pid" =~ ^[0-9]+$ ]] ||
	fail "kdamond pids '$root_pid' and '$foo_pid'"
[ "$root_pid" != "$foo_pid" ] || fail "both contexts share kdamond $root_pid"
write_fails "$dbgfs/foo/attrs" "5000 100000 1000000 10 1000" "$EBUSY"
write_fails "$dbgfs/rm_contexts" foo "$EBUSY"
write_fails "$dbgfs/mk_contexts" bar "$EBUSY"
write_ok "$dbgfs/monitor_on" off
reads "$dbgfs/kdamond_pid" none
reads "$dbgfs/foo/kdamond_pid" none

# A context removed while a file of it is open.
exec 3< "$dbgfs/foo/attrs"
write_ok "$dbgfs/rm_contexts" foo
[ -e "$dbgfs/foo" ] && fail "foo still there after rm_contexts"
if cat <&3 > /dev/null 2>&1; then
	fail "reading a file of a removed context worked"
fi
exec 3<&-
write_fails "$dbgfs/rm_contexts" foo "No such file or directory"

# The name is free again, with fresh settings; many contexts come and go.
write_ok "$dbgfs/mk_contexts" foo
reads "$dbgfs/foo/target_ids" ""
reads "$dbgfs/foo/attrs" "5000 100000 1000000 10 1000"
for i in $(seq 30); do
	write_ok "$dbgfs/mk_contexts" "ctx$i"
done
for i in $(seq 30); do
	write_ok "$dbgfs/rm_contexts" "ctx$i"
done
write_ok "$dbgfs/rm_contexts" foo
[ -z "$(find "$dbgfs" -mindepth 1 -type d)" ] || fail "contexts left behind"

# The default context alone runs again.
write_ok "$dbgfs/monitor_on" on
write_ok "$dbgfs/monitor_on" off
no_splat "$lines"

echo "PASS: contexts are made, used together and removed as expected"
exit $KSFT_PASS
