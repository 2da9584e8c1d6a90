#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make series-check: build every patch of the series in turn, as a bisection
# would, on a clone of build/series/git (made by dev/series.py):
#
#  - after each patch, the UML kernel of the KUnit configuration
#    (mm/damon/.kunitconfig; options that do not exist yet are dropped), and
#    then W=1 and sparse (C=2) on DAMON's objects and on the other C files
#    of the kernel that the series has touched so far;
#  - at the end, the x86_64 guest kernel (tinyconfig + dev/configs/guest.config)
#    of the whole series, with W=1 and sparse the same way.
#
# A warning in DAMON's files fails the step; in another file of the kernel
# only when the base tree, built the same way, did not have it.  Takes the
# build lock (DAMON_BUILD_LOCK) for each step, not for the whole run.
# Logs: build/series/check-logs/.  Too slow for make check (about 40
# minutes cold on 2 cores).
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build/series
git_dir=$out/git
step=$out/step
logs=$out/check-logs
lock=${DAMON_BUILD_LOCK:-$repo/build/.lock}
jobs=$(nproc)
um=$out/um
x86=$out/x86

export KBUILD_BUILD_USER=damon KBUILD_BUILD_HOST=series
export KBUILD_BUILD_TIMESTAMP="2026-01-01"
export CCACHE_BASEDIR=$step CCACHE_NOHASHDIR=1
# Debian's python3 (and its packages) for the kernel's scripts.
export PATH=/usr/bin:$PATH

die() { echo "series-check: $*" >&2; exit 1; }
[ -d "$git_dir" ] || die "no series: run make series first"
command -v sparse > /dev/null || die "sparse missing (apt-get install sparse)"
mkdir -p "$logs" "$um" "$x86"
rm -f "$logs"/*.log

if [ ! -d "$step/.git" ]; then
	rm -rf "$step"
	git clone -q --shared --no-checkout "$git_dir" "$step" || die "clone"
fi
git -C "$step" fetch -q -f origin '+refs/heads/series:refs/heads/series' \
	'+refs/tags/base:refs/tags/base' || die "fetch"
mapfile -t commits < <(git -C "$step" rev-list --reverse base..series)
[ ${#commits[@]} -gt 0 ] || die "empty series"

mk() {	# mk ARCH OBJDIR ARGS...: make in the step tree (lock held)
	local arch=$1 obj=$2
	shift 2
	make -C "$step" O="$obj" ARCH="$arch" \
		CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# The build lock is held for one step at a time (its builds and checks),
# so that other builds of the machine get their turns in between.
exec 9>> "$lock"
waited=0
locked() {
	local t=$SECONDS
	flock 9
	waited=$((waited + SECONDS - t))
}
unlocked() { flock -u 9; }

checkout() {
	git -C "$step" checkout -q -f --detach "$1" && git -C "$step" clean -q -fdx
}

# The C files outside mm/damon/ that the series changed up to commit $1.
touched() {
	git -C "$step" diff --name-only base "$1" -- '*.c' |
		grep -v '^mm/damon/' || true
}

# Objects of the C files given on stdin that a build in $1 compiled.
built_objs() {
	local obj=$1 f
	while read -r f; do
		[ -f "$obj/${f%.c}.o" ] && echo "${f%.c}.o"
	done
	return 0
}

# "file: message" for each warning or error of a log about our files,
# without line numbers, so that the same warning matches across commits.
findings() {
	sed -E -e 's@^[^ :]*/step/@@' -e 's@^(\.\./)+@@' "$1" |
		sed -n -E 's@^([^ :]+):[0-9]+(:[0-9]+)?: (warning|error): (.*)$@\1: \3: \4@p' |
		sort -u
}

# um_config: the KUnit configuration of the commit checked out.
um_config() {
	grep -v '^#' "$repo/mm/damon/.kunitconfig" > "$um/.config"
	mk um "$um" olddefconfig > /dev/null
}

# wcheck ARCH OBJDIR TAG OBJS...: W=1 and sparse on mm/damon/ and OBJS.
wcheck() {
	local arch=$1 obj=$2 tag=$3
	shift 3
	local targets=("$@")
	[ -d "$step/mm/damon" ] && targets+=(mm/damon/)
	[ ${#targets[@]} -gt 0 ] || { : > "$logs/$tag.w1"; return 0; }
	mk "$arch" "$obj" -j"$jobs" W=1 C=2 "${targets[@]}" \
		> "$logs/$tag.w1.log" 2>&1
	findings "$logs/$tag.w1.log" > "$logs/$tag.w1"
}

# Findings that are known (dev/series/build.xfail), without comments.
grep -v '^#' "$repo/dev/series/build.xfail" 2>/dev/null |
	sed -e 's/[[:space:]]*#.*//' -e '/^$/d' > "$logs/known" || true

# new_findings TAG: what TAG found that the base did not and that is not
# known; the known ones it found go to $logs/TAG.known.
new_findings() {
	local base=$logs/base-$2.w1 f
	grep -xF -f "$logs/known" "$logs/$1.w1" > "$logs/$1.known" || true
	while read -r f; do
		grep -qxF -- "$f" "$base" "$logs/known" || echo "$f"
	done < "$logs/$1.w1"
}

t0=$(date +%s)
nr=${#commits[@]}
failed=0
summary=()
all_touched=$(touched series)

# The base: the W=1 and sparse findings that the other files already had.
echo "series-check: the base tree, for its own warnings"
locked
checkout base
um_config
mk um "$um" -j"$jobs" > "$logs/base-um.log" 2>&1 || die "the base does not build (UML)"
# shellcheck disable=SC2046
mk um "$um" -j"$jobs" W=1 C=2 $(built_objs "$um" <<< "$all_touched") \
	> "$logs/base-um.w1.log" 2>&1
findings "$logs/base-um.w1.log" > "$logs/base-um.w1"
unlocked

for i in "${!commits[@]}"; do
	c=${commits[$i]}
	n=$(printf '%04d' $((i + 1)))
	subject=$(git -C "$step" log -1 --format=%s "$c")
	t1=$(date +%s)
	locked
	checkout "$c"
	um_config
	if ! mk um "$um" -j"$jobs" > "$logs/$n-um.log" 2>&1; then
		unlocked
		grep -E 'error|Error' "$logs/$n-um.log" | head -20 >&2
		summary+=("FAIL $n $subject: UML build failed ($logs/$n-um.log)")
		failed=$((failed + 1))
		echo "${summary[-1]}"
		continue
	fi
	# shellcheck disable=SC2046
	wcheck um "$um" "$n-um" $(touched "$c" | built_objs "$um")
	unlocked
	new=$(new_findings "$n-um" um)
	if [ -n "$new" ]; then
		summary+=("FAIL $n $subject: W=1/sparse: $(echo "$new" | wc -l) new")
		echo "$new" | sed 's/^/    /' >&2
		failed=$((failed + 1))
	else
		summary+=("ok   $n $subject ($(($(date +%s) - t1)) s)")
	fi
	echo "${summary[-1]}"
done

# The x86_64 guest kernel of the whole series, against the base's findings
# for the other files it touches.
x86_config() {
	mk x86_64 "$x86" -s tinyconfig
	"$step/scripts/kconfig/merge_config.sh" -m -O "$x86" "$x86/.config" \
		"$repo/dev/configs/guest.config" > /dev/null
	mk x86_64 "$x86" -s olddefconfig
}
echo "series-check: x86_64 guest kernel"
t1=$(date +%s)
locked
checkout series
x86_config
if ! mk x86_64 "$x86" -j"$jobs" bzImage > "$logs/x86.log" 2>&1; then
	grep -E 'error|Error' "$logs/x86.log" | head -20 >&2
	unlocked
	summary+=("FAIL x86_64 guest kernel: build failed ($logs/x86.log)")
	failed=$((failed + 1))
else
	x86_objs=$(built_objs "$x86" <<< "$all_touched")
	# shellcheck disable=SC2086
	wcheck x86_64 "$x86" x86 $x86_objs
	# The same objects of the base, built the same way, for comparison.
	checkout base
	x86_config
	# shellcheck disable=SC2086
	{ mk x86_64 "$x86" -j"$jobs" prepare &&
	  mk x86_64 "$x86" -j"$jobs" W=1 C=2 $x86_objs; } \
		> "$logs/base-x86.w1.log" 2>&1
	findings "$logs/base-x86.w1.log" > "$logs/base-x86.w1"
	unlocked
	new=$(new_findings x86 x86)
	if [ -n "$new" ]; then
		summary+=("FAIL x86_64 guest kernel: W=1/sparse: $(echo "$new" | wc -l) new")
		echo "$new" | sed 's/^/    /' >&2
		failed=$((failed + 1))
	else
		summary+=("ok   x86_64 guest kernel ($(($(date +%s) - t1)) s)")
	fi
fi
echo "${summary[-1]}"

# Known findings that no step met any more: the list should shrink.
stale=$(cat "$logs"/*.known 2>/dev/null | sort -u | grep -vxF -f - "$logs/known")
if [ -n "$stale" ]; then
	summary+=("FAIL dev/series/build.xfail lists what no step found any more:")
	summary+=("$(echo "$stale" | sed 's/^/    /')")
	failed=$((failed + 1))
fi
known=$(cat "$logs"/*.known 2>/dev/null | sort -u | wc -l)

echo
echo "=== series-check: $nr patches, $(($(date +%s) - t0)) s," \
	"$(($(date +%s) - t0 - waited)) s of it holding the build lock ==="
printf '%s\n' "${summary[@]}"
echo "$((nr + 1 - failed)) passed, $failed failed, $known known findings"
[ $failed -eq 0 ]
