package mm

// The virtual address layout (ARCHITECTURE.md, "What the C core owns: MMU").
// With T0SZ = T1SZ = 16, TTBR0_EL1 translates [0, 2^48) and TTBR1_EL1
// translates [0xffff_0000_0000_0000, 2^64); everything in between faults.
//
//	0xffff_ffff_ffff_ffff +-----------------------------+
//	                      | C core image, stacks        |  TTBR1: the C core's
//	                      | direct map of RAM and MMIO  |  tables, global
//	0xffff_0000_0000_0000 +-----------------------------+  (DirectMapBase)
//	                      |     (not translatable)      |
//	0x0001_0000_0000_0000 +-----------------------------+  KernelTop
//	                      | Go kernel: image, Go heap,  |  TTBR0, L0 entries
//	                      | DMA window (DMABase), ...   |  256..511: shared by
//	                      |                             |  every address space,
//	0x0000_8000_0000_0000 +-----------------------------+  EL1-only, global
//	                      | user program (EL0)          |  TTBR0, L0 entries
//	                      |                             |  0..255: one set per
//	0x0000_0000_0000_0000 +-----------------------------+  process, nG, ASID
//
// The Go kernel lives in the lower half, not in TTBR1, because the Go
// runtime assumes its heap is below 2^48.
const (
	VABits     = 48
	UserTop    = 1 << 47 // user addresses are [0, UserTop)
	KernelBase = 1 << 47 // the Go kernel region is [KernelBase, KernelTop)
	KernelTop  = 1 << 48

	// DirectMapBase is where the C core maps all of physical memory in
	// TTBR1: physical address pa is at virtual DirectMapBase + pa.
	DirectMapBase = 0xffff_0000_0000_0000

	// DMABase is the kernel-region window where DMA buffers are mapped
	// non-cacheable, linearly: physical pa is at DMABase + pa. It is 1 TiB
	// into the kernel region, far above anything the Go runtime's heap
	// reaches, and 1 TiB long.
	DMABase = KernelBase + 1<<40
	DMATop  = DMABase + 1<<40

	// MaxPhys bounds physical addresses: 48 bits of output address.
	MaxPhys = 1 << 48
)

// Translation levels for a 4 KiB granule and 48-bit VA (ARM ARM D8.2.7):
// each level's table has 512 entries indexed by 9 bits of the VA.
//
//	 47      39 38      30 29      21 20      12 11         0
//	+----------+----------+----------+----------+------------+
//	| L0 index | L1 index | L2 index | L3 index | page offset|
//	+----------+----------+----------+----------+------------+
//
// An L0 entry covers 512 GiB, L1 1 GiB, L2 2 MiB and L3 4 KiB. L1 and L2
// entries may be blocks that map their whole range directly.
const (
	levels          = 4
	entriesPerTable = 512
)

// levelShift is the VA bit where level's index starts.
func levelShift(level int) uint { return uint(39 - 9*level) }

// levelSize is how much one entry at level maps.
func levelSize(level int) uint64 { return 1 << levelShift(level) }

// tableIndex is va's index in a level's table.
func tableIndex(va uint64, level int) uint64 { return va >> levelShift(level) & (entriesPerTable - 1) }
