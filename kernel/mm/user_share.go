package mm

import "fmt"

// Sharing pages that hold file contents. A page cache (kernel/proc keeps
// one for executables) fills a page once and maps it into every space
// that runs the same program, so exec does not copy the program's text
// again. The cache holds a reference of its own on each page; every
// mapping adds one. A private mapping is read-only in the table, so the
// first write faults and copy on write gives that space its own copy: the
// cached page is never written through a user mapping.

// AllocPage returns a zeroed page that the caller holds one reference to.
// Fill it through the direct map, map it with UserSpace.MapPage, and drop
// the reference with DropPage when it is no longer cached.
func (vm *VM) AllocPage() (uint64, error) {
	pa, err := vm.pages.Alloc(0)
	if err != nil {
		return 0, fmt.Errorf("mm: page for the cache: %w", err)
	}
	vm.mem.Zero(pa, PageSize)
	vm.refs.inc(pa)
	return pa, nil
}

// DropPage drops a reference AllocPage gave; the page is freed when no
// space maps it any more.
func (vm *VM) DropPage(pa uint64) {
	if vm.refs.dec(pa) {
		if err := vm.pages.Free(pa); err != nil {
			panic("mm: freeing a cached page: " + err.Error()) // a bug in this package
		}
	}
}

// MapPage maps the existing page pa at va, which must be in an area and
// not mapped yet. It gets the area's protection, without write permission
// if the area is private (copy on write).
func (us *UserSpace) MapPage(va, pa uint64) error {
	if va%PageSize != 0 || pa%PageSize != 0 {
		return fmt.Errorf("mm: map page %#x at %#x: %w", pa, va, ErrBadArgument)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	v := us.find(va)
	if v == nil {
		return fmt.Errorf("mm: map page at %#x: no area: %w", va, ErrFault)
	}
	prot := v.Prot
	if !v.Shared {
		prot &^= ProtWrite
	}
	if err := us.as.Map(va, pa, PageSize, AttrNormal, prot); err != nil {
		return err
	}
	us.vm.refs.inc(pa)
	return nil
}
