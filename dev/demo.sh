#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: boot our kernel, monitor a workload with a known hot set with
# our DAMON, and show what DAMON saw next to the truth.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/share/demo
mkdir -p "$out" "$repo/build/bench"
rm -f "$out"/*
gcc -O2 -Wall -static -o "$repo/build/bench/workload" "$repo/bench/workload.c"

echo "demo: booting our kernel (qemu) and monitoring a 'stairs' workload:"
echo "      100 MiB, one 10 MiB part hot at a time, 3 s each"
"$repo/dev/guest-run.sh" -t 600 \
	"$repo/dev/demo-guest.sh $repo/build/bench/workload $out"
echo
echo "What DAMON saw (one row per second; hot = the truth, seen = bytes DAMON"
echo "reported accessed; recall = share of the hot bytes seen; precision ="
echo "share of the seen bytes that were hot):"
python3 "$repo/bench/analyze.py" --trace "$out/trace.txt" \
	--truth "$out/truth.txt" --table --csv "$out/accuracy.csv"
if [ -x "$repo/tools/damon/damo" ] && command -v gnuplot > /dev/null; then
	"$repo/tools/damon/damo" report heats -i "$out/trace.txt" \
		--heatmap "$out/heatmap.png" && echo "heatmap: $out/heatmap.png"
fi
