#!/bin/sh
# Install every Debian package that building and testing SCST needs.
# Idempotent: safe to run again; only missing packages are fetched.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (apt-get)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

PKGS="build-essential bc bison flex libssl-dev libelf-dev cpio kmod xz-utils
zstd rsync python3 perl git
qemu-system-x86 busybox-static
linux-image-amd64 linux-headers-amd64 linux-source-6.1
sparse
sg3-utils lsscsi libiscsi-bin open-iscsi mt-st mtx fio
e2fsprogs genisoimage iproute2 util-linux procps
targetcli-fb tgt"

apt-get update -q
# The newest 6.12 headers of bookworm (from bookworm-security / backports).
H612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{print $1}' | sort -V | tail -n 1)
[ -n "$H612" ] || echo "install-deps: no 6.12 headers package found" >&2

missing=""
for p in $PKGS $H612; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

# linux-source ships as a tarball; the debug lane and checkpatch unpack it on demand.
ls /usr/src/linux-source-6.1.tar.* >/dev/null
echo "install-deps: all packages present"
