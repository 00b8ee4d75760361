# Area "iscsi": the iSCSI target driver iscsi_scst.ko (Documentation/iscsi.rst)
# seen by open-iscsi in the same guest, over 127.0.0.1 and ::1: its /proc
# interface, discovery, login with and without CHAP, digests, the data
# path under several negotiated values, session reinstatement, connection
# loss and logout under load, del_target force, and malformed PDUs.

. "$SCST_REPO/tests/iscsi_lib.sh"

ISCSI=iscsi/iscsi
IQN=iqn.2026-12.org.example:disk1
IQN2=iqn.2026-12.org.example:disk2
INITIATOR=iqn.2026-12.org.example:host1
IDIR=/tmp/iscsi-test
P4=127.0.0.1:3260
P6='[::1]:3260'

# Lines iscsi_scst.ko has logged in this test's window so far.
iscsi_log_count() {
	klog_window "$SCST_TEST_NUM" | grep -c '\] iscsi_scst: ' || true
}

# iscsi_fails ERRNO COMMAND: fails with ERRNO, logs exactly one line and
# leaves what the file shows as it was.
iscsi_fails() {
	local before state
	state=$(cat "/proc/scsi_tgt/$ISCSI")
	before=$(iscsi_log_count)
	proc_cmd_fails "$ISCSI" "$1" "$2"
	assert_eq 1 "$(($(iscsi_log_count) - before))" "lines logged for '$2'"
	assert_eq "$state" "$(cat "/proc/scsi_tgt/$ISCSI")" "state after the failed '$2'"
}

iscsi_stack_load() {
	iscsi_cleanup
	scst_unload_all
	kmod_load scsi_mod
	kmod_load sd_mod
	kmod_load sg
	scst_load
	kmod_load scst_vdisk
	# iscsi_scst needs crc32c(); insmod does not load dependencies.
	kmod_load libcrc32c
	kmod_load iscsi_scst
	[ -d /proc/scsi_tgt/iscsi ] || fail "/proc/scsi_tgt/iscsi missing"
}

# iscsi_export IQN DEVICE SIZE [VDISK_OPTIONS]: a FILEIO vdisk DEVICE in
# tmpfs, LUN 0 of group Default_IQN, and the target IQN.
iscsi_export() {
	mkdir -p "$IDIR"
	rm -f "$IDIR/$2"
	truncate -s "$3" "$IDIR/$2"
	proc_cmd vdisk/vdisk "open $2 $IDIR/$2${4:+ $4}"
	proc_cmd scsi_tgt "add_group Default_$1"
	proc_cmd "groups/Default_$1/devices" "add $2 0"
	proc_cmd "$ISCSI" "add_target $1"
}

# iscsi_setup: modules, one 256 MiB target on both portals, iscsid.
iscsi_setup() {
	iscsi_stack_load
	iscsi_export "$IQN" disk1 256M
	proc_cmd "$ISCSI" "add_portal 127.0.0.1"
	proc_cmd "$ISCSI" "add_portal [::1]:3260"
	iscsi_net_up
	iscsid_start "$INITIATOR"
}

iscsi_teardown() {
	iscsi_cleanup
	scst_unload_all
	rm -rf "$IDIR"
}

# pattern FILE MIB: MIB MiB of random data.
pattern() {
	head -c "$(($2 << 20))" /dev/urandom >"$1"
}

# write_verify DISK MIB: write MIB MiB of random data with O_DIRECT, read
# it back and compare.
write_verify() {
	pattern "$IDIR/pat" "$2"
	dd if="$IDIR/pat" of="$1" bs=1M oflag=direct status=none ||
		fail "writing $2 MiB to $1 failed"
	dd if="$1" of="$IDIR/back" bs=1M count="$2" iflag=direct status=none ||
		fail "reading $1 failed"
	cmp -s "$IDIR/pat" "$IDIR/back" || fail "$1 returned other data than written"
}

# core_sessions IQN [INITIATOR]: sessions the core has of IQN (and INITIATOR).
core_sessions() {
	awk -v t="$1" -v i="${2:-}" '$1 == "iscsi" && $2 == t && (i == "" || $3 == i)' \
		/proc/scsi_tgt/sessions | wc -l
}

# listening PORT: whether something listens on TCP PORT.
listening() {
	ss -Hltn "sport = :$1" | grep -q LISTEN
}

test_iscsi_proc_interface() {
	local mode
	iscsi_stack_load
	mode=$(stat -c %a "/proc/scsi_tgt/$ISCSI")
	assert_eq 600 "$mode" "mode of /proc/scsi_tgt/$ISCSI"
	grep -q add_portal /proc/scsi_tgt/iscsi/help || fail "help lacks add_portal"
	iscsi_export "$IQN" disk1 16M
	iscsi_net_up
	# Nothing listens until a portal is added.
	listening 3260 && fail "something listens on 3260 before add_portal"
	iscsi_fails EEXIST "add_target $IQN"
	iscsi_fails ENOENT "del_target $IQN2"
	iscsi_fails EINVAL "del_target $IQN now"
	iscsi_fails EINVAL "add_portal 300.1.1.1"
	iscsi_fails EINVAL "add_portal 127.0.0.1:0"
	iscsi_fails EINVAL "add_portal [::1"
	iscsi_fails ENOENT "del_portal 127.0.0.1:3261"
	iscsi_fails EINVAL "set $IQN MaxBurstLength 100"
	iscsi_fails EINVAL "set $IQN HeaderDigest MD5"
	iscsi_fails EINVAL "set $IQN InitialR2T maybe"
	iscsi_fails EINVAL "set $IQN MaxConnections 2"
	iscsi_fails EINVAL "set $IQN ErrorRecoveryLevel 1"
	iscsi_fails EINVAL "set $IQN IFMarker Yes"
	iscsi_fails ENOENT "set $IQN2 InitialR2T Yes"
	iscsi_fails EINVAL "chap $IQN incoming onlyuser"
	iscsi_fails EINVAL "frobnicate"
	proc_cmd "$ISCSI" "add_portal 127.0.0.1"
	listening 3260 || fail "nothing listens on 3260 after add_portal"
	iscsi_fails EEXIST "add_portal 127.0.0.1:3260"
	proc_cmd "$ISCSI" "set $IQN MaxBurstLength 524288"
	proc_cmd "$ISCSI" "set $IQN HeaderDigest None"
	proc_cmd "$ISCSI" "chap $IQN incoming alice s3cret-alice-12"
	grep -qx "set $IQN MaxBurstLength 524288" "/proc/scsi_tgt/$ISCSI" ||
		fail "MaxBurstLength not shown"
	grep -qx "set $IQN HeaderDigest None" "/proc/scsi_tgt/$ISCSI" ||
		fail "HeaderDigest not shown"
	grep -q "chap $IQN incoming alice" "/proc/scsi_tgt/$ISCSI" ||
		fail "the CHAP user is not shown"
	grep -q s3cret "/proc/scsi_tgt/$ISCSI" && fail "a CHAP secret is shown"
	dmesg | grep -q s3cret && fail "a CHAP secret is in the kernel log"
	proc_cmd "$ISCSI" "del_portal 127.0.0.1"
	listening 3260 && fail "3260 still listens after del_portal"
	proc_cmd "$ISCSI" "del_target $IQN"
	grep -q "$IQN" "/proc/scsi_tgt/$ISCSI" && fail "deleted target still shown"
	iscsi_teardown
}

# Discovery lists, and login reaches, only targets whose group gives the
# initiator a LUN; over IPv4 and IPv6.
test_iscsi_discovery_lists_only_allowed_targets() {
	local p found
	iscsi_setup
	# disk2's group admits another initiator only: ours falls to Default,
	# which has no LUN for it.
	truncate -s 16M "$IDIR/disk2"
	proc_cmd vdisk/vdisk "open disk2 $IDIR/disk2"
	proc_cmd "$ISCSI" "add_target $IQN2"
	proc_cmd scsi_tgt "add_group other"
	proc_cmd groups/other/names "add iqn.2026-12.org.example:other"
	proc_cmd groups/other/devices "add disk2 0"
	for p in "$P4" "$P6"; do
		found=$(iscsi_discover "$p")
		assert_eq "$IQN" "$found" "targets discovered through $p"
		iscsi_login_fails "$IQN2" "$p" >/dev/null
	done
	klog_window "$SCST_TEST_NUM" | grep -q "may not log in to $IQN2" ||
		fail "the refused login was not logged"
	# Once its group has a LUN, the target is listed.
	proc_cmd groups/other/names "add $INITIATOR"
	found=$(iscsi_discover "$P4" | sort | tr '\n' ' ')
	assert_eq "$IQN $IQN2 " "$found" "targets discovered after the group change"
	iscsi_teardown
}

# A SendTargets answer longer than the initiator's MaxRecvDataSegmentLength
# goes out in several Text Responses (C bit, continued by the initiator
# with our Target Transfer Tag); one longer than the 8 KiB first buffer is
# built whole.  Every target is listed, whatever the segment size.
test_iscsi_sendtargets_answer_spans_many_pdus() {
	local i want found mrdsl
	iscsi_setup
	want=$IQN
	# About 108 bytes each: 80 of them need more than 8 KiB.
	for i in $(seq -w 1 80); do
		proc_cmd scsi_tgt "add_group Default_$IQN-many-$i"
		proc_cmd "groups/Default_$IQN-many-$i/devices" "add disk1 0"
		proc_cmd "$ISCSI" "add_target $IQN-many-$i"
		want="$want $IQN-many-$i"
	done
	want=$(echo "$want" | tr ' ' '\n' | sort)
	for mrdsl in 512 32768; do
		found=$(iscsi_discover "$P4" --param \
			discovery.sendtargets.iscsi.MaxRecvDataSegmentLength=$mrdsl | sort)
		assert_eq "$want" "$found" "targets discovered with MaxRecvDataSegmentLength $mrdsl"
	done
	klog_window "$SCST_TEST_NUM" | grep -q "Text response truncated" &&
		fail "the SendTargets answer was truncated"
	iscsi_teardown
}

# Login, a filesystem made, filled and checked; logout; login again over
# the other address family sees the same files.
test_iscsi_ext4_survives_logout_and_relogin() {
	local disk sums
	iscsi_setup
	kmod_load ext4
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	mkfs.ext4 -q -F "$disk" || fail "mkfs.ext4 on $disk failed"
	mkdir -p "$IDIR/mnt"
	mount "$disk" "$IDIR/mnt" || fail "mount $disk failed"
	mkdir "$IDIR/mnt/tree"
	for f in 1 2 3 4 5 6; do
		head -c "$((f * 700))K" /dev/urandom >"$IDIR/mnt/tree/f$f"
	done
	cp -r /usr/share/doc/bash "$IDIR/mnt/tree/doc" 2>/dev/null || true
	sums=$(cd "$IDIR/mnt" && find tree -type f -print0 | sort -z | xargs -0 md5sum)
	umount "$IDIR/mnt"
	iscsi_logout "$IQN" "$P4"
	iscsi_login "$IQN" "$P6"
	disk=$(iscsi_disk "$IQN" 0 "$P6")
	fsck.ext4 -n "$disk" >/dev/null 2>&1 || fail "fsck.ext4 finds errors on $disk"
	mount "$disk" "$IDIR/mnt" || fail "mount $disk after relogin failed"
	assert_eq "$sums" "$(cd "$IDIR/mnt" && find tree -type f -print0 | sort -z | xargs -0 md5sum)" \
		"checksums after logout and login over IPv6"
	umount "$IDIR/mnt"
	iscsi_logout "$IQN" "$P6"
	iscsi_teardown
}

# A LUN added to the group of a logged-in session: the target sends an
# Async Message (REPORTED LUNS DATA HAS CHANGED), iscsid rescans, and the
# new disk appears without anybody asking (no udev in the guest).
test_iscsi_new_lun_announced_by_async_message() {
	local disk
	iscsi_setup
	iscsi_login "$IQN" "$P4"
	iscsi_disk "$IQN" 0 >/dev/null
	truncate -s 32M "$IDIR/disk2"
	proc_cmd vdisk/vdisk "open disk2 $IDIR/disk2"
	proc_cmd "groups/Default_$IQN/devices" "add disk2 1"
	disk=$(iscsi_disk "$IQN" 1)
	write_verify "$disk" 4
	iscsi_teardown
}

# CHAP: one-way and mutual, per target and for discovery; wrong secrets
# are refused.
test_iscsi_chap_one_way_mutual_and_discovery() {
	local disk r
	iscsi_setup
	proc_cmd "$ISCSI" "chap $IQN incoming alice alice-secret-12"
	r=$(iscsi_login_fails "$IQN" "$P4")
	echo "no credentials: $r"
	r=$(iscsi_login_fails "$IQN" "$P4" --chap alice wrong-secret-12)
	echo "wrong secret: $r"
	r=$(iscsi_login_fails "$IQN" "$P4" --chap mallory alice-secret-12)
	echo "wrong user: $r"
	klog_window "$SCST_TEST_NUM" | grep -q "CHAP authentication failed" ||
		fail "no log line for the failed CHAP login"
	iscsi_login "$IQN" "$P4" --chap alice alice-secret-12
	disk=$(iscsi_disk "$IQN" 0)
	write_verify "$disk" 4
	iscsi_logout "$IQN" "$P4"
	# Mutual: the target must know its own secret, and prove it.
	r=$(iscsi_login_fails "$IQN" "$P6" --chap alice alice-secret-12 \
		--mutual target target-secret-12)
	echo "mutual without the target's secret: $r"
	proc_cmd "$ISCSI" "chap $IQN outgoing target target-secret-12"
	r=$(iscsi_login_fails "$IQN" "$P6" --chap alice alice-secret-12 \
		--mutual target other-secret-123)
	echo "mutual with a secret the target does not have: $r"
	iscsi_login "$IQN" "$P6" --chap alice alice-secret-12 \
		--mutual target target-secret-12
	disk=$(iscsi_disk "$IQN" 0 "$P6")
	write_verify "$disk" 2
	iscsi_logout "$IQN" "$P6"
	# Discovery CHAP.
	proc_cmd "$ISCSI" "discovery_chap incoming disco disco-secret-12"
	iscsi_discover_fails "$P4" >/dev/null
	assert_eq "$IQN" "$(iscsi_discover "$P4" --chap disco disco-secret-12)" \
		"targets discovered with discovery CHAP"
	proc_cmd "$ISCSI" "discovery_chap clear"
	proc_cmd "$ISCSI" "chap $IQN clear"
	assert_eq "$IQN" "$(iscsi_discover "$P4")" "targets discovered without CHAP"
	dmesg | grep -q -- "-secret-12" && fail "a CHAP secret is in the kernel log"
	iscsi_teardown
}

# Header and data digests: negotiated, and the data path checks them.
test_iscsi_crc32c_digests() {
	local disk
	iscsi_setup
	iscsi_login "$IQN" "$P4" --digest
	assert_eq CRC32C "$(iscsi_session_param "$IQN" HeaderDigest)" "HeaderDigest"
	assert_eq CRC32C "$(iscsi_session_param "$IQN" DataDigest)" "DataDigest"
	disk=$(iscsi_disk "$IQN" 0)
	write_verify "$disk" 16
	# Idle for longer than the initiator's NOP-Out interval (5 s): its
	# pings have an empty data segment, which carries no data digest.
	sleep 12
	write_verify "$disk" 4
	klog_window "$SCST_TEST_NUM" | grep -E "digest error|conn error" &&
		fail "the connection broke while idle with digests on"
	iscsi_logout "$IQN" "$P4"
	# A target that offers None only: a login that insists on CRC32C fails.
	proc_cmd "$ISCSI" "set $IQN HeaderDigest None"
	iscsi_login_fails "$IQN" "$P4" --digest >/dev/null
	iscsi_teardown
}

# The data phase under the values that change it: immediate data or not,
# InitialR2T, small bursts and segments (many R2Ts and Data-Outs per
# command), several R2Ts outstanding.
test_iscsi_data_path_under_negotiated_values() {
	local disk v
	iscsi_setup
	for v in \
		"node.session.iscsi.ImmediateData=No node.session.iscsi.InitialR2T=Yes" \
		"node.session.iscsi.ImmediateData=Yes node.session.iscsi.InitialR2T=Yes" \
		"node.session.iscsi.ImmediateData=No node.session.iscsi.InitialR2T=No node.session.iscsi.FirstBurstLength=8192" \
		"node.session.iscsi.FirstBurstLength=16384 node.session.iscsi.MaxBurstLength=32768 node.conn[0].iscsi.MaxRecvDataSegmentLength=4096"; do
		# shellcheck disable=SC2046,SC2086
		iscsi_login "$IQN" "$P4" $(printf -- '--param %s ' $v)
		disk=$(iscsi_disk "$IQN" 0)
		write_verify "$disk" 8
		iscsi_logout "$IQN" "$P4"
	done
	proc_cmd "$ISCSI" "set $IQN MaxOutstandingR2T 1"
	proc_cmd "$ISCSI" "set $IQN MaxRecvDataSegmentLength 8192"
	iscsi_login "$IQN" "$P6" --param node.session.iscsi.MaxBurstLength=65536
	disk=$(iscsi_disk "$IQN" 0 "$P6")
	assert_eq 8192 "$(iscsi_session_param "$IQN" MaxXmitDataSegmentLength "$P6")" \
		"MaxRecvDataSegmentLength the target declared"
	write_verify "$disk" 8
	iscsi_teardown
}

# conn_field NAME: a field of the connection line of our session.
conn_field() {
	grep "^# connection $IQN $INITIATOR " "/proc/scsi_tgt/$ISCSI" |
		tr ' ' '\n' | sed -n "s/^$1=//p"
}

# core_stat NAME: a counter of /proc/scsi_tgt/stats.
core_stat() {
	awk -v n="$1" '$1 == n { print $2 }' /proc/scsi_tgt/stats
}

# lent_settles: TCP gives every lent page back once the initiator has
# acknowledged it; wait a little for the last acknowledgements.
lent_settles() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(conn_field lent_cmds)" = 0 ] && return 0
		sleep 0.5
	done
	fail "TCP still holds $(conn_field lent_cmds) commands' pages when idle"
}

# Read data is lent to TCP (MSG_ZEROCOPY), and a buffer goes back to the
# core only when TCP has let go of it: many reads of distinct data at once,
# with data digests computed over the lent pages, must return what was
# written (a buffer reused too early would carry another command's data).
# The connection's work stays on its CPU, and a FILEIO read moves to a
# core thread once (for the file I/O), not twice.  The data is written in
# a session without digests: only the reads are under test here.
test_iscsi_read_data_lent_to_tcp_on_one_cpu() {
	local disk cpu lent mib cmds sw fio_args
	iscsi_setup
	mib=$(lane_mib 64)
	fio_args="--name=lend --direct=1 --ioengine=libaio --iodepth=32
		--rw=randwrite --bsrange=4k-256k --size=${mib}M --randrepeat=1
		--verify=crc32c"
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	# shellcheck disable=SC2086
	fio $fio_args --filename="$disk" --do_verify=0 \
		--output="$IDIR/fio-w.out" >/dev/null 2>&1 ||
		fail "fio write: $(tail -n 3 "$IDIR/fio-w.out")"
	iscsi_logout "$IQN" "$P4"
	iscsi_login "$IQN" "$P4" --digest
	disk=$(iscsi_disk "$IQN" 0)
	cpu=$(conn_field cpu)
	echo "note: connection on CPU $cpu of $(nproc)"
	if [ -z "$cpu" ] || [ "$cpu" -lt 0 ] || [ "$cpu" -ge "$(nproc)" ]; then
		fail "connection CPU '$cpu' is not an online CPU"
	fi
	lent=$(conn_field data_in_lent)
	# shellcheck disable=SC2086
	fio $fio_args --filename="$disk" --verify_only=1 --verify_fatal=1 \
		--output="$IDIR/fio-v.out" >/dev/null 2>&1 ||
		fail "fio verify: $(grep -m3 -i 'verify\|err' "$IDIR/fio-v.out")"
	lent=$(($(conn_field data_in_lent) - lent))
	echo "note: bytes of Data-In lent while verifying $mib MiB: $lent"
	[ "$lent" -ge $((mib << 20)) ] ||
		fail "only $lent bytes lent for $mib MiB read"
	lent_settles
	assert_eq 0 "$(conn_field rx_off_cpu)" "PDUs received off the connection's CPU"
	assert_eq "$cpu" "$(conn_field cpu)" "connection CPU after the I/O"
	# One core thread switch per FILEIO read: its exec(); the response
	# goes out from that same thread.
	cmds=$(core_stat commands)
	sw=$(core_stat thread_switches)
	dd if="$disk" of=/dev/null bs=4k count=2000 iflag=direct status=none ||
		fail "reading $disk failed"
	cmds=$(($(core_stat commands) - cmds))
	sw=$(($(core_stat thread_switches) - sw))
	echo "note: FILEIO reads: $cmds commands, $sw core thread switches"
	[ "$cmds" -ge 2000 ] || fail "only $cmds commands counted for 2000 reads"
	[ "$((sw * 10))" -le "$((cmds * 11))" ] ||
		fail "$sw thread switches for $cmds commands (more than one each)"
	# Copying instead of lending is a module parameter: nothing is lent,
	# and the same data comes back.
	dd if="$disk" of="$IDIR/lent" bs=1M count=8 iflag=direct status=none ||
		fail "reading $disk failed"
	echo N >/sys/module/iscsi_scst/parameters/lend_data_in
	lent=$(conn_field data_in_lent)
	dd if="$disk" of="$IDIR/copied" bs=1M count=8 iflag=direct status=none ||
		fail "reading $disk failed"
	assert_eq "$lent" "$(conn_field data_in_lent)" "bytes lent with lend_data_in=N"
	echo Y >/sys/module/iscsi_scst/parameters/lend_data_in
	cmp -s "$IDIR/lent" "$IDIR/copied" || fail "lent and copied reads differ"
	iscsi_teardown
}

# A peer that stops reading keeps the Data-In pages TCP was lent (its
# receive window is closed): ending its session must not wait for them
# forever.  The target waits 5 s, then resets the connection, which makes
# TCP give them back; del_target force returns and the session is gone.
test_iscsi_session_end_takes_lent_pages_back_from_a_stalled_peer() {
	local pid t0 t lent
	iscsi_setup
	"$SCST_MODDIR/iscsi_raw_pdu" 127.0.0.1 3260 stall "$IQN" &
	pid=$!
	sleep 3
	lent=$(grep "^# connection $IQN iqn.2026-12.org.example:raw " \
		"/proc/scsi_tgt/$ISCSI" | tr ' ' '\n' | sed -n 's/^lent_cmds=//p')
	echo "note: commands whose pages TCP holds: ${lent:-none}"
	[ -n "$lent" ] && [ "$lent" -gt 0 ] ||
		fail "the stalled peer's session holds no lent pages ('$lent')"
	t0=$(date +%s)
	proc_cmd "$ISCSI" "del_target $IQN force"
	t=$(($(date +%s) - t0))
	echo "note: del_target force took $t s"
	[ "$t" -le 30 ] || fail "del_target force took $t s"
	klog_window "$SCST_TEST_NUM" | grep -q "acknowledges no data; resetting" ||
		fail "the reset was not logged"
	assert_eq 0 "$(core_sessions "$IQN")" "sessions after del_target force"
	wait "$pid" || fail "the stalled peer's connection was not reset"
	iscsi_teardown
}

# The connection dies in the middle of writes: open-iscsi logs in again
# (reinstating the session) and the writes complete; every block written
# reads back.
test_iscsi_connection_drop_mid_write_reinstates_the_session() {
	local disk pid n
	iscsi_setup
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	pattern "$IDIR/pat" 64
	dd if="$IDIR/pat" of="$disk" bs=256K oflag=direct status=none &
	pid=$!
	sleep 2
	n=$(iscsi_drop_connection 3260)
	echo "connections aborted: $n"
	iscsi_wait_logged_in "$IQN" "$P4" 60
	wait "$pid" || fail "the write failed after the connection came back"
	dd if="$disk" of="$IDIR/back" bs=1M count=64 iflag=direct status=none ||
		fail "reading back failed"
	cmp -s "$IDIR/pat" "$IDIR/back" || fail "data differs after the reconnect"
	assert_eq 1 "$(core_sessions "$IQN" "$INITIATOR")" \
		"sessions of the initiator after reinstatement"
	klog_window "$SCST_TEST_NUM" | grep -q "reinstating the session" ||
		echo "note: the initiator logged in without reinstating (the old session had ended)"
	iscsi_teardown
}

# A second login with the ISID of a live session (and TSIH 0) reinstates
# it: the target closes the old connection and ends its nexus first.
test_iscsi_session_reinstatement_closes_the_old_connection() {
	iscsi_setup
	"$SCST_MODDIR/iscsi_raw_pdu" 127.0.0.1 3260 reinstate "$IQN" ||
		fail "the session was not reinstated"
	klog_window "$SCST_TEST_NUM" | grep -q "reinstating the session of iqn.2026-12.org.example:raw" ||
		fail "no reinstatement in the kernel log"
	iscsi_teardown
}

# Logout while writes are in flight: every write dd reported done is on
# the disk afterwards.
test_iscsi_logout_during_writes_keeps_acknowledged_data() {
	local disk pid done_blocks
	iscsi_setup
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	pattern "$IDIR/pat" 64
	dd if="$IDIR/pat" of="$disk" bs=16K oflag=direct,sync 2>"$IDIR/dd.err" &
	pid=$!
	sleep 1
	iscsi_logout "$IQN" "$P4"
	wait "$pid" && echo "note: the write finished before the logout"
	# Each block dd counts as written was acknowledged (O_SYNC).
	done_blocks=$(sed -n 's/^\([0-9]*\)+[0-9]* records out.*/\1/p' "$IDIR/dd.err" | tail -n 1)
	echo "note: blocks acknowledged before the logout: ${done_blocks:-0} of 4096"
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	if [ "${done_blocks:-0}" -gt 0 ]; then
		cmp -s -n "$((done_blocks * 16384))" "$IDIR/pat" "$disk" ||
			fail "acknowledged writes are not all on the disk"
	fi
	iscsi_teardown
}

# Login text split over two Login Requests (C bit, cut inside a key) is
# gathered: the first gets an empty response that stays in its stage, the
# second logs in (tests/tools/iscsi_raw_pdu.c contlogin).
test_iscsi_login_text_continued_over_two_requests() {
	iscsi_setup
	"$SCST_MODDIR/iscsi_raw_pdu" 127.0.0.1 3260 contlogin "$IQN" ||
		fail "a login continued over two requests failed"
	klog_window "$SCST_TEST_NUM" |
		grep -q "iqn.2026-12.org.example:raw logged in to $IQN" ||
		fail "the continued login was not logged as a login"
	iscsi_teardown
}

# del_target force ends a busy session cleanly; the module then unloads.
test_iscsi_del_target_force_ends_sessions() {
	local disk pid
	iscsi_setup
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	assert_eq 1 "$(core_sessions "$IQN")" "sessions before del_target"
	proc_cmd_fails "$ISCSI" EBUSY "del_target $IQN"
	dd if=/dev/zero of="$disk" bs=1M count=64 oflag=direct status=none &
	pid=$!
	sleep 1
	proc_cmd "$ISCSI" "del_target $IQN force"
	assert_eq 0 "$(core_sessions "$IQN")" "sessions after del_target force"
	wait "$pid" || true
	iscsi_cleanup
	scst_unload_all
}

# Malformed input drops that connection only: a garbage header, an
# unknown opcode, a login with a broken key, oversized data.
test_iscsi_malformed_pdus_drop_only_their_connection() {
	local disk before
	iscsi_setup
	iscsi_login "$IQN" "$P4"
	disk=$(iscsi_disk "$IQN" 0)
	before=$(iscsi_log_count)
	# An initiator opcode that does not exist (0x3c), then a Login
	# Request whose text has no '=', then one with a data segment over
	# 8 KiB: each gets a log line and its connection closed.
	"$SCST_MODDIR/iscsi_raw_pdu" 127.0.0.1 3260 badop ||
		fail "iscsi_raw_pdu badop"
	"$SCST_MODDIR/iscsi_raw_pdu" 127.0.0.1 3260 badkey ||
		fail "iscsi_raw_pdu badkey"
	"$SCST_MODDIR/iscsi_raw_pdu" ::1 3260 bigdata ||
		fail "iscsi_raw_pdu bigdata"
	[ "$(($(iscsi_log_count) - before))" -ge 3 ] ||
		fail "malformed PDUs were not logged"
	write_verify "$disk" 4
	iscsi_teardown
}

# libiscsi's conformance suite over iSCSI, with two initiator names, on a
# FILEIO LUN: every test must pass (tgt passes 222 of 230, LIO 213 on this
# kernel), in both lanes.
test_iscsi_libiscsi_conformance() {
	local tests=ALL out=$SCST_RESULTS/iscsi-test-cu.txt summary
	iscsi_stack_load
	iscsi_export "$IQN" cu0 64M
	proc_cmd "$ISCSI" "add_portal 127.0.0.1"
	iscsi_net_up
	iscsi-test-cu -d --test="$tests" -i "$INITIATOR-cu1" -I "$INITIATOR-cu2" \
		"iscsi://127.0.0.1/$IQN/0" >"$out" 2>&1 || true
	summary=$(grep -E '^ +tests +[0-9]' "$out") ||
		fail "iscsi-test-cu printed no summary: $(tail -n 5 "$out")"
	echo "note: iscsi-test-cu --test=$tests: $(echo "$summary" | awk '{print $4 " of " $2 " passed, " $5 " failed"}')"
	grep -B1 -E '^FAILED|\.\.\.FAILED' "$out" | grep 'Test:' && fail "iscsi-test-cu reports failures"
	echo "$summary" | awk '$5 != 0 { exit 1 }' || fail "iscsi-test-cu: $summary"
	iscsi_teardown
}
