package mm

import (
	"errors"
	"fmt"
	"math/bits"
	"reflect"
	"sync/atomic"
)

// Static pools (pool_unsafe.go has the typed Pool) hand out fixed-size
// objects from memory the Go garbage collector does not own: pages taken
// from the buddy allocator and reached through the direct map. Allocation
// touches no Go heap and no lock, so hot kernel paths (IRQ bottom halves,
// packet buffers, trap frames) can use it without GC pauses or contention.
//
// This file holds the part that needs no unsafe code: the lock-free free
// list of slot numbers, and the check that a type holds no Go pointers.

// Errors of the pools.
var (
	ErrPoolEmpty    = errors.New("pool is empty")
	ErrPoolPointers = errors.New("type holds Go pointers, which the GC could not see in pool memory")
)

// slots is a lock-free stack of free slot numbers (a Treiber stack), plus a
// bitmap of slots in use to catch double frees.
//
// head packs two 32-bit halves: the low half is 1 + the slot on top (0 when
// empty); the high half is a tag incremented by every push and pop. Without
// the tag, this could happen (the "ABA problem"): a popper reads top = A and
// next = B, is delayed while others pop A, pop B and push A back, then its
// compare-and-swap still sees A on top and wrongly installs B, which is in
// use. With the tag, the head's value has changed and the swap fails.
type slots struct {
	head atomic.Uint64
	next []atomic.Uint32 // next[i]: 1 + the slot under i, while i is free
	used []atomic.Uint32 // bit i%32 of used[i/32]: slot i is handed out

	// Counters of the rare paths only: every atomic read-modify-write
	// costs a load/store-exclusive loop on the Cortex-A72, so the fast
	// paths count nothing and Stats counts the in-use bits instead.
	empty, badPuts atomic.Uint64
}

func newSlots(n int) *slots {
	s := &slots{next: make([]atomic.Uint32, n), used: make([]atomic.Uint32, (n+31)/32)}
	for i := n - 1; i >= 0; i-- { // push in reverse so slot 0 is handed out first
		s.push(uint32(i))
	}
	return s
}

func (s *slots) push(i uint32) {
	for {
		old := s.head.Load()
		s.next[i].Store(uint32(old))
		if s.head.CompareAndSwap(old, (old>>32+1)<<32|uint64(i+1)) {
			return
		}
	}
}

// get takes a free slot, or returns false when none is left.
func (s *slots) get() (uint32, bool) {
	for {
		old := s.head.Load()
		top := uint32(old)
		if top == 0 {
			s.empty.Add(1)
			return 0, false
		}
		next := s.next[top-1].Load()
		if s.head.CompareAndSwap(old, (old>>32+1)<<32|uint64(next)) {
			i := top - 1
			s.used[i/32].Or(1 << (i % 32))
			return i, true
		}
	}
}

// put returns slot i. Clearing its in-use bit first, atomically, means two
// racing puts of the same slot cannot both succeed.
func (s *slots) put(i uint32) error {
	if old := s.used[i/32].And(^(1 << (i % 32))); old&(1<<(i%32)) == 0 {
		s.badPuts.Add(1)
		return ErrDoubleFree
	}
	s.push(i)
	return nil
}

// PoolStats describes one pool, for the debugger and /proc/meminfo.
type PoolStats struct {
	Name       string
	ObjectSize uintptr
	Capacity   int
	InUse      int
	Empty      uint64 // Gets refused because the pool was empty
	BadPuts    uint64 // double or foreign Puts caught
}

// checkPointerFree refuses types that hold Go pointers (pointers, strings,
// slices, maps, channels, functions, interfaces). The GC scans only memory it
// owns; a Go pointer stored in pool memory would be invisible to it, and the
// object it points to could be freed while still in use.
func checkPointerFree(t reflect.Type) error {
	return pointerFree(t, t.String())
}

func pointerFree(t reflect.Type, path string) error {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return nil
	case reflect.Array:
		return pointerFree(t.Elem(), path+"[]")
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if err := pointerFree(f.Type, path+"."+f.Name); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("mm: pool type: %s is a %s: %w", path, t.Kind(), ErrPoolPointers)
}

// poolStride is the slot size of a Pool[T]: sizeof(T) rounded up to T's
// alignment, and at least 1 so that slots have distinct addresses.
func poolStride[T any]() uintptr {
	t := reflect.TypeFor[T]()
	s := max(t.Size(), 1)
	return (s + uintptr(t.Align()) - 1) &^ (uintptr(t.Align()) - 1)
}

// inUse counts the slots handed out, from the bitmap.
func (s *slots) inUse() int {
	n := 0
	for i := range s.used {
		n += bits.OnesCount32(s.used[i].Load())
	}
	return n
}
