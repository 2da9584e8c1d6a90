#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make docs: build our Documentation/ pages as HTML with the kernel's Sphinx
# set-up (make htmldocs, SPHINXDIRS limited to DAMON's directories) from the
# assembled tree, into build/docs/Documentation/output/.  Fails on any
# warning or error about them; Sphinx's note that graphviz is missing is
# about this machine, not about the pages.
#
# Prints "PASS FAIL SKIP" last, like a stage of dev/check.sh.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tree=$repo/build/linux
out=$repo/build/docs
dirs=(admin-guide/mm/damon mm/damon)
log=$out/htmldocs.log

command -v sphinx-build > /dev/null || {
	echo "docs: sphinx-build missing (apt-get install python3-sphinx)" >&2
	echo 0 1 0
	exit 1
}
[ -d "$tree/Documentation" ] || {
	echo "docs: $tree missing: run make assemble" >&2
	echo 0 1 0
	exit 1
}
mkdir -p "$out"
# Rebuild from scratch, so that every warning shows every time.
for d in "${dirs[@]}"; do
	rm -rf "$out/Documentation/output/$d" "$out/Documentation/output/.doctrees/$d"
done
# Debian's python3, which has Sphinx, before any other on PATH.
stamp=$out/.stamp
touch "$stamp"
PATH=/usr/bin:$PATH make -C "$tree" O="$out" SPHINXDIRS="${dirs[*]}" \
	htmldocs > "$log" 2>&1
status=$?
# htmldocs writes some generated pages into the source tree even with O=
# (Documentation/networking/netlink_spec/).  Take them out again: the
# assembled tree must stay byte-equal to the applied series.
pristine=$repo/build/pristine/linux-source-6.12
manifest=$tree/.damon-overlay-manifest
ours() { grep -qxF "$1" "$manifest"; }
# Files changed during the build, and files below Documentation/ that
# neither the base nor we have, whenever they were made.
{ (cd "$tree" && find . -newer "$stamp" -type f)
  (cd "$tree" && find ./Documentation -type f) |
	sed 's|^\./||' | while read -r f; do
		[ -e "$pristine/$f" ] || ours "$f" || echo "$f"
	done; } | sed 's|^\./||' | sort -u |
while read -r f; do
	if ours "$f"; then
		continue
	elif [ -f "$pristine/$f" ]; then
		cmp -s "$pristine/$f" "$tree/$f" || cp -p "$pristine/$f" "$tree/$f"
	else
		rm -f "$tree/$f"
	fi
done
problems=$(grep -E 'WARNING|ERROR|CRITICAL|SEVERE|Error' "$log" |
	grep -v 'dot(1) not found')
pass=0 fail=0
if [ $status -ne 0 ] || [ -n "$problems" ]; then
	tail -20 "$log" >&2
	echo "$problems" >&2
	fail=1
else
	pass=1
fi
# Every page of ours must have become a page of HTML.
for d in "${dirs[@]}"; do
	for rst in "$tree/Documentation/$d"/*.rst; do
		html=$out/Documentation/output/$d/$(basename "${rst%.rst}").html
		if [ -s "$html" ]; then
			pass=$((pass + 1))
		else
			echo "docs: no HTML for Documentation/$d/$(basename "$rst")" >&2
			fail=$((fail + 1))
		fi
	done
done
echo "docs: $out/Documentation/output/admin-guide/mm/damon/index.html" >&2
echo "$pass $fail 0"
[ $fail -eq 0 ]
