package vfs

import (
	"io"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// BlockDevice is a disk as the block drivers offer it (the SD card,
// virtio-blk) or a partition of one: it reads and writes whole 512-byte
// sectors at sector-aligned offsets.
type BlockDevice interface {
	io.ReaderAt
	io.WriterAt
	Size() int64
}

// sector is the unit of block device transfers.
const sector = 512

// AddBlockDevice makes a block device file (/dev/mmcblk0p1). Its reads
// may start and end anywhere; writes must be whole sectors (as with
// O_DIRECT on Linux), since a partial one would need the kernel to read
// first and that is for the file system to do.
func (fs *FS) AddBlockDevice(path string, rdev uint64, dev BlockDevice) error {
	n, err := fs.Create(nil, path, linux.S_IFBLK|0o660)
	if err == nil {
		n.Block, n.Rdev = dev, rdev
	}
	return err
}

// blockRead reads from byte off through a sector-aligned buffer.
func blockRead(dev BlockDevice, p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, linux.EINVAL
	}
	if off >= dev.Size() {
		return 0, nil
	}
	p = p[:min(int64(len(p)), dev.Size()-off)]
	start := off &^ (sector - 1)
	end := (off + int64(len(p)) + sector - 1) &^ (sector - 1)
	buf := make([]byte, end-start)
	if _, err := dev.ReadAt(buf, start); err != nil {
		return 0, linux.EIO
	}
	return copy(p, buf[off-start:]), nil
}

// blockWrite writes whole sectors at a sector-aligned offset.
func blockWrite(dev BlockDevice, p []byte, off int64) (int, error) {
	if off < 0 || off%sector != 0 || len(p)%sector != 0 {
		return 0, linux.EINVAL
	}
	if off >= dev.Size() {
		return 0, linux.ENOSPC
	}
	p = p[:min(int64(len(p)), dev.Size()-off)]
	if _, err := dev.WriteAt(p, off); err != nil {
		return 0, linux.EIO
	}
	return len(p), nil
}
