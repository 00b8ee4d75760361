#!/bin/bash
# make bench, guest side: the same fio jobs against disks that do no real
# I/O, in one guest run, in two sets of three:
#
# set "local" (local SCSI disks):
#   scst        scst_local + a NULLIO vdisk (our target's overhead)
#   tcm_loop    LIO's loopback fabric + a ramdisk with nullio=true
#   sdebug      scsi_debug with delay=0 (no target layer at all: the floor)
# set "iscsi" (open-iscsi over 127.0.0.1, tests/bench/bench_iscsi.sh):
#   scst_iscsi  iscsi_scst + a NULLIO vdisk
#   lio_iscsi   LIO's iscsi_target_mod + a ramdisk with nullio=true
#   tgt_iscsi   tgtd (user space) + its null backing store
#
# A disk whose setup fails (e.g. a module that does not exist yet) is left
# out; its columns read n/a.  Under TCG absolute numbers mean little; the
# ratios within a run count.  Writes the raw fio JSON and the tables to
# $SCST_RESULTS/bench/ (Documentation/benchmark.rst).  No python: starting
# an interpreter in the guest costs seconds.
set -u
. "$SCST_REPO/tests/lib.sh"
SCST_TEST_NUM=0
# tests/run passes SCST_BENCH_* to the guest in this file.
# shellcheck disable=SC1091
[ -r "$SCST_RESULTS/env" ] && . "$SCST_RESULTS/env"

RUNTIME=${SCST_BENCH_RUNTIME:-20}
WARMUP=${SCST_BENCH_WARMUP:-3}
ROUNDS=${SCST_BENCH_ROUNDS:-2}
SETS=${SCST_BENCH_SETS:-local iscsi}
JOBS="randread4k seqread1m seqwrite1m"
out=$SCST_RESULTS/bench
mkdir -p "$out"

say() { echo "bench: $*" >&2; }

# disk_of_driver PROC_NAME: /dev/sdX of the first disk on a SCSI host of that
# driver (scst_local, tcm_loopback, scsi_debug); waits for it.
disk_of_driver() {
	local tries=300 d h b
	while [ "$tries" -gt 0 ]; do
		for d in /sys/class/scsi_device/*; do
			h=$(basename "$d" | cut -d: -f1)
			[ "$(cat "/sys/class/scsi_host/host$h/proc_name" 2>/dev/null)" = "$1" ] || continue
			for b in "$d"/device/block/*; do
				[ -e "$b" ] || continue
				echo "/dev/$(basename "$b")"
				return 0
			done
		done
		sleep 0.1
		tries=$((tries - 1))
	done
	say "no disk of $1 appeared"
	return 1
}

# lio_start: LIO's core and configfs, and what targetcli-fb needs to run.
lio_start() {
	local db
	modprobe -a target_core_mod "$@" || return 1
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	if [ ! -S /run/dbus/system_bus_socket ]; then
		mkdir -p /run/dbus
		# Its output must not keep a caller's $(...) waiting.
		dbus-daemon --system --fork </dev/null >/dev/null 2>&1 || return 1
	fi
	db=$(cat /sys/kernel/config/target/dbroot) || return 1
	mkdir -p "$db/pr" "$db/alua"
	targetcli set global auto_add_default_portal=false auto_save_on_exit=false \
		>>"$out/targetcli.log" 2>&1
}

# targetcli_run COMMAND...: targetcli commands, one per argument.
targetcli_run() {
	local c
	for c in "$@"; do
		# shellcheck disable=SC2086
		targetcli $c >>"$out/targetcli.log" 2>&1 ||
			{ say "targetcli $c failed"; tail -n 5 "$out/targetcli.log" >&2; return 1; }
	done
}

setup_scst() {
	kmod_load scst
	kmod_load scst_vdisk
	kmod_load scst_local
	proc_cmd vdisk/vdisk "open null0 none 512 NULLIO size=1073741824"
	proc_cmd groups/Default/devices "add null0 0"
	proc_cmd scst_local/scst_local "add_session iqn.2026-11.bench:scst"
	disk_of_driver scst_local
}

setup_tcm_loop() {
	lio_start tcm_loop &&
	targetcli_run "/backstores/ramdisk create name=null0 size=1G nullio=true" \
		"/loopback create naa.5001405000000001" \
		"/loopback/naa.5001405000000001/luns create /backstores/ramdisk/null0" &&
	disk_of_driver tcm_loopback
}

setup_sdebug() {
	modprobe scsi_debug dev_size_mb=256 delay=0 submit_queues=2 &&
	disk_of_driver scsi_debug
}

ctxt() {
	awk '$1 == "ctxt" { print $2 }' /proc/stat
}

# fio_job NAME DEV [SECONDS]: run one job; prints the fio JSON.
fio_job() {
	local args=(--name="$1" --filename="$2" --ioengine=libaio --direct=1
		--time_based --runtime="${3:-$RUNTIME}" --numjobs=1 --group_reporting
		--output-format=json)
	case $1 in
	randread4k) args+=(--rw=randread --bs=4k --iodepth=32 --size=256M) ;;
	seqread1m) args+=(--rw=read --bs=1M --iodepth=8 --size=256M) ;;
	seqwrite1m) args+=(--rw=write --bs=1M --iodepth=8 --size=256M) ;;
	esac
	fio "${args[@]}"
}

# fio_sums JSON: "IOPS MiB/s IOS" of the (only) job, reads and writes
# added: the keys "iops", "bw_bytes" and "total_ios" right inside its
# "read" and "write" objects (fio prints one key per line).
fio_sums() {
	awk '
	function n(s) { sub(/^[^:]*: */, "", s); sub(/,$/, "", s); return s + 0 }
	{
		if (sec == 0 && $0 ~ /^ *"(read|write)" : \{/)
			sec = depth + 1
		else if (sec && depth == sec) {
			if ($0 ~ /^ *"iops" : /) iops += n($0)
			else if ($0 ~ /^ *"bw_bytes" : /) bw += n($0)
			else if ($0 ~ /^ *"total_ios" : /) ios += n($0)
		}
		o = gsub(/\{/, "{"); c = gsub(/\}/, "}")
		depth += o - c
		if (sec && depth < sec) sec = 0
	}
	END { printf "%.0f %.1f %d\n", iops, bw / 1048576, ios }' "$1"
}

# measure DEVNAME DEV JOB ROUND: a warm-up run (its numbers are dropped, so
# the measured run needs no ramp_time and every context switch counted in
# /proc/stat belongs to a counted I/O), then the measured run; appends
# "DEVNAME JOB ROUND IOPS MiB/s CTXSW/IO" to raw.txt.
measure() {
	local name=$1 dev=$2 job=$3 round=$4 c0 c1 json=$out/$1-$3-r$4.json iops mibs ios
	fio_job "$job" "$dev" "$WARMUP" >/dev/null || return 1
	c0=$(ctxt)
	fio_job "$job" "$dev" >"$json" || return 1
	c1=$(ctxt)
	read -r iops mibs ios <<<"$(fio_sums "$json")"
	[ "${ios:-0}" -gt 0 ] || { say "$name $job: no I/O in $json"; return 1; }
	echo "$name $job $round $iops $mibs $(awk -v c=$((c1 - c0)) -v n="$ios" \
		'BEGIN { printf "%.2f", c / n }')" >>"$out/raw.txt"
	say "$(tail -n 1 "$out/raw.txt")"
}

declare -A dev

# setup NAME FUNCTION: make a disk with FUNCTION (in a subshell: the
# helpers of tests/lib.sh exit on failure), which prints its /dev node last.
setup() {
	local d
	if d=$("$2") && d=${d##*$'\n'} && [ -b "$d" ]; then
		dev[$1]=$d
	else
		dev[$1]=
		say "$1: setup failed, left out"
	fi
}

# table DEVICES PAIRS: the means of the rounds per device and job, and the
# ratios A/B for each pair "A:B"; then the spread between rounds.
table() {
	awk -v devs="$1" -v pairs="$2" '
	function label(d) {
		if (d in short) return short[d]
		sub(/_iscsi$/, "", d)
		return d
	}
	function mean(d, j, k) { return cnt[d, j] ? sum[d, j, k] / cnt[d, j] : "" }
	function fmt(v, f) { return v == "" ? "n/a" : sprintf(f, v) }
	function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "n/a" : sprintf("%.2f", a / b) }
	BEGIN {
		short["tcm_loop"] = "tcm"; short["sdebug"] = "sdbg"
		idx["randread4k"] = 1; idx["seqread1m"] = 2; idx["seqwrite1m"] = 3
		nd = split(devs, dv, " "); np = split(pairs, pr, " ")
		nj = split("randread4k seqread1m seqwrite1m", jb, " ")
		split("IOPS MiB/s MiB/s", unit, " "); split("1 2 2", key, " ")
		split("%.0f %.1f %.1f", form, " ")
	}
	{
		sum[$1, $2, 1] += $4; sum[$1, $2, 2] += $5; sum[$1, $2, 3] += $6; cnt[$1, $2]++
		if (!(($1, $2) in lo) || $(key[idx[$2]] + 3) < lo[$1, $2]) lo[$1, $2] = $(key[idx[$2]] + 3)
		if (!(($1, $2) in hi) || $(key[idx[$2]] + 3) > hi[$1, $2]) hi[$1, $2] = $(key[idx[$2]] + 3)
	}
	END {
		printf "\n%-22s", "job (metric)"
		for (i = 1; i <= nd; i++) printf " %10s", dv[i]
		for (i = 1; i <= np; i++) {
			split(pr[i], ab, ":")
			printf " %10s", label(ab[1]) "/" label(ab[2])
		}
		printf "\n"
		for (m = 0; m < 2; m++)
			for (j = 1; j <= nj; j++) {
				k = m ? 3 : key[j]
				printf "%-22s", jb[j] " (" (m ? "ctxsw/IO" : unit[j]) ")"
				for (i = 1; i <= nd; i++)
					printf " %10s", fmt(mean(dv[i], jb[j], k), m ? "%.2f" : form[j])
				for (i = 1; i <= np; i++) {
					split(pr[i], ab, ":")
					printf " %10s", ratio(mean(ab[1], jb[j], k), mean(ab[2], jb[j], k))
				}
				printf "\n"
			}
		printf "\nSpread between rounds (max/min of the main metric):\n"
		for (j = 1; j <= nj; j++)
			for (i = 1; i <= nd; i++)
				if (cnt[dv[i], jb[j]] > 1 && lo[dv[i], jb[j]] > 0)
					printf "  %-10s %-11s %.2f\n", dv[i], jb[j],
						hi[dv[i], jb[j]] / lo[dv[i], jb[j]]
	}' "$out/raw.txt"
}

# run_set TITLE PAIRS DEVICES...: the fio jobs on the devices that have a
# disk, ROUNDS times, the order of the devices reversed every round so that
# drift (the host's other load, caches warming) favours none of them; then
# the table.
run_set() {
	local title=$1 pairs=$2 d r job order
	shift 2
	echo
	echo "== $title"
	for d in "$@"; do
		echo "$d: ${dev[$d]:-none} ($(lsscsi | grep -F "${dev[$d]:-none}" | tr -s ' '))"
		# The guest's default (mq-deadline) would add its own cost to each.
		[ -z "${dev[$d]:-}" ] || echo none >"/sys/block/$(basename "${dev[$d]}")/queue/scheduler"
	done
	order="$*"
	for r in $(seq 1 "$ROUNDS"); do
		for job in $JOBS; do
			for d in $order; do
				[ -n "${dev[$d]:-}" ] || continue
				measure "$d" "${dev[$d]}" "$job" "$r" || say "$d $job round $r failed"
			done
		done
		order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
	done
	table "$*" "$pairs"
}

: >"$out/raw.txt"
: >"$out/table.txt"
echo "== SCST benchmark in a $(uname -r) guest, $(nproc) vCPUs, $(date -u '+%F %T') UTC"
echo "fio $(fio --version), libaio, direct=1, ${RUNTIME} s per job after a ${WARMUP} s warm-up, $ROUNDS rounds; sets: $SETS"
modprobe -a scsi_mod sd_mod sg 2>/dev/null

for bset in $SETS; do
	case $bset in
	local)
		setup scst setup_scst
		setup tcm_loop setup_tcm_loop
		setup sdebug setup_sdebug
		run_set "local SCSI disks" "scst:tcm_loop scst:sdebug" scst tcm_loop sdebug |
			tee -a "$out/table.txt"
		;;
	iscsi)
		. "$SCST_REPO/tests/bench/bench_iscsi.sh"
		iscsi_bench_setup
		run_set "iSCSI over 127.0.0.1 (open-iscsi)" \
			"scst_iscsi:lio_iscsi scst_iscsi:tgt_iscsi lio_iscsi:tgt_iscsi" \
			scst_iscsi lio_iscsi tgt_iscsi | tee -a "$out/table.txt"
		iscsi_bench_cleanup
		;;
	*) say "unknown set $bset (SCST_BENCH_SETS: local, iscsi)" ;;
	esac
done

echo
echo "Raw results (device job round IOPS MiB/s ctxsw/IO):"
cat "$out/raw.txt"
