package mm

import "fmt"

// Access is the kind of access that faulted, from ESR_EL1 (WnR for data
// aborts; an instruction abort is an Exec).
type Access uint8

const (
	AccessRead Access = iota
	AccessWrite
	AccessExec
)

// Fault resolves a page fault at va in this space, as the trap handler does
// for a translation or permission fault from EL0, and as CopyIn/CopyOut do
// before touching user memory. It returns nil when the access can be
// retried, ErrFault when it is illegal (the program gets SIGSEGV), or an
// error wrapping ErrNoMemory.
//
// The cases, in order:
//  1. No area covers va, or the area forbids the access: ErrFault.
//  2. No page is mapped: demand zero. Take a page, zero it, map it with the
//     area's protection.
//  3. A write to a page mapped read-only in a writable area: copy on write.
//     If no other space still maps the page (its reference count is 1), make
//     it writable in place. Otherwise copy it to a new page and map that
//     instead, which changes the output address of a valid entry, so it
//     goes through break-before-make: Unmap (invalid + TLBI), then Map.
//  4. Otherwise the fault was already resolved, by another thread of the
//     same program that faulted on the same page first: nothing to do.
func (us *UserSpace) Fault(va uint64, access Access) error {
	us.mu.Lock()
	defer us.mu.Unlock()
	return us.faultLocked(va, access)
}

func (us *UserSpace) faultLocked(va uint64, access Access) error {
	page := alignDown(va, PageSize)
	v := us.find(va)
	if v == nil || (access == AccessWrite && v.Prot&ProtWrite == 0) || (access == AccessExec && v.Prot&ProtExec == 0) {
		us.Faults.Bad.Add(1)
		us.vm.faults.Bad.Add(1)
		return fmt.Errorf("mm: fault at %#x: %w", va, ErrFault)
	}
	tr, err := us.as.Translate(page)
	switch {
	case err != nil: // 2. demand zero
		pa, err := us.vm.pages.Alloc(0)
		if err != nil {
			return fmt.Errorf("mm: fault at %#x: %w", va, err)
		}
		us.vm.mem.Zero(pa, PageSize)
		if err := us.as.Map(page, pa, PageSize, AttrNormal, v.Prot); err != nil {
			us.vm.pages.Free(pa)
			return fmt.Errorf("mm: fault at %#x: %w", va, err)
		}
		us.vm.refs.inc(pa)
		us.Faults.DemandZero.Add(1)
		us.vm.faults.DemandZero.Add(1)
		return nil

	case access == AccessWrite && tr.Prot&ProtWrite == 0: // 3. copy on write
		old := alignDown(tr.PA, PageSize)
		if us.vm.refs.count(old) == 1 {
			if err := us.as.Protect(page, PageSize, v.Prot); err != nil {
				return err
			}
			us.Faults.COWReused.Add(1)
			us.vm.faults.COWReused.Add(1)
			return nil
		}
		pa, err := us.vm.pages.Alloc(0)
		if err != nil {
			return fmt.Errorf("mm: copy on write at %#x: %w", va, err)
		}
		copyPage(us.vm.mem, pa, old)
		us.as.Unmap(page, PageSize)                                               // break: invalid entry, TLBI, DSB
		if err := us.as.Map(page, pa, PageSize, AttrNormal, v.Prot); err != nil { // make
			us.vm.pages.Free(pa)
			return err // the old page stays referenced; unreachable (Map of an unmapped page cannot fail but for memory)
		}
		us.vm.refs.inc(pa)
		us.unref(old)
		us.Faults.COWCopied.Add(1)
		us.vm.faults.COWCopied.Add(1)
		return nil
	}
	us.Faults.Spurious.Add(1) // 4.
	us.vm.faults.Spurious.Add(1)
	return nil
}

// copyPage copies one page of physical memory.
func copyPage(mem PhysMem, dst, src uint64) {
	var buf [PageSize]byte
	mem.ReadAt(buf[:], int64(src))
	mem.WriteAt(buf[:], int64(dst))
}
