#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian's packages, what building, booting and testing our
# kernel needs.  Does nothing when everything is there already.  With
# "cross", also the cross compilers of make cross (dev/cross-build.sh).
set -euo pipefail

pkgs=(linux-source-6.12 qemu-system-x86 qemu-utils flex bison bc libelf-dev
      libssl-dev ccache make gcc python3 rsync cpio kmod gnuplot-nox
      xz-utils patch util-linux coreutils procps git sparse python3-ply
      python3-git python3-sphinx)
[ "${1:-}" = cross ] && pkgs+=(gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all present"
else
	echo "install-deps: installing ${missing[*]}"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo_cmd[@]}" apt-get update -q
	"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-deps: linux-source-6.12 $(dpkg-query -W -f='${Version}' linux-source-6.12)"
