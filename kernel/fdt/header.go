package fdt

import "encoding/binary"

// The blob starts with this header, every field a big-endian uint32
// (Devicetree Specification v0.4, 5.2 "Header").
const (
	Magic      = 0xd00dfeed // fdt_header.magic
	headerSize = 40         // ten uint32 fields, version 17 layout

	// Version is the format version this parser implements. A blob is
	// readable if its last_comp_version (the oldest version it is backwards
	// compatible with) is at most Version, and its own version is at least
	// 17, the first with size_dt_struct.
	Version = 17
)

// Header is the decoded fdt_header.
type Header struct {
	TotalSize       uint32 // size of the whole blob, padding included
	OffDtStruct     uint32 // offset of the structure block
	OffDtStrings    uint32 // offset of the strings block
	OffMemRsvmap    uint32 // offset of the memory reservation block
	Version         uint32
	LastCompVersion uint32
	BootCPUIDPhys   uint32 // physical ID of the boot CPU (its reg value)
	SizeDtStrings   uint32
	SizeDtStruct    uint32
}

// parseHeader decodes and checks the header of blob. It checks that every
// block lies inside totalsize and that totalsize lies inside blob, so the
// rest of the parser can index the blocks without further bounds checks on
// their extents.
func parseHeader(blob []byte) (Header, error) {
	var h Header
	if len(blob) < headerSize {
		return h, errorf(0, "blob is %d bytes, shorter than the %d-byte header", len(blob), headerSize)
	}
	be := binary.BigEndian
	if m := be.Uint32(blob[0:]); m != Magic {
		return h, errorf(0, "bad magic %#08x, want %#08x", m, Magic)
	}
	h = Header{
		TotalSize:       be.Uint32(blob[4:]),
		OffDtStruct:     be.Uint32(blob[8:]),
		OffDtStrings:    be.Uint32(blob[12:]),
		OffMemRsvmap:    be.Uint32(blob[16:]),
		Version:         be.Uint32(blob[20:]),
		LastCompVersion: be.Uint32(blob[24:]),
		BootCPUIDPhys:   be.Uint32(blob[28:]),
		SizeDtStrings:   be.Uint32(blob[32:]),
		SizeDtStruct:    be.Uint32(blob[36:]),
	}
	switch {
	case h.Version < Version:
		return h, errorf(20, "version %d is older than %d", h.Version, Version)
	case h.LastCompVersion > Version:
		return h, errorf(24, "last_comp_version %d: blob needs a parser for version %d or later, this is %d",
			h.LastCompVersion, h.LastCompVersion, Version)
	case uint64(h.TotalSize) > uint64(len(blob)):
		return h, errorf(4, "totalsize %d is larger than the %d bytes available (truncated blob)", h.TotalSize, len(blob))
	case h.TotalSize < headerSize:
		return h, errorf(4, "totalsize %d is smaller than the header", h.TotalSize)
	}
	// Each block must start after the header and end inside totalsize. The
	// sums are done in 64 bits so that a huge offset cannot wrap around.
	blocks := []struct {
		name      string
		field     int // offset of the header field, for the error
		off, size uint32
		align     uint32
	}{
		{"memory reservation block", 16, h.OffMemRsvmap, 16, 8}, // at least the (0,0) terminator
		{"structure block", 8, h.OffDtStruct, h.SizeDtStruct, 4},
		{"strings block", 12, h.OffDtStrings, h.SizeDtStrings, 1},
	}
	for _, b := range blocks {
		if b.off < headerSize {
			return h, errorf(b.field, "%s at %#x overlaps the header", b.name, b.off)
		}
		if b.off%b.align != 0 {
			return h, errorf(b.field, "%s at %#x is not %d-byte aligned", b.name, b.off, b.align)
		}
		if uint64(b.off)+uint64(b.size) > uint64(h.TotalSize) {
			return h, errorf(b.field, "%s [%#x, %#x) runs past totalsize %#x",
				b.name, b.off, uint64(b.off)+uint64(b.size), h.TotalSize)
		}
	}
	return h, nil
}

// Region is a range of addresses [Address, Address+Size): an entry of the
// memory reservation block, a reg entry, or a memory bank.
type Region struct {
	Address, Size uint64
}

// End returns the first address after the region.
func (r Region) End() uint64 { return r.Address + r.Size }

// parseMemReserve reads the memory reservation block: pairs of big-endian
// uint64 (address, size), ended by a pair with both zero (5.3).
func parseMemReserve(blob []byte, h Header) ([]Region, error) {
	var out []Region
	end := int(h.TotalSize)
	for off := int(h.OffMemRsvmap); ; off += 16 {
		if off+16 > end {
			return nil, errorf(off, "memory reservation block has no (0, 0) terminator before totalsize")
		}
		addr := binary.BigEndian.Uint64(blob[off:])
		size := binary.BigEndian.Uint64(blob[off+8:])
		if addr == 0 && size == 0 {
			return out, nil
		}
		if addr+size < addr {
			return nil, errorf(off, "reservation [%#x + %#x] wraps around the address space", addr, size)
		}
		out = append(out, Region{addr, size})
	}
}
