// vm.c: building and changing the kernel region's page tables (ARM ARM
// D8.3): 4 KiB pages, four levels, tables allocated from palloc on demand.
//
// Every kernel-region page is EL1-only (AP[1] = 0), so a user program can
// never touch the Go kernel; and never executable from EL0 (UXN). A page is
// executable at EL1 only when its permissions say so (PXN otherwise), and a
// writable page is never executable: W^X for the Go kernel too.
#include "vm.h"
#include "arch.h"
#include "lib.h"
#include "memlayout.h"
#include "mmu.h"
#include "palloc.h"

u64 vm_committed;
u64 vm_ttbr0;

static u64 idx(u64 va, int level) { return (va >> (39 - 9 * level)) & 511; }

// walk returns the L3 entry for va, creating missing tables when create is
// set; NULL if it does not exist (or cannot be made).
static u64 *walk(u64 va, bool create) {
	u64 *table = PHYS_TO_VIRT(vm_ttbr0);
	for (int level = 0; level < 3; level++) {
		u64 *e = &table[idx(va, level)];
		if (!(*e & PTE_VALID)) {
			if (!create)
				return NULL;
			u64 pa = palloc_alloc(1);
			if (!pa)
				return NULL;
			*e = pa | PTE_TABLE | PTE_VALID;
		}
		table = PHYS_TO_VIRT(*e & PTE_ADDR_MASK);
	}
	return &table[idx(va, 3)];
}

bool vm_tlbi_local;

// flush drops every core's TLB entries for one page after its table entry
// changed. The barriers, in order:
//   1. DSB ISHST: the new (or zeroed) table entry is visible to every
//      core's table walker before any TLB is told to forget the old one;
//      otherwise a walk could refill the TLB from the old entry.
//   2. TLBI VAAE1IS (ARM ARM C5.5.66): by VA, for any ASID (the kernel
//      region is global), and Inner Shareable: the hardware broadcasts it
//      to every core in the domain, so no IPI is needed.
//   3. DSB ISH: waits until every core has completed the invalidation
//      (D8.13.8: completion of a broadcast TLBI is guaranteed only by a DSB
//      on the issuing core). After it, no core can still use the old
//      translation, so the caller may free or reuse the page.
//   4. ISB: this core's own later instructions are fetched and translated
//      afresh.
// vm_tlbi_local (set only by the shootdown test's control run) uses TLBI
// VAAE1 instead, which reaches this core only: the test must then see a
// reader on another core use the stale entry.
static void flush(u64 va) {
	dsb(ishst);
	if (vm_tlbi_local) {
		__asm__ volatile("tlbi vaae1, %0" ::"r"(va >> 12) : "memory");
		dsb(nsh);
	} else {
		__asm__ volatile("tlbi vaae1is, %0" ::"r"(va >> 12) : "memory");
		dsb(ish);
	}
	isb();
}

static u64 attrs(int prot) {
	u64 a = PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_UXN | PTE_TABLE | PTE_VALID;
	if (!(prot & VM_WRITE))
		a |= PTE_AP_RO;
	if (!(prot & VM_EXEC) || (prot & VM_WRITE))
		a |= PTE_PXN;
	return a;
}

void vm_init(void) {
	vm_ttbr0 = palloc_alloc(1);
	// Every kernel L0 slot (VA 2^47 and up: indexes 256-511) gets its L1
	// table now, so the L0 table never changes again: the Go memory manager
	// adopts this table (kernel/mm AdoptVM) and C and Go never race to fill
	// the same slot. Costs 1 MiB.
	u64 *l0 = PHYS_TO_VIRT(vm_ttbr0);
	for (int i = 256; i < 512; i++)
		l0[i] = palloc_alloc(1) | PTE_TABLE | PTE_VALID;
	write_sysreg(ttbr0_el1, vm_ttbr0);
	write_sysreg(tcr_el1, read_sysreg(tcr_el1) & ~(1UL << 7)); // EPD0 = 0: walk TTBR0 again
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
}

bool vm_map(u64 va, u64 pa, int prot) {
	u64 *e = walk(va, true);
	if (!e)
		return false;
	bool was = *e & PTE_VALID;
	*e = pa | attrs(prot);
	if (was)
		flush(va);
	else
		vm_committed++;
	dsb(ishst);
	return true;
}

u64 vm_unmap(u64 va) {
	u64 *e = walk(va, false);
	if (!e || !(*e & PTE_VALID))
		return 0;
	u64 pa = *e & PTE_ADDR_MASK;
	*e = 0;
	flush(va);
	vm_committed--;
	return pa;
}

bool vm_protect(u64 va, int prot) {
	u64 *e = walk(va, false);
	if (!e || !(*e & PTE_VALID))
		return false;
	*e = (*e & PTE_ADDR_MASK) | attrs(prot);
	flush(va);
	return true;
}

u64 vm_lookup(u64 va) {
	u64 *e = walk(va, false);
	return e && (*e & PTE_VALID) ? (*e & PTE_ADDR_MASK) | (va & 0xfff) : 0;
}

// vm_unmap_range unmaps every page in [start, end) and frees its RAM. It
// skips a whole missing table at once (512 GiB, 1 GiB or 2 MiB of VA), so
// dropping a large reservation that was never touched costs a few steps,
// not one per page.
void vm_unmap_range(u64 start, u64 end) {
	for (u64 va = start; va < end;) {
		u64 *table = PHYS_TO_VIRT(vm_ttbr0);
		int level;
		for (level = 0; level < 3; level++) {
			u64 e = table[idx(va, level)];
			if (!(e & PTE_VALID))
				break;
			table = PHYS_TO_VIRT(e & PTE_ADDR_MASK);
		}
		if (level < 3) { // no table here: skip to the next entry at this level
			u64 span = 1UL << (39 - 9 * level);
			va = ALIGN_DOWN(va, span) + span;
			continue;
		}
		u64 *e = &table[idx(va, 3)];
		if (*e & PTE_VALID) {
			u64 pa = *e & PTE_ADDR_MASK;
			*e = 0;
			flush(va);
			vm_committed--;
			palloc_free(pa, 1);
		}
		va += PAGE_SIZE;
	}
}
