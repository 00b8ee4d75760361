# Area "sbc": thin provisioning (UNMAP, WRITE SAME with and without UNMAP,
# what the VPD pages and READ CAPACITY(16) say) and COMPARE AND WRITE on
# virtual disks, seen through scst_local (Documentation/vdisk.rst).

SBC_IMG=/tmp/sbc-img

# sbc_disk SIZE [OPTIONS]: a FILEIO disk d1 on a file of SIZE filled with
# random data, as LUN 0; prints the sg node of a new session.
sbc_disk() {
	local_stack_load
	rm -f "$SBC_IMG"
	head -c "$1" /dev/urandom >"$SBC_IMG"
	proc_cmd vdisk/vdisk "open d1 $SBC_IMG ${2:-}"
	proc_cmd groups/Default/devices "add d1 0"
	initiator ini.sbc
}

# sbc_used: KiB the backing file occupies.
sbc_used() {
	du -k "$SBC_IMG" | cut -f1
}

# sbc_read_blocks SG LBA N: N 512-byte blocks read with READ(16), in hex.
sbc_read_blocks() {
	rm -f /tmp/sbc-read
	sg_dd if="$1" of=/tmp/sbc-read bs=512 skip="$2" count="$3" cdbsz=16 2>/dev/null ||
		fail "reading $3 blocks at $2 failed"
	od -An -v -tx1 /tmp/sbc-read | tr -d ' \n'
}

# sbc_unmap SG LBA NUM: UNMAP one range with sg_raw (sg_unmap waits 15 s
# and hides the sense data); the exit status and output of sg_raw.
sbc_unmap() {
	printf "$(printf '0016001000000000%016x%08x00000000' "$2" "$3" | sed 's/../\\x&/g')" >/tmp/sbc-unmap
	sg_raw -s 24 -i /tmp/sbc-unmap "$1" 42 00 00 00 00 00 00 00 18 00
}

sbc_done() {
	scst_unload_all
	rm -f "$SBC_IMG" /tmp/sbc-read /tmp/sbc-data /tmp/sbc-block /tmp/sbc-unmap
}

test_thin_provisioning_is_reported_where_blocks_can_be_given_back() {
	local sg out
	sg=$(sbc_disk 4M)
	out=$(sg_vpd -p 0xb2 "$sg")
	assert_match 'Unmap command supported \(LBPU\): 1' "$out" "LBPU"
	assert_match 'Write same \(16\) with unmap bit supported \(LBPWS\): 1' "$out" "LBPWS"
	assert_match 'Provisioning type: 2' "$out" "thin"
	out=$(sg_readcap -l "$sg")
	assert_match 'lbpme=1' "$out" "LBPME"
	assert_match 'lbprz=1' "$out" "LBPRZ"
	out=$(sg_vpd -p 0xb0 "$sg")
	assert_match 'Maximum unmap LBA count: 1048576' "$out" "block limits"
	assert_match 'Maximum compare and write length: 64 blocks' "$out" "CAW length"
	scst_unload_all
	# A read-only disk cannot give anything back.
	sg=$(sbc_disk 4M READ_ONLY)
	assert_match 'lbpme=0' "$(sg_readcap -l "$sg")" "LBPME of a read-only disk"
	expect_sense 0x7 0x27 0x00 -- sbc_unmap "$sg" 0 8
	sbc_done
}

test_unmap_punches_holes_that_read_back_as_zeros() {
	local sg before zeros
	sg=$(sbc_disk 8M)
	before=$(sbc_used)
	expect_status 0 -- sbc_unmap "$sg" 2048 8192
	[ "$(sbc_used)" -le $((before - 4000)) ] ||
		fail "UNMAP of 4 MiB left the file at $(sbc_used) KiB (was $before)"
	zeros=$(printf '0%.0s' $(seq 1024))
	assert_eq "$zeros" "$(sbc_read_blocks "$sg" 4096 1)" "an unmapped block"
	assert_eq 8388608 "$(stat -c %s "$SBC_IMG")" "file size after UNMAP"
	# Past the end, or more blocks than the disk has.
	expect_sense 0x5 0x21 0x00 -- sbc_unmap "$sg" 16380 8
	sbc_done
}

test_write_same_repeats_one_block_and_unmaps_zeros() {
	local sg before want
	sg=$(sbc_disk 4M)
	head -c 512 /dev/urandom >/tmp/sbc-block
	expect_status 0 -- sg_write_same --lba=100 --num=16 --in=/tmp/sbc-block "$sg"
	want=$(for _ in $(seq 16); do od -An -v -tx1 /tmp/sbc-block; done | tr -d ' \n')
	assert_eq "$want" "$(sbc_read_blocks "$sg" 100 16)" "16 written blocks"
	expect_status 0 -- sg_write_same --16 --lba=116 --num=1 --in=/tmp/sbc-block "$sg"
	assert_eq "$(od -An -v -tx1 /tmp/sbc-block | tr -d ' \n')" \
		"$(sbc_read_blocks "$sg" 116 1)" "WRITE SAME(16)"
	# A block of zeros with UNMAP set gives the space back.
	head -c 512 /dev/zero >/tmp/sbc-block
	before=$(sbc_used)
	expect_status 0 -- sg_write_same --unmap --16 --lba=2048 --num=4096 --in=/tmp/sbc-block "$sg"
	[ "$(sbc_used)" -le $((before - 1900)) ] ||
		fail "WRITE SAME with UNMAP left the file at $(sbc_used) KiB (was $before)"
	# No length is not "to the end" here (WSNZ).
	expect_sense 0x5 0x24 0x00 -- sg_raw -s 512 -i /tmp/sbc-block "$sg" 41 00 00 00 00 00 00 00 00 00
	expect_sense 0x5 0x21 0x00 -- sg_raw -s 512 -i /tmp/sbc-block "$sg" 41 00 00 00 1f fe 00 00 08 00
	sbc_done
}

test_linux_discards_through_unmap() {
	local h sg blk before
	sbc_disk 8M >/dev/null
	h=$(awk '$1 == "ini.sbc" { sub(/^host/, "", $2); print $2 }' /proc/scsi_tgt/scst_local/scst_local)
	sg=$(session_sg "$h" 0)
	blk=$(blk_dev_of "$h:0:0:0")
	assert_eq unmap "$(cat "/sys/class/scsi_disk/$h:0:0:0/provisioning_mode")" "sd's provisioning mode"
	before=$(sbc_used)
	blkdiscard "$blk" || fail "blkdiscard $blk failed"
	[ "$(sbc_used)" -le $((before / 4)) ] ||
		fail "blkdiscard left the file at $(sbc_used) KiB (was $before)"
	sbc_done
}

test_compare_and_write_writes_only_on_a_match() {
	local sg new byte out
	sg=$(sbc_disk 1M)
	head -c 512 /dev/urandom >/tmp/sbc-block
	# Compare with what is there, write the new block.
	{ head -c 5632 "$SBC_IMG" | tail -c 512; cat /tmp/sbc-block; } >/tmp/sbc-data
	expect_status 0 -- sg_compare_and_write --lba=10 --num=1 --in=/tmp/sbc-data "$sg"
	new=$(od -An -v -tx1 /tmp/sbc-block | tr -d ' \n')
	assert_eq "$new" "$(sbc_read_blocks "$sg" 10 1)" "block 10 after a match"
	# Compare data equal to block 10 but for byte 100: nothing is written.
	byte=$(od -An -tu1 -j100 -N1 /tmp/sbc-block | tr -d ' ')
	{ cat /tmp/sbc-block; head -c 512 /dev/zero; } >/tmp/sbc-data
	printf "\\$(printf '%03o' $((255 - byte)))" |
		dd of=/tmp/sbc-data bs=1 seek=100 conv=notrunc status=none
	out=$(sg_raw -vvv -s 1024 -i /tmp/sbc-data "$sg" 89 00 00 00 00 00 00 00 00 0a 00 00 00 01 00 00 2>&1 || true)
	assert_match 'Miscompare' "$out" "sense key"
	assert_match 'Info fld=0x64' "$out" "offset of the first difference"
	assert_eq "$new" "$(sbc_read_blocks "$sg" 10 1)" "block 10 after a miscompare"
	# More blocks than the Block Limits page allows.
	expect_sense 0x5 0x24 0x00 -- sg_raw -s 66560 -i /dev/zero "$sg" 89 00 00 00 00 00 00 00 00 00 00 00 00 41 00 00
	sbc_done
}
