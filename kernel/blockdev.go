package main

import (
	"fmt"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/kernel/fat32"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Block device numbers, as Linux assigns them: MMC block devices are
// major 179, partitions minor 1 to 4 after the disk's 0; virtio-blk gets a
// dynamic major, 254 on a typical system.
const (
	majorMMC    = 179
	majorVirtio = 254
)

// addBlockDevices puts the bound block devices under /dev as Linux names
// them, with their MBR partitions: the SD card is /dev/mmcblk0 and its
// first partition /dev/mmcblk0p1; a virtio disk is /dev/vda and /dev/vda1.
// mount(2) takes these as the source of a vfat mount.
func addBlockDevices(fs *vfs.FS) {
	if devices == nil {
		return
	}
	mmc, vd := 0, 0
	for _, d := range devices.Devices {
		disk, ok := d.Driver.(vfs.BlockDevice)
		if d.State != drivers.Bound || !ok {
			continue
		}
		var name, sep string
		var rdev uint64
		switch d.Binding.Name {
		case "sdhci":
			name, sep, rdev = fmt.Sprintf("mmcblk%d", mmc), "p", majorMMC<<8|uint64(mmc*8)
			mmc++
		case "virtio":
			name, rdev = "vd"+string(rune('a'+vd)), majorVirtio<<8|uint64(vd*16)
			vd++
		default:
			continue
		}
		if err := fs.AddBlockDevice("/dev/"+name, rdev, disk); err != nil {
			fmt.Printf("userland: /dev/%s: %v\n", name, err)
			continue
		}
		parts, err := fat32.ReadMBR(disk)
		if err != nil {
			continue // no partition table: the file system (if any) is the whole disk
		}
		for _, p := range parts {
			path := fmt.Sprintf("/dev/%s%s%d", name, sep, p.Number)
			if p.Start+p.Size > disk.Size() {
				fmt.Printf("userland: %s: partition ends past the %d-byte disk; left out\n", path, disk.Size())
				continue
			}
			if err := fs.AddBlockDevice(path, rdev+uint64(p.Number), fat32.NewSlice(disk, p.Start, p.Size)); err != nil {
				fmt.Printf("userland: %s: %v\n", path, err)
			}
		}
	}
}
