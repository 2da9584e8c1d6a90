#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DAMON_RECLAIM and DAMON_LRU_SORT enabled and disabled many times, with
# commits, refused commits and, when they are modules, loads with
# enabled=Y and unloads while running.  In the end no kdamond may be left
# and kmemleak (when the kernel has it) may report nothing.
#
# Environment: DAMON_MODULE_ROUNDS, the number of rounds (default 200).
# When DAMON_KO, DAMON_RECLAIM_KO and DAMON_LRU_SORT_KO give the paths of
# damon.ko, damon_reclaim.ko and damon_lru_sort.ko, they are loaded here
# (dev/check.sh does so on the debug kernel); otherwise the modules
# must be built in.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_modules.sh"

skip_unless_root
rounds=${DAMON_MODULE_ROUNDS:-200}
kmemleak=$debugfs/kmemleak

# load NAME KO [PARAM=VALUE...]
load()
{
	local name=$1 ko=$2

	shift 2
	grep -q "^$name " /proc/modules && return 0
	insmod "$ko" "$@" || fail "insmod $ko $* failed"
}

mods=(damon_reclaim damon_lru_sort)
if [ -n "${DAMON_KO:-}" ]; then
	for ko in "$DAMON_KO" "$DAMON_RECLAIM_KO" "$DAMON_LRU_SORT_KO"; do
		[ -f "$ko" ] || fail "no $ko"
	done
	load damon "$DAMON_KO"
	# Loaded with enabled=Y it runs at once, and unloading stops it.
	load damon_reclaim "$DAMON_RECLAIM_KO" enabled=Y wmarks_high=1000 \
		wmarks_mid=1000 wmarks_low=0 min_age=1000000
	[ "$(cat "$(params damon_reclaim)/enabled")" = Y ] ||
		fail "damon_reclaim loaded with enabled=Y is not enabled"
	[ "$(kdamonds)" -eq 1 ] || fail "enabled=Y at load: $(kdamonds) kdamonds"
	rmmod damon 2>/dev/null && fail "damon unloaded under damon_reclaim"
	rmmod damon_reclaim || fail "cannot unload a running damon_reclaim"
	[ "$(kdamonds)" -eq 0 ] || fail "kdamond left by rmmod damon_reclaim"
	load damon_reclaim "$DAMON_RECLAIM_KO"
	load damon_lru_sort "$DAMON_LRU_SORT_KO"
fi
for m in "${mods[@]}"; do
	skip_unless_file "$(params "$m")/enabled" "$m"
done
[ "$(kdamonds)" -eq 0 ] || fail "a kdamond runs before the test"
if [ -w "$kmemleak" ]; then
	echo scan > "$kmemleak"
	echo clear > "$kmemleak"
fi

save_params "${mods[@]}"
for m in "${mods[@]}"; do
	always_active "$m"
done

for round in $(seq "$rounds"); do
	for m in "${mods[@]}"; do
		p=$(params "$m")
		echo Y > "$p/enabled" || fail "$m: round $round: cannot enable"
		case $((round % 5)) in
		1)	# A good commit.
			echo $((5000 + round)) > "$p/sample_interval"
			echo Y > "$p/commit_inputs" ||
				fail "$m: round $round: commit failed" ;;
		2)	# A bad one, refused, the old settings kept.
			echo 0 > "$p/wmarks_high"
			echo Y > "$p/commit_inputs" 2>/dev/null &&
				fail "$m: round $round: bad commit accepted"
			echo 1000 > "$p/wmarks_high" ;;
		3)	# Both running at once for a moment.
			sleep 0.05 ;;
		esac
		[ "$(cat "$p/enabled")" = Y ] ||
			fail "$m: round $round: not running"
	done
	for m in "${mods[@]}"; do
		echo N > "$(params "$m")/enabled" ||
			fail "$m: round $round: cannot disable"
	done
	[ "$(kdamonds)" -eq 0 ] || fail "round $round: $(kdamonds) kdamonds left"
done

if [ -n "${DAMON_KO:-}" ]; then
	rmmod damon_lru_sort damon_reclaim damon || fail "cannot unload"
else
	restore_params "${mods[@]}"
fi
sleep 0.5
[ "$(kdamonds)" -eq 0 ] || fail "kdamonds left after $rounds rounds"
if [ -w "$kmemleak" ]; then
	echo scan > "$kmemleak"
	sleep 6
	echo scan > "$kmemleak"
	leaks=$(cat "$kmemleak")
	[ -z "$leaks" ] || fail "kmemleak reports leaks: $(echo "$leaks" | head -40)"
	echo "kmemleak: no leak"
else
	echo "kmemleak: not available, leaks not checked"
fi
echo "PASS: $rounds rounds of enable, commit, disable of ${mods[*]}"
exit $KSFT_PASS
