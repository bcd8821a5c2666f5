package fat32

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// BootSector is the FAT32 boot sector's BIOS Parameter Block (spec section
// 3.1 and 3.3), with the layout it implies.
type BootSector struct {
	BytesPerSector    uint32 // BPB_BytsPerSec: 512, 1024, 2048 or 4096
	SectorsPerCluster uint32 // BPB_SecPerClus: a power of two, at most 128
	ReservedSectors   uint32 // BPB_RsvdSecCnt: sectors before the first FAT
	NumFATs           uint32 // BPB_NumFATs: copies of the FAT, usually 2
	TotalSectors      uint32 // BPB_TotSec32
	FATSize           uint32 // BPB_FATSz32: sectors per FAT copy
	RootCluster       uint32 // BPB_RootClus: first cluster of the root directory
	FSInfoSector      uint32 // BPB_FSInfo
	BackupBootSector  uint32 // BPB_BkBootSec
	VolumeLabel       string // BS_VolLab, trailing spaces removed

	// Derived: the first sector of cluster 2, and how many data clusters
	// there are (numbered 2 to Clusters+1).
	FirstDataSector uint32
	Clusters        uint32
}

// ClusterSize is the size of a cluster in bytes.
func (b *BootSector) ClusterSize() int64 {
	return int64(b.BytesPerSector) * int64(b.SectorsPerCluster)
}

// ParseBootSector decodes and checks a FAT32 boot sector (at least 512
// bytes). A malformed one is rejected with the reason.
func ParseBootSector(s []byte) (*BootSector, error) {
	if len(s) < SectorSize {
		return nil, bad("%d bytes, want a 512-byte sector", len(s))
	}
	le := binary.LittleEndian
	if !(s[0] == 0xeb && s[2] == 0x90) && s[0] != 0xe9 {
		return nil, bad("jump instruction %#02x %#02x %#02x, want 0xeb xx 0x90 or 0xe9", s[0], s[1], s[2])
	}
	if s[510] != 0x55 || s[511] != 0xaa {
		return nil, bad("signature %#02x %#02x, want 0x55 0xaa", s[510], s[511])
	}
	b := &BootSector{
		BytesPerSector:    uint32(le.Uint16(s[11:])),
		SectorsPerCluster: uint32(s[13]),
		ReservedSectors:   uint32(le.Uint16(s[14:])),
		NumFATs:           uint32(s[16]),
		TotalSectors:      le.Uint32(s[32:]),
		FATSize:           le.Uint32(s[36:]),
		RootCluster:       le.Uint32(s[44:]),
		FSInfoSector:      uint32(le.Uint16(s[48:])),
		BackupBootSector:  uint32(le.Uint16(s[50:])),
		VolumeLabel:       strings.TrimRight(string(s[71:82]), " "),
	}
	switch {
	case b.BytesPerSector < 512 || b.BytesPerSector > 4096 || b.BytesPerSector&(b.BytesPerSector-1) != 0:
		return nil, bad("%d bytes per sector, want 512, 1024, 2048 or 4096", b.BytesPerSector)
	case b.SectorsPerCluster == 0 || b.SectorsPerCluster&(b.SectorsPerCluster-1) != 0:
		return nil, bad("%d sectors per cluster, want a power of two", b.SectorsPerCluster)
	case b.ReservedSectors == 0:
		return nil, bad("no reserved sectors (the boot sector is one)")
	case b.NumFATs == 0:
		return nil, bad("no FAT")
	case le.Uint16(s[17:]) != 0:
		return nil, bad("%d root directory entries: a FAT12/16 volume, not FAT32", le.Uint16(s[17:]))
	case le.Uint16(s[22:]) != 0 || b.FATSize == 0:
		return nil, bad("a 16-bit FAT size: a FAT12/16 volume, not FAT32")
	case le.Uint16(s[42:]) != 0:
		return nil, bad("version %#04x, want 0", le.Uint16(s[42:]))
	}
	if n := le.Uint16(s[19:]); n != 0 {
		// The spec wants BPB_TotSec16 zero on FAT32, but mkfs.vfat fills it
		// in for volumes under 32 MiB, and Linux reads it first.
		b.TotalSectors = uint32(n)
	}
	meta := uint64(b.ReservedSectors) + uint64(b.NumFATs)*uint64(b.FATSize)
	if meta >= uint64(b.TotalSectors) {
		return nil, bad("%d sectors of FATs and reserved area in a %d-sector volume", meta, b.TotalSectors)
	}
	b.FirstDataSector = uint32(meta)
	b.Clusters = (b.TotalSectors - b.FirstDataSector) / b.SectorsPerCluster
	if b.Clusters > 0x0ffffff5 {
		b.Clusters = 0x0ffffff5 // cluster numbers above are reserved values
	}
	if need := (uint64(b.Clusters) + 2) * 4; uint64(b.FATSize)*uint64(b.BytesPerSector) < need {
		return nil, bad("a %d-sector FAT is too small for %d clusters", b.FATSize, b.Clusters)
	}
	if b.RootCluster < 2 || b.RootCluster >= b.Clusters+2 {
		return nil, bad("root directory at cluster %d, outside 2..%d", b.RootCluster, b.Clusters+1)
	}
	if b.FSInfoSector == 0 || b.FSInfoSector >= b.ReservedSectors {
		return nil, bad("FSInfo at sector %d, outside the reserved area", b.FSInfoSector)
	}
	return b, nil
}

func bad(format string, args ...any) error {
	return fmt.Errorf("fat32: bad boot sector: "+format, args...)
}

// FSInfo is the FSInfo sector's hints (spec section 5): how many clusters
// are free and where to start looking for one. 0xFFFFFFFF means unknown.
type FSInfo struct {
	Free     uint32 // FSI_Free_Count
	NextFree uint32 // FSI_Nxt_Free
}

// unknown is FSInfo's "not known" value.
const unknown = 0xffffffff

// ParseFSInfo decodes an FSInfo sector, checking its three signatures.
func ParseFSInfo(s []byte) (FSInfo, error) {
	if len(s) < SectorSize {
		return FSInfo{}, fmt.Errorf("fat32: bad FSInfo: %d bytes, want 512", len(s))
	}
	le := binary.LittleEndian
	if le.Uint32(s[0:]) != 0x41615252 || le.Uint32(s[484:]) != 0x61417272 || le.Uint32(s[508:]) != 0xaa550000 {
		return FSInfo{}, fmt.Errorf("fat32: bad FSInfo: signatures %#x %#x %#x, want 0x41615252 0x61417272 0xaa550000",
			le.Uint32(s[0:]), le.Uint32(s[484:]), le.Uint32(s[508:]))
	}
	return FSInfo{Free: le.Uint32(s[488:]), NextFree: le.Uint32(s[492:])}, nil
}

// put writes the hints into an FSInfo sector.
func (fi FSInfo) put(s []byte) {
	binary.LittleEndian.PutUint32(s[488:], fi.Free)
	binary.LittleEndian.PutUint32(s[492:], fi.NextFree)
}
