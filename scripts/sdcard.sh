#!/usr/bin/env bash
# sdcard.sh OUT BUILD: writes a bootable Raspberry Pi 4 SD-card image: an MBR
# with one FAT32 partition (type 0x0C) starting at 1 MiB, holding the GPU
# firmware, config.txt, the device tree, the disable-bt overlay,
# kernel8.img and the initramfs. Write it with:
#   dd if=build/sdcard.img of=/dev/sdX bs=4M
set -euo pipefail
out=$1
build=$2
top=$(cd "$(dirname "$0")/.." && pwd)
size_mib=64
start=2048                              # first sector of the partition (1 MiB)
sectors=$(( size_mib * 2048 - start ))  # 512-byte sectors in the partition

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
img="$tmp/sdcard.img"
truncate -s ${size_mib}M "$img"

# le32 prints a number as four little-endian bytes, as printf escapes.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# Partition entry 1 at byte 446: not bootable, CHS fields unused (0xfe 0xff
# 0xff means "use LBA"), type 0x0c (FAT32 LBA), LBA start, sector count.
entry="\\x00\\xfe\\xff\\xff\\x0c\\xfe\\xff\\xff$(le32 $start)$(le32 $sectors)"
printf "$entry" | dd of="$img" bs=1 seek=446 conv=notrunc status=none
printf '\x55\xaa' | dd of="$img" bs=1 seek=510 conv=notrunc status=none

mkfs.vfat -F 32 -n BURROW --offset $start "$img" $((sectors / 2)) >/dev/null
part="$img@@$((start * 512))"
dtc -q -I dts -O dtb -o "$tmp/disable-bt.dtbo" "$top/boot/disable-bt-overlay.dts"
mmd -i "$part" ::overlays
mcopy -i "$part" "$build/deps/firmware/start4.elf" "$build/deps/firmware/fixup4.dat" \
	"$top/boot/config.txt" "$build/bcm2711-rpi-4-b.dtb" "$build/kernel8.img" "$build/initramfs.cpio" ::
mcopy -i "$part" "$tmp/disable-bt.dtbo" ::overlays/
mv "$img" "$out"
