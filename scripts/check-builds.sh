#!/bin/sh
# Build the modules against every installed kernel's headers with W=1,
# -Werror and sparse (C=2); fail on any warning.  Bookworm: 6.1 and 6.12.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=0
for kdir in $(ls -d /lib/modules/*/build 2>/dev/null | sort -V); do
	[ -f "$kdir/Makefile" ] || continue
	kver=$(basename "$(dirname "$kdir")")
	echo "check-builds: $kver"
	make -C "$top" -s clean KDIR="$kdir" >/dev/null 2>&1 || true
	log=$top/.build/check-$kver.log
	mkdir -p "$top/.build"
	if ! make -C "$top" KDIR="$kdir" C=2 KCFLAGS=-Werror >"$log" 2>&1; then
		cat "$log"
		echo "check-builds: $kver FAILED" >&2
		exit 1
	fi
	# sparse and W=1 report through warnings; kbuild lines start with two blanks.
	if grep -E 'warning:|error:' "$log"; then
		echo "check-builds: $kver has warnings" >&2
		exit 1
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "check-builds: no kernel headers installed" >&2; exit 1; }
echo "check-builds: $n kernels, no warnings"
