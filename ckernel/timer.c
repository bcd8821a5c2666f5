// timer.c: the generic timer's EL1 virtual timer as the tick source (ARM ARM
// D11, "The Generic Timer in AArch64 state"). With CNTVOFF_EL2 = 0 (boot sets
// it when entered at EL2) virtual and physical counts agree.
#include "timer.h"
#include "arch.h"

volatile u64 ticks;
static u32 irq_id;

u64 counter_freq(void) { return read_sysreg(cntfrq_el0); }
u64 counter_now(void) {
	isb(); // the counter read must not be hoisted above earlier code
	return read_sysreg(cntvct_el0);
}
u32 timer_irq(void) { return irq_id; }

// arm sets the countdown to one tick: CNTV_TVAL_EL0 (D23.11.18) counts down
// at CNTFRQ_EL0 Hz; CNTV_CTL_EL0 ENABLE = 1, IMASK = 0 (D23.11.17).
static void arm(void) {
	write_sysreg(cntv_tval_el0, counter_freq() / HZ);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
}

void timer_init(u32 irq) {
	irq_id = irq;
	arm();
}

void timer_tick(void) {
	ticks++;
	arm(); // writing TVAL also clears the interrupt condition
}
