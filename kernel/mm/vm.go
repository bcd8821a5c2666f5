package mm

import (
	"errors"
	"fmt"
	"sync"
)

// PageAllocator is what the virtual memory code needs from the physical
// allocator; *Buddy provides it.
type PageAllocator interface {
	Alloc(order int) (uint64, error)
	Free(pa uint64) error
}

// VM is the virtual memory manager: it owns the kernel region's tables,
// hands out ASIDs, and creates address spaces.
//
// The kernel region (L0 entries 256..511 of every TTBR0 table) must look the
// same in every address space. Rather than copying each change into every
// space, VM allocates all 256 level-1 tables of the kernel region once, at
// NewVM (or AdoptVM), and every space's L0 table points at those same L1
// tables. Kernel mappings are made below the L1 tables, so the L0 entries
// never change and every space sees every kernel mapping at once. The cost
// is 1 MiB of RAM for the L1 tables.
type VM struct {
	mem   PhysMem
	pages PageAllocator
	tlb   TLB

	kernel *AddressSpace // ASID 0, maps only the kernel region

	mu     sync.Mutex // guards asids and spaces
	asids  asidAllocator
	spaces int

	tables counter    // page-table pages in use, all spaces
	refs   pageRefs   // mappings of each anonymous user page (user.go)
	faults FaultStats // all spaces together
}

// counter is a tiny mutex-guarded statistic, so that AddressSpace locks
// need not nest inside VM.mu.
type counter struct {
	mu sync.Mutex
	n  int64
}

func (c *counter) add(d int64) { c.mu.Lock(); c.n += d; c.mu.Unlock() }
func (c *counter) get() int64  { c.mu.Lock(); defer c.mu.Unlock(); return c.n }

// Errors of the virtual memory code.
var (
	ErrBadArgument = errors.New("bad argument")
	ErrOverlap     = errors.New("range is already mapped")
	ErrNotMapped   = errors.New("address is not mapped")
	ErrNoASID      = errors.New("out of ASIDs")
)

// NewVM preallocates the kernel region's tables and returns the manager.
func NewVM(mem PhysMem, pages PageAllocator, tlb TLB) (*VM, error) {
	vm := &VM{mem: mem, pages: pages, tlb: tlb}
	vm.asids.init()
	// 256 L1 tables, one per L0 entry of the kernel half: one 1 MiB block.
	l1, err := pages.Alloc(8)
	if err != nil {
		return nil, fmt.Errorf("mm: kernel L1 tables: %w", err)
	}
	mem.Zero(l1, 256*PageSize)
	tlb.DSBISHST()
	vm.tables.add(256)
	root, err := vm.newTable()
	if err != nil {
		pages.Free(l1)
		return nil, err
	}
	for i := uint64(0); i < 256; i++ {
		mem.Store64(root+(256+i)*8, uint64(MakeTable(l1+i*PageSize)))
	}
	vm.kernel = &AddressSpace{vm: vm, root: root, asid: 0, kernel: true}
	tlb.DSBISHST()
	return vm, nil
}

// AdoptVM builds the manager around kernel-region tables that already
// exist: the C core's, whose L0 table is at kernelRoot (vm_ttbr0 in
// ckernel/vm.c), with the Go runtime's heap already mapped below it.
//
// The C core allocates tables on demand, so some kernel L0 entries may
// still be empty. AdoptVM fills each with a fresh L1 table now; that is an
// invalid-to-valid change, which needs no TLB maintenance. From then on no
// kernel L0 entry changes again, on either side, so every space made by
// NewSpace shares every kernel mapping, whether Go or C makes it.
//
// The tables the C core made stay the C core's: they come from its page
// allocator, which must be listed in Config.Reserved.
func AdoptVM(mem PhysMem, pages PageAllocator, tlb TLB, kernelRoot uint64) (*VM, error) {
	vm := &VM{mem: mem, pages: pages, tlb: tlb}
	vm.asids.init()
	for i := uint64(256); i < entriesPerTable; i++ {
		slot := kernelRoot + i*8
		d := PTE(mem.Load64(slot))
		if d.IsTable(0) {
			continue
		}
		if d.Valid() {
			return nil, fmt.Errorf("mm: kernel L0 entry %d is %v, not a table: %w", i, d, ErrBadArgument)
		}
		t, err := vm.newTable()
		if err != nil {
			return nil, fmt.Errorf("mm: kernel L1 tables: %w", err)
		}
		mem.Store64(slot, uint64(MakeTable(t)))
	}
	vm.kernel = &AddressSpace{vm: vm, root: kernelRoot, asid: 0, kernel: true}
	tlb.DSBISHST()
	tlb.ISB()
	return vm, nil
}

// fillKernelL0 copies the kernel's L0 entries 256..511 into a new space's
// root, so that it shares the kernel's L1 tables.
func (vm *VM) fillKernelL0(root uint64) {
	for i := uint64(256); i < entriesPerTable; i++ {
		vm.mem.Store64(root+i*8, vm.mem.Load64(vm.kernel.root+i*8))
	}
}

// Kernel returns the kernel's address space: the kernel region only, ASID 0.
// Map kernel memory through it; every user space sees the result.
func (vm *VM) Kernel() *AddressSpace { return vm.kernel }

// NewSpace creates a user address space: a fresh L0 table whose kernel half
// points at the shared kernel L1 tables, and its own ASID.
func (vm *VM) NewSpace() (*AddressSpace, error) {
	vm.mu.Lock()
	asid, ok := vm.asids.alloc()
	if ok {
		vm.spaces++
	}
	vm.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("mm: new address space: %w", ErrNoASID)
	}
	root, err := vm.newTable()
	if err != nil {
		vm.mu.Lock()
		vm.asids.free(asid)
		vm.spaces--
		vm.mu.Unlock()
		return nil, err
	}
	vm.fillKernelL0(root)
	vm.tlb.DSBISHST()
	return &AddressSpace{vm: vm, root: root, asid: asid}, nil
}

// newTable allocates and zeroes one page for a translation table. The DSB
// makes the zeroes visible to the table walker before any descriptor that
// points at the table is written, so a walker on another core can never
// read stale bytes through the new table.
func (vm *VM) newTable() (uint64, error) {
	pa, err := vm.pages.Alloc(0)
	if err != nil {
		return 0, fmt.Errorf("mm: page table: %w", err)
	}
	vm.mem.Zero(pa, PageSize)
	vm.tlb.DSBISHST()
	vm.tables.add(1)
	return pa, nil
}

func (vm *VM) freeTable(pa uint64) {
	if err := vm.pages.Free(pa); err != nil {
		panic("mm: freeing a page table: " + err.Error()) // a bug in this package
	}
	vm.tables.add(-1)
}

// VMStats is a snapshot of the virtual memory counters.
type VMStats struct {
	TablePages   int64 // translation table pages, all spaces and the kernel
	Spaces       int   // live user address spaces
	KernelMapped uint64

	// Faults resolved or refused, all spaces together.
	DemandZero, COWCopied, COWReused, SpuriousFaults, BadFaults uint64
}

// Stats returns a snapshot of the counters.
func (vm *VM) Stats() VMStats {
	vm.mu.Lock()
	spaces := vm.spaces
	vm.mu.Unlock()
	f := &vm.faults
	return VMStats{
		TablePages: vm.tables.get(), Spaces: spaces, KernelMapped: vm.kernel.Mapped(),
		DemandZero: f.DemandZero.Load(), COWCopied: f.COWCopied.Load(), COWReused: f.COWReused.Load(),
		SpuriousFaults: f.Spurious.Load(), BadFaults: f.Bad.Load(),
	}
}

// asidAllocator hands out 16-bit ASIDs (the Cortex-A72 has 16-bit ASIDs,
// ID_AA64MMFR0_EL1.ASIDBits = 0b0010, enabled by TCR_EL1.AS = 1). ASID 0 is
// the kernel's. There is no rollover: when all 65535 are in use, creating a
// space fails. A bitmap with a next-fit cursor keeps allocation cheap.
type asidAllocator struct {
	used [65536 / 64]uint64
	next int
}

func (a *asidAllocator) init() { a.used[0] = 1; a.next = 1 } // reserve ASID 0

func (a *asidAllocator) alloc() (uint16, bool) {
	for n := 0; n < 65536; n++ {
		i := (a.next + n) % 65536
		if a.used[i/64]&(1<<(i%64)) == 0 {
			a.used[i/64] |= 1 << (i % 64)
			a.next = i + 1
			return uint16(i), true
		}
	}
	return 0, false
}

func (a *asidAllocator) free(asid uint16) { a.used[asid/64] &^= 1 << (asid % 64) }
