package mm

import "fmt"

// AArch64 stage-1 translation table descriptors, 4 KiB granule
// (ARM ARM D8.3 "Translation table descriptor formats").
//
// Every descriptor is 64 bits. Bits 1:0 say what it is:
//
//	bits 1:0   level 0-2            level 3
//	   x0      invalid (faults)      invalid
//	   01      block (1 GiB/2 MiB)   reserved (faults)
//	   11      table                 page (4 KiB)
//
// A block or page descriptor ("leaf") holds the output address and the
// attributes of the memory it maps:
//
//	 63    59 58 55 54  53  52    51 48 47          12 11 10  9 8  7 6  5   4 2  1 0
//	+--------+-----+---+---+------+----+--------------+--+--+----+----+--+------+---+
//	|  res.  | SW  |UXN|PXN|Contig|res.| output addr  |nG|AF| SH | AP |NS|AttrIx|1 1|
//	+--------+-----+---+---+------+----+--------------+--+--+----+----+--+------+---+
//
// A table descriptor holds the next table's physical address in bits 47:12
// (and hierarchical permission limits in 63:59, which Burrow leaves 0).
const (
	descValid = 1 << 0 // bit 0: the descriptor is used by the walker
	descTable = 1 << 1 // bit 1: table (levels 0-2) or page (level 3); 0 means block

	descAttrIndxShift = 2      // bits 4:2 AttrIndx: which byte of MAIR_EL1 gives the memory type
	descAttrIndxMask  = 7 << 2 //
	descAPUser        = 1 << 6 // AP[1], bit 6: EL0 may access
	descAPReadOnly    = 1 << 7 // AP[2], bit 7: no writes at any EL
	descSHInner       = 3 << 8 // SH, bits 9:8 = 0b11: Inner Shareable (all cores see one copy)
	descAF            = 1 << 10
	descNG            = 1 << 11 // not Global: the TLB tags the entry with the current ASID
	descPXN           = 1 << 53 // Privileged eXecute Never: EL1 may not execute
	descUXN           = 1 << 54 // Unprivileged eXecute Never: EL0 may not execute

	// descAddrMask selects the output address, bits 47:12.
	descAddrMask = 0x0000_ffff_ffff_f000
)

// Attr is a memory type: which MAIR_EL1 attribute a mapping uses.
type Attr uint8

// The three memory types Burrow maps, in MAIR_EL1 order. The numbers are
// the AttrIndx values in descriptors, and must match the C core's
// (ckernel/mmu.h MT_*), since both write entries of the same tables under
// the one MAIR_EL1.
const (
	// AttrNormal is Normal memory, Inner and Outer Write-Back cacheable,
	// read- and write-allocate. For RAM.
	AttrNormal Attr = 0
	// AttrDevice is Device-nGnRE: no gathering, no reordering, early write
	// acknowledgement. For MMIO registers.
	AttrDevice Attr = 1
	// AttrNormalNC is Normal memory, Inner and Outer Non-cacheable. For DMA
	// buffers, so that CPU and device agree without cache maintenance.
	AttrNormalNC Attr = 2
)

// MAIR is the MAIR_EL1 value the C core programs (ARM ARM D19.2 MAIR_EL1;
// ckernel/mmu.h MAIR_VALUE): one attribute byte per Attr index.
//
//	Attr0 = 0xff: Normal, inner and outer Write-Back Non-transient, RW-allocate
//	Attr1 = 0x04: Device-nGnRE        (0b0000_01_00)
//	Attr2 = 0x44: Normal, inner and outer Non-cacheable (0b0100 outer, 0b0100 inner)
const MAIR = 0xff<<(8*AttrNormal) | 0x04<<(8*AttrDevice) | 0x44<<(8*AttrNormalNC)

func (a Attr) String() string {
	switch a {
	case AttrDevice:
		return "device-nGnRE"
	case AttrNormalNC:
		return "normal-nc"
	case AttrNormal:
		return "normal"
	}
	return fmt.Sprintf("attr%d", uint8(a))
}

// Prot is the access a mapping allows.
type Prot uint8

const (
	ProtRead  Prot = 1 << iota // loads; every valid mapping allows them
	ProtWrite                  // stores
	ProtExec                   // instruction fetch
	ProtUser                   // EL0 may access; without it the page is EL1-only
)

func (p Prot) String() string {
	s := []byte("----")
	for i, c := range "rwxu" {
		if p&(1<<i) != 0 {
			s[i] = byte(c)
		}
	}
	return string(s)
}

// valid reports whether the architecture can express p. AArch64 has no
// write-only or execute-only-without-read pages at stage 1 (a valid entry is
// always readable at the EL it grants access to), so ProtRead is required.
func (p Prot) valid() bool { return p&ProtRead != 0 && p&^(ProtRead|ProtWrite|ProtExec|ProtUser) == 0 }

// PTE is one translation table descriptor.
type PTE uint64

// MakeLeaf builds a block or page descriptor that maps pa with attr and
// prot. level is 3 for a 4 KiB page, 2 for a 2 MiB block, 1 for a 1 GiB
// block.
//
// The choices it makes:
//   - AF=1: the access flag is set up front, so no Access Flag fault occurs
//     (Burrow does not track page age with it).
//   - Normal memory is Inner Shareable, so all four cores are coherent.
//   - User pages (ProtUser) are not global (nG=1): they belong to one
//     address space and the TLB tags them with its ASID. Kernel pages are
//     global: every space maps them identically.
//   - User pages are PXN: the kernel never executes user memory. Kernel
//     pages are UXN: without it an EL1-only page is executable from EL0
//     (the AP bits do not govern instruction fetch at EL0).
func MakeLeaf(level int, pa uint64, attr Attr, prot Prot) PTE {
	d := pa&descAddrMask | descValid | uint64(attr)<<descAttrIndxShift | descAF
	if level == 3 {
		d |= descTable // at level 3, bits 1:0 = 0b11 mean "page"
	}
	if attr != AttrDevice {
		d |= descSHInner
	}
	if prot&ProtWrite == 0 {
		d |= descAPReadOnly
	}
	if prot&ProtUser != 0 {
		d |= descAPUser | descNG | descPXN
		if prot&ProtExec == 0 {
			d |= descUXN
		}
	} else {
		d |= descUXN
		if prot&ProtExec == 0 {
			d |= descPXN
		}
	}
	return PTE(d)
}

// MakeTable builds a table descriptor pointing at the table at pa.
func MakeTable(pa uint64) PTE { return PTE(pa&descAddrMask | descValid | descTable) }

// Valid reports whether the walker uses the descriptor.
func (d PTE) Valid() bool { return d&descValid != 0 }

// IsTable reports whether d, found at level, points to a next-level table.
func (d PTE) IsTable(level int) bool {
	return level < 3 && d&(descValid|descTable) == descValid|descTable
}

// IsLeaf reports whether d, found at level, maps memory (block or page).
func (d PTE) IsLeaf(level int) bool {
	switch {
	case level == 3:
		return d&(descValid|descTable) == descValid|descTable
	case level == 1 || level == 2:
		return d&(descValid|descTable) == descValid
	}
	return false // level 0 has no blocks with a 4 KiB granule
}

// Addr returns the output address: the mapped memory or the next table.
func (d PTE) Addr() uint64 { return uint64(d) & descAddrMask }

// Attr returns the memory type of a leaf.
func (d PTE) Attr() Attr { return Attr(uint64(d) & descAttrIndxMask >> descAttrIndxShift) }

// Prot decodes the access a leaf allows, the inverse of MakeLeaf.
func (d PTE) Prot() Prot {
	p := ProtRead
	if d&descAPReadOnly == 0 {
		p |= ProtWrite
	}
	if d&descAPUser != 0 {
		p |= ProtUser
		if d&descUXN == 0 {
			p |= ProtExec
		}
	} else if d&descPXN == 0 {
		p |= ProtExec
	}
	return p
}

// Global reports whether a leaf is shared by all ASIDs (nG=0).
func (d PTE) Global() bool { return d&descNG == 0 }

func (d PTE) String() string {
	if !d.Valid() {
		return "invalid"
	}
	return fmt.Sprintf("%#x %v %v global=%v", d.Addr(), d.Attr(), d.Prot(), d.Global())
}
