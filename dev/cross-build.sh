#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Cross-build the series for other architectures, with DAMON built as a
# module and built in, so that every configuration Kconfig allows links
# there too: the module's symbols must all be exported (modpost), the
# built-in kernel must link, and DAMON's files must compile without
# warnings.  Uses Debian's cross compilers (gcc-aarch64-linux-gnu,
# gcc-riscv64-linux-gnu) and ccache; kernels go to build/cross-<arch>.
#
# Usage: dev/cross-build.sh [ARCH...]	(default: arm64 riscv)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tree=$repo/build/linux
export KBUILD_BUILD_USER=damon KBUILD_BUILD_HOST=cross
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export CCACHE_BASEDIR=$repo CCACHE_NOHASHDIR=1
[ $# -gt 0 ] || set -- arm64 riscv

prefix_of() {
	case $1 in
	arm64) echo aarch64-linux-gnu- ;;
	riscv) echo riscv64-linux-gnu- ;;
	*) echo "cross-build: unknown arch $1" >&2; exit 2 ;;
	esac
}

# configure ARCH OUT MODE: tinyconfig + cross.config + DAMON=MODE.
configure() {
	local mode=$3 frag

	frag=$2/damon-mode.config
	echo "CONFIG_DAMON=$mode" > "$frag"
	"${mk[@]}" -s tinyconfig
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$2" "$2/.config" \
		"$repo/dev/configs/cross.config" "$frag" > "$2/merge.log"
	"${mk[@]}" -s olddefconfig
	grep -qx "CONFIG_DAMON=$mode" "$2/.config" ||
		{ echo "cross-build: $1: CONFIG_DAMON=$mode did not take" >&2; exit 1; }
	for opt in DAMON_VADDR DAMON_PADDR DAMON_DBGFS; do
		grep -qx "CONFIG_$opt=y" "$2/.config" ||
			echo "cross-build: $1 DAMON=$mode: CONFIG_$opt is off here"
	done
}

status=0
for arch in "$@"; do
	prefix=$(prefix_of "$arch")
	command -v "${prefix}gcc" > /dev/null ||
		{ echo "cross-build: ${prefix}gcc missing (make deps-cross)" >&2; exit 2; }
	out=$repo/build/cross-$arch
	mkdir -p "$out"
	mk=(make -C "$tree" O="$out" ARCH="$arch" CROSS_COMPILE="$prefix"
	    CC="ccache ${prefix}gcc" HOSTCC="ccache gcc")
	for mode in m y; do
		t0=$(date +%s)
		configure "$arch" "$out" "$mode"
		log=$out/build-$mode.log
		if ! "${mk[@]}" -j"$(nproc)" vmlinux modules > "$log" 2>&1; then
			grep -E 'error|ERROR|undefined' "$log" | head -20 >&2
			echo "cross-build: $arch DAMON=$mode FAILED (log: $log)"
			status=1
			continue
		fi
		if grep -E '^.*mm/damon/.*warning:' "$log" >&2; then
			echo "cross-build: $arch DAMON=$mode: warnings in mm/damon"
			status=1
			continue
		fi
		echo "cross-build: $arch DAMON=$mode ok ($(( $(date +%s) - t0 )) s)"
	done
done
exit $status
