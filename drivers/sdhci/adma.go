package sdhci

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ADMA2 (SDHCI 3.00 1.13 "Advanced DMA") moves a transfer's data by
// itself, following a table of descriptors in system memory that the
// driver writes and whose bus address goes into ADMA_SYS_ADDR. Each 32-bit
// address descriptor is 8 bytes, little-endian (1.13.4, Figure 1-11):
//
//	63            32 31           16 15   6 5 4 3  2   1     0
//	+---------------+---------------+------+-----+-+---+-----+-----+
//	|    Address    |    Length     |  0   | Act |0|Int| End |Valid|
//	+---------------+---------------+------+-----+-+---+-----+-----+
//
// Act is Nop (0b00: skip this line), Tran (0b10: move Length bytes to or
// from Address) or Link (0b11: the next descriptor is at Address). A
// Length of 0 means 65536 bytes. End marks the last descriptor, Int raises
// DMA_INT when it is done, and a descriptor without Valid stops the engine
// with an ADMA error. The Address (and, in this driver, the length) must
// be a multiple of 4: the 32-bit engine ignores the low two bits.

// Descriptor is one 32-bit-address ADMA2 descriptor.
type Descriptor uint64

// Descriptor attribute bits and actions.
const (
	DescValid Descriptor = 1 << 0
	DescEnd   Descriptor = 1 << 1
	DescInt   Descriptor = 1 << 2
	ActNop    Descriptor = 0 << 4
	ActTran   Descriptor = 2 << 4
	ActLink   Descriptor = 3 << 4
	actMask   Descriptor = 3 << 4
)

// DescSize is the size of one descriptor in the table.
const DescSize = 8

// MaxDescLen is the most bytes one descriptor moves (its 16-bit Length
// field, with 0 standing for 65536).
const MaxDescLen = 1 << 16

// ErrMisaligned is wrapped by every error about a buffer, offset or DMA
// segment that is not aligned as the transfer needs.
var ErrMisaligned = errors.New("misaligned")

// NewDescriptor encodes a descriptor: action act (ActTran, ActLink or
// ActNop) on n bytes at bus address addr, with the attribute bits attr.
func NewDescriptor(act Descriptor, addr uint32, n int, attr Descriptor) Descriptor {
	return Descriptor(addr)<<32 | Descriptor(uint16(n))<<16 | act | attr | DescValid
}

// Addr is the descriptor's address field.
func (d Descriptor) Addr() uint32 { return uint32(d >> 32) }

// Len is the number of bytes a Tran descriptor moves.
func (d Descriptor) Len() int {
	if n := int(d >> 16 & 0xffff); n != 0 {
		return n
	}
	return MaxDescLen
}

// Act is the descriptor's action: ActNop, ActTran or ActLink (0b01 is
// reserved and acts as Nop).
func (d Descriptor) Act() Descriptor { return d & actMask }

// Has reports whether every bit of attr is set.
func (d Descriptor) Has(attr Descriptor) bool { return d&attr == attr }

func (d Descriptor) String() string {
	act := map[Descriptor]string{ActNop: "nop", 1 << 4: "rsv", ActTran: "tran", ActLink: "link"}[d.Act()]
	s := fmt.Sprintf("%s %#x+%#x", act, d.Addr(), d.Len())
	for _, a := range []struct {
		bit  Descriptor
		name string
	}{{DescValid, "valid"}, {DescEnd, "end"}, {DescInt, "int"}} {
		if d.Has(a.bit) {
			s += " " + a.name
		}
	}
	return s
}

// Segment is one piece of a transfer that is contiguous in the device's
// view of memory: Len bytes at bus address Addr.
type Segment struct {
	Addr uint64
	Len  int
}

// PageSegments describes n bytes starting off bytes into a buffer made of
// pages of pageSize bytes whose bus addresses are pages[0], pages[1], ...
// The buffer is contiguous for the CPU but each page may sit anywhere for
// the device, so a segment ends at every page boundary where the next page
// does not directly follow in bus addresses, and runs on where it does.
func PageSegments(pages []uint64, pageSize, off, n int) ([]Segment, error) {
	if pageSize <= 0 || off < 0 || n <= 0 || off+n > len(pages)*pageSize {
		return nil, fmt.Errorf("sdhci: %d bytes at %d of %d pages of %d bytes: out of range", n, off, len(pages), pageSize)
	}
	var segs []Segment
	for n > 0 {
		p, in := off/pageSize, off%pageSize
		k := min(n, pageSize-in) // what is left of this page
		addr := pages[p] + uint64(in)
		if last := len(segs) - 1; last >= 0 && segs[last].Addr+uint64(segs[last].Len) == addr {
			segs[last].Len += k // this page follows the previous one
		} else {
			segs = append(segs, Segment{addr, k})
		}
		off, n = off+k, n-k
	}
	return segs, nil
}

// BuildTable returns the ADMA2 descriptors that move the segments in
// order: one Tran descriptor per MaxDescLen bytes of each segment, the
// last one marked End. Each segment must lie below 4 GiB (32-bit
// addresses) and start and end on a 4-byte boundary; an empty list or an
// empty segment is an error too.
func BuildTable(segs []Segment) ([]Descriptor, error) {
	if len(segs) == 0 {
		return nil, errors.New("sdhci: ADMA2 table for no data")
	}
	var table []Descriptor
	for i, s := range segs {
		switch {
		case s.Len <= 0:
			return nil, fmt.Errorf("sdhci: DMA segment %d has %d bytes", i, s.Len)
		case s.Addr%4 != 0 || s.Len%4 != 0:
			return nil, fmt.Errorf("sdhci: DMA segment %d (%d bytes at %#x) is not on 4-byte boundaries: %w", i, s.Len, s.Addr, ErrMisaligned)
		case s.Addr+uint64(s.Len) > 1<<32:
			return nil, fmt.Errorf("sdhci: DMA segment %d (%d bytes at %#x) is beyond the 4 GiB that 32-bit ADMA2 reaches", i, s.Len, s.Addr)
		}
		for addr, left := s.Addr, s.Len; left > 0; {
			k := min(left, MaxDescLen)
			table = append(table, NewDescriptor(ActTran, uint32(addr), k, 0))
			addr, left = addr+uint64(k), left-k
		}
	}
	table[len(table)-1] |= DescEnd
	return table, nil
}

// PutTable writes table into mem, little-endian, as the controller reads
// it. mem must hold it.
func PutTable(mem []byte, table []Descriptor) error {
	if len(table)*DescSize > len(mem) {
		return fmt.Errorf("sdhci: %d descriptors do not fit the %d-byte table", len(table), len(mem))
	}
	for i, d := range table {
		binary.LittleEndian.PutUint64(mem[i*DescSize:], uint64(d))
	}
	return nil
}

// ADMA_ERR_STATUS fields (SDHCI 3.00 2.2.29).
const (
	ADMA_ERR_STATE    = 3 << 0 // the state the engine stopped in
	ADMA_LEN_MISMATCH = 1 << 2 // the descriptors' lengths and the block count disagree
)

// ADMA error states: what the engine was doing when it failed, which also
// says what ADMA_SYS_ADDR points at.
const (
	ST_STOP = 0 // stopped: ADMA_SYS_ADDR is the descriptor after the failing one
	ST_FDS  = 1 // fetching a descriptor: ADMA_SYS_ADDR is the failing one
	ST_TFR  = 3 // transferring data: ADMA_SYS_ADDR is the descriptor after the failing one
)

// ADMAError is an ADMA error interrupt decoded.
type ADMAError struct {
	Status uint32 // ADMA_ERR_STATUS
	Addr   uint32 // ADMA_SYS_ADDR when the error was seen
	Table  uint32 // the bus address of the table the transfer used
	Desc   int    // the index of the failing descriptor in it, or -1
}

// NewADMAError decodes the ADMA error registers for a transfer whose
// table of n descriptors was at bus address table.
func NewADMAError(status, addr, table uint32, n int) *ADMAError {
	e := &ADMAError{Status: status, Addr: addr, Table: table, Desc: -1}
	i := (int64(addr) - int64(table)) / DescSize
	if e.State() != ST_FDS {
		i-- // the engine had already stepped past the failing descriptor
	}
	if addr%DescSize == table%DescSize && i >= 0 && i < int64(n) {
		e.Desc = int(i)
	}
	return e
}

// State is the engine's state at the error: ST_STOP, ST_FDS or ST_TFR.
func (e *ADMAError) State() uint32 { return e.Status & ADMA_ERR_STATE }

func (e *ADMAError) Error() string {
	state := map[uint32]string{ST_STOP: "ST_STOP (stopped)", ST_FDS: "ST_FDS (fetching a descriptor)",
		2: "state 2 (reserved)", ST_TFR: "ST_TFR (transferring data)"}[e.State()]
	s := fmt.Sprintf("ADMA error in %s, ADMA_SYS_ADDR %#x", state, e.Addr)
	if e.Desc >= 0 {
		s += fmt.Sprintf(", at descriptor %d of the table at %#x", e.Desc, e.Table)
	} else {
		s += fmt.Sprintf(", outside the table at %#x", e.Table)
	}
	if e.Status&ADMA_LEN_MISMATCH != 0 {
		s += ": the descriptors' lengths do not match the block count"
	}
	return s
}
