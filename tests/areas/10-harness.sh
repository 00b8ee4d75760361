# Area "harness": the test harness itself works and cannot pass silently.

test_guest_has_the_initiator_tools() {
	local t
	for t in sg_inq sg_raw sg_decode_sense sg_vpd sg_luns sg_persist sg_reset \
		lsscsi fio mt mtx iscsi-test-cu iscsiadm mkfs.ext4 python3; do
		command -v "$t" >/dev/null || fail "$t is not available in the guest"
	done
	[ -w /dev/kmsg ] || fail "/dev/kmsg is not writable"
}

test_scst_core_loads_and_unloads() {
	local v
	scst_load
	v=$(cat /proc/scsi_tgt/version)
	assert_match "^SCST [0-9]+\.[0-9]+\.[0-9]+.* \(built for $(uname -r)\)$" \
		"$(head -n 1 <<<"$v")" "version line"
	assert_match '^features: ' "$(sed -n 2p <<<"$v")" "features line"
	assert_eq "0:0" "$(stat -c %u:%g /proc/scsi_tgt/version)" "owner of version"
	assert_match 'scst: SCST core .* loaded' "$(klog_window "$SCST_TEST_NUM")" "load message"
	scst_unload_all
	[ ! -d /sys/module/scst ] || fail "scst still loaded"
}

test_log_scanner_catches_a_warning() {
	local found
	[ -z "$(klog_problems)" ] || fail "log not clean before the provoked warning"
	kmod_load scst_test_faults warn=1
	rmmod scst_test_faults
	found=$(klog_problems)
	assert_match 'WARNING:' "$found" "scanner output"
	assert_match 'scst_test_faults' "$(klog_window "$SCST_TEST_NUM")" "warning origin"
	klog_ack
	[ -z "$(klog_problems)" ] || fail "klog_ack did not reset the window"
}

test_log_scanner_catches_sleep_in_atomic_context() {
	[ "$SCST_LANE" = debug ] || skip "needs CONFIG_DEBUG_ATOMIC_SLEEP (debug lane)"
	kmod_load scst_test_faults atomic_sleep=1
	rmmod scst_test_faults
	assert_match 'sleeping function called from invalid context' \
		"$(klog_problems)" "scanner output"
	klog_ack
}

test_kmemleak_catches_a_leak() {
	local leaks
	kmemleak_available || skip "needs kmemleak (debug lane)"
	kmod_load scst_test_faults leak=3000
	# Scan while the module is loaded, so the backtrace names its function.
	leaks=$(kmemleak_scan)
	rmmod scst_test_faults
	assert_match '^unreferenced object 0x[0-9a-f]+ \(size [0-9]+\)' "$leaks" "kmemleak report"
	assert_match 'scst_test_leak' "$leaks" "leak backtrace"
	assert_match 'kmemleak: .* new suspected memory leak' "$(klog_problems)" "scanner output"
	klog_ack
}

# The sense helpers against a real SCSI device: scsi_debug.
test_sense_helpers_against_scsi_debug() {
	local hctl sg
	kmod_load sg
	kmod_load scsi_debug dev_size_mb=8
	hctl=$(wait_for_scsi_dev Linux scsi_debug)
	sg=$(sg_dev_of "$hctl")
	# Unknown opcode: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.
	expect_sense 0x5 0x20 0x00 -- sg_raw "$sg" ff 00 00 00 00 00
	# The helper must refuse a sense that does not match.
	if (expect_sense 0x5 0x24 0x00 -- sg_raw "$sg" ff 00 00 00 00 00) >/dev/null 2>&1; then
		fail "expect_sense accepted the wrong ASC"
	fi
	if (expect_sense 0x6 0x20 0x00 -- sg_raw "$sg" ff 00 00 00 00 00) >/dev/null 2>&1; then
		fail "expect_sense accepted the wrong sense key"
	fi
	# A good command: TEST UNIT READY after the power-on UA has been seen.
	sg_turs "$sg" >/dev/null 2>&1 || true
	sg_turs "$sg" || fail "TEST UNIT READY failed on scsi_debug"
	rmmod scsi_debug
}
