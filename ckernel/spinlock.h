// spinlock.h: locks for several cores on the Cortex-A72, which has no LSE
// atomics: the ticket counter is taken with a load-exclusive/store-exclusive
// loop (LDAXR/STLXR, which GCC emits for __atomic builtins with
// -mno-outline-atomics), waiters sleep in WFE, and the releaser's store is
// followed by SEV to wake them (ARM ARM D1.16.1: WFE and events).
//
// The C core has one lock, the big kernel lock (BKL): every C path that
// touches shared state holds it. C runs with IRQs masked, so an interrupt
// never meets its own CPU's lock. A thread switch hands the lock to the next
// thread on this CPU (sched is called with it held, and the thread switched
// to releases it on its way out of the C core), as in xv6 and early Linux.
// It is a first step: the per-CPU run queue and the allocator are the
// natural next locks to split out, and the order will then be BKL first.
#pragma once
#include "types.h"

// bkl_enter takes the big kernel lock; on the CPU that holds it already
// (an exception taken inside C code) it only counts the nesting.
void bkl_enter(void);
// bkl_exit undoes one bkl_enter; the last one releases the lock.
void bkl_exit(void);
// bkl_depth is this CPU's nesting (0: it does not hold the lock).
int bkl_depth(void);

// struct ticketlock is a fair spinlock: next is the ticket the next taker
// draws, owner the ticket now served.
struct ticketlock {
	volatile u32 next, owner;
};
void ticket_lock(struct ticketlock *l);
void ticket_unlock(struct ticketlock *l);
