#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: accuracy and overhead of our DAMON, side by side with the
# base kernel's own DAMON (the "mainline" flavour) and with idle page
# tracking full scans.  Boots each kernel once under qemu, runs
# bench/guest-bench.py in it, then bench/report.py on the host prints the
# tables and targets, and writes build/bench/results.csv and PNG plots.
#
# Environment (all optional):
#   BENCH_SIZES    hold mapping sizes in GiB (default 1,2,4,8)
#   BENCH_MEM      guest memory in MiB (default 10240, less if the host
#                  lacks it; sizes that do not fit are skipped and reported)
#   BENCH_WINDOW   seconds per overhead window (default 10)
#   BENCH_PHASE    seconds per stairs/zigzag phase (default 5)
#   BENCH_KERNELS  which kernels (default "ours mainline")
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
began=$(date +%s)
out=$repo/build/bench
raw=$repo/build/share/bench
sizes=${BENCH_SIZES:-1,2,4,8}
window=${BENCH_WINDOW:-10}
phase=${BENCH_PHASE:-5}
kernels=${BENCH_KERNELS:-ours mainline}

mkdir -p "$out"
rm -rf "$raw"
mkdir -p "$raw"

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

for kernel in $kernels; do
	case $kernel in
	ours) flavour=guest ;;
	mainline) flavour=mainline ;;
	*) echo "bench: unknown kernel $kernel" >&2; exit 2 ;;
	esac
	[ -f "$repo/build/$flavour/arch/x86/boot/bzImage" ] || {
		echo "bench: build/$flavour is not built (make $flavour)" >&2
		exit 2
	}
	echo "bench: $kernel kernel (build/$flavour), $mem MiB guest, $(date -u +%H:%M:%S)"
	GUEST_MEM=$mem "$repo/dev/guest-run.sh" -f "$flavour" -t 2400 \
		"python3 $repo/bench/guest-bench.py --kernel $kernel --out $raw/$kernel --bin $out --sizes $sizes --window $window --phase $phase"
done

echo
python3 "$repo/bench/report.py" --results "$raw" --out "$out" | tee "$out/report.txt"
elapsed=$(($(date +%s) - began))
printf 'bench: done in %d min %02d s\n' $((elapsed / 60)) $((elapsed % 60)) |
	tee -a "$out/report.txt"
