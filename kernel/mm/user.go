package mm

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
)

// A user program's memory is more than its page tables: it is a list of
// areas (VMAs) it is allowed to touch, most of them not backed by any page
// yet. A page appears the first time the program touches it (a page fault
// resolved by "demand zero"), and pages shared by fork are copied only when
// one side writes (copy on write). This file keeps the areas and the page
// reference counts; fault.go resolves faults; uaccess.go copies to and from
// user memory for system calls.

// ErrFault is a bad user address: no area covers it, or the area forbids the
// access. A fault from EL0 becomes SIGSEGV; from a system call's copy, the
// error EFAULT.
var ErrFault = errors.New("bad address")

// VMA is one area of a user address space: [Start, End) with one
// protection. Every area is anonymous memory (zero-filled on first touch).
// Private areas are copied on write after a fork; shared ones stay shared.
type VMA struct {
	Start, End uint64
	Prot       Prot
	Shared     bool
}

// UserSpace is a process's memory: its address space plus its areas.
type UserSpace struct {
	vm *VM
	as *AddressSpace

	// mu guards vmas and every change to the user half of the tables made
	// for this space, faults included. Lock order: UserSpace.mu, then
	// AddressSpace.mu, then VM.mu or the page references.
	mu   sync.Mutex
	vmas []VMA // sorted by Start, never overlapping

	Faults FaultStats
}

// FaultStats counts resolved and refused faults.
type FaultStats struct {
	DemandZero atomic.Uint64 // a zeroed page was mapped on first touch
	COWCopied  atomic.Uint64 // a write to a shared page made a private copy
	COWReused  atomic.Uint64 // a write to a once-shared page that is no longer shared: made writable in place
	Spurious   atomic.Uint64 // already resolved by the time the fault was handled
	Bad        atomic.Uint64 // no area, or the area forbids the access
}

// pageRefs counts how many user mappings share each anonymous page, so
// copy on write knows when a page is no longer shared and when to free it.
type pageRefs struct {
	mu   sync.Mutex
	refs map[uint64]uint32
}

func (r *pageRefs) inc(pa uint64) {
	r.mu.Lock()
	if r.refs == nil {
		r.refs = map[uint64]uint32{}
	}
	r.refs[pa]++
	r.mu.Unlock()
}

func (r *pageRefs) count(pa uint64) uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refs[pa]
}

// dec drops one reference and reports whether it was the last.
func (r *pageRefs) dec(pa uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs[pa]--
	if r.refs[pa] == 0 {
		delete(r.refs, pa)
		return true
	}
	return false
}

// NewUserSpace creates an empty user address space.
func (vm *VM) NewUserSpace() (*UserSpace, error) {
	as, err := vm.NewSpace()
	if err != nil {
		return nil, err
	}
	return &UserSpace{vm: vm, as: as}, nil
}

// AddressSpace returns the space's page tables, for TTBR0 and Translate.
func (us *UserSpace) AddressSpace() *AddressSpace { return us.as }

// MapAnon adds an anonymous area [va, va+size). No memory is used until the
// program touches it.
func (us *UserSpace) MapAnon(va, size uint64, prot Prot, shared bool) error {
	if err := us.as.checkRange(va, size); err != nil {
		return err
	}
	if !(prot | ProtUser).valid() {
		return fmt.Errorf("mm: protection %v: %w", prot, ErrBadArgument)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	i := sort.Search(len(us.vmas), func(i int) bool { return us.vmas[i].End > va })
	if i < len(us.vmas) && us.vmas[i].Start < va+size {
		return fmt.Errorf("mm: area %#x+%#x overlaps [%#x, %#x): %w", va, size, us.vmas[i].Start, us.vmas[i].End, ErrOverlap)
	}
	us.vmas = append(us.vmas, VMA{})
	copy(us.vmas[i+1:], us.vmas[i:])
	us.vmas[i] = VMA{Start: va, End: va + size, Prot: prot | ProtUser, Shared: shared}
	return nil
}

// VMAs returns a copy of the areas, in address order.
func (us *UserSpace) VMAs() []VMA {
	us.mu.Lock()
	defer us.mu.Unlock()
	return append([]VMA(nil), us.vmas...)
}

// find returns the area containing va, or nil.
func (us *UserSpace) find(va uint64) *VMA {
	i := sort.Search(len(us.vmas), func(i int) bool { return us.vmas[i].End > va })
	if i < len(us.vmas) && us.vmas[i].Start <= va {
		return &us.vmas[i]
	}
	return nil
}

// Unmap removes [va, va+size) from the areas (cutting areas that straddle
// its ends) and releases the pages mapped there, as munmap does.
func (us *UserSpace) Unmap(va, size uint64) error {
	if err := us.as.checkRange(va, size); err != nil {
		return err
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	end := va + size
	var kept []VMA
	for _, v := range us.vmas {
		if v.End <= va || v.Start >= end {
			kept = append(kept, v)
			continue
		}
		if v.Start < va {
			kept = append(kept, VMA{v.Start, va, v.Prot, v.Shared})
		}
		if v.End > end {
			kept = append(kept, VMA{end, v.End, v.Prot, v.Shared})
		}
		us.releasePages(max(v.Start, va), min(v.End, end))
	}
	us.vmas = kept
	return nil
}

// releasePages unmaps the pages present in [lo, hi) and drops a reference
// to each, freeing those no other space maps.
func (us *UserSpace) releasePages(lo, hi uint64) {
	pages := us.as.Pages(lo, hi)
	if len(pages) == 0 {
		return
	}
	us.as.Unmap(lo, hi-lo) // anonymous memory is all 4 KiB pages: no splits, cannot fail
	for _, p := range pages {
		us.unref(p.PA)
	}
}

func (us *UserSpace) unref(pa uint64) {
	if us.vm.refs.dec(pa) {
		if err := us.vm.pages.Free(pa); err != nil {
			panic("mm: freeing a user page: " + err.Error()) // a bug in this package
		}
	}
}

// Fork returns a copy of the space for a child process. Shared areas map the
// same pages in both. Private areas map them too, but read-only in both
// parent and child: the first write on either side faults and copies the
// page (fault.go). So fork costs one page-table entry per present page, not
// a copy of the memory.
func (us *UserSpace) Fork() (*UserSpace, error) {
	child, err := us.vm.NewUserSpace()
	if err != nil {
		return nil, err
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	child.vmas = append([]VMA(nil), us.vmas...)
	for _, v := range us.vmas {
		for _, p := range us.as.Pages(v.Start, v.End) {
			prot := v.Prot
			if !v.Shared {
				prot &^= ProtWrite
				if p.Prot&ProtWrite != 0 {
					us.as.Protect(p.VA, PageSize, prot) // cannot fail: the page is mapped
				}
			}
			if err := child.as.Map(p.VA, p.PA, PageSize, AttrNormal, prot); err != nil {
				child.destroyLocked()
				return nil, err
			}
			us.vm.refs.inc(p.PA)
		}
	}
	return child, nil
}

// Destroy releases every page and table of the space. No thread may run in
// it any more.
func (us *UserSpace) Destroy() {
	us.mu.Lock()
	defer us.mu.Unlock()
	us.destroyLocked()
}

func (us *UserSpace) destroyLocked() {
	for _, v := range us.vmas {
		us.releasePages(v.Start, v.End)
	}
	us.vmas = nil
	us.as.Destroy()
}

// Discard drops the pages of [va, va+size) but keeps the areas, as
// madvise(MADV_DONTNEED) does on anonymous memory: the next touch faults in
// a fresh zero page.
func (us *UserSpace) Discard(va, size uint64) error {
	if err := us.as.checkRange(va, size); err != nil {
		return err
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	us.releasePages(va, va+size)
	return nil
}
