// boot.h: what boot learned, handed from boot_early (MMU off) to kmain.
#pragma once
#include "types.h"

#define MAX_RAM_REGIONS 8

// struct bootinfo holds only numbers, never pointers: it is written before
// the MMU is on, when every address is physical.
struct bootinfo {
	u64 dtb_pa;       // the device tree, physical
	u64 entry_count;  // CNTPCT_EL0 at the first instruction
	u64 entry_el;     // exception level the loader entered at (1, 2 or 3)
	u64 image_pa;     // where the loader put the image (its header)
	int nram;         // RAM regions from /memory reg
	u64 ram_base[MAX_RAM_REGIONS], ram_size[MAX_RAM_REGIONS];
	u64 initrd_pa, initrd_size; // the initial RAM disk, if /chosen names one
	bool have_dtb;     // a device tree was found at dtb_pa
	bool dtb_searched; // ... by searching RAM, not from x0
};

extern struct bootinfo bootinfo;

// boot_early runs at EL1 with the MMU off: it finds the device tree, reads
// the RAM regions and builds and loads the page tables.
void boot_early(u64 dtb_pa, u64 entry_count, u64 entry_el, u64 image_pa);
