// trap.c: what happens after vectors.S has saved a trap frame. For now the
// only expected exceptions are interrupts; everything else is a bug in the
// kernel and ends in a panic report. (The Go runtime's SVCs arrive here
// with the hybrid-core issue.)
#include "trap.h"
#include "arch.h"
#include "gic.h"
#include "panic.h"
#include "timer.h"

extern char vectors[];

void trap_init(void) {
	write_sysreg(vbar_el1, (u64)vectors); // D23.2.186: vector table base
	isb();
}

// irq_dispatch handles every pending interrupt, then returns.
static void irq_dispatch(void) {
	for (;;) {
		u32 iar = gic_ack();
		u32 id = gic_irq_id(iar);
		if (id >= 1020) // 1020-1023: special IDs, nothing (more) pending
			return;
		if (id == timer_irq())
			timer_tick();
		else
			panic("interrupt %u has no handler", id);
		gic_eoi(iar);
	}
}

void trap_handler(struct trapframe *tf) {
	switch (tf->kind & 3) {
	case TRAP_IRQ:
		irq_dispatch();
		return;
	case TRAP_SYNC:
	case TRAP_FIQ:
	case TRAP_SERROR:
		panic_trap(tf);
	default:
		panic("trap_handler: impossible trap kind %lu", tf->kind);
	}
}

// vectors.S addresses the frame with the TF_* constants; these checks keep
// the two from drifting apart silently.
#include <stddef.h>
_Static_assert(offsetof(struct trapframe, sp) == TF_SP, "TF_SP");
_Static_assert(offsetof(struct trapframe, elr) == TF_ELR, "TF_ELR");
_Static_assert(offsetof(struct trapframe, spsr) == TF_SPSR, "TF_SPSR");
_Static_assert(offsetof(struct trapframe, esr) == TF_ESR, "TF_ESR");
_Static_assert(offsetof(struct trapframe, far) == TF_FAR, "TF_FAR");
_Static_assert(offsetof(struct trapframe, kind) == TF_KIND, "TF_KIND");
_Static_assert(offsetof(struct trapframe, fpsr) == TF_FPSR, "TF_FPSR");
_Static_assert(offsetof(struct trapframe, q) == TF_Q, "TF_Q");
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
_Static_assert(TF_SIZE % 16 == 0, "the frame keeps SP 16-byte aligned");
