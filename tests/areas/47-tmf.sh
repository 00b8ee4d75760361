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

# any_alive PID...: whether one of the processes still runs.
any_alive() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

# storm_io BLK N END: rounds of fio writing and verifying region N (4 MiB)
# of BLK at queue depth 64 until the time END (date +%s); fails at the
# first round with an error, and leaves the rounds done in /tmp/tmf-roundsN.
storm_io() {
	local rounds=0
	while [ "$rounds" -eq 0 ] || [ "$(date +%s)" -lt "$3" ]; do
		fio --name=storm$2 --filename="$1" --direct=1 --ioengine=libaio \
			--iodepth=64 --rw=randwrite --bsrange=4k-64k \
			--offset=$((($2 - 1) * 4))M --size=4M \
			--verify=crc32c --verify_fatal=1 --do_verify=1 \
			--output="/tmp/tmf-fio$2.out" >/dev/null 2>&1 || return 1
		grep -q 'err= 0' "/tmp/tmf-fio$2.out" || return 1
		rounds=$((rounds + 1))
	done
	echo "$rounds" >"/tmp/tmf-rounds$2"
}

# fio writes and verifies at queue depth 64 through two sessions, each in
# its own region of a LUN on the stall disk, for SCST_STORM_SECONDS (90),
# while a third session fires LUN resets and CLEAR TASK SETs at the same
# device.  Each TMF is sent while the disk holds I/O, so it always finds
# commands to abort: some running (it waits for them), the rest queued
# (they never run).  Linux retries them all, and what fio reads back is
# what it wrote.
test_tmf_storm_on_two_sessions_loses_nothing() {
	local loop h sgr pids="" pid i tmfs=0 rc aborted n end
	loop=$(stall_setup)
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 /tmp/stall-mnt/lun O_DIRECT"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session ini.reset)
	sgr=$(session_sg "$h" 0)
	aborted=$(aborted_commands)
	rm -f /tmp/tmf-rounds*
	end=$(($(date +%s) + ${SCST_STORM_SECONDS:-90}))
	for i in 1 2; do
		h=$(local_session "ini.io$i")
		storm_io "$(blk_dev_of "$h:0:0:0")" "$i" "$end" &
		pids="$pids $!"
	done
	# shellcheck disable=SC2086
	while any_alive $pids; do
		dmsetup suspend --nolockfs scst-stall || fail "dmsetup suspend failed"
		sleep 0.5
		if [ $((tmfs % 2)) -eq 0 ]; then
			sg_reset -d "$sgr" >/dev/null 2>&1 &
		else
			tmf ini.reset 0 clear_task_set >/dev/null &
		fi
		pid=$!
		sleep 0.5
		dmsetup resume scst-stall || fail "dmsetup resume failed"
		wait "$pid" || fail "TMF $tmfs failed"
		tmfs=$((tmfs + 1))
	done
	for pid in $pids; do
		rc=0
		wait "$pid" || rc=$?
		assert_eq 0 "$rc" "fio rounds ($(cat /tmp/tmf-fio*.out | grep -iE 'err|verify' | head -n 5))"
	done
	for i in 1 2; do
		assert_eq 0 "$(commands_in_flight "ini.io$i")" "ini.io$i commands in flight after the storm"
	done
	n=$(($(aborted_commands) - aborted))
	[ "$tmfs" -ge 2 ] && [ "$n" -gt 0 ] ||
		fail "$tmfs LUN resets and CLEAR TASK SETs aborted $n commands"
	echo "note: $tmfs LUN resets and CLEAR TASK SETs aborted $n commands" \
		"during $(cat /tmp/tmf-rounds1) + $(cat /tmp/tmf-rounds2) verified fio rounds"
	scst_unload_all
	stall_cleanup "$loop"
	rm -f /tmp/tmf-fio*.out /tmp/tmf-rounds*
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

# abort_a_stalled_read SGA LOOP -- TRIGGER...: ini.a's READ is held in the
# stall disk while TRIGGER runs (in the background, its output in
# /tmp/abort-trigger); it must succeed having aborted exactly the read,
# which fails (its output is in /tmp/stall-out).
abort_a_stalled_read() {
	local sga=$1 loop=$2 aborted pid rc=0
	shift 3
	stall_start ini.a sg_raw -r 65536 "$sga" 28 00 00 00 00 00 00 00 80 00 ||
		{ stall_cleanup "$loop"; fail "the read never reached the LUN"; }
	aborted=$(aborted_commands)
	"$@" >/tmp/abort-trigger 2>&1 &
	pid=$!
	aborted=$(aborted_since "$aborted")
	dmsetup resume scst-stall || fail "dmsetup resume failed"
	assert_eq 1 "$aborted" "commands '$*' aborted"
	wait "$pid" || fail "'$*' failed: $(cat /tmp/abort-trigger)"
	wait "$STALL_PID" || rc=$?
	[ "$rc" -ne 0 ] || fail "the aborted read ended well: $(cat /tmp/stall-out)"
}

# clear_a_stalled_read SGA LOOP: ini.b's CLEAR TASK SET takes the read and
# answers FUNCTION COMPLETE.
clear_a_stalled_read() {
	abort_a_stalled_read "$1" "$2" -- tmf ini.b 0 clear_task_set
	assert_eq complete "$(cat /tmp/abort-trigger)" "answer to CLEAR TASK SET"
}

# CLEAR TASK SET from another initiator takes ini.a's running read: with
# TAS 0 the read gets no status and ini.a is told COMMANDS CLEARED BY
# ANOTHER INITIATOR; the initiator that cleared is not.
test_clear_task_set_by_another_initiator_leaves_a_unit_attention() {
	local loop sga sgb
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	clear_a_stalled_read "$sga" "$loop"
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
	rm -f /tmp/abort-trigger
}

# With the control mode page's TAS set, a command that another initiator
# clears ends in TASK ABORTED status instead of silently, and no unit
# attention is left behind.
test_tas_ends_commands_cleared_by_another_initiator_in_task_aborted() {
	local loop sga sgb
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	# Control page: GLTSD, queue algorithm modifier 1, TAS.
	mode_select6 "$sga" "00 00 00 00 0a 0a 02 10 00 40 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting TAS failed"
	assert_eq "0a 0a 02 10 00 40" "$(mode_page "$sga" 0x0a | cut -d' ' -f1-6)" "control page"
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sgb"
	clear_a_stalled_read "$sga" "$loop"
	assert_match 'Task Aborted' "$(cat /tmp/stall-out)" "status of the cleared read"
	# The status told ini.a: no COMMANDS CLEARED BY ANOTHER INITIATOR.
	expect_status 0 -- sg_turs "$sga"
	assert_eq 0 "$(commands_in_flight ini.a)" "commands in flight"
	scst_unload_all
	stall_cleanup "$loop"
	rm -f /tmp/abort-trigger
}

# QErr 01b: a CHECK CONDITION aborts every initiator's commands to the
# logical unit; another initiator's end without status (TAS 0) and leave
# COMMANDS CLEARED BY DEVICE SERVER.  11b: only the failing nexus' own
# commands, silently.  10b is reserved.
test_qerr_aborts_commands_on_a_check_condition() {
	local loop sga sgb
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	expect_sense 0x5 0x26 0x00 -- \
		mode_select6 "$sgb" "00 00 00 00 0a 0a 02 14 00 00 00 00 00 00 00 00"
	mode_select6 "$sgb" "00 00 00 00 0a 0a 02 12 00 00 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting QErr 01b failed"
	assert_eq "0a 0a 02 12" "$(mode_page "$sgb" 0x0a | cut -d' ' -f1-4)" "control page"
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sga"
	abort_a_stalled_read "$sga" "$loop" -- \
		expect_sense 0x5 0x20 0x00 -- sg_raw "$sgb" ff 00 00 00 00 00
	if grep -qi 'cleared by device server' /tmp/stall-out; then
		echo "note: the retried read reported the unit attention"
	else
		expect_sense 0x6 0x2f 0x02 -- sg_turs "$sga"
	fi
	expect_status 0 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sgb"
	mode_select6 "$sgb" "00 00 00 00 0a 0a 02 16 00 00 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting QErr 11b failed"
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sga"
	abort_a_stalled_read "$sga" "$loop" -- \
		expect_sense 0x5 0x20 0x00 -- sg_raw "$sga" ff 00 00 00 00 00
	expect_status 0 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sgb"
	assert_eq 0 "$(commands_in_flight ini.a)" "commands in flight"
	scst_unload_all
	stall_cleanup "$loop"
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
