// trace.h: the kernel's event ring, the plan's TraceCollector. The C core
// records interrupts, thread switches, kernel-service calls and system calls
// with the counter time; the debugger reads the ring through DWARF
// (symbol trace_ring) and exports it as Chrome trace JSON for Perfetto
// (debugger/README.md, `trace FILE`).
#pragma once
#include "types.h"

enum trace_kind { TR_IRQ, TR_SWITCH, TR_SVC, TR_SYSCALL, TR_USER };

struct trace_event {
	u64 time;             // CNTVCT_EL0: one tick per instruction under icount shift=0 at 1 GHz
	enum trace_kind kind;
	u32 cpu;
	u64 arg0, arg1;       // IRQ: id; SWITCH: from tid, to tid; SVC, SYSCALL: number, tid; USER: tid, trap kind
};

#define TRACE_EVENTS 1024 // a power of two

struct trace_ring {
	u64 head; // events ever written; ev holds the last TRACE_EVENTS
	struct trace_event ev[TRACE_EVENTS];
};

extern struct trace_ring trace_ring;

// trace records one event. Each CPU claims its slot with an atomic add on
// head, so no lock is needed (trace.c).
void trace(enum trace_kind kind, u64 arg0, u64 arg1);
