#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The files of the default DAMON debugfs context: what each accepts, what
# it refuses and with which error, that a refused write changes nothing,
# what each reads back, that nothing changes while monitoring is on, and
# the rules every file shares (a value may come in several writes, partial
# reads, huge counts, root-only modes).

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"

dbgfs_setup
EINVAL="Invalid argument"
EBUSY="Device or resource busy"

# --- modes: root only
for f in attrs target_ids pids init_regions record monitor_on; do
	[ "$(stat -c %a "$dbgfs/$f")" = 600 ] || fail "$f is not 0600"
done
[ "$(stat -c %a "$dbgfs/kdamond_pid")" = 400 ] || fail "kdamond_pid is not 0400"
for f in mk_contexts rm_contexts; do
	[ "$(stat -c %a "$dbgfs/$f")" = 200 ] || fail "$f is not 0200"
done

# --- attrs
write_ok "$dbgfs/attrs" "5000 100000 1000000 10 1000"
reads "$dbgfs/attrs" "5000 100000 1000000 10 1000"
write_ok "$dbgfs/attrs" "1 2 3 4 5"
reads "$dbgfs/attrs" "1 2 3 4 5"
for bad in "" "1 2 3 4" "1 2 3 4 5 6" "1 2 3 5 4" "1 2 3 2 5" "2 1 3 4 5" \
	   "0 2 3 4 5" "1 2 0 4 5" "1 2 3 4 5x" "a b c d e" "-1 2 3 4 5" \
	   "1 2 3 4 99999999999999999999999" "1 2 3 4 1048577" \
	   "1 2 3 4 100000000" "1 2 3 1048577 1048577"; do
	write_fails "$dbgfs/attrs" "$bad" "$EINVAL"
	reads "$dbgfs/attrs" "1 2 3 4 5"
done
# At most 2^20 regions: more could have one start allocate all memory.
write_ok "$dbgfs/attrs" "1 2 3 1048576 1048576"
reads "$dbgfs/attrs" "1 2 3 1048576 1048576"
write_ok "$dbgfs/attrs" "0x10 0x20 0x30 10 0x100"
reads "$dbgfs/attrs" "16 32 48 10 256"

# --- target_ids and pids: one list under two names
nopid=4000000
while [ -e "/proc/$nopid" ]; do nopid=$((nopid + 1)); done
write_ok "$dbgfs/target_ids" "1 $$"
reads "$dbgfs/target_ids" "1 $$"
reads "$dbgfs/pids" "1 $$"
write_ok "$dbgfs/pids" "1 2 abc 4"
reads "$dbgfs/target_ids" "1 2"
write_ok "$dbgfs/target_ids" "abc 2 3"
reads "$dbgfs/pids" ""
write_ok "$dbgfs/pids" "$$"
write_ok "$dbgfs/target_ids" ""
reads "$dbgfs/target_ids" ""
write_ok "$dbgfs/pids" "paddr"
reads "$dbgfs/pids" "-1"
reads "$dbgfs/target_ids" "-1"
write_ok "$dbgfs/target_ids" "$$"
write_ok "$dbgfs/target_ids" "-1"	# what paddr reads back
reads "$dbgfs/pids" "-1"
write_ok "$dbgfs/pids" "1 $$"
for bad in "paddr 1" "0" "1 1" "1 -1" "-5" "$nopid" "1 $nopid" \
	   "99999999999"; do
	write_fails "$dbgfs/pids" "$bad" "$EINVAL"
	reads "$dbgfs/target_ids" "1 $$"
done

# --- init_regions, with two targets whose pids are no valid index
sleep 1000 &
other=$!
write_ok "$dbgfs/target_ids" "$other $$"
write_ok "$dbgfs/init_regions" "0 4096 8192 0 8192 12288 1 4096 8192"
reads "$dbgfs/init_regions" "$other 4096 8192
$other 8192 12288
$$ 4096 8192"
# By pid instead of index, targets interleaved, and in hex; bash's echo
# writes this one line per write().
write_ok "$dbgfs/init_regions" "$$ 0x1000 0x2000
$other 0 4096
$$ 8192 16384"
reads "$dbgfs/init_regions" "$other 0 4096
$$ 4096 8192
$$ 8192 16384"
good=$(cat "$dbgfs/init_regions")
for bad in "0 4096" "0 4096 8192 1" "0 4096 8192x" "0 8192 4096" \
	   "0 4096 4096" "0 8192 12288 0 4096 8192" "0 4096 12288 0 8192 16384" \
	   "7 4096 8192" "-1 4096 8192" "x 1 2" "$$ 4096 8192
$$ 0 4096"; do
	write_fails "$dbgfs/init_regions" "$bad" "$EINVAL"
	reads "$dbgfs/init_regions" "$good"
done
# What reads back can be written back.
write_ok "$dbgfs/init_regions" "$good"
reads "$dbgfs/init_regions" "$good"
write_ok "$dbgfs/init_regions" ""
reads "$dbgfs/init_regions" ""
# New targets drop the regions of the old ones.
write_ok "$dbgfs/init_regions" "0 4096 8192"
write_ok "$dbgfs/target_ids" "$other $$"
reads "$dbgfs/init_regions" ""
kill "$other"
wait "$other" 2>/dev/null
write_ok "$dbgfs/target_ids" ""
write_fails "$dbgfs/init_regions" "0 4096 8192" "$EINVAL"
write_ok "$dbgfs/pids" "paddr"
write_ok "$dbgfs/init_regions" "-1 4096 1073741824"
reads "$dbgfs/init_regions" "-1 4096 1073741824"
write_ok "$dbgfs/init_regions" "0 4096 8192"
reads "$dbgfs/init_regions" "-1 4096 8192"

# --- record
write_ok "$dbgfs/record" "4096 /tmp/damon.data"
reads "$dbgfs/record" "4096 /tmp/damon.data"
write_ok "$dbgfs/record" "1 /tmp/a file with spaces"
reads "$dbgfs/record" "1 /tmp/a file with spaces"
long=/tmp/$(printf 'x%.0s' $(seq 4200))
for bad in "4096" "4096 " "4096 relative/path" "abc /tmp/x" "4096x /tmp/x" \
	   "-1 /tmp/x" "68719476736 /tmp/x" "1 $long"; do
	write_fails "$dbgfs/record" "$bad" "$EINVAL"
	reads "$dbgfs/record" "1 /tmp/a file with spaces"
done
write_ok "$dbgfs/record" "0"
reads "$dbgfs/record" "0"
write_ok "$dbgfs/record" "4096 /tmp/damon.data"
write_ok "$dbgfs/record" ""
reads "$dbgfs/record" "0"

# --- monitor_on and kdamond_pid while off
reads "$dbgfs/monitor_on" off
reads "$dbgfs/monitor_on_DEPRECATED" off
reads "$dbgfs/kdamond_pid" none
write_ok "$dbgfs/monitor_on" off		# already off: nothing to do
for bad in "" "On" "1" "on off" "start"; do
	write_fails "$dbgfs/monitor_on" "$bad" "$EINVAL"
done
write_ok "$dbgfs/target_ids" ""
write_fails "$dbgfs/monitor_on" on "$EINVAL"	# no target
write_ok "$dbgfs/pids" paddr
write_fails "$dbgfs/monitor_on" on "$EINVAL"	# paddr without regions
reads "$dbgfs/monitor_on" off

# --- while monitoring is on, every setting is refused
write_ok "$dbgfs/attrs" "5000 100000 1000000 10 1000"
write_ok "$dbgfs/init_regions" "-1 $(largest_ram)"
write_ok "$dbgfs/monitor_on" on
reads "$dbgfs/monitor_on" on
reads "$dbgfs/monitor_on_DEPRECATED" on
kpid=$(cat "$dbgfs/kdamond_pid")
[[ "$kpid" =~ ^[0-9]+$ ]] || fail "kdamond_pid reads '$kpid' while on"
grep -q '^kdamond' "/proc/$kpid/comm" || fail "pid $kpid is not a kdamond"
write_fails "$dbgfs/monitor_on" on "$EBUSY"
write_fails "$dbgfs/attrs" "5000 100000 1000000 10 1000" "$EBUSY"
write_fails "$dbgfs/target_ids" "1" "$EBUSY"
write_fails "$dbgfs/pids" "paddr" "$EBUSY"
write_fails "$dbgfs/init_regions" "" "$EBUSY"
write_fails "$dbgfs/record" "0" "$EBUSY"
write_fails "$dbgfs/mk_contexts" "foo" "$EBUSY"
write_fails "$dbgfs/rm_contexts" "foo" "$EBUSY"
reads "$dbgfs/pids" "-1"
write_ok "$dbgfs/monitor_on_DEPRECATED" off
reads "$dbgfs/monitor_on" off
reads "$dbgfs/kdamond_pid" none
# It starts again from the same settings.
write_ok "$dbgfs/monitor_on_DEPRECATED" on
write_ok "$dbgfs/monitor_on" off

# --- the writes through one open file make one value, applied as it grows;
# if a piece makes it fail, the settings go back to what they were before
write_ok "$dbgfs/attrs" "5000 100000 1000000 10 1000"
exec 3> "$dbgfs/attrs"
echo "1 2 3 4 5" >&3 || fail "first write to an open attrs failed"
reads "$dbgfs/attrs" "1 2 3 4 5"
if echo "10 20 30 40 50" >&3 2>/dev/null; then
	fail "two values through one open attrs were taken as one"
fi
reads "$dbgfs/attrs" "5000 100000 1000000 10 1000"
# ...and after a refused write, that open file takes nothing more.
if echo "1 2 3 4 5" >&3 2>/dev/null; then
	fail "a write after a refused one was taken"
fi
exec 3>&-
reads "$dbgfs/attrs" "5000 100000 1000000 10 1000"
# A value may come in pieces that end at line ends.
python3 - "$dbgfs/target_ids" "$$" <<'EOF' || fail "targets in pieces refused"
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
for piece in (b'1\n', sys.argv[2].encode() + b'\n'):
    os.write(fd, piece)
os.close(fd)
EOF
reads "$dbgfs/target_ids" "1 $$"
# A write that does not continue the value is refused.
python3 - "$dbgfs/attrs" <<'EOF' || fail "a write at a gap was taken"
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY)
os.write(fd, b'1 2 3 4 5')
try:
    os.pwrite(fd, b' ', 20)
    sys.exit(1)
except OSError:
    pass
EOF
reads "$dbgfs/attrs" "5000 100000 1000000 10 1000"

# --- partial reads at any offset
write_ok "$dbgfs/attrs" "5000 100000 1000000 10 1000"
full=$(cat "$dbgfs/attrs")
got=$(dd if="$dbgfs/attrs" bs=1 status=none)
[ "$got" = "$full" ] || fail "byte-wise read gives '$got'"
got=$(dd if="$dbgfs/attrs" bs=1 skip=5 status=none)
[ "$got" = "${full:5}" ] || fail "read at offset 5 gives '$got'"
got=$(dd if="$dbgfs/attrs" bs=3 skip=100 status=none)
[ -z "$got" ] || fail "read past the end gives '$got'"

# --- huge counts are refused or capped, without a kernel warning
lines=$(kmsg_mark) || fail "cannot write to /dev/kmsg"
python3 - "$dbgfs" <<'EOF' || fail "huge count read/write misbehaved"
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(65536)
for name in ('attrs', 'target_ids', 'init_regions', 'record', 'monitor_on'):
    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDWR)
    if libc.write(fd, buf, ctypes.c_size_t(0xffffffff)) != -1 or \
            ctypes.get_errno() != errno.EINVAL:
        sys.exit('%s: huge write not refused with EINVAL' % name)
    n = libc.read(fd, buf, ctypes.c_size_t(0xffffffff))
    if n < 0:
        sys.exit('%s: huge read failed' % name)
    os.close(fd)
EOF
no_splat "$lines"

echo "PASS: every debugfs file accepts, refuses and reads back as expected"
exit $KSFT_PASS
