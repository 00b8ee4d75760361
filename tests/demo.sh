#!/bin/bash
# make demo, guest side: load SCST and show what an administrator sees.
set -u
. "$SCST_REPO/tests/lib.sh"
SCST_TEST_NUM=0

show() {
	echo "# $*"
	"$@" 2>&1
	echo
}

echo "== SCST demo in a $(uname -r) guest"
echo
show insmod "$SCST_MODDIR/scst.ko"
show ls -l /proc/scsi_tgt
show cat /proc/scsi_tgt/version
modprobe -a sd_mod sg 2>/dev/null
show lsscsi
echo "Exporting a virtual disk through the local target driver comes with the"
echo "vdisk handler and scst_local (issue 3); this build has the core only."
show rmmod scst
