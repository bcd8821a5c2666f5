package fat32

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Partition is one entry of an MBR partition table.
type Partition struct {
	Number int   // 1 to 4, as Linux names them (mmcblk0p1)
	Type   byte  // 0x0b or 0x0c for FAT32, 0x83 for Linux, ...
	Start  int64 // first byte
	Size   int64 // length in bytes
}

// FAT32 partition types: 0x0b is FAT32 with CHS addressing, 0x0c FAT32
// with LBA; both are LBA-addressed in practice.
const (
	TypeFAT32    = 0x0b
	TypeFAT32LBA = 0x0c
)

// ErrNoPartitionTable is ReadMBR's answer for a sector 0 that is not an MBR
// (a "superfloppy" with the file system on the whole disk, or garbage).
var ErrNoPartitionTable = errors.New("fat32: no MBR partition table in sector 0")

// ReadMBR reads the partition table in sector 0: four 16-byte entries at
// byte 446 (boot flag, CHS start, type, CHS end, LBA start, sector count)
// and the signature 0x55 0xAA at 510. Empty entries (type 0) are left out.
func ReadMBR(dev io.ReaderAt) ([]Partition, error) {
	b := make([]byte, SectorSize)
	if err := full(dev.ReadAt(b, 0)); err != nil {
		return nil, err
	}
	return parseMBR(b)
}

func parseMBR(b []byte) ([]Partition, error) {
	if b[510] != 0x55 || b[511] != 0xaa {
		return nil, ErrNoPartitionTable
	}
	var parts []Partition
	for i := range 4 {
		e := b[446+16*i : 446+16*(i+1)]
		if e[0] != 0x00 && e[0] != 0x80 {
			// A FAT boot sector also ends in 0x55 0xAA; its boot code
			// here has boot flags no partition table would.
			return nil, ErrNoPartitionTable
		}
		start := int64(binary.LittleEndian.Uint32(e[8:]))
		count := int64(binary.LittleEndian.Uint32(e[12:]))
		if e[4] == 0 || count == 0 {
			continue
		}
		parts = append(parts, Partition{Number: i + 1, Type: e[4], Start: start * SectorSize, Size: count * SectorSize})
	}
	return parts, nil
}

// FindFAT32 returns the first FAT32 partition (type 0x0b or 0x0c).
func FindFAT32(dev io.ReaderAt) (Partition, error) {
	parts, err := ReadMBR(dev)
	if err != nil {
		return Partition{}, err
	}
	for _, p := range parts {
		if p.Type == TypeFAT32 || p.Type == TypeFAT32LBA {
			return p, nil
		}
	}
	return Partition{}, fmt.Errorf("fat32: no FAT32 partition (type 0x0b or 0x0c) among %d", len(parts))
}
