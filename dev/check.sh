#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite (make check): build, boot and test our DAMON.
#
# Stages, in order: KUnit under UML; the guest kernel; KUnit suites again in
# the booted guest; our kselftests in the guest; the kernel's own DAMON
# selftests from the base tarball, unchanged, in the same guest
# (compatibility, with dev/upstream-selftests.xfail); damo's tests; and the
# debug kernel (KASAN, lockdep, kmemleak, UBSAN, panic_on_warn, DAMON as a
# module): the DAMON suites chosen for it (DEBUG_SUITES below), then
# damon.ko loaded and unloaded 100 times.  Prints a table of stage times
# and ends with "N passed, N failed, N skipped".
#
# With "debug" (make check-debug), every stage that boots uses the debug
# kernel, with damon.ko loaded first, and all of our kselftests run there.
#
# Usage: dev/check.sh [guest|debug]
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:-guest}
build=$repo/build
logs=$build/check-logs/$flavour
# Kernel builds take this lock (shared between clones with DAMON_BUILD_LOCK).
lock=${DAMON_BUILD_LOCK:-$build/.lock}
mkdir -p "$logs"
rm -f "$logs"/*.log
# Compile paths relative to the clone, so ccache hits across fresh clones.
export CCACHE_BASEDIR=$repo CCACHE_NOHASHDIR=1

total_pass=0 total_fail=0 total_skip=0
table=()

# stage NAME FUNCTION: run FUNCTION, which prints "PASS FAIL SKIP" last.
stage() {
	local name=$1 fn=$2 t0 t1 counts p f s
	echo
	echo "=== $name ==="
	t0=$(date +%s)
	counts=$($fn 2> >(tee -a "$logs/$name.log" >&2) | tee -a "$logs/$name.log" | tail -1)
	t1=$(date +%s)
	read -r p f s <<< "$counts"
	if ! [[ "$p" =~ ^[0-9]+$ && "$f" =~ ^[0-9]+$ && "$s" =~ ^[0-9]+$ ]]; then
		p=0 f=1 s=0
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
	last_fail=$f
	table+=("$(printf '%-22s %6ss %6s %6s %6s' "$name" $((t1 - t0)) "$p" "$f" "$s")")
	echo "--- $name: $p passed, $f failed, $s skipped ($((t1 - t0)) s)"
}

# Build steps print their log only when they fail.
quiet() {
	local log=$1
	shift
	if ! "$@" > "$log" 2>&1; then
		tail -40 "$log" >&2
		return 1
	fi
}

st_deps() {
	quiet "$logs/deps.out" "$repo/dev/install-deps.sh" && echo 1 0 0 || echo 0 1 0
}

# The include/call directions between our C files (dev/layers.txt).
st_layers() {
	"$repo/dev/layers.py" >&2 && echo 1 0 0 || echo 0 1 0
}

st_assemble() {
	quiet "$logs/assemble.out" flock "$lock" "$repo/dev/assemble.sh" &&
		tail -1 "$logs/assemble.out" >&2 && echo 1 0 0 || echo 0 1 0
}

# The patch series (dev/series.py): made, applied with git am onto the
# base, proven equal to the assembled tree, checkpatch'ed and kernel-doc'ed.
st_series() {
	if ! "$repo/dev/series.py" make > "$logs/series.out" 2>&1; then
		cat "$logs/series.out" >&2
		echo 0 1 0
		return
	fi
	"$repo/dev/series.py" verify >> "$logs/series.out" 2>&1
	grep -v '^ok ' "$logs/series.out" >&2
	tail -1 "$logs/series.out"
}

# Our Documentation/ pages, built as HTML with Sphinx: no warning.
st_docs() {
	"$repo/dev/docs.sh"
}

st_kunit() {
	local json=$logs/kunit.json
	rm -f "$json"
	(cd "$build/linux" && flock "$lock" python3 tools/testing/kunit/kunit.py run \
		--kunitconfig=mm/damon/.kunitconfig --build_dir="$build/kunit" \
		--make_options="CC=ccache gcc" --jobs="$(nproc)" --json="$json") \
		> "$logs/kunit.out" 2>&1
	grep -E '^\[..:..:..\] (Testing complete|=+ (PASSED|FAILED|SKIPPED)|.*(FAILED|ERROR))' \
		"$logs/kunit.out" | tail -30 >&2
	if [ ! -s "$json" ]; then
		tail -40 "$logs/kunit.out" >&2
		echo 0 1 0
		return
	fi
	python3 "$repo/dev/count.py" kunit-json "$json"
}

st_guest_build() {
	quiet "$logs/guest-build.out" flock "$lock" \
		"$repo/dev/build-kernel.sh" "$flavour" && echo 1 0 0 || echo 0 1 0
}

# The debug flavour builds DAMON as a module: load it before the command.
guest_run() {
	local cmd=${*: -1}

	if [ "$flavour" = debug ]; then
		cmd="insmod $build/debug/mm/damon/damon.ko && $cmd"
	fi
	"$repo/dev/guest-run.sh" -f "$flavour" "${@:1:$#-1}" "$cmd"
}

st_kunit_guest() {
	local out=$logs/kunit-guest.out
	# Run DAMON's KUnit suites at boot of the real guest kernel.
	guest_run -t 600 -a 'kunit.filter_glob=damon*' \
		'dmesg' > "$out" 2>&1
	(cd "$build/linux" && python3 tools/testing/kunit/kunit.py parse \
		--json="$logs/kunit-guest.json" "$out") > "$logs/kunit-guest.parse" 2>&1
	grep -E 'Testing complete|FAILED|CRASHED' "$logs/kunit-guest.parse" | tail -20 >&2
	python3 "$repo/dev/count.py" kunit-json "$logs/kunit-guest.json"
}

# Build a selftests target on the host so the guest only runs it; OUT must
# be below build/share, which the guest can write.
ksft_build() {
	local tree=$1 out=$2
	make -C "$tree/tools/testing/selftests" TARGETS=damon O="$out" \
		> "$logs/ksft-build-$(basename "$out").out" 2>&1
}

# make check-debug runs the sysfs fuzz at the debugfs fuzz's full counts
# (about 15 minutes on the debug kernel), so each test gets more time there.
SYSFS_FUZZ_LONG="DAMON_SYSFS_FUZZ_WRITES=500 DAMON_SYSFS_FUZZ_CYCLES=10000
	DAMON_SYSFS_FUZZ_RACES=1000 DAMON_DAMOS_FUZZ_OPS=3000"

st_selftests() {
	local out=$build/share/ksft/ours limit=2400 long=

	ksft_build "$build/linux" "$out" || { tail -20 "$logs/ksft-build-ours.out" >&2; echo 0 1 0; return; }
	if [ "$flavour" = debug ]; then
		long="$(echo $SYSFS_FUZZ_LONG) kselftest_override_timeout=1800"
		limit=7200
	fi
	# A swap disk, so that DAMOS pageout really frees anonymous memory.
	guest_run -t $limit -s 1024 -e kselftest_override_timeout \
		"$long make -s -C $build/linux/tools/testing/selftests TARGETS=damon O=$out run_tests" \
		> "$logs/selftests.tap" 2>&1
	cat "$logs/selftests.tap" >&2
	python3 "$repo/dev/count.py" ksft "$logs/selftests.tap"
}

st_upstream() {
	local out=$build/share/ksft/upstream
	local tree=$build/pristine/linux-source-6.12
	ksft_build "$tree" "$out" || { tail -20 "$logs/ksft-build-upstream.out" >&2; echo 0 1 0; return; }
	# building_out_of_srctree: run the tests from $out, beside the
	# programs they start (access_memory...), as a kernel-level O= build
	# would; from the source directory they would not find them.
	kselftest_override_timeout=300 guest_run -t 3000 -e kselftest_override_timeout \
		"make -s -C $tree/tools/testing/selftests TARGETS=damon O=$out building_out_of_srctree=1 run_tests" \
		> "$logs/upstream.tap" 2>&1
	grep -E '^(not )?ok ' "$logs/upstream.tap" >&2
	python3 "$repo/dev/count.py" ksft "$logs/upstream.tap" \
		"$repo/dev/upstream-selftests.xfail"
}

st_damo() {
	if [ ! -d "$repo/tools/damon/tests" ]; then
		echo 0 0 1
		return
	fi
	# -t names the top so that the count is the same from any directory.
	python3 -m unittest discover -s "$repo/tools/damon/tests" \
		-t "$repo/tools/damon" > "$logs/damo.out" 2>&1
	tail -5 "$logs/damo.out" >&2
	python3 "$repo/dev/count.py" unittest "$logs/damo.out"
}

st_damo_guest() {
	local out=$logs/damo-guest.out
	# damo against the real kernel: record a command, a pid and paddr,
	# and damo 3.x's spellings (start/status/tune/stop, record --timeout).
	DURATION=8 guest_run -t 900 -e DURATION "$repo/tools/damon/tests/guest/run.sh" \
		> "$out" 2>&1
	tail -25 "$out" >&2
	python3 "$repo/dev/count.py" ktap "$out"
}

# The debug kernel: KASAN, lockdep, kmemleak, UBSAN and panic_on_warn,
# with DAMON as a module, so that one kernel serves both the module
# reloads and the debug runs (dev/DEBUG-CI.md says why).
st_debug_build() {
	quiet "$logs/debug-build.out" flock "$lock" \
		"$repo/dev/build-kernel.sh" debug && echo 1 0 0 || echo 0 1 0
}

# The DAMON suites that run once on the debug kernel in make check: those
# that drive the kernel hardest (fuzz, stress, fault injection, hostile
# record files, rollback, lock stalls, sysfs directories removed under
# running kdamonds, every sysfs file's good and bad values, paddr_fault's
# protection changes and faults beside NUMA balancing), with the fuzz
# counts cut to fit (and only every third allocation of a new scheme
# directory failed) and 20 s of sysfs races; make check-debug runs all of
# them, with full counts.
DEBUG_SUITES="dbgfs_fuzz.py dbgfs_fault_injection.py dbgfs_record_safety.py
	dbgfs_rollback.py dbgfs_lock_stalls.py sysfs_fault_injection.py
	damos_sysfs_fuzz.py sysfs_race.sh sysfs_files.sh paddr_fault_accuracy.py
	paddr_fault_filters.py"

st_debug_suites() {
	local out=$build/share/ksft/ours ko=$build/debug/mm/damon/damon.ko

	ksft_build "$build/linux" "$out" || { echo 0 1 0; return; }
	kselftest_override_timeout=900 \
	DAMON_FUZZ_WRITES=100 DAMON_FUZZ_CYCLES=1000 DAMON_FUZZ_RACES=200 \
	DAMON_DAMOS_FUZZ_OPS=300 DAMON_FAULT_STRIDE=3 DAMON_RACE_SECONDS=20 \
		"$repo/dev/guest-run.sh" -f debug -t 1800 -e kselftest_override_timeout \
		-e DAMON_FUZZ_WRITES -e DAMON_FUZZ_CYCLES -e DAMON_FUZZ_RACES \
		-e DAMON_DAMOS_FUZZ_OPS -e DAMON_FAULT_STRIDE -e DAMON_RACE_SECONDS \
		"insmod $ko && make -s -C $build/linux/tools/testing/selftests TARGETS=damon O=$out TEST_PROGS='$(echo $DEBUG_SUITES)' run_tests; rmmod damon" \
		> "$logs/debug-suites.tap" 2>&1
	cat "$logs/debug-suites.tap" >&2
	python3 "$repo/dev/count.py" ksft "$logs/debug-suites.tap"
}

# DAMON as a module: the debug kernel loads, uses and unloads damon.ko 30
# times in make check (about 140 s), 100 times in make check-debug; no
# leak and no kdamond may be left.
st_module_reload() {
	local out=$logs/module-reload.out rounds=30

	[ "$flavour" = debug ] && rounds=100
	DAMON_KO=$build/debug/mm/damon/damon.ko DAMON_RELOADS=$rounds \
		"$repo/dev/guest-run.sh" -f debug -t 1500 -e DAMON_KO -e DAMON_RELOADS \
		"$repo/tools/testing/selftests/damon/module_reload.sh" > "$out" 2>&1
	case $? in
	0) tail -3 "$out" >&2; echo 1 0 0 ;;
	4) tail -3 "$out" >&2; echo 0 0 1 ;;
	*) tail -40 "$out" >&2; echo 0 1 0 ;;
	esac
}

# DAMON_RECLAIM and DAMON_LRU_SORT.  Built in, they start from the kernel
# command line (modules-boot); as modules over damon.ko on the debug kernel
# (KASAN, lockdep, kmemleak) they load with enabled=Y, unload while
# running, and go through rounds of enable, commit, bad commit and disable
# with no leak and no kdamond left (module-users): 20 rounds in make
# check, 200 in make check-debug.
st_modules_boot() {
	local out=$logs/modules-boot.out

	guest_run -t 300 -a "damon_reclaim.enabled=Y damon_reclaim.min_age=7000000 damon_lru_sort.enabled=Y damon_lru_sort.hot_thres_access_freq=700" \
		"$repo/tools/testing/selftests/damon/modules_boot.sh" > "$out" 2>&1
	case $? in
	0) tail -1 "$out" >&2; echo 1 0 0 ;;
	4) tail -1 "$out" >&2; echo 0 0 1 ;;
	*) tail -40 "$out" >&2; echo 0 1 0 ;;
	esac
}

st_module_users() {
	local out=$logs/module-users.out d=$build/debug/mm/damon rounds=20

	[ "$flavour" = debug ] && rounds=200
	DAMON_KO=$d/damon.ko DAMON_RECLAIM_KO=$d/damon_reclaim.ko \
		DAMON_LRU_SORT_KO=$d/damon_lru_sort.ko DAMON_MODULE_ROUNDS=$rounds \
		"$repo/dev/guest-run.sh" -f debug -t 1200 -e DAMON_KO \
		-e DAMON_RECLAIM_KO -e DAMON_LRU_SORT_KO -e DAMON_MODULE_ROUNDS \
		"$repo/tools/testing/selftests/damon/modules_stress.sh" > "$out" 2>&1
	case $? in
	0) tail -2 "$out" >&2; echo 1 0 0 ;;
	4) tail -2 "$out" >&2; echo 0 0 1 ;;
	*) tail -40 "$out" >&2; echo 0 1 0 ;;
	esac
}

# Each kselftest may take up to 300 s (the suite's settings file says the
# same): the fuzz suites take about a minute on an idle machine and hit 120 s
# on a loaded one.
export kselftest_override_timeout=${kselftest_override_timeout:-300}

stage deps st_deps
stage layers st_layers
stage assemble st_assemble
stage series st_series
stage docs st_docs
stage kunit st_kunit
stage "$flavour-build" st_guest_build
guest_ok=$last_fail
if [ "$guest_ok" -eq 0 ]; then
	stage kunit-in-guest st_kunit_guest
	stage selftests st_selftests
	stage upstream-selftests st_upstream
	stage modules-boot st_modules_boot
fi
stage damo st_damo
if [ "$guest_ok" -eq 0 ]; then
	stage damo-in-guest st_damo_guest
fi
if [ "$flavour" = guest ]; then
	stage debug-build st_debug_build
	if [ "$last_fail" -eq 0 ]; then
		stage debug-suites st_debug_suites
		stage module-reload st_module_reload
		stage module-users st_module_users
	fi
else
	if [ "$guest_ok" -eq 0 ]; then
		stage module-reload st_module_reload
		stage module-users st_module_users
	fi
fi

echo
echo "=== summary ($flavour) ==="
printf '%-22s %7s %6s %6s %6s\n' stage time passed failed skipped
printf '%s\n' "${table[@]}"
echo "logs: $logs"
if [ $total_skip -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ $total_fail -eq 0 ]
