// timer.h: time from the ARM generic timer: the periodic tick, and wakeups
// at exact deadlines for sleeping threads.
#pragma once
#include "types.h"

#define HZ 100 // ticks per second

extern volatile u64 ticks; // ticks since timer_init

// timer_init starts the EL1 virtual timer, whose interrupt is PPI irq.
void timer_init(u32 irq);
// timer_interrupt handles the timer's interrupt: count ticks, wake sleepers
// whose deadline passed, and rearm. It returns true when the running
// thread's time slice is over and another thread is waiting.
bool timer_interrupt(void);
// timer_rearm programs the next interrupt: the next tick or the earliest
// sleeper's deadline, whichever is sooner.
void timer_rearm(void);
// timer_irq is the interrupt ID the timer arrives on.
u32 timer_irq(void);
// counter_freq and counter_now read CNTFRQ_EL0 and CNTVCT_EL0.
u64 counter_freq(void);
u64 counter_now(void);
// counter_to_ns converts counter ticks to nanoseconds, and back.
u64 counter_to_ns(u64 c);
u64 ns_to_counter(u64 ns);
