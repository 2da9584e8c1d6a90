#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the DAMON selftests.  Source it; don't run it.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

tracefs=/sys/kernel/tracing
debugfs=/sys/kernel/debug
# The directory whose files the messages of write_ok etc. name relative to.
ksft_dir=/

# skip_unless_root: kselftest's skip unless we run as root.
skip_unless_root()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root"
		exit $KSFT_SKIP
	fi
}

# skip_unless_file PATH WHAT: skip when PATH does not exist.
skip_unless_file()
{
	if [ ! -e "$1" ]; then
		echo "SKIP: $2 ($1 missing)"
		exit $KSFT_SKIP
	fi
}

# fail MESSAGE: report and exit with the kselftest failure status.
fail()
{
	echo "FAIL: $*"
	exit $KSFT_FAIL
}

# write_ok FILE VALUE: the write must succeed.
write_ok()
{
	local err

	err=$( { echo "$2" > "$1"; } 2>&1 ) ||
		fail "writing '$2' to ${1#"$ksft_dir/"} failed: ${err##*: }"
}

# write_fails FILE VALUE ERROR: the write must fail with ERROR (the text of
# the errno, e.g. "Invalid argument").
write_fails()
{
	local err

	if err=$( { echo "$2" > "$1"; } 2>&1 ); then
		fail "writing '$2' to ${1#"$ksft_dir/"} succeeded; expected '$3'"
	fi
	case "$err" in
	*"$3"*) ;;
	*) fail "writing '$2' to ${1#"$ksft_dir/"}: '${err##*: }', expected '$3'" ;;
	esac
}

# reads FILE EXPECTED: the file must read EXPECTED (trailing newlines of
# both do not count).
reads()
{
	local got

	got=$(cat "$1") || fail "cannot read ${1#"$ksft_dir/"}"
	[ "$got" = "$2" ] ||
		fail "${1#"$ksft_dir/"} reads '$got', expected '$2'"
}

# largest_ram: "start end" of the largest System RAM range of /proc/iomem,
# end exclusive, in decimal.
largest_ram()
{
	local best=0 bstart=0 range start end

	# No process substitution: the test guest has no /dev/fd.
	for range in $(awk '/: System RAM$/ {print $1}' /proc/iomem); do
		start=$((16#${range%-*}))
		end=$((16#${range#*-} + 1))
		if [ $((end - start)) -gt "$best" ]; then
			best=$((end - start))
			bstart=$start
		fi
	done
	[ "$best" -gt 0 ] || return 1
	echo "$bstart $((bstart + best))"
}

# kmsg_mark: write a mark of this test to the kernel log and print it, for
# kmsg_since and no_splat; fails if it cannot.  Line numbers of dmesg would
# not do: once the log buffer is full, old lines make room for new ones, so
# a line count taken earlier points at the wrong place.
kmsg_mark()
{
	local mark

	mark="damon-selftest: ${0##*/}[$$] mark $(date +%s%N)"
	echo "$mark" > /dev/kmsg || return
	echo "$mark"
}

# kmsg_since MARK: the kernel log after MARK.  If MARK was written and has
# been pushed out of the buffer since, all the buffer holds came after it.
kmsg_since()
{
	dmesg | awk -v mark="$1" '
		{ line[NR] = $0 }
		index($0, mark) { from = NR }
		END { for (i = from + 1; i <= NR; i++) print line[i] }'
}

# no_splat MARK: fail if the kernel log after MARK (from kmsg_mark) holds a
# splat.
no_splat()
{
	local bad

	bad=$(kmsg_since "$1" |
	      grep -E 'BUG:|WARNING:|Oops|KASAN|UBSAN|kmemleak|circular locking|general protection')
	[ -z "$bad" ] || fail "kernel splat: $bad"
}
