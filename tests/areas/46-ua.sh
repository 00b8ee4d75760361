# Area "ua": state shared by every initiator of a logical unit, and the
# UNIT ATTENTIONs that tell the others when one of them, or the
# administrator, changes it: mode parameters (MODE SELECT), capacity
# (resync_size), and the sense data format the control mode page selects.

# The caching page with WCE set / clear, after an empty 4-byte header.
CACHING_WCE="00 00 00 00 08 12 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
CACHING_NOWCE="00 00 00 00 08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"

# two_initiators_on_a_disk: a NULLIO disk d1 as LUN 0 of group Default,
# and initiators ini.a and ini.b; prints their sg nodes on one line.
two_initiators_on_a_disk() {
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	echo "$(initiator ini.a) $(initiator ini.b)"
}

test_mode_select_is_seen_by_the_other_initiator_once() {
	local sga sgb
	read -r sga sgb <<<"$(two_initiators_on_a_disk)"
	assert_eq "08 12 04" "$(mode_page "$sga" 8 | cut -d' ' -f1-3)" "caching page before"
	mode_select6 "$sga" "$CACHING_NOWCE" >/dev/null 2>&1 ||
		fail "MODE SELECT clearing WCE failed"
	assert_eq "08 12 00" "$(mode_page "$sga" 8 | cut -d' ' -f1-3)" "caching page after"
	# The other nexus learns of it once; the one that changed it never.
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sgb"
	sg_turs "$sgb" >/dev/null 2>&1 || fail "second TUR on ini.b still fails"
	sg_turs "$sga" >/dev/null 2>&1 || fail "ini.a got a unit attention for its own change"
	assert_eq "08 12 00" "$(mode_page "$sgb" 8 | cut -d' ' -f1-3)" "ini.b's view"
	# Writing the same values again changes nothing and tells nobody.
	mode_select6 "$sga" "$CACHING_NOWCE" >/dev/null 2>&1 || fail "MODE SELECT again"
	sg_turs "$sgb" >/dev/null 2>&1 || fail "a no-op MODE SELECT gave a unit attention"
	scst_unload_all
}

test_linux_sd_changes_the_cache_type_through_mode_select() {
	local ha hb sga sgb
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	ha=$(local_session ini.a)
	hb=$(local_session ini.b)
	sga=$(session_sg "$ha" 0)
	sgb=$(session_sg "$hb" 0)
	ua_drain "$sga"
	ua_drain "$sgb"
	blk_dev_of "$ha:0:0:0" >/dev/null
	assert_eq "write back" "$(cat "/sys/class/scsi_disk/$ha:0:0:0/cache_type")" "cache_type"
	# sd reads the caching page, clears WCE and sends it back.
	echo "write through" >"/sys/class/scsi_disk/$ha:0:0:0/cache_type" ||
		fail "sd could not set write through"
	assert_eq "write through" "$(cat "/sys/class/scsi_disk/$ha:0:0:0/cache_type")" "cache_type after"
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sgb"
	assert_eq "08 12 00" "$(mode_page "$sgb" 8 | cut -d' ' -f1-3)" "caching page seen by ini.b"
	scst_unload_all
}

test_mode_select_refuses_what_cannot_change_and_changes_nothing() {
	local h sg bad
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session ini.a)
	sg=$(session_sg "$h" 0)
	ua_drain "$sg"
	# RCD (byte 2, bit 0) is not changeable; WCE in the same page is.
	bad="00 00 00 00 08 12 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	expect_sense 0x5 0x26 0x00 -- mode_select6 "$sg" "$bad"
	# A page we do not have, and a page with a wrong length.
	expect_sense 0x5 0x26 0x00 -- mode_select6 "$sg" "00 00 00 00 1c 0a 00 00 00 00 00 00 00 00 00 00"
	expect_sense 0x5 0x26 0x00 -- mode_select6 "$sg" "00 00 00 00 08 10 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
	# A page cut short by the parameter list length.
	expect_sense 0x5 0x1a 0x00 -- mode_select6 "$sg" "00 00 00 00 08 12 00 00"
	# A block descriptor with another block size.
	expect_sense 0x5 0x26 0x00 -- mode_select6 "$sg" "00 00 00 08 00 00 00 00 00 00 04 00"
	# The second page is bad, so the valid first one is not applied either.
	expect_sense 0x5 0x26 0x00 -- mode_select6 "$sg" \
		"00 00 00 00 08 12 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 1c 0a 00 00 00 00 00 00 00 00 00 00"
	assert_eq "08 12 04" "$(mode_page "$sg" 8 | cut -d' ' -f1-3)" "caching page after failures"
	# Saving is not supported (SP), and PF is required.
	hex_to_file /tmp/ua-ms "$CACHING_WCE"
	expect_sense 0x5 0x24 0x00 -- sg_raw -s 24 -i /tmp/ua-ms "$sg" 15 11 00 00 18 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -s 24 -i /tmp/ua-ms "$sg" 15 00 00 00 18 00
	expect_sense 0x5 0x39 0x00 -- sg_raw -r 64 "$sg" 1a 00 c8 00 40 00
	scst_unload_all
}

test_d_sense_selects_descriptor_format_sense() {
	local h sg out
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session ini.a)
	sg=$(session_sg "$h" 0)
	ua_drain "$sg"
	out=$(sg_raw -vvv "$sg" 00 00 00 00 01 00 2>&1 || true)
	assert_match 'Fixed format' "$out" "sense before D_SENSE"
	# Control page: GLTSD and D_SENSE.
	mode_select6 "$sg" "00 00 00 00 0a 0a 06 10 00 00 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting D_SENSE failed"
	assert_eq "0a 0a 06" "$(mode_page "$sg" 0x0a | cut -d' ' -f1-3)" "control page"
	out=$(sg_raw -vvv "$sg" 00 00 00 00 01 00 2>&1 || true)
	assert_match 'Descriptor format' "$out" "sense with D_SENSE"
	assert_match 'byte 4 +bit 0' "$out" "field pointer in a descriptor"
	expect_sense 0x5 0x24 0x00 -- sg_raw "$sg" 00 00 00 00 01 00
	# REQUEST SENSE's DESC bit asks for either format, whatever D_SENSE says.
	out=$(sg_raw -r 252 "$sg" 03 00 00 00 fc 00 2>&1 | grep -A1 'Received' | tail -n 1)
	assert_match '^ *00 +70 ' "$out" "REQUEST SENSE without DESC"
	out=$(sg_raw -r 252 "$sg" 03 01 00 00 fc 00 2>&1 | grep -A1 'Received' | tail -n 1)
	assert_match '^ *00 +72 ' "$out" "REQUEST SENSE with DESC"
	scst_unload_all
}

test_resync_size_gives_capacity_data_has_changed() {
	local h sg f=/tmp/ua-img
	local_stack_load
	rm -f "$f"
	truncate -s 1M "$f"
	proc_cmd vdisk/vdisk "open d1 $f"
	proc_cmd groups/Default/devices "add d1 0"
	h=$(local_session ini.a)
	sg=$(session_sg "$h" 0)
	ua_drain "$sg"
	truncate -s 3M "$f"
	proc_cmd vdisk/vdisk "resync_size d1"
	expect_sense 0x6 0x2a 0x09 -- sg_readcap "$sg"
	assert_match 'Number of logical blocks=6144' "$(sg_readcap "$sg")" "capacity after"
	# Same size again: no change, no unit attention.
	proc_cmd vdisk/vdisk "resync_size d1"
	sg_turs "$sg" >/dev/null 2>&1 || fail "resync_size without a change gave a unit attention"
	scst_unload_all
	rm -f "$f"
}

# request_sense SG: the sense key, ASC and ASCQ that REQUEST SENSE (fixed
# format) returns, as "KK AA QQ" in hex.  sg_raw prints 16 bytes a line
# after an offset, then their ASCII.
request_sense() {
	sg_raw -r 18 "$1" 03 00 00 00 12 00 2>&1 | sed -n '/Received/,$p' | sed 1d |
		awk '{ for (i = 2; i <= NF && i <= 17 && n < 18; i++) b[n++] = $i }
		     END { printf "0%s %s %s\n", substr(b[2], 2), b[12], b[13] }'
}

# UA_INTLCK_CTRL 10b: a unit attention reported with CHECK CONDITION stays
# until REQUEST SENSE reports it; 11b also leaves PREVIOUS RESERVATION
# CONFLICT STATUS after a reservation conflict; 01b is reserved.
test_ua_intlck_ctrl_holds_unit_attentions_until_request_sense() {
	local sga sgb
	read -r sga sgb <<<"$(two_initiators_on_a_disk)"
	expect_sense 0x5 0x26 0x00 -- \
		mode_select6 "$sga" "00 00 00 00 0a 0a 02 10 10 00 00 00 00 00 00 00"
	mode_select6 "$sga" "00 00 00 00 0a 0a 02 10 20 00 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting UA_INTLCK_CTRL 10b failed"
	assert_eq "0a 0a 02 10 20" "$(mode_page "$sga" 0x0a | cut -d' ' -f1-5)" "control page"
	# ini.b's MODE PARAMETERS CHANGED is reported, and reported again.
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sgb"
	expect_sense 0x6 0x2a 0x01 -- sg_turs "$sgb"
	assert_eq "06 2a 01" "$(request_sense "$sgb")" "REQUEST SENSE on ini.b"
	expect_status 0 -- sg_turs "$sgb"
	assert_eq "00 00 00" "$(request_sense "$sgb")" "REQUEST SENSE after it"
	mode_select6 "$sga" "00 00 00 00 0a 0a 02 10 30 00 00 00 00 00 00 00" >/dev/null 2>&1 ||
		fail "MODE SELECT setting UA_INTLCK_CTRL 11b failed"
	assert_eq "06 2a 01" "$(request_sense "$sgb")" "REQUEST SENSE after 11b"
	# A RESERVE(6) by ini.a: ini.b's READ conflicts and leaves a condition.
	expect_status 0 -- sg_raw "$sga" 16 00 00 00 00 00
	expect_status 24 -- sg_raw -r 512 "$sgb" 28 00 00 00 00 00 00 00 01 00
	assert_eq "06 2c 0b" "$(request_sense "$sgb")" "REQUEST SENSE after the conflict"
	expect_status 0 -- sg_raw "$sga" 17 00 00 00 00 00
	expect_status 0 -- sg_turs "$sgb"
	scst_unload_all
}
