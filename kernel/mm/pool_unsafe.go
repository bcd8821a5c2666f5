package mm

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Pool hands out objects of type T from a fixed region of physical memory,
// reached through the direct map. It is safe for concurrent use, takes no
// locks and never allocates on the Go heap after NewPool.
//
// This file is unsafe because it converts between slot numbers and *T
// pointers into that memory. T must hold no Go pointers (NewPool checks).
//
// There are no per-CPU caches. Go code at EL1 can read its CPU number
// (MPIDR_EL1), but the goroutine may move to another CPU right after, so a
// per-CPU cache would still need an atomic operation to be safe, and would
// save nothing over the shared stack's compare-and-swap while four cores
// rarely contend. They pay off only with preemption-free sections, which
// the C core does not offer Go code.
type Pool[T any] struct {
	name   string
	base   unsafe.Pointer // slot 0
	stride uintptr        // bytes from one slot to the next
	n      int
	slots  *slots
}

// NewPool carves the physical range [pa, pa+size), mapped by m, into slots
// for T. It refuses T if T holds Go pointers.
func NewPool[T any](name string, m *DirectMap, pa, size uint64) (*Pool[T], error) {
	t := reflect.TypeFor[T]()
	if err := checkPointerFree(t); err != nil {
		return nil, err
	}
	stride := poolStride[T]()
	base := m.ptr(pa, size)
	if uintptr(base)%uintptr(t.Align()) != 0 {
		return nil, fmt.Errorf("mm: pool %s: memory at %#x is not aligned for %s: %w", name, pa, t, ErrBadArgument)
	}
	n := int(uint64(size) / uint64(stride))
	if n == 0 || n >= 1<<31 {
		return nil, fmt.Errorf("mm: pool %s: %d bytes hold %d objects of %d bytes: %w", name, size, n, stride, ErrBadArgument)
	}
	return &Pool[T]{name: name, base: base, stride: stride, n: n, slots: newSlots(n)}, nil
}

// Get returns a zeroed object, or ErrPoolEmpty.
func (p *Pool[T]) Get() (*T, error) {
	i, ok := p.slots.get()
	if !ok {
		return nil, ErrPoolEmpty
	}
	obj := (*T)(unsafe.Add(p.base, uintptr(i)*p.stride))
	var zero T
	*obj = zero
	return obj, nil
}

// Put returns an object to the pool. A pointer that Get did not return, or
// one already put back, is refused with ErrForeign or ErrDoubleFree.
func (p *Pool[T]) Put(obj *T) error {
	off := uintptr(unsafe.Pointer(obj)) - uintptr(p.base) // wraps for pointers below base
	if off >= uintptr(p.n)*p.stride || off%p.stride != 0 {
		p.slots.badPuts.Add(1)
		return fmt.Errorf("mm: pool %s: put %p: %w", p.name, obj, ErrForeign)
	}
	if err := p.slots.put(uint32(off / p.stride)); err != nil {
		return fmt.Errorf("mm: pool %s: put %p: %w", p.name, obj, err)
	}
	return nil
}

// Stats returns the pool's counters.
func (p *Pool[T]) Stats() PoolStats {
	return PoolStats{
		Name: p.name, ObjectSize: p.stride, Capacity: p.n, InUse: p.slots.inUse(),
		Empty: p.slots.empty.Load(), BadPuts: p.slots.badPuts.Load(),
	}
}
