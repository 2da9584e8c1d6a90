#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module parameters of DAMON_RECLAIM and DAMON_LRU_SORT: the names and
# defaults of mainline's ABI; enabling and disabling; commit_inputs; bad
# input refused with the module left as it was; the exclusive debugfs
# interface refusing and refused; and "enabled" toggled from two shells at
# once leaving one kdamond or none.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"
source "$(dirname "$0")/lib_modules.sh"

skip_unless_root
mods=()
for m in damon_reclaim damon_lru_sort; do
	[ -f "/sys/module/$m/parameters/enabled" ] && mods+=("$m")
done
[ ${#mods[@]} -gt 0 ] || { echo "SKIP: neither DAMON_RECLAIM nor DAMON_LRU_SORT"; exit $KSFT_SKIP; }

[ "$(kdamonds)" -eq 0 ] || fail "a kdamond runs before the test"
# Whatever happens, leave the modules off with their parameters as found,
# and the debugfs interface off, for the tests that come next.
save_params "${mods[@]}"
cleanup()
{
	restore_params "${mods[@]}"
	[ -n "${dbgfs_saved_attrs:-}" ] && dbgfs_restore
}
trap cleanup EXIT
log_start=$(kmsg_mark) || fail "cannot write to /dev/kmsg"
ram=$(largest_ram) || fail "no System RAM in /proc/iomem"

# Mainline 6.12's names and defaults.
common_defaults="enabled=N commit_inputs=N kdamond_pid=-1
quota_ms=10 quota_reset_interval_ms=1000 wmarks_interval=5000000
sample_interval=5000 aggr_interval=100000 min_nr_regions=10
max_nr_regions=1000 monitor_region_start=0 monitor_region_end=0"
damon_reclaim_defaults="min_age=120000000 quota_sz=134217728
quota_mem_pressure_us=0 quota_autotune_feedback=0 skip_anon=N
wmarks_high=500 wmarks_mid=400 wmarks_low=200
nr_reclaim_tried_regions=0 bytes_reclaim_tried_regions=0
nr_reclaimed_regions=0 bytes_reclaimed_regions=0 nr_quota_exceeds=0"
damon_lru_sort_defaults="hot_thres_access_freq=500 cold_min_age=120000000
wmarks_high=200 wmarks_mid=150 wmarks_low=50
nr_lru_sort_tried_hot_regions=0 bytes_lru_sort_tried_hot_regions=0
nr_lru_sorted_hot_regions=0 bytes_lru_sorted_hot_regions=0
nr_hot_quota_exceeds=0 nr_lru_sort_tried_cold_regions=0
bytes_lru_sort_tried_cold_regions=0 nr_lru_sorted_cold_regions=0
bytes_lru_sorted_cold_regions=0 nr_cold_quota_exceeds=0"

# check_defaults MODULE: every parameter of mainline's ABI, with its default.
check_defaults()
{
	local m=$1 p=/sys/module/$1/parameters kv list

	list="$common_defaults"
	[ "$m" = damon_reclaim ] && list+=" $damon_reclaim_defaults"
	[ "$m" = damon_lru_sort ] && list+=" $damon_lru_sort_defaults"
	for kv in $list; do
		[ -f "$p/${kv%%=*}" ] || fail "$m has no parameter ${kv%%=*}"
		reads "$p/${kv%%=*}" "${kv#*=}"
	done
}

# running MODULE: enabled, with a kdamond of its own.
running()
{
	local p=/sys/module/$1/parameters pid

	reads "$p/enabled" Y
	pid=$(cat "$p/kdamond_pid")
	[ "$pid" -gt 0 ] || fail "$1: enabled but kdamond_pid is $pid"
	grep -q '^kdamond' "/proc/$pid/comm" 2>/dev/null ||
		fail "$1: kdamond_pid $pid is not a kdamond"
}

stopped()
{
	reads "/sys/module/$1/parameters/enabled" N
	reads "/sys/module/$1/parameters/kdamond_pid" -1
}

# refused MODULE PARAM VALUE RESTORE WHAT: with PARAM set to VALUE, enabling
# and committing fail with EINVAL and a message containing WHAT in the
# kernel log; the module stays as it was.
refused()
{
	local m=$1 p=/sys/module/$1/parameters pid

	echo "$3" > "$p/$2" || fail "$m: cannot write $3 to $2"
	pid=$(cat "$p/kdamond_pid")
	write_fails "$p/commit_inputs" Y "Invalid argument"
	running "$m"
	reads "$p/kdamond_pid" "$pid"
	kmsg_since "$log_start" | grep -q "$m: .*$5" ||
		fail "$m: no message about $5 in the kernel log"
	echo N > "$p/enabled"
	write_fails "$p/enabled" Y "Invalid argument"
	stopped "$m"
	echo "$4" > "$p/$2"
	write_ok "$p/enabled" Y
}

for m in "${mods[@]}"; do
	p=/sys/module/$m/parameters
	check_defaults "$m"
	save_params "$m"

	# Values that can never be right fail at once and change nothing.
	write_fails "$p/sample_interval" 0 "Invalid argument"
	write_fails "$p/aggr_interval" 0 "Invalid argument"
	write_fails "$p/min_nr_regions" 2 "Invalid argument"
	write_fails "$p/max_nr_regions" 1 "Invalid argument"
	write_fails "$p/quota_reset_interval_ms" -5 "Invalid argument"
	write_fails "$p/enabled" maybe "Invalid argument"
	if [ "$m" = damon_lru_sort ]; then
		write_fails "$p/hot_thres_access_freq" 1001 "Invalid argument"
	fi
	reads "$p/sample_interval" 5000
	reads "$p/min_nr_regions" 10
	stopped "$m"

	# Enabling starts a kdamond on the largest System RAM range.
	always_active "$m"
	write_ok "$p/enabled" Y
	running "$m"
	reads "$p/monitor_region_start" "${ram% *}"
	reads "$p/monitor_region_end" "${ram#* }"
	write_ok "$p/enabled" Y
	running "$m"
	[ "$(kdamonds)" -eq 1 ] || fail "$m: $(kdamonds) kdamonds after enabling twice"

	# Bad combinations: refused on commit and on enable, old settings kept.
	refused "$m" wmarks_mid 1001 1000 "wmarks_high (1000) >= wmarks_mid (1001)"
	refused "$m" wmarks_low 1001 0 "wmarks_low (1001)"
	refused "$m" aggr_interval 4000 100000 \
		"aggr_interval (4000) must be at least sample_interval"
	refused "$m" min_nr_regions 2000 10 \
		"max_nr_regions (1000) must be at least min_nr_regions (2000)"
	refused "$m" monitor_region_start "${ram#* }" "${ram% *}" \
		"monitor_region_start .* must be below monitor_region_end"

	# A good commit keeps the module running with the new values, in the
	# same kdamond: monitoring goes on with what it has learned.
	pid=$(cat "$p/kdamond_pid")
	write_ok "$p/sample_interval" 10000
	write_ok "$p/aggr_interval" 200000
	write_ok "$p/commit_inputs" Y
	reads "$p/commit_inputs" N
	running "$m"
	reads "$p/kdamond_pid" "$pid"
	write_ok "$p/sample_interval" 5000
	write_ok "$p/aggr_interval" 100000
	write_ok "$p/commit_inputs" Y

	write_ok "$p/enabled" N
	stopped "$m"
	write_ok "$p/enabled" N
	# Committing while off only checks.
	write_ok "$p/commit_inputs" Y
	stopped "$m"
	restore_params "$m"
done
[ "$(kdamonds)" -eq 0 ] || fail "kdamonds left: $(kdamonds)"

# The two modules run side by side, non-exclusively.
if [ ${#mods[@]} -eq 2 ]; then
	for m in "${mods[@]}"; do write_ok "/sys/module/$m/parameters/enabled" Y; done
	[ "$(kdamonds)" -eq 2 ] || fail "$(kdamonds) kdamonds with both modules on"
	for m in "${mods[@]}"; do write_ok "/sys/module/$m/parameters/enabled" N; done
fi

# The debugfs interface runs exclusively: the modules are refused while it
# runs, and it is refused while a module runs.
if [ -f "$dbgfs/monitor_on" ]; then
	dbgfs_setup
	trap cleanup EXIT
	write_ok "$dbgfs/target_ids" paddr
	write_ok "$dbgfs/init_regions" "-1 $ram"
	write_ok "$dbgfs/monitor_on" on
	for m in "${mods[@]}"; do
		write_fails "/sys/module/$m/parameters/enabled" Y "Device or resource busy"
		stopped "$m"
		kmsg_since "$log_start" | grep -q "$m: cannot start while an exclusive" ||
			fail "$m: no message about the exclusive debugfs context"
	done
	write_ok "$dbgfs/monitor_on" off
	wait_off
	write_ok "/sys/module/${mods[0]}/parameters/enabled" Y
	write_fails "$dbgfs/monitor_on" on "Device or resource busy"
	write_ok "/sys/module/${mods[0]}/parameters/enabled" N
fi

# "enabled" toggled from two shells at once: each write is served whole,
# and in the end there is one kdamond if the module reads Y, none if N.
for m in "${mods[@]}"; do
	p=/sys/module/$m/parameters
	for s in 1 2; do
		(
			for i in $(seq 40); do
				echo Y > "$p/enabled"
				[ $((i % 7)) -eq 0 ] && echo Y > "$p/commit_inputs"
				echo N > "$p/enabled"
			done 2>/dev/null
		) &
	done
	(for i in $(seq 40); do echo Y > "$p/enabled"; done 2>/dev/null) &
	wait
	case $(cat "$p/enabled") in
	Y) [ "$(kdamonds)" -eq 1 ] || fail "$m: Y with $(kdamonds) kdamonds" ;;
	N) [ "$(kdamonds)" -eq 0 ] || fail "$m: N with $(kdamonds) kdamonds" ;;
	esac
	write_ok "$p/enabled" N
	stopped "$m"
	restore_params "$m"
done
[ "$(kdamonds)" -eq 0 ] || fail "kdamonds left: $(kdamonds)"
no_splat "$log_start"
echo "PASS: ${mods[*]}: parameters, bad input, exclusion, concurrent toggles"
exit $KSFT_PASS
