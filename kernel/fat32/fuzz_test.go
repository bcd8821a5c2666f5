package fat32

import (
	"encoding/binary"
	"errors"
	"testing"
)

// memDev is a disk in memory.
type memDev []byte

func (m memDev) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m)) {
		return 0, errors.New("memDev: out of range")
	}
	return copy(p, m[off:]), nil
}

func (m memDev) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m)) {
		return 0, errors.New("memDev: out of range")
	}
	return copy(m[off:], p), nil
}

func (m memDev) Size() int64 { return int64(len(m)) }

// Tiny volume layout: 512-byte sectors and clusters, 4 reserved sectors
// (boot, FSInfo), two one-sector FATs, 100 clusters; the root directory
// is cluster 2.
const (
	tinyReserved = 4
	tinyClusters = 100
	tinySectors  = tinyReserved + 2 + tinyClusters
)

// tinyVolume builds a volume whose first FAT sector is fat and whose root
// directory cluster is root (each up to 512 bytes).
func tinyVolume(fat, root []byte) memDev {
	m := make(memDev, tinySectors*512)
	b := m[:512]
	le := binary.LittleEndian
	b[0], b[1], b[2] = 0xeb, 0x58, 0x90
	le.PutUint16(b[11:], 512)
	b[13] = 1
	le.PutUint16(b[14:], tinyReserved)
	b[16] = 2
	le.PutUint32(b[32:], tinySectors)
	le.PutUint32(b[36:], 1)
	le.PutUint32(b[44:], 2)
	le.PutUint16(b[48:], 1)
	b[510], b[511] = 0x55, 0xaa
	fi := m[512:1024]
	le.PutUint32(fi[0:], 0x41615252)
	le.PutUint32(fi[484:], 0x61417272)
	le.PutUint32(fi[508:], 0xaa550000)
	FSInfo{Free: unknown, NextFree: unknown}.put(fi)
	copy(m[tinyReserved*512:], fat)
	copy(m[(tinyReserved+1)*512:], fat)
	copy(m[(tinyReserved+2)*512:], root)
	return m
}

// FuzzBootSector: any 512 bytes are parsed or rejected, never a panic, and
// an accepted layout fits in its volume.
func FuzzBootSector(f *testing.F) {
	f.Add([]byte(tinyVolume(nil, nil)[:512]))
	f.Fuzz(func(t *testing.T, b []byte) {
		bs, err := ParseBootSector(b)
		if err != nil {
			return
		}
		if bs.FirstDataSector >= bs.TotalSectors || bs.Clusters == 0 && bs.RootCluster >= 2 {
			t.Errorf("ParseBootSector accepted data at sector %d of %d with %d clusters", bs.FirstDataSector, bs.TotalSectors, bs.Clusters)
		}
	})
}

// FuzzDirectory: any FAT sector and root directory cluster are listed,
// read, written and removed from without a panic; damage is an error.
func FuzzDirectory(f *testing.F) {
	fat := make([]byte, 512)
	binary.LittleEndian.PutUint32(fat[8:], fatEOC) // the root: one cluster
	binary.LittleEndian.PutUint32(fat[12:], fatEOC)
	root := make([]byte, 512)
	var d dirent
	copy(d.name[:], "HELLO   TXT")
	d.cluster, d.size = 3, 100
	for i, s := range lfnSlots("Hello there.txt", checksum(d.name)) {
		copy(root[i*32:], s[:])
	}
	d.encode(root[64:])
	f.Add(fat, root)
	f.Fuzz(func(t *testing.T, fat, root []byte) {
		fs, err := Mount(tinyVolume(fat, root))
		if err != nil {
			t.Fatalf("Mount of a good boot sector: %v", err)
		}
		ents, err := fs.Root().Entries()
		if err != nil {
			return
		}
		buf := make([]byte, 1024)
		for _, e := range ents {
			if e.IsDir() {
				e.Entries()
				continue
			}
			e.ReadAt(buf, 0)
			e.WriteAt([]byte("more"), e.Size())
			e.Truncate(1)
		}
		if n, err := fs.Root().Create("new file.txt", false); err == nil {
			n.WriteAt(buf, 0)
		}
		fs.Root().Create("NEWDIR", true)
		for _, e := range ents {
			fs.Root().Rename(e.Name(), fs.Root(), "renamed "+e.Name())
			fs.Root().Remove("renamed "+e.Name(), e.IsDir())
		}
	})
}
