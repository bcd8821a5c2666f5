package mm

import (
	"fmt"
	"sync"
)

// AddressSpace is one set of translation tables: a user process's (user
// region plus the shared kernel region), or the kernel's own (ASID 0).
//
// A user space may only map user addresses [0, UserTop), and its pages are
// EL0-accessible and tagged with its ASID. The kernel space may only map the
// kernel region [KernelBase, KernelTop), and its pages are EL1-only and
// global.
type AddressSpace struct {
	vm     *VM
	root   uint64 // physical address of the L0 table (TTBR0_EL1.BADDR)
	asid   uint16
	kernel bool

	// mu guards the tables this space may edit: the user half below root,
	// or, for the kernel space, the shared kernel L1 tables and below. Lock
	// order: AddressSpace.mu before VM.mu.
	mu     sync.Mutex
	mapped uint64 // bytes mapped
}

// TTBR0 returns the value to load into TTBR0_EL1 to run in this space:
// ASID in bits 63:48, the L0 table's address below (ARM ARM D19.2 TTBR0_EL1).
func (as *AddressSpace) TTBR0() uint64 { return uint64(as.asid)<<48 | as.root }

// ASID returns the space's address space identifier.
func (as *AddressSpace) ASID() uint16 { return as.asid }

// Mapped returns how many bytes the space maps.
func (as *AddressSpace) Mapped() uint64 {
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.mapped
}

// checkRange validates [va, va+size) for this space: page aligned, not
// empty, no wrap-around, inside the space's region.
func (as *AddressSpace) checkRange(va, size uint64) error {
	lo, hi := uint64(0), uint64(UserTop)
	if as.kernel {
		lo, hi = KernelBase, KernelTop
	}
	switch {
	case va%PageSize != 0 || size%PageSize != 0:
		return fmt.Errorf("mm: range %#x+%#x is not page aligned: %w", va, size, ErrBadArgument)
	case size == 0:
		return fmt.Errorf("mm: empty range at %#x: %w", va, ErrBadArgument)
	case va < lo || va+size > hi || va+size < va:
		return fmt.Errorf("mm: range %#x+%#x is outside [%#x, %#x): %w", va, size, lo, hi, ErrBadArgument)
	}
	return nil
}

// Map maps [va, va+size) to physical [pa, pa+size) with the given memory
// type and access. In a user space ProtUser is implied; in the kernel space
// it is refused. Wherever va and pa are both aligned to 1 GiB or 2 MiB and
// enough of the range is left, one block descriptor maps the whole block;
// elsewhere 4 KiB pages do.
//
// Map fails, changing nothing, when an argument is bad, when any page of
// the range is already mapped, or when no memory is left for tables.
func (as *AddressSpace) Map(va, pa, size uint64, attr Attr, prot Prot) error {
	if !as.kernel {
		prot |= ProtUser
	}
	if err := as.checkRange(va, size); err != nil {
		return err
	}
	switch {
	case pa%PageSize != 0 || pa+size > MaxPhys || pa+size < pa:
		return fmt.Errorf("mm: physical range %#x+%#x is unaligned or beyond %d bits: %w", pa, size, VABits, ErrBadArgument)
	case !prot.valid() || (as.kernel && prot&ProtUser != 0):
		return fmt.Errorf("mm: protection %v is not allowed here: %w", prot, ErrBadArgument)
	case attr > AttrNormalNC:
		return fmt.Errorf("mm: memory type %v: %w", attr, ErrBadArgument)
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	if at, mapped := as.firstMapped(va, size); mapped {
		return fmt.Errorf("mm: map %#x+%#x: %#x: %w", va, size, at, ErrOverlap)
	}
	for off := uint64(0); off < size; {
		level := leafLevel(va+off, pa+off, size-off)
		for {
			slot, err := as.slot(va+off, level)
			if err != nil {
				// Out of memory for a table: undo what this call mapped.
				if off > 0 {
					as.unmapLocked(va, off)
				}
				return err
			}
			if d := PTE(as.vm.mem.Load64(slot)); d.IsTable(level) {
				// A table sits where a block would go, left empty by an
				// earlier unmap (firstMapped found nothing mapped in the
				// block's span): free it and use the block. Should it
				// still map something, fall back to smaller entries.
				if !as.reclaimEmptyTable(slot, level, va+off, d) {
					level++
					continue
				}
			}
			// The slot is invalid (firstMapped said so), so this is not a
			// valid-to-valid change and needs no break-before-make.
			as.vm.mem.Store64(slot, uint64(MakeLeaf(level, pa+off, attr, prot)))
			as.mapped += levelSize(level)
			break
		}
		off += levelSize(level)
	}
	// Make the new descriptors visible to the walkers, then resynchronize
	// this core. No TLBI: the TLB never caches invalid entries.
	as.vm.tlb.DSBISHST()
	as.vm.tlb.ISB()
	return nil
}

// leafLevel picks the largest entry that can map at va/pa with size left:
// a 1 GiB block (level 1), a 2 MiB block (level 2) or a page (level 3).
func leafLevel(va, pa, size uint64) int {
	for level := 1; level < 3; level++ {
		bs := levelSize(level)
		if va%bs == 0 && pa%bs == 0 && size >= bs {
			return level
		}
	}
	return 3
}

// reclaimEmptyTable removes the table d at slot (level, covering va) if
// nothing below it is mapped, so a block can take its place. Replacing a
// table entry is a valid-to-invalid change: the walk caches may hold it, so
// it is invalidated by VA before the table pages are freed and reused.
func (as *AddressSpace) reclaimEmptyTable(slot uint64, level int, va uint64, d PTE) bool {
	if !as.emptyTable(d.Addr(), level+1) {
		return false
	}
	as.vm.mem.Store64(slot, 0)
	as.vm.tlb.DSBISHST()
	as.tlbi(alignDown(va, levelSize(level)))
	as.vm.tlb.DSBISH()
	as.freeTables(d.Addr(), level+1)
	return true
}

// emptyTable reports whether the table at pa (at level) maps nothing.
func (as *AddressSpace) emptyTable(pa uint64, level int) bool {
	for i := uint64(0); i < entriesPerTable; i++ {
		d := PTE(as.vm.mem.Load64(pa + i*8))
		if d.IsTable(level) && as.emptyTable(d.Addr(), level+1) {
			continue
		}
		if d.Valid() {
			return false
		}
	}
	return true
}

// lookup walks the tables for va and returns the last descriptor it reads:
// a leaf, an invalid entry, or a level 3 entry. slot is that descriptor's
// physical address.
func (as *AddressSpace) lookup(va uint64) (slot uint64, level int, d PTE) {
	table := as.root
	for level = 0; ; level++ {
		slot = table + tableIndex(va, level)*8
		d = PTE(as.vm.mem.Load64(slot))
		if level == 3 || !d.IsTable(level) {
			return slot, level, d
		}
		table = d.Addr()
	}
}

// slot returns the address of va's descriptor at level, creating the
// tables above it. The caller has checked that no leaf above level maps va.
func (as *AddressSpace) slot(va uint64, level int) (uint64, error) {
	table := as.root
	for l := 0; l < level; l++ {
		s := table + tableIndex(va, l)*8
		d := PTE(as.vm.mem.Load64(s))
		if !d.Valid() {
			t, err := as.vm.newTable()
			if err != nil {
				return 0, err
			}
			d = MakeTable(t)
			as.vm.mem.Store64(s, uint64(d))
		}
		table = d.Addr()
	}
	return table + tableIndex(va, level)*8, nil
}

// firstMapped returns the first mapped address in [va, va+size), skipping
// unmapped ranges a whole missing table at a time.
func (as *AddressSpace) firstMapped(va, size uint64) (uint64, bool) {
	for cur, end := va, va+size; cur < end; {
		_, level, d := as.lookup(cur)
		if d.IsLeaf(level) {
			return cur, true
		}
		cur = alignDown(cur, levelSize(level)) + levelSize(level)
		if cur == 0 { // wrapped past the top of the address space
			break
		}
	}
	return 0, false
}

// Page is one mapped page: its virtual address and what it translates to.
type Page struct {
	VA uint64
	Translation
}

// Pages lists the mapped 4 KiB pages in [lo, hi), in address order, with a
// block reported as the pages it covers. Unmapped spans are skipped a whole
// missing table at a time, so a sparse range costs little.
func (as *AddressSpace) Pages(lo, hi uint64) []Page {
	as.mu.Lock()
	defer as.mu.Unlock()
	var out []Page
	for cur := alignDown(lo, PageSize); cur < hi && cur < KernelTop; {
		_, level, d := as.lookup(cur)
		size := levelSize(level)
		if !d.IsLeaf(level) {
			cur = alignDown(cur, size) + size
			continue
		}
		for end := min(alignDown(cur, size)+size, hi); cur < end; cur += PageSize {
			out = append(out, Page{cur, Translation{PA: d.Addr() + cur&(size-1), Attr: d.Attr(), Prot: d.Prot(), Level: level}})
		}
	}
	return out
}

// Unmap removes every mapping in [va, va+size). Unmapped parts of the range
// are skipped, as munmap does. A block that the range covers only partly is
// first split into smaller entries. The physical memory is not freed: it
// belongs to whoever mapped it. Emptied tables are kept for reuse and freed
// with the space.
func (as *AddressSpace) Unmap(va, size uint64) error {
	if err := as.checkRange(va, size); err != nil {
		return err
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	return as.unmapLocked(va, size)
}

func (as *AddressSpace) unmapLocked(va, size uint64) error {
	var gone []uint64 // VAs whose TLB entries must go
	for cur, end := va, va+size; cur < end; {
		slot, level, d := as.lookup(cur)
		bs := levelSize(level)
		if !d.IsLeaf(level) {
			cur = alignDown(cur, bs) + bs
			continue
		}
		if cur%bs != 0 || end-cur < bs {
			if err := as.split(slot, level, alignDown(cur, bs), d); err != nil {
				as.invalidate(gone)
				return err
			}
			continue // look again: now a smaller entry maps cur
		}
		as.vm.mem.Store64(slot, 0)
		as.mapped -= bs
		gone = append(gone, cur)
		cur += bs
	}
	as.invalidate(gone)
	return nil
}

// invalidate finishes an unmap or protect: descriptor stores visible, then
// TLB entries of each changed VA dropped on all cores, then wait for that,
// then resynchronize this core (ARM ARM D8.13.3, the sequence for "removing
// a translation": store, DSB ISHST, TLBI, DSB ISH, ISB).
func (as *AddressSpace) invalidate(vas []uint64) {
	if len(vas) == 0 {
		return
	}
	as.vm.tlb.DSBISHST()
	if !as.kernel && len(vas) > maxTLBIsPerCall {
		// Dropping the whole ASID is cheaper than hundreds of broadcasts,
		// and only this space's entries go.
		as.vm.tlb.TLBIASIDE1IS(as.asid)
	} else {
		for _, va := range vas {
			as.tlbi(va)
		}
	}
	as.vm.tlb.DSBISH()
	as.vm.tlb.ISB()
}

// maxTLBIsPerCall is how many pages one call invalidates one by one before
// a user space drops its whole ASID instead (Linux uses a similar cut-off,
// MAX_DVM_OPS, of a few hundred).
const maxTLBIsPerCall = 64

// tlbi drops va's TLB entries: kernel entries are global, so all ASIDs.
func (as *AddressSpace) tlbi(va uint64) {
	if as.kernel {
		as.vm.tlb.TLBIVAAE1IS(va)
	} else {
		as.vm.tlb.TLBIVAE1IS(as.asid, va)
	}
}

// split replaces the block descriptor d at slot (level 1 or 2, mapping
// blockVA) with a table of 512 entries one level down that map the same
// memory the same way.
//
// Changing a block into a table changes the block size, which the
// architecture allows only with break-before-make (ARM ARM D8.16.1): if the
// old and new entries could both be in TLBs at once, a core might see
// either or a mix of both (a "TLB conflict"). So:
//  1. write the new table, and make it visible (DSB ISHST);
//  2. break: write an invalid descriptor, DSB ISHST;
//  3. remove the block from every TLB: TLBI by VA, DSB ISH;
//  4. make: write the table descriptor, DSB ISHST, ISB.
//
// Between 2 and 4 another core touching the block takes a translation
// fault; the fault handler must retake the space's lock and retry, and will
// then find the new table.
func (as *AddressSpace) split(slot uint64, level int, blockVA uint64, d PTE) error {
	t, err := as.vm.newTable() // zeroed, with its DSB ISHST
	if err != nil {
		return err
	}
	cs := levelSize(level + 1)
	for i := uint64(0); i < entriesPerTable; i++ {
		as.vm.mem.Store64(t+i*8, uint64(MakeLeaf(level+1, d.Addr()+i*cs, d.Attr(), d.Prot())))
	}
	as.vm.tlb.DSBISHST()
	as.vm.mem.Store64(slot, 0) // break
	as.vm.tlb.DSBISHST()
	as.tlbi(blockVA)
	as.vm.tlb.DSBISH()
	as.vm.mem.Store64(slot, uint64(MakeTable(t))) // make
	as.vm.tlb.DSBISHST()
	as.vm.tlb.ISB()
	return nil
}

// Protect changes the access of every page in [va, va+size), which must all
// be mapped. Only permission bits change, which the architecture allows
// without break-before-make (D8.16.1 lists what needs it: output address,
// memory type, shareability, block size); so the new descriptor is written
// over the old, then the stale TLB entries are dropped.
func (as *AddressSpace) Protect(va, size uint64, prot Prot) error {
	if !as.kernel {
		prot |= ProtUser
	}
	if err := as.checkRange(va, size); err != nil {
		return err
	}
	if !prot.valid() || (as.kernel && prot&ProtUser != 0) {
		return fmt.Errorf("mm: protection %v is not allowed here: %w", prot, ErrBadArgument)
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	// Check first, so a hole fails the call before anything changed.
	for cur := va; cur < va+size; {
		_, level, d := as.lookup(cur)
		if !d.IsLeaf(level) {
			return fmt.Errorf("mm: protect %#x+%#x: %#x: %w", va, size, cur, ErrNotMapped)
		}
		cur = alignDown(cur, levelSize(level)) + levelSize(level)
	}
	var changed []uint64
	for cur, end := va, va+size; cur < end; {
		slot, level, d := as.lookup(cur)
		bs := levelSize(level)
		if cur%bs != 0 || end-cur < bs {
			if err := as.split(slot, level, alignDown(cur, bs), d); err != nil {
				as.invalidate(changed)
				return err
			}
			continue
		}
		as.vm.mem.Store64(slot, uint64(MakeLeaf(level, d.Addr(), d.Attr(), prot)))
		changed = append(changed, cur)
		cur += bs
	}
	as.invalidate(changed)
	return nil
}

// Translation is what a virtual address maps to.
type Translation struct {
	PA    uint64 // physical address of the byte at va
	Attr  Attr
	Prot  Prot
	Level int // 3 for a page, 2 or 1 for a block
}

// Translate walks the tables as the MMU would and returns where va goes, or
// an error wrapping ErrNotMapped. Any TTBR0 address works: a user space
// also translates the kernel region, as the MMU does while it runs.
func (as *AddressSpace) Translate(va uint64) (Translation, error) {
	if va >= KernelTop {
		return Translation{}, fmt.Errorf("mm: translate %#x: outside TTBR0's range: %w", va, ErrNotMapped)
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	_, level, d := as.lookup(va)
	if !d.IsLeaf(level) {
		return Translation{}, fmt.Errorf("mm: translate %#x: %w", va, ErrNotMapped)
	}
	return Translation{PA: d.Addr() + va&(levelSize(level)-1), Attr: d.Attr(), Prot: d.Prot(), Level: level}, nil
}

// Destroy frees a user space's tables and its ASID. The caller guarantees
// no core still runs with its TTBR0. The TLB entries go first, so no walk
// cache can point into a table page after it is reused.
func (as *AddressSpace) Destroy() {
	if as.kernel {
		panic("mm: Destroy of the kernel address space")
	}
	as.mu.Lock()
	defer as.mu.Unlock()
	as.vm.tlb.TLBIASIDE1IS(as.asid)
	as.vm.tlb.DSBISH()
	for i := uint64(0); i < entriesPerTable/2; i++ { // user half of L0 only
		if d := PTE(as.vm.mem.Load64(as.root + i*8)); d.IsTable(0) {
			as.freeTables(d.Addr(), 1)
		}
	}
	as.vm.freeTable(as.root)
	as.vm.mu.Lock()
	as.vm.asids.free(as.asid)
	as.vm.spaces--
	as.vm.mu.Unlock()
	as.root, as.mapped = 0, 0
}

// freeTables frees the table at pa (at level) and every table below it.
func (as *AddressSpace) freeTables(pa uint64, level int) {
	if level < 3 {
		for i := uint64(0); i < entriesPerTable; i++ {
			if d := PTE(as.vm.mem.Load64(pa + i*8)); d.IsTable(level) {
				as.freeTables(d.Addr(), level+1)
			}
		}
	}
	as.vm.freeTable(pa)
}
