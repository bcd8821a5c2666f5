// futex.c: futex(2) for the Go runtime's locks and notes: FUTEX_WAIT and
// FUTEX_WAKE, private (one process), with an optional relative timeout.
//
// futex_lock makes FUTEX_WAIT's check of the word and its sleep one step
// as far as any FUTEX_WAKE is concerned: the waiter holds it from the
// check until it is marked asleep (sleep_on releases it then), and a waker
// holds it while it wakes. A wake on one CPU therefore reaches a waiter on
// any other, or the waiter sees the new value and does not sleep. One
// lock for all futexes is enough here: it is held for a few instructions,
// never across a sleep. Order: after the BKL, before the run queues.
#include "errno.h"
#include "futex.h"
#include "spinlock.h"
#include "thread.h"
#include "timer.h"

struct spinlock futex_lock = SPINLOCK_INIT("futex", RANK_FUTEX);

enum { FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256 };

struct timespec {
	i64 sec, nsec;
};

u64 timeout_deadline(u64 ts_addr) {
	if (!ts_addr)
		return 0;
	const struct timespec *ts = (const void *)ts_addr;
	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= 1000000000)
		return ~0UL; // invalid: the caller returns EINVAL
	u64 d = counter_now() + ns_to_counter((u64)ts->sec * 1000000000UL + (u64)ts->nsec);
	return d ? d : 1;
}

int futex_wake(u64 uaddr, int n) {
	spin_lock(&futex_lock);
	int woken = wakeup((const void *)uaddr, n);
	spin_unlock(&futex_lock);
	return woken;
}

long sys_futex(u64 uaddr, int op, u32 val, u64 timeout) {
	if (uaddr & 3)
		return -EINVAL;
	switch (op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
	case FUTEX_WAIT: {
		u64 deadline = timeout_deadline(timeout);
		if (deadline == ~0UL)
			return -EINVAL;
		// Touch the word before taking the lock: a first touch of a
		// Go page faults, and the fault takes vm_lock.
		(void)*(volatile u32 *)uaddr;
		spin_lock(&futex_lock);
		long r = -EAGAIN;
		if (*(volatile u32 *)uaddr == val)
			r = sleep_on((const void *)uaddr, deadline, &futex_lock);
		spin_unlock(&futex_lock);
		return r;
	}
	case FUTEX_WAKE:
		return futex_wake(uaddr, (int)val);
	default:
		return -ENOSYS;
	}
}
