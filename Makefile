# SPDX-License-Identifier: GPL-2.0-only
#
# Out-of-tree build of SCST's kernel modules.
#
#   make                 build every module against KDIR (W=1)
#   make C=2             the same, with sparse on every file
#   make checkpatch      scripts/checkpatch.pl --no-tree --strict on our C sources
#   make check-builds    build warning-free (-Werror) against every installed
#                        kernel's headers (Debian bookworm: 6.1 and 6.12)
#   make install         modules_install into /lib/modules/KVER/extra (and run
#                        depmod); INSTALL_MOD_PATH=DIR stages it under DIR
#   make test            static checks (check-builds, checkpatch, a staged
#                        install), then boot QEMU guests and run tests/ in the
#                        stock and the debug lane
#   make fuzz            run the iSCSI parsers' libFuzzer harness (part of test)
#   make demo            boot a guest and show SCST as an administrator sees it
#   make deps            install the Debian packages everything above needs
#                        (test and demo do this themselves)
#
# KDIR defaults to the build directory of the newest kernel whose headers are
# installed (the running kernel may have none).

KDIR ?= $(shell ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)

KVER := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD_DIR ?= $(CURDIR)/.build/$(KVER)
CONFTEST_H := $(BUILD_DIR)/scst_conftest.h

# KUnit suites are built only for kernels that have KUnit (the debug lane).
KUNIT := $(shell grep -qs '^CONFIG_KUNIT=y' $(KDIR)/include/config/auto.conf && echo m)

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) W=1 \
	SCST_CONFTEST_H=$(CONFTEST_H) \
	CONFIG_SCST=m CONFIG_SCST_LOCAL=m CONFIG_SCST_VDISK=m CONFIG_SCST_KUNIT_TEST=$(KUNIT)

CHECKPATCH_DIR ?= $(or $(SCST_CACHE_DIR),/var/cache/scst-tests)/checkpatch
# Kernel code only: tests/fuzz/ is a user-space program around libFuzzer's
# LLVMFuzzerTestOneInput() (the parsers it builds are checked in iscsi/).
C_SOURCES = $(shell git ls-files --cached --others --exclude-standard '*.c' '*.h' \
	':!tests/fuzz/*' 2>/dev/null || \
	find . -name '*.[ch]' -not -path './.build/*' -not -path './tests/out/*' \
	-not -path './tests/fuzz/*')

.PHONY: all have-kdir modules clean install checkpatch check-builds check-install \
	static-checks test test-stock test-debug demo bench deps fuzz

all: modules

modules: have-kdir $(CONFTEST_H)
	$(MAKE) $(KBUILD_ARGS) modules

have-kdir:
	@test -n "$(KDIR)" || { echo "no kernel headers: make deps, or set KDIR" >&2; exit 1; }

$(CONFTEST_H): scripts/conftest.sh $(wildcard scripts/conftest/*.c)
	@mkdir -p $(dir $@)
	scripts/conftest.sh $(KDIR) $@

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf .build

# kbuild skips depmod when KDIR has no System.map (headers packages have none).
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	/sbin/depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KVER)

checkpatch:
	scripts/checkpatch.sh $(CHECKPATCH_DIR) $(C_SOURCES)

check-builds:
	scripts/check-builds.sh

check-install:
	scripts/check-install.sh

static-checks: deps
	scripts/check-builds.sh
	$(MAKE) checkpatch
	scripts/check-install.sh

test: static-checks fuzz
	tests/run --lane all

# libFuzzer on the iSCSI parsers, in user space (tests/fuzz/run.sh).
fuzz: deps
	tests/fuzz/run.sh

test-stock: deps
	tests/run --lane stock

test-debug: deps
	tests/run --lane debug

demo: deps
	tests/run --demo

# Not a test: fio on scst_local, tcm_loop and scsi_debug in one guest.
bench: deps
	tests/run --bench

deps:
	scripts/install-deps.sh
