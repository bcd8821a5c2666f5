package fat32

import "github.com/burrow-os/burrow/kernel/vfs"

// msdosSuperMagic is statfs(2)'s f_type for FAT file systems (Linux's
// MSDOS_SUPER_MAGIC), and vfatNameLen its f_namelen for vfat: 255 UTF-16
// units, up to 6 bytes each in UTF-8.
const (
	msdosSuperMagic = 0x4d44
	vfatNameLen     = 1530
)

// FreeClusters returns how many data clusters are free: FSInfo's count
// when it is known, else a count of the FAT's free entries (which then
// becomes the count FSInfo is written with).
func (fs *FS) FreeClusters() (uint32, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.info.Free != unknown {
		return fs.info.Free, nil
	}
	free := uint32(0)
	for c := uint32(2); c < fs.bs.Clusters+2; c++ {
		v, err := fs.next(c)
		if err != nil {
			return 0, err
		}
		if v == fatFree {
			free++
		}
	}
	fs.info.Free = free
	return free, nil
}

// StatFS reports the volume for statfs(2), in clusters.
func (v vfsNode) StatFS() (vfs.FSStats, error) {
	free, err := v.fs.FreeClusters()
	if err != nil {
		return vfs.FSStats{}, err
	}
	return vfs.FSStats{
		Type:      msdosSuperMagic,
		BlockSize: uint64(v.fs.bs.ClusterSize()),
		Blocks:    uint64(v.fs.bs.Clusters),
		Free:      uint64(free),
		NameLen:   vfatNameLen,
	}, nil
}
