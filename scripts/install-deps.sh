#!/bin/sh
# Install every Debian package that building and testing SCST needs.
# Idempotent: when everything is installed it does nothing (not even
# "apt-get update"), so `make demo` and `make test` call it every time.
set -eu

PKGS="build-essential bc bison flex libssl-dev libelf-dev cpio kmod xz-utils
zstd rsync python3 perl git
qemu-system-x86 busybox-static
linux-image-amd64 linux-headers-amd64 linux-source-6.1
sparse clang libclang-rt-14-dev
sg3-utils lsscsi libiscsi-bin open-iscsi mt-st mtx fio
e2fsprogs genisoimage iproute2 util-linux procps dmsetup
targetcli-fb tgt"

missing_pkgs() {
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			printf ' %s' "$p"
	done
	# Bookworm's 6.12 kernel headers (bookworm-security), for the 6.12 build check.
	ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1 || printf ' %s' "@6.12"
}

missing=$(missing_pkgs)
[ -n "$missing" ] || exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing:$missing; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
h612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{ print $1 }' | sort -V | tail -n 1)
[ -n "$h612" ] || { echo "install-deps: no 6.12 headers package in the archive" >&2; exit 1; }
missing=$(echo "$missing" | sed "s/@6\.12/$h612/")
echo "install-deps: installing:$missing"
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
missing=$(missing_pkgs)
[ -z "$missing" ] || { echo "install-deps: still missing:$missing" >&2; exit 1; }
echo "install-deps: all packages present"
