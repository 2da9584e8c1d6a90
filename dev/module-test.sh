#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DAMON as a module: build the module flavour of the guest (DAMON=m, with
# kmemleak and lockdep), boot it, and load, use and unload damon.ko many
# times (tools/testing/selftests/damon/module_reload.sh).
#
# Usage: dev/module-test.sh [ROUNDS]   (default 100)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export DAMON_RELOADS=${1:-100}
export DAMON_KO=$repo/build/module/mm/damon/damon.ko

make -s -C "$repo" module
exec "$repo/dev/guest-run.sh" -f module -t 1200 -e DAMON_KO -e DAMON_RELOADS \
	"$repo/tools/testing/selftests/damon/module_reload.sh"
