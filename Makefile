# SPDX-License-Identifier: GPL-2.0
#
# Entry points of the DAMON project.  `make help` lists them.

REPO	:= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD	:= $(REPO)/build
# Builds take this lock; several clones on one machine can share one
# (DAMON_BUILD_LOCK=/some/file) so that only one kernel builds at a time.
DAMON_BUILD_LOCK ?= $(BUILD)/.lock
LOCK	:= flock $(DAMON_BUILD_LOCK)
FLAVOUR	?= guest
TIMEOUT	?= 900
CMD	?= uname -a

.PHONY: help deps assemble kunit guest debug module guest-run selftests \
	upstream-selftests damo-test check check-debug demo bench mainline clean \
	profile mainline-profile bench-profile \
	layers series series-verify series-check docs cross

help:
	@echo "make demo          build, boot, monitor a workload with our DAMON, show what it saw"
	@echo "make check         the whole test suite (what CI runs)"
	@echo "make check-debug   the test suite on the debug kernel (KASAN, lockdep, kmemleak, UBSAN)"
	@echo "make deps          install the Debian packages we need"
	@echo "make assemble      assemble build/linux: base kernel - its DAMON + ours + patches/"
	@echo "make kunit         DAMON's KUnit suites under UML"
	@echo "make guest|debug|module   build that flavour of the x86_64 guest kernel"
	@echo "make guest-run CMD='...' [FLAVOUR=guest|debug] [TIMEOUT=s] [SWAP=MiB]"
	@echo "                   boot our kernel under qemu and run CMD in it (bash, as root)"
	@echo "make selftests     our kselftests in the guest"
	@echo "make damo-test     damo's unit tests"
	@echo "make layers        check the include/call directions between our C files"
	@echo "make series        the patch series: build/series/0000-cover-letter.patch ..."
	@echo "make series-verify git am it, prove it equals the assembled tree, checkpatch it"
	@echo "make series-check  build every patch of it in turn, W=1 and sparse (slow)"
	@echo "make docs          our Documentation/ pages as HTML (build/docs/), no warnings"
	@echo "make bench         benchmarks (not part of check)"
	@echo "make cross         cross-build the series for arm64 and riscv64, DAMON=m and =y"
	@echo "make mainline      the untouched base kernel (its own DAMON), for bench"
	@echo "make bench-profile where kdamond's time goes, ours and mainline (not part of check)"

$(BUILD)/.lock:
	@mkdir -p $(BUILD) && touch $@

deps:
	@$(REPO)/dev/install-deps.sh

assemble: deps $(BUILD)/.lock
	@$(LOCK) $(REPO)/dev/assemble.sh

kunit: assemble
	cd $(BUILD)/linux && CCACHE_BASEDIR=$(REPO) CCACHE_NOHASHDIR=1 $(LOCK) python3 tools/testing/kunit/kunit.py run \
		--kunitconfig=mm/damon/.kunitconfig --build_dir=$(BUILD)/kunit \
		--make_options="CC=ccache gcc" --jobs=$$(nproc)

guest debug module: assemble
	@$(LOCK) $(REPO)/dev/build-kernel.sh $@

guest-run: $(FLAVOUR)
	@$(REPO)/dev/guest-run.sh -f $(FLAVOUR) -t $(TIMEOUT) $(if $(SWAP),-s $(SWAP)) \
		'$(subst ','\'',$(CMD))'

selftests: guest
	@$(MAKE) -s -C $(BUILD)/linux/tools/testing/selftests TARGETS=damon \
		O=$(BUILD)/share/ksft/ours
	@$(REPO)/dev/guest-run.sh -f guest -t 1500 -s 1024 \
		'make -s -C $(BUILD)/linux/tools/testing/selftests TARGETS=damon O=$(BUILD)/share/ksft/ours run_tests'

damo-test:
	python3 -m unittest discover -s $(REPO)/tools/damon/tests -t $(REPO)/tools/damon

layers:
	@$(REPO)/dev/layers.py

series: assemble
	@$(REPO)/dev/series.py make

series-verify: series
	@$(REPO)/dev/series.py verify

series-check: series
	@$(REPO)/dev/series-check.sh

docs: assemble
	@$(REPO)/dev/docs.sh > /dev/null

check:
	@$(REPO)/dev/check.sh guest

check-debug:
	@$(REPO)/dev/check.sh debug

# The series cross-built for arm64 and riscv64, DAMON=m and =y (not in
# check: see dev/DEBUG-CI.md).
cross: assemble
	@$(REPO)/dev/install-deps.sh cross
	@$(LOCK) $(REPO)/dev/cross-build.sh

demo: guest
	@$(REPO)/dev/demo.sh

mainline profile mainline-profile: assemble
	@$(LOCK) $(REPO)/dev/build-kernel.sh $@

bench: guest mainline
	@$(REPO)/bench/run.sh

# ftrace's function profiler on kdamond (not part of check or bench).
bench-profile: profile mainline-profile
	@$(REPO)/bench/profile.sh

clean:
	rm -rf $(BUILD)/guest $(BUILD)/debug $(BUILD)/module $(BUILD)/mainline \
		$(BUILD)/profile $(BUILD)/mainline-profile \
		$(BUILD)/cross-arm64 $(BUILD)/cross-riscv \
		$(BUILD)/kunit $(BUILD)/bench \
		$(BUILD)/share $(BUILD)/check-logs
