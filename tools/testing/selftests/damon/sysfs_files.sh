#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The files of DAMON's sysfs interface: the tree and its modes, what each
# file accepts and refuses and with which error, that a refused write
# changes nothing, which writes wait for "commit" and which are refused
# while the kdamond runs, and what "on" refuses.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_sysfs.sh"

sysfs_setup
ctx=$(ctx_dir 0)
huge=18446744073709551616	# 2^64
long=1$(printf '%063d' 0)	# 65 bytes with the newline: too long

# numbers_refused FILE: the usual bad numbers fail and leave FILE as it was.
numbers_refused()
{
	local old

	old=$(cat "$1")
	write_fails "$1" abc "$EINVAL"
	write_fails "$1" "" "$EINVAL"
	write_fails "$1" -1 "$EINVAL"
	write_fails "$1" "1 2" "$EINVAL"
	write_fails "$1" 12abc "$EINVAL"
	write_fails "$1" "$huge" "$ERANGE"
	write_fails "$1" "$long" "$E2BIG"
	write_too_long "$1"
	reads "$1" "$old"
}

# --- the tree, with one of each directory
reads "$kdamonds/nr_kdamonds" 0
write_ok "$kdamonds/nr_kdamonds" 1
write_ok "$kdamonds/0/contexts/nr_contexts" 1
write_ok "$ctx/targets/nr_targets" 1
write_ok "$ctx/targets/0/regions/nr_regions" 1
expected="755 kdamonds
600 kdamonds/nr_kdamonds
755 kdamonds/0
600 kdamonds/0/state
400 kdamonds/0/pid
755 kdamonds/0/contexts
600 kdamonds/0/contexts/nr_contexts
755 kdamonds/0/contexts/0
400 kdamonds/0/contexts/0/avail_operations
600 kdamonds/0/contexts/0/operations
755 kdamonds/0/contexts/0/monitoring_attrs
755 kdamonds/0/contexts/0/monitoring_attrs/intervals
600 kdamonds/0/contexts/0/monitoring_attrs/intervals/sample_us
600 kdamonds/0/contexts/0/monitoring_attrs/intervals/aggr_us
600 kdamonds/0/contexts/0/monitoring_attrs/intervals/update_us
755 kdamonds/0/contexts/0/monitoring_attrs/nr_regions
600 kdamonds/0/contexts/0/monitoring_attrs/nr_regions/min
600 kdamonds/0/contexts/0/monitoring_attrs/nr_regions/max
755 kdamonds/0/contexts/0/report_filters
600 kdamonds/0/contexts/0/report_filters/write_only
600 kdamonds/0/contexts/0/report_filters/cpus
755 kdamonds/0/contexts/0/targets
600 kdamonds/0/contexts/0/targets/nr_targets
755 kdamonds/0/contexts/0/targets/0
600 kdamonds/0/contexts/0/targets/0/pid_target
755 kdamonds/0/contexts/0/targets/0/regions
600 kdamonds/0/contexts/0/targets/0/regions/nr_regions
755 kdamonds/0/contexts/0/targets/0/regions/0
600 kdamonds/0/contexts/0/targets/0/regions/0/start
600 kdamonds/0/contexts/0/targets/0/regions/0/end
755 kdamonds/0/contexts/0/schemes
600 kdamonds/0/contexts/0/schemes/nr_schemes"
# Only root may read or write the files.
tree=$(cd "$admin" && find kdamonds -printf '%m %p\n' | sort)
[ "$tree" = "$(echo "$expected" | sort)" ] ||
	fail "the tree differs from the expected one; it is:
$tree"
for f in $(cd "$admin" && find kdamonds -type f); do
	[ "$(stat -c %u "$admin/$f")" = 0 ] || fail "$f does not belong to root"
done

# --- defaults
reads "$kdamonds/0/state" off
reads "$kdamonds/0/pid" -1
reads "$ctx/operations" vaddr
reads "$ctx/monitoring_attrs/intervals/sample_us" 5000
reads "$ctx/monitoring_attrs/intervals/aggr_us" 100000
reads "$ctx/monitoring_attrs/intervals/update_us" 1000000
reads "$ctx/monitoring_attrs/nr_regions/min" 10
reads "$ctx/monitoring_attrs/nr_regions/max" 1000
reads "$ctx/targets/0/pid_target" 0
reads "$ctx/targets/0/regions/0/start" 0
reads "$ctx/targets/0/regions/0/end" 0
reads "$ctx/schemes/nr_schemes" 0
reads "$ctx/report_filters/write_only" 0
reads "$ctx/report_filters/cpus" all

# --- read-only files
write_fails "$kdamonds/0/pid" 1 "Permission denied"
write_fails "$ctx/avail_operations" vaddr "Permission denied"

# --- nr_* files: numbers up to a limit; children come and go at the end
for f in "$kdamonds/nr_kdamonds" "$kdamonds/0/contexts/nr_contexts" \
	 "$ctx/targets/nr_targets" "$ctx/targets/0/regions/nr_regions"; do
	numbers_refused "$f"
done
write_fails "$kdamonds/nr_kdamonds" 257 "$ERANGE"
write_fails "$kdamonds/0/contexts/nr_contexts" 2 "$ERANGE"
write_fails "$ctx/targets/nr_targets" 1025 "$ERANGE"
write_fails "$ctx/targets/0/regions/nr_regions" 4097 "$ERANGE"
reads "$kdamonds/0/contexts/nr_contexts" 1
write_ok "$ctx/targets/0/pid_target" 42
write_ok "$ctx/targets/nr_targets" 0x3
reads "$ctx/targets/nr_targets" 3
[ -d "$ctx/targets/2/regions" ] || fail "targets/2 is incomplete"
write_ok "$ctx/targets/nr_targets" 1
[ -d "$ctx/targets/1" ] && fail "targets/1 is left"
reads "$ctx/targets/0/pid_target" 42
write_ok "$kdamonds/nr_kdamonds" 3
write_ok "$kdamonds/nr_kdamonds" 1
reads "$ctx/targets/0/pid_target" 42
write_ok "$ctx/targets/0/regions/nr_regions" 100
write_ok "$ctx/targets/0/regions/nr_regions" 1

# --- avail_operations and operations
avail=$(cat "$ctx/avail_operations")
for ops in vaddr fvaddr paddr; do
	echo "$avail" | grep -qx "$ops" || fail "avail_operations lacks $ops"
done
for ops in $avail; do
	write_ok "$ctx/operations" "$ops"
	reads "$ctx/operations" "$ops"
done
write_ok "$ctx/operations" paddr
for bad in foo VADDR "vaddr paddr" ""; do
	write_fails "$ctx/operations" "$bad" "$EINVAL"
done
write_too_long "$ctx/operations"
echo "$avail" | grep -qx paddr_fault ||
	write_fails "$ctx/operations" paddr_fault "$EINVAL"
reads "$ctx/operations" paddr

# --- monitoring attributes: each alone, never-valid values refused
for f in sample_us aggr_us update_us; do
	f=$ctx/monitoring_attrs/intervals/$f
	numbers_refused "$f"
	write_fails "$f" 0 "$ERANGE"
	write_ok "$f" 0x10
	reads "$f" 16
	write_ok "$f" 18446744073709551615
	reads "$f" 18446744073709551615
done
for f in min max; do
	f=$ctx/monitoring_attrs/nr_regions/$f
	numbers_refused "$f"
	write_fails "$f" 2 "$ERANGE"
	write_ok "$f" 3
	reads "$f" 3
done

# --- report filters (ours; mainline has no report-based monitoring)
f=$ctx/report_filters/write_only
for v in 1 y N on; do
	write_ok "$f" "$v"
done
reads "$f" 1
for bad in 2 x "" 1abc ytrash; do
	write_fails "$f" "$bad" "$EINVAL"
done
write_fails "$f" "$long" "$E2BIG"
reads "$f" 1
write_ok "$f" 0
f=$ctx/report_filters/cpus
possible=$(cat /sys/devices/system/cpu/possible)
write_ok "$f" 0
reads "$f" 0
write_ok "$f" "$possible"
reads "$f" "$possible"
# Not empty, and no CPU the machine cannot have (the one past the last).
for bad in "" x 0- "0,$(( ${possible##*[-,]} + 1 ))" 99999999; do
	write_fails "$f" "$bad" "$EINVAL"
done
write_too_long "$f"
reads "$f" "$possible"
write_ok "$f" all
reads "$f" all

# --- targets and regions
f=$ctx/targets/0/pid_target
numbers_refused "$f"
write_ok "$f" 4194304
write_fails "$f" 4194305 "$ERANGE"
reads "$f" 4194304
for f in start end; do
	f=$ctx/targets/0/regions/0/$f
	numbers_refused "$f"
	write_ok "$f" 18446744073709551615
	reads "$f" 18446744073709551615
	write_ok "$f" 0x1000
	reads "$f" 4096
done

# --- schemes: the tree of one scheme with a goal and a filter, defaults,
# and values refused alone (those refused together are for "on", below)
numbers_refused "$ctx/schemes/nr_schemes"
write_fails "$ctx/schemes/nr_schemes" 257 "$ERANGE"
write_ok "$ctx/schemes/nr_schemes" 1
sch=$ctx/schemes/0
write_ok "$sch/quotas/goals/nr_goals" 1
write_ok "$sch/filters/nr_filters" 1
expected="755 0
600 0/action
600 0/target_nid
600 0/apply_interval_us
755 0/access_pattern
755 0/access_pattern/sz
755 0/access_pattern/nr_accesses
755 0/access_pattern/age
755 0/quotas
600 0/quotas/ms
600 0/quotas/bytes
600 0/quotas/reset_interval_ms
400 0/quotas/effective_bytes
755 0/quotas/weights
600 0/quotas/weights/sz_permil
600 0/quotas/weights/nr_accesses_permil
600 0/quotas/weights/age_permil
755 0/quotas/goals
600 0/quotas/goals/nr_goals
755 0/quotas/goals/0
600 0/quotas/goals/0/target_metric
600 0/quotas/goals/0/target_value
600 0/quotas/goals/0/current_value
755 0/watermarks
600 0/watermarks/metric
600 0/watermarks/interval_us
600 0/watermarks/high
600 0/watermarks/mid
600 0/watermarks/low
755 0/filters
600 0/filters/nr_filters
755 0/filters/0
600 0/filters/0/type
600 0/filters/0/matching
600 0/filters/0/memcg_path
600 0/filters/0/addr_start
600 0/filters/0/addr_end
600 0/filters/0/damon_target_idx
755 0/stats
400 0/stats/nr_tried
400 0/stats/sz_tried
400 0/stats/nr_applied
400 0/stats/sz_applied
400 0/stats/qt_exceeds
755 0/tried_regions
400 0/tried_regions/total_bytes"
for r in sz nr_accesses age; do
	expected+="
600 0/access_pattern/$r/min
600 0/access_pattern/$r/max"
done
tree=$(cd "$ctx/schemes" && find 0 -printf '%m %p\n' | sort)
[ "$tree" = "$(echo "$expected" | sort)" ] ||
	fail "the scheme's tree differs from the expected one; it is:
$tree"
reads "$sch/action" stat
reads "$sch/target_nid" -1
reads "$sch/access_pattern/age/min" 0
reads "$sch/access_pattern/sz/max" 18446744073709551615
reads "$sch/watermarks/metric" none
reads "$sch/quotas/goals/0/target_metric" user_input
reads "$sch/filters/0/type" anon
for f in action watermarks/metric quotas/goals/0/target_metric \
	 filters/0/type; do
	old=$(cat "$sch/$f")
	write_fails "$sch/$f" foo "$EINVAL"
	reads "$sch/$f" "$old"
done
for a in willneed cold pageout hugepage nohugepage lru_prio lru_deprio \
	 migrate_hot migrate_cold stat; do
	write_ok "$sch/action" $a
	reads "$sch/action" $a
done
numbers_refused "$sch/access_pattern/nr_accesses/min"
numbers_refused "$sch/quotas/bytes"
write_fails "$sch/quotas/weights/age_permil" 4294967296 "$ERANGE"
write_fails "$sch/quotas/effective_bytes" 1 "Permission denied"
write_fails "$sch/stats/nr_tried" 1 "Permission denied"
write_ok "$sch/filters/0/memcg_path" /a/b
reads "$sch/filters/0/memcg_path" /a/b
# Whole words only, where kstrtobool() would read the first letters.
f=$sch/filters/0/matching
for v in N yes false Y; do
	write_ok "$f" "$v"
done
reads "$f" Y
for bad in 1abc yes-junk x ""; do
	write_fails "$f" "$bad" "$EINVAL"
done
write_fails "$f" "$long" "$E2BIG"
write_fails "$sch/filters/0/type" "$long" "$E2BIG"
reads "$f" Y
write_ok "$ctx/schemes/nr_schemes" 0
reads "$ctx/schemes/nr_schemes" 0

# --- state: commands and what "on" refuses
st=$kdamonds/0/state
for bad in foo ON "on off" ""; do
	write_fails "$st" "$bad" "$EINVAL"
done
write_too_long "$st"
# The scheme commands read a kdamond that is off as having done nothing;
# only a goal commit needs it running.
for cmd in update_schemes_stats update_schemes_tried_bytes \
	   update_schemes_tried_regions clear_schemes_tried_regions \
	   update_schemes_effective_quotas; do
	write_ok "$st" "$cmd"
done
write_fails "$st" commit_schemes_quota_goals "$EINVAL"
write_ok "$st" off
write_fails "$st" commit "$EINVAL"

sleep 1000 &
pid=$!
sysfs_kdamond 0 vaddr
write_fails "$st" on "$EINVAL"				# no target
sysfs_target 0 0 0
write_fails "$st" on "$ESRCH"				# pid 0
write_ok "$ctx/targets/0/pid_target" 4194304
write_fails "$st" on "$ESRCH"				# no such process
write_ok "$ctx/targets/0/pid_target" $pid
a=$ctx/monitoring_attrs
write_ok "$a/intervals/aggr_us" 1000
write_fails "$st" on "$EINVAL"				# aggr < sample
write_ok "$a/intervals/aggr_us" 100000
write_ok "$a/nr_regions/min" 20
write_ok "$a/nr_regions/max" 10
write_fails "$st" on "$EINVAL"				# max < min
write_ok "$a/nr_regions/min" 10
write_ok "$a/nr_regions/max" 1000
write_ok "$ctx/operations" fvaddr
write_fails "$st" on "$EINVAL"				# fvaddr: no region
write_ok "$ctx/operations" paddr
write_fails "$st" on "$EINVAL"				# paddr: no region
sysfs_target 0 0 $pid 8192 4096
write_fails "$st" on "$EINVAL"				# start > end
sysfs_target 0 0 $pid 4096 4096
write_fails "$st" on "$EINVAL"				# empty
sysfs_target 0 0 $pid 4096 16384 8192 32768
write_fails "$st" on "$EINVAL"				# overlapping
sysfs_target 0 0 $pid 16384 32768 4096 8192
write_fails "$st" on "$EINVAL"				# unsorted
write_ok "$kdamonds/0/contexts/nr_contexts" 0
write_fails "$st" on "$EINVAL"				# no context
reads "$st" off
reads "$kdamonds/0/pid" -1

# --- writes while on
sysfs_kdamond 0 vaddr
sysfs_target 0 0 $pid
# what "on" refuses in a scheme
write_ok "$ctx/schemes/nr_schemes" 1
write_ok "$sch/access_pattern/age/min" 2
write_ok "$sch/access_pattern/age/max" 1
write_fails "$st" on "$EINVAL"				# scheme: min > max
write_ok "$sch/access_pattern/age/min" 0
write_ok "$sch/watermarks/metric" free_mem_rate
write_ok "$sch/watermarks/high" 100
write_ok "$sch/watermarks/mid" 200
write_fails "$st" on "$EINVAL"				# high < mid
write_ok "$sch/watermarks/metric" none
write_ok "$sch/action" lru_prio
write_fails "$st" on "$EOPNOTSUPP"			# not for vaddr
write_ok "$ctx/schemes/nr_schemes" 0
write_ok "$st" on
reads "$st" on
kpid=$(cat "$kdamonds/0/pid")
[ "$(cat "/proc/$kpid/comm")" = kdamond.0 ] ||
	grep -q '^kdamond' "/proc/$kpid/comm" || fail "pid $kpid is no kdamond"
write_fails "$st" on "$EBUSY"
write_fails "$kdamonds/0/contexts/nr_contexts" 0 "$EBUSY"
write_fails "$kdamonds/0/contexts/nr_contexts" 1 "$EBUSY"
write_fails "$ctx/operations" paddr "$EBUSY"
write_ok "$ctx/operations" vaddr
write_fails "$kdamonds/nr_kdamonds" 0 "$EBUSY"
write_ok "$kdamonds/nr_kdamonds" 2
write_ok "$kdamonds/nr_kdamonds" 1
# Settings wait for "commit"; a bad one is refused by it.
write_ok "$a/intervals/aggr_us" 1000
write_fails "$st" commit "$EINVAL"
write_ok "$a/intervals/aggr_us" 200000
write_ok "$st" commit
write_ok "$ctx/targets/nr_targets" 0
write_fails "$st" commit "$EINVAL"			# no target
sysfs_target 0 0 $pid
write_ok "$st" commit
reads "$st" on
reads "$kdamonds/0/pid" "$kpid"
write_ok "$st" off
reads "$st" off
reads "$kdamonds/0/pid" -1
[ -d "/proc/$kpid" ] && fail "kdamond $kpid still exists after off"
write_ok "$st" off
kill $pid
wait $pid 2>/dev/null

# --- a kdamond whose targets are gone reads off by itself
sleep 1 &
pid=$!
sysfs_target 0 0 $pid
write_ok "$st" on
wait $pid
wait_state 0 off 10
reads "$kdamonds/0/pid" -1
write_fails "$st" commit "$EINVAL"
write_fails "$st" on "$ESRCH"
write_ok "$kdamonds/nr_kdamonds" 0

echo "PASS: every file takes what it should and refuses the rest"
exit $KSFT_PASS
