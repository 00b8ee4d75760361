# tests/bench/bench_iscsi.sh - the "iscsi" set of tests/bench/bench.sh,
# sourced by it: three iSCSI targets on 127.0.0.1, each with a 1 GiB disk
# that does no I/O, and open-iscsi logged in to each (tests/iscsi_lib.sh).
#
#   scst_iscsi  iscsi_scst (/proc/scsi_tgt/iscsi/iscsi), a NULLIO vdisk as
#               LUN 0 of group Default_<target>, portal 127.0.0.1:3260
#   lio_iscsi   LIO's iscsi_target_mod through targetcli, a ramdisk with
#               nullio=true as LUN 0, demo mode (any initiator, no CHAP),
#               portal 127.0.0.1:3261
#   tgt_iscsi   tgtd with its null backing store as LUN 1 (LUN 0 is tgt's
#               controller), any initiator, portal 127.0.0.1:3262
#
# Every target keeps its own defaults for the negotiated parameters; the
# initiator offers the same to all (tests/iscsi_lib.sh ISCSI_NODE_SETTINGS).
# A target whose setup fails is left out of the run (bench.sh's setup).

. "$SCST_REPO/tests/iscsi_lib.sh"

BENCH_SCST_IQN=iqn.2026-12.org.example:bench.scst
BENCH_LIO_IQN=iqn.2026-12.org.example:bench.lio
BENCH_TGT_IQN=iqn.2026-12.org.example:bench.tgt
BENCH_SCST_PORTAL=127.0.0.1:3260
BENCH_LIO_PORTAL=127.0.0.1:3261
BENCH_TGT_PORTAL=127.0.0.1:3262
BENCH_TGT_PIDFILE=/run/bench-tgtd.pid

# Each setup_* makes its target, logs in and prints the disk's /dev node.

setup_scst_iscsi() {
	kmod_load scst
	kmod_load scst_vdisk
	# iscsi_scst needs crc32c(); insmod does not load dependencies.
	kmod_load libcrc32c
	kmod_load iscsi_scst
	# SCST_BENCH_ISCSI_LEND=N: Data-In copied, not lent (for comparison).
	[ -z "${SCST_BENCH_ISCSI_LEND:-}" ] ||
		echo "$SCST_BENCH_ISCSI_LEND" >/sys/module/iscsi_scst/parameters/lend_data_in
	proc_cmd vdisk/vdisk "open inull0 none 512 NULLIO size=1073741824"
	proc_cmd scsi_tgt "add_group Default_$BENCH_SCST_IQN"
	proc_cmd "groups/Default_$BENCH_SCST_IQN/devices" "add inull0 0"
	proc_cmd iscsi/iscsi "add_target $BENCH_SCST_IQN"
	proc_cmd iscsi/iscsi "add_portal $BENCH_SCST_PORTAL"
	iscsi_login "$BENCH_SCST_IQN" "$BENCH_SCST_PORTAL"
	iscsi_disk "$BENCH_SCST_IQN" 0
}

setup_lio_iscsi() {
	local t=/iscsi/$BENCH_LIO_IQN/tpg1
	lio_start iscsi_target_mod || fail "LIO did not start"
	targetcli_run "/backstores/ramdisk create name=inull0 size=1G nullio=true" \
		"/iscsi create $BENCH_LIO_IQN" \
		"$t/luns create /backstores/ramdisk/inull0" \
		"$t/portals create ${BENCH_LIO_PORTAL%:*} ${BENCH_LIO_PORTAL##*:}" \
		"$t set attribute authentication=0 demo_mode_write_protect=0 generate_node_acls=1 cache_dynamic_acls=1" ||
		fail "targetcli failed"
	iscsi_login "$BENCH_LIO_IQN" "$BENCH_LIO_PORTAL"
	iscsi_disk "$BENCH_LIO_IQN" 0
}

# tgt_iscsi_cmd ARGS...: one tgtadm command that must succeed.
tgt_iscsi_cmd() {
	local r
	r=$(tgtadm --lld iscsi "$@" 2>&1) || fail "tgtadm $*: $r"
}

setup_tgt_iscsi() {
	local tries=100
	tgtd --pid-file "$BENCH_TGT_PIDFILE" --iscsi "portal=$BENCH_TGT_PORTAL" \
		</dev/null >"$out/tgtd.log" 2>&1 || fail "tgtd: $(cat "$out/tgtd.log")"
	until tgtadm --lld iscsi --op show --mode sys >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "tgtd does not answer"
		sleep 0.1
	done
	tgt_iscsi_cmd --op new --mode target --tid 1 -T "$BENCH_TGT_IQN"
	tgt_iscsi_cmd --op new --mode logicalunit --tid 1 --lun 1 --bstype null -b bench-null
	tgt_iscsi_cmd --op bind --mode target --tid 1 -I ALL
	iscsi_login "$BENCH_TGT_IQN" "$BENCH_TGT_PORTAL"
	iscsi_disk "$BENCH_TGT_IQN" 1
}

# iscsi_bench_setup: the initiator, then the three targets and their disks.
iscsi_bench_setup() {
	(iscsi_net_up && iscsid_start) || say "iscsi: the initiator did not start"
	setup scst_iscsi setup_scst_iscsi
	setup lio_iscsi setup_lio_iscsi
	setup tgt_iscsi setup_tgt_iscsi
	iscsi_bench_params
}

# iscsi_bench_params: what each session negotiated.
iscsi_bench_params() {
	local iqn k line
	for iqn in "$BENCH_SCST_IQN" "$BENCH_LIO_IQN" "$BENCH_TGT_IQN"; do
		[ -n "$(iscsi_session "$iqn")" ] || continue
		line=""
		for k in MaxRecvDataSegmentLength MaxXmitDataSegmentLength FirstBurstLength \
			MaxBurstLength InitialR2T ImmediateData MaxOutstandingR2T; do
			line="$line $k=$(iscsi_session_param "$iqn" "$k")"
		done
		echo "${iqn##*:}:$line"
	done
}

# iscsi_bench_cleanup: log out, stop iscsid and tgtd.
iscsi_bench_cleanup() {
	local pid
	(iscsi_cleanup) || say "iscsi: cleanup failed"
	pid=$(cat "$BENCH_TGT_PIDFILE" 2>/dev/null) && kill "$pid" 2>/dev/null
	return 0
}
