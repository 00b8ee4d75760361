#!/bin/bash
# Guest side test runner: runs every test function of tests/areas/*.sh in
# file order, each in its own bash process under a time limit, checks the
# kernel log after each one, and writes TAP to $SCST_RESULTS/tap.
set -u
. "$SCST_REPO/tests/lib.sh"

tap=$SCST_RESULTS/tap
test_timeout=${SCST_TEST_TIMEOUT:-900}
n=0
: >"$tap"
: >"$SCST_RESULTS/times"

emit() {
	printf '%s\n' "$@" | tee -a "$tap"
}

# A test's output, and the log reports it caused, as TAP diagnostics.
diagnose() {
	sed 's/^/#   /' "$1" | tail -n 60 | tee -a "$tap"
}

# run_one AREA FILE FUNCTION
run_one() {
	local area=$1 file=$2 fn=$3 name=$1/$3 outf rc=0 problems reason t0
	n=$((n + 1))
	t0=$(date +%s)
	outf=/tmp/scst-test-$n.out
	klog_mark "begin $n $name"
	SCST_TEST_NUM=$n timeout -k 10 "$test_timeout" bash -c \
		'set -eu -o pipefail; . "$1"; . "$2"; "$3"' _ \
		"$SCST_REPO/tests/lib.sh" "$file" "$fn" >"$outf" 2>&1 || rc=$?
	klog_mark "end $n"
	# Durations keep the lanes inside CI's time budget visible.
	echo "$(($(date +%s) - t0)) $name" >>"$SCST_RESULTS/times"
	problems=$(klog_problems "$n")
	if [ -n "$problems" ]; then
		emit "not ok $n - $name # kernel log reports"
		printf '%s\n' "$problems" | head -n 40 >>"$outf"
		diagnose "$outf"
	elif [ "$rc" -eq 0 ]; then
		emit "ok $n - $name"
		# A passing test reports what it measured on lines "note: ...".
		sed -n 's/^note: /#   /p' "$outf" | tee -a "$tap"
	elif [ "$rc" -eq 77 ]; then
		reason=$(sed -n 's/^SKIP: //p' "$outf" | tail -n 1)
		emit "ok $n - $name # SKIP ${reason:-no reason given}"
	else
		[ "$rc" -eq 124 ] && echo "timed out after $test_timeout s" >>"$outf"
		# What the kernel said just before, for the diagnosis.
		{ echo "kernel log (last lines of the test):"
		  klog_window "$n" | tail -n 20; } >>"$outf"
		emit "not ok $n - $name # exit status $rc"
		diagnose "$outf"
	fi
	[ "$rc" -eq 0 ]
}

# Forget what kmemleak found during boot: only what the tests leak counts.
if kmemleak_available; then
	kmemleak_scan >/dev/null
fi

emit "# lane $SCST_LANE, kernel $(uname -r)"
for file in "$SCST_REPO"/tests/areas/[0-9]*.sh; do
	area=$(basename "$file" .sh)
	area=${area#[0-9][0-9]-}
	selected=""
	for fn in $(grep -oE '^test_[A-Za-z0-9_]+\(\)' "$file" | tr -d '()'); do
		# shellcheck disable=SC2053
		[[ "$area/$fn" == $SCST_FILTER ]] && selected="$selected $fn"
	done
	[ -n "$selected" ] || continue
	# Optional per-area hooks run around the selected tests, as tests.
	fns=$selected
	grep -q '^area_setup()' "$file" && fns="area_setup $fns"
	grep -q '^area_teardown()' "$file" && fns="$fns area_teardown"
	setup_ok=1
	for fn in $fns; do
		if [ "$fn" != area_teardown ] && [ "$setup_ok" -eq 0 ]; then
			n=$((n + 1))
			emit "not ok $n - $area/$fn # area_setup failed"
			continue
		fi
		run_one "$area" "$file" "$fn" || { [ "$fn" = area_setup ] && setup_ok=0; }
	done
done
emit "1..$n"
# Every test reads the whole log: its size drives the lane's time.
emit "# kernel log at the end: $(dmesg | wc -c) bytes"
touch "$SCST_RESULTS/done"
