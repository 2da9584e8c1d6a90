#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the kernel source tree that we build: Debian's linux-source-6.12
# with the kernel's own DAMON removed, our files laid over it and our edits to
# existing files (patches/series) applied.
#
# Only files whose content changed are rewritten, so that kbuild's incremental
# rebuilds stay incremental.  Fails if any file of the kernel's own DAMON is
# still in the result.
#
# Usage: dev/assemble.sh [BUILD_DIR]   (default: build)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$repo/build}")
tarball=/usr/src/linux-source-6.12.tar.xz
pristine=$build/pristine/linux-source-6.12
tree=$build/linux
manifest=$tree/.damon-overlay-manifest

# Paths of the kernel's own DAMON, relative to the tree root.
mapfile -t upstream_damon < <(grep -v '^#' "$repo/dev/upstream-damon-paths")
# Our files: every tracked or untracked-but-not-ignored file below these.
overlay_roots=(include mm tools Documentation samples)

die() { echo "assemble: $*" >&2; exit 1; }

[ -f "$tarball" ] || die "$tarball missing (apt-get install linux-source-6.12)"
version=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)

# 1. Unpack the base once per package version.
if [ "$(cat "$build/pristine/.version" 2>/dev/null)" != "$version" ]; then
	echo "assemble: unpacking linux-source-6.12 $version"
	rm -rf "$build/pristine"
	mkdir -p "$build/pristine"
	tar -xJf "$tarball" -C "$build/pristine"
	echo "$version" > "$build/pristine/.version"
	rm -rf "$tree"
fi

# 2. Create the tree from the base without the kernel's own DAMON.
if [ ! -f "$tree/.damon-base-version" ] ||
   [ "$(cat "$tree/.damon-base-version")" != "$version" ]; then
	echo "assemble: creating $tree from the base"
	rm -rf "$tree"
	cp -a "$pristine" "$tree"
	for p in "${upstream_damon[@]}"; do
		rm -rf "${tree:?}/$p"
	done
	: > "$manifest"
	echo "$version" > "$tree/.damon-base-version"
fi

# 3. Stage our files and the patched versions of the files patches/ edits.
stage=$(mktemp -d "$build/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cd "$repo"
git ls-files --cached --others --exclude-standard -- "${overlay_roots[@]}" |
	while read -r f; do [ -f "$f" ] && echo "$f"; done > "$stage/.ours"
mkdir -p "$stage/t"
rsync -a --files-from="$stage/.ours" "$repo/" "$stage/t/"
if [ -f patches/series ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		# Start each patched file from the base (or from our overlay).
		for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "patches/$p"); do
			if [ ! -e "$stage/t/$f" ] && [ -f "$pristine/$f" ]; then
				mkdir -p "$(dirname "$stage/t/$f")"
				cp -p "$pristine/$f" "$stage/t/$f"
			fi
		done
		patch -s -p1 -d "$stage/t" --no-backup-if-mismatch < "patches/$p" ||
			die "patches/$p does not apply"
	done < patches/series
fi
(cd "$stage/t" && find . -type f | sed 's|^\./||' | sort) > "$stage/.new-manifest"

# 4. Copy what changed (by content); restore or remove what we no longer lay.
rsync -rlcp --no-times "$stage/t/" "$tree/" --out-format='%n' |
	grep -v '/$' | sed 's/^/assemble: updated /' | head -50 || true
is_upstream_damon() {
	local p
	for p in "${upstream_damon[@]}"; do
		case "$1" in "$p" | "$p"/*) return 0 ;; esac
	done
	return 1
}
comm -23 <(sort "$manifest") "$stage/.new-manifest" | while read -r f; do
	if [ -f "$pristine/$f" ] && ! is_upstream_damon "$f"; then
		cp -p "$pristine/$f" "$tree/$f"
	else
		rm -f "$tree/$f"
	fi
	echo "assemble: dropped $f"
done
cp "$stage/.new-manifest" "$manifest"

# 5. Prove that none of the kernel's own DAMON is left: every file under the
#    DAMON paths must be ours, and no file of ours may equal an upstream one.
leftover=0
for p in "${upstream_damon[@]}"; do
	[ -e "$tree/$p" ] || continue
	while read -r f; do
		rel=${f#"$tree"/}
		if ! grep -qxF "$rel" "$manifest"; then
			echo "assemble: kernel's own DAMON file left: $rel" >&2
			leftover=1
		fi
	done < <(find "$tree/$p" -type f)
done
ours_sums=$(cd "$tree" && xargs -a "$manifest" -r sha256sum | awk '{print $1}' | sort -u)
theirs=$(cd "$pristine" && for p in "${upstream_damon[@]}"; do
	if [ -e "$p" ]; then find "$p" -type f; fi; done | xargs -r sha256sum)
while read -r sum f; do
	[ -n "$sum" ] || continue
	# Empty files (e.g. __init__.py) carry no text of anyone's.
	[ -s "$pristine/$f" ] || continue
	if grep -qx "$sum" <<< "$ours_sums"; then
		echo "assemble: a file of ours is identical to upstream $f" >&2
		leftover=1
	fi
done <<< "$theirs"
[ $leftover -eq 0 ] || die "the tree still holds the kernel's own DAMON"
echo "assemble: $tree ready (linux-source-6.12 $version," \
	"$(wc -l < "$manifest") files of ours, no upstream DAMON file)"
