# Area "tmf": task management through the local driver.  Linux's SCSI error
# handler and sg_reset's ioctls become the core's TMFs: a LUN reset aborts
# every initiator's commands to the logical unit, the commands Linux had in
# flight are retried, no data is lost, and the other initiators learn of the
# reset by a unit attention.

test_lun_reset_gives_the_other_initiators_a_unit_attention() {
	local sga sgb sgc
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	sgc=$(initiator ini.c)
	sg_reset -d "$sga" >/dev/null 2>&1 || fail "sg_reset -d failed"
	# BUS DEVICE RESET FUNCTION OCCURRED, once, to the others only.
	expect_sense 0x6 0x29 0x03 -- sg_turs "$sgb"
	sg_turs "$sgb" >/dev/null 2>&1 || fail "ini.b: the unit attention came twice"
	expect_sense 0x6 0x29 0x03 -- sg_turs "$sgc"
	sg_turs "$sga" >/dev/null 2>&1 || fail "ini.a got a unit attention for its own reset"
	# A target reset reaches every LUN of the target's other sessions.
	sg_reset -t "$sga" >/dev/null 2>&1 || fail "sg_reset -t failed"
	expect_sense 0x6 0x29 0x00 -- sg_turs "$sgb"
	sg_turs "$sga" >/dev/null 2>&1 || fail "ini.a: unit attention after its target reset"
	# A host reset ends the nexus: its own LUNs report I_T NEXUS LOSS.
	sg_reset -H "$sgc" >/dev/null 2>&1 || fail "sg_reset -H failed"
	sg_turs "$sgc" >/dev/null 2>&1 || true
	assert_eq 0 "$(commands_in_flight ini.a)" "ini.a commands in flight"
	assert_eq 0 "$(commands_in_flight ini.c)" "ini.c commands in flight"
	scst_unload_all
}

# fio writes and verifies through one session while another one fires LUN
# resets at the same device: every reset aborts fio's commands in flight,
# Linux retries them, and what fio reads back is what it wrote.
tmf_storm() {
	local ha hb blk sgb fiopid resets=0 rc=0 out=/tmp/tmf-fio.out aborted
	ha=$(local_session ini.io)
	hb=$(local_session ini.reset)
	session_sg "$ha" 0 >/dev/null
	sgb=$(session_sg "$hb" 0)
	blk=$(blk_dev_of "$ha:0:0:0")
	aborted=$(awk '$1 == "aborted_commands" { print $2 }' /proc/scsi_tgt/stats)
	fio --name=storm --filename="$blk" --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randwrite --bsrange=4k-64k --size=24M \
		--verify=crc32c --verify_fatal=1 --do_verify=1 \
		--output="$out" >/dev/null 2>&1 &
	fiopid=$!
	while kill -0 "$fiopid" 2>/dev/null; do
		sg_reset -d "$sgb" >/dev/null 2>&1 && resets=$((resets + 1))
		sleep 0.1
	done
	wait "$fiopid" || rc=$?
	assert_eq 0 "$rc" "fio exit status ($(grep -iE 'err|verify' "$out" | head -n 5))"
	assert_match 'err= 0' "$(cat "$out")" "fio errors"
	[ "$resets" -ge 3 ] || fail "only $resets LUN resets during the run"
	aborted=$(($(awk '$1 == "aborted_commands" { print $2 }' /proc/scsi_tgt/stats) - aborted))
	# How many commands a reset finds in flight is timing; the test below
	# aborts a running command for certain.
	echo "note: $resets LUN resets aborted $aborted commands during the fio run"
	assert_eq 0 "$(commands_in_flight ini.io)" "commands in flight after the storm"
}

test_lun_resets_during_verified_writes_lose_nothing_fileio() {
	local f=/tmp/tmf-img
	local_stack_load
	rm -f "$f"
	truncate -s 32M "$f"
	proc_cmd vdisk/vdisk "open d1 $f"
	proc_cmd groups/Default/devices "add d1 0"
	tmf_storm
	scst_unload_all
	rm -f "$f"
}

test_lun_resets_during_io_nullio() {
	local ha hb blk sgb ddpid resets=0
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=67108864"
	proc_cmd groups/Default/devices "add d1 0"
	ha=$(local_session ini.io)
	hb=$(local_session ini.reset)
	session_sg "$ha" 0 >/dev/null
	sgb=$(session_sg "$hb" 0)
	blk=$(blk_dev_of "$ha:0:0:0")
	fio --name=reads --filename="$blk" --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randrw --bs=4k --time_based --runtime=8 \
		>/dev/null 2>&1 &
	ddpid=$!
	while kill -0 "$ddpid" 2>/dev/null; do
		sg_reset -d "$sgb" >/dev/null 2>&1 && resets=$((resets + 1))
		sleep 0.2
	done
	wait "$ddpid" || fail "fio failed during LUN resets"
	[ "$resets" -ge 3 ] || fail "only $resets LUN resets during the run"
	assert_eq 0 "$(commands_in_flight ini.io)" "commands in flight"
	scst_unload_all
}

# A LUN reset that finds a command running waits for it: nothing reaches
# the backing store after the reset is answered.  The command is held in
# the device by suspending the device-mapper disk under the LUN's file.
test_lun_reset_waits_for_a_running_command_and_it_is_retried() {
	local loop sga sgb blk resetpid aborted waiting=no query
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	blk=$(blk_dev_of_sg "$sga")
	aborted=$(aborted_commands)
	stall_read ini.a "$blk" || { stall_cleanup "$loop"; fail "the read never reached the LUN"; }
	# The held read is a task of ini.a's task set, known by QUERY TASK SET.
	query=$(tmf ini.a 0 query_task_set)
	sg_reset -d "$sgb" >/dev/null 2>&1 &
	resetpid=$!
	aborted=$(aborted_since "$aborted")
	sleep 1
	kill -0 "$resetpid" 2>/dev/null && waiting=yes
	dmsetup resume scst-stall || fail "dmsetup resume failed"
	assert_eq succeeded "$query" "QUERY TASK SET with a read in the device"
	assert_eq yes "$waiting" "the LUN reset waits for the running command"
	assert_eq 1 "$aborted" "commands the LUN reset aborted"
	wait "$resetpid" || fail "sg_reset -d failed"
	# Linux retries the aborted read, which now reads the data back.
	wait "$STALL_PID" || fail "the read failed after the reset"
	cmp -s /tmp/stall-read /tmp/stall-pattern || fail "the read returned other data"
	assert_eq 0 "$(commands_in_flight ini.a)" "commands in flight"
	scst_unload_all
	stall_cleanup "$loop"
}

# CLEAR TASK SET from another initiator takes ini.a's running read: with
# TAS 0 the read gets no status and ini.a is told COMMANDS CLEARED BY
# ANOTHER INITIATOR; the initiator that cleared is not.
test_clear_task_set_by_another_initiator_leaves_a_unit_attention() {
	local loop sga sgb tmfpid answer aborted rc=0
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	stall_start ini.a sg_raw -r 65536 "$sga" 28 00 00 00 00 00 00 00 80 00 ||
		{ stall_cleanup "$loop"; fail "the read never reached the LUN"; }
	aborted=$(aborted_commands)
	tmf ini.b 0 clear_task_set >/tmp/tmf-answer 2>&1 &
	tmfpid=$!
	aborted=$(aborted_since "$aborted")
	dmsetup resume scst-stall || fail "dmsetup resume failed"
	assert_eq 1 "$aborted" "commands CLEAR TASK SET aborted"
	wait "$tmfpid" || fail "CLEAR TASK SET failed: $(cat /tmp/tmf-answer)"
	answer=$(cat /tmp/tmf-answer)
	assert_eq complete "$answer" "answer to CLEAR TASK SET"
	wait "$STALL_PID" || rc=$?
	[ "$rc" -ne 0 ] || fail "the cleared read ended well: $(cat /tmp/stall-out)"
	# Either the mid-layer retried the read, which then reported the unit
	# attention, or the next command reports it.
	if grep -qi 'cleared by another initiator' /tmp/stall-out; then
		echo "note: the retried read reported the unit attention"
	else
		expect_sense 0x6 0x2f 0x00 -- sg_turs "$sga"
	fi
	expect_status 0 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sgb"
	assert_eq 0 "$(commands_in_flight ini.a)" "commands in flight"
	scst_unload_all
	stall_cleanup "$loop"
	rm -f /tmp/tmf-answer
}

# "del DEVICE force" while an initiator writes to it: the commands in
# flight are aborted cleanly, the LUN goes away at once, nothing hangs.
test_del_force_during_io_aborts_and_removes_the_lun() {
	local h blk fiopid f=/tmp/tmf-del-img
	local_stack_load
	rm -f "$f"
	truncate -s 32M "$f"
	proc_cmd vdisk/vdisk "open d1 $f"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session ini.del)
	session_sg "$h" 0 >/dev/null
	blk=$(blk_dev_of "$h:0:0:0")
	fio --name=del --filename="$blk" --direct=1 --ioengine=libaio \
		--iodepth=32 --rw=randwrite --bs=16k --time_based --runtime=60 \
		>/dev/null 2>&1 &
	fiopid=$!
	sleep 3
	proc_cmd groups/Default/devices "del d1 force"
	assert_eq "" "$(cat /proc/scsi_tgt/groups/Default/devices)" "LUNs after del force"
	# fio notices the disk is gone (Linux removes it after the rescan).
	for _ in $(seq 300); do
		kill -0 "$fiopid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$fiopid" 2>/dev/null; then
		kill "$fiopid"
		wait "$fiopid" || true
		fail "fio still runs 30 s after its LUN was deleted"
	fi
	wait "$fiopid" || true
	assert_eq 0 "$(commands_in_flight ini.del)" "commands in flight"
	# The device can be exported again.
	proc_cmd groups/Default/devices "add d1 0"
	session_sg "$h" 0 >/dev/null
	scst_unload_all
	rm -f "$f"
}
