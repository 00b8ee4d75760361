#!/bin/sh
# Stage `make install` into a scratch directory and check that every module
# lands in /lib/modules/KVER/extra and that depmod indexed it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make -C "$top" -s install INSTALL_MOD_PATH="$stage" >"$stage.log" 2>&1 || {
	cat "$stage.log"
	rm -f "$stage.log"
	exit 1
}
rm -f "$stage.log"
n=0
for ko in $(find "$top" -name '*.ko' -not -path '*/tests/*' -not -path '*/.build/*'); do
	name=$(basename "$ko")
	found=$(find "$stage/lib/modules" -path '*/extra/*' -name "$name*" | head -n 1)
	[ -n "$found" ] || { echo "check-install: $name not installed under extra/" >&2; exit 1; }
	grep -q "extra/.*$name" "$stage"/lib/modules/*/modules.dep ||
		{ echo "check-install: depmod did not index $name" >&2; exit 1; }
	n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "check-install: nothing was built" >&2; exit 1; }
echo "check-install: $n modules install to extra/ and are indexed by depmod"
