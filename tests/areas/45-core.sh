# Area "core": what the core emulates centrally for every device, seen
# through local sessions: per-initiator LUN sets, REPORT LUNS, sense data
# for bad CDBs, the session table and its command counter.

LOCAL=scst_local/scst_local


# core_luns SG: the LUN list REPORT LUNS returns, as 16 hex digits per LUN.
core_luns() {
	sg_luns "$1" | grep -oE '^ *[0-9a-f]{16}$' | tr -d ' ' | tr '\n' ' '
}

test_initiators_in_different_groups_see_different_luns() {
	local ha hb sga sgb
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd vdisk/vdisk "open d2 none NULLIO size=1048576"
	proc_cmd vdisk/vdisk "open d3 none NULLIO size=1048576"
	proc_cmd scsi_tgt "add_group GA"
	proc_cmd scsi_tgt "add_group GB"
	proc_cmd groups/GA/names "add iqn.a"
	proc_cmd groups/GB/names "add iqn.b*"
	proc_cmd groups/GA/devices "add d1 0"
	proc_cmd groups/GA/devices "add d2 7"
	proc_cmd groups/GB/devices "add d3 0"
	ha=$(local_session iqn.a)
	hb=$(local_session iqn.bee)
	sga=$(session_sg "$ha" 0)
	sgb=$(session_sg "$hb" 0)
	assert_eq "0000000000000000 0007000000000000 " "$(core_luns "$sga")" "LUNs of iqn.a"
	assert_eq "0000000000000000 " "$(core_luns "$sgb")" "LUNs of iqn.bee"
	# The same LUN 0 is another device for each initiator.
	assert_match 'd1' "$(sg_inq "$sga")" "INQUIRY of iqn.a's LUN 0"
	assert_match 'd3' "$(sg_inq "$sgb")" "INQUIRY of iqn.bee's LUN 0"
	assert_match "^scst_local +scst_local +iqn.a +GA +0$" \
		"$(cat /proc/scsi_tgt/sessions)" "sessions file"
	assert_match "^scst_local +scst_local +iqn.bee +GB +0$" \
		"$(cat /proc/scsi_tgt/sessions)" "sessions file"
	# A group in use cannot be deleted.
	proc_cmd_fails scsi_tgt EBUSY "del_group GA"
	assert_eq "d1 0
d2 7" "$(cat /proc/scsi_tgt/groups/GA/devices)" "devices of GA"
	# With force, iqn.a moves to the group it would get now (Default,
	# which has d1 as LUN 0 and no LUN 7).
	proc_cmd groups/Default/devices "add d1 0"
	proc_cmd scsi_tgt "del_group GA force"
	[ ! -e /proc/scsi_tgt/groups/GA ] || fail "groups/GA still exists"
	assert_match "^scst_local +scst_local +iqn.a +Default +0$" \
		"$(cat /proc/scsi_tgt/sessions)" "iqn.a's group after del_group force"
	# scst_local rescans at once (its REPORT LUNS takes the unit
	# attention): LUN 7 goes away.
	for _ in $(seq 100); do
		[ -e "/sys/class/scsi_device/$ha:0:0:7" ] || break
		sleep 0.1
	done
	[ ! -e "/sys/class/scsi_device/$ha:0:0:7" ] || fail "LUN 7 of iqn.a is still there"
	sg_turs "$sga" >/dev/null 2>&1 || true
	assert_eq "0000000000000000 " "$(core_luns "$sga")" "LUNs of iqn.a in Default"
	assert_match 'd1' "$(sg_inq "$sga")" "INQUIRY of iqn.a's LUN 0 in Default"
	assert_eq "0000000000000000 " "$(core_luns "$sgb")" "LUNs of iqn.bee"
	scst_unload_all
}

test_bad_cdbs_get_illegal_request_with_the_right_asc() {
	local h sg out
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session init.bad)
	sg=$(session_sg "$h" 0)
	sg_turs "$sg" >/dev/null 2>&1 || true
	# An operation code no device knows.
	expect_sense 0x5 0x20 0x00 -- sg_raw "$sg" ff 00 00 00 00 00
	# A CD-ROM command sent to a disk.
	expect_sense 0x5 0x20 0x00 -- sg_raw -r 8 "$sg" 46 00 00 00 00 00 00 00 08 00
	# A reserved bit; the sense points at byte 4, bit 0.
	expect_sense 0x5 0x24 0x00 -- sg_raw "$sg" 00 00 00 00 01 00
	out=$(sg_raw -vvv "$sg" 00 00 00 00 01 00 2>&1 || true)
	assert_match 'byte 4 +bit 0' "$out" "sense-key specific field pointer"
	# RDPROTECT without protection information.
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 512 "$sg" 28 20 00 00 00 00 00 00 01 00
	# An unknown service action of a known command.
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 32 "$sg" 9e 11 00 00 00 00 00 00 00 00 00 00 00 20 00 00
	scst_unload_all
}

test_commands_in_flight_return_to_zero_after_io() {
	local h sg blk
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=67108864"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session init.count)
	sg=$(session_sg "$h" 0)
	blk=$(blk_dev_of "$h:0:0:0")
	dd if="$blk" of=/dev/null bs=64k count=256 iflag=direct 2>/dev/null ||
		fail "reading $blk failed"
	dd if=/dev/zero of="$blk" bs=64k count=256 oflag=direct 2>/dev/null ||
		fail "writing $blk failed"
	assert_match "^scst_local +scst_local +init.count +Default +0$" \
		"$(cat /proc/scsi_tgt/sessions)" "sessions file after I/O"
	scst_unload_all
}

test_report_luns_of_a_session_without_luns_is_empty() {
	local h
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session init.empty)
	session_sg "$h" 0 >/dev/null
	# Removing the only LUN leaves the host without devices but working.
	proc_cmd groups/Default/devices "del d1"
	for _ in $(seq 100); do
		[ -e "/sys/class/scsi_device/$h:0:0:0" ] || break
		sleep 0.1
	done
	[ ! -e "/sys/class/scsi_device/$h:0:0:0" ] || fail "LUN 0 still there"
	proc_cmd groups/Default/devices "add d1 3"
	session_sg "$h" 3 >/dev/null
	scst_unload_all
}

# rsoc_hex SG CDB...: the data REPORT SUPPORTED OPERATION CODES returns, as
# space-separated hex bytes.
rsoc_hex() {
	local sg=$1 f=/tmp/core-rsoc
	shift
	rm -f "$f"
	sg_raw -r 4096 -o "$f" "$sg" "$@" >/dev/null 2>&1 || return 1
	od -An -v -tx1 "$f" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

test_report_supported_operation_codes_follows_the_handler() {
	local h sg all
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session init.rsoc)
	sg=$(session_sg "$h" 0)
	sg_turs "$sg" >/dev/null 2>&1 || true
	all=$(sg_opcodes -n "$sg") || fail "sg_opcodes failed: $all"
	for c in 'Read\(10\)' 'Write\(16\)' 'Mode select\(6\)' 'Inquiry' 'Test Unit Ready' \
		'Report luns' 'Request Sense' 'Report supported operation codes' \
		'Synchronize cache\(10\)' 'Read capacity\(16\)'; do
		assert_match "$c" "$all" "reported commands"
	done
	# In the disk command table but not executed by vdisk.
	assert_no_match 'Log sense' "$all" "reported commands"
	assert_no_match 'Get LBA status' "$all" "reported commands"
	# One command: SUPPORT 011b, CDB size 10 and its usage data.
	assert_eq "00 03 00 0a 28 1e ff ff ff ff 1f ff ff c4" \
		"$(rsoc_hex "$sg" a3 0c 01 28 00 00 00 00 00 40 00 00)" "READ(10)"
	assert_eq "00 03 00 10 9e 1f ff ff ff ff ff ff ff ff ff ff ff ff 01 c4" \
		"$(rsoc_hex "$sg" a3 0c 02 9e 00 10 00 00 00 40 00 00)" "READ CAPACITY(16)"
	# A command of the table that vdisk does not execute: SUPPORT 001b.
	assert_eq "00 01 00 00" "$(rsoc_hex "$sg" a3 0c 01 4d 00 00 00 00 00 40 00 00)" "LOG SENSE"
	# With RCTD the descriptor grows by a command timeouts descriptor.
	assert_eq "00 83 00 0a 28 1e ff ff ff ff 1f ff ff c4 00 0a 00 00 00 00 00 00 00 00 00 00" \
		"$(rsoc_hex "$sg" a3 0c 81 28 00 00 00 00 00 40 00 00)" "READ(10) with RCTD"
	# Service action and reporting option disagree; a reserved option.
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 64 "$sg" a3 0c 01 9e 00 10 00 00 00 40 00 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 64 "$sg" a3 0c 02 28 00 00 00 00 00 40 00 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 64 "$sg" a3 0c 05 28 00 00 00 00 00 40 00 00
	scst_unload_all
}

# The initiator's buffer and the CDB disagree on the length: a read sends
# what fits in both and reports the rest as residual; a write whose buffer
# is shorter than the CDB says writes the whole blocks it carries, and
# nothing more.
test_residuals_for_under_and_overruns() {
	local sg f=/tmp/core-resid img=/tmp/core-resid-img out
	local_stack_load
	head -c 1048576 /dev/urandom >"$img"
	proc_cmd vdisk/vdisk "open d1 $img"
	proc_cmd groups/Default/devices "add d1 0"
	sg=$(initiator init.resid)
	# Underrun: 1 block asked, a 1024-byte buffer offered.
	out=$(sg_raw -r 1024 -o "$f" "$sg" 28 00 00 00 00 00 00 00 01 00 2>&1) ||
		fail "READ(10) of 1 block into 1024 bytes failed: $out"
	assert_match 'Writing 512 bytes of data' "$out" "underrun"
	cmp -s -n 512 "$f" "$img" || fail "underrun: data differs from block 0"
	assert_eq 512 "$(stat -c %s "$f")" "underrun: bytes stored"
	# Overrun: 2 blocks asked, a 512-byte buffer offered.
	out=$(sg_raw -r 512 -o "$f" "$sg" 28 00 00 00 00 00 00 00 02 00 2>&1) ||
		fail "READ(10) of 2 blocks into 512 bytes failed: $out"
	assert_match 'Writing 512 bytes of data' "$out" "overrun"
	cmp -s -n 512 "$f" "$img" || fail "overrun: data differs from block 0"
	# A write of 2 blocks with 512 bytes of data writes block 0 only.
	head -c 512 /dev/zero >"$f"
	out=$(sg_raw -s 512 -i "$f" "$sg" 2a 00 00 00 00 00 00 00 02 00 2>&1) ||
		fail "WRITE(10) of 2 blocks with 512 bytes failed: $out"
	dd if="$(blk_dev_of_sg "$sg")" of="$f.back" bs=1024 count=1 iflag=direct 2>/dev/null
	cmp -s -n 512 "$f" "$f.back" || fail "block 0 was not written"
	cmp -s -i 512 -n 512 "$img" "$f.back" || fail "block 1 was written too"
	# Fewer bytes than one block: nothing is written.
	head -c 200 /dev/urandom >"$f"
	out=$(sg_raw -s 200 -i "$f" "$sg" 2a 00 00 00 00 02 00 00 01 00 2>&1) ||
		fail "WRITE(10) of 1 block with 200 bytes failed: $out"
	dd if="$(blk_dev_of_sg "$sg")" of="$f.back" bs=512 skip=2 count=1 iflag=direct 2>/dev/null
	cmp -s -i 1024:0 -n 512 "$img" "$f.back" || fail "a write without a whole block changed block 2"
	rm -f "$f.back"
	scst_unload_all
	rm -f "$f" "$img"
}
