# Peer area "liopeer": tests/iscsi_lib.sh checked against LIO's in-kernel
# iSCSI target (iscsi_target_mod), set up through configfs directly (no
# targetcli: no python in the guest), over 127.0.0.1 and ::1: discovery with
# and without discovery CHAP (one-way and mutual), a login with CHAP after a
# CHAP discovery, CRC32C digests, and a connection dropped in the middle of
# a direct write.  tests/peers/tgt_iscsi.sh does the rest against tgt (tgt
# has no discovery CHAP).
#
# It is not in tests/areas/, so CI does not run it.  To run it, in a scratch
# copy of the repository:
#
#   rm -rf /var/tmp/ilib-work && cp -a . /var/tmp/ilib-work
#   cp tests/peers/lio_iscsi.sh /var/tmp/ilib-work/tests/areas/69-liopeer.sh
#   cd /var/tmp/ilib-work &&
#       SCST_TEST_OUT=/var/tmp/ilib-out tests/run --lane stock --filter 'liopeer/*'

. "$SCST_REPO/tests/iscsi_lib.sh"

LIO=/sys/kernel/config/target
LIO_IQN=iqn.2026-12.org.example:lio.disk
LIO_TPG=$LIO/iscsi/$LIO_IQN/tpgt_1
LIO_DEV=$LIO/core/rd_mcp_0/disk0
V4=127.0.0.1:3260
V6='[::1]:3260'
DISC_USER=liopeer-disc
DISC_SECRET=disc-secret-0123
DISC_TGT_USER=liopeer-disc-tgt
DISC_TGT_SECRET=disc-secret-4567
CHAP_USER=liopeer-ini
CHAP_SECRET=ini-secret-0123

# lio_set FILE VALUE: write one configfs attribute (without a newline: LIO
# keeps it as part of a CHAP name or secret).
lio_set() {
	printf %s "$2" >"$1" || fail "cannot write '$2' to $1"
}

# lio_setup: a 64 MiB RAM disk (real data) as LUN 0 of LIO_IQN, portals on
# 127.0.0.1 and ::1, any initiator allowed (demo mode), no CHAP.
lio_setup() {
	modprobe -a target_core_mod iscsi_target_mod || fail "cannot load LIO"
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	mkdir -p "$LIO_DEV" || fail "cannot make the LIO RAM disk"
	lio_set "$LIO_DEV/control" rd_pages=16384
	lio_set "$LIO_DEV/enable" 1
	mkdir -p "$LIO_TPG/lun/lun_0" "$LIO_TPG/np/$V4" "$LIO_TPG/np/$V6" ||
		fail "cannot make the LIO target"
	ln -s "$LIO_DEV" "$LIO_TPG/lun/lun_0/disk0" || fail "cannot map the LUN"
	lio_set "$LIO_TPG/attrib/generate_node_acls" 1
	lio_set "$LIO_TPG/attrib/cache_dynamic_acls" 1
	lio_set "$LIO_TPG/attrib/demo_mode_write_protect" 0
	lio_set "$LIO_TPG/attrib/authentication" 0
	lio_set "$LIO_TPG/enable" 1
}

lio_teardown() {
	local np
	[ -d "$LIO/iscsi" ] || return 0
	[ ! -e "$LIO_TPG/enable" ] || echo 0 >"$LIO_TPG/enable"
	rm -f "$LIO_TPG/lun/lun_0/disk0"
	rmdir "$LIO_TPG/lun/lun_0" 2>/dev/null || true
	for np in "$LIO_TPG"/np/*; do
		[ ! -d "$np" ] || rmdir "$np" || true
	done
	rmdir "$LIO_TPG" "$LIO/iscsi/$LIO_IQN" 2>/dev/null || true
	rmdir "$LIO_DEV" "$LIO/core/rd_mcp_0" 2>/dev/null || true
	[ ! -d "$LIO/iscsi/$LIO_IQN" ] || fail "cannot remove the LIO target"
	# The fabric's directory holds a reference to iscsi_target_mod.
	rmdir "$LIO/iscsi" || fail "cannot remove $LIO/iscsi"
	modprobe -r iscsi_target_mod || fail "cannot unload iscsi_target_mod"
}

# discovery_auth ENFORCE [USER SECRET [TUSER TSECRET]]: LIO's discovery CHAP.
discovery_auth() {
	local d=$LIO/iscsi/discovery_auth
	lio_set "$d/userid" "${2:-NULL}"
	lio_set "$d/password" "${3:-NULL}"
	lio_set "$d/userid_mutual" "${4:-NULL}"
	lio_set "$d/password_mutual" "${5:-NULL}"
	lio_set "$d/enforce_discovery_auth" "$1"
}

area_setup() {
	iscsi_cleanup
	lio_teardown
	echo "note: before iscsi_net_up: lo $(cat /sys/class/net/lo/operstate)," \
		"disable_ipv6=$(cat /proc/sys/net/ipv6/conf/lo/disable_ipv6)," \
		"$(ip -6 addr show dev lo | grep -c inet6) IPv6 address(es) on lo"
	iscsi_net_up
	lio_setup
	iscsid_start
}

area_teardown() {
	iscsi_cleanup
	lio_teardown
}

test_discovery_over_ipv4_and_ipv6() {
	assert_eq "$LIO_IQN" "$(iscsi_discover "$V4")" "targets at $V4"
	assert_eq "$LIO_IQN" "$(iscsi_discover "$V6")" "targets at $V6"
}

test_discovery_chap_one_way_and_mutual() {
	local r
	discovery_auth 1 "$DISC_USER" "$DISC_SECRET"
	r=$(iscsi_discover_fails "$V4")
	echo "note: no CHAP: $r"
	r=$(iscsi_discover_fails "$V4" --chap "$DISC_USER" wrong-secret-000)
	echo "note: wrong secret: $r"
	assert_eq "$LIO_IQN" "$(iscsi_discover "$V6" --chap "$DISC_USER" "$DISC_SECRET")" \
		"targets with discovery CHAP"
	discovery_auth 1 "$DISC_USER" "$DISC_SECRET" "$DISC_TGT_USER" "$DISC_TGT_SECRET"
	assert_eq "$LIO_IQN" "$(iscsi_discover "$V4" --chap "$DISC_USER" "$DISC_SECRET" \
		--mutual "$DISC_TGT_USER" "$DISC_TGT_SECRET")" "targets with mutual discovery CHAP"
	r=$(iscsi_discover_fails "$V4" --chap "$DISC_USER" "$DISC_SECRET" \
		--mutual "$DISC_TGT_USER" wrong-secret-000)
	echo "note: wrong target secret: $r"
	discovery_auth 0
}

test_chap_login_after_a_chap_discovery() {
	local r
	discovery_auth 1 "$DISC_USER" "$DISC_SECRET"
	lio_set "$LIO_TPG/auth/userid" "$CHAP_USER"
	lio_set "$LIO_TPG/auth/password" "$CHAP_SECRET"
	lio_set "$LIO_TPG/attrib/authentication" 1
	r=$(iscsi_login_fails "$LIO_IQN" "$V4" --discovery-chap "$DISC_USER" "$DISC_SECRET" \
		--chap "$CHAP_USER" wrong-secret-000)
	assert_match '^24 ' "$r" "login with a wrong secret"
	iscsi_login "$LIO_IQN" "$V4" --discovery-chap "$DISC_USER" "$DISC_SECRET" \
		--chap "$CHAP_USER" "$CHAP_SECRET"
	iscsi_disk "$LIO_IQN" 0 >/dev/null
	iscsi_logout "$LIO_IQN" "$V4"
	lio_set "$LIO_TPG/attrib/authentication" 0
	discovery_auth 0
}

test_crc32c_digests_are_negotiated() {
	iscsi_login "$LIO_IQN" "$V6" --digest
	assert_eq CRC32C "$(iscsi_session_param "$LIO_IQN" HeaderDigest)" HeaderDigest
	assert_eq CRC32C "$(iscsi_session_param "$LIO_IQN" DataDigest)" DataDigest
	echo "note: LIO negotiated: FirstBurstLength $(iscsi_session_param "$LIO_IQN" FirstBurstLength)," \
		"MaxBurstLength $(iscsi_session_param "$LIO_IQN" MaxBurstLength)," \
		"MaxXmitDataSegmentLength $(iscsi_session_param "$LIO_IQN" MaxXmitDataSegmentLength)," \
		"InitialR2T $(iscsi_session_param "$LIO_IQN" InitialR2T)," \
		"ImmediateData $(iscsi_session_param "$LIO_IQN" ImmediateData)"
	iscsi_logout "$LIO_IQN" "$V6"
}

# A connection aborted from either end (ss -K) in the middle of a direct
# write: iscsid logs in again, dd succeeds, the data is all there.
test_connection_drop_during_a_direct_write_recovers() {
	local d pid n mib rc t0 side
	mib=$(lane_mib 48)
	iscsi_login "$LIO_IQN" "$V4"
	d=$(iscsi_disk "$LIO_IQN" 0)
	for side in initiator target; do
		head -c "${mib}M" /dev/urandom >/tmp/liopeer-pattern
		t0=$(date +%s)
		dd if=/tmp/liopeer-pattern of="$d" bs=64k oflag=direct status=none &
		pid=$!
		sleep 0.5
		kill -0 "$pid" 2>/dev/null || fail "dd was done before the drop (write more)"
		n=$(iscsi_drop_connection 3260 "$side")
		assert_eq 1 "$n" "connections aborted on the $side side"
		rc=0
		wait "$pid" || rc=$?
		assert_eq 0 "$rc" "exit status of dd across the drop on the $side side"
		iscsi_wait_logged_in "$LIO_IQN" "$V4"
		echo "note: $side side: the write took $(($(date +%s) - t0)) s with the drop"
		cmp /tmp/liopeer-pattern <(dd if="$d" bs=1M count="$mib" iflag=direct status=none) ||
			fail "data read back after the drop on the $side side differs"
	done
	rm -f /tmp/liopeer-pattern
	iscsi_logout "$LIO_IQN" "$V4"
}
