package mm

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// KernelMemoryManager ties the memory manager's parts together, as the plan
// (Phase 2.1) sketches it: physical memory, virtual memory, static pools and
// the DMA allocator.
type KernelMemoryManager struct {
	RAM      []Region // RAM banks, from the device tree
	Reserved []Region // everything kept out of the page allocator

	Phys *Buddy
	VM   *VM
	DMA  *DMAAllocator

	direct *DirectMap
	mu     sync.Mutex // guards pools
	pools  []interface{ Stats() PoolStats }
}

// Config is what Initialize needs from the boot code.
type Config struct {
	Tree *fdt.Tree // the parsed device tree
	// Direct is the direct map of physical memory. At EL1:
	// NewDirectMap(DirectMapBase+ramBase, ramBase, ramSize).
	Direct *DirectMap
	TLB    TLB   // ArchTLB{} at EL1
	Cache  Cache // ArchCache{Direct} at EL1
	// Reserved lists the ranges the device tree does not know about but
	// that are in use: the C core and kernel images, their stacks and page
	// tables, the Go runtime's memory, and the DTB blob itself.
	Reserved []Region
	// DMABus is the path of the bus whose devices use DMA buffers ("/soc"
	// on the BCM2711). Empty means bus addresses equal physical ones.
	DMABus string
	// KernelRoot is the physical address of the C core's kernel-region L0
	// table (vm_ttbr0) to adopt, or 0 to build fresh tables (host tests).
	KernelRoot uint64
}

// Initialize brings the memory manager up. The order matters: each step
// uses the ones before it.
func (k *KernelMemoryManager) Initialize(cfg Config) error {
	if cfg.Tree == nil || cfg.Direct == nil || cfg.TLB == nil || cfg.Cache == nil {
		return fmt.Errorf("mm: Initialize needs a tree, a direct map, a TLB and a cache: %w", ErrBadArgument)
	}
	var err error
	// 1. Where RAM is: the device tree's memory nodes.
	if k.RAM, err = cfg.Tree.Memory(); err != nil {
		return fmt.Errorf("mm: reading /memory: %w", err)
	}
	for _, r := range k.RAM {
		if !cfg.Direct.Covers(r) {
			return fmt.Errorf("mm: RAM [%#x, +%#x) is not in the direct map: %w", r.Address, r.Size, ErrBadArgument)
		}
	}
	// 2. What to keep out of it: /memreserve/, the static /reserved-memory
	//    nodes, and what the boot code already uses. Dynamic reservations
	//    (the Pi's 64 MiB linux,cma pool) are Linux policy and not honoured.
	rsv, err := cfg.Tree.StaticReservations()
	if err != nil {
		return fmt.Errorf("mm: reading reservations: %w", err)
	}
	k.Reserved = append(rsv, cfg.Reserved...)
	// 3. The physical page allocator over the rest.
	if k.Phys, err = NewBuddy(k.RAM, k.Reserved); err != nil {
		return err
	}
	// 4. Virtual memory: the shared kernel L1 tables, the kernel space, ASIDs.
	if cfg.KernelRoot != 0 {
		k.VM, err = AdoptVM(cfg.Direct, k.Phys, cfg.TLB, cfg.KernelRoot)
	} else {
		k.VM, err = NewVM(cfg.Direct, k.Phys, cfg.TLB)
	}
	if err != nil {
		return err
	}
	// 5. Static pools are created by the subsystems that use them, with
	//    CreatePool, from pages of the allocator; here they only need the
	//    direct map.
	k.direct = cfg.Direct
	// 6. The DMA allocator, with the bus's dma-ranges.
	bus := fdt.DMAMap{Identity: true}
	if cfg.DMABus != "" {
		n := cfg.Tree.Lookup(cfg.DMABus)
		if n == nil {
			return fmt.Errorf("mm: DMA bus %s is not in the device tree: %w", cfg.DMABus, ErrBadArgument)
		}
		if bus, err = cfg.Tree.DMABelow(n); err != nil {
			return err
		}
	}
	k.DMA = NewDMAAllocator(k.Phys, cfg.Direct, cfg.Cache, k.VM.Kernel(), bus)
	return nil
}

// CreatePool makes a static pool of count objects of type T in fresh
// physical pages (at most 4 MiB), and registers it for Stats.
func CreatePool[T any](k *KernelMemoryManager, name string, count int) (*Pool[T], error) {
	if err := checkPointerFree(reflect.TypeFor[T]()); err != nil {
		return nil, err
	}
	size := uint64(count) * uint64(poolStride[T]())
	order := OrderFor(size)
	if count <= 0 || order > MaxOrder {
		return nil, fmt.Errorf("mm: pool %s of %d objects: %w", name, count, ErrBadArgument)
	}
	pa, err := k.Phys.Alloc(order)
	if err != nil {
		return nil, fmt.Errorf("mm: pool %s: %w", name, err)
	}
	p, err := NewPool[T](name, k.direct, pa, PageSize<<order)
	if err != nil {
		k.Phys.Free(pa)
		return nil, err
	}
	k.mu.Lock()
	k.pools = append(k.pools, p)
	k.mu.Unlock()
	return p, nil
}

// MemStats is everything the memory manager counts, for the debugger and
// /proc/meminfo.
type MemStats struct {
	Phys  BuddyStats
	VM    VMStats
	Pools []PoolStats
	DMA   DMAStats
}

// Stats returns a snapshot of every part's counters.
func (k *KernelMemoryManager) Stats() MemStats {
	s := MemStats{Phys: k.Phys.Stats(), VM: k.VM.Stats(), DMA: k.DMA.Stats()}
	k.mu.Lock()
	for _, p := range k.pools {
		s.Pools = append(s.Pools, p.Stats())
	}
	k.mu.Unlock()
	return s
}

// Meminfo formats the statistics as /proc/meminfo does ("Name:  value kB"
// lines), with Linux's names where one exists and Burrow's own after them.
func (s MemStats) Meminfo() string {
	kB := func(pages uint64) uint64 { return pages * PageSize / 1024 }
	var b strings.Builder
	line := func(name string, v uint64, unit string) {
		fmt.Fprintf(&b, "%-16s%10d%s\n", name+":", v, unit)
	}
	line("MemTotal", kB(s.Phys.TotalPages), " kB")
	line("MemFree", kB(s.Phys.FreePages), " kB")
	line("PageTables", kB(uint64(s.VM.TablePages)), " kB")
	line("DMABuffers", s.DMA.Bytes/1024, " kB")
	line("Reserved", kB(s.Phys.ReservedPages), " kB")
	for k, n := range s.Phys.FreeBlocks {
		line(fmt.Sprintf("FreeBlocks%d", k), n, "")
	}
	line("DemandZero", s.VM.DemandZero, "")
	line("COWCopied", s.VM.COWCopied, "")
	line("BadFaults", s.VM.BadFaults, "")
	line("BadFrees", s.Phys.BadFrees, "")
	for _, p := range s.Pools {
		line("Pool "+p.Name, uint64(p.InUse), fmt.Sprintf(" of %d", p.Capacity))
	}
	return b.String()
}
