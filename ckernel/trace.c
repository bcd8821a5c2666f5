// trace.c: see trace.h.
#include "trace.h"
#include "cpu.h"
#include "timer.h"

struct trace_ring trace_ring;

// trace claims its slot with an atomic add, so CPUs tracing at once take
// different slots without a lock (a reader may see a slot half written:
// the ring is a debugging aid, read by the debugger while stopped).
void trace(enum trace_kind kind, u64 arg0, u64 arg1) {
	u64 slot = __atomic_fetch_add(&trace_ring.head, 1, __ATOMIC_RELAXED);
	struct trace_event *e = &trace_ring.ev[slot & (TRACE_EVENTS - 1)];
	e->time = counter_now();
	e->kind = kind;
	e->cpu = (u32)mycpu()->id;
	e->arg0 = arg0;
	e->arg1 = arg1;
}
