# Area "libiscsi": libiscsi's conformance suite (iscsi-test-cu, Debian's
# libiscsi-bin) in its LINUX family, which sends its CDBs through SG_IO to a
# local /dev/sgN instead of over iSCSI.  The sg node is a FILEIO vdisk that
# scst_local exports to the guest as LUN 0.

VDISK=vdisk/vdisk
DEFAULT_DEVICES=groups/Default/devices
LOCAL=scst_local/scst_local
LIBISCSI_DIR=/tmp/libiscsi
LIBISCSI_INITIATOR=iqn.2026-11.test:libiscsi

# Tests of the LINUX family that are expected to fail today, one per line:
# "SUITE.TEST  reason" (e.g. "Read10.BeyondEol  LBA check missing, #NN").
# A listed test that passes is reported as a note so that the list can
# shrink; a failure of any other test fails the area.
#
# MultipathIO.CompareAndWrite runs COMPARE AND WRITE from 0 to 1 at LBAs
# 0..256 and so needs them to read as zeros first; the suites before it
# leave 0xFF at LBA 256.  It passes on a fresh disk: see the test below.
# Many tests pass only because they skip themselves, wholly or in part
# (the note lists them): the target answers INVALID COMMAND OPERATION CODE
# for a command not built yet (ORWRITE, PRE-FETCH, GET LBA STATUS, WRITE
# ATOMIC, READ DEFECT DATA), or (MultipathIO.Reset, .CompareAndWriteAsync)
# the paths are not iSCSI.  The family has no reservation tests.
LIBISCSI_EXPECTED_FAILURES='
MultipathIO.CompareAndWrite  needs LBA 256 zero, earlier suites write it
'

libiscsi_expected() {
	printf '%s\n' "$LIBISCSI_EXPECTED_FAILURES" | awk 'NF { print $1 }'
}

# libiscsi_disk [VDISK_OPTION...]: load the modules, a 64 MiB FILEIO vdisk
# in tmpfs as LUN 0 of group Default and two local sessions (two paths to
# it, for the suite's MultipathIO tests); prints the two sg nodes.
libiscsi_disk() {
	local i h
	scst_unload_all
	scst_load
	kmod_load scst_vdisk
	kmod_load scsi_mod
	kmod_load sg
	kmod_load sd_mod
	kmod_load scst_local
	mkdir -p "$LIBISCSI_DIR"
	rm -f "$LIBISCSI_DIR/disk0"
	truncate -s 64M "$LIBISCSI_DIR/disk0"
	proc_cmd "$VDISK" "open cu0 $LIBISCSI_DIR/disk0${*:+ $*}"
	proc_cmd "$DEFAULT_DEVICES" "add cu0 0"
	for i in 1 2; do
		proc_cmd "$LOCAL" "add_session $LIBISCSI_INITIATOR-$i"
		h=$(awk -v n="$LIBISCSI_INITIATOR-$i" '$1 == n { print $2 }' "/proc/scsi_tgt/$LOCAL")
		[ -n "$h" ] || fail "no session $LIBISCSI_INITIATOR-$i in $LOCAL"
		wait_for_scsi_dev SCST_FIO cu0 60 >/dev/null
		libiscsi_wait_lun0 "$h"
		sg_dev_of "$h:0:0:0"
	done
}

# libiscsi_wait_lun0 HOST: LUN 0 of SCSI host number HOST appears.
libiscsi_wait_lun0() {
	local tries=600
	until [ -e "/sys/class/scsi_device/$1:0:0:0/device/scsi_generic" ]; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "LUN 0 of host $1 did not appear"
		sleep 0.1
	done
}

libiscsi_cleanup() {
	local i
	for i in 1 2; do
		proc_write "$LOCAL" "del_session $LIBISCSI_INITIATOR-$i" >/dev/null || true
	done
	scst_unload_all
	rm -rf "$LIBISCSI_DIR"
}

# libiscsi_results XML: "NAME pass|fail" per test from CUnit's XML, and for
# each failure the failing assertions on lines "NAME: FILE:LINE: CONDITION".
libiscsi_results() {
	python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
for suite in root.iter("CUNIT_RUN_SUITE_SUCCESS"):
    sname = suite.findtext("SUITE_NAME", "").strip()
    for rec in suite.iter("CUNIT_RUN_TEST_RECORD"):
        ok = rec.find("CUNIT_RUN_TEST_SUCCESS")
        bad = rec.findall("CUNIT_RUN_TEST_FAILURE")
        node = ok if ok is not None else bad[0]
        name = sname + "." + node.findtext("TEST_NAME", "").strip()
        print("RESULT", name, "pass" if ok is not None else "fail")
        for b in bad:
            print("WHY %s: %s:%s: %s" % (name,
                  b.findtext("FILE_NAME", "").strip(),
                  b.findtext("LINE_NUMBER", "").strip(),
                  b.findtext("CONDITION", "").strip()))
for suite in root.iter("CUNIT_RUN_SUITE_FAILURE"):
    print("RESULT", suite.findtext("SUITE_NAME", "").strip(), "fail")
    print("WHY %s: suite: %s" % (suite.findtext("SUITE_NAME", "").strip(),
          suite.findtext("FAILURE_REASON", "").strip()))
PY
}

# libiscsi_skipped LOG: the tests that printed [SKIPPED] in a verbose log
# (CUnit's "Suite: S" and "  Test: T ..." lines say which test runs).
libiscsi_skipped() {
	awk '/^Suite: / { s = $2 } /^ *Test: / { t = $2 }
		/\[SKIPPED\]/ && t != "" { print s "." t }' "$1" | sort -u
}

# libiscsi_check TAG TESTS SG...: run iscsi-test-cu over TESTS on the sg
# nodes, keep its output in $SCST_RESULTS/libiscsi-TAG.{xml,log} and fail
# on any failure not in LIBISCSI_EXPECTED_FAILURES.
libiscsi_check() {
	local tag=$1 tests=$2 rc=0 dir=$LIBISCSI_DIR/$1 xml res failed t skipped
	local unexpected="" fixed=""
	shift 2
	rm -rf "$dir"
	mkdir -p "$dir"
	cd "$dir" || fail "no $dir"
	# -d: destructive tests (writes) run instead of passing as skipped.
	# -x: CUnit XML (*-Results.xml) in the current directory.
	iscsi-test-cu -d -x --test="$tests" "$@" >"$dir/cu.log" 2>&1 || rc=$?
	xml=$(find "$dir" -name '*Results.xml' | head -n 1)
	[ -n "$xml" ] || { tail -n 40 "$dir/cu.log"; fail "iscsi-test-cu (exit $rc) wrote no XML"; }
	cp "$xml" "$SCST_RESULTS/libiscsi-$tag.xml" 2>/dev/null || true
	res=$(libiscsi_results "$xml")
	# CUnit counts a test that skipped itself (e.g. its command is "not
	# implemented") as passed; a second, verbose run names them and logs
	# every CDB with its status, for whoever reads a failure.
	iscsi-test-cu -d -V --test="$tests" "$@" >"$dir/verbose.log" 2>&1 || true
	cp "$dir/verbose.log" "$SCST_RESULTS/libiscsi-$tag.log" 2>/dev/null || true
	skipped=$(libiscsi_skipped "$dir/verbose.log")
	echo "note: $tests: iscsi-test-cu exit $rc; $(grep -c ' pass$' <<<"$res") passed" \
		"(of which $(wc -w <<<"$skipped") skipped something), $(grep -c ' fail$' <<<"$res") failed"
	[ -z "$skipped" ] || echo "note: skipped, wholly or in part: $(echo "$skipped" | tr '\n' ' ')"
	failed=$(awk '$1 == "RESULT" && $3 == "fail" { print $2 }' <<<"$res")
	for t in $failed; do
		libiscsi_expected | grep -qxF "$t" || unexpected="$unexpected $t"
	done
	for t in $(libiscsi_expected); do
		grep -qxF "RESULT $t pass" <<<"$res" && fixed="$fixed $t"
	done
	[ -z "$fixed" ] || echo "note: expected to fail but passed (shrink the list):$fixed"
	cd / || true
	[ -n "$unexpected" ] || return 0
	for t in $unexpected; do
		echo "FAILED $t"
		grep -F "WHY $t:" <<<"$res" | sed 's/^WHY /    /'
	done
	fail "unexpected failures:$unexpected"
}

# The whole family on a writable disk, with two paths to it.
test_linux_family_passes_except_the_listed_tests() {
	local sg sg2
	read -r sg sg2 <<<"$(libiscsi_disk | tr '\n' ' ')"
	[ -n "$sg2" ] || fail "no two paths to the disk"
	libiscsi_check linux LINUX "$sg" "$sg2"
	libiscsi_cleanup
}

# The MultipathIO suite alone on a fresh disk: every test passes.
test_linux_multipath_suite_passes_on_a_fresh_disk() {
	local sg sg2 saved=$LIBISCSI_EXPECTED_FAILURES
	read -r sg sg2 <<<"$(libiscsi_disk | tr '\n' ' ')"
	[ -n "$sg2" ] || fail "no two paths to the disk"
	LIBISCSI_EXPECTED_FAILURES=''
	libiscsi_check multipath LINUX.MultipathIO "$sg" "$sg2"
	LIBISCSI_EXPECTED_FAILURES=$saved
	libiscsi_cleanup
}

# The ReadOnly suite skips itself on a writable disk: run it on a disk that
# vdisk opened READ_ONLY (MODE SENSE says WP, writes get DATA PROTECT).
test_linux_readonly_suite_passes_on_a_read_only_disk() {
	local sg
	read -r sg _ <<<"$(libiscsi_disk READ_ONLY | tr '\n' ' ')"
	[ -n "$sg" ] || fail "no read-only disk"
	libiscsi_check readonly LINUX.ReadOnly "$sg"
	libiscsi_cleanup
}
