// timer.h: the periodic tick from the ARM generic timer.
#pragma once
#include "types.h"

#define HZ 100 // ticks per second

extern volatile u64 ticks; // ticks since timer_init

// timer_init starts the EL1 virtual timer, whose interrupt is PPI irq.
void timer_init(u32 irq);
// timer_tick handles the timer interrupt: count, and arm the next tick.
void timer_tick(void);
// timer_irq is the interrupt ID the tick arrives on.
u32 timer_irq(void);
// counter_freq and counter_now read CNTFRQ_EL0 and CNTVCT_EL0.
u64 counter_freq(void);
u64 counter_now(void);
