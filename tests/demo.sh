#!/bin/bash
# make demo, guest side: load SCST, export two virtual disks to the local
# host through scst_local, and show what an administrator sees.
set -u
. "$SCST_REPO/tests/lib.sh"
SCST_TEST_NUM=0

show() {
	echo "# $*"
	"$@" 2>&1
	echo
}

# show_sh 'COMMAND LINE': a command line with redirections, as typed.
show_sh() {
	echo "# $1"
	bash -c "$1" 2>&1
	echo
}

echo "== SCST demo in a $(uname -r) guest"
echo
modprobe -a scsi_mod sd_mod sg 2>/dev/null
for m in scst scst_vdisk scst_local; do
	show insmod "$SCST_MODDIR/$m.ko"
done
show cat /proc/scsi_tgt/version
show ls /proc/scsi_tgt

echo "== A 64 MiB file and a NULLIO disk, exported as LUNs 0 and 1"
truncate -s 64M /tmp/disk0.img
show_sh 'echo "open disk0 /tmp/disk0.img" >/proc/scsi_tgt/vdisk/vdisk'
show_sh 'echo "open null1 none 4096 NULLIO size=1073741824" >/proc/scsi_tgt/vdisk/vdisk'
show cat /proc/scsi_tgt/vdisk/vdisk
show_sh 'echo "add disk0 0" >/proc/scsi_tgt/groups/Default/devices'
show_sh 'echo "add null1 1 READ_ONLY" >/proc/scsi_tgt/groups/Default/devices'
show cat /proc/scsi_tgt/groups/Default/devices
show cat /proc/scsi_tgt/scsi_tgt

echo "== A local session: the local host becomes an initiator"
show_sh 'echo "add_session iqn.2026-11.demo:host" >/proc/scsi_tgt/scst_local/scst_local'
hctl=$(wait_for_scsi_dev SCST_FIO disk0 30)
wait_for_scsi_dev SCST_NUL null1 30 >/dev/null
show cat /proc/scsi_tgt/scst_local/scst_local
show cat /proc/scsi_tgt/sessions
show lsscsi
sg=$(sg_dev_of "$hctl")
blk=$(blk_dev_of "$hctl")
show sg_luns "$sg"
show sg_readcap "$sg"
show sg_vpd -p di "$sg"

echo "== Data written through $blk is in the backing file"
show_sh "dd if=/dev/urandom of=/tmp/pattern bs=1M count=4 status=none"
show_sh "dd if=/tmp/pattern of=$blk bs=1M oflag=direct status=none"
show_sh "cmp -n 4194304 /tmp/pattern /tmp/disk0.img && echo identical"

echo "== Clean up"
show_sh 'echo "del_session iqn.2026-11.demo:host" >/proc/scsi_tgt/scst_local/scst_local'
for m in scst_local scst_vdisk scst; do
	show rmmod "$m"
done
show_sh 'dmesg | grep -E "scst|SCST" | tail -n 20'
