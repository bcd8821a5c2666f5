package fat32

import "encoding/binary"

// FAT entry values (spec section 4): the top 4 bits of an entry are
// reserved and kept as they are; 0 is a free cluster, 0x0FFFFFF7 a bad
// one, 0x0FFFFFF8 and above the end of a chain.
const (
	fatMask = 0x0fffffff
	fatFree = 0
	fatBad  = 0x0ffffff7
	fatEOC  = 0x0fffffff
)

// fatSector returns the cached FAT sector (within one copy) holding
// cluster c's entry, and the entry's byte offset in it.
func (fs *FS) fatSector(c uint32) ([]byte, uint32, uint32, error) {
	bps := fs.bs.BytesPerSector
	sec, off := c*4/bps, c*4%bps
	if b, ok := fs.fat[sec]; ok {
		return b, sec, off, nil
	}
	b := make([]byte, bps)
	if err := fs.disk.readAt(b, fs.sectorOffset(fs.bs.ReservedSectors+sec)); err != nil {
		return nil, 0, 0, err
	}
	fs.fat[sec] = b
	return b, sec, off, nil
}

// next returns cluster c's FAT entry.
func (fs *FS) next(c uint32) (uint32, error) {
	b, _, off, err := fs.fatSector(c)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[off:]) & fatMask, nil
}

// setNext sets cluster c's FAT entry to v in the cache; flushFAT writes
// it out.
func (fs *FS) setNext(c, v uint32) error {
	b, sec, off, err := fs.fatSector(c)
	if err != nil {
		return err
	}
	old := binary.LittleEndian.Uint32(b[off:])
	binary.LittleEndian.PutUint32(b[off:], old&^fatMask|v&fatMask)
	fs.dirty[sec] = true
	return nil
}

// flushFAT writes the FAT sectors setNext changed to every copy of the
// FAT, so the copies never disagree. Each operation that changes the FAT
// ends with it (write-through).
func (fs *FS) flushFAT() error {
	for sec := range fs.dirty {
		for i := range fs.bs.NumFATs {
			s := fs.bs.ReservedSectors + i*fs.bs.FATSize + sec
			if err := fs.disk.writeAt(fs.fat[sec], fs.sectorOffset(s)); err != nil {
				return err
			}
		}
		delete(fs.dirty, sec)
	}
	return nil
}

func (fs *FS) valid(c uint32) bool { return c >= 2 && c < fs.bs.Clusters+2 }

// chain returns the clusters of the chain that starts at first, checking
// that it stays inside the volume, ends, and does not loop.
func (fs *FS) chain(first uint32) ([]uint32, error) {
	var cs []uint32
	for c := first; c != 0; {
		if !fs.valid(c) {
			return nil, corrupt("chain from cluster %d reaches cluster %d", first, c)
		}
		if uint32(len(cs)) > fs.bs.Clusters {
			return nil, corrupt("chain from cluster %d loops", first)
		}
		cs = append(cs, c)
		n, err := fs.next(c)
		if err != nil {
			return nil, err
		}
		switch {
		case n >= 0x0ffffff8:
			return cs, nil
		case n == fatFree || n == fatBad:
			return nil, corrupt("chain from cluster %d runs into a free or bad cluster after %d", first, c)
		}
		c = n
	}
	return cs, nil
}

// alloc takes n free clusters, links them into one chain that continues
// after (0 for a new chain) and returns them. It searches from FSInfo's
// next-free hint, wrapping around once, and updates the hints.
func (fs *FS) alloc(n int, after uint32) ([]uint32, error) {
	var got []uint32
	start := fs.info.NextFree
	if !fs.valid(start) {
		start = 2
	}
	total := fs.bs.Clusters
	for i := uint32(0); i < total && len(got) < n; i++ {
		c := 2 + (start-2+i)%total
		v, err := fs.next(c)
		if err != nil {
			return nil, err
		}
		if v == fatFree {
			got = append(got, c)
		}
	}
	if len(got) < n {
		return nil, errNoSpace
	}
	// Mark the new clusters as a chain, last first, then hook it on: a
	// power cut in between leaves lost clusters, never a broken file.
	for i := len(got) - 1; i >= 0; i-- {
		v := uint32(fatEOC)
		if i+1 < len(got) {
			v = got[i+1]
		}
		if err := fs.setNext(got[i], v); err != nil {
			return nil, err
		}
	}
	if err := fs.flushFAT(); err != nil {
		return nil, err
	}
	if after != 0 {
		if err := fs.setNext(after, got[0]); err != nil {
			return nil, err
		}
		if err := fs.flushFAT(); err != nil {
			return nil, err
		}
	}
	if fs.info.Free != unknown {
		fs.info.Free -= uint32(len(got))
	}
	fs.info.NextFree = got[len(got)-1] + 1
	if !fs.valid(fs.info.NextFree) {
		fs.info.NextFree = 2
	}
	return got, fs.writeInfo()
}

// free releases clusters (a chain's tail or all of it), and writes any
// other FAT change made before it (the new end of a truncated chain).
func (fs *FS) free(cs []uint32) error {
	for _, c := range cs {
		if err := fs.setNext(c, fatFree); err != nil {
			return err
		}
	}
	if err := fs.flushFAT(); err != nil || len(cs) == 0 {
		return err
	}
	if fs.info.Free != unknown {
		fs.info.Free += uint32(len(cs))
	}
	return fs.writeInfo()
}

// zeroCluster fills cluster c with zero bytes (a new directory's).
func (fs *FS) zeroCluster(c uint32) error {
	return fs.disk.writeAt(make([]byte, fs.bs.ClusterSize()), fs.clusterOffset(c))
}
