# Area "proc": the access-group configuration plane of /proc/scsi_tgt
# (scsi_tgt, help, sessions, groups/GROUP/{names,devices}), as
# Documentation/proc_scsi_tgt.rst describes it.

P=/proc/scsi_tgt

SCSI_TGT_HEADER='DEVICE                           TYPE HANDLER'
SESSIONS_HEADER='TARGET_DRIVER    TARGET                           INITIATOR                        GROUP            COMMANDS'

# scst_fresh: load scst with nothing configured, even if an earlier test
# failed before unloading it.
scst_fresh() {
	scst_unload_all
	scst_load
}

# Everything the files show, to prove that a failed command changed nothing.
proc_state() {
	local g
	echo "== scsi_tgt"
	cat "$P/scsi_tgt"
	echo "== sessions"
	cat "$P/sessions"
	for g in "$P"/groups/*; do
		echo "== group ${g##*/}"
		echo "-- names"
		cat "$g/names"
		echo "-- devices"
		cat "$g/devices"
	done
}

# Lines scst.ko has logged in this test's window so far.
scst_log_count() {
	klog_window "$SCST_TEST_NUM" | grep -c '\] scst: ' || true
}

# The last line scst.ko logged in this test's window.
scst_last_log() {
	klog_window "$SCST_TEST_NUM" | grep '\] scst: ' | tail -n 1
}

# proc_fails_logged FILE ERRNO COMMAND: fails with ERRNO, logs exactly one
# line and changes nothing.
proc_fails_logged() {
	local before after state
	state=$(proc_state)
	before=$(scst_log_count)
	proc_cmd_fails "$1" "$2" "$3"
	after=$(scst_log_count)
	assert_eq 1 "$((after - before))" "lines logged for '$3' > $1"
	assert_eq "$state" "$(proc_state)" "state after the failed '$3' > $1"
}

# proc_batch_fails FILE ERRNO <<< LINES: every line (printf %b escapes) is
# a command that must fail with ERRNO, log exactly one line and change
# nothing.  One python process for all of them: a process per command is
# too slow under TCG.
proc_batch_fails() {
	local out
	out=$(python3 - "$P" "$1" "$2" "$SCST_TEST_NUM" 3<&0 <<'PY'
import errno, glob, os, re, subprocess, sys
p, f, want, num = sys.argv[1:5]
def state():
    s = []
    for n in ["scsi_tgt", "sessions"] + sorted(glob.glob(p + "/groups/*/*")):
        with open(n if n.startswith("/") else p + "/" + n) as fh:
            s.append((n, fh.read()))
    return s
def scst_lines():
    log = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
    log = log.split("scst-test: begin %s " % num)[-1]
    return len(re.findall(r"\] scst: ", log))
with open("/proc/self/fd/3") as fh:
    cmds = [l.rstrip("\n") for l in fh]
for c in cmds:
    cmd = c.encode().decode("unicode_escape").encode("latin-1")
    before, nlog = state(), scst_lines()
    try:
        fd = os.open(p + "/" + f, os.O_WRONLY)
        try:
            os.write(fd, cmd)
            got = "OK"
        finally:
            os.close(fd)
    except OSError as e:
        got = errno.errorcode.get(e.errno, str(e.errno))
    if got != want:
        print("%r > %s: expected %s, got %s" % (c, f, want, got))
    elif scst_lines() - nlog != 1:
        print("%r > %s: logged %d lines" % (c, f, scst_lines() - nlog))
    elif state() != before:
        print("%r > %s: state changed" % (c, f))
PY
)
	[ -z "$out" ] || fail "$out"
}

# group_list: the group directories, one per line.
group_list() {
	ls "$P/groups"
}

# as_nobody_write FILE COMMAND: one write() as user nobody; prints OK or the
# errno name.
as_nobody_write() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SCST_MODDIR/scst_proc_write" "$P/$1" "$2" || true
}

test_default_group_exists_and_cannot_be_deleted() {
	scst_fresh
	assert_eq "Default" "$(group_list)" "groups after load"
	assert_eq "" "$(cat "$P/groups/Default/names")" "names of Default"
	assert_eq "" "$(cat "$P/groups/Default/devices")" "devices of Default"
	proc_fails_logged scsi_tgt EPERM "del_group Default"
	proc_fails_logged scsi_tgt EPERM "del_group Default force"
	assert_match 'del_group: group .Default. cannot be deleted' "$(scst_last_log)" "log line"
	assert_eq "Default" "$(group_list)" "groups after del_group Default"
	scst_unload_all
}

test_add_and_del_group_round_trip() {
	local long logged
	long=$(printf 'g%.0s' $(seq 64))
	scst_fresh
	logged=$(scst_log_count)
	proc_cmd scsi_tgt "add_group g1"
	proc_cmd scsi_tgt "add_group g2
"
	proc_cmd scsi_tgt "	 add_group	 $long  "
	assert_eq "Default
g1
g2
$long" "$(group_list)" "groups after add_group"
	assert_eq "devices
names" "$(ls "$P/groups/g1")" "files of g1"
	assert_eq "" "$(cat "$P/groups/g1/names")" "names of a new group"
	assert_eq "" "$(cat "$P/groups/g1/devices")" "devices of a new group"
	proc_cmd scsi_tgt "del_group g1"
	[ ! -e "$P/groups/g1" ] || fail "groups/g1 still exists after del_group"
	proc_cmd scsi_tgt "del_group g2 force
"
	proc_cmd scsi_tgt "del_group $long"
	assert_eq "Default" "$(group_list)" "groups after del_group"
	# A deleted name can be used again, and starts empty.
	proc_cmd scsi_tgt "add_group g1"
	proc_cmd groups/g1/names "add host1"
	proc_cmd scsi_tgt "del_group g1"
	proc_cmd scsi_tgt "add_group g1"
	assert_eq "" "$(cat "$P/groups/g1/names")" "names of a re-created group"
	assert_eq "$logged" "$(scst_log_count)" "lines logged by successful commands"
	scst_unload_all
}

test_duplicate_group_is_eexist() {
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	proc_fails_logged scsi_tgt EEXIST "add_group g1"
	assert_match 'add_group: group .g1. already exists' "$(scst_last_log)" "log line"
	proc_fails_logged scsi_tgt EEXIST "add_group Default"
	# Names are case-sensitive.
	proc_cmd scsi_tgt "add_group G1"
	assert_eq "Default
G1
g1" "$(group_list)" "groups"
	scst_unload_all
}

test_unknown_objects_are_enoent() {
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	proc_fails_logged scsi_tgt ENOENT "del_group nosuch"
	assert_match 'del_group: no group .nosuch.' "$(scst_last_log)" "log line"
	proc_fails_logged scsi_tgt ENOENT "del_group nosuch force"
	proc_fails_logged scsi_tgt ENOENT "assign 0:0:0:0 dev_disk"
	assert_match "assign: no pass-through handler .dev_disk." "$(scst_last_log)" "log line"
	proc_fails_logged groups/g1/names ENOENT "del iqn.nosuch"
	proc_fails_logged groups/Default/names ENOENT "del *"
	proc_fails_logged groups/g1/devices ENOENT "add disk1 0"
	assert_match 'group g1: add: no device .disk1.' "$(scst_last_log)" "log line"
	proc_fails_logged groups/g1/devices ENOENT "add 1:0:0:0 5 READ_ONLY"
	proc_fails_logged groups/g1/devices ENOENT "del disk1"
	[ ! -e "$P/groups/nosuch" ] || fail "groups/nosuch exists"
	scst_unload_all
}

test_malformed_commands_are_einval_and_change_nothing() {
	local long big
	long=$(printf 'g%.0s' $(seq 65))
	# 4097 bytes: one more than a page.
	big="add_group g9$(printf ' %.0s' $(seq 4085))"
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	proc_cmd groups/g1/names "add iqn.host1"
	proc_cmd groups/Default/names "add iqn.*"
	proc_batch_fails scsi_tgt EINVAL <<'EOF'

\n
   
frobnicate g1
ADD_GROUP g2
add_group
add_group g2 g3
del_group
del_group g1 now
del_group g1 force more
add_group a/b
add_group /
add_group .
add_group ..
add_group caf\xc3\xa9
add_group g\x01
add_group g2\nadd_group g3
add_group g2\n\n
assign
assign 0:0:0:0
assign 0:0:0 dev_disk
assign 0:0:0:x dev_disk
assign 0:0:0:0: dev_disk
assign -1:0:0:0 dev_disk
assign 0:0:0:0 dev_disk extra
EOF
	proc_fails_logged scsi_tgt EINVAL "add_group $long"
	assert_match 'add_group: a group name has 1 to 64 characters, not 65' "$(scst_last_log)" "log line"
	proc_fails_logged scsi_tgt EINVAL "$big"
	assert_match 'scsi_tgt: a command is at most 4096 bytes, not 4097' "$(scst_last_log)" "log line"
	proc_batch_fails groups/g1/names EINVAL <<'EOF'

add
del
add a b
del iqn.host1 x
clear now
append x
add \x7f
EOF
	proc_batch_fails groups/g1/devices EINVAL <<'EOF'

add
add disk1
add disk1 x
add disk1 -1
add disk1 16384
add disk1 1 RO
add disk1 1 READ_ONLY extra
del
del disk1 x
clear x
EOF
	# One page is the limit, not less: a padded command of 4096 bytes works.
	proc_cmd groups/g1/names "clear$(printf ' %.0s' $(seq 4091))"
	assert_eq "" "$(cat "$P/groups/g1/names")" "names after the padded clear"
	assert_eq "Default
g1" "$(group_list)" "groups"
	scst_unload_all
}

test_names_add_del_clear_with_wildcards() {
	local c
	scst_fresh
	proc_cmd scsi_tgt "add_group hosts"
	proc_cmd groups/hosts/names "add iqn.1993-08.org.debian:01:*"
	proc_cmd groups/hosts/names "add host?
"
	proc_cmd groups/hosts/names "add 21:00:00:24:ff:31:4c:5a"
	proc_cmd groups/hosts/names "	add   *"
	assert_eq "iqn.1993-08.org.debian:01:*
host?
21:00:00:24:ff:31:4c:5a
*" "$(cat "$P/groups/hosts/names")" "names in order of addition"
	proc_fails_logged groups/hosts/names EEXIST "add host?"
	assert_match "group hosts: add: 'host\?' is already there" "$(scst_last_log)" "log line"
	# del takes the name exactly as added; a pattern is not expanded.
	proc_fails_logged groups/hosts/names ENOENT "del host1"
	proc_cmd groups/hosts/names "del host?"
	proc_cmd groups/hosts/names "del *"
	assert_eq "iqn.1993-08.org.debian:01:*
21:00:00:24:ff:31:4c:5a" "$(cat "$P/groups/hosts/names")" "names after del"
	# Names are per group: another group may list the same one.
	proc_cmd groups/Default/names "add host?"
	assert_eq "host?" "$(cat "$P/groups/Default/names")" "names of Default"
	proc_cmd groups/hosts/names "clear"
	assert_eq "" "$(cat "$P/groups/hosts/names")" "names after clear"
	proc_cmd groups/hosts/names "clear"
	assert_eq "host?" "$(cat "$P/groups/Default/names")" "names of Default after clear of hosts"
	# The read-back replays to the same state.
	proc_cmd groups/hosts/names "add a*"
	proc_cmd groups/hosts/names "add b?"
	proc_cmd scsi_tgt "add_group copy"
	while IFS= read -r c; do
		proc_cmd groups/copy/names "add $c"
	done <"$P/groups/hosts/names"
	assert_eq "$(cat "$P/groups/hosts/names")" "$(cat "$P/groups/copy/names")" "replayed names"
	scst_unload_all
}

test_devices_are_empty_and_clear_succeeds() {
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	proc_cmd groups/g1/devices "clear"
	proc_cmd groups/Default/devices "clear
"
	assert_eq "" "$(cat "$P/groups/g1/devices")" "devices of g1"
	scst_unload_all
}

test_core_files_read_back_their_headers() {
	local h
	scst_fresh
	assert_eq "$SCSI_TGT_HEADER" "$(cat "$P/scsi_tgt")" "scsi_tgt"
	assert_eq "$SESSIONS_HEADER" "$(cat "$P/sessions")" "sessions"
	# Groups are directories, not lines of scsi_tgt.
	proc_cmd scsi_tgt "add_group g1"
	assert_eq "$SCSI_TGT_HEADER" "$(cat "$P/scsi_tgt")" "scsi_tgt with a group"
	h=$(cat "$P/help")
	for c in "add_group GROUP" "del_group GROUP \[force\]" "assign H:C:I:L HANDLER" \
		"add NAME" "del NAME" "clear" "add DEVICE LUN \[READ_ONLY\]" "del DEVICE"; do
		assert_match "^  $c\$" "$h" "help"
	done
	scst_unload_all
}

test_file_modes_owner_and_non_root_cannot_write() {
	local f
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	for f in version:444 help:444 sessions:444 scsi_tgt:600 threads:600 \
		trace_level:600 stats:444 \
		groups/Default/names:600 groups/Default/devices:600 \
		groups/g1/names:600 groups/g1/devices:600; do
		assert_eq "${f#*:} 0:0" "$(stat -c '%a %u:%g' "$P/${f%:*}")" "mode and owner of ${f%:*}"
	done
	assert_eq EACCES "$(as_nobody_write scsi_tgt "add_group evil")" "nobody writes scsi_tgt"
	assert_eq EACCES "$(as_nobody_write scsi_tgt "del_group g1")" "nobody deletes g1"
	assert_eq EACCES "$(as_nobody_write groups/g1/names "add *")" "nobody writes names"
	assert_eq EACCES "$(as_nobody_write groups/Default/devices "clear")" "nobody writes devices"
	assert_eq EACCES "$(as_nobody_write threads "1")" "nobody writes threads"
	assert_eq EACCES "$(as_nobody_write trace_level "all")" "nobody writes trace_level"
	assert_eq "Default
g1" "$(group_list)" "groups"
	assert_eq "" "$(cat "$P/groups/g1/names")" "names of g1"
	scst_unload_all
}

# A file of a group that is deleted while open fails, and never touches the
# freed group (KASAN in the debug lane would catch it).
test_file_of_a_deleted_group_fails_cleanly() {
	local r
	scst_fresh
	proc_cmd scsi_tgt "add_group g1"
	proc_cmd groups/g1/names "add host1"
	r=$(python3 - "$P" <<'PY'
import errno, os, sys
p = sys.argv[1]
names = os.open(p + "/groups/g1/names", os.O_RDWR)
def cmd(path, text):
    fd = os.open(p + path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
cmd("/scsi_tgt", "del_group g1")
cmd("/scsi_tgt", "add_group g1")
try:
    os.write(names, b"add host2")
    print("write OK")
except OSError as e:
    print("write " + errno.errorcode[e.errno])
try:
    print("read " + repr(os.read(names, 100)))
except OSError as e:
    print("read " + errno.errorcode[e.errno])
os.close(names)
PY
)
	assert_eq "write EIO
read EIO" "$r" "old file of g1"
	assert_eq "" "$(cat "$P/groups/g1/names")" "names of the new g1"
	scst_unload_all
}

# Two writers add and delete the same groups (and write their names) while a
# reader reads every file; the runner then checks the kernel log (KASAN,
# lockdep, list corruption, /proc name clashes).
test_concurrent_add_del_and_reads_are_safe() {
	local secs=8 pids="" w
	scst_fresh
	writer() {
		local end=$((SECONDS + secs)) i
		while [ "$SECONDS" -lt "$end" ]; do
			for i in 1 2 3; do
				echo "add_group g$i" 2>/dev/null >"$P/scsi_tgt" || true
				echo "add ini$1.$i" 2>/dev/null >"$P/groups/g$i/names" || true
				echo "clear" 2>/dev/null >"$P/groups/g$i/devices" || true
				echo "del_group g$((4 - i))" 2>/dev/null >"$P/scsi_tgt" || true
			done
		done
	}
	reader() {
		local end=$((SECONDS + secs))
		while [ "$SECONDS" -lt "$end" ]; do
			cat "$P"/groups/*/names "$P"/groups/*/devices "$P/scsi_tgt" \
				>/dev/null 2>&1 || true
		done
	}
	writer a &
	pids="$pids $!"
	writer b &
	pids="$pids $!"
	reader &
	pids="$pids $!"
	for w in $pids; do
		wait "$w" || fail "a worker failed"
	done
	for w in 1 2 3; do
		[ ! -d "$P/groups/g$w" ] || proc_cmd scsi_tgt "del_group g$w"
	done
	assert_eq "Default" "$(group_list)" "groups at the end"
	assert_eq "" "$(cat "$P/groups/Default/names")" "names of Default"
	scst_unload_all
	# Leaks are found by unload/test_every_module_unloads_without_leaks,
	# whose kmemleak scan covers every test (a scan is slow under TCG).
}

test_threads_reads_back_what_was_written() {
	scst_fresh
	assert_eq 8 "$(cat "$P/threads")" "default threads"
	proc_cmd threads 3
	assert_eq 3 "$(cat "$P/threads")" "threads after writing 3"
	for bad in 0 513 -1 abc "2 3" 0x; do
		proc_fails_logged threads EINVAL "$bad"
	done
	assert_eq 3 "$(cat "$P/threads")" "threads after bad writes"
	scst_unload_all
}

test_trace_level_tokens_and_the_sense_trace() {
	local h sg n
	scst_fresh
	assert_eq none "$(cat "$P/trace_level")" "default trace_level"
	proc_cmd trace_level "add sense"
	assert_eq sense "$(cat "$P/trace_level")" "after add sense"
	proc_cmd trace_level "all"
	assert_eq "scsi sense" "$(cat "$P/trace_level")" "after all"
	proc_cmd trace_level "del scsi"
	assert_eq sense "$(cat "$P/trace_level")" "after del scsi"
	for bad in "add bogus" "del" "value 0x10" "value x" "all now" "loud"; do
		proc_fails_logged trace_level EINVAL "$bad"
	done
	assert_eq sense "$(cat "$P/trace_level")" "after bad writes"
	proc_cmd trace_level "value 0x0"
	assert_eq none "$(cat "$P/trace_level")" "after value 0"
	proc_cmd trace_level "default"
	assert_eq none "$(cat "$P/trace_level")" "after default"
	# The sense token logs a CHECK CONDITION, with its sense bytes.
	kmod_load sg
	kmod_load sd_mod
	kmod_load scst_vdisk
	kmod_load scst_local
	proc_cmd vdisk/vdisk "open t1 none NULLIO size=1048576"
	proc_cmd groups/Default/devices "add t1 0"
	h=$(local_session trace.ini)
	sg=$(session_sg "$h" 0)
	sg_turs "$sg" >/dev/null 2>&1 || true
	proc_cmd trace_level "add sense"
	sg_raw "$sg" ff 00 00 00 00 00 >/dev/null 2>&1 || true
	n=$(klog_window "$SCST_TEST_NUM" | grep -c 'trace.ini LUN 0: opcode 0xff sense 70 00 05' || true)
	assert_eq 1 "$n" "sense trace lines"
	proc_cmd trace_level "none"
	scst_unload_all
}

# READs of a NULLIO disk through scst_local run from queuecommand to the
# handler and back without a core thread; FILEIO reads need one each.
test_nullio_reads_take_no_thread_switch() {
	local h blk before after hits ctxt f=/tmp/proc-fileio
	scst_fresh
	kmod_load sg
	kmod_load sd_mod
	kmod_load scst_vdisk
	kmod_load scst_local
	rm -f "$f"
	truncate -s 4M "$f"
	proc_cmd vdisk/vdisk "open n1 none NULLIO size=4194304"
	proc_cmd vdisk/vdisk "open f1 $f"
	proc_cmd groups/Default/devices "add n1 0"
	proc_cmd groups/Default/devices "add f1 1"
	h=$(local_session fast.ini)
	session_sg "$h" 0 >/dev/null
	session_sg "$h" 1 >/dev/null
	blk=$(blk_dev_of "$h:0:0:0")
	before=$(awk '$1 == "thread_switches" { print $2 }' "$P/stats")
	hits=$(awk '$1 == "buffer_cache_hits" { print $2 }' "$P/stats")
	ctxt=$(awk '$1 == "ctxt" { print $2 }' /proc/stat)
	dd if="$blk" of=/dev/null bs=4k count=500 iflag=direct 2>/dev/null ||
		fail "reading $blk"
	ctxt=$(($(awk '$1 == "ctxt" { print $2 }' /proc/stat) - ctxt))
	echo "note: 500 NULLIO reads, $ctxt context switches in the guest"
	after=$(awk '$1 == "thread_switches" { print $2 }' "$P/stats")
	[ $((after - before)) -le 5 ] ||
		fail "500 NULLIO reads took $((after - before)) thread switches"
	# Their buffers come from the cache, not from the page allocator.
	hits=$(($(awk '$1 == "buffer_cache_hits" { print $2 }' "$P/stats") - hits))
	[ "$hits" -ge 490 ] || fail "500 reads found only $hits buffers in the cache"
	blk=$(blk_dev_of "$h:0:0:1")
	before=$after
	dd if="$blk" of=/dev/null bs=4k count=500 iflag=direct 2>/dev/null ||
		fail "reading $blk"
	after=$(awk '$1 == "thread_switches" { print $2 }' "$P/stats")
	[ $((after - before)) -ge 500 ] ||
		fail "500 FILEIO reads took only $((after - before)) thread switches"
	assert_match '^commands [0-9]+$' "$(cat "$P/stats")" "stats"
	scst_unload_all
	rm -f "$f"
}
