package vfs

// File-system figures for statfs(2), and the mount table for /proc/mounts.

// FSStats is what statfs(2) reports of a file system.
type FSStats struct {
	Type      uint64 // f_type: the file system's magic number
	BlockSize uint64
	Blocks    uint64 // size, in blocks
	Free      uint64 // free blocks
	NameLen   uint64 // longest name
}

// StatFSer is a Backing whose volume can report its size and free space.
type StatFSer interface {
	StatFS() (FSStats, error)
}

// StatFS reports the volume n is on. ok is false for the ramfs, whose size
// is the machine's memory, which the caller knows and this package does
// not.
func (n *Inode) StatFS() (st FSStats, ok bool, err error) {
	if s, is := n.back.(StatFSer); is {
		st, err = s.StatFS()
		return st, true, err
	}
	return FSStats{}, false, nil
}

// MountInfo is one line of /proc/mounts.
type MountInfo struct {
	Source, Path, Type string
}

// Mounts lists the volumes mounted with MountVolumeFrom, in mount order.
func (fs *FS) Mounts() []MountInfo {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var out []MountInfo
	for _, m := range fs.volumes {
		out = append(out, MountInfo{m.source, m.path, m.fstype})
	}
	return out
}
