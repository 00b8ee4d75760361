# Area "scst_local": the local target driver.  Each session is a SCSI host of
# the guest, so the guest's own sd/sg see the LUNs of the session's group
# (Documentation/scst_local.rst).

LOCAL=scst_local/scst_local
VDISK=vdisk/vdisk
DEFAULT_DEVICES=groups/Default/devices

# Start from nothing loaded, whatever an earlier failed test left behind.
# insmod does not load dependencies: scst_local needs the SCSI mid-layer.
local_load() {
	scst_unload_all
	scst_load
	kmod_load scsi_mod
	kmod_load scst_local
	[ -d /proc/scsi_tgt/scst_local ] || fail "/proc/scsi_tgt/scst_local missing"
}

# With the virtual disk handler, to have something to see.
local_load_with_vdisk() {
	scst_unload_all
	scst_load
	kmod_load scst_vdisk
	kmod_load scsi_mod
	kmod_load scst_local
	kmod_load sg
	kmod_load sd_mod
}

# local_sessions: the command file as it reads.
local_sessions() {
	cat "/proc/scsi_tgt/$LOCAL"
}

# host_of NAME: the SCSI host number that the command file lists for NAME.
host_of() {
	local h
	h=$(awk -v n="$1" '$1 == n { print $2 }' "/proc/scsi_tgt/$LOCAL")
	[ -n "$h" ] || fail "no session '$1' in $LOCAL: $(local_sessions)"
	echo "$h"
}

# local_hosts: the SCSI hosts of this driver, one hostN per line.
local_hosts() {
	local h
	for h in /sys/class/scsi_host/host*; do
		[ -e "$h/proc_name" ] || continue
		[ "$(cat "$h/proc_name")" = scst_local ] && basename "$h"
	done
	return 0
}

# Lines scst_local.ko has logged in this test's window so far.
local_log_count() {
	klog_window "$SCST_TEST_NUM" | grep -c '\] scst_local: ' || true
}

# local_fails_logged ERRNO COMMAND: fails with ERRNO, logs exactly one line
# and changes neither the command file nor the set of SCSI hosts.
local_fails_logged() {
	local before state hosts
	state=$(local_sessions)
	hosts=$(local_hosts)
	before=$(local_log_count)
	proc_cmd_fails "$LOCAL" "$1" "$2"
	assert_eq 1 "$(($(local_log_count) - before))" "lines logged for '$2'"
	assert_eq "$state" "$(local_sessions)" "sessions after the failed '$2'"
	assert_eq "$hosts" "$(local_hosts)" "SCSI hosts after the failed '$2'"
}

# hctl_of_lun HOST LUN: H:C:T:L of LUN on SCSI host number HOST (Linux's LUN
# numbering, e.g. 16389 for flat LUN 5); waits for it to appear.
wait_for_hctl() {
	local tries=300
	while [ "$tries" -gt 0 ]; do
		[ -e "/sys/class/scsi_device/$1:0:0:$2" ] && { echo "$1:0:0:$2"; return 0; }
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "SCSI device $1:0:0:$2 did not appear; have: $(ls /sys/class/scsi_device)"
}

# wait_gone HCTL: the SCSI device disappears.
wait_gone() {
	local tries=300
	while [ -e "/sys/class/scsi_device/$1" ]; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "SCSI device $1 did not disappear"
		sleep 0.1
	done
}

# luns_of_host HOST: the LUNs of host HOST's devices, sorted.
luns_of_host() {
	local d
	for d in /sys/class/scsi_device/"$1":*; do
		[ -e "$d" ] && basename "$d" | cut -d: -f4
	done | sort -n
	return 0
}

# report_luns SG_DEV: the 8-byte LUN fields REPORT LUNS returns, in hex.
report_luns() {
	sg_luns "$1" | sed -n 's/^ *\([0-9a-f]\{16\}\)$/\1/p'
}

# nullio_disk NAME LUN: a NULLIO vdisk at LUN of group Default.
nullio_disk() {
	proc_cmd "$VDISK" "open $1 none 512 NULLIO size=67108864"
	proc_cmd "$DEFAULT_DEVICES" "add $1 $2"
}

# del_lun NAME: remove a device from group Default.  The spec refuses this
# with EBUSY while sessions use the group unless "force" is given.
del_lun() {
	local r
	r=$(proc_write "$DEFAULT_DEVICES" "del $1") && return 0
	[ "$r" = EBUSY ] || fail "'del $1' > $DEFAULT_DEVICES failed with $r"
	proc_cmd "$DEFAULT_DEVICES" "del $1 force"
}

test_proc_files_have_their_modes_help_and_start_empty() {
	local help
	local_load
	assert_eq "600 0:0" "$(stat -c '%a %u:%g' "/proc/scsi_tgt/$LOCAL")" "command file"
	assert_eq "444 0:0" "$(stat -c '%a %u:%g' /proc/scsi_tgt/scst_local/help)" "help file"
	help=$(cat /proc/scsi_tgt/scst_local/help)
	assert_match 'add_session INITIATOR_NAME' "$help" "help"
	assert_match 'del_session INITIATOR_NAME' "$help" "help"
	assert_eq "" "$(local_sessions)" "sessions after load"
	assert_eq "" "$(local_hosts)" "SCSI hosts after load"
	scst_unload_all
}

test_add_and_del_session_make_a_scsi_host_appear_and_disappear() {
	local h
	local_load
	proc_cmd "$LOCAL" "add_session iqn.2024-01.test:host1"
	h=$(host_of iqn.2024-01.test:host1)
	assert_eq "scst_local" "$(cat "/sys/class/scsi_host/host$h/proc_name")" "proc_name of host$h"
	assert_eq "host$h" "$(local_hosts)" "SCSI hosts of scst_local"
	assert_match "scst_local" "$(lsscsi -H)" "lsscsi -H"
	# The trailing newline is optional.
	proc_cmd "$LOCAL" "del_session iqn.2024-01.test:host1
"
	[ ! -e "/sys/class/scsi_host/host$h" ] || fail "host$h still exists after del_session"
	assert_eq "" "$(local_sessions)" "sessions after del_session"
	assert_eq "" "$(local_hosts)" "SCSI hosts after del_session"
	scst_unload_all
}

test_read_back_lists_every_session_exactly() {
	local h1 h2 h3 want
	local_load
	proc_cmd "$LOCAL" "add_session alpha"
	proc_cmd "$LOCAL" "add_session beta"
	proc_cmd "$LOCAL" "add_session iqn.1994-05.com.example:gamma"
	h1=$(host_of alpha)
	h2=$(host_of beta)
	h3=$(host_of iqn.1994-05.com.example:gamma)
	want=$(printf 'alpha %s\nbeta %s\niqn.1994-05.com.example:gamma %s' "$h1" "$h2" "$h3")
	assert_eq "$want" "$(local_sessions)" "read-back"
	assert_eq "$(printf 'host%s\n' "$h1" "$h2" "$h3" | sort)" "$(local_hosts | sort)" "hosts"
	# The sessions are the core's too.
	assert_match 'scst_local +scst_local +beta ' "$(cat /proc/scsi_tgt/sessions)" "core's sessions"
	proc_cmd "$LOCAL" "del_session beta"
	want=$(printf 'alpha %s\niqn.1994-05.com.example:gamma %s' "$h1" "$h3")
	assert_eq "$want" "$(local_sessions)" "read-back after del_session beta"
	scst_unload_all
}

test_bad_commands_fail_with_the_exact_errno_and_change_nothing() {
	local long
	local_load
	proc_cmd "$LOCAL" "add_session existing"
	local_fails_logged EINVAL ""
	local_fails_logged EINVAL "
"
	local_fails_logged EINVAL "add_session"
	local_fails_logged EINVAL "del_session"
	local_fails_logged EINVAL "add_session a b"
	local_fails_logged EINVAL "frobnicate x"
	local_fails_logged EINVAL "ADD_SESSION x"
	local_fails_logged EINVAL "$(printf 'add_session bad\001name')"
	local_fails_logged EINVAL "$(printf 'add_session caf\303\251')"
	local_fails_logged EINVAL "$(printf 'add_session g2\nadd_session g3')"
	local_fails_logged EINVAL "$(printf 'add_session g2\n\nx')"
	long=$(printf 'n%.0s' $(seq 224))
	local_fails_logged EINVAL "add_session $long"
	# 4097 bytes: one more than a page.
	local_fails_logged EINVAL "add_session x$(printf ' %.0s' $(seq 4084))"
	local_fails_logged EEXIST "add_session existing"
	local_fails_logged ENOENT "del_session missing"
	local_fails_logged ENOENT "del_session existin"
	assert_eq "existing" "$(local_sessions | cut -d' ' -f1)" "sessions"
	scst_unload_all
}

test_initiator_name_of_223_characters_is_accepted() {
	local name
	local_load
	name=$(printf 'x%.0s' $(seq 222))!
	proc_cmd "$LOCAL" "add_session $name"
	host_of "$name" >/dev/null
	proc_cmd "$LOCAL" "del_session $name"
	scst_unload_all
}

test_report_luns_lists_exactly_luns_0_and_5_as_sd_disks() {
	local h hctl0 hctl5 sg
	local_load_with_vdisk
	nullio_disk nl0 0
	nullio_disk nl5 5
	proc_cmd "$LOCAL" "add_session local-luns"
	h=$(host_of local-luns)
	hctl0=$(wait_for_hctl "$h" 0)
	hctl5=$(wait_for_hctl "$h" 5)
	assert_eq "$hctl0" "$(wait_for_scsi_dev SCST_NUL nl0)" "device of nl0"
	assert_eq "$hctl5" "$(wait_for_scsi_dev SCST_NUL nl5)" "device of nl5"
	assert_eq "SCST_NUL" "$(tr -d ' ' <"/sys/class/scsi_device/$hctl5/device/vendor")" "vendor"
	blk_dev_of "$hctl0" >/dev/null
	blk_dev_of "$hctl5" >/dev/null
	sg=$(sg_dev_of "$hctl0")
	assert_eq "$(printf '0000000000000000\n0005000000000000')" "$(report_luns "$sg")" "REPORT LUNS"
	assert_eq "$(printf '0\n5')" "$(luns_of_host "$h")" "LUNs the mid-layer sees"
	proc_cmd "$LOCAL" "del_session local-luns"
	scst_unload_all
}

test_lun_added_later_appears_and_removed_one_disappears() {
	local h hctl
	local_load_with_vdisk
	nullio_disk nl0 0
	proc_cmd "$LOCAL" "add_session local-rescan"
	h=$(host_of local-rescan)
	wait_for_hctl "$h" 0 >/dev/null
	nullio_disk nl7 7
	hctl=$(wait_for_hctl "$h" 7)
	assert_eq "$hctl" "$(wait_for_scsi_dev SCST_NUL nl7)" "device of the new LUN"
	del_lun nl7
	wait_gone "$hctl"
	assert_eq "0" "$(luns_of_host "$h")" "LUNs after the removal"
	proc_cmd "$LOCAL" "del_session local-rescan"
	scst_unload_all
}

test_lun_above_255_is_reachable_with_flat_addressing() {
	local h hctl sg
	local_load_with_vdisk
	nullio_disk nl300 300
	proc_cmd "$LOCAL" "add_session local-flat"
	h=$(host_of local-flat)
	# Linux numbers a flat space LUN 0x4000 | LUN.
	hctl=$(wait_for_hctl "$h" $((0x4000 | 300)))
	sg=$(sg_dev_of "$hctl")
	assert_eq "412c000000000000" "$(report_luns "$sg")" "REPORT LUNS"
	proc_cmd "$LOCAL" "del_session local-flat"
	scst_unload_all
}

test_direct_io_through_sd_reads_back_what_was_written() {
	local h hctl dev img=/tmp/scst_local_fileio.img
	local_load_with_vdisk
	rm -f "$img"
	truncate -s 16M "$img"
	proc_cmd "$VDISK" "open fio0 $img"
	proc_cmd "$DEFAULT_DEVICES" "add fio0 0"
	proc_cmd "$LOCAL" "add_session local-io"
	h=$(host_of local-io)
	hctl=$(wait_for_hctl "$h" 0)
	assert_eq "$hctl" "$(wait_for_scsi_dev SCST_FIO fio0)" "device of fio0"
	dev=$(blk_dev_of "$hctl")
	head -c 1048576 /dev/urandom >/tmp/scst_local_pattern
	dd if=/tmp/scst_local_pattern of="$dev" bs=64k seek=3 oflag=direct status=none ||
		fail "dd to $dev failed"
	dd if="$dev" of=/tmp/scst_local_back bs=64k skip=3 count=16 iflag=direct status=none ||
		fail "dd from $dev failed"
	cmp /tmp/scst_local_pattern /tmp/scst_local_back || fail "data read back differs"
	# And it reached the backing file.
	cmp /tmp/scst_local_pattern <(dd if="$img" bs=64k skip=3 count=16 status=none) ||
		fail "backing file differs"
	proc_cmd "$LOCAL" "del_session local-io"
	scst_unload_all
	rm -f "$img" /tmp/scst_local_pattern /tmp/scst_local_back
}

test_two_sessions_are_two_initiators_with_their_own_hosts() {
	local ha hb
	local_load_with_vdisk
	nullio_disk nl0 0
	proc_cmd "$LOCAL" "add_session init-a"
	proc_cmd "$LOCAL" "add_session init-b"
	ha=$(host_of init-a)
	hb=$(host_of init-b)
	[ "$ha" != "$hb" ] || fail "both sessions are host$ha"
	wait_for_hctl "$ha" 0 >/dev/null
	wait_for_hctl "$hb" 0 >/dev/null
	scst_unload_all
}

test_unloading_with_sessions_and_devices_removes_them_cleanly() {
	local h hctl
	local_load_with_vdisk
	nullio_disk nl0 0
	proc_cmd "$LOCAL" "add_session unload-a"
	proc_cmd "$LOCAL" "add_session unload-b"
	h=$(host_of unload-a)
	hctl=$(wait_for_hctl "$h" 0)
	blk_dev_of "$hctl" >/dev/null
	rmmod scst_local || fail "rmmod scst_local with sessions failed"
	[ -z "$(local_hosts)" ] || fail "hosts left after rmmod: $(local_hosts)"
	[ ! -e "/sys/class/scsi_device/$hctl" ] || fail "$hctl left after rmmod"
	[ ! -e /proc/scsi_tgt/scst_local ] || fail "/proc/scsi_tgt/scst_local left after rmmod"
	scst_unload_all
	# Leaks are found by unload/test_every_module_unloads_without_leaks,
	# whose kmemleak scan covers every test (a scan is slow under TCG).
}
