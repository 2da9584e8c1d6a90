#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one of our kernels under qemu and run a command in it.
#
# Usage: dev/guest-run.sh [-f guest|debug] [-t SECONDS] [-a APPEND] [-e VAR]
#                         [-s SWAP_MIB] CMD
#
# The guest's root is the host's root filesystem, read-only over virtio-9p, so
# host programs (bash, python3, test binaries) run inside at their usual
# paths; /tmp, /run, /var/tmp and /root are tmpfs.  build/share is shared
# writable at the same path; $RESULTS (build/share/runs/<id>/results) is kept
# after the run.  CMD runs with bash as root in the current directory; its
# output is streamed to stdout and its exit status becomes ours.  Kernel
# messages go to build/share/runs/<id>/console.log; a kernel splat there (BUG,
# WARNING, KASAN, UBSAN, kmemleak, lockdep) fails the run even if CMD passed.
#
# Exit status: CMD's, or 124 on timeout, 125 when the guest died before CMD
# finished, 126 on a kernel splat.
#
# With -s, the guest gets a swap device of SWAP_MIB MiB: a sparse file under
# build/swap/, attached as a virtio disk that the guest's init formats and
# enables before the command runs (DAMOS pageout needs somewhere to put
# anonymous memory), and removed after the run.
#
# Environment: ACCEL=kvm|tcg overrides the KVM probe; GUEST_MEM (MiB, default
# 2048), GUEST_CPUS (default 2; one socket each: without ACPI the guest
# learns its CPUs from the MP table, which lists one CPU per socket).
# Under TCG: GUEST_CPU_MODEL (default max) is qemu's -cpu, and
# GUEST_HOST_TSC=1 lets the guest keep time with the host's TSC (see below).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
flavour=guest
timeout=600
append=""
envvars=()
swap_mib=0
while getopts "f:t:a:e:s:" opt; do
	case $opt in
	f) flavour=$OPTARG ;;
	t) timeout=$OPTARG ;;
	a) append="$append $OPTARG" ;;
	e) envvars+=("$OPTARG") ;;
	s) swap_mib=$OPTARG ;;
	*) echo "usage: $0 [-f guest|debug] [-t s] [-a append] [-e VAR] [-s MiB] CMD" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "guest-run: no command" >&2; exit 2; }

kernel=$repo/build/$flavour/arch/x86/boot/bzImage
[ -f "$kernel" ] || { echo "guest-run: $kernel not built" >&2; exit 2; }

share=$repo/build/share
mkdir -p "$share/runs"
run=$(mktemp -d "$share/runs/$(date +%Y%m%d-%H%M%S).XXXX")
mkdir -p "$run/results"
printf '%s\n' "$*" > "$run/cmd"
pwd > "$run/cwd"
: > "$run/env"
for v in "${envvars[@]}"; do
	[ -n "${!v+x}" ] && printf '%s=%q\n' "$v" "${!v}" >> "$run/env"
done

accel=${ACCEL:-$("$repo/dev/kvm-probe.sh" "$kernel")}
tsc_opts=""
case $accel in
kvm) accel_opts=(-accel kvm -cpu host) ;;
*)
	# "max" advertises ERMS, so glibc's memset and memcpy use "rep stosb"
	# and "rep movsb", which TCG runs about ten times slower than vector
	# stores (a 10 MiB memset: 10 ms against 1 ms with max,-erms,-fsrm).
	accel_opts=(-accel tcg,thread=multi -cpu "${GUEST_CPU_MODEL:-max}")
	# The guest reads the host's TSC but cannot calibrate it (see
	# dev/host-tsc-khz.c), so it keeps time with jiffies: no
	# high-resolution timers (a 5 ms sleep takes 8 ms), and a clock that
	# falls behind when the host is loaded (5 s in the guest were 8 s).
	# GUEST_HOST_TSC=1 tells it the rate, and that the counter is
	# synchronized, as it is when the host itself keeps time with it.
	if [ "${GUEST_HOST_TSC:-0}" = 1 ] &&
	   [ "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)" = tsc ]; then
		tsc_khz=$repo/build/host-tsc-khz
		if ! [ "$tsc_khz" -nt "$repo/dev/host-tsc-khz.c" ]; then
			cc -O2 -o "$tsc_khz.$$" "$repo/dev/host-tsc-khz.c" &&
				mv -f "$tsc_khz.$$" "$tsc_khz"
		fi
		khz=$("$tsc_khz" || true)
		[ -z "$khz" ] || tsc_opts="tsc_early_khz=$khz tsc=reliable"
	fi
	;;
esac

extra=""
[ "$flavour" = debug ] && extra="panic_on_warn=1 kmemleak=on"

cmdline="console=ttyS0 root=/dev/root rootfstype=9p ro"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
cmdline+=" init=$repo/dev/guest-init.sh DAMON_RUN=$run panic=-1 oops=panic"
# Of the KUnit suites, only damon_vaddr_live runs at boot: it skips there (no
# root filesystem yet), but running gives it the debugfs "run" file through
# which fvaddr_ranges.sh runs it again once /bin/sleep is there.
cmdline+=" numa=fake=2 kunit.filter_glob=damon_vaddr_live $tsc_opts $extra $append"

disk_opts=()
swap_img=""
if [ "$swap_mib" -gt 0 ]; then
	mkdir -p "$repo/build/swap"
	swap_img=$repo/build/swap/$(basename "$run").img
	truncate -s "${swap_mib}M" "$swap_img"
	disk_opts=(-drive "file=$swap_img,if=virtio,format=raw,cache=unsafe")
	cmdline+=" DAMON_SWAP=/dev/vda"
fi

set +e
timeout -k 10 "$timeout" qemu-system-x86_64 "${accel_opts[@]}" \
	-m "${GUEST_MEM:-2048}" -smp "${GUEST_CPUS:-2},sockets=${GUEST_CPUS:-2},cores=1" \
	-nodefaults -display none -no-reboot -monitor none \
	-kernel "$kernel" -append "$cmdline" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=share,path="$share",security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=share,mount_tag=share \
	"${disk_opts[@]}" \
	-serial file:"$run/console.log" \
	-chardev stdio,id=cmdout,signal=off -serial chardev:cmdout < /dev/null
qemu_rc=$?
set -e
[ -z "$swap_img" ] || rm -f "$swap_img"

splats=$(grep -aE 'BUG:|WARNING:|KASAN|UBSAN|kmemleak: [0-9]+ new|possible circular|INFO: task|Oops|Kernel panic|general protection|RCU stall|soft lockup' \
	"$run/console.log" | head -40 || true)
if [ -n "$splats" ]; then
	echo "guest-run: kernel splat in $run/console.log:" >&2
	echo "$splats" >&2
	exit 126
fi
if [ $qemu_rc -eq 124 ] || [ $qemu_rc -eq 137 ]; then
	echo "guest-run: timed out after ${timeout}s; console: $run/console.log" >&2
	tail -20 "$run/console.log" >&2
	exit 124
fi
if [ ! -s "$run/rc" ]; then
	echo "guest-run: the guest stopped before the command finished" \
		"(qemu status $qemu_rc); console: $run/console.log" >&2
	tail -20 "$run/console.log" >&2
	exit 125
fi
exit "$(cat "$run/rc")"
