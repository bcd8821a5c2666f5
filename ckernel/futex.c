// futex.c: futex(2) for the Go runtime's locks and notes: FUTEX_WAIT and
// FUTEX_WAKE, private (one process), with an optional relative timeout.
#include "errno.h"
#include "futex.h"
#include "thread.h"
#include "timer.h"

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

long sys_futex(u64 uaddr, int op, u32 val, u64 timeout) {
	if (uaddr & 3)
		return -EINVAL;
	switch (op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME)) {
	case FUTEX_WAIT: {
		// The check and the sleep are atomic: interrupts are masked and
		// there is one CPU, so no wake can slip in between.
		if (*(volatile u32 *)uaddr != val)
			return -EAGAIN;
		u64 deadline = timeout_deadline(timeout);
		if (deadline == ~0UL)
			return -EINVAL;
		return sleep_on((const void *)uaddr, deadline);
	}
	case FUTEX_WAKE:
		return wakeup((const void *)uaddr, (int)val);
	default:
		return -ENOSYS;
	}
}
