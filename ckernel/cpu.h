// cpu.h: per-CPU state. Each core finds its own struct cpu through
// TPIDR_EL1 (ARM ARM D23.2.170), which only EL1 can read or write, so no
// lock is needed to reach it. Fields only this CPU touches need no lock
// (C runs with IRQs masked, so not even an interrupt races with them); the
// run queue is shared with the other CPUs and has its own lock.
#pragma once
#include "arch.h"
#include "spinlock.h"
#include "types.h"

#define MAX_CPUS 4

struct thread;

// struct runq is one CPU's queue of runnable threads, first in first out
// (thread.c). Its lock also guards the state of every thread whose
// thread->cpu is this CPU (running, runnable or asleep there), and is held
// across a context switch on this CPU.
struct runq {
	struct spinlock lock;
	struct thread *head, *tail;
	volatile int n; // queued threads; read without the lock as a hint
};

struct cpu {
	int id;                 // MPIDR_EL1.Aff0
	struct thread *thread;  // the thread running on this CPU
	struct thread *idle;    // this CPU's idle thread (its boot context)
	struct runq rq;         // its runnable threads
	struct thread *zombie;  // a thread that exited here; freed by the next one
	u64 next_tick;          // counter value of its next periodic tick
	bool online;
	u8 held[LOCK_RANKS];    // locks of each rank this CPU holds (spinlock.c)
	u32 held_mask;          // bit r set while held[r] > 0: the order check's one load
	u64 probe_va;           // a test's load here may fault (smptest.c)
	u64 probe_faults;       // how many such faults the trap handler skipped
	// Accounting (all in counter ticks; /proc/stat and the console's cpus
	// command read them through SVC_CPU_STATS). Only this CPU writes them;
	// readers on other CPUs take a snapshot, each u64 read whole.
	u64 online_since;       // counter value when it came online
	u64 irq_ticks;          // handling interrupts
	u64 idle_irq_ticks;     // the part of irq_ticks taken while idle
	u64 user_ticks;         // running user programs at EL0
	u64 user_start;         // counter value of its last eret to EL0
	u64 switches, irqs;     // thread switches and interrupts on this CPU
};

extern struct cpu cpus[MAX_CPUS];

// cpu_init points this core's TPIDR_EL1 at cpus[id].
void cpu_init(int id);
// cpus_online is a mask of the CPUs running the kernel.
u64 cpus_online(void);

static inline struct cpu *mycpu(void) { return (struct cpu *)read_sysreg(tpidr_el1); }

// current is the thread running on this CPU.
#define current (mycpu()->thread)
