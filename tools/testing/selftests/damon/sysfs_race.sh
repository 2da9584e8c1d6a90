#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Removing directories of the sysfs interface while kdamonds start, stop,
# commit and run DAMOS commands, for DAMON_RACE_SECONDS (default 30): loops
# that set nr_contexts and nr_targets to 0 and back, resize regions/ and
# kdamonds/, turn kdamonds on and off, commit, and read every file all run
# at once.  Their writes may fail (EBUSY, EINVAL, ENODEV, ...), but the
# kernel must not complain, every kdamond must end, and the tree must work
# afterwards.  A file kept open while its directory goes must refuse
# writes rather than reach what was freed.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_sysfs.sh"

sysfs_setup
seconds=${DAMON_RACE_SECONDS:-30}
log_start=$(kmsg_mark) || fail "cannot write to /dev/kmsg"
counts=$(mktemp -d)
trap 'sysfs_reset; kill $victim 2>/dev/null; rm -rf "$counts"' EXIT

sleep 1000 &
victim=$!
sysfs_kdamond 0 vaddr
sysfs_target 0 0 $victim
sysfs_kdamond 1 paddr
sysfs_target 1 0 0 $(largest_ram)

# A file open while its directory goes.
exec 3> "$kdamonds/1/state"
write_ok "$kdamonds/nr_kdamonds" 1
if echo on >&3 2>/dev/null; then
	fail "a write to the state file of a removed kdamond succeeded"
fi
exec 3>&-
sysfs_kdamond 1 paddr
sysfs_target 1 0 0 $(largest_ram)

end=$((SECONDS + seconds))
k0=$kdamonds/0
c0=$k0/contexts/0

# loop NAME COMMANDS...: run COMMANDS until the end; count the rounds.
loop()
{
	local name=$1 n=0

	shift
	while [ $SECONDS -lt $end ]; do
		"$@" 2>/dev/null
		n=$((n + 1))
	done
	echo $n > "$counts/$name"
}

contexts_churn()
{
	echo 0 > "$k0/contexts/nr_contexts"
	echo 1 > "$k0/contexts/nr_contexts"
	echo 1 > "$c0/targets/nr_targets"
	echo $victim > "$c0/targets/0/pid_target"
}

targets_churn()
{
	echo 0 > "$c0/targets/nr_targets"
	echo 2 > "$c0/targets/nr_targets"
	echo $victim > "$c0/targets/0/pid_target"
	echo $victim > "$c0/targets/1/pid_target"
}

regions_churn()
{
	local r=$c0/targets/0/regions

	echo 1 > "$r/nr_regions"
	echo 4096 > "$r/0/start"
	echo 8192 > "$r/0/end"
	echo 0 > "$r/nr_regions"
}

# Count the successful "on"s and commits, to show the race was run.
states()
{
	local k=$1

	echo on > "$kdamonds/$k/state" && echo >> "$counts/on$k"
	echo commit > "$kdamonds/$k/state" && echo >> "$counts/commit$k"
	echo update_schemes_stats > "$kdamonds/$k/state"
	echo update_schemes_tried_regions > "$kdamonds/$k/state"
	echo off > "$kdamonds/$k/state"
}

kdamonds_churn()
{
	echo 1 > "$kdamonds/nr_kdamonds"
	echo 2 > "$kdamonds/nr_kdamonds"
	echo 1 > "$kdamonds/1/contexts/nr_contexts"
	echo paddr > "$kdamonds/1/contexts/0/operations"
	echo 1 > "$kdamonds/1/contexts/0/targets/nr_targets"
	echo 1 > "$kdamonds/1/contexts/0/targets/0/regions/nr_regions"
	echo 1048576 > "$kdamonds/1/contexts/0/targets/0/regions/0/start"
	echo 67108864 > "$kdamonds/1/contexts/0/targets/0/regions/0/end"
}

read_all()
{
	find "$kdamonds" -type f -perm -0400 -exec cat {} + > /dev/null
}

loop contexts contexts_churn &
loop targets targets_churn &
loop regions regions_churn &
loop states0 states 0 &
loop states1 states 1 &
loop kdamonds kdamonds_churn &
loop reads read_all &
wait_loops=$(jobs -p | grep -v "^$victim$")
for p in $wait_loops; do
	wait "$p"
done

for name in contexts targets regions states0 states1 kdamonds reads; do
	printf '%s %s rounds; ' "$name" "$(cat "$counts/$name")"
done
echo
printf '"on" succeeded %s and %s times, "commit" %s and %s times\n' \
	"$(wc -l < "$counts/on0" 2>/dev/null || echo 0)" \
	"$(wc -l < "$counts/on1" 2>/dev/null || echo 0)" \
	"$(wc -l < "$counts/commit0" 2>/dev/null || echo 0)" \
	"$(wc -l < "$counts/commit1" 2>/dev/null || echo 0)"
[ -s "$counts/on0" ] && [ -s "$counts/commit0" ] ||
	fail "kdamond 0 never started and committed: the race did not run"

# Everything stops, and the tree still works.
sysfs_reset
reads "$kdamonds/nr_kdamonds" 0
sleep 0.5
if grep -q '^kdamond' /proc/[0-9]*/comm 2>/dev/null; then
	fail "a kdamond is left"
fi
sysfs_kdamond 0 vaddr
sysfs_target 0 0 $victim
write_ok "$kdamonds/0/state" on
write_ok "$kdamonds/0/state" commit
write_ok "$kdamonds/0/state" off
no_splat "$log_start"

echo "PASS: no splat after $seconds s of removals racing with commands"
exit $KSFT_PASS
