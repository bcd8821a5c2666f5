// spinlock.h: locks for several cores on the Cortex-A72, which has no LSE
// atomics: a lock is taken with a load-exclusive/store-exclusive loop
// (LDAXR/STXR, which GCC emits for __atomic builtins with
// -mno-outline-atomics), waiters sleep in WFE, and the releaser's store is
// followed by SEV to wake them (ARM ARM D1.16.1: WFE and events).
//
// The lock is a ticket lock: fair, first come first served, so no core
// can starve on a contended lock, which is what real hardware wants. Its
// price shows under emulation: when the core holding the next ticket is a
// vCPU the host has descheduled, every later waiter waits for it too.
// With one big lock that made a four-core boot take 50 s on a two-core
// host; with the locks split as below it boots in under a second, and
// only the lock-torture test, which does nothing but contend, runs far
// slower than with an unfair test-and-test-and-set lock (ckernel/README.md,
// "Locks", has both measurements).
//
// C code always runs with IRQs masked (DAIF.I set by the exception entry,
// and kept masked in C), so no lock here ever needs to mask them itself: an
// interrupt handler can never find its own CPU holding a lock it needs.
// Every lock is listed, with what it guards and its order, in the table in
// ckernel/README.md; take them only in that order.
#pragma once
#include "types.h"

// The lock order. A CPU holding a lock may take only locks of a higher
// rank; spin_lock checks this and panics, naming both, if code breaks it,
// so the order below is enforced rather than hoped for. spin_trylock is
// exempt: it never waits, so it cannot close a deadlock cycle (a thief
// takes a second run-queue lock that way). What each lock guards is
// written where it is defined; ckernel/README.md has them all in a table.
enum lock_rank {
	RANK_BKL,     // spinlock.c: signals, the file table, the unknown-syscall log
	RANK_FUTEX,   // futex.c: a futex wait's check-and-sleep against wakes
	RANK_IRQ,     // services.c: which interrupts Go drivers wait for
	RANK_VM,      // vma.c: the area list and the kernel region's page tables
	RANK_ALLOC,   // cfuncs.c: creating the object allocator's class table
	RANK_RUNQ,    // thread.c: a CPU's run queue and its threads' states
	RANK_THREADS, // thread.c: free slots of the thread table, next_tid
	RANK_PALLOC,  // palloc.c: the page bitmap
	RANK_CONSOLE, // lib.c: the UART's transmitter and the log ring
	LOCK_RANKS
};

// struct spinlock is one lock. Its counters are for the lock-torture test
// and the README's figures; they are updated while the lock is held.
struct spinlock {
	// A ticket lock: a taker draws the next ticket and waits until owner
	// reaches it. The two halves share one word, so drawing a ticket is
	// one atomic add to the word (the halves are little-endian).
	union {
		volatile u32 ticket;
		struct {
			volatile u16 owner; // the ticket being served
			volatile u16 next;  // the next ticket to hand out
		};
	};
	int cpu;             // the holder's CPU id, -1 when free (for checks)
	const char *name;
	enum lock_rank rank;
	u64 acquires;        // times taken
	u64 contended;       // times a taker found it held and had to wait
};

#define SPINLOCK_INIT(n, r) { .ticket = 0, .cpu = -1, .name = (n), .rank = (r) }

// spin_is_locked reports whether someone holds l (or waits for it).
static inline bool spin_is_locked(struct spinlock *l) {
	u32 t = __atomic_load_n(&l->ticket, __ATOMIC_RELAXED);
	return (u16)t != (u16)(t >> 16);
}

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
// spin_trylock takes l if it is free and returns whether it did.
bool spin_trylock(struct spinlock *l);
// spin_holding reports whether this CPU holds l.
bool spin_holding(struct spinlock *l);

// The big kernel lock (BKL) is what remains of the first SMP step, when
// every path into C held it: now only the subsystems nothing else guards
// take it (signals in signal.c, the file table in fd.c, the
// unimplemented-syscall log in syscall.c). It is recursive per CPU, and a
// thread that sleeps holding it lets go of it in sched and takes it back
// when it runs again (Linux 2.6's BKL did the same), so no other lock is
// ever taken across a sleep.

// bkl_enter takes the big kernel lock; on the CPU that holds it already
// it only counts the nesting.
void bkl_enter(void);
// bkl_exit undoes one bkl_enter; the last one releases the lock.
void bkl_exit(void);
// bkl_depth is this CPU's nesting (0: it does not hold the lock).
int bkl_depth(void);
// bkl_release_all lets go of the lock entirely and returns the nesting
// it had, for bkl_reacquire (sched uses the pair around a switch).
int bkl_release_all(void);
void bkl_reacquire(int depth);
// bkl_lock is the lock under the BKL, for the torture test and stats.
extern struct spinlock bkl_lock;
