package proc

import (
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/fat32"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Mounting and syncing file systems: mount(2) of FAT32 volumes, umount2,
// sync and fsync. statfs is in sys_statfs.go.

// sysMount mounts a FAT32 volume (fstype "vfat") from a block device file
// such as /dev/mmcblk0p1 on a directory, and accepts the file systems
// Burrow always has mounted: procfs at /proc, devfs at /dev, and the
// ramfs (tmpfs) anywhere.
func sysMount(t *Thread, a args) (uint64, error) {
	fstype, err := t.path(a[2])
	if err != nil {
		return 0, err
	}
	target, _, err := t.lookupAt(fdcwd, a[1], true)
	if err != nil {
		return 0, err
	}
	if !target.IsDir() {
		return 0, linux.ENOTDIR
	}
	switch fstype {
	case "proc", "devtmpfs", "tmpfs", "ramfs":
		return 0, nil
	case "vfat":
		return 0, t.mountVFAT(a[0], target)
	}
	return 0, linux.ENODEV
}

// mountVFAT mounts the FAT32 volume on the block device named at srcAddr.
// Writes to it are write-through (kernel/fat32), so nothing waits for
// sync(2) or umount.
func (t *Thread) mountVFAT(srcAddr uint64, target *vfs.Inode) error {
	src, source, err := t.lookupAt(fdcwd, srcAddr, true)
	if err != nil {
		return err
	}
	if src.Mode&linux.S_IFMT != linux.S_IFBLK || src.Block == nil {
		return linux.ENOTBLK
	}
	vol, err := fat32.Mount(src.Block)
	if err != nil {
		t.p.k.cfg.Log("mount: %v", err)
		return linux.EINVAL // what Linux says for a device without that file system
	}
	return t.fs().MountVolumeFrom(source, t.fs().Path(target), "vfat", vol.Volume())
}

// sysUmount2 unmounts a volume mount(2) mounted (the flags are ignored:
// every unmount is lazy, open files keep working).
func sysUmount2(t *Thread, a args) (uint64, error) {
	target, _, err := t.lookupAt(fdcwd, a[0], true)
	if err != nil {
		return 0, err
	}
	return 0, t.fs().Unmount(t.fs().Path(target))
}

// sysSync writes out every mounted volume.
func sysSync(t *Thread, a args) (uint64, error) { return 0, t.fs().Sync() }

// sysFsync syncs the volumes, which covers the file's.
func sysFsync(t *Thread, a args) (uint64, error) {
	if _, err := t.p.fds.get(a[0]); err != nil {
		return 0, err
	}
	return 0, t.fs().Sync()
}
