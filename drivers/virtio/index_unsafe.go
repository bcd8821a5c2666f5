package virtio

import (
	"sync/atomic"
	"unsafe"
)

// The ring indexes are shared with the device: loadIndex and storeIndex
// touch them with single atomic accesses the compiler can neither cache nor
// reorder. A ring starts with a 2-byte flags field and the 2-byte index
// (2.6.6, 2.6.8) at a 4-byte aligned address, so both work on that first
// 32-bit word: little-endian, the index is its upper half.

func ringWord(ring []byte) *uint32 { return (*uint32)(unsafe.Pointer(unsafe.SliceData(ring[:4]))) }

// loadIndex returns the index of the ring starting at ring[0].
func loadIndex(ring []byte) uint16 { return uint16(atomic.LoadUint32(ringWord(ring)) >> 16) }

// storeIndex sets the index of the ring starting at ring[0], keeping its
// flags (only the driver writes the available ring).
func storeIndex(ring []byte, v uint16) {
	w := ringWord(ring)
	atomic.StoreUint32(w, uint32(v)<<16|atomic.LoadUint32(w)&0xffff)
}
