// services.h: Burrow kernel services, the Go kernel's calls into the C core
// (SVC with numbers from BURROW_SVC_BASE; CONTRACT.md lists them all).
#pragma once
#include "spinlock.h"
#include "trap.h"

// irq_lock guards which interrupts Go drivers wait for (services.c).
extern struct spinlock irq_lock;

enum burrow_svc {
	SVC_CONSOLE_WRITE = 0x1000, // (buf, len) -> len: bytes to the console
	SVC_POWEROFF = 0x1001,      // (status): stop the machine, exit QEMU
	SVC_PHYS_HANDOVER = 0x1002, // (out *{base, size}) -> 0: RAM the Go kernel manages
	SVC_WAIT_IRQ = 0x1003,      // (irq, flags) -> 0: unmask irq, block until it fires
	SVC_KLOG_READ = 0x1004,     // (buf, len, from) -> n: console log bytes from offset from
	SVC_C_FUNC = 0x1005,        // (index) -> address of a C function for direct calls
	SVC_STATS = 0x1006,         // (out *struct core_stats, size) -> 0
	SVC_DTB = 0x1007,           // (out *{va, size}) -> 0: the device tree, direct-mapped
	SVC_NOP = 0x1008,           // () -> 0: the cheapest round trip, for benchmarks
	SVC_SWITCH_TO_USER = 0x1009, // (regs, ttbr0, out trap) -> 0: run at EL0 until it traps
	SVC_INITRD = 0x100a,        // (out *{va, size}) -> 0: the initial RAM disk, or -ENOENT
	SVC_IRQ_STAMP = 0x1010,     // (irq) -> CNTVCT_EL0 when the top half last saw irq (drivers)
	SVC_CPU_STATS = 0x1011,     // (out *struct cpu_stat[n], n) -> CPUs filled: per-CPU time
};

// Flags of SVC_WAIT_IRQ.
enum {
	WAIT_IRQ_CLAIM = 1,      // claim the line for the caller and return at once
	WAIT_IRQ_GO_UNMASKS = 2, // the Go driver unmasks the line; just wait
};

// struct core_stats is what SVC_STATS fills in; kernel/core mirrors it.
struct core_stats {
	u64 committed_pages; // Go kernel pages backed by RAM now
	u64 free_pages, total_pages;
	u64 threads, switches, syscalls;
	u64 unimplemented;   // distinct unknown syscall numbers seen
	u64 vmas;
	u64 irqs;            // interrupts taken
	u64 counter_freq;
	u64 entry_counter;   // CNTVCT_EL0 at the C core's first instruction
	u64 thread_ticks;    // counter ticks the calling thread has run
	u64 idle_ticks;      // counter ticks the online CPUs have spent idle, on average
	u64 now;             // CNTVCT_EL0 now
};

// struct cpu_stat is one CPU's time, in counter ticks, as SVC_CPU_STATS
// fills it in; kernel/core.CPUStat mirrors it. Since it came online the CPU
// was idle, handling interrupts, running user programs (EL0) or running
// kernel code (system: Go and C at EL1), and the four add up to now - since.
struct cpu_stat {
	u64 online;      // 1 if the CPU runs the kernel (the rest is 0 if not)
	u64 since;       // CNTVCT_EL0 when it came online
	u64 now;         // CNTVCT_EL0 when the snapshot was taken
	u64 idle_ticks;  // in its idle thread (WFI), not counting interrupts
	u64 irq_ticks;   // handling interrupts (idle or not)
	u64 user_ticks;  // at EL0, in user programs
	u64 system_ticks; // at EL1 otherwise: the Go kernel, the runtime, C
	u64 switches;    // thread switches on it
	u64 irqs;        // interrupts it took
};

long services_dispatch(struct trapframe *tf);
void services_poweroff(int status) __attribute__((noreturn));
// services_irq is the top half for an interrupt a Go driver waits for:
// it masks the line and wakes the waiter. False if nobody waits for it.
bool services_irq(u32 id);
