#!/bin/bash
# Build (once) the debug-lane kernel from Debian's linux-source-6.1 and print
# the directory that holds it.  The result is cached outside the repository,
# keyed by a hash of the config fragment, this script and the source version,
# so a second run is instant.
#
# Output directory layout:
#   bzImage            the kernel the debug lane boots
#   build/             the object tree (KDIR for SCST's modules)
#   mods/lib/modules/  its modules (scsi_debug, LIO, sd, sg, ...)
#   kver               the kernel release string
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${SCST_CACHE_DIR:-/var/cache/scst-tests}
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || { echo "build-debug-kernel: linux-source-6.1 not installed" >&2; exit 1; }
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)

# Bump when a change to this script changes the kernel it builds.
recipe=1
key=$( { cat "$here/debug.config"; echo "$recipe $srcver"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
out="$cache/debug-kernel-$key"

if [ -f "$out/done" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/debug-kernel.lock"
flock 9
if [ -f "$out/done" ]; then
	echo "$out"
	exit 0
fi

src="$cache/linux-source-$srcver"
if [ ! -f "$src/.unpacked" ]; then
	echo "build-debug-kernel: unpacking $tarball" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

# Built in place (an object tree records its own path); "done" marks success.
rm -rf "$out"
mkdir -p "$out/build"
obj="$out/build"
jobs=$(nproc)
start=$(date +%s)
echo "build-debug-kernel: configuring in $obj" >&2
make -s -C "$src" O="$obj" defconfig >&2
make -s -C "$src" O="$obj" kvm_guest.config >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$here/debug.config" >/dev/null
make -s -C "$src" O="$obj" olddefconfig >&2

# Refuse a config where merge silently dropped something the lane relies on.
for opt in KUNIT KASAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_KMEMLEAK DEBUG_OBJECTS \
	DEBUG_LIST UBSAN 9P_FS OVERLAY_FS SCSI MODULE_UNLOAD IKCONFIG_PROC INET_DIAG_DESTROY; do
	grep -q "^CONFIG_$opt=y" "$obj/.config" || {
		echo "build-debug-kernel: CONFIG_$opt did not stick" >&2
		exit 1
	}
done

echo "build-debug-kernel: building with $jobs jobs (about 20 minutes on 2 cores)" >&2
make -s -C "$src" O="$obj" -j"$jobs" bzImage modules >&2
make -s -C "$src" O="$obj" INSTALL_MOD_PATH="$out/mods" modules_install >&2
cp "$obj/arch/x86/boot/bzImage" "$out/bzImage"
make -s -C "$src" O="$obj" kernelrelease > "$out/kver"
echo "build-debug-kernel: built in $(( $(date +%s) - start )) s" >&2
touch "$out/done"
# Older builds (other configs) only take space.
for old in "$cache"/debug-kernel-*; do
	[ "$old" = "$out" ] || [ ! -d "$old" ] || rm -rf "$old"
done
echo "$out"
