# Peer area "tgtpeer": tests/iscsi_lib.sh (the open-iscsi side of the iSCSI
# tests) checked against tgt's user-space target (tgtd) over 127.0.0.1 and
# ::1: discovery, logins without CHAP, with one-way and mutual CHAP (wrong
# secrets refused), CRC32C digests, ext4 data across a logout, and a
# connection dropped in the middle of a direct write.
#
# It is not in tests/areas/, so CI does not run it.  To run it, in a scratch
# copy of the repository (so that the working tree stays as it is):
#
#   rm -rf /var/tmp/ilib-work && cp -a . /var/tmp/ilib-work
#   cp tests/peers/tgt_iscsi.sh /var/tmp/ilib-work/tests/areas/69-tgtpeer.sh
#   cd /var/tmp/ilib-work &&
#       SCST_TEST_OUT=/var/tmp/ilib-out tests/run --lane stock --filter 'tgtpeer/*'
#
# (--lane debug for the debug kernel.)  The same tests, with the target set
# up through /proc/scsi_tgt/iscsi/iscsi instead of tgtadm, are what
# tests/areas/70-iscsi.sh should check of iscsi_scst.

. "$SCST_REPO/tests/iscsi_lib.sh"

TGT_DIR=/tmp/tgtpeer
TGT_PIDFILE=/run/tgtpeer-tgtd.pid
V4=127.0.0.1:3260
V6='[::1]:3260'
# tid 1: no CHAP, a 64 MiB file as LUN 1 (tgt's LUN 0 is its controller).
OPEN=iqn.2026-12.org.example:tgt.open
# tid 2: one-way CHAP (the initiator proves it is CHAP_USER).
CHAP=iqn.2026-12.org.example:tgt.chap
# tid 3: mutual CHAP (the target proves it is TGT_USER too).
MUTUAL=iqn.2026-12.org.example:tgt.mutual
CHAP_USER=tgtpeer-ini
CHAP_SECRET=ini-secret-0123
TGT_USER=tgtpeer-tgt
TGT_SECRET=tgt-secret-4567

# tgt_cmd ARGS...: one tgtadm command that must succeed.
tgt_cmd() {
	local out
	out=$(tgtadm --lld iscsi "$@" 2>&1) || fail "tgtadm $*: $out"
}

tgtd_pid() {
	local pid
	pid=$(cat "$TGT_PIDFILE" 2>/dev/null) || return 0
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
	return 0
}

tgtd_stop() {
	local pid tries=100
	pid=$(tgtd_pid)
	[ -n "$pid" ] || return 0
	kill -TERM "$pid"
	while kill -0 "$pid" 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || { kill -KILL "$pid"; sleep 1; break; }
		sleep 0.1
	done
	rm -f "$TGT_PIDFILE"
}

# tgt_setup: tgtd on both loopback portals with the three targets.
tgt_setup() {
	local tries=100
	mkdir -p "$TGT_DIR"
	truncate -s 64M "$TGT_DIR/disk1.img"
	tgtd --pid-file "$TGT_PIDFILE" --iscsi "portal=$V4,portal=$V6" \
		>"$TGT_DIR/tgtd.log" 2>&1 || fail "tgtd: $(cat "$TGT_DIR/tgtd.log")"
	until tgtadm --lld iscsi --op show --mode sys >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "tgtd does not answer: $(cat "$TGT_DIR/tgtd.log")"
		sleep 0.1
	done
	tgt_cmd --op new --mode target --tid 1 -T "$OPEN"
	tgt_cmd --op new --mode logicalunit --tid 1 --lun 1 -b "$TGT_DIR/disk1.img"
	tgt_cmd --op new --mode target --tid 2 -T "$CHAP"
	tgt_cmd --op new --mode logicalunit --tid 2 --lun 1 --bstype null -b null2
	tgt_cmd --op new --mode target --tid 3 -T "$MUTUAL"
	tgt_cmd --op new --mode logicalunit --tid 3 --lun 1 --bstype null -b null3
	tgt_cmd --op new --mode account --user "$CHAP_USER" --password "$CHAP_SECRET"
	tgt_cmd --op new --mode account --user "$TGT_USER" --password "$TGT_SECRET"
	tgt_cmd --op bind --mode account --tid 2 --user "$CHAP_USER"
	tgt_cmd --op bind --mode account --tid 3 --user "$CHAP_USER"
	tgt_cmd --op bind --mode account --tid 3 --user "$TGT_USER" --outgoing
	for tid in 1 2 3; do
		tgt_cmd --op bind --mode target --tid "$tid" -I ALL
	done
	# tgt offers no digest unless told to.
	tgt_cmd --op update --mode target --tid 1 -n HeaderDigest -v CRC32C,None
	tgt_cmd --op update --mode target --tid 1 -n DataDigest -v CRC32C,None
}

area_setup() {
	tgtd_stop
	iscsi_cleanup
	echo "note: before iscsi_net_up: lo $(cat /sys/class/net/lo/operstate)," \
		"disable_ipv6=$(cat /proc/sys/net/ipv6/conf/lo/disable_ipv6)," \
		"$(ip -6 addr show dev lo | grep -c inet6) IPv6 address(es) on lo"
	iscsi_net_up
	tgt_setup
	iscsid_start
	echo "note: tgtd portals: $(tgtadm --lld iscsi --op show --mode portal | tr '\n' ' ')"
}

area_teardown() {
	local left
	umount "$TGT_DIR/mnt" 2>/dev/null || true
	iscsi_cleanup
	tgtd_stop
	rm -rf "$TGT_DIR"
	left=$(ls /sys/class/iscsi_session 2>/dev/null)
	[ -z "$left" ] || fail "sessions left: $left"
	[ -z "$(iscsid_pid)" ] || fail "iscsid still runs"
	[ -z "$(tgtd_pid)" ] || fail "tgtd still runs"
}

# blocks DEV: the size of a block device in 512-byte sectors.
blocks() {
	cat "/sys/block/${1#/dev/}/size"
}

test_discovery_lists_the_targets_over_ipv4_and_ipv6() {
	local p want got
	want=$(printf '%s\n' "$OPEN" "$CHAP" "$MUTUAL" | sort)
	for p in "$V4" "$V6"; do
		got=$(iscsi_discover "$p" | sort)
		assert_eq "$want" "$got" "targets discovered at $p"
	done
}

test_discovery_and_login_at_a_closed_port_fail_fast() {
	local t0 r
	t0=$(date +%s)
	r=$(iscsi_discover_fails 127.0.0.1:3299)
	assert_match '^[0-9]+ ' "$r" "discovery failure"
	r=$(iscsi_login_fails "$OPEN" 127.0.0.1:3299)
	echo "note: closed port: $r; both failed in $(($(date +%s) - t0)) s"
	[ $(($(date +%s) - t0)) -le 30 ] || fail "failing at a closed port took over 30 s"
}

test_login_without_chap_over_ipv4_and_ipv6_shows_the_disk() {
	local p d
	for p in "$V4" "$V6"; do
		iscsi_login "$OPEN" "$p"
		d=$(iscsi_disk "$OPEN" 1 "$p")
		assert_eq 131072 "$(blocks "$d")" "size of $d (sectors) over $p"
		assert_eq 1 "$(iscsi_session_param "$OPEN" TargetPortalGroupTag "$p")" "TPGT over $p"
		assert_eq None "$(iscsi_session_param "$OPEN" HeaderDigest "$p")" "HeaderDigest over $p"
		[ -n "$(iscsi_sg "$OPEN" 0 "$p")" ] || fail "no sg node of LUN 0 over $p"
	done
	# Both sessions at once; each portal logs out on its own.
	iscsi_logout "$OPEN" "$V4"
	[ -n "$(iscsi_session "$OPEN" "$V6")" ] || fail "logout over IPv4 ended the IPv6 session"
	iscsi_logout "$OPEN" "$V6"
}

test_login_to_an_unknown_target_is_refused() {
	local r
	r=$(iscsi_login_fails iqn.2026-12.org.example:tgt.none "$V4")
	echo "note: $r"
}

test_chap_login_succeeds_and_wrong_or_no_secret_is_refused() {
	local r
	r=$(iscsi_login_fails "$CHAP" "$V4" --chap "$CHAP_USER" wrong-secret-000)
	assert_match '^24 ' "$r" "login with a wrong secret"
	r=$(iscsi_login_fails "$CHAP" "$V4")
	echo "note: without CHAP: $r"
	iscsi_login "$CHAP" "$V6" --chap "$CHAP_USER" "$CHAP_SECRET"
	iscsi_disk "$CHAP" 1 >/dev/null
	assert_eq "$CHAP_USER" "$(iscsi_session_param "$CHAP" username)" "CHAP user of the session"
	iscsi_logout "$CHAP" "$V6"
}

test_mutual_chap_succeeds_and_a_wrong_target_secret_is_refused() {
	local r
	iscsi_login "$MUTUAL" "$V4" --chap "$CHAP_USER" "$CHAP_SECRET" --mutual "$TGT_USER" "$TGT_SECRET"
	iscsi_disk "$MUTUAL" 1 >/dev/null
	iscsi_logout "$MUTUAL" "$V4"
	r=$(iscsi_login_fails "$MUTUAL" "$V4" --chap "$CHAP_USER" "$CHAP_SECRET" \
		--mutual "$TGT_USER" wrong-secret-000)
	# The initiator finds the target's answer wrong: open-iscsi calls that
	# a fatal login error (19), not an authentication failure (24).
	assert_match '^(19|24) ' "$r" "login expecting a wrong target secret"
	echo "note: wrong target secret: $r"
}

test_crc32c_digests_are_negotiated_and_carry_data() {
	local d mib
	mib=$(lane_mib 16)
	iscsi_login "$OPEN" "$V4" --digest
	assert_eq CRC32C "$(iscsi_session_param "$OPEN" HeaderDigest)" HeaderDigest
	assert_eq CRC32C "$(iscsi_session_param "$OPEN" DataDigest)" DataDigest
	d=$(iscsi_disk "$OPEN" 1)
	head -c "${mib}M" /dev/urandom >"$TGT_DIR/pattern"
	dd if="$TGT_DIR/pattern" of="$d" bs=1M oflag=direct status=none
	cmp "$TGT_DIR/pattern" <(dd if="$d" bs=1M count="$mib" iflag=direct status=none) ||
		fail "data read back with digests differs"
	iscsi_logout "$OPEN" "$V4"
}

test_negotiation_takes_the_lower_burst_lengths() {
	iscsi_login "$OPEN" "$V4" --param node.session.iscsi.FirstBurstLength=32768 \
		--param node.session.iscsi.MaxBurstLength=131072 \
		--param node.conn[0].iscsi.MaxRecvDataSegmentLength=65536
	assert_eq 32768 "$(iscsi_session_param "$OPEN" FirstBurstLength)" FirstBurstLength
	assert_eq 131072 "$(iscsi_session_param "$OPEN" MaxBurstLength)" MaxBurstLength
	assert_eq 65536 "$(iscsi_session_param "$OPEN" MaxRecvDataSegmentLength)" MaxRecvDataSegmentLength
	echo "note: InitialR2T $(iscsi_session_param "$OPEN" InitialR2T)," \
		"ImmediateData $(iscsi_session_param "$OPEN" ImmediateData)," \
		"MaxXmitDataSegmentLength $(iscsi_session_param "$OPEN" MaxXmitDataSegmentLength)," \
		"MaxOutstandingR2T $(iscsi_session_param "$OPEN" MaxOutstandingR2T)," \
		"ErrorRecoveryLevel $(iscsi_session_param "$OPEN" ErrorRecoveryLevel)"
	iscsi_logout "$OPEN" "$V4"
}

test_ext4_files_survive_logout_and_login_again() {
	local d i n mnt=$TGT_DIR/mnt
	n=$(lane_mib 16)
	kmod_load ext4
	iscsi_login "$OPEN" "$V6"
	d=$(iscsi_disk "$OPEN" 1)
	mkfs.ext4 -q -F "$d" || fail "mkfs.ext4 $d failed"
	mkdir -p "$mnt"
	mount "$d" "$mnt" || fail "mount $d failed"
	for i in $(seq "$n"); do
		head -c 1M /dev/urandom >"$mnt/f$i"
	done
	(cd "$mnt" && sha256sum f*) >"$TGT_DIR/sums"
	umount "$mnt"
	iscsi_logout "$OPEN" "$V6"
	iscsi_login "$OPEN" "$V4"
	d=$(iscsi_disk "$OPEN" 1)
	mount "$d" "$mnt" || fail "mount $d after login again failed"
	(cd "$mnt" && sha256sum --quiet -c "$TGT_DIR/sums") || fail "files differ after login again"
	umount "$mnt"
	iscsi_logout "$OPEN" "$V4"
}

# ss -K aborts the initiator's connections to port 3260 while dd writes
# with O_DIRECT; the SCSI layer holds the commands, iscsid logs in again
# and they complete: dd succeeds and the data is all there.  Then the same
# with the target's end of the connection aborted.
test_connection_drop_during_a_direct_write_recovers() {
	local d pid n mib rc t0 side
	mib=$(lane_mib 64)
	iscsi_login "$OPEN" "$V4"
	iscsi_login "$OPEN" "$V6"
	d=$(iscsi_disk "$OPEN" 1 "$V6")
	for side in initiator target; do
		head -c "${mib}M" /dev/urandom >"$TGT_DIR/pattern"
		t0=$(date +%s)
		dd if="$TGT_DIR/pattern" of="$d" bs=64k oflag=direct status=none &
		pid=$!
		sleep 0.5
		kill -0 "$pid" 2>/dev/null || fail "dd was done before the drop (write more)"
		# Both sessions' connections go: one per portal.
		n=$(iscsi_drop_connection 3260 "$side")
		assert_eq 2 "$n" "connections aborted on the $side side"
		rc=0
		wait "$pid" || rc=$?
		assert_eq 0 "$rc" "exit status of dd across the drop on the $side side"
		iscsi_wait_logged_in "$OPEN" "$V4"
		iscsi_wait_logged_in "$OPEN" "$V6"
		echo "note: $side side: the write took $(($(date +%s) - t0)) s with the drop;" \
			"$(dmesg | grep -c 'detected conn error') connection errors logged so far"
		cmp "$TGT_DIR/pattern" <(dd if="$d" bs=1M count="$mib" iflag=direct status=none) ||
			fail "data read back after the drop on the $side side differs"
	done
	iscsi_logout "$OPEN" "$V4"
	iscsi_logout "$OPEN" "$V6"
}
