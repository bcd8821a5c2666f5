// trace.c: see trace.h.
#include "trace.h"
#include "cpu.h"
#include "timer.h"

struct trace_ring trace_ring;

void trace(enum trace_kind kind, u64 arg0, u64 arg1) {
	struct trace_event *e = &trace_ring.ev[trace_ring.head & (TRACE_EVENTS - 1)];
	e->time = counter_now();
	e->kind = kind;
	e->cpu = (u32)mycpu()->id;
	e->arg0 = arg0;
	e->arg1 = arg1;
	trace_ring.head++;
}
