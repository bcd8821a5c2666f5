package fat32

import (
	"fmt"
	"io"
)

// Device is what a FAT32 volume lives on: a disk or a partition of one. It
// reads and writes whole 512-byte sectors at sector-aligned offsets, as the
// SDHCI and virtio-blk drivers do.
type Device interface {
	io.ReaderAt
	io.WriterAt
}

// SectorSize is the disk sector size every Device works in.
const SectorSize = 512

// disk does byte-granular I/O over a Device: aligned transfers go straight
// through, unaligned edges are read, modified and written back.
type disk struct{ dev Device }

// readAt fills p from byte offset off.
func (d disk) readAt(p []byte, off int64) error {
	if off%SectorSize == 0 && len(p)%SectorSize == 0 {
		return full(d.dev.ReadAt(p, off))
	}
	start := off &^ (SectorSize - 1)
	end := (off + int64(len(p)) + SectorSize - 1) &^ (SectorSize - 1)
	buf := make([]byte, end-start)
	if err := full(d.dev.ReadAt(buf, start)); err != nil {
		return err
	}
	copy(p, buf[off-start:])
	return nil
}

// writeAt writes p at byte offset off.
func (d disk) writeAt(p []byte, off int64) error {
	if off%SectorSize == 0 && len(p)%SectorSize == 0 {
		return full(d.dev.WriteAt(p, off))
	}
	start := off &^ (SectorSize - 1)
	end := (off + int64(len(p)) + SectorSize - 1) &^ (SectorSize - 1)
	buf := make([]byte, end-start)
	if off != start {
		if err := full(d.dev.ReadAt(buf[:SectorSize], start)); err != nil {
			return err
		}
	}
	if tail := off + int64(len(p)); tail != end && (end-start > SectorSize || off == start) {
		if err := full(d.dev.ReadAt(buf[len(buf)-SectorSize:], end-SectorSize)); err != nil {
			return err
		}
	}
	copy(buf[off-start:], p)
	return full(d.dev.WriteAt(buf, start))
}

// full turns a short transfer into an error, and io.EOF after a full one
// into success.
func full(n int, err error) error {
	if err != nil && err != io.EOF {
		return fmt.Errorf("fat32: disk: %w", err)
	}
	return nil
}

// Slice is a window of a Device: a partition. Its offsets start at the
// partition's first byte, and transfers past its end fail.
type Slice struct {
	dev       Device
	off, size int64
}

// NewSlice returns the size bytes of dev from byte off.
func NewSlice(dev Device, off, size int64) *Slice { return &Slice{dev, off, size} }

// Size returns the slice's length in bytes.
func (s *Slice) Size() int64 { return s.size }

func (s *Slice) check(n int, off int64) error {
	if off < 0 || off+int64(n) > s.size {
		return fmt.Errorf("fat32: %d bytes at %d: beyond the %d-byte partition", n, off, s.size)
	}
	return nil
}

// ReadAt reads within the partition.
func (s *Slice) ReadAt(p []byte, off int64) (int, error) {
	if err := s.check(len(p), off); err != nil {
		return 0, err
	}
	return s.dev.ReadAt(p, s.off+off)
}

// WriteAt writes within the partition.
func (s *Slice) WriteAt(p []byte, off int64) (int, error) {
	if err := s.check(len(p), off); err != nil {
		return 0, err
	}
	return s.dev.WriteAt(p, s.off+off)
}
