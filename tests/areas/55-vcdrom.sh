# Area "vcdrom": virtual CD-ROM drives on ISO images (scst_vdisk.ko's
# vcdrom handler), seen by the guest's own sr/sg through scst_local
# (Documentation/vcdrom.rst).

VCDROM=vcdrom/vcdrom
CD_TREE=/tmp/vcdrom-tree
CD_MNT=/tmp/vcdrom-mnt

# cd_iso DIR ISO LABEL: an ISO 9660 image of a few files under DIR.
cd_iso() {
	rm -rf "$1"
	mkdir -p "$1/sub"
	head -c 300000 /dev/urandom >"$1/random.bin"
	echo "$3" >"$1/label.txt"
	cp /etc/os-release "$1/sub/"
	genisoimage -quiet -r -V "$3" -o "$2" "$1" || fail "genisoimage failed"
}

# cd_stack: the local stack plus sr and ISO 9660; a drive cd1 with image A
# as LUN 0 of the default group.
cd_stack() {
	local_stack_load
	kmod_load cdrom
	kmod_load sr_mod
	kmod_load isofs
	cd_iso "$CD_TREE.a" /tmp/vcdrom-a.iso ALPHA
	proc_cmd $VCDROM "open cd1 /tmp/vcdrom-a.iso"
	proc_cmd groups/Default/devices "add cd1 0"
}

# cd_gesn SG: the media class of GET EVENT STATUS NOTIFICATION, in hex.
cd_gesn() {
	sg_raw -r 8 -o /tmp/vcdrom-out "$1" 4a 01 00 00 10 00 00 00 08 00 >/dev/null 2>&1 ||
		fail "GET EVENT STATUS NOTIFICATION failed"
	od -An -v -tx1 /tmp/vcdrom-out | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'
}

cd_cleanup() {
	umount "$CD_MNT" 2>/dev/null || true
	scst_unload_all
	rm -rf "$CD_TREE.a" "$CD_TREE.b" /tmp/vcdrom-*.iso /tmp/vcdrom-out
}

test_proc_files_have_their_modes_help_and_start_empty() {
	scst_unload_all
	scst_load
	kmod_load scst_vdisk
	assert_eq "600" "$(stat -c %a /proc/scsi_tgt/$VCDROM)" "mode of vcdrom"
	assert_eq "444" "$(stat -c %a /proc/scsi_tgt/vcdrom/help)" "mode of help"
	assert_match 'change NAME \[PATH\]' "$(cat /proc/scsi_tgt/vcdrom/help)" "help"
	assert_eq "" "$(cat /proc/scsi_tgt/$VCDROM)" "listing"
	scst_unload_all
}

test_bad_commands_fail_with_the_exact_errno_and_change_nothing() {
	local before
	cd_stack
	before=$(cat /proc/scsi_tgt/$VCDROM)
	assert_match '^open cd1 /tmp/vcdrom-a.iso # [0-9]+ blocks of 2048 bytes$' "$before" "listing"
	proc_cmd_fails $VCDROM EINVAL "open"
	proc_cmd_fails $VCDROM EINVAL "open cd2 /tmp/vcdrom-a.iso extra"
	proc_cmd_fails $VCDROM EINVAL "open bad/name /tmp/vcdrom-a.iso"
	proc_cmd_fails $VCDROM ENOENT "open cd2 /tmp/no-such.iso"
	proc_cmd_fails $VCDROM EINVAL "open cd2 /tmp"
	proc_cmd_fails $VCDROM EEXIST "open cd1 /tmp/vcdrom-a.iso"
	proc_cmd_fails $VCDROM ENOENT "change cd9 /tmp/vcdrom-a.iso"
	proc_cmd_fails $VCDROM ENOENT "change cd1 /tmp/no-such.iso"
	proc_cmd_fails $VCDROM ENOENT "close cd9"
	proc_cmd_fails $VCDROM EINVAL "close"
	proc_cmd_fails $VCDROM EINVAL "eject cd1"
	assert_eq "$before" "$(cat /proc/scsi_tgt/$VCDROM)" "listing after the bad commands"
	# The listing, comment included, recreates the drive.
	proc_cmd groups/Default/devices "clear"
	proc_cmd $VCDROM "close cd1"
	proc_cmd $VCDROM "$before"
	assert_eq "$before" "$(cat /proc/scsi_tgt/$VCDROM)" "listing replayed"
	cd_cleanup
}

test_sr_sees_a_cdrom_with_the_image_capacity() {
	local sg blocks out
	cd_stack
	sg=$(initiator ini.a)
	out=$(sg_inq "$sg")
	assert_match 'PDT=5' "$out" "peripheral device type"
	assert_match 'RMB=1' "$out" "removable"
	assert_match 'Vendor identification: SCST_CD' "$out" "vendor"
	assert_match 'Product identification: cd1' "$out" "product"
	blocks=$(($(stat -c %s /tmp/vcdrom-a.iso) / 2048))
	out=$(sg_readcap "$sg")
	assert_match "Last LBA=$((blocks - 1)) " "$out" "READ CAPACITY last LBA"
	assert_match 'Logical block length=2048 bytes' "$out" "block length"
	assert_match 'Current profile: CD-ROM' "$(sg_get_config "$sg" 2>&1)" "GET CONFIGURATION"
	expect_status 0 -- sg_modes -p 0x2a "$sg"
	assert_match 'cd/dvd' "$(sg_vpd -p di "$sg" 2>&1; sg_inq -d "$sg" 2>&1)" "identification"
	# The formatted TOC: track 1 at LBA 0, the lead-out at the capacity.
	sg_raw -r 20 -o /tmp/vcdrom-out "$sg" 43 00 00 00 00 00 00 00 14 00 >/dev/null 2>&1 ||
		fail "READ TOC failed"
	assert_eq "00 12 01 01 00 14 01 00 00 00 00 00 00 14 aa 00 $(printf '%08x' "$blocks" | sed 's/../& /g; s/ $//')" \
		"$(od -An -v -tx1 /tmp/vcdrom-out | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" "TOC"
	# A CD-ROM has no WRITE(10).
	expect_sense 0x5 0x20 0x00 -- sg_raw -s 2048 -i /tmp/vcdrom-a.iso "$sg" 2a 00 00 00 00 00 00 00 01 00
	cd_cleanup
}

test_iso9660_mounts_and_files_read_back_equal() {
	local h sg sr
	cd_stack
	h=$(local_session ini.a)
	sg=$(session_sg "$h" 0)
	ua_drain "$sg"
	sr=$(blk_dev_of "$h:0:0:0")
	assert_match '^/dev/sr[0-9]+$' "$sr" "block device"
	mkdir -p "$CD_MNT"
	mount -t iso9660 -o ro "$sr" "$CD_MNT" || fail "mount $sr failed"
	diff -r "$CD_TREE.a" "$CD_MNT" || fail "the mounted files differ"
	umount "$CD_MNT"
	cd_cleanup
}

test_change_swaps_the_medium_and_eject_empties_the_drive() {
	local ha sga sgb sr
	cd_stack
	cd_iso "$CD_TREE.b" /tmp/vcdrom-b.iso BRAVO
	ha=$(local_session ini.a)
	sga=$(session_sg "$ha" 0)
	sgb=$(initiator ini.b)
	ua_drain "$sga"
	sr=$(blk_dev_of "$ha:0:0:0")
	proc_cmd $VCDROM "change cd1 /tmp/vcdrom-b.iso"
	assert_match '^open cd1 /tmp/vcdrom-b.iso ' "$(cat /proc/scsi_tgt/$VCDROM)" "listing"
	# NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED, for each initiator.
	expect_sense 0x6 0x28 0x00 -- sg_turs "$sgb"
	expect_status 0 -- sg_turs "$sgb"
	# Polled media event: new media, reported once.
	assert_eq "00 06 04 10 02 02 00 00" "$(cd_gesn "$sgb")" "media event"
	assert_eq "00 06 04 10 00 02 00 00" "$(cd_gesn "$sgb")" "no second event"
	mkdir -p "$CD_MNT"
	mount -t iso9660 -o ro "$sr" "$CD_MNT" || fail "mount of the new medium failed"
	diff -r "$CD_TREE.b" "$CD_MNT" || fail "the new medium's files differ"
	umount "$CD_MNT"
	# Eject: NOT READY, MEDIUM NOT PRESENT.
	proc_cmd $VCDROM "change cd1"
	assert_eq "open cd1 # empty" "$(cat /proc/scsi_tgt/$VCDROM)" "listing after eject"
	expect_sense 0x2 0x3a 0x00 -- sg_raw "$sgb" 00 00 00 00 00 00
	expect_sense 0x2 0x3a 0x00 -- sg_raw -r 8 "$sgb" 25 00 00 00 00 00 00 00 00 00
	cd_cleanup
}

test_an_empty_drive_and_prevent_medium_removal() {
	local sg
	local_stack_load
	kmod_load cdrom
	kmod_load sr_mod
	cd_iso "$CD_TREE.a" /tmp/vcdrom-a.iso ALPHA
	proc_cmd $VCDROM "open cd2"
	proc_cmd groups/Default/devices "add cd2 0"
	sg=$(session_sg "$(local_session ini.e)" 0)
	sg_turs "$sg" >/dev/null 2>&1 || true
	expect_sense 0x2 0x3a 0x00 -- sg_raw "$sg" 00 00 00 00 00 00
	proc_cmd $VCDROM "change cd2 /tmp/vcdrom-a.iso"
	ua_drain "$sg"
	# An initiator that prevents removal cannot eject; once allowed it can.
	expect_status 0 -- sg_prevent --prevent=1 "$sg"
	expect_sense 0x5 0x53 0x02 -- sg_raw "$sg" 1b 00 00 00 02 00
	expect_status 0 -- sg_prevent --allow "$sg"
	expect_status 0 -- sg_start --eject "$sg"
	expect_sense 0x2 0x3a 0x00 -- sg_raw "$sg" 00 00 00 00 00 00
	assert_eq "open cd2 # empty" "$(cat /proc/scsi_tgt/$VCDROM)" "listing after eject"
	cd_cleanup
}
