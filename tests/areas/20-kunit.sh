# Area "kunit": SCST's KUnit suites (pure logic) pass in the debug kernel.

test_kunit_suites_pass() {
	local ko suites=0 s r
	[ -d /sys/kernel/debug/kunit ] || skip "kernel without KUnit (stock lane)"
	ls "$SCST_MODDIR"/*_kunit.ko >/dev/null 2>&1 || fail "no KUnit modules were built"
	scst_load
	for ko in "$SCST_MODDIR"/*_kunit.ko; do
		insmod "$ko" || fail "insmod $(basename "$ko") failed"
	done
	for s in /sys/kernel/debug/kunit/scst_*; do
		[ -f "$s/results" ] || continue
		suites=$((suites + 1))
		r=$(cat "$s/results")
		echo "note: suite $(basename "$s"): $(grep -cE '^ +ok ' <<<"$r") cases passed"
		assert_no_match '^ *not ok' "$r" "KUnit results of $(basename "$s")"
		assert_match '^ok [0-9]+ ' "$r" "KUnit verdict of $(basename "$s")"
	done
	[ "$suites" -gt 0 ] || fail "no SCST KUnit suite reported results"
	for ko in "$SCST_MODDIR"/*_kunit.ko; do
		rmmod "$(basename "$ko" .ko)"
	done
}
