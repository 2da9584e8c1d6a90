#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The damon:damon_aggregated tracepoint is an ABI: perf, trace-cmd and damo
# parse its text.  Check that it exists with the fields and the print format
# that those tools expect.

source "$(dirname "$0")/lib_damon.sh"

skip_unless_root
[ -d "$tracefs/events" ] || mount -t tracefs nodev "$tracefs" 2>/dev/null
fmt=$tracefs/events/damon/damon_aggregated/format
skip_unless_file "$tracefs/events" "tracefs"
[ -f "$fmt" ] || fail "no damon:damon_aggregated tracepoint"

for field in target_id nr_regions start end nr_accesses age; do
	grep -Eq "field:[a-z0-9_ ]+ $field;" "$fmt" || fail "field '$field' missing"
done
expected='print fmt: "target_id=%lu nr_regions=%u %lu-%lu: %u %u"'
grep -qF "$expected" "$fmt" || fail "print format differs: $(grep 'print fmt' "$fmt")"
echo "PASS: damon:damon_aggregated has the expected format"
exit $KSFT_PASS
