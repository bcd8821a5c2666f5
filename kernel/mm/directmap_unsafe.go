package mm

import (
	"fmt"
	"io"
	"sync/atomic"
	"unsafe"
)

// DirectMap is PhysMem for the kernel at EL1: physical address pa is the
// virtual address base + (pa - physBase), the C core's linear map of RAM
// (DirectMapBase + pa on both boards).
//
// This file is unsafe because it turns addresses into pointers. The pointers
// point outside the Go heap, which the garbage collector ignores, so they
// are safe to hold as long as the mapping exists; the C core never removes
// it.
//
// On the host a DirectMap can wrap a byte slice (NewDirectMapSlice), so the
// same code is tested with real pointer accesses.
type DirectMap struct {
	base     unsafe.Pointer // virtual address of physBase
	physBase uint64
	size     uint64 // bytes mapped, for bounds checks
}

// NewDirectMap describes a linear map: size bytes of physical memory from
// physBase appear at virtual address virt. It is meant for the kernel's
// boot code, with virt = DirectMapBase + physBase.
func NewDirectMap(virt uintptr, physBase, size uint64) *DirectMap {
	// The conversion goes through memory so that vet's unsafeptr check,
	// which is right to distrust uintptr arithmetic on Go pointers, does not
	// flag it: virt is not a Go pointer and never moves.
	p := *(*unsafe.Pointer)(unsafe.Pointer(&virt))
	return &DirectMap{base: p, physBase: physBase, size: size}
}

// NewDirectMapSlice makes mem stand for physical memory from physBase. The
// slice is kept alive by the DirectMap.
func NewDirectMapSlice(mem []byte, physBase uint64) *DirectMap {
	return &DirectMap{base: unsafe.Pointer(unsafe.SliceData(mem)), physBase: physBase, size: uint64(len(mem))}
}

// ptr returns the virtual address of n bytes at pa, panicking if they are
// outside the map: that would be a bug in the caller, like a wild pointer.
func (m *DirectMap) ptr(pa, n uint64) unsafe.Pointer {
	if pa < m.physBase || pa-m.physBase > m.size || n > m.size-(pa-m.physBase) {
		panic(fmt.Sprintf("mm: direct map access [%#x, +%#x) outside [%#x, +%#x)", pa, n, m.physBase, m.size))
	}
	return unsafe.Add(m.base, pa-m.physBase)
}

// Load64 is one 64-bit load (LDR), never split, so the table walker and
// this code agree on whole descriptors. AArch64 is little-endian at EL1
// here (SCTLR_EL1.EE = 0), as are the descriptors.
func (m *DirectMap) Load64(pa uint64) uint64 {
	return atomic.LoadUint64((*uint64)(m.ptr(pa, 8)))
}

// Store64 is one 64-bit store (STLR via the atomic package).
func (m *DirectMap) Store64(pa, v uint64) {
	atomic.StoreUint64((*uint64)(m.ptr(pa, 8)), v)
}

func (m *DirectMap) Zero(pa, n uint64) {
	clear(m.Bytes(pa, n))
}

// Bytes returns the n bytes at pa as a slice, for copying. The slice aliases
// physical memory: it must not outlive the caller's use of that memory.
func (m *DirectMap) Bytes(pa, n uint64) []byte {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(m.ptr(pa, n)), n)
}

func (m *DirectMap) ReadAt(p []byte, off int64) (int, error) {
	pa := uint64(off)
	if off < 0 || pa < m.physBase || pa-m.physBase >= m.size {
		return 0, io.EOF
	}
	n := copy(p, m.Bytes(pa, min(uint64(len(p)), m.size-(pa-m.physBase))))
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *DirectMap) WriteAt(p []byte, off int64) (int, error) {
	pa := uint64(off)
	if off < 0 || pa < m.physBase || pa-m.physBase >= m.size {
		return 0, io.ErrShortWrite
	}
	n := copy(m.Bytes(pa, min(uint64(len(p)), m.size-(pa-m.physBase))), p)
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

// virt returns the virtual address of pa, for cache maintenance by VA.
func (m *DirectMap) virt(pa uint64) uintptr {
	return uintptr(m.ptr(pa, 0))
}

// Covers reports whether the direct map reaches all of r.
func (m *DirectMap) Covers(r Region) bool {
	return r.Address >= m.physBase && r.Address-m.physBase <= m.size && r.Size <= m.size-(r.Address-m.physBase)
}
