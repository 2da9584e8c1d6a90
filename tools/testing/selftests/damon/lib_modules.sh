#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the shell tests of DAMON_RECLAIM and DAMON_LRU_SORT.  Source
# it after lib_damon.sh; don't run it.

# params MODULE: the directory of the module's parameters.
params()
{
	echo "/sys/module/$1/parameters"
}

# kdamonds: how many kdamond threads run.
kdamonds()
{
	grep -l '^kdamond' /proc/[0-9]*/comm 2>/dev/null | wc -l
}

modules_state=""

# save_params MODULE...: remember the writable parameters of the modules
# (all but enabled and commit_inputs); restore_params puts them back.
save_params()
{
	local m f

	[ -n "$modules_state" ] || modules_state=$(mktemp -d)
	for m in "$@"; do
		for f in "$(params "$m")"/*; do
			case ${f##*/} in enabled|commit_inputs) continue ;; esac
			[ "$(stat -c %a "$f")" = 600 ] &&
				echo "${f##*/}=$(cat "$f")"
		done > "$modules_state/$m"
	done
}

# restore_params MODULE...: disable the modules, then restore what
# save_params saw.
restore_params()
{
	local m kv

	for m in "$@"; do
		[ -f "$modules_state/$m" ] || continue
		echo N > "$(params "$m")/enabled"
		for kv in $(cat "$modules_state/$m"); do
			echo "${kv#*=}" > "$(params "$m")/${kv%%=*}"
		done
	done
}

# always_active MODULE: watermarks that keep the module's schemes working
# whatever memory is free, checked every 100 ms.
always_active()
{
	local p

	p=$(params "$1")
	echo 1000 > "$p/wmarks_high"
	echo 1000 > "$p/wmarks_mid"
	echo 0 > "$p/wmarks_low"
	echo 100000 > "$p/wmarks_interval"
}
