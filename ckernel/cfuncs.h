// cfuncs.h: C functions the Go kernel calls directly through its assembly
// trampoline (kernel/core), found by index with SVC_C_FUNC. They run on the
// calling thread's C stack with IRQs masked, so they must be short and must
// not block. The plan's go_alloc_kernel_memory/go_free_kernel_memory pair is
// here: the plan declared them as C calling Go, but an unmodified Go runtime
// cannot be entered from C, so the calls go from Go to C (CONTRACT.md).
#pragma once
#include "spinlock.h"
#include "types.h"

// alloc_lock guards the creation of the object allocator's class table (cfuncs.c).
extern struct spinlock alloc_lock;

enum cfunc_index {
	CFUNC_ALLOC = 0, // void *go_alloc_kernel_memory(size_t size)
	CFUNC_FREE = 1,  // void go_free_kernel_memory(void *p)
	CFUNC_NOP = 2,   // u64 c_nop(u64 x): returns x, for measuring the call itself
	CFUNC_LOOP = 3,  // u64 c_call_loop(u64 n): n C-to-C calls of c_nop, the baseline
	CFUNC_IRQ_RAISE = 4, // u64 c_irq_raise(u64 id): make interrupt id pending (tests)
	CFUNC_PL011_ATTACH = 5, // u64 c_pl011_attach(u64 pa): the C PL011 driver's registers
	CFUNC_PL011_WRITE = 6,  // u64 c_pl011_write(u64 buf, u64 len) -> bytes sent
	CFUNC_PL011_DRAIN = 7,  // u64 c_pl011_drain(u64 buf, u64 cap) -> bytes received
};

extern void *const cfuncs[];
extern const u64 cfunc_count;

void *go_alloc_kernel_memory(size_t size);
void go_free_kernel_memory(void *p);

// drv_pl011.c: the critical (C) PL011 driver.
u64 c_pl011_attach(u64 pa);
u64 c_pl011_write(u64 buf, u64 len);
u64 c_pl011_drain(u64 buf, u64 cap);
