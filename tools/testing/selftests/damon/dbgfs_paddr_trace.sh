#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Physical address space monitoring through debugfs, end to end: "paddr" in
# pids, the largest System RAM range in init_regions, monitor_on on, then
# the damon:damon_aggregated tracepoint must show regions that tile that
# range, aggregation after aggregation, until monitor_on off.

source "$(dirname "$0")/lib_damon.sh"
source "$(dirname "$0")/lib_dbgfs.sh"

dbgfs_setup
skip_unless_file "$tracefs/events/damon/damon_aggregated" "tracefs"
lines=$(kmsg_mark) || fail "cannot write to /dev/kmsg"
ram=$(largest_ram) || fail "no System RAM in /proc/iomem"
read -r start end <<< "$ram"
trace=$tracefs/events/damon/damon_aggregated

trace_off()
{
	echo 0 > "$trace/enable"
	echo 1 > "$tracefs/tracing_on"
}
trap 'trace_off; dbgfs_restore' EXIT

write_ok "$dbgfs/attrs" "5000 100000 1000000 10 100"
if ! echo paddr > "$dbgfs/pids" 2>/dev/null; then
	echo "SKIP: no paddr operations set"
	exit $KSFT_SKIP
fi
reads "$dbgfs/pids" "-1"
write_ok "$dbgfs/init_regions" "-1 $start $end"
reads "$dbgfs/init_regions" "-1 $start $end"

echo 4096 > "$tracefs/buffer_size_kb"
echo > "$tracefs/trace"
echo 1 > "$trace/enable"
write_ok "$dbgfs/monitor_on" on
sleep 2
write_ok "$dbgfs/monitor_on" off
echo 0 > "$trace/enable"

# Each aggregation prints nr_regions lines for target 0; together they must
# cover [start, end) rounded to pages, in order and without a gap.
grep damon_aggregated "$tracefs/trace" | python3 -c '
import re, sys
start, end = int(sys.argv[1]) // 4096 * 4096, -(-int(sys.argv[2]) // 4096) * 4096
pat = re.compile(r"damon_aggregated: target_id=(\d+) nr_regions=(\d+) (\d+)-(\d+): (\d+) (\d+)")
rows = [tuple(map(int, m.groups())) for m in map(pat.search, sys.stdin) if m]
aggrs, i = 0, 0
while i < len(rows):
    tid, nr = rows[i][0], rows[i][1]
    group = rows[i:i + nr]
    if tid != 0 or len(group) != nr or any(r[1] != nr for r in group):
        sys.exit("malformed aggregation at trace line %d" % i)
    if not 10 <= nr <= 100:
        sys.exit("%d regions, outside the attrs bounds [10, 100]" % nr)
    pos = start
    for r in group:
        if r[2] != pos or r[3] <= r[2]:
            sys.exit("region %d-%d does not follow %d" % (r[2], r[3], pos))
        pos = r[3]
    if pos != end:
        sys.exit("regions end at %d, not %d" % (pos, end))
    aggrs += 1
    i += nr
if aggrs < 5:
    sys.exit("only %d aggregations in 2 s at 100 ms each" % aggrs)
print("%d aggregations of %d..%d regions tile %#x-%#x" % (aggrs,
      min(r[1] for r in rows), max(r[1] for r in rows), start, end))
' "$start" "$end" || fail "the tracepoint does not show the paddr regions"
no_splat "$lines"

echo "PASS: paddr monitoring set up through debugfs shows in the tracepoint"
exit $KSFT_PASS
