#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# damo against the real kernel: run as root inside the test guest, as
# make check's damo-in-guest stage does (make guest-run CMD=<this script>).
#
# Records a workload with a known hot set (hotset.c) by command line and
# through paddr, and checks that each record draws a non-empty heatmap,
# that the hot band stands out, that the median working set is the hot
# set within +-10 %, and that DAMON's settings are back as they were.
# Prints TAP; exits non-zero if any check failed.  Pictures and records
# are kept in $RESULTS when it is set.
#
# Environment: HOT_MIB (default 128), TOTAL_MIB (512), DURATION (20 s),
# HOTSET (a prebuilt hotset binary; otherwise built with cc),
# HOTSET_FLAGS (extra hotset options, e.g. -n for no THP).
set -u

here=$(cd "$(dirname "$0")" && pwd)
damo=$here/../../damo
work=$(mktemp -d "${TMPDIR:-/tmp}/damo-guest.XXXXXX")
results=${RESULTS:-$work}
hot_mib=${HOT_MIB:-128}
total_mib=${TOTAL_MIB:-512}
duration=${DURATION:-20}
dbgfs=/sys/kernel/debug/damon
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $* # SKIP"; }
check() {	# check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

[ "$(id -u)" = 0 ] || { echo "Bail out! run as root"; exit 1; }
[ -d $dbgfs ] || { echo "Bail out! $dbgfs missing"; exit 1; }

hotset=${HOTSET:-}
if [ -z "$hotset" ]; then
	hotset=$work/hotset
	cc -O2 -static -o "$hotset" "$here/hotset.c" ||
		{ echo "Bail out! cannot build hotset"; exit 1; }
fi

# damon_on: does DAMON monitor, through debugfs or through sysfs (which
# damo uses when the kernel has it)?
damon_on() {
	local s
	[ "$(cat $dbgfs/monitor_on)" = on ] && return 0
	for s in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
		[ -e "$s" ] && [ "$(cat "$s")" = on ] && return 0
	done
	return 1
}

settings() {
	for f in attrs target_ids pids init_regions record monitor_on; do
		[ -e $dbgfs/$f ] && echo "$f: $(cat $dbgfs/$f)"
	done
}

# median_ok RECORD: is the median working set within 10 % of the hot set?
median_ok() {
	local median
	median=$("$damo" report wss -i "$1" --range 50 51 1 --raw_number |
		awk '!/^#/ { print $2; exit }')
	echo "# $(basename "$1"): median working set $median bytes," \
		"hot set $((hot_mib << 20))"
	awk -v m="${median:-0}" -v h=$((hot_mib << 20)) \
		'BEGIN { exit !(m >= 0.9 * h && m <= 1.1 * h) }'
}

# heatmap_ok RECORD PNG [OPTIONS]: draws a non-empty PNG.
heatmap_ok() {
	local rec=$1 png=$2
	shift 2
	"$damo" report heats -i "$rec" --heatmap "$png" "$@" \
		2> "$work/heats.err"
	local rc=$?
	sed 's/^/# /' "$work/heats.err"
	[ $rc = 0 ] && [ -s "$png" ] &&
		[ "$(head -c 4 "$png" | tail -c 3)" = PNG ]
}

# band_ok RECORD START END AREA_END: the hot range [START, END) is accessed
# at least 3 times as often as the cold rest [END, AREA_END).
band_ok() {
	"$damo" report heats -i "$1" --abs --stdout --tres 50 --ares 64 \
		--address_range "$2" "$4" |
	awk -v hot_end=$(($3)) '
		$2 < hot_end { hs += $3; hn++; next }
		{ cs += $3; cn++ }
		END {
			h = hn ? hs / hn : 0; c = cn ? cs / cn : 0
			printf "# hot band: average frequency %.2f, rest %.2f\n", h, c
			exit !(h > 0 && h >= 3 * c)
		}'
}

before=$(settings)
echo "TAP version 13"
echo "# hot set $hot_mib MiB of $total_mib MiB, $duration s per recording"

# 1. A command, monitored until it exits.
vrec=$work/vaddr.data
"$damo" record -o "$vrec" "$hotset" -t "$total_mib" -w "$hot_mib" \
	-d "$duration" ${HOTSET_FLAGS:-} > "$work/vaddr.out" 2>&1
check "record a command" test $? = 0
sed 's/^/# /' "$work/vaddr.out"
hot_start=0 hot_end=0
read -r _ hot_start hot_end <<< "$(grep '^hot ' "$work/vaddr.out")"
check "vaddr heatmap" heatmap_ok "$vrec" "$results/vaddr-heatmap.png"
check "vaddr hot band" band_ok "$vrec" "$hot_start" "$hot_end" \
	$((hot_start + (total_mib << 20)))
check "vaddr median wss" median_ok "$vrec"
check "settings restored after a command" test "$(settings)" = "$before"

# 1b. A running process, by pid, until it exits.
"$hotset" -t 64 -w 16 -d 15 > /dev/null &
pid=$!
"$damo" record -o "$work/pid.data" $pid 2>&1 | sed 's/^/# /'
check "record a pid" test "${PIPESTATUS[0]}" = 0
wait $pid
"$damo" report raw -i "$work/pid.data" > "$work/pid.txt"
check "pid record readable" test $? = 0

# 2. Physical memory while the workload runs.
"$hotset" -t "$total_mib" -w "$hot_mib" -d $((duration + 30)) \
	${HOTSET_FLAGS:-} > "$work/paddr-load.out" &
load=$!
for _ in $(seq 600); do
	grep -q '^hot ' "$work/paddr-load.out" && break
	sleep 0.1
done
prec=$work/paddr.data
"$damo" record --duration "$duration" -o "$prec" paddr 2>&1 | sed 's/^/# /'
check "record paddr" test "${PIPESTATUS[0]}" = 0
kill $load 2>/dev/null
wait $load 2>/dev/null
check "paddr heatmap" heatmap_ok "$prec" "$results/paddr-heatmap.png"
check "paddr median wss" median_ok "$prec"
check "settings restored after paddr" test "$(settings)" = "$before"

# 3. One NUMA node, and the layout it comes from.
"$damo" paddr_layout > "$work/layout.txt" 2>&1
check "paddr_layout" test $? = 0
sed 's/^/# /' "$work/layout.txt"
if [ -e /sys/devices/system/memory/block_size_bytes ] &&
		[ -d /sys/devices/system/node/node0 ]; then
	"$damo" record --duration 3 --numa_node 0 -o "$work/node0.data" \
		paddr 2>&1 | sed 's/^/# /'
	check "record paddr --numa_node 0" test "${PIPESTATUS[0]}" = 0
else
	skip "record paddr --numa_node 0 (no memory block sysfs)"
fi

# 4. Through the tracepoint instead of the record file.
"$damo" record --tracepoint --duration 3 -o "$work/trace.data" paddr \
	2>&1 | sed 's/^/# /'
check "record through the tracepoint" test "${PIPESTATUS[0]}" = 0
"$damo" report nr_regions -i "$work/trace.data" > "$work/trace.txt" 2>&1
check "tracepoint record readable" test $? = 0
sed 's/^/# /' "$work/trace.txt"
check "settings restored at the end" test "$(settings)" = "$before"

# 5. Ctrl-C and SIGTERM: stop and restore.  A background job of a script
# starts with SIGINT ignored, so give SIGINT back its default first.
for sig in INT TERM; do
	timeout -s KILL 120 python3 -c '
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$damo" record -o "$work/$sig.data" \
		paddr > "$work/$sig.out" 2>&1 &
	rec=$!
	# Python starts slowly in an emulated guest: wait for monitoring.
	for _ in $(seq 600); do
		damon_on && break
		sleep 0.1
	done
	sleep 2
	kill -$sig $rec
	wait $rec
	check "SIG$sig ends a recording cleanly" test $? = 0
	sed 's/^/# /' "$work/$sig.out"
	check "settings restored after SIG$sig" test "$(settings)" = "$before"
done

# 6. damo 3.x's spellings: options after TARGET, --timeout, a record
# damo 3.x reads (json_compressed), and live monitoring with start,
# status, report access, tune, record of a running DAMON, and stop.
# Through sysfs when the kernel has it, debugfs otherwise.
iface=debugfs
[ -e /sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds ] && iface=sysfs
echo "# damo 3.x spellings, through $iface"
"$hotset" -t 64 -w 16 -d 60 > /dev/null &
load=$!
"$damo" record "$load" --timeout 5 -o "$work/v3.data" \
	--output_type json_compressed 2>&1 | sed 's/^/# /'
check "record PID --timeout 5 --output_type json_compressed" \
	test "${PIPESTATUS[0]}" = 0
check "json_compressed record is a zlib stream" \
	test "$(od -An -tx1 -N1 "$work/v3.data" | tr -d ' ')" = 78
"$damo" report wss -i "$work/v3.data" > "$work/v3.txt" 2>&1
check "json_compressed record reads back" test $? = 0
kill $load 2>/dev/null
wait $load 2>/dev/null
"$damo" record paddr -o "$work/p3.data" --timeout 3 2>&1 | sed 's/^/# /'
check "record paddr with options after it" test "${PIPESTATUS[0]}" = 0

"$damo" start paddr > "$work/start.out" 2>&1
check "start paddr" test $? = 0
sed 's/^/# /' "$work/start.out"
"$damo" status > "$work/status.out" 2>&1
check "status says on" grep -q '^state: on' "$work/status.out"
sed 's/^/# /' "$work/status.out"
"$damo" report access > "$work/access.out" 2>&1
check "report access takes a live snapshot" grep -q '^total size:' \
	"$work/access.out"
head -5 "$work/access.out" | sed 's/^/# /'
"$damo" tune --aggr 200000 > "$work/tune.out" 2>&1
check "tune the aggregation interval" test $? = 0
sed 's/^/# /' "$work/tune.out"
"$damo" status > "$work/status2.out" 2>&1
check "status shows the tuned interval" grep -q 'aggr 200000 us' \
	"$work/status2.out"
"$damo" record --timeout 3 -o "$work/ongoing.data" 2>&1 | sed 's/^/# /'
check "record the running DAMON" test "${PIPESTATUS[0]}" = 0
"$damo" status > "$work/status3.out" 2>&1
check "still on after recording it" grep -q '^state: on' \
	"$work/status3.out"
"$damo" stop > "$work/stop.out" 2>&1
check "stop" test $? = 0
"$damo" status > "$work/status4.out" 2>&1
check "status says off" grep -q '^state: off' "$work/status4.out"
"$damo" stop > /dev/null 2>&1
check "stop when not running fails" test $? = 1

# DAMON_RECLAIM through damo module / damo reclaim, when the kernel has it:
# enabled with watermarks that keep it working, a value committed while it
# runs, a bad one refused with it still running, then disabled.
if [ -d /sys/module/damon_reclaim/parameters ]; then
	"$damo" module reclaim enable wmarks_high 1000 wmarks_mid 1000 \
		wmarks_low 0 min_age 5000000 > /dev/null 2>&1
	"$damo" reclaim status > "$work/reclaim.out" 2>&1
	check "module reclaim enable" grep -q '^DAMON_RECLAIM: enabled' \
		"$work/reclaim.out"
	check "reclaim status shows the kdamond" grep -qE '^kdamond_pid: [1-9]' \
		"$work/reclaim.out"
	"$damo" reclaim write min_age 6000000 > /dev/null 2>&1
	check "reclaim write commits while running" \
		test "$("$damo" reclaim read min_age)" = "min_age 6000000"
	"$damo" reclaim write wmarks_mid 1001 > "$work/reclaim-bad.out" 2>&1
	check "reclaim refuses bad watermarks" test $? = 1
	"$damo" reclaim write wmarks_mid 1000 > /dev/null 2>&1
	"$damo" reclaim status > "$work/reclaim2.out" 2>&1
	check "still running after the refusal" grep -q '^DAMON_RECLAIM: enabled' \
		"$work/reclaim2.out"
	"$damo" module reclaim disable > /dev/null 2>&1
	"$damo" reclaim status > "$work/reclaim3.out" 2>&1
	check "module reclaim disable" grep -q '^DAMON_RECLAIM: disabled' \
		"$work/reclaim3.out"
	sed 's/^/# /' "$work/reclaim-bad.out" "$work/reclaim2.out" "$work/reclaim3.out"
else
	skip "damo module reclaim: no DAMON_RECLAIM in this kernel"
fi

# 7. DAMOS: a stat scheme on paddr counts tried regions in "damo status",
# through debugfs, and through sysfs when its schemes/ takes schemes.
# tried_ok IFACE: start, wait up to 20 s for nr_tried > 0, stop.
tried_ok() {
	local i tried=0
	"$damo" start --damon_interface "$1" paddr --damos_action stat \
		--damos_access_rate 0% max > "$work/damos-$1.out" 2>&1 ||
		{ sed 's/^/# /' "$work/damos-$1.out"; return 2; }
	for i in $(seq 40); do
		"$damo" status --damon_interface "$1" > "$work/damos-st.out" 2>&1
		tried=$(sed -n 's/.*stats: nr_tried \([0-9]*\),.*/\1/p' \
			"$work/damos-st.out" | head -1)
		[ "${tried:-0}" -gt 0 ] && break
		sleep 0.5
	done
	sed 's/^/# /' "$work/damos-st.out"
	"$damo" stop --damon_interface "$1" > /dev/null 2>&1
	[ "${tried:-0}" -gt 0 ]
}
check "start --damos_action stat counts tried regions (debugfs)" \
	tried_ok debugfs
if [ "$iface" = sysfs ]; then
	tried_ok sysfs
	rc=$?
	if [ $rc = 2 ] && grep -q 'takes no DAMOS schemes' \
			"$work/damos-sysfs.out"; then
		skip "start --damos_action stat (sysfs takes no schemes yet)"
	else
		check "start --damos_action stat counts tried regions (sysfs)" \
			test $rc = 0
	fi
fi
"$damo" schemes --damon_interface debugfs --damos_action stat --timeout 2 \
	paddr > "$work/schemes.out" 2>&1
check "schemes --timeout 2 prints the scheme's stats" \
	grep -q 'stats: nr_tried [1-9]' "$work/schemes.out"
sed 's/^/# /' "$work/schemes.out"

if [ "$results" != "$work" ]; then
	cp "$vrec" "$prec" "$work/layout.txt" "$results/" 2>/dev/null
fi
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
