#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print "kvm" when qemu can really boot a kernel with KVM here, "tcg"
# otherwise.  Having /dev/kvm is not enough: on some machines a KVM guest
# never gets past the firmware.  So boot KERNEL with KVM once, with a short
# timeout, and remember the answer in build/.accel for this machine.
#
# Usage: dev/kvm-probe.sh KERNEL
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=$repo/build/.accel
host=$(cat /etc/machine-id 2>/dev/null)-$(uname -r)

if [ -f "$cache" ] && [ "$(sed -n 2p "$cache")" = "$host" ]; then
	head -1 "$cache"
	exit 0
fi
answer=tcg
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
	log=$(mktemp)
	# A kernel that reaches the console says "Linux version" within a
	# second or two under KVM; the probe does not need it to finish.
	timeout -k 2 15 qemu-system-x86_64 -accel kvm -cpu host -m 256 \
		-nodefaults -display none -no-reboot -monitor none \
		-kernel "$1" -append "console=ttyS0 panic=-1" \
		-serial file:"$log" < /dev/null > /dev/null 2>&1
	grep -q "Linux version" "$log" && answer=kvm
	rm -f "$log"
fi
mkdir -p "$(dirname "$cache")"
printf '%s\n%s\n' "$answer" "$host" > "$cache"
echo "kvm-probe: using $answer" >&2
echo "$answer"
