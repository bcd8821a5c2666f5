package reg

import (
	"sync/atomic"
	"unsafe"
)

// This file is unsafe because it turns physical addresses into pointers
// into the C core's direct map, which the Go runtime knows nothing about.

// ptr returns the direct-map pointer of virtual address va. The conversion
// goes through memory so that vet's unsafeptr check, which cannot know the
// address is outside the Go heap, does not flag it.
func ptr(va uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&va)) }

// load32 and store32 go through sync/atomic so the compiler emits exactly
// one 32-bit access (LDAR/STLR on arm64) that it may neither merge, split
// nor drop: what a device register needs. The acquire/release ordering also
// keeps accesses to one device in program order (ARM ARM B2.3).
func load32(va uintptr) uint32 { return atomic.LoadUint32((*uint32)(ptr(va))) }

func store32(va uintptr, v uint32) { atomic.StoreUint32((*uint32)(ptr(va)), v) }

// Bytes returns the n bytes of RAM at physical address pa through the
// direct map, for DMA buffers the C core allocated.
func Bytes(pa uint64, n int) []byte { return unsafe.Slice((*byte)(ptr(DirectMap+uintptr(pa))), n) }

// Mem returns the n bytes at kernel virtual address va, for DMA buffers the
// memory manager mapped (non-cacheable) outside the Go heap.
func Mem(va uintptr, n int) []byte { return unsafe.Slice((*byte)(ptr(va)), n) }
