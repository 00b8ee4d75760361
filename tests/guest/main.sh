#!/bin/bash
# Guest side entry point, run by the initramfs inside the shared root.
# Prepares the guest (tmpfs, debugfs, loopback, module tree) and runs either
# the test runner, the demo or the benchmark; the initramfs powers off
# afterwards.
set -u
. /scst-results/env
export SCST_LANE SCST_MODE SCST_REPO SCST_MODDIR SCST_FILTER SCST_TEST_TIMEOUT
export SCST_RESULTS=/scst-results

mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# devtmpfs lacks these; bash's <(...) needs /dev/fd.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
ip link set lo up
hostname scst-guest
echo 1 >/proc/sys/kernel/sysrq
# Report hung tasks well inside a test's time limit.
[ -w /proc/sys/kernel/hung_task_timeout_secs ] &&
	echo 60 >/proc/sys/kernel/hung_task_timeout_secs

# The debug kernel's modules live in the cache, not in the host's /lib/modules.
if [ -n "${SCST_MODTREE:-}" ] && [ ! -e "/lib/modules/$(uname -r)" ]; then
	ln -s "$SCST_MODTREE" "/lib/modules/$(uname -r)"
fi

case $SCST_MODE in
demo) bash "$SCST_REPO/tests/demo.sh" >"$SCST_RESULTS/demo.txt" 2>&1 ;;
bench) bash "$SCST_REPO/tests/bench/bench.sh" >"$SCST_RESULTS/bench.txt" 2>&1 ;;
*) bash "$SCST_REPO/tests/guest/runner.sh" ;;
esac
sync
