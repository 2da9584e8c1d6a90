#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the test guest (see dev/guest-run.sh).  The root filesystem is the
# host's, read-only over virtio-9p; give the guest writable scratch space,
# mount the run folder shared with the host, run the command and power off.
#
# The kernel hands unknown "key=value" boot parameters to init as environment
# variables: DAMON_RUN is the run folder, which holds "cmd" (the command),
# "cwd" and "env", and receives "rc" (its exit status).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 TERM=dumb

poweroff_now() {
	sync
	echo b > /proc/sysrq-trigger
	sleep 10
}
trap poweroff_now EXIT

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm 2>/dev/null
# devtmpfs has no /dev/std* links (udev makes them).  Without them, a
# redirection to /dev/stdout creates a regular file there: the kselftest
# runner sends every test's own output to ">>/dev/stdout" and it was lost.
ln -sfn /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# Writable scratch space before any share is mounted below it.  When the
# repository itself lives below one of those folders (a clone in /tmp),
# carry it over onto the tmpfs with a bind mount.
share=${DAMON_RUN%/runs/*}
repo=${share%/build/share}
for d in /tmp /run /var/tmp /root; do
	case "$repo/" in
	"$d"/*)
		mount --bind "$repo" /mnt
		mount -t tmpfs -o mode=1777 tmpfs "$d"
		mkdir -p "$repo"
		mount --move /mnt "$repo"
		;;
	*)
		mount -t tmpfs -o mode=1777 tmpfs "$d"
		;;
	esac
done
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none \
	share "$share" || { echo "guest-init: cannot mount $share" > /dev/ttyS0; exit; }

# A swap disk from guest-run.sh -s.
if [ -n "${DAMON_SWAP:-}" ] && [ -b "$DAMON_SWAP" ]; then
	mkswap "$DAMON_SWAP" > /dev/null && swapon "$DAMON_SWAP" ||
		echo "guest-init: no swap on $DAMON_SWAP" > /dev/ttyS0
fi

out=/dev/ttyS1
stty -F "$out" raw -echo 2>/dev/null

# The host's environment variables that the command asked for.
if [ -f "$DAMON_RUN/env" ]; then
	set -a
	# shellcheck disable=SC1091
	. "$DAMON_RUN/env"
	set +a
fi
export RESULTS=$DAMON_RUN/results
cd "$(cat "$DAMON_RUN/cwd")" 2>/dev/null || cd /

bash "$DAMON_RUN/cmd" > "$out" 2>&1 < /dev/null
echo $? > "$DAMON_RUN/rc"
