#!/usr/bin/env bash
# setup.sh installs what building and testing Burrow needs, and does nothing
# when it is already there. It is the only install step: `make run`,
# `make test` and .ci/run all go through it.
#
#   scripts/setup.sh            tool chain, QEMU 10 and the BCM2711 DTB
#   scripts/setup.sh firmware   also the Pi firmware (for make sdcard)
#   scripts/setup.sh chromium   also headless Chromium (for the book test)
#   scripts/setup.sh linux      also Debian's arm64 Linux kernel (benchmarks)
#   scripts/setup.sh busybox    Debian's busybox-static for arm64 (fetched by
#                               default too: the initramfs and the user tests)
#
# Everything fetched lands in build/deps/, which `make clean` keeps.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
deps="$top/build/deps"
mkdir -p "$deps"

# What a non-Debian machine must provide, printed exactly.
manual() {
	cat >&2 <<'MSG'
Burrow's setup installs its tools with apt on Debian bookworm. This machine is
not Debian, so install these yourself, then run the command again:
  - aarch64-linux-gnu-gcc and binutils (GCC 12 or newer)
  - qemu-system-aarch64 version 10.0 or newer (it must list -machine raspi4b)
  - mtools and dosfstools (mcopy, mdir, mkfs.vfat)
  - build/deps/bcm2711-rpi-4-b.dtb, the BCM2711 device tree from any
    arm64 Linux kernel package (usr/lib/linux-image-*/broadcom/)
  - for make sdcard: start4.elf and fixup4.dat from the Raspberry Pi
    firmware, copied into build/deps/firmware/
MSG
	exit 1
}

[ -f /etc/debian_version ] || manual

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=0
apt_update() {
	[ $apt_updated -eq 1 ] && return
	$SUDO apt-get update -qq
	apt_updated=1
}
apt_install() {
	apt_update
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The sources Burrow needs beyond bookworm main: backports for QEMU 10, and
# non-free-firmware for the Pi firmware. apt refuses a source without a key.
sources=/etc/apt/sources.list.d/burrow.sources
if [ ! -f "$sources" ]; then
	$SUDO tee "$sources" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_updated=0
fi

# The cross compiler and image tools.
pkgs=()
command -v aarch64-linux-gnu-gcc >/dev/null || pkgs+=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu)
command -v mcopy >/dev/null || pkgs+=(mtools)
command -v mkfs.vfat >/dev/null || pkgs+=(dosfstools)
command -v tmux >/dev/null || pkgs+=(tmux)
command -v cpio >/dev/null || pkgs+=(cpio)
command -v qemu-aarch64 >/dev/null || pkgs+=(qemu-user) # the debugger's user-mode test
command -v gzip >/dev/null || pkgs+=(gzip)
[ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"

# QEMU 10 from bookworm-backports: bookworm's own 7.2 has no raspi4b.
qemu_ok() {
	command -v qemu-system-aarch64 >/dev/null &&
		qemu-system-aarch64 --version | grep -Eq 'version (1[0-9]|[2-9][0-9])\.'
}
if ! qemu_ok; then
	apt_update
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
		-t bookworm-backports qemu-system-arm >/dev/null
	qemu_ok || { echo "setup: qemu-system-aarch64 10.x did not install" >&2; exit 1; }
fi

# arm64 packages are fetched with apt-get download, never installed.
arm64_ready() {
	dpkg --print-foreign-architectures | grep -qx arm64 || {
		$SUDO dpkg --add-architecture arm64
		apt_updated=0
	}
	apt_update
}

# linux_pkg names the package linux-image-arm64:arm64 depends on today, for
# example linux-image-6.1.0-37-arm64; its name changes with every ABI bump.
linux_pkg() {
	apt-cache depends linux-image-arm64:arm64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {sub(":arm64","",$2); print $2; exit}'
}

# fetch_linux downloads that package once into build/deps/ and unpacks it.
fetch_linux() {
	[ -d "$deps/linux" ] && return
	arm64_ready
	local pkg
	pkg=$(linux_pkg)
	[ -n "$pkg" ] || { echo "setup: cannot resolve linux-image-arm64:arm64" >&2; exit 1; }
	(cd "$deps" && apt-get download -qq "$pkg:arm64")
	rm -rf "$deps/linux.tmp" && mkdir -p "$deps/linux.tmp"
	dpkg-deb -x "$deps"/"$pkg"_*_arm64.deb "$deps/linux.tmp"
	rm -f "$deps"/"$pkg"_*_arm64.deb
	mv "$deps/linux.tmp" "$deps/linux"
}

# The BCM2711 device tree QEMU's raspi4b needs with -dtb.
if [ ! -f "$deps/bcm2711-rpi-4-b.dtb" ]; then
	fetch_linux
	dtb=$(find "$deps/linux" -name bcm2711-rpi-4-b.dtb | head -1)
	[ -n "$dtb" ] || { echo "setup: no bcm2711-rpi-4-b.dtb in the Linux package" >&2; exit 1; }
	cp "$dtb" "$deps/bcm2711-rpi-4-b.dtb"
fi

# fetch_busybox downloads Debian's busybox-static for arm64 once: the
# initramfs's shell and applets (never committed, never installed).
fetch_busybox() {
	[ -f "$deps/busybox" ] && return
	arm64_ready
	rm -rf "$deps/bb.tmp" && mkdir -p "$deps/bb.tmp"
	(cd "$deps/bb.tmp" && apt-get download -qq busybox-static:arm64 2>/dev/null && dpkg-deb -x busybox-static_*.deb root)
	cp "$deps/bb.tmp/root/bin/busybox" "$deps/busybox"
	rm -rf "$deps/bb.tmp"
}
fetch_busybox

for extra in "$@"; do
	case "$extra" in
	firmware)
		# start4.elf and fixup4.dat for a bootable SD card.
		if [ ! -f "$deps/firmware/start4.elf" ]; then
			apt_update
			rm -rf "$deps/fw.tmp" && mkdir -p "$deps/fw.tmp"
			(cd "$deps/fw.tmp" && apt-get download -qq raspi-firmware && dpkg-deb -x raspi-firmware_*.deb root)
			mkdir -p "$deps/firmware"
			for f in start4.elf fixup4.dat; do
				src=$(find "$deps/fw.tmp/root" -name "$f" | head -1)
				[ -n "$src" ] || { echo "setup: raspi-firmware has no $f" >&2; exit 1; }
				cp "$src" "$deps/firmware/$f"
			done
			rm -rf "$deps/fw.tmp"
		fi
		command -v dtc >/dev/null || apt_install device-tree-compiler
		;;
	chromium)
		command -v chromium >/dev/null || apt_install chromium
		;;
	linux)
		fetch_linux
		;;
	busybox)
		fetch_busybox
		;;
	*)
		echo "setup: unknown extra '$extra' (firmware, chromium, linux, busybox)" >&2
		exit 2
		;;
	esac
done
