// cfuncs.c: the direct-call table and the fixed-size object allocator.
//
// go_alloc_kernel_memory hands out objects from size classes of 16 bytes to
// 2 KiB, powers of two. Each class keeps a free list threaded through the
// free objects themselves; an empty list is refilled by carving one fresh
// page. A page's class is remembered in a small table, so free needs no
// size. Objects come from the direct map, so C and Go see the same address.
//
// The free lists are per CPU, as Linux's SLUB keeps per-CPU slabs: a
// direct call runs with IRQs masked and cannot move to another core while
// it runs, so a core's own lists need no lock at all. An object freed on
// another core than the one that allocated it simply joins that core's
// list. Only the class table's creation, once, takes alloc_lock.
#include "cfuncs.h"
#include "cpu.h"
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
// alloc_lock guards the creation of page_class (once). Order: before
// palloc_lock (it takes pages).
struct spinlock alloc_lock = SPINLOCK_INIT("alloc", RANK_ALLOC);
static struct free_obj *free_list[MAX_CPUS][NCLASSES]; // each CPU's own: no lock

// page_class maps a physical page number to its class + 1 (0 = not ours).
// 1 byte per page of the first 4 GiB: enough for a Pi 4's low memory. A
// page's byte is written by the core that carves the page, before any of
// its objects can reach another core.
#define CLASS_PAGES (4 * GiB / PAGE_SIZE)
static u8 *page_class;

static int class_of(size_t size) {
	int c = 0;
	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

// class_table returns page_class, creating it on first use.
static u8 *class_table(void) {
	u8 *t = __atomic_load_n(&page_class, __ATOMIC_ACQUIRE);
	if (t)
		return t;
	spin_lock(&alloc_lock);
	if (!page_class) {
		u64 pa = palloc_alloc(CLASS_PAGES / PAGE_SIZE);
		if (pa)
			__atomic_store_n(&page_class, (u8 *)PHYS_TO_VIRT(pa), __ATOMIC_RELEASE);
	}
	t = page_class;
	spin_unlock(&alloc_lock);
	return t;
}

void *go_alloc_kernel_memory(size_t size) {
	if (size == 0 || size > (1UL << MAX_SHIFT))
		return NULL;
	u8 *classes = class_table();
	if (!classes)
		return NULL;
	int c = class_of(size);
	struct free_obj **list = &free_list[mycpu()->id][c];
	if (!*list) {
		u64 pa = palloc_alloc(1);
		if (!pa || pa >= 4 * GiB)
			return NULL;
		classes[pa / PAGE_SIZE] = (u8)(c + 1);
		size_t obj = 1UL << (c + MIN_SHIFT);
		for (size_t off = 0; off < PAGE_SIZE; off += obj) {
			struct free_obj *o = (struct free_obj *)((u8 *)PHYS_TO_VIRT(pa) + off);
			o->next = *list;
			*list = o;
		}
	}
	struct free_obj *o = *list;
	*list = o->next;
	return o;
}

void go_free_kernel_memory(void *p) {
	u8 *classes = __atomic_load_n(&page_class, __ATOMIC_ACQUIRE);
	if (!p || !classes)
		return;
	u64 pa = VIRT_TO_PHYS(p);
	int c = pa < 4 * GiB ? classes[pa / PAGE_SIZE] - 1 : -1;
	if (c < 0)
		return; // not from this allocator: ignore rather than corrupt
	struct free_obj *o = p;
	o->next = free_list[mycpu()->id][c];
	free_list[mycpu()->id][c] = o;
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
