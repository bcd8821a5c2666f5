package fat32

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// FS is a mounted FAT32 volume.
//
// One mutex guards everything: the FAT cache, FSInfo, every Node and the
// disk itself, so each operation (a write, a create, a rename) runs alone
// from its first read to its last write.
type FS struct {
	mu   sync.Mutex
	disk disk
	bs   *BootSector

	info    FSInfo            // the FSInfo hints, as last written
	infoSec []byte            // the FSInfo sector, so a write keeps its other bytes
	fat     map[uint32][]byte // FAT sectors read so far, by sector within one copy
	dirty   map[uint32]bool   // FAT sectors changed and not yet written
	nodes   map[nodeKey]*Node // one Node per directory entry, so there is one truth
	root    *Node

	// Now is the clock for timestamps (time.Now unless a test sets it).
	Now func() time.Time
}

// sizer is a Device that knows its size (the block drivers, Slice, *os.File
// through Stat is not one: the check is skipped then).
type sizer interface{ Size() int64 }

// Mount reads and checks the boot sector and FSInfo sector of the FAT32
// volume on dev (a partition, or a whole disk without a partition table).
func Mount(dev Device) (*FS, error) {
	fs := &FS{disk: disk{dev}, fat: map[uint32][]byte{}, dirty: map[uint32]bool{}, nodes: map[nodeKey]*Node{}, Now: time.Now}
	sec := make([]byte, SectorSize)
	if err := fs.disk.readAt(sec, 0); err != nil {
		return nil, err
	}
	bs, err := ParseBootSector(sec)
	if err != nil {
		return nil, err
	}
	if s, ok := dev.(sizer); ok && int64(bs.TotalSectors)*int64(bs.BytesPerSector) > s.Size() {
		return nil, bad("%d sectors of %d bytes, but the device has only %d bytes", bs.TotalSectors, bs.BytesPerSector, s.Size())
	}
	fs.bs = bs
	fs.infoSec = make([]byte, SectorSize)
	if err := fs.disk.readAt(fs.infoSec, fs.sectorOffset(bs.FSInfoSector)); err != nil {
		return nil, err
	}
	if fs.info, err = ParseFSInfo(fs.infoSec); err != nil {
		return nil, err
	}
	if fs.info.Free != unknown && fs.info.Free > bs.Clusters {
		fs.info.Free = unknown // a hint we cannot believe; fsck would recount it
	}
	fs.root = &Node{fs: fs, ent: dirent{attr: attrDir, cluster: bs.RootCluster}, slot: -1}
	return fs, nil
}

// BootSector returns the volume's parameters.
func (fs *FS) BootSector() BootSector { return *fs.bs }

// Root returns the root directory.
func (fs *FS) Root() *Node { return fs.root }

// Info returns the FSInfo hints as they are on disk now.
func (fs *FS) Info() FSInfo {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.info
}

// Sync makes sure everything written has reached the disk. Writes are
// write-through, so there is nothing left to do; it exists so that sync(2)
// and unmounting have one place to call should a write-back cache come.
func (fs *FS) Sync() error { return nil }

func (fs *FS) sectorOffset(sector uint32) int64 {
	return int64(sector) * int64(fs.bs.BytesPerSector)
}

// clusterOffset is where cluster c's bytes start on the disk.
func (fs *FS) clusterOffset(c uint32) int64 {
	return fs.sectorOffset(fs.bs.FirstDataSector) + int64(c-2)*fs.bs.ClusterSize()
}

// writeInfo writes the FSInfo hints.
func (fs *FS) writeInfo() error {
	fs.info.put(fs.infoSec)
	return fs.disk.writeAt(fs.infoSec, fs.sectorOffset(fs.bs.FSInfoSector))
}

// errCorrupt marks a volume whose structures contradict each other; the
// system call sees EIO.
var errCorrupt = errors.New("fat32: corrupt volume")

// errNoSpace is a full volume.
var errNoSpace error = linux.ENOSPC

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format+": %w", append([]any{errCorrupt}, append(args, linux.EIO)...)...)
}

// Walk resolves a "/"-separated path from the root directory, comparing
// names as FAT does (without regard to case).
func (fs *FS) Walk(path string) (*Node, error) {
	n := fs.root
	for _, name := range splitPath(path) {
		c, err := n.Lookup(name)
		if err != nil {
			return nil, err
		}
		n = c
	}
	return n, nil
}

func splitPath(path string) []string {
	var parts []string
	start := 0
	for i := 0; i <= len(path); i++ {
		if i == len(path) || path[i] == '/' {
			if p := path[start:i]; p != "" && p != "." {
				parts = append(parts, p)
			}
			start = i + 1
		}
	}
	return parts
}
