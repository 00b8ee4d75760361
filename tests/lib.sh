# tests/lib.sh - helpers shared by every test area (sourced, guest side).
#
# A test is a shell function named test_WHAT_IT_PROVES in tests/areas/NN-AREA.sh.
# It runs in its own bash process with "set -eu -o pipefail"; it passes when it
# returns 0, is skipped when it calls skip, and fails otherwise.  After it the
# runner scans the kernel log written during the test (see klog_problems).
# Output lines of a passing test that start with "note: " go into the TAP
# output as comments (for figures the test measured).

SCST_KMEMLEAK=/sys/kernel/debug/kmemleak

# Kernel log lines that fail the test in whose window they appear.
SCST_KLOG_BAD='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|'\
'KASAN|UBSAN|kmemleak|lockdep|possible recursive locking|possible circular locking|'\
'inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|'\
'blocked for more than|hung task|soft lockup|detected stall|list_add corruption|'\
'list_del corruption|refcount_t:|ODEBUG:|Call Trace:'

# ---------------------------------------------------------------- assertions

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip REASON: the test cannot run here (not a pass, not a failure).
skip() {
	echo "SKIP: $*"
	exit 77
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_match EXTENDED_REGEX TEXT WHAT
assert_match() {
	printf '%s\n' "$2" | grep -Eq -- "$1" || fail "$3: '$1' not found in: $2"
}

# assert_no_match EXTENDED_REGEX TEXT WHAT
assert_no_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$1"; then
		fail "$3: '$1' unexpectedly found in: $2"
	fi
}

# ---------------------------------------------------------------- kernel log

# klog_mark TEXT: put a marker line into the kernel log.
klog_mark() {
	echo "scst-test: $*" >/dev/kmsg
}

# klog_window N: the kernel log written since test N began (or since it last
# acknowledged what it provoked on purpose).
klog_window() {
	# Linear in the log's size: the lines are kept, the window is printed
	# at the end (appending each line to one string copied the whole log
	# for every line, seconds per call in the guest late in a run).
	dmesg | awk -v b="scst-test: begin $1 " -v a="scst-test: ack $1" '
		{ line[NR] = $0 }
		index($0, b) || substr($0, length($0) - length(a) + 1) == a { start = NR }
		END { for (i = start + 1; i <= NR; i++) print line[i] }'
}

# klog_problems [N]: the report lines in test N's window (default: this test).
klog_problems() {
	klog_window "${1:-$SCST_TEST_NUM}" | grep -E -- "$SCST_KLOG_BAD" || true
}

# klog_ack: the reports so far in this test's window were provoked on
# purpose and checked by the test; the runner must not count them.
klog_ack() {
	klog_mark "ack $SCST_TEST_NUM"
}

# kmemleak_available: the kernel has kmemleak (debug lane).
kmemleak_available() {
	[ -e "$SCST_KMEMLEAK" ]
}

# kmemleak_scan: print what kmemleak reports now, then forget it.  An object
# is reported once it is 5 s old and unreferenced in two scans in a row (the
# first scan only records its checksum), hence the sleep and the two scans.
kmemleak_scan() {
	sleep 6
	echo scan >"$SCST_KMEMLEAK"
	echo scan >"$SCST_KMEMLEAK"
	cat "$SCST_KMEMLEAK"
	echo clear >"$SCST_KMEMLEAK"
}

# kmemleak_check: fail if kmemleak finds unreferenced memory (no-op without it).
kmemleak_check() {
	local leaks
	kmemleak_available || return 0
	leaks=$(kmemleak_scan)
	[ -z "$leaks" ] || fail "kmemleak reports leaks:
$(printf '%s\n' "$leaks" | head -n 60)"
}

# ---------------------------------------------------------------- modules

# kmod_load NAME [PARAM=VALUE...]: load one of our modules from this lane's
# build with insmod, or a kernel module with modprobe.  No-op if loaded.
kmod_load() {
	local name=$1
	shift
	[ -d "/sys/module/$name" ] && return 0
	if [ -f "$SCST_MODDIR/$name.ko" ]; then
		insmod "$SCST_MODDIR/$name.ko" "$@" || fail "insmod $name failed"
	else
		modprobe "$name" "$@" || fail "modprobe $name failed"
	fi
}

# scst_load: load the SCST core.
scst_load() {
	kmod_load scst
	[ -d /proc/scsi_tgt ] || fail "/proc/scsi_tgt missing after loading scst"
}

# scst_loaded_modules: our modules that are loaded now, users before providers.
scst_loaded_modules() {
	local m
	for m in "$SCST_MODDIR"/*.ko; do
		m=$(basename "$m" .ko)
		[ -d "/sys/module/$m" ] && echo "$m"
	done | grep -v '^scst$'
	[ -d /sys/module/scst ] && echo scst
	return 0
}

# scst_unload_all: unload every module of ours; fail if one refuses.
scst_unload_all() {
	local m
	for m in $(scst_loaded_modules); do
		rmmod "$m" || fail "rmmod $m failed"
	done
	[ ! -e /proc/scsi_tgt ] || fail "/proc/scsi_tgt still exists after unload"
}

# ---------------------------------------------------------------- /proc/scsi_tgt

# proc_write FILE COMMAND: one write() of COMMAND to /proc/scsi_tgt/FILE.
# Prints OK or the errno name (EINVAL, ENOENT, ...) and returns 0 or 1.
proc_write() {
	"$SCST_MODDIR/scst_proc_write" "/proc/scsi_tgt/$1" "$2"
}

# proc_cmd FILE COMMAND: the command must succeed.
proc_cmd() {
	local r
	r=$(proc_write "$1" "$2") || fail "'$2' > $1 failed with $r"
}

# proc_cmd_fails FILE ERRNO COMMAND: the command must fail with ERRNO.
proc_cmd_fails() {
	local r
	r=$(proc_write "$1" "$3") && fail "'$3' > $1 succeeded, expected $2"
	assert_eq "$2" "$r" "errno of '$3' > $1"
}

# ---------------------------------------------------------------- SCSI devices

# wait_for_scsi_dev VENDOR MODEL [SECONDS]: print H:C:T:L of the first SCSI
# device whose INQUIRY vendor and model (blanks trimmed) match.
wait_for_scsi_dev() {
	local vendor=$1 model=$2 tries=$((${3:-30} * 10)) d v m
	while [ "$tries" -gt 0 ]; do
		for d in /sys/class/scsi_device/*; do
			[ -e "$d/device/vendor" ] || continue
			v=$(tr -d ' ' <"$d/device/vendor")
			m=$(sed 's/ *$//' <"$d/device/model")
			if [ "$v" = "$vendor" ] && [ "$m" = "$model" ]; then
				basename "$d"
				return 0
			fi
		done
		sleep 0.1
		tries=$((tries - 1))
	done
	fail "no SCSI device '$vendor' '$model' appeared"
}

# local_stack_load: from nothing (an earlier, failed test may have left
# modules loaded), the SCSI mid-layer with sd and sg, then scst, the vdisk
# handler and scst_local.
local_stack_load() {
	scst_unload_all
	kmod_load scsi_mod
	kmod_load sd_mod
	kmod_load sg
	scst_load
	kmod_load scst_vdisk
	kmod_load scst_local
}

# ua_drain SG: consume the unit attentions a new nexus starts with.
ua_drain() {
	local i
	for i in 1 2 3 4; do
		sg_turs "$1" >/dev/null 2>&1 && return 0
	done
	fail "$1 still reports a unit attention"
}

# local_session NAME: add an scst_local session (a local initiator called
# NAME) and print its SCSI host number.
local_session() {
	proc_cmd scst_local/scst_local "add_session $1"
	awk -v n="$1" '$1 == n { sub(/^host/, "", $2); print $2 }' \
		/proc/scsi_tgt/scst_local/scst_local
}

# session_sg HOST LUN: the sg node of LUN (Linux's number) on HOST, once it
# is there.
session_sg() {
	local tries=300
	while [ ! -d "/sys/class/scsi_device/$1:0:0:$2/device/scsi_generic" ]; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || fail "no sg node for $1:0:0:$2"
		sleep 0.1
	done
	sg_dev_of "$1:0:0:$2"
}

# initiator NAME: a local session (initiator) NAME whose LUN 0 has given
# away its unit attentions; prints that LUN's sg node.
initiator() {
	local h sg
	h=$(local_session "$1")
	sg=$(session_sg "$h" 0)
	ua_drain "$sg"
	echo "$sg"
}

# sg_dev_of H:C:T:L and blk_dev_of H:C:T:L: the /dev nodes of a SCSI device.
sg_dev_of() {
	local g
	g=$(ls "/sys/class/scsi_device/$1/device/scsi_generic" 2>/dev/null) ||
		fail "$1 has no sg node (is sg loaded?)"
	echo "/dev/$g"
}

blk_dev_of() {
	local b
	b=$(ls "/sys/class/scsi_device/$1/device/block" 2>/dev/null) ||
		fail "$1 has no block device"
	echo "/dev/$b"
}

# tmf INITIATOR LUN FUNCTION [TAG]: run a task management function through
# scst_local's test file (Documentation/scst_local.rst) and print the answer.
tmf() {
	echo "$*" >/sys/kernel/debug/scst_local/tmf || fail "TMF '$*' failed"
	cat /sys/kernel/debug/scst_local/tmf
}

# blk_dev_of_sg /dev/sgN: the block device of the same SCSI device.
blk_dev_of_sg() {
	local b
	b=$(ls "/sys/class/scsi_generic/${1#/dev/}/device/block" 2>/dev/null) ||
		fail "$1 has no block device"
	echo "/dev/$b"
}

# sg3_utils exit status for a CHECK CONDITION with this sense key and ASC
# (sg_lib.h's SG_LIB_CAT_* values).
sense_exit_status() {
	case $(($1)) in
	1) echo 21 ;;
	2) echo 2 ;;
	3 | 4) echo 3 ;;
	5)
		case $(($2)) in
		32) echo 9 ;;	# INVALID COMMAND OPERATION CODE
		33) echo 22 ;;	# LOGICAL BLOCK ADDRESS OUT OF RANGE
		*) echo 5 ;;
		esac
		;;
	6) echo 6 ;;
	7) echo 7 ;;
	10) echo 10 ;;
	11) echo 11 ;;
	14) echo 14 ;;
	*) echo 99 ;;
	esac
}

# expect_sense KEY ASC ASCQ -- COMMAND...: COMMAND (an sg3_utils tool) must end
# in CHECK CONDITION with this sense (numbers, e.g. 0x5 0x24 0x00).  Checks
# the tool's exit status and that its decoded sense says what sg_decode_sense
# says of the expected bytes (in fixed or descriptor format alike).
expect_sense() {
	local key=$1 asc=$2 ascq=$3 out rc=0 want line
	[ "$4" = "--" ] || fail "expect_sense: usage: KEY ASC ASCQ -- COMMAND"
	shift 4
	out=$("$@" 2>&1) || rc=$?
	assert_eq "$(sense_exit_status "$key" "$asc")" "$rc" "exit status of '$*' (output: $out)"
	want=$(sg_decode_sense 70 00 "$(printf '%02x' $((key)))" 00 00 00 00 0a 00 00 00 00 \
		"$(printf '%02x' $((asc)))" "$(printf '%02x' $((ascq)))" 00 00 00 00 |
		grep -E 'Sense key|Additional sense' | sed 's/^.*Sense key/Sense key/; s/^ *//')
	[ -n "$want" ] || fail "sg_decode_sense could not decode $key/$asc/$ascq"
	while IFS= read -r line; do
		printf '%s\n' "$out" | grep -qF -- "$line" ||
			fail "'$*': expected sense '$line', got: $out"
	done <<<"$want"
}

# expect_status EXIT -- COMMAND...: an sg3_utils COMMAND must exit with EXIT
# (24 reservation conflict, 26 busy, 27 task set full, 28 ACA active, ...).
expect_status() {
	local want=$1 rc=0 out
	shift 2
	out=$("$@" 2>&1) || rc=$?
	assert_eq "$want" "$rc" "exit status of '$*' (output: $out)"
}

# lane_mib MIB: how many MiB a data test moves in this lane: all of them in
# the stock lane, a quarter in the debug lane, whose checks look at code
# paths, not volume, and which is several times slower under TCG.
lane_mib() {
	if [ "$SCST_LANE" = debug ]; then
		echo $(($1 / 4))
	else
		echo "$1"
	fi
}

# ---------------------------------------------------------------- mode pages

# mode_page SG PAGE: the page's bytes (MODE SENSE(6), no block descriptors),
# as space-separated hex.
mode_page() {
	sg_modes -6 -d -p "$2" -r "$1" | od -An -v -tx1 | tr -s ' \n' ' ' |
		cut -d' ' -f6-
}

# hex_to_file FILE HEXBYTES...: write the bytes (words of two hex digits).
hex_to_file() {
	local f=$1 b
	shift
	for b in $*; do
		printf '%b' "\\x$b"
	done >"$f"
}

# mode_select6 SG HEXBYTES...: MODE SELECT(6) with PF and this parameter
# list (header included).
mode_select6() {
	local sg=$1 f=/tmp/ua-mode-select n
	shift
	hex_to_file "$f" "$@"
	n=$(stat -c %s "$f")
	sg_raw -s "$n" -i "$f" "$sg" 15 10 00 00 "$(printf '%02x' "$n")" 00
}

# ---------------------------------------------------------------- stalled LUNs

# commands_in_flight INITIATOR: the session's commands not yet freed.
commands_in_flight() {
	awk -v n="$1" '$3 == n { print $5 }' /proc/scsi_tgt/sessions
}

# stall_setup: an 8 MiB file /tmp/stall-mnt/lun whose first 64 KiB are
# /tmp/stall-pattern, on ext4 on a device-mapper disk (scst-stall) that
# `dmsetup suspend --nolockfs scst-stall` can hold I/O on; prints the loop
# device for stall_cleanup.
stall_setup() {
	local loop
	kmod_load dm-mod
	kmod_load loop
	kmod_load ext4
	truncate -s 64M /tmp/stall-img
	loop=$(losetup -f --show /tmp/stall-img) || fail "losetup failed"
	dmsetup create scst-stall --table "0 131072 linear $loop 0" ||
		fail "dmsetup create failed"
	# The guest runs no udev: device-mapper makes its own node.
	dmsetup mknodes scst-stall
	mkfs.ext4 -q -F /dev/mapper/scst-stall || fail "mkfs failed"
	mkdir -p /tmp/stall-mnt
	mount /dev/mapper/scst-stall /tmp/stall-mnt || fail "mount failed"
	head -c 65536 /dev/urandom >/tmp/stall-pattern
	cp /tmp/stall-pattern /tmp/stall-mnt/lun
	truncate -s 8M /tmp/stall-mnt/lun
	sync
	echo "$loop"
}

# aborted_commands: the core's count of commands aborted since it loaded.
aborted_commands() {
	awk '$1 == "aborted_commands" { print $2 }' /proc/scsi_tgt/stats
}

# aborted_since BASE: wait (up to 60 s) until the count has grown past
# BASE, then print by how much.  A TMF on a loaded TCG guest may take some
# seconds to get to the commands it aborts.
aborted_since() {
	local n
	for _ in $(seq 300); do
		n=$(($(aborted_commands) - $1))
		[ "$n" -gt 0 ] && break
		sleep 0.2
	done
	echo "$n"
}

# stall_lun_load: the local stack, with the file of stall_setup as LUN 0
# (device d1) of group Default.
stall_lun_load() {
	local_stack_load
	proc_cmd vdisk/vdisk "open d1 /tmp/stall-mnt/lun"
	proc_cmd groups/Default/devices "add d1 0"
}

# stall_start INITIATOR COMMAND...: suspend scst-stall and run COMMAND in
# the background (its pid in STALL_PID, its output in /tmp/stall-out);
# wait until it is a command of INITIATOR's session, held in the device.
stall_start() {
	local in_flight=0 ini=$1
	shift
	echo 3 >/proc/sys/vm/drop_caches
	dmsetup suspend --nolockfs scst-stall || fail "dmsetup suspend failed"
	"$@" >/tmp/stall-out 2>&1 &
	STALL_PID=$!
	for _ in $(seq 100); do
		in_flight=$(commands_in_flight "$ini")
		[ "${in_flight:-0}" -gt 0 ] && return 0
		sleep 0.1
	done
	return 1
}

# stall_read INITIATOR BLOCKDEV: stall_start a 64 KiB direct read of
# BLOCKDEV into /tmp/stall-read.
stall_read() {
	stall_start "$1" dd if="$2" of=/tmp/stall-read bs=64k count=1 iflag=direct
}

# stall_cleanup LOOP: undo stall_setup.
stall_cleanup() {
	dmsetup resume scst-stall 2>/dev/null || true
	umount /tmp/stall-mnt 2>/dev/null || true
	dmsetup remove scst-stall 2>/dev/null || true
	losetup -d "$1" 2>/dev/null || true
	rm -f /tmp/stall-img /tmp/stall-read /tmp/stall-pattern /tmp/stall-out
}
