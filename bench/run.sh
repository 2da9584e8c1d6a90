#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: accuracy and overhead of our DAMON, side by side with the
# base kernel's own DAMON (the "mainline" flavour) and with idle page
# tracking full scans.  Boots each kernel once under qemu, runs
# bench/guest-bench.py in it, then bench/report.py on the host prints the
# tables and targets, and writes build/bench/results.csv and PNG plots.
# The paddr_fault part (our kernel only) runs in the same boot of our
# kernel, or in one of its own without the monitor part, and report.py
# gives it a table of its own: paddr_fault next to paddr.
# Then the reclaim part: each kernel boots again for bench/reclaim-bench.py
# (DAMON_RECLAIM against a 1 GiB workload), and bench/reclaim-report.py
# prints its table.
#
# Environment (all optional):
#   BENCH_SIZES    hold mapping sizes in GiB (default 1,2,4,8)
#   BENCH_MEM      guest memory in MiB (default 10240, less if the host
#                  lacks it; sizes that do not fit are skipped and reported)
#   BENCH_WINDOW   seconds per overhead window (default 8)
#   BENCH_PHASE    seconds per stairs/zigzag phase (default 5)
#   BENCH_KERNELS  which kernels (default "ours mainline")
#   BENCH_PARTS    which parts (default "monitor paddr_fault reclaim";
#                  "reclaim" alone runs only the DAMON_RECLAIM comparison,
#                  in ~15 min; "paddr_fault" alone boots only our kernel,
#                  in ~6 min: paddr_fault next to paddr)
#   BENCH_FAULT_SIZES  hold sizes in GiB of the paddr_fault part
#                  (default 1,4)
#   BENCH_RECLAIM_S  seconds of reclaim per kernel (default 150)
#   GUEST_HOST_TSC 1 by default here: the guests keep time with the host's
#                  TSC, so that schedstat and the sampling intervals are
#                  not rounded to 4 ms jiffies (0 for the jiffies clock
#                  that make check's guests use)
#   BENCH_EXTRAS   1 adds the variants that explain rather than meet a
#                  target (default 0; about 8 minutes more): ours without
#                  the translation flush (accuracy, overhead, reclaim) and
#                  with the waiting flush of earlier runs (overhead)
#   BENCH_ORDER    forward or reverse (default: one of them at random):
#                  reverse boots the kernels in the opposite order and runs
#                  the accuracy scenarios last to first, so that neither
#                  the kernel nor the scenario that runs first after boot
#                  is always the same one
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export GUEST_HOST_TSC=${GUEST_HOST_TSC:-1}
began=$(date +%s)
out=$repo/build/bench
raw=$repo/build/share/bench
sizes=${BENCH_SIZES:-1,2,4,8}
window=${BENCH_WINDOW:-8}
phase=${BENCH_PHASE:-5}
kernels=${BENCH_KERNELS:-ours mainline}
parts=${BENCH_PARTS:-monitor paddr_fault reclaim}
fault_sizes=${BENCH_FAULT_SIZES:-1,4}
reclaim_s=${BENCH_RECLAIM_S:-150}
extras=
[ "${BENCH_EXTRAS:-0}" = 1 ] && extras=--extras

order=${BENCH_ORDER:-$( ((RANDOM % 2)) && echo reverse || echo forward)}
case $order in
forward) ;;
reverse) kernels=$(echo $kernels | tr ' ' '\n' | tac | tr '\n' ' ') ;;
*) echo "bench: BENCH_ORDER is forward or reverse" >&2; exit 2 ;;
esac
echo "bench: order $order (BENCH_ORDER=$order repeats it)"

mkdir -p "$out" "$raw"

# The programs run in the guest from the host's file system: static, so
# that they do not depend on anything but the kernel.
gcc -O2 -Wall -static -o "$out/workload" "$repo/bench/workload.c"
gcc -O2 -Wall -static -o "$out/page_idle_scan" "$repo/bench/page_idle_scan.c"

# As much guest memory as asked for, but leave the host 2 GiB.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
mem=${BENCH_MEM:-10240}
if [ "$mem" -gt $((avail - 2048)) ]; then
	mem=$((avail - 2048))
	echo "bench: the host has $avail MiB available; guest memory cut to $mem MiB"
fi

flavour_of() {
	case $1 in
	ours) echo guest ;;
	mainline) echo mainline ;;
	*) echo "bench: unknown kernel $1" >&2; exit 2 ;;
	esac
}

for kernel in $kernels; do
	flavour=$(flavour_of "$kernel")
	[ -f "$repo/build/$flavour/arch/x86/boot/bzImage" ] || {
		echo "bench: build/$flavour is not built (make $flavour)" >&2
		exit 2
	}
done

# paddr_fault exists only in our kernel: its part runs in our kernel's
# boot of the monitor part, or in a boot of its own without that part.
has() { [[ " $parts " == *" $1 "* ]]; }
if has monitor || has paddr_fault; then
	rm -rf "${raw:?}"/ours "${raw:?}"/mainline
	run_kernels=$kernels
	# Without the monitor part only our kernel boots, if asked for.
	has monitor || run_kernels=$(for k in $kernels; do [ "$k" = ours ] && echo ours; done)
	for kernel in $run_kernels; do
		flavour=$(flavour_of "$kernel")
		only=
		has monitor && only=acc,ovh
		[ "$kernel" = ours ] && has paddr_fault && only=${only:+$only,}fault
		echo "bench: $kernel kernel (build/$flavour), $mem MiB guest, parts $only, $(date -u +%H:%M:%S), host load $(cut -d' ' -f1-3 /proc/loadavg)"
		GUEST_MEM=$mem "$repo/dev/guest-run.sh" -f "$flavour" -t 2400 \
			"python3 $repo/bench/guest-bench.py --kernel $kernel --out $raw/$kernel --bin $out --sizes $sizes --fault-sizes $fault_sizes --window $window --phase $phase --order $order --only $only $extras"
	done
	echo
	python3 "$repo/bench/report.py" --results "$raw" --out "$out" | tee "$out/report.txt"
fi

# DAMON_RECLAIM, ours against mainline's: 1 GiB of workload, zram swap, in
# a 2 GiB guest, whose RAM is one range: the modules' default region.
if has reclaim; then
	rm -rf "$raw/reclaim"
	for kernel in $kernels; do
		flavour=$(flavour_of "$kernel")
		echo "bench: reclaim, $kernel kernel (build/$flavour), $(date -u +%H:%M:%S), host load $(cut -d' ' -f1-3 /proc/loadavg)"
		GUEST_MEM=2048 "$repo/dev/guest-run.sh" -f "$flavour" -t $((reclaim_s + 600)) \
			"python3 $repo/bench/reclaim-bench.py --kernel $kernel --out $raw/reclaim/$kernel --bin $out --reclaim $reclaim_s $extras"
	done
	echo
	# Its figures go with the others in results.csv (which report.py
	# starts afresh).
	has monitor || has paddr_fault || rm -f "$out/results.csv"
	echo "bench: reclaim done $(date -u +%H:%M:%S), host load $(cut -d' ' -f1-3 /proc/loadavg)"
	python3 "$repo/bench/reclaim-report.py" --results "$raw/reclaim" \
		--csv "$out/results.csv" | tee "$out/reclaim-report.txt"
fi
elapsed=$(($(date +%s) - began))
printf 'bench: done in %d min %02d s\n' $((elapsed / 60)) $((elapsed % 60))
