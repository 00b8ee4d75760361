#!/bin/sh
# checkpatch.sh CACHE_DIR FILE...
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1, extracted
# once into CACHE_DIR) with --no-tree --strict on the given files.
set -eu
cache=$1
shift
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "checkpatch: install linux-source-6.1" >&2; exit 1; }
	top=$(tar -tf "$tarball" | head -n 1 | cut -d/ -f1)
	mkdir -p "$cache"
	tar -xf "$tarball" -C "$cache" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
fail=0
for f in "$@"; do
	"$cache/scripts/checkpatch.pl" --no-tree --strict --quiet --show-types \
		--ignore SPDX_LICENSE_TAG -f "$f" || fail=1
done
[ "$fail" -eq 0 ] && echo "checkpatch: $# files clean"
exit "$fail"
