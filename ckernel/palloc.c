// palloc.c: a bitmap page allocator: one bit per 4 KiB page of the managed
// physical range, 1 = in use. A bitmap is the simplest structure that can
// find contiguous runs, and at 960 MiB of RAM it costs 30 KiB. Allocation is
// first-fit from a moving hint, so the common single-page case is O(1)
// amortised. The bitmap itself lives in the first free pages after the
// image.
//
// Locking: palloc_lock guards the bitmap and the counts. It is nearly a
// leaf: only console_lock may be taken under it, and it is taken under
// vm_lock, alloc_lock, threads_lock and the run queues' locks. Zeroing a
// fresh run happens after the lock is let go, since the pages are already
// the caller's.
#include "palloc.h"
#include "arch.h"
#include "lib.h"
#include "memlayout.h"
#include "spinlock.h"

static u64 *bitmap;    // direct-map address of the bitmap
static u64 base_pa;    // physical address of page 0
static u64 npages;     // pages covered by the bitmap
static u64 free_count;
static u64 hint;       // where the next search starts
static u64 handover_base, handover_size, managed_pages;
struct spinlock palloc_lock = SPINLOCK_INIT("palloc", RANK_PALLOC);

// zero_pages clears whole pages with DC ZVA, which zeroes one block (its size
// is in DCZID_EL0, ARM ARM D23.2.38) per instruction without reading it.
static void zero_pages(void *va, u64 n) {
	u64 block = 4UL << (read_sysreg(dczid_el0) & 0xf);
	for (u64 a = (u64)va, end = a + n * PAGE_SIZE; a < end; a += block)
		__asm__ volatile("dc zva, %0" ::"r"(a) : "memory");
}

static bool used(u64 i) { return bitmap[i / 64] >> (i % 64) & 1; }
static void set(u64 i) { bitmap[i / 64] |= 1UL << (i % 64); }
static void clear(u64 i) { bitmap[i / 64] &= ~(1UL << (i % 64)); }

// mark sets or clears the bits of every page overlapping [pa, pa+len).
static void mark(u64 pa, u64 len, bool in_use) {
	if (len == 0)
		return;
	u64 first = pa < base_pa ? 0 : (pa - base_pa) / PAGE_SIZE;
	u64 end = pa + len <= base_pa ? 0 : (ALIGN_UP(pa + len, PAGE_SIZE) - base_pa) / PAGE_SIZE;
	if (end > npages)
		end = npages;
	for (u64 i = first; i < end; i++) {
		if (in_use && !used(i)) {
			set(i);
			free_count--;
		} else if (!in_use && used(i)) {
			clear(i);
			free_count++;
		}
	}
}

void palloc_reserve(u64 pa, u64 len) { mark(pa, len, true); }

void palloc_init(const u64 *base, const u64 *size, int n, u64 image_end_pa, u64 dtb_pa,
		 u64 dtb_size, u64 handover_bytes) {
	// 1. The bitmap spans from the lowest to the highest RAM address.
	u64 lo = ~0UL, hi = 0;
	int largest = 0;
	for (int i = 0; i < n; i++) {
		if (base[i] < lo)
			lo = base[i];
		if (base[i] + size[i] > hi)
			hi = base[i] + size[i];
		if (size[i] > size[largest])
			largest = i;
	}
	base_pa = ALIGN_DOWN(lo, PAGE_SIZE);
	npages = (hi - base_pa) / PAGE_SIZE;
	// 2. Put the bitmap right after the image, all pages in use.
	u64 bitmap_pa = ALIGN_UP(image_end_pa, PAGE_SIZE);
	u64 bitmap_bytes = ALIGN_UP((npages + 63) / 64 * 8, PAGE_SIZE);
	bitmap = PHYS_TO_VIRT(bitmap_pa);
	memset(bitmap, 0xff, bitmap_bytes);
	free_count = 0;
	// 3. Free the RAM, then take back what is in use: everything below
	//    the end of the bitmap (firmware stubs, the image), the DTB.
	for (int i = 0; i < n; i++)
		mark(base[i], size[i], false);
	mark(base_pa, bitmap_pa + bitmap_bytes - base_pa, true);
	mark(dtb_pa, dtb_size, true);
	// 4. The hand-over region: the top of the largest RAM region.
	handover_size = ALIGN_DOWN(handover_bytes, 2 * MiB);
	handover_base = ALIGN_DOWN(base[largest] + size[largest] - handover_size, 2 * MiB);
	mark(handover_base, handover_size, true);
	managed_pages = free_count;
	hint = 0;
}

static u64 alloc_locked(u64 n) {
	if (n == 0 || n > free_count)
		return 0;
	// Two passes: from the hint to the end, then from the start.
	for (int pass = 0; pass < 2; pass++) {
		u64 start = pass == 0 ? hint : 0;
		u64 run = 0;
		for (u64 i = start; i < npages; i++) {
			if (bitmap[i / 64] == ~0UL && i % 64 == 0) { // skip full words
				i += 63;
				run = 0;
				continue;
			}
			run = used(i) ? 0 : run + 1;
			if (run == n) {
				u64 first = i + 1 - n;
				for (u64 j = first; j <= i; j++)
					set(j);
				free_count -= n;
				hint = i + 1;
				return base_pa + first * PAGE_SIZE;
			}
		}
	}
	return 0;
}

u64 palloc_alloc(u64 n) {
	spin_lock(&palloc_lock);
	u64 pa = alloc_locked(n);
	spin_unlock(&palloc_lock);
	if (pa)
		zero_pages(PHYS_TO_VIRT(pa), n);
	return pa;
}

void palloc_free(u64 pa, u64 n) {
	spin_lock(&palloc_lock);
	mark(pa, n * PAGE_SIZE, false);
	spin_unlock(&palloc_lock);
}

void palloc_stats(struct palloc_stats *s) {
	s->total_pages = managed_pages;
	s->free_pages = free_count;
	s->handover_base = handover_base;
	s->handover_size = handover_size;
}
