// cfuncs.c: the direct-call table and the fixed-size object allocator.
//
// go_alloc_kernel_memory hands out objects from size classes of 16 bytes to
// 2 KiB, powers of two. Each class keeps a free list threaded through the
// free objects themselves; an empty list is refilled by carving one fresh
// page. A page's class is remembered in a small table, so free needs no
// size. Objects come from the direct map, so C and Go see the same address.
#include "cfuncs.h"
#include "gic.h"
#include "lib.h"
#include "memlayout.h"
#include "palloc.h"
#include "spinlock.h"

#define MIN_SHIFT 4  // 16 bytes
#define MAX_SHIFT 11 // 2 KiB
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)

struct free_obj {
	struct free_obj *next;
};
// alloc_lock guards the free lists and page_class. A direct call arrives
// from any core with IRQs masked and holding no other lock. Order: before
// palloc_lock (a refill takes a page).
struct spinlock alloc_lock = SPINLOCK_INIT("alloc", RANK_ALLOC);
static struct free_obj *free_list[NCLASSES];

// page_class maps a physical page number to its class + 1 (0 = not ours).
// 1 byte per page of the first 4 GiB: enough for a Pi 4's low memory.
#define CLASS_PAGES (4 * GiB / PAGE_SIZE)
static u8 *page_class;

static int class_of(size_t size) {
	int c = 0;
	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

// alloc_locked is go_alloc_kernel_memory with alloc_lock held.
static void *alloc_locked(size_t size) {
	if (!page_class) {
		u64 pa = palloc_alloc(CLASS_PAGES / PAGE_SIZE);
		if (!pa)
			return NULL;
		page_class = PHYS_TO_VIRT(pa);
	}
	int c = class_of(size);
	if (!free_list[c]) {
		u64 pa = palloc_alloc(1);
		if (!pa || pa >= 4 * GiB)
			return NULL;
		page_class[pa / PAGE_SIZE] = (u8)(c + 1);
		size_t obj = 1UL << (c + MIN_SHIFT);
		for (size_t off = 0; off < PAGE_SIZE; off += obj) {
			struct free_obj *o = (struct free_obj *)((u8 *)PHYS_TO_VIRT(pa) + off);
			o->next = free_list[c];
			free_list[c] = o;
		}
	}
	struct free_obj *o = free_list[c];
	free_list[c] = o->next;
	return o;
}

void *go_alloc_kernel_memory(size_t size) {
	if (size == 0 || size > (1UL << MAX_SHIFT))
		return NULL;
	spin_lock(&alloc_lock);
	void *p = alloc_locked(size);
	spin_unlock(&alloc_lock);
	return p;
}

static void free_locked(void *p) {
	u64 pa = VIRT_TO_PHYS(p);
	int c = pa < 4 * GiB ? page_class[pa / PAGE_SIZE] - 1 : -1;
	if (c < 0)
		return; // not from this allocator: ignore rather than corrupt
	struct free_obj *o = p;
	o->next = free_list[c];
	free_list[c] = o;
}

void go_free_kernel_memory(void *p) {
	if (!p)
		return;
	spin_lock(&alloc_lock);
	if (page_class)
		free_locked(p);
	spin_unlock(&alloc_lock);
}

__attribute__((noinline)) u64 c_nop(u64 x) {
	__asm__ volatile("" ::: "memory"); // keep the call from being folded away
	return x;
}

u64 c_call_loop(u64 n) {
	u64 sum = 0;
	for (u64 i = 0; i < n; i++)
		sum += c_nop(i);
	return sum;
}

// c_irq_raise sets interrupt id pending at the distributor, as if its device
// had signalled it: tests use it to exercise the path from the C top half to
// a goroutine blocked in WaitIRQ without any real device.
u64 c_irq_raise(u64 id) {
	gic_set_pending((u32)id);
	return 0;
}

void *const cfuncs[] = {
	[CFUNC_ALLOC] = (void *)go_alloc_kernel_memory,
	[CFUNC_FREE] = (void *)go_free_kernel_memory,
	[CFUNC_NOP] = (void *)c_nop,
	[CFUNC_LOOP] = (void *)c_call_loop,
	[CFUNC_IRQ_RAISE] = (void *)c_irq_raise,
	[CFUNC_PL011_ATTACH] = (void *)c_pl011_attach,
	[CFUNC_PL011_WRITE] = (void *)c_pl011_write,
	[CFUNC_PL011_DRAIN] = (void *)c_pl011_drain,
};
const u64 cfunc_count = ARRAY_LEN(cfuncs);
