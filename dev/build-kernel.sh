#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure and build one flavour of the x86_64 guest kernel out of tree,
# with ccache, under build/<flavour>.
#
#   guest: tinyconfig + dev/configs/guest.config
#   debug: guest + dev/configs/debug.config (KASAN, lockdep, kmemleak,
#           UBSAN) with DAMON built as a module (dev/configs/module.config):
#           one kernel for both the module reloads and the debug runs
#   module: guest with DAMON built as a loadable module
#   mainline: the untouched base tarball (build/pristine, the kernel's own
#           DAMON) + guest.config + dev/configs/mainline.config, for bench/
#   profile, mainline-profile: guest, mainline + dev/configs/profile.config
#           (ftrace's function profiler), for bench/profile.sh
#
# Usage: dev/build-kernel.sh FLAVOUR [extra make targets]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
flavour=$1
shift
tree=$repo/build/linux
out=$repo/build/$flavour
configs=$repo/dev/configs

case $flavour in
guest)  fragments=("$configs/guest.config") ;;
debug)  fragments=("$configs/guest.config" "$configs/module.config"
		   "$configs/debug.config") ;;
module) fragments=("$configs/guest.config" "$configs/module.config") ;;
mainline)
	tree=$repo/build/pristine/linux-source-6.12
	fragments=("$configs/guest.config" "$configs/mainline.config") ;;
profile) fragments=("$configs/guest.config" "$configs/profile.config") ;;
mainline-profile)
	tree=$repo/build/pristine/linux-source-6.12
	fragments=("$configs/guest.config" "$configs/mainline.config"
		   "$configs/profile.config") ;;
*) echo "build-kernel: unknown flavour $flavour" >&2; exit 2 ;;
esac

export KBUILD_BUILD_USER=damon KBUILD_BUILD_HOST=guest
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export CCACHE_BASEDIR=$repo CCACHE_NOHASHDIR=1
mk=(make -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc")

# (Re)configure when a fragment or Kconfig changed since the last time.
stamp=$out/.config-inputs
inputs=$(cat "${fragments[@]}" "$tree/mm/damon/Kconfig" | sha256sum)
if [ ! -f "$out/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ]; then
	mkdir -p "$out"
	"${mk[@]}" -s tinyconfig
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${fragments[@]}" > "$out/merge.log"
	"${mk[@]}" -s olddefconfig
	# Every option a fragment asks for must have survived; a later
	# fragment overrides an earlier one.
	missing=0
	while read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		opt=${line%%=*} val=${line#*=}
		if [ "$val" = n ]; then
			grep -q "^$opt=" "$out/.config" && { echo "build-kernel: $opt is set"; missing=1; }
		elif ! grep -qx "$line" "$out/.config"; then
			echo "build-kernel: $line did not take (dependencies?)" >&2
			missing=1
		fi
	done < <(cat "${fragments[@]}" | grep -v '^#' | tac | awk -F= '!seen[$1]++')
	[ $missing -eq 0 ] || exit 1
	echo "$inputs" > "$stamp"
fi

# The module and debug flavours are only useful with damon.ko.
case $flavour in module|debug) set -- modules "$@" ;; esac
"${mk[@]}" -j"$(nproc)" bzImage "$@"
