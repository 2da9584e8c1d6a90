#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-profile: where kdamond's time goes, ours against mainline's.
# Boots the profile flavour (our kernel + ftrace's function profiler) and
# the mainline-profile flavour (the base kernel's own DAMON + the same),
# runs bench/profile-guest.py in each on the 'hold' workload, vaddr and
# paddr, and prints the breakdown of one sampling interval with
# bench/profile-report.py.  Not part of make check or make bench.
#
# Environment (all optional):
#   PROFILE_SIZES    hold mapping sizes in GiB (default 1,4)
#   PROFILE_WINDOW   seconds per window (default 10)
#   PROFILE_MEM      guest memory in MiB (default 6144)
#   PROFILE_KERNELS  which kernels (default "ours mainline")
#   PROFILE_ORDER    forward or reverse (default: one of them at random),
#                    the order the kernels boot in
#   PROFILE_NOFLUSH  1: our translation flush off (flush_sampled_tlb=N)
#   PROFILE_TSC_KHZ  the host's TSC frequency in kHz (default: from the
#                    host's kernel log)
#
# The guest must have a nanosecond clock.  Without ACPI (tinyconfig) it has
# no HPET or PM timer to calibrate its TSC against, so it falls back to
# the jiffies clocksource: sched_clock(), the function profiler, schedstat
# and hrtimers then all move in 4 ms ticks (a 5 ms sampling interval
# becomes 8 ms).  Under TCG the guest's TSC is the host's, so its
# frequency is given on the command line (tsc_early_khz=, tsc=reliable).
#
# bench/profile.sh tlb-order instead boots each kernel once for
# bench/tlb-order-guest.py: whether DAMON without a flush sees accesses
# depends on what ran before it (TLB_ORDER_STEPS, default
# probe,churn,probe,madvwarm,probe, then flushwarm,probe on ours), with
# the guest's clock as make bench has it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/bench
raw=$repo/build/share/profile
sizes=${PROFILE_SIZES:-1,4}
window=${PROFILE_WINDOW:-10}
mem=${PROFILE_MEM:-6144}
kernels=${PROFILE_KERNELS:-ours mainline}
order=${PROFILE_ORDER:-$( ((RANDOM % 2)) && echo reverse || echo forward)}
[ "$order" = reverse ] && kernels=$(echo "$kernels" | tr ' ' '\n' | tac | tr '\n' ' ')
extra='' suffix=''
[ "${PROFILE_NOFLUSH:-0}" = 1 ] && extra=--noflush suffix=-noflush
tsc_khz=${PROFILE_TSC_KHZ:-$( (dmesg 2>/dev/null || true) |
	sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p;s/.*tsc: Detected \([0-9.]*\) MHz.*/\1/p' |
	tail -1 | awk '{ printf "%d", $1 * 1000 }')}
[ -n "$tsc_khz" ] || { echo "bench-profile: set PROFILE_TSC_KHZ (the host's TSC kHz)" >&2; exit 2; }
clock="tsc_early_khz=$tsc_khz tsc=reliable"
echo "bench-profile: order $order, sizes $sizes GiB, $window s windows, guest TSC $tsc_khz kHz, host load $(cut -d' ' -f1-3 /proc/loadavg)"

mkdir -p "$out" "$raw"
gcc -O2 -Wall -static -o "$out/workload" "$repo/bench/workload.c"

flavour_of() {
	case $1 in
	ours) echo profile ;;
	mainline) echo mainline-profile ;;
	*) echo "bench-profile: unknown kernel $1" >&2; exit 2 ;;
	esac
}

if [ "${1:-}" = tlb-order ]; then
	for kernel in $kernels; do
		steps=${TLB_ORDER_STEPS:-probe,churn,probe,madvwarm,probe}
		[ "$kernel" = ours ] && [ -z "${TLB_ORDER_STEPS:-}" ] &&
			steps=$steps,flushwarm,probe
		rm -rf "${raw:?}/tlb-order-$kernel"
		echo "bench-profile: tlb-order, $kernel, $steps, $(date -u +%H:%M:%S), host load $(cut -d' ' -f1-3 /proc/loadavg)"
		GUEST_MEM=$mem "$repo/dev/guest-run.sh" -f "$(flavour_of "$kernel")" -t 1200 \
			"python3 $repo/bench/tlb-order-guest.py --kernel $kernel --out $raw/tlb-order-$kernel --bin $out --steps $steps"
	done
	exit 0
fi

dirs=()
for kernel in $kernels; do
	flavour=$(flavour_of "$kernel")
	[ -f "$repo/build/$flavour/arch/x86/boot/bzImage" ] || {
		echo "bench-profile: build/$flavour is not built (make $flavour)" >&2
		exit 2
	}
	dir=$raw/$kernel$suffix
	rm -rf "${dir:?}"
	echo "bench-profile: $kernel kernel (build/$flavour), $(date -u +%H:%M:%S)"
	GUEST_MEM=$mem "$repo/dev/guest-run.sh" -f "$flavour" -t 1800 -a "$clock" \
		"python3 $repo/bench/profile-guest.py --kernel $kernel --out $dir --bin $out --sizes $sizes --window $window $extra"
	dirs+=("$dir")
done
echo "bench-profile: done $(date -u +%H:%M:%S), host load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$repo/bench/profile-report.py" "${dirs[@]}" | tee "$out/profile$suffix.txt"
