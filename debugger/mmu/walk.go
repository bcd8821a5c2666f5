// Package mmu walks AArch64 translation tables the way the MMU does, so the
// debugger can show how a virtual address becomes a physical one and what
// each level's descriptor says. It reads the tables through a
// physical-memory reader (QEMU's gdbstub in physical mode, or memory built
// in a test).
//
// It follows the Arm Architecture Reference Manual for A-profile (ARM ARM),
// chapter D8 "The AArch64 Virtual Memory System Architecture": stage 1 EL1&0
// translation with the 4 KiB granule, TCR_EL1.TxSZ from 16 (48-bit VA,
// walk starts at level 0) to 39, TTBR0_EL1 for the low range and TTBR1_EL1
// for the high one, and the VMSAv8-64 descriptor formats (D8.3). It runs
// on the host.
package mmu

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
)

// PhysReader reads physical memory.
type PhysReader interface {
	ReadPhys(pa uint64, n int) ([]byte, error)
}

// Regs are the system registers that control a stage 1 EL1&0 walk.
type Regs struct {
	TTBR0, TTBR1 uint64 // TTBRn_EL1: BADDR in bits 47:1, ASID in 63:48
	TCR          uint64 // TCR_EL1
	MAIR         uint64 // MAIR_EL1, to name memory types (optional)
}

// Kind is what a descriptor is.
type Kind string

// The descriptor kinds of D8.3.
const (
	Invalid Kind = "invalid"
	Table   Kind = "table"
	Block   Kind = "block"
	Page    Kind = "page"
)

// Step is one level of a walk.
type Step struct {
	Level    int    // 0..3
	Table    uint64 // PA of the table read at this level
	Index    int    // index into it, from the VA
	DescAddr uint64 // PA of the descriptor
	Desc     uint64 // the raw descriptor
	Kind     Kind
	Next     uint64 // next-level table or output address
	Attrs    string // decoded attributes (blocks and pages) or table limits
}

// MarshalJSON writes the addresses and the descriptor in hex.
func (s Step) MarshalJSON() ([]byte, error) {
	h := func(v uint64) string { return fmt.Sprintf("%#x", v) }
	return json.Marshal(struct {
		Level    int    `json:"level"`
		Table    string `json:"table"`
		Index    int    `json:"index"`
		DescAddr string `json:"desc_addr"`
		Desc     string `json:"desc"`
		Kind     Kind   `json:"kind"`
		Next     string `json:"next"`
		Attrs    string `json:"attrs,omitempty"`
	}{s.Level, h(s.Table), s.Index, h(s.DescAddr), h(s.Desc), s.Kind, h(s.Next), s.Attrs})
}

func (s Step) String() string {
	return fmt.Sprintf("L%d  table %#x[%3d] @%#x = %#018x  %-7s -> %#x  %s",
		s.Level, s.Table, s.Index, s.DescAddr, s.Desc, s.Kind, s.Next, s.Attrs)
}

// Translation is a completed (or failed) walk.
type Translation struct {
	VA    uint64
	TTBR  int    // 0 or 1
	Steps []Step // one per level read
	PA    uint64 // valid when Mapped
	Size  uint64 // bytes mapped by the final descriptor: 4 KiB, 2 MiB or 1 GiB
	// Mapped is false when the walk ended at an invalid descriptor; Err
	// says why.
	Mapped bool
}

// FaultError says where and why a walk failed; it is a translation fault
// in ARM ARM terms, or the tables could not be read.
type FaultError struct {
	VA     uint64
	Level  int
	Reason string
}

func (e *FaultError) Error() string {
	if e.Level < 0 {
		return fmt.Sprintf("mmu: VA %#x is not translatable: %s", e.VA, e.Reason)
	}
	return fmt.Sprintf("mmu: VA %#x is not mapped: level %d %s", e.VA, e.Level, e.Reason)
}

const granuleShift = 12                // 4 KiB
const addrMask = 0x0000_FFFF_FFFF_F000 // output address bits 47:12

// Walk translates va. It always returns what it read so far, with a
// *FaultError when the address is not mapped.
func Walk(mem PhysReader, r Regs, va uint64) (Translation, error) {
	tr := Translation{VA: va}
	// D8.2: the VA range is chosen by the top bits; with TxSZ = n the
	// top n bits must all be 0 (TTBR0) or all 1 (TTBR1).
	t0sz, t1sz := int(r.TCR&0x3f), int((r.TCR>>16)&0x3f)
	tg0, tg1 := (r.TCR>>14)&3, (r.TCR>>30)&3
	var txsz int
	var ttbr uint64
	switch {
	case va>>(64-t0sz) == 0 || t0sz == 0:
		if r.TCR&(1<<7) != 0 { // EPD0
			return tr, &FaultError{va, -1, "TCR_EL1.EPD0 disables TTBR0 walks"}
		}
		if tg0 != 0 {
			return tr, &FaultError{va, -1, fmt.Sprintf("TCR_EL1.TG0 = %d is not the 4 KiB granule", tg0)}
		}
		txsz, ttbr, tr.TTBR = t0sz, r.TTBR0, 0
	case va>>(64-t1sz) == (1<<t1sz)-1:
		if r.TCR&(1<<23) != 0 { // EPD1
			return tr, &FaultError{va, -1, "TCR_EL1.EPD1 disables TTBR1 walks"}
		}
		if tg1 != 2 {
			return tr, &FaultError{va, -1, fmt.Sprintf("TCR_EL1.TG1 = %d is not the 4 KiB granule", tg1)}
		}
		txsz, ttbr, tr.TTBR = t1sz, r.TTBR1, 1
	default:
		return tr, &FaultError{va, -1, fmt.Sprintf("it is in neither the TTBR0 range (T0SZ=%d) nor the TTBR1 range (T1SZ=%d)", t0sz, t1sz)}
	}
	if txsz < 16 || txsz > 39 {
		return tr, &FaultError{va, -1, fmt.Sprintf("TxSZ = %d is outside 16..39 for the 4 KiB granule", txsz)}
	}
	vaBits := 64 - txsz
	// Each level resolves 9 bits; the walk starts where the VA's bits run
	// out: 48 bits start at level 0, 39 at level 1, 30 at level 2.
	level := 4 - (vaBits-granuleShift+8)/9
	table := ttbr & 0x0000_FFFF_FFFF_FFFE
	for ; level <= 3; level++ {
		shift := uint(granuleShift + 9*(3-level))
		bits := 9
		if top := vaBits - int(shift); top < 9 {
			bits = top // the first level may index fewer than 512 entries
		}
		idx := int((va >> shift) & (1<<bits - 1))
		st := Step{Level: level, Table: table, Index: idx, DescAddr: table + uint64(idx)*8}
		b, err := mem.ReadPhys(st.DescAddr, 8)
		if err != nil {
			return tr, &FaultError{va, level, fmt.Sprintf("descriptor at PA %#x cannot be read: %v", st.DescAddr, err)}
		}
		st.Desc = binary.LittleEndian.Uint64(b)
		d := st.Desc
		switch {
		case d&1 == 0:
			st.Kind = Invalid
		case d&2 != 0 && level < 3:
			st.Kind, st.Next = Table, d&addrMask
			st.Attrs = tableAttrs(d)
		case d&2 != 0:
			st.Kind = Page
		case level == 1 || level == 2:
			st.Kind = Block
		default:
			st.Kind = Invalid // a block at level 0 or bit 1 clear at level 3 is reserved
		}
		if st.Kind == Block || st.Kind == Page {
			size := uint64(1) << shift
			st.Next = d & addrMask &^ (size - 1)
			st.Attrs = leafAttrs(d, r.MAIR)
			tr.PA, tr.Size, tr.Mapped = st.Next|va&(size-1), size, true
		}
		tr.Steps = append(tr.Steps, st)
		switch st.Kind {
		case Invalid:
			return tr, &FaultError{va, level, fmt.Sprintf("descriptor at PA %#x is invalid (%#x)", st.DescAddr, d)}
		case Table:
			table = st.Next
			continue
		}
		return tr, nil
	}
	return tr, nil
}

// leafAttrs decodes the attributes of a block or page descriptor (D8.3.2).
func leafAttrs(d, mair uint64) string {
	var a []string
	idx := (d >> 2) & 7
	attr := fmt.Sprintf("AttrIndx=%d", idx)
	if mair != 0 {
		attr += "(" + memType(byte(mair>>(8*idx))) + ")"
	}
	a = append(a, attr)
	a = append(a, [...]string{"AP=EL1:RW,EL0:none", "AP=EL1:RW,EL0:RW", "AP=EL1:RO,EL0:none", "AP=EL1:RO,EL0:RO"}[(d>>6)&3])
	a = append(a, [...]string{"SH=non", "SH=reserved", "SH=outer", "SH=inner"}[(d>>8)&3])
	flags := []struct {
		bit  uint
		name string
	}{{5, "NS"}, {10, "AF"}, {11, "nG"}, {52, "Contig"}, {53, "PXN"}, {54, "UXN"}}
	for _, f := range flags {
		if d&(1<<f.bit) != 0 {
			a = append(a, f.name)
		}
	}
	if d&(1<<10) == 0 {
		a = append(a, "(AF clear: first access faults)")
	}
	return strings.Join(a, " ")
}

// tableAttrs decodes the hierarchical limits of a table descriptor.
func tableAttrs(d uint64) string {
	var a []string
	if ap := (d >> 61) & 3; ap != 0 {
		a = append(a, fmt.Sprintf("APTable=%d", ap))
	}
	for _, f := range []struct {
		bit  uint
		name string
	}{{59, "PXNTable"}, {60, "UXNTable"}, {63, "NSTable"}} {
		if d&(1<<f.bit) != 0 {
			a = append(a, f.name)
		}
	}
	return strings.Join(a, " ")
}

// memType names a MAIR_EL1 attribute byte (D17.2 MAIR_EL1).
func memType(b byte) string {
	switch b {
	case 0x00:
		return "Device-nGnRnE"
	case 0x04:
		return "Device-nGnRE"
	case 0x08:
		return "Device-nGRE"
	case 0x0c:
		return "Device-GRE"
	case 0x44:
		return "Normal-NC"
	case 0xff:
		return "Normal-WB"
	case 0xbb:
		return "Normal-WT"
	}
	return fmt.Sprintf("%#02x", b)
}

// Describe renders a translation for people: one line per level, then the
// result.
func Describe(tr Translation, err error) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "VA %#x via TTBR%d\n", tr.VA, tr.TTBR)
	for _, s := range tr.Steps {
		sb.WriteString("  " + s.String() + "\n")
	}
	if err != nil {
		sb.WriteString("  " + err.Error() + "\n")
	} else {
		fmt.Fprintf(&sb, "  => PA %#x (%s %s)\n", tr.PA, sizeName(tr.Size), tr.Steps[len(tr.Steps)-1].Kind)
	}
	return sb.String()
}

func sizeName(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
