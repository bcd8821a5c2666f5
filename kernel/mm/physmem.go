package mm

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// Page geometry: the 4 KiB translation granule (ARM ARM D8.2).
const (
	PageShift = 12
	PageSize  = 1 << PageShift // 4096
	pageMask  = PageSize - 1
)

// PhysMem is how the memory manager reads and writes physical memory. It
// never dereferences a physical address itself.
//
// At EL1 the implementation is DirectMap, which adds the offset of the
// kernel's linear map of RAM. On the host it is SliceMem, a byte slice
// standing in for RAM, so every test can look at the page tables byte by
// byte.
//
// ReadAt and WriteAt take a physical address as their offset.
type PhysMem interface {
	io.ReaderAt
	io.WriterAt
	// Load64 and Store64 access one aligned little-endian 64-bit word, as a
	// single access: the table walker must never see half a descriptor.
	Load64(pa uint64) uint64
	Store64(pa uint64, v uint64)
	// Zero clears n bytes at pa.
	Zero(pa, n uint64)
}

// SliceMem is PhysMem backed by a byte slice: Bytes[0] is physical address
// Base. It is the host tests' RAM. Accesses outside it panic, because they
// are bugs in the memory manager, never the result of bad input.
type SliceMem struct {
	Base  uint64
	Bytes []byte
}

// NewSliceMem returns size bytes of zeroed "RAM" starting at physical base.
func NewSliceMem(base, size uint64) *SliceMem {
	return &SliceMem{Base: base, Bytes: make([]byte, size)}
}

func (m *SliceMem) index(pa, n uint64) uint64 {
	if pa < m.Base || pa-m.Base > uint64(len(m.Bytes)) || n > uint64(len(m.Bytes))-(pa-m.Base) {
		panic(fmt.Sprintf("mm: physical access [%#x, +%#x) outside RAM [%#x, %#x)",
			pa, n, m.Base, m.Base+uint64(len(m.Bytes))))
	}
	return pa - m.Base
}

func (m *SliceMem) Load64(pa uint64) uint64 {
	return binary.LittleEndian.Uint64(m.Bytes[m.index(pa, 8):])
}

func (m *SliceMem) Store64(pa, v uint64) {
	binary.LittleEndian.PutUint64(m.Bytes[m.index(pa, 8):], v)
}

func (m *SliceMem) Zero(pa, n uint64) {
	clear(m.Bytes[m.index(pa, n):][:n])
}

func (m *SliceMem) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || uint64(off) < m.Base || uint64(off)-m.Base >= uint64(len(m.Bytes)) {
		return 0, io.EOF
	}
	n := copy(p, m.Bytes[uint64(off)-m.Base:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *SliceMem) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || uint64(off) < m.Base || uint64(off)-m.Base >= uint64(len(m.Bytes)) {
		return 0, io.ErrShortWrite
	}
	n := copy(m.Bytes[uint64(off)-m.Base:], p)
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

// Region is a range of physical addresses [Address, Address+Size), the
// device tree's type, so memory maps pass from package fdt unchanged.
type Region = fdt.Region
