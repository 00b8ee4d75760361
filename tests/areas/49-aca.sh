# Area "aca": auto contingent allegiance.  A command with NACA set in its
# control byte that ends in CHECK CONDITION holds its logical unit for the
# initiator that sent it: its next commands get ACA ACTIVE, the other
# initiators' commands BUSY, until a reset or the loss of that nexus.

# A READ(10) of one block past the end of a 1 MiB disk, control byte $2.
aca_bad_read() {
	expect_sense 0x5 0x21 0x00 -- sg_raw -r 512 "$1" 28 00 00 00 08 00 00 00 01 "$2"
}

aca_disk() {
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
}

test_naca_failure_holds_the_lun_until_a_lun_reset() {
	local sga sgb turpid rc=0
	aca_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	assert_match 'NormACA=1' "$(sg_inq "$sga")" "standard INQUIRY"
	# NACA clear: a plain contingent allegiance, nothing stays blocked.
	aca_bad_read "$sga" 00
	expect_status 0 -- sg_turs "$sga"
	# NACA set on a command that succeeds: nothing either.
	expect_status 0 -- sg_raw -r 512 "$sga" 28 00 00 00 00 00 00 00 01 04
	expect_status 0 -- sg_turs "$sga"
	# NACA set and CHECK CONDITION: ACA.
	aca_bad_read "$sga" 04
	expect_status 28 -- sg_turs "$sga"
	assert_match 'SCSI Status: ACA Active' \
		"$(sg_raw -r 512 "$sga" 28 00 00 00 00 00 00 00 01 00 2>&1)" "READ during the ACA"
	# The other initiator gets BUSY, which Linux retries: its TUR waits.
	sg_turs "$sgb" >/dev/null 2>&1 &
	turpid=$!
	sleep 2
	kill -0 "$turpid" 2>/dev/null || fail "ini.b's TUR ended during the ACA"
	sg_reset -d "$sga" >/dev/null 2>&1 || fail "sg_reset -d failed"
	wait "$turpid" || rc=$?
	# It then sees the reset's unit attention, or nothing if Linux took it.
	[ "$rc" -eq 0 ] || [ "$rc" -eq 6 ] || fail "ini.b's TUR ended with $rc"
	expect_status 0 -- sg_turs "$sga"
	sg_turs "$sgb" >/dev/null 2>&1 || true
	expect_status 0 -- sg_turs "$sgb"
	scst_unload_all
}

test_aca_ends_with_the_faulted_session() {
	local sga sgb
	aca_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	aca_bad_read "$sga" 04
	expect_status 28 -- sg_turs "$sga"
	proc_cmd scst_local/scst_local "del_session ini.a"
	expect_status 0 -- timeout 20 sg_turs "$sgb"
	scst_unload_all
}

test_clear_aca_from_the_faulted_nexus_only() {
	local sga sgb
	aca_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	assert_eq complete "$(tmf ini.a 0 clear_aca)" "CLEAR ACA without an ACA"
	aca_bad_read "$sga" 04
	expect_status 28 -- sg_turs "$sga"
	assert_eq rejected "$(tmf ini.b 0 clear_aca)" "CLEAR ACA from the other nexus"
	expect_status 28 -- sg_turs "$sga"
	assert_eq complete "$(tmf ini.a 0 clear_aca)" "CLEAR ACA from the faulted nexus"
	expect_status 0 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sgb"
	assert_eq incorrect_lun "$(tmf ini.a 9 clear_aca)" "CLEAR ACA to a LUN that does not exist"
	scst_unload_all
}

test_query_async_event_reports_a_pending_unit_attention() {
	local sga sgb
	aca_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	assert_eq complete "$(tmf ini.b 0 query_async_event)" "nothing pending"
	assert_eq complete "$(tmf ini.a 0 lun_reset)" "LUN RESET"
	assert_eq succeeded "$(tmf ini.b 0 query_async_event)" "the reset's unit attention"
	assert_eq complete "$(tmf ini.a 0 query_async_event)" "the resetter has none"
	expect_sense 0x6 0x29 0x03 -- sg_turs "$sgb"
	assert_eq complete "$(tmf ini.b 0 query_async_event)" "after it was reported"
	assert_eq complete "$(tmf ini.b 0 query_task_set)" "no task in flight"
	scst_unload_all
}
