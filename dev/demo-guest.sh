#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest (dev/demo.sh): run a workload whose hot memory is known,
# monitor it with our DAMON through debugfs, keep the damon_aggregated trace.
#
# Usage: demo-guest.sh WORKLOAD_BINARY OUT_DIR
set -eu
workload=$1 out=$2
damon=/sys/kernel/debug/damon
trace=/sys/kernel/tracing

[ -d "$damon" ] || { echo "demo: $damon missing: no DAMON debugfs in this kernel"; exit 1; }

echo mono > $trace/trace_clock
echo 16384 > $trace/buffer_size_kb
echo 1 > $trace/events/damon/damon_aggregated/enable

# Ten 10 MiB parts of a 100 MiB area, each hot for 3 s in turn.
"$workload" -p stairs -s 100 -n 10 -t 3 -d 30 -w 2 > "$out/truth.txt" &
pid=$!
# Sampling 5 ms, aggregation 100 ms, update 1 s, 10 to 1000 regions.
echo "5000 100000 1000000 10 1000" > $damon/attrs
echo $pid > $damon/target_ids
echo on > $damon/monitor_on
echo "demo: monitoring pid $pid (kdamond $(cat $damon/kdamond_pid)) for 32 s"
wait $pid
# The kdamond stops by itself once its only target has exited.
for _ in $(seq 50); do
	[ "$(cat $damon/monitor_on)" = off ] && break
	sleep 0.1
done
echo "demo: monitor_on is $(cat $damon/monitor_on) after the workload exited"
echo 0 > $trace/events/damon/damon_aggregated/enable
cat $trace/trace > "$out/trace.txt"
echo "demo: $(grep -c damon_aggregated "$out/trace.txt") region events recorded"
