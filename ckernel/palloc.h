// palloc.h: the C core's physical page allocator. It hands out 4 KiB pages
// of RAM, singly or in contiguous runs, to the C core's own needs: the Go
// kernel's image and heap (through mmap), page tables, and thread stacks.
// The Go kernel's memory manager gets a separate region of its own (see
// palloc_handover).
#pragma once
#include "spinlock.h"
#include "types.h"

// palloc_lock guards the page bitmap (palloc.c).
extern struct spinlock palloc_lock;

#define PAGE_SIZE 4096UL

// palloc_init takes the RAM regions from the device tree and makes every
// page free except those in use: below the end of the C core's image, the
// device tree, and the regions the tree reserves. It then sets aside
// handover_bytes at the top of the largest region for the Go kernel.
void palloc_init(const u64 *base, const u64 *size, int n, u64 image_end_pa, u64 dtb_pa,
		 u64 dtb_size, u64 handover_bytes);
// palloc_reserve marks [pa, pa+len) as in use (for /memreserve/ entries).
void palloc_reserve(u64 pa, u64 len);
// palloc_alloc returns the physical address of n contiguous zeroed pages,
// or 0 when no run that long is free.
u64 palloc_alloc(u64 n);
// palloc_free returns n pages starting at pa.
void palloc_free(u64 pa, u64 n);

// struct palloc_stats is what the console and the Go kernel can read.
struct palloc_stats {
	u64 total_pages; // RAM pages the allocator manages
	u64 free_pages;
	u64 handover_base, handover_size; // the Go kernel's region
};
void palloc_stats(struct palloc_stats *s);
