// vm.h: the kernel region's page tables. The Go kernel lives at VA
// 2^47..2^48 in TTBR0 (memlayout.h); these tables map it, page by page.
#pragma once
#include "types.h"

// Page permissions for vm_map, as Linux's PROT_* values.
#define VM_READ 1
#define VM_WRITE 2
#define VM_EXEC 4

// vm_init allocates the kernel region's top-level table and loads it into
// TTBR0, re-enabling TTBR0 walks.
void vm_init(void);
// vm_map maps the page at va to the physical page pa with prot. It returns
// false if a page table could not be allocated.
bool vm_map(u64 va, u64 pa, int prot);
// vm_unmap removes the mapping of the page at va and returns the physical
// page it mapped, or 0 if there was none.
u64 vm_unmap(u64 va);
// vm_unmap_range unmaps [start, end) and frees the RAM of every page it
// mapped; missing tables are skipped whole.
void vm_unmap_range(u64 start, u64 end);
// vm_protect changes the permissions of a mapped page; false if unmapped.
bool vm_protect(u64 va, int prot);
// vm_lookup returns the physical address va maps to, or 0.
u64 vm_lookup(u64 va);
// vm_tlbi_local makes page flushes reach this core only: the TLB
// shootdown test's control run (smptest.c), never set otherwise.
extern bool vm_tlbi_local;
// vm_committed counts the pages mapped through vm_map and not yet unmapped.
extern u64 vm_committed;
// vm_ttbr0 is the physical address of the kernel region's L0 table.
extern u64 vm_ttbr0;
