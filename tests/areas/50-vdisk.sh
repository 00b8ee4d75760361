# Area "vdisk": the virtual disk handler scst_vdisk.ko (FILEIO and NULLIO),
# its /proc interface and the SCSI commands it executes, seen through
# scst_local by the guest's own sd/sg (Documentation/vdisk.rst).

VDISK=vdisk/vdisk
DEFAULT_DEVICES=groups/Default/devices
LOCAL=scst_local/scst_local
IMG=/tmp/vdisk-test

vdisk_load() {
	# A failed test may have left modules loaded: start from nothing.
	scst_unload_all
	scst_load
	kmod_load scst_vdisk
	[ -d /proc/scsi_tgt/vdisk ] || fail "/proc/scsi_tgt/vdisk missing"
}

vdisk_load_with_local() {
	vdisk_load
	# insmod does not load dependencies: the SCSI mid-layer comes first.
	kmod_load sg
	kmod_load sd_mod
	kmod_load scst_local
}

vdisk_list() {
	cat "/proc/scsi_tgt/$VDISK"
}

# Lines scst_vdisk.ko has logged in this test's window so far.
vdisk_log_count() {
	klog_window "$SCST_TEST_NUM" | grep -c '\] scst_vdisk: ' || true
}

vdisk_last_log() {
	klog_window "$SCST_TEST_NUM" | grep '\] scst_vdisk: ' | tail -n 1
}

# vdisk_fails ERRNO COMMAND: fails with ERRNO, logs exactly one line and
# leaves the device list as it was.
vdisk_fails() {
	local before state
	state=$(vdisk_list)
	before=$(vdisk_log_count)
	proc_cmd_fails "$VDISK" "$1" "$2"
	assert_eq 1 "$(($(vdisk_log_count) - before))" "lines logged for '$2'"
	assert_eq "$state" "$(vdisk_list)" "device list after the failed '$2'"
}

# image NAME SIZE: a sparse backing file, printed.
image() {
	mkdir -p "$IMG"
	rm -f "$IMG/$1"
	truncate -s "$2" "$IMG/$1"
	echo "$IMG/$1"
}

# export_dev NAME LUN [READ_ONLY] then session: the LUN seen by the guest.
export_dev() {
	proc_cmd "$DEFAULT_DEVICES" "add $*"
}

# start_session NAME: a local initiator that sees group Default.
start_session() {
	proc_cmd "$LOCAL" "add_session $1"
}

# hctl_of VENDOR NAME: H:C:T:L of the exported device NAME.
hctl_of() {
	wait_for_scsi_dev "$1" "$2"
}

# sg_of VENDOR NAME and blk_of VENDOR NAME: its /dev nodes.
sg_of() {
	sg_dev_of "$(hctl_of "$1" "$2")"
}

blk_of() {
	local hctl b tries=100
	hctl=$(hctl_of "$1" "$2")
	# sd attaches a moment after the scsi_device appears.
	while [ "$tries" -gt 0 ]; do
		b=$(ls "/sys/class/scsi_device/$hctl/device/block" 2>/dev/null) &&
			[ -b "/dev/$b" ] && { echo "/dev/$b"; return 0; }
		sleep 0.1
		tries=$((tries - 1))
	done
	blk_dev_of "$hctl"
}

# mode_page_bytes SG PAGE: the first mode page returned by MODE SENSE(6)
# without block descriptors, as hex bytes; the header is dropped.
mode_page_bytes() {
	sg_modes -6 -d -p "$2" -r "$1" | od -An -v -tx1 | tr -s ' \n' ' ' |
		cut -d' ' -f6-
}

# hex_byte BYTES N: the Nth (0-based) of space-separated hex bytes.
hex_byte() {
	echo "$1" | cut -d' ' -f$(($2 + 1))
}

naa_of() {
	sg_vpd -p 0x83 "$1" | grep -oE '0x6[0-9a-f]{31}' | head -n 1
}

serial_of() {
	sg_vpd -p 0x80 "$1" | sed -n 's/^ *Unit serial number: *//p'
}

# ---------------------------------------------------------------- /proc

test_proc_files_have_their_modes_help_and_start_empty() {
	vdisk_load
	assert_eq 600 "$(stat -c %a /proc/scsi_tgt/vdisk/vdisk)" "mode of vdisk"
	assert_eq 444 "$(stat -c %a /proc/scsi_tgt/vdisk/help)" "mode of help"
	assert_match '^  open NAME PATH \[BLOCK_SIZE\]' "$(cat /proc/scsi_tgt/vdisk/help)" "help"
	assert_match '^  resync_size NAME' "$(cat /proc/scsi_tgt/vdisk/help)" "help"
	assert_eq "" "$(vdisk_list)" "devices after load"
	scst_unload_all
}

test_open_lists_replayable_lines_and_close_removes_them() {
	local a b listing
	vdisk_load
	a=$(image a 1M)
	b=$(image b 1000000)
	proc_cmd "$VDISK" "open da $a"
	proc_cmd "$VDISK" "	open  db $b 4096 READ_ONLY REMOVABLE
"
	proc_cmd "$VDISK" "open dc $a 2048 WRITE_THROUGH NV_CACHE"
	proc_cmd "$VDISK" "open nl none 1024 NULLIO size=1048577"
	proc_cmd "$VDISK" "open nd x NULLIO"
	listing=$(vdisk_list)
	assert_eq "open da $a 512 # size=1048576
open db $b 4096 READ_ONLY REMOVABLE # size=999424
open dc $a 2048 WRITE_THROUGH NV_CACHE # size=1048576
open nl none 1024 NULLIO size=1048576
open nd x 512 NULLIO size=1099511627776" "$listing" "listing"
	for d in da db dc nl nd; do
		proc_cmd "$VDISK" "close $d"
	done
	assert_eq "" "$(vdisk_list)" "listing after close"
	# Writing the listing back recreates the same devices.
	while IFS= read -r line; do
		proc_cmd "$VDISK" "$line"
	done <<<"$listing"
	assert_eq "$listing" "$(vdisk_list)" "listing after replay"
	scst_unload_all
}

test_bad_commands_fail_with_the_exact_errno_log_one_line_and_change_nothing() {
	local f tiny long
	vdisk_load
	f=$(image f 1M)
	tiny=$(image tiny 511)
	long=$(printf 'n%.0s' $(seq 65))
	proc_cmd "$VDISK" "open d1 $f"
	for c in " " "bogus d1" "open" "open d2" "open d/2 $f" "open $long $f" \
		"open d2 $f 513" "open d2 $f 8192" "open d2 $f 512 512" "open d2 $f 0x200" \
		"open d2 $f FOO" "open d2 $f READ_ONLY READ_ONLY" "open d2 $f size=4096" \
		"open d2 x NULLIO size=0" "open d2 x NULLIO size=abc" "open d2 x NULLIO size=511" \
		"open d2 x NULLIO size=1 size=2" "open d2 $f BLOCKIO" "open d2 $tiny" \
		"open d2 $tiny 512 READ_ONLY" "open d2 $f 4096 $(printf 'x %.0s' $(seq 16))" \
		"close" "close d1 d1" "resync_size" "resync_size d1 x"; do
		vdisk_fails EINVAL "$c"
	done
	vdisk_fails EINVAL "open d2 $f BLOCKIO"
	assert_match 'BLOCKIO needs a block device' "$(vdisk_last_log)" "log of BLOCKIO on a file"
	vdisk_fails EEXIST "open d1 $f"
	vdisk_fails EEXIST "open d1 x NULLIO"
	vdisk_fails ENOENT "open d2 $IMG/missing"
	vdisk_fails EISDIR "open d2 $IMG"
	vdisk_fails EINVAL "open d2 $IMG READ_ONLY"
	vdisk_fails ENOENT "close d2"
	vdisk_fails ENOENT "resync_size d2"
	proc_cmd "$VDISK" "close d1"
	vdisk_fails ENOENT "close d1"
	scst_unload_all
}

test_resync_size_follows_the_backing_file() {
	local f
	vdisk_load
	f=$(image f 1M)
	proc_cmd "$VDISK" "open d1 $f 4096"
	truncate -s 3M "$f"
	assert_eq "open d1 $f 4096 # size=1048576" "$(vdisk_list)" "before resync_size"
	proc_cmd "$VDISK" "resync_size d1"
	assert_eq "open d1 $f 4096 # size=3145728" "$(vdisk_list)" "after resync_size"
	truncate -s 100 "$f"
	vdisk_fails EINVAL "resync_size d1"
	proc_cmd "$VDISK" "open n1 x NULLIO size=8192"
	proc_cmd "$VDISK" "resync_size n1"
	scst_unload_all
}

# ---------------------------------------------------------------- SPC

test_inquiry_and_vpd_identify_each_device_uniquely_and_stably() {
	local sga sgb naa_a naa_b sn_a sn_b h
	vdisk_load_with_local
	proc_cmd "$VDISK" "open id_disk_with_a_long_name x NULLIO size=1048576"
	proc_cmd "$VDISK" "open idb $(image idb 1M) REMOVABLE"
	export_dev id_disk_with_a_long_name 0
	export_dev idb 1
	start_session vdisk-id
	sga=$(sg_of SCST_NUL id_disk_with_a_l)
	sgb=$(sg_of SCST_FIO idb)
	assert_match 'Vendor identification: SCST_NUL' "$(sg_inq "$sga")" "vendor of NULLIO"
	assert_match 'Product identification: id_disk_with_a_l' "$(sg_inq "$sga")" "product"
	assert_match 'version=0x06 +\[SPC-4\]' "$(sg_inq "$sga")" "version"
	assert_match 'CmdQue=1' "$(sg_inq "$sga")" "CmdQue"
	assert_match 'RMB=0' "$(sg_inq "$sga")" "RMB of a fixed disk"
	assert_match 'RMB=1' "$(sg_inq "$sgb")" "RMB of a REMOVABLE disk"
	assert_match '^  Unit serial number \[sn\]' "$(sg_vpd -p 0x00 "$sga")" "supported pages"
	assert_match '^  Logical block provisioning \(SBC\) \[lbpv\]' "$(sg_vpd -p 0x00 "$sga")" "supported pages"
	naa_a=$(naa_of "$sga")
	naa_b=$(naa_of "$sgb")
	sn_a=$(serial_of "$sga")
	sn_b=$(serial_of "$sgb")
	[ -n "$naa_a" ] && [ -n "$naa_b" ] || fail "no NAA 6 designator: $(sg_vpd -p 0x83 "$sga")"
	[ "$naa_a" != "$naa_b" ] || fail "two devices share NAA $naa_a"
	[ -n "$sn_a" ] && [ "$sn_a" != "$sn_b" ] || fail "serial numbers '$sn_a' '$sn_b'"
	assert_match 'vendor specific: idb' "$(sg_vpd -p 0x83 "$sgb")" "T10 vendor ID designator"
	assert_match 'Maximum transfer length: 16384' "$(sg_vpd -p 0xb0 "$sga")" "block limits"
	assert_match 'Non-rotating medium' "$(sg_vpd -p 0xb1 "$sga")" "NULLIO rotation rate"
	assert_match 'Unmap command supported \(LBPU\): 1' "$(sg_vpd -p 0xb2 "$sga")" "thin provisioning"

	# Closed and opened again under the same name: the same identity.
	proc_cmd "$LOCAL" "del_session vdisk-id"
	proc_cmd "$VDISK" "close id_disk_with_a_long_name"
	proc_cmd "$VDISK" "open id_disk_with_a_long_name y NULLIO size=2097152"
	export_dev id_disk_with_a_long_name 0
	start_session vdisk-id2
	sga=$(sg_of SCST_NUL id_disk_with_a_l)
	assert_eq "$naa_a" "$(naa_of "$sga")" "NAA after reopen"
	assert_eq "$sn_a" "$(serial_of "$sga")" "serial number after reopen"
	h=$(sg_readcap -b "$sga")
	assert_eq "0x1000 0x200" "$h" "capacity after reopen"
	scst_unload_all
}

test_unsupported_vpd_page_and_page_without_evpd_are_invalid_fields() {
	local sg
	vdisk_load_with_local
	proc_cmd "$VDISK" "open bad x NULLIO size=1048576"
	export_dev bad 0
	start_session vdisk-badvpd
	sg=$(sg_of SCST_NUL bad)
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 255 "$sg" 12 01 b5 00 ff 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 255 "$sg" 12 00 80 00 ff 00
	scst_unload_all
}

test_read_capacity_reports_size_and_block_size() {
	local sg
	vdisk_load_with_local
	proc_cmd "$VDISK" "open cap512 $(image cap512 8M)"
	proc_cmd "$VDISK" "open cap4k $(image cap4k 8M) 4096"
	proc_cmd "$VDISK" "open capbig x NULLIO size=$((3 << 40)) 4096"
	proc_cmd "$VDISK" "open caphuge x NULLIO size=$((4 << 40))"
	export_dev cap512 0
	export_dev cap4k 1
	export_dev capbig 2
	export_dev caphuge 3
	start_session vdisk-cap
	assert_eq "0x4000 0x200" "$(sg_readcap -l -b "$(sg_of SCST_FIO cap512)")" "512 byte blocks"
	assert_eq "0x800 0x1000" "$(sg_readcap -l -b "$(sg_of SCST_FIO cap4k)")" "4096 byte blocks"
	assert_eq "0x800 0x1000" "$(sg_readcap -b "$(sg_of SCST_FIO cap4k)")" "READ CAPACITY(10)"
	assert_eq "0x30000000 0x1000" "$(sg_readcap -l -b "$(sg_of SCST_NUL capbig)")" "3 TiB"
	sg=$(sg_of SCST_NUL caphuge)
	assert_eq "0x200000000 0x200" "$(sg_readcap -l -b "$sg")" "4 TiB, READ CAPACITY(16)"
	# READ CAPACITY(10) says 0xffffffff: use the 16 byte form.
	assert_eq "ffffffff00000200" \
		"$(sg_raw -b -r 8 "$sg" 25 00 00 00 00 00 00 00 00 00 2>/dev/null | od -An -tx1 | tr -d ' \n')" \
		"READ CAPACITY(10) of 4 TiB"
	assert_match 'lbpme=1' "$(sg_readcap -l "$sg")" "LBPME of NULLIO"
	scst_unload_all
}

test_mode_sense_returns_every_page_and_reports_cache_and_write_protect() {
	local sgwb sgwt sgro p
	vdisk_load_with_local
	proc_cmd "$VDISK" "open mwb $(image mwb 1M)"
	proc_cmd "$VDISK" "open mwt $(image mwt 1M) WRITE_THROUGH"
	proc_cmd "$VDISK" "open mro $(image mro 1M) READ_ONLY"
	export_dev mwb 0
	export_dev mwt 1
	export_dev mro 2
	start_session vdisk-modes
	sgwb=$(sg_of SCST_FIO mwb)
	sgwt=$(sg_of SCST_FIO mwt)
	sgro=$(sg_of SCST_FIO mro)
	p=$(sg_modes -a "$sgwb")
	assert_match '>> Read-Write error recovery, page_control: current' "$p" "page 0x01"
	assert_match '>> Caching, page_control: current' "$p" "page 0x08"
	assert_match '>> Control, page_control: current' "$p" "page 0x0a"
	assert_match 'Block descriptor length=8' "$p" "block descriptor"
	p=$(mode_page_bytes "$sgwb" 8)
	assert_eq "08 12" "$(hex_byte "$p" 0) $(hex_byte "$p" 1)" "caching page header"
	assert_eq 4 "$((0x$(hex_byte "$p" 2) & 4))" "WCE of a write-back disk"
	p=$(mode_page_bytes "$sgwt" 8)
	assert_eq 0 "$((0x$(hex_byte "$p" 2) & 4))" "WCE of a WRITE_THROUGH disk"
	# Device-specific parameter: WP for READ_ONLY only.
	assert_eq 128 "$((0x$(sg_modes -6 -p 8 -r "$sgro" | od -An -tx1 -j2 -N1 | tr -d ' ') & 0x80))" "WP"
	assert_eq 0 "$((0x$(sg_modes -6 -p 8 -r "$sgwb" | od -An -tx1 -j2 -N1 | tr -d ' ') & 0x80))" "no WP"
	assert_match 'WP=1' "$(sg_modes -p 8 "$sgro")" "sg_modes WP"
	# Saved values are not supported; unknown pages are invalid.
	expect_sense 0x5 0x39 0x00 -- sg_raw -r 255 "$sgwb" 1a 00 c8 00 ff 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 255 "$sgwb" 1a 00 19 00 ff 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 255 "$sgwb" 5a 00 08 01 00 00 00 00 ff 00
	scst_unload_all
}

# ---------------------------------------------------------------- SBC errors

test_read_only_device_refuses_writes_with_data_protect() {
	local sg f
	vdisk_load_with_local
	f=$(image ro 1M)
	proc_cmd "$VDISK" "open ro $f READ_ONLY"
	export_dev ro 0
	start_session vdisk-ro
	sg=$(sg_of SCST_FIO ro)
	expect_sense 0x7 0x27 0x00 -- sg_raw -s 512 -i /dev/zero "$sg" 2a 00 00 00 00 00 00 00 01 00
	expect_sense 0x7 0x27 0x00 -- sg_raw -s 512 -i /dev/zero "$sg" 0a 00 00 00 01 00
	expect_status 0 -- sg_raw -r 512 "$sg" 28 00 00 00 00 00 00 00 01 00
	scst_unload_all
}

test_read_only_lun_refuses_writes_with_data_protect() {
	local sg
	vdisk_load_with_local
	proc_cmd "$VDISK" "open rolun $(image rolun 1M)"
	export_dev rolun 0 READ_ONLY
	start_session vdisk-rolun
	sg=$(sg_of SCST_FIO rolun)
	expect_sense 0x7 0x27 0x00 -- sg_raw -s 512 -i /dev/zero "$sg" 2a 00 00 00 00 00 00 00 01 00
	scst_unload_all
}

test_reserved_cdb_bits_give_invalid_field_in_cdb() {
	local sg
	vdisk_load_with_local
	proc_cmd "$VDISK" "open rsv $(image rsv 1M)"
	export_dev rsv 0
	start_session vdisk-rsv
	sg=$(sg_of SCST_FIO rsv)
	# READ(10) byte 6 bits 7-5 and READ(16) byte 14 bits 7-5 are reserved.
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 512 "$sg" 28 00 00 00 00 00 e0 00 01 00
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 512 "$sg" 88 00 00 00 00 00 00 00 00 00 00 00 00 01 80 00
	# READ CAPACITY(10) with an LBA but without PMI.
	expect_sense 0x5 0x24 0x00 -- sg_raw -r 8 "$sg" 25 00 00 00 00 01 00 00 00 00
	# Unsupported command: INVALID COMMAND OPERATION CODE.
	expect_sense 0x5 0x20 0x00 -- sg_raw -r 8 "$sg" 34 00 00 00 00 00 00 00 00 00
	scst_unload_all
}

test_access_past_the_end_gives_lba_out_of_range() {
	local sg
	vdisk_load_with_local
	# 1 MiB: 2048 blocks, the last LBA is 0x7ff.
	proc_cmd "$VDISK" "open oor $(image oor 1M)"
	export_dev oor 0
	start_session vdisk-oor
	sg=$(sg_of SCST_FIO oor)
	expect_status 0 -- sg_raw -r 512 "$sg" 28 00 00 00 07 ff 00 00 01 00
	expect_sense 0x5 0x21 0x00 -- sg_raw -r 1024 "$sg" 28 00 00 00 07 ff 00 00 02 00
	expect_sense 0x5 0x21 0x00 -- sg_raw -r 512 "$sg" 88 00 ff 00 00 00 00 00 00 00 00 00 00 01 00 00
	expect_sense 0x5 0x21 0x00 -- sg_raw -s 512 -i /dev/zero "$sg" 2a 00 00 00 08 00 00 00 01 00
	expect_sense 0x5 0x21 0x00 -- sg_raw "$sg" 35 00 00 00 08 01 00 00 00 00
	scst_unload_all
}

test_verify_with_bytchk_detects_a_miscompare() {
	local sg f
	vdisk_load_with_local
	f=$(image vfy 1M)
	proc_cmd "$VDISK" "open vfy $f"
	export_dev vfy 0
	start_session vdisk-vfy
	sg=$(sg_of SCST_FIO vfy)
	head -c 4096 /dev/urandom >"$IMG/pattern"
	dd if="$IMG/pattern" of="$f" bs=4096 seek=1 conv=notrunc status=none
	# Blocks 8..15 hold the pattern: BYTCHK=1 compares equal, then differs.
	expect_status 0 -- sg_raw -s 4096 -i "$IMG/pattern" "$sg" 2f 02 00 00 00 08 00 00 08 00
	expect_sense 0xe 0x1d 0x00 -- sg_raw -s 4096 -i /dev/zero "$sg" 2f 02 00 00 00 08 00 00 08 00
	# BYTCHK=0 only checks the range; BYTCHK=11b compares one block with each.
	expect_status 0 -- sg_raw "$sg" 2f 00 00 00 00 00 00 00 10 00
	expect_status 0 -- sg_raw -s 512 -i /dev/zero "$sg" 2f 06 00 00 00 20 00 00 10 00
	expect_sense 0xe 0x1d 0x00 -- sg_raw -s 512 -i /dev/zero "$sg" 8f 06 00 00 00 00 00 00 00 00 00 00 00 10 00 00
	scst_unload_all
}

# ---------------------------------------------------------------- data

# tree_round_trip OPTIONS PATH [VENDOR]: mkfs.ext4 on a 64 MiB LUN on PATH
# opened with OPTIONS, copy a tree, unmount, mount again, compare checksums.
tree_round_trip() {
	local opts=$1 path=$2 blk src=/usr/share/doc/bash mnt=/tmp/vdisk-mnt sums
	kmod_load ext4
	proc_cmd "$VDISK" "open tree $path 512 $opts"
	assert_eq "open tree $path 512${opts:+ $opts} # size=67108864" \
		"$(vdisk_list)" "listing"
	export_dev tree 0
	start_session vdisk-tree
	blk=$(blk_of "${3:-SCST_FIO}" tree)
	mkfs.ext4 -q -F "$blk" || fail "mkfs.ext4 on $blk failed"
	mkdir -p "$mnt"
	mount "$blk" "$mnt" || fail "mount $blk failed"
	cp -a "$src" "$mnt/tree"
	sums=$(cd "$src" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
	umount "$mnt"
	blockdev --flushbufs "$blk"
	echo 3 >/proc/sys/vm/drop_caches
	mount "$blk" "$mnt" || fail "mount $blk again failed"
	assert_eq "$sums" "$(cd "$mnt/tree" && find . -type f -print0 | sort -z | xargs -0 sha256sum)" \
		"checksums after remount"
	umount "$mnt"
	proc_cmd "$LOCAL" "del_session vdisk-tree"
}

# odirect_backing DIR: an ext4 file system on a loop device (tmpfs has no
# O_DIRECT on 6.1), mounted on DIR.
odirect_backing() {
	local img=/tmp/vdisk-backing.img loopdev
	kmod_load loop
	kmod_load ext4
	rm -f "$img"
	truncate -s 160M "$img"
	mkfs.ext4 -q -F "$img" || fail "mkfs.ext4 on $img failed"
	loopdev=$(losetup -f --show "$img") || skip "no loop device"
	mkdir -p "$1"
	mount "$loopdev" "$1" || fail "mount $loopdev failed"
	echo "$loopdev"
}

odirect_backing_done() {
	umount "$1"
	losetup -d "$2"
	rm -f /tmp/vdisk-backing.img
}

test_ext4_tree_survives_remount_on_a_fileio_lun() {
	vdisk_load_with_local
	mkdir -p "$IMG"
	truncate -s 64M "$IMG/tree.img"
	tree_round_trip "" "$IMG/tree.img"
	scst_unload_all
	rm -f "$IMG/tree.img"
}

test_ext4_tree_survives_remount_on_an_o_direct_lun() {
	local dir=/tmp/vdisk-back loopdev
	vdisk_load_with_local
	loopdev=$(odirect_backing "$dir")
	truncate -s 64M "$dir/tree.img"
	tree_round_trip O_DIRECT "$dir/tree.img"
	scst_unload_all
	odirect_backing_done "$dir" "$loopdev"
}

# fio_verify PATH [OPTIONS] [VENDOR]: fio writes mixed block sizes at queue
# depth 32 to a LUN on PATH and verifies every block's crc32c.
fio_verify() {
	local blk out
	proc_cmd "$VDISK" "open fio $1 ${2:-}"
	export_dev fio 0
	start_session vdisk-fio
	blk=$(blk_of "${3:-SCST_FIO}" fio)
	out=$(fio --name=vdisk --filename="$blk" --rw=randwrite --bsrange=4k-64k \
		--iodepth=32 --ioengine=libaio --direct=1 --size="$(lane_mib 64)M" \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --output-format=terse 2>&1) ||
		fail "fio failed: $out"
	assert_no_match 'verify: bad|crc32c: verify failed' "$out" "fio verify"
}

test_fio_verify_crc32c_passes_on_a_fileio_lun() {
	vdisk_load_with_local
	fio_verify "$(image fio 64M)"
	scst_unload_all
	rm -f "$IMG/fio"
}

# blockio_loop [SECTOR_SIZE]: a loop device on a 64 MiB file, printed.
blockio_loop() {
	kmod_load loop
	rm -f /tmp/vdisk-bio.img
	truncate -s 64M /tmp/vdisk-bio.img
	losetup -f --show ${1:+-b "$1"} /tmp/vdisk-bio.img || skip "no loop device"
}

blockio_loop_done() {
	losetup -d "$1"
	rm -f /tmp/vdisk-bio.img
}

test_ext4_tree_survives_remount_on_a_blockio_lun() {
	local loopdev
	vdisk_load_with_local
	loopdev=$(blockio_loop)
	tree_round_trip BLOCKIO "$loopdev" SCST_BIO
	scst_unload_all
	blockio_loop_done "$loopdev"
}

test_fio_verify_crc32c_passes_on_a_blockio_lun() {
	local loopdev
	vdisk_load_with_local
	loopdev=$(blockio_loop)
	fio_verify "$loopdev" BLOCKIO SCST_BIO
	scst_unload_all
	blockio_loop_done "$loopdev"
}

# What a BLOCKIO LUN writes is on the block device, and the other way round:
# no cache in between.
test_blockio_writes_reach_the_block_device_directly() {
	local loopdev blk
	vdisk_load_with_local
	loopdev=$(blockio_loop)
	proc_cmd "$VDISK" "open bio $loopdev BLOCKIO"
	export_dev bio 0
	start_session vdisk-bio
	blk=$(blk_of SCST_BIO bio)
	head -c 1048576 /dev/urandom >"$IMG.pattern"
	dd if="$IMG.pattern" of="$blk" bs=64k seek=3 oflag=direct status=none ||
		fail "writing $blk failed"
	cmp -s "$IMG.pattern" <(dd if="$loopdev" bs=64k skip=3 count=16 iflag=direct status=none) ||
		fail "the block device does not hold what was written"
	head -c 65536 /dev/urandom >"$IMG.pattern"
	dd if="$IMG.pattern" of="$loopdev" bs=64k seek=40 oflag=direct status=none
	cmp -s "$IMG.pattern" <(dd if="$blk" bs=64k skip=40 count=1 iflag=direct status=none) ||
		fail "the LUN does not read what the block device holds"
	# The device is claimed: it cannot be opened twice.
	vdisk_fails EBUSY "open bio2 $loopdev BLOCKIO"
	scst_unload_all
	blockio_loop_done "$loopdev"
	rm -f "$IMG.pattern"
}

test_blockio_open_refuses_what_does_not_fit() {
	local loopdev
	vdisk_load
	mkdir -p "$IMG"
	loopdev=$(blockio_loop 4096)
	vdisk_fails EINVAL "open b1 $(image plain 1M) BLOCKIO"
	vdisk_fails ENOENT "open b1 /dev/no-such-disk BLOCKIO"
	vdisk_fails EINVAL "open b1 $loopdev BLOCKIO NULLIO"
	vdisk_fails EINVAL "open b1 $loopdev BLOCKIO O_DIRECT"
	# 512-byte blocks on a device whose blocks are 4096 bytes.
	vdisk_fails EINVAL "open b1 $loopdev 512 BLOCKIO"
	proc_cmd "$VDISK" "open b1 $loopdev 4096 BLOCKIO"
	assert_eq "open b1 $loopdev 4096 BLOCKIO # size=67108864" "$(vdisk_list)" "listing"
	scst_unload_all
	blockio_loop_done "$loopdev"
}

test_unload_closes_every_device() {
	vdisk_load_with_local
	proc_cmd "$VDISK" "open u1 $(image u1 1M)"
	proc_cmd "$VDISK" "open u2 x NULLIO"
	export_dev u1 0
	start_session vdisk-unload
	hctl_of SCST_FIO u1 >/dev/null
	proc_cmd "$LOCAL" "del_session vdisk-unload"
	rmmod scst_local
	rmmod scst_vdisk || fail "rmmod scst_vdisk with open devices failed"
	assert_eq "" "$(cat /proc/scsi_tgt/groups/Default/devices)" "LUNs after unload"
	scst_unload_all
	rm -rf "$IMG"
}
