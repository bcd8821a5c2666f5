// timer.c: the generic timer's EL1 virtual timer (ARM ARM D11, "The Generic
// Timer in AArch64 state"). With CNTVOFF_EL2 = 0 (boot sets it when entered
// at EL2) virtual and physical counts agree. The timer runs in compare mode:
// CNTV_CVAL_EL0 holds the absolute counter value of the next interrupt.
#include "timer.h"
#include "arch.h"
#include "cpu.h"
#include "thread.h"

volatile u64 ticks;
static u32 irq_id;

u64 counter_freq(void) { return read_sysreg(cntfrq_el0); }
u64 counter_now(void) {
	isb(); // the counter read must not be hoisted above earlier code
	return read_sysreg(cntvct_el0);
}
u32 timer_irq(void) { return irq_id; }

// Split the products so they cannot overflow 64 bits for any uptime.
u64 counter_to_ns(u64 c) {
	u64 f = counter_freq();
	return c / f * 1000000000UL + c % f * 1000000000UL / f;
}
u64 ns_to_counter(u64 ns) {
	u64 f = counter_freq();
	return ns / 1000000000UL * f + ns % 1000000000UL * f / 1000000000UL;
}

void timer_rearm(void) {
	u64 when = mycpu()->next_tick;
	// Each CPU also wakes the threads asleep on it at their deadlines.
	u64 d = thread_next_deadline();
	if (d && d < when)
		when = d;
	// CNTV_CVAL_EL0 (D23.11.16) fires when the count reaches it;
	// CNTV_CTL_EL0 ENABLE = 1, IMASK = 0 (D23.11.17).
	write_sysreg(cntv_cval_el0, when);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
}

void timer_init(u32 irq) {
	irq_id = irq;
	// CNTKCTL_EL1 (D23.11.7) is per core: EL0VCTEN (bit 1) lets programs
	// at EL0 read CNTVCT_EL0 and CNTFRQ_EL0, as on Linux. Go's runtime
	// reads both when it spins on a lock (procyield), and the vDSO's
	// clock could; without it those reads trap as undefined: SIGILL.
	write_sysreg(cntkctl_el1, 1UL << 1);
	mycpu()->next_tick = counter_now() + counter_freq() / HZ;
	timer_rearm();
}

bool timer_interrupt(void) {
	u64 now = counter_now();
	struct cpu *c = mycpu();
	while (now >= c->next_tick) {
		if (c->id == 0)
			ticks++;
		c->next_tick += counter_freq() / HZ;
	}
	thread_wake_expired(now);
	bool resched = thread_slice_over(now);
	timer_rearm(); // a compare value in the past would fire again at once
	return resched;
}
