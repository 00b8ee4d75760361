# Area "res": reservations.  RESERVE/RELEASE (SPC-2) and persistent
# reservations (SPC-4), with local sessions as distinct initiators on one
# NULLIO disk.  sg3_utils exit 24 is RESERVATION CONFLICT.

# res_disk [SCST_PARAM...]: the stack, scst loaded with these parameters,
# and a 1 MiB NULLIO disk d1 as LUN 0 of group Default.
res_disk() {
	scst_unload_all
	kmod_load scsi_mod
	kmod_load sd_mod
	kmod_load sg
	kmod_load scst "$@"
	kmod_load scst_vdisk
	kmod_load scst_local
	proc_cmd vdisk/vdisk "open d1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add d1 0"
}

# res_initiators [SCST_PARAM...]: res_disk, then initiators ini.a, ini.b
# and ini.c; prints their sg nodes of LUN 0 on one line.
res_initiators() {
	local n sgs=""
	res_disk "$@"
	for n in a b c; do
		sgs="$sgs $(initiator "ini.$n")" || exit 1
	done
	echo "$sgs"
}

# One block at LBA 0, read or written through SG_IO.
res_read() {
	sg_raw -r 512 "$1" 28 00 00 00 00 00 00 00 01 00
}

res_write() {
	sg_raw -s 512 -i /dev/zero "$1" 2a 00 00 00 00 00 00 00 01 00
}

# prout_hex SG SA TYPE HEX: PERSISTENT RESERVE OUT through sg_raw, with
# the parameter list HEX (hex digits).
prout_hex() {
	local f rc=0 len=$((${#4} / 2))
	f=$(mktemp)
	printf '%s' "$4" | sed 's/../\\x&/g' | xargs -0 printf >"$f"
	# shellcheck disable=SC2046
	sg_raw -s "$len" -i "$f" "$1" 5f "$(printf %02x "$2")" \
		"$(printf %02x "$3")" 00 00 $(printf '%08x' "$len" | sed 's/../& /g') 00 ||
		rc=$?
	rm -f "$f"
	return "$rc"
}

# prout SG SA TYPE KEY SARK [BYTE20]: PERSISTENT RESERVE OUT with the basic
# 24-byte parameter list (BYTE20: SPEC_I_PT 8, ALL_TG_PT 4, APTPL 1).
prout() {
	prout_hex "$1" "$2" "$3" \
		"$(printf '%016x%016x00000000%02x000000' "$4" "$5" "${6:-0}")"
}

# tid_hex NAME: the iSCSI TransportID of initiator NAME, in hex.
tid_hex() {
	local n=${#1} len
	len=$(((n + 4) / 4 * 4))
	printf '0500%04x' "$len"
	printf '%s' "$1" | od -An -tx1 | tr -d ' \n'
	printf '%0*d' $(((len - n) * 2)) 0
}

# move_hex KEY SARK FLAGS RELPORT TID: a REGISTER AND MOVE parameter list
# (FLAGS: UNREG 2, APTPL 1).
move_hex() {
	printf '%016x%016x00%02x%04x%08x%s' "$1" "$2" "$3" "$4" $((${#5} / 2)) "$5"
}

# Service actions and types, by name.
SA_REGISTER=0 SA_RESERVE=1 SA_RELEASE=2 SA_CLEAR=3 SA_PREEMPT=4
SA_PREEMPT_ABORT=5 SA_REGISTER_IGNORE=6
WE=1 EA=3 WE_RO=5 EA_RO=6 WE_AR=7 EA_AR=8

# pr_keys SG / pr_reservation SG: sg_persist's decoding of READ KEYS and
# READ RESERVATION.
pr_keys() {
	sg_persist --no-inquiry --in --read-keys "$1" 2>&1
}

pr_reservation() {
	sg_persist --no-inquiry --in --read-reservation "$1" 2>&1
}

test_reserve6_conflicts_for_others_until_release() {
	local sga sgb
	res_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	expect_status 0 -- sg_raw "$sga" 16 00 00 00 00 00
	# The holder does anything; the other initiator only what SPC-2 lets it.
	expect_status 0 -- res_read "$sga"
	expect_status 0 -- res_write "$sga"
	expect_status 24 -- sg_turs "$sgb"
	expect_status 24 -- res_read "$sgb"
	expect_status 24 -- res_write "$sgb"
	expect_status 24 -- sg_raw "$sgb" 16 00 00 00 00 00
	expect_status 24 -- sg_persist --no-inquiry --in --read-keys "$sgb"
	expect_status 0 -- sg_inq "$sgb"
	expect_status 0 -- sg_luns "$sgb"
	# RELEASE from a non-holder succeeds and changes nothing.
	expect_status 0 -- sg_raw "$sgb" 17 00 00 00 00 00
	expect_status 24 -- sg_turs "$sgb"
	# The holder may reserve again; RESERVE(10) works the same way.
	expect_status 0 -- sg_raw "$sga" 56 00 00 00 00 00 00 00 00 00
	expect_status 0 -- sg_raw "$sga" 17 00 00 00 00 00
	expect_status 0 -- sg_turs "$sgb"
	expect_status 0 -- sg_raw "$sgb" 56 00 00 00 00 00 00 00 00 00
	expect_status 24 -- res_read "$sga"
	expect_status 0 -- sg_raw "$sgb" 57 00 00 00 00 00 00 00 00 00
	expect_status 0 -- res_read "$sga"
	# Third-party reservations are not supported.
	expect_sense 0x5 0x24 0x00 -- sg_raw "$sga" 56 10 00 00 00 00 00 00 00 00
	scst_unload_all
}

test_reserve6_ends_with_a_lun_reset_and_with_the_session() {
	local sga sgb
	res_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	expect_status 0 -- sg_raw "$sga" 16 00 00 00 00 00
	expect_status 24 -- res_read "$sgb"
	sg_reset -N -d "$sgb" >/dev/null 2>&1 || fail "LUN reset failed"
	# The holder is told its logical unit was reset; the reservation is gone.
	expect_sense 0x6 0x29 0x03 -- sg_turs "$sga"
	expect_status 0 -- res_read "$sgb"
	expect_status 0 -- sg_raw "$sga" 16 00 00 00 00 00
	expect_status 24 -- res_read "$sgb"
	proc_cmd scst_local/scst_local "del_session ini.a"
	expect_status 0 -- res_read "$sgb"
	scst_unload_all
}

test_pr_write_exclusive_lets_others_read_only() {
	local sga sgb sgc out
	read -r sga sgb sgc <<<"$(res_initiators)"
	[ -n "$sgc" ] || fail "no three initiators"
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 0 -- prout "$sgb" $SA_REGISTER 0 0 0xb
	out=$(pr_keys "$sgc")
	assert_match 'PR generation=0x2, 2 registered reservation keys follow' "$out" "READ KEYS"
	assert_match '0xa' "$out" "READ KEYS"
	assert_match '0xb' "$out" "READ KEYS"
	assert_match 'there is NO reservation held' "$(pr_reservation "$sgc")" "READ RESERVATION"
	expect_status 0 -- prout "$sga" $SA_RESERVE $WE 0xa 0
	out=$(pr_reservation "$sgc")
	assert_match 'Key=0xa' "$out" "READ RESERVATION"
	assert_match 'type: Write Exclusive *$' "$out" "READ RESERVATION"
	# The holder reads and writes; the others, registered or not, only read.
	expect_status 0 -- res_write "$sga"
	expect_status 0 -- res_read "$sgb"
	expect_status 24 -- res_write "$sgb"
	expect_status 0 -- res_read "$sgc"
	expect_status 24 -- res_write "$sgc"
	expect_status 0 -- sg_turs "$sgc"
	# Another reservation conflicts; a non-holder's RELEASE does nothing.
	expect_status 24 -- prout "$sgb" $SA_RESERVE $WE 0xb 0
	expect_status 0 -- prout "$sgb" $SA_RELEASE $WE 0xb 0
	expect_status 24 -- res_write "$sgb"
	# The holder reserving again the same is fine, not another type.
	expect_status 0 -- prout "$sga" $SA_RESERVE $WE 0xa 0
	expect_status 24 -- prout "$sga" $SA_RESERVE $EA 0xa 0
	# RELEASE must name the type held.
	expect_sense 0x5 0x26 0x04 -- prout "$sga" $SA_RELEASE $EA 0xa 0
	expect_status 0 -- prout "$sga" $SA_RELEASE $WE 0xa 0
	expect_status 0 -- res_write "$sgb"
	expect_status 0 -- res_write "$sgc"
	scst_unload_all
}

test_pr_exclusive_access_keeps_others_from_reading() {
	local sga sgb
	res_disk
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 0 -- prout "$sga" $SA_RESERVE $EA 0xa 0
	expect_status 0 -- res_read "$sga"
	expect_status 24 -- res_read "$sgb"
	expect_status 24 -- res_write "$sgb"
	# INQUIRY, TEST UNIT READY, READ CAPACITY and PR IN are allowed.
	expect_status 0 -- sg_inq "$sgb"
	expect_status 0 -- sg_turs "$sgb"
	expect_status 0 -- sg_readcap "$sgb"
	assert_match 'type: Exclusive Access *$' "$(pr_reservation "$sgb")" "READ RESERVATION"
	# RESERVE(6) against a persistent reservation conflicts, even its holder's.
	expect_status 24 -- sg_raw "$sgb" 16 00 00 00 00 00
	expect_status 24 -- sg_raw "$sga" 16 00 00 00 00 00
	# Unregistering releases the reservation.
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0xa 0
	expect_status 0 -- res_read "$sgb"
	assert_match 'there are NO registered reservation keys' "$(pr_keys "$sgb")" "READ KEYS"
	scst_unload_all
}

test_pr_registrants_only_and_preempt() {
	local sga sgb sgc out
	read -r sga sgb sgc <<<"$(res_initiators)"
	[ -n "$sgc" ] || fail "no three initiators"
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 0 -- prout "$sgb" $SA_REGISTER 0 0 0xb
	expect_status 0 -- prout "$sga" $SA_RESERVE $WE_RO 0xa 0
	# Every registrant writes; the unregistered initiator only reads.
	expect_status 0 -- res_write "$sgb"
	expect_status 24 -- res_write "$sgc"
	expect_status 0 -- res_read "$sgc"
	# Preempting with an unknown key conflicts; with a zero key is invalid.
	expect_status 24 -- prout "$sgb" $SA_PREEMPT $WE_RO 0xb 0x77
	expect_status 24 -- prout "$sgc" $SA_PREEMPT $WE_RO 0xc 0xa
	# ini.b preempts ini.a: the reservation and a's registration go to b.
	expect_status 0 -- prout "$sgb" $SA_PREEMPT $EA_RO 0xb 0xa
	expect_sense 0x6 0x2a 0x05 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sga"
	expect_status 0 -- sg_turs "$sgb"
	out=$(pr_keys "$sgc")
	assert_match '1 registered reservation key follows' "$out" "READ KEYS"
	assert_match '0xb' "$out" "READ KEYS"
	out=$(pr_reservation "$sgc")
	assert_match 'Key=0xb' "$out" "READ RESERVATION"
	assert_match 'Exclusive Access, registrants only' "$out" "READ RESERVATION"
	expect_status 24 -- res_read "$sga"
	expect_status 0 -- res_read "$sgb"
	# The holder unregistering tells the other registrants (none left but
	# ini.c, which registers first).
	expect_status 0 -- prout "$sgc" $SA_REGISTER 0 0 0xc
	expect_status 0 -- res_read "$sgc"
	expect_status 0 -- prout "$sgb" $SA_REGISTER 0 0xb 0
	expect_sense 0x6 0x2a 0x04 -- sg_turs "$sgc"
	assert_match 'there is NO reservation held' "$(pr_reservation "$sgc")" "READ RESERVATION"
	scst_unload_all
}

test_pr_all_registrants_and_clear() {
	local sga sgb sgc out
	read -r sga sgb sgc <<<"$(res_initiators)"
	[ -n "$sgc" ] || fail "no three initiators"
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 0 -- prout "$sgb" $SA_REGISTER_IGNORE 0 0 0xb
	expect_status 0 -- prout "$sga" $SA_RESERVE $EA_AR 0xa 0
	# Every registrant holds it: b may reserve the same, and read and write.
	expect_status 0 -- prout "$sgb" $SA_RESERVE $EA_AR 0xb 0
	expect_status 0 -- res_write "$sgb"
	expect_status 24 -- res_read "$sgc"
	out=$(pr_reservation "$sgc")
	assert_match 'Key=0x0' "$out" "READ RESERVATION (all registrants: key 0)"
	assert_match 'Exclusive Access, all registrants' "$out" "READ RESERVATION"
	out=$(sg_persist --no-inquiry --in --read-full-status "$sgc" 2>&1)
	assert_match 'ini\.a' "$out" "READ FULL STATUS"
	assert_match 'ini\.b' "$out" "READ FULL STATUS"
	assert_eq 2 "$(grep -c '<< Reservation holder >>' <<<"$out")" "holders in READ FULL STATUS ($out)"
	# A registration survives the loss of its session.
	proc_cmd scst_local/scst_local "del_session ini.a"
	assert_match '0xa' "$(pr_keys "$sgc")" "READ KEYS after ini.a left"
	sga=$(initiator ini.a)
	expect_status 0 -- res_read "$sga"
	# CLEAR: everything goes, and the other registrants are told.
	expect_status 0 -- prout "$sgb" $SA_CLEAR 0 0xb 0
	expect_sense 0x6 0x2a 0x03 -- sg_turs "$sga"
	expect_status 0 -- res_read "$sgc"
	assert_match 'there are NO registered reservation keys' "$(pr_keys "$sgc")" "READ KEYS"
	scst_unload_all
}

test_pr_out_refuses_bad_requests() {
	local sga sgb f out
	res_disk pr_dir=/nonexistent
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	# Unregistered: only REGISTER is accepted, with a zero key.
	expect_status 24 -- prout "$sga" $SA_RESERVE $WE 0xa 0
	expect_status 24 -- prout "$sga" $SA_REGISTER 0 0x5 0xa
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 24 -- prout "$sga" $SA_REGISTER 0 0xbad 0xa1
	expect_status 24 -- prout "$sga" $SA_RESERVE $WE 0xbad 0
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0xa 0xa1
	expect_status 0 -- prout "$sga" $SA_REGISTER_IGNORE 0 0xbad 0xa
	expect_sense 0x5 0x24 0x00 -- prout "$sga" $SA_RESERVE 2 0xa 0
	expect_sense 0x5 0x26 0x00 -- prout "$sga" $SA_PREEMPT $WE 0xa 0
	# APTPL without a directory for it is refused, and REPORT CAPABILITIES
	# says so; SPEC_I_PT needs a list of TransportIDs.
	expect_sense 0x5 0x26 0x00 -- prout "$sga" $SA_REGISTER 0 0xa 0xa 1
	expect_sense 0x5 0x1a 0x00 -- prout "$sga" $SA_REGISTER 0 0xa 0xa 8
	out=$(sg_persist --no-inquiry --in --report-capabilities "$sga" 2>&1)
	assert_match 'Power Loss Capable\(PTPL_C\): 0' "$out" "REPORT CAPABILITIES"
	assert_match 'All Target Ports Capable\(ATP_C\): 1' "$out" "REPORT CAPABILITIES"
	assert_match 'Exclusive Access, all registrants: 1' "$out" "REPORT CAPABILITIES"
	# REGISTER AND MOVE without a TransportID; a short list is a length
	# error.
	expect_sense 0x5 0x26 0x00 -- prout "$sga" 7 0 0xa 0
	f=$(mktemp)
	head -c 20 /dev/zero >"$f"
	expect_sense 0x5 0x1a 0x00 -- sg_raw -s 20 -i "$f" "$sga" 5f 00 00 00 00 00 00 00 14 00
	rm -f "$f"
	# RESERVE and RELEASE conflict while anybody is registered.
	expect_status 24 -- sg_raw "$sgb" 16 00 00 00 00 00
	expect_status 24 -- sg_raw "$sgb" 17 00 00 00 00 00
	# The generation counts registrations only (three changes so far).
	assert_match 'PR generation=0x3,' "$(pr_keys "$sgb")" "READ KEYS"
	# A LUN reset leaves persistent reservations alone.
	expect_status 0 -- prout "$sga" $SA_RESERVE $WE 0xa 0
	sg_reset -N -d "$sgb" >/dev/null 2>&1 || fail "LUN reset failed"
	ua_drain "$sga"
	ua_drain "$sgb"
	expect_status 24 -- res_write "$sgb"
	assert_match 'Key=0xa' "$(pr_reservation "$sgb")" "READ RESERVATION after a LUN reset"
	scst_unload_all
}

# pr_newest_slot DIR DEV: the state file of DEV with the highest sequence.
pr_newest_slot() {
	local f best="" seq bestseq=-1
	for f in "$1/$2.pr0" "$1/$2.pr1"; do
		seq=$(awk 'NR == 1 && $1 == "scst-pr" { print $3 }' "$f" 2>/dev/null)
		[ -n "$seq" ] && [ "$seq" -gt "$bestseq" ] && bestseq=$seq best=$f
	done
	echo "$best"
}

test_pr_aptpl_state_survives_a_reload() {
	local d=/tmp/scst-pr sga sgb sgc out newest
	rm -rf "$d"
	mkdir -p "$d"
	read -r sga sgb sgc <<<"$(res_initiators pr_dir=$d)"
	[ -n "$sgc" ] || fail "no three initiators"
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa 1
	expect_status 0 -- prout "$sgb" $SA_REGISTER 0 0 0xb 1
	expect_status 0 -- prout "$sga" $SA_RESERVE $WE_RO 0xa 0
	out=$(sg_persist --no-inquiry --in --report-capabilities "$sgc" 2>&1)
	assert_match 'Power Loss Capable\(PTPL_C\): 1' "$out" "REPORT CAPABILITIES"
	assert_match 'Power Loss Active\(PTPL_A\): 1' "$out" "REPORT CAPABILITIES"
	[ -s "$d/d1.pr0" ] && [ -s "$d/d1.pr1" ] || fail "no state files: $(ls -l "$d")"
	# Reload everything: the state is back, and enforced.
	read -r sga sgb sgc <<<"$(res_initiators pr_dir=$d)"
	[ -n "$sgc" ] || fail "no three initiators"
	out=$(pr_keys "$sgc")
	assert_match 'PR generation=0x2, 2 registered reservation keys follow' "$out" "READ KEYS after a reload"
	assert_match '0xa' "$out" "READ KEYS after a reload"
	assert_match '0xb' "$out" "READ KEYS after a reload"
	out=$(pr_reservation "$sgc")
	assert_match 'Key=0xa' "$out" "READ RESERVATION after a reload"
	assert_match 'Write Exclusive, registrants only' "$out" "READ RESERVATION after a reload"
	expect_status 24 -- res_write "$sgc"
	expect_status 0 -- res_write "$sgb"
	# A save cut short leaves the state before it: both registrations,
	# no reservation yet.
	scst_unload_all
	newest=$(pr_newest_slot "$d" d1)
	[ -n "$newest" ] || fail "no valid state file in $d"
	truncate -s 20 "$newest"
	res_disk pr_dir=$d
	sga=$(initiator ini.a)
	sgc=$(initiator ini.c)
	assert_match '2 registered reservation keys follow' "$(pr_keys "$sgc")" "READ KEYS after a torn save"
	assert_match 'there is NO reservation held' "$(pr_reservation "$sgc")" "READ RESERVATION after a torn save"
	# A REGISTER with APTPL clear: nothing is kept through the next reload.
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0xa 0xa 0
	res_disk pr_dir=$d
	sgc=$(initiator ini.c)
	assert_match 'there are NO registered reservation keys' "$(pr_keys "$sgc")" "READ KEYS after APTPL=0"
	scst_unload_all
	rm -rf "$d"
}

# PREEMPT AND ABORT (what fence_scsi does): a read of the preempted
# initiator that is running in the device is aborted and waited for before
# the preempting command ends; Linux's retry of it then conflicts.
test_pr_preempt_and_abort_waits_for_the_preempted_commands() {
	local loop sga sgb blk prpid aborted waiting=no rc=0
	loop=$(stall_setup)
	stall_lun_load
	sga=$(initiator ini.a)
	sgb=$(initiator ini.b)
	blk=$(blk_dev_of_sg "$sga")
	expect_status 0 -- prout "$sga" $SA_REGISTER 0 0 0xa
	expect_status 0 -- prout "$sgb" $SA_REGISTER 0 0 0xb
	expect_status 0 -- prout "$sga" $SA_RESERVE $EA 0xa 0
	aborted=$(aborted_commands)
	stall_read ini.a "$blk" || { stall_cleanup "$loop"; fail "the read never reached the LUN"; }
	prout "$sgb" $SA_PREEMPT_ABORT $EA 0xb 0xa >/tmp/res-prout.out 2>&1 &
	prpid=$!
	aborted=$(aborted_since "$aborted")
	sleep 1
	kill -0 "$prpid" 2>/dev/null && waiting=yes
	dmsetup resume scst-stall || fail "dmsetup resume failed"
	assert_eq yes "$waiting" "PREEMPT AND ABORT waits for the running read"
	assert_eq 1 "$aborted" "commands PREEMPT AND ABORT aborted"
	wait "$prpid" || fail "PREEMPT AND ABORT failed: $(cat /tmp/res-prout.out)"
	# The retried read finds ini.b's Exclusive Access reservation.
	wait "$STALL_PID" || rc=$?
	[ "$rc" -ne 0 ] || fail "ini.a's read succeeded after it was preempted"
	assert_eq 0 "$(commands_in_flight ini.a)" "commands in flight"
	assert_match 'Key=0xb' "$(pr_reservation "$sgb")" "READ RESERVATION"
	expect_status 0 -- res_read "$sgb"
	scst_unload_all
	stall_cleanup "$loop"
	rm -f /tmp/res-prout.out
}

test_pr_spec_i_pt_and_register_and_move() {
	local sga sgb sgc out tids
	read -r sga sgb sgc <<<"$(res_initiators)"
	[ -n "$sgc" ] || fail "no three initiators"
	# ini.a registers itself, ini.b and ini.c, all with key 0xa.
	tids=$(tid_hex ini.b)$(tid_hex ini.c)
	expect_status 0 -- prout_hex "$sga" $SA_REGISTER 0 \
		"$(printf '%016x%016x0000000008000000%08x' 0 0xa $((${#tids} / 2)))$tids"
	out=$(pr_keys "$sgc")
	assert_match 'PR generation=0x1, 3 registered reservation keys follow' "$out" "READ KEYS after SPEC_I_PT"
	assert_eq 3 "$(grep -c '0xa$' <<<"$out")" "keys 0xa in: $out"
	# A registered initiator may not name others; nor a malformed list.
	expect_sense 0x5 0x26 0x00 -- prout_hex "$sga" $SA_REGISTER 0 \
		"$(printf '%016x%016x0000000008000000%08x' 0xa 0xa $((${#tids} / 2)))$tids"
	expect_sense 0x5 0x1a 0x00 -- prout_hex "$sga" $SA_REGISTER 0 \
		"$(printf '%016x%016x0000000008000000%08x' 0 0xa 99)$tids"
	expect_status 0 -- prout "$sgb" $SA_RESERVE $EA 0xa 0
	expect_status 0 -- res_read "$sgb"
	expect_status 24 -- res_read "$sga"
	# REGISTER AND MOVE: the holder ini.b gives the reservation to ini.c
	# under key 0xc, and unregisters (UNREG).
	expect_status 0 -- prout_hex "$sgb" 7 $EA "$(move_hex 0xa 0xc 2 1 "$(tid_hex ini.c)")"
	out=$(pr_reservation "$sga")
	assert_match 'Key=0xc' "$out" "READ RESERVATION after REGISTER AND MOVE"
	assert_match 'type: Exclusive Access *$' "$out" "READ RESERVATION after REGISTER AND MOVE"
	assert_match '2 registered reservation keys follow' "$(pr_keys "$sga")" "READ KEYS after REGISTER AND MOVE"
	expect_status 0 -- res_read "$sgc"
	expect_status 24 -- res_read "$sgb"
	# Only the holder moves it; not to itself, not to another port.
	expect_status 24 -- prout_hex "$sga" 7 $EA "$(move_hex 0xa 0xd 0 1 "$(tid_hex ini.b)")"
	expect_sense 0x5 0x26 0x00 -- prout_hex "$sgc" 7 $EA "$(move_hex 0xc 0xd 0 1 "$(tid_hex ini.c)")"
	expect_sense 0x5 0x26 0x00 -- prout_hex "$sgc" 7 $EA "$(move_hex 0xc 0xd 0 2 "$(tid_hex ini.a)")"
	assert_match 'Key=0xc' "$(pr_reservation "$sga")" "READ RESERVATION after refused moves"
	scst_unload_all
}

# What Pacemaker's fence_scsi does, with its sg_persist command lines: each
# node registers its key (REGISTER AND IGNORE EXISTING KEY) and the first
# reserves Write Exclusive, Registrants Only; fencing a node is PREEMPT AND
# ABORT of its key; unfencing it registers it again.
test_fence_scsi_fences_and_unfences_a_node() {
	local sga sgb sgc out
	read -r sga sgb sgc <<<"$(res_initiators)"
	[ -n "$sgc" ] || fail "no three initiators"
	expect_status 0 -- sg_persist -n -o -I -S 0x1a0000 "$sga"
	expect_status 0 -- sg_persist -n -o -I -S 0x1b0000 "$sgb"
	expect_status 0 -- sg_persist -n -o -R -K 0x1a0000 -T 5 "$sga"
	# The second node's unfence finds the reservation and leaves it.
	assert_match 'Key=0x1a0000' "$(pr_reservation "$sgb")" "READ RESERVATION"
	expect_status 0 -- res_write "$sga"
	expect_status 0 -- res_write "$sgb"
	expect_status 24 -- res_write "$sgc"
	# Node a fences node b.
	expect_status 0 -- sg_persist -n -o -A -T 5 -K 0x1a0000 -S 0x1b0000 "$sga"
	out=$(pr_keys "$sgc")
	assert_match '1 registered reservation key follows' "$out" "keys after fencing"
	assert_no_match '0x1b0000' "$out" "keys after fencing"
	expect_sense 0x6 0x2a 0x05 -- sg_turs "$sgb"
	expect_status 24 -- res_write "$sgb"
	expect_status 0 -- res_read "$sgb"
	expect_status 0 -- res_write "$sga"
	# Unfencing b: it registers again and may write again.
	expect_status 0 -- sg_persist -n -o -I -S 0x1b0000 "$sgb"
	expect_status 0 -- res_write "$sgb"
	assert_match '2 registered reservation keys follow' "$(pr_keys "$sgc")" "keys after unfencing"
	scst_unload_all
}
