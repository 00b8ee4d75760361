#!/bin/bash
# make bench, guest side: the same fio jobs against three local SCSI disks
# that do no real I/O, in one guest run:
#   scst      scst_local + a NULLIO vdisk (our target's overhead)
#   tcm_loop  LIO's loopback fabric + a ramdisk with nullio=true
#   sdebug    scsi_debug with delay=0 (no target layer at all: the floor)
# Under TCG absolute numbers mean little; the ratios within a run count.
# Writes the raw fio JSON and the table to $SCST_RESULTS/bench/.
set -u
. "$SCST_REPO/tests/lib.sh"
SCST_TEST_NUM=0

RUNTIME=${SCST_BENCH_RUNTIME:-20}
WARMUP=${SCST_BENCH_WARMUP:-3}
ROUNDS=${SCST_BENCH_ROUNDS:-2}
DEVICES="scst tcm_loop sdebug"
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

setup_scst() {
	kmod_load scst
	kmod_load scst_vdisk
	kmod_load scst_local
	proc_cmd vdisk/vdisk "open null0 none 512 NULLIO size=1073741824"
	proc_cmd groups/Default/devices "add null0 0"
	proc_cmd scst_local/scst_local "add_session iqn.2026-11.bench:scst"
}

setup_tcm_loop() {
	local db
	modprobe -a target_core_mod tcm_loop || return 1
	mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
	mkdir -p /run/dbus
	dbus-daemon --system --fork || return 1
	db=$(cat /sys/kernel/config/target/dbroot) || return 1
	mkdir -p "$db/pr" "$db/alua"
	{
		targetcli set global auto_add_default_portal=false auto_save_on_exit=false &&
		targetcli /backstores/ramdisk create name=null0 size=1G nullio=true &&
		targetcli /loopback create naa.5001405000000001 &&
		targetcli /loopback/naa.5001405000000001/luns create /backstores/ramdisk/null0
	} >"$out/targetcli.log" 2>&1 || { cat "$out/targetcli.log" >&2; return 1; }
}

setup_sdebug() {
	modprobe scsi_debug dev_size_mb=256 delay=0 submit_queues=2
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

# measure DEVNAME DEV JOB ROUND: a warm-up run (its numbers are dropped, so
# the measured run needs no ramp_time and every context switch counted in
# /proc/stat belongs to a counted I/O), then the measured run.
measure() {
	local name=$1 dev=$2 job=$3 round=$4 c0 c1 json=$out/$1-$3-r$4.json
	fio_job "$job" "$dev" "$WARMUP" >/dev/null || return 1
	c0=$(ctxt)
	fio_job "$job" "$dev" >"$json" || return 1
	c1=$(ctxt)
	python3 - "$json" "$((c1 - c0))" "$name" "$job" "$round" <<'PY' >>"$out/raw.txt"
import json, sys
j = json.load(open(sys.argv[1]))["jobs"][0]
ios = j["read"]["total_ios"] + j["write"]["total_ios"]
iops = j["read"]["iops"] + j["write"]["iops"]
mibs = (j["read"]["bw_bytes"] + j["write"]["bw_bytes"]) / 1048576.0
print(sys.argv[3], sys.argv[4], sys.argv[5], "%.0f" % iops, "%.1f" % mibs,
      "%.2f" % (int(sys.argv[2]) / max(ios, 1)))
PY
	say "$(tail -n 1 "$out/raw.txt")"
}

: >"$out/raw.txt"
echo "== SCST benchmark in a $(uname -r) guest, $(nproc) vCPUs, $(date -u '+%F %T') UTC"
echo "fio $(fio --version), libaio, direct=1, ${RUNTIME} s per job after a ${WARMUP} s warm-up, $ROUNDS rounds"
modprobe -a scsi_mod sd_mod sg 2>/dev/null
declare -A dev
# setup NAME FUNCTION DRIVER: make the device, remember its /dev node.
setup() {
	if "$2"; then
		dev[$1]=$(disk_of_driver "$3") || dev[$1]=
	else
		say "$1: setup failed"
	fi
}
setup scst setup_scst scst_local
setup tcm_loop setup_tcm_loop tcm_loopback
setup sdebug setup_sdebug scsi_debug
for d in $DEVICES; do
	echo "$d: ${dev[$d]:-none} ($(lsscsi | grep -F "${dev[$d]:-none}" | tr -s ' '))"
	# The guest's default (mq-deadline) would add its own cost to each.
	[ -n "${dev[$d]:-}" ] && echo none >"/sys/block/$(basename "${dev[$d]}")/queue/scheduler"
done

# Alternate the order of the devices between rounds so drift (the host's
# other load, caches warming) does not favour one of them.
order=$DEVICES
for r in $(seq 1 "$ROUNDS"); do
	for job in $JOBS; do
		for d in $order; do
			[ -n "${dev[$d]:-}" ] || continue
			measure "$d" "${dev[$d]}" "$job" "$r" || say "$d $job round $r failed"
		done
	done
	order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' ')
done

# The table: per device and job the mean of the rounds, and the ratios.
python3 - "$out/raw.txt" <<'PY' | tee "$out/table.txt"
import collections, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    d, job, r, iops, mibs, cpi = line.split()
    rows[(d, job)].append((float(iops), float(mibs), float(cpi)))
def mean(d, job, k):
    v = rows.get((d, job))
    return sum(x[k] for x in v) / len(v) if v else None
def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "n/a"
def fmt(v, f):
    return f % v if v is not None else "n/a"
jobs = [("randread4k", 0, "IOPS", "%.0f"), ("seqread1m", 1, "MiB/s", "%.1f"),
        ("seqwrite1m", 1, "MiB/s", "%.1f")]
print()
print("%-22s %10s %10s %10s %10s %10s" % ("job (metric)", "scst", "tcm_loop", "sdebug",
      "scst/tcm", "scst/sdbg"))
for job, k, unit, f in jobs:
    s, t, q = (mean(d, job, k) for d in ("scst", "tcm_loop", "sdebug"))
    print("%-22s %10s %10s %10s %10s %10s" % ("%s (%s)" % (job, unit), fmt(s, f),
          fmt(t, f), fmt(q, f), ratio(s, t), ratio(s, q)))
for job, k, unit, f in jobs:
    s, t, q = (mean(d, job, 2) for d in ("scst", "tcm_loop", "sdebug"))
    print("%-22s %10s %10s %10s %10s %10s" % ("%s (ctxsw/IO)" % job, fmt(s, "%.2f"),
          fmt(t, "%.2f"), fmt(q, "%.2f"), ratio(s, t), ratio(s, q)))
print()
print("Spread between rounds (max/min of the main metric):")
for job, k, unit, f in jobs:
    for d in ("scst", "tcm_loop", "sdebug"):
        v = [x[k] for x in rows.get((d, job), [])]
        if len(v) > 1 and min(v) > 0:
            print("  %-10s %-11s %.2f" % (d, job, max(v) / min(v)))
PY

echo
echo "Raw results (device job round IOPS MiB/s ctxsw/IO):"
cat "$out/raw.txt"
