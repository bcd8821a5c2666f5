// trap.c: what happens after vectors.S has saved a trap frame.
//
// From the Go kernel (EL1t, on SP_EL0): system calls (SVC), page faults on
// its lazily committed memory, and interrupts, after which the tick may
// switch threads and pending signals are delivered. From a user program
// (EL0): anything at all, which ends its turn and returns to the Go task
// goroutine that switched to it (user.c). From the C core itself (EL1h):
// interrupts in the idle loop, and faults on Go memory that a system call
// touches first. Anything else is a bug and ends in a panic report.
#include "trap.h"
#include "arch.h"
#include "cpu.h"
#include "esr.h"
#include "gic.h"
#include "panic.h"
#include "services.h"
#include "signal.h"
#include "smp.h"
#include "smptest.h"
#include "spinlock.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "trace.h"
#include "user.h"
#include "vma.h"

extern char vectors[];
extern u64 irq_count;

void trap_init(void) {
	write_sysreg(vbar_el1, (u64)vectors); // D23.2.186: vector table base
	isb();
}

// irq_dispatch handles every pending interrupt; it returns true when the
// running thread's time slice is over.
static bool irq_dispatch(void) {
	bool resched = false;
	u64 start = counter_now();
	for (;;) {
		u32 iar = gic_ack();
		u32 id = gic_irq_id(iar);
		if (id >= 1020) { // 1020-1023: special IDs, nothing (more) pending
			u64 spent = counter_now() - start;
			mycpu()->irq_ticks += spent;
			if (current == mycpu()->idle)
				mycpu()->idle_irq_ticks += spent;
			return resched;
		}
		__atomic_fetch_add(&irq_count, 1, __ATOMIC_RELAXED); // every CPU counts here
		mycpu()->irqs++;
		trace(TR_IRQ, id, 0);
		if (id == SGI_WAKE)
			resched = true; // another core made work runnable
		else if (id == timer_irq())
			resched |= timer_interrupt();
		else if (!services_irq(id))
			panic("interrupt %u has no handler", id);
		gic_eoi(iar);
	}
}

// abort_fixup handles a data or instruction abort: a first touch of a page
// of the Go kernel's memory is committed; anything else is a fault. It
// returns false if the access was invalid.
static bool abort_fixup(struct trapframe *tf, u32 ec) {
	u32 fsc = (u32)tf->esr & 0x3c;
	if (fsc != 0x04) // only translation faults can be first touches
		return false;
	bool write = (ec == EC_DABT_CUR || ec == EC_DABT_LOW) && ((tf->esr >> 6) & 1);
	bool exec = ec == EC_IABT_CUR || ec == EC_IABT_LOW;
	spin_lock(&vm_lock);
	bool ok = vma_fault(tf->far, write, exec);
	spin_unlock(&vm_lock);
	return ok;
}

// go_trap handles a synchronous exception from Go code and returns the
// frame to resume.
static struct trapframe *go_trap(struct trapframe *tf) {
	u32 ec = esr_class(tf->esr);
	switch (ec) {
	case EC_SVC64:
		if (tf->x[8] == SVC_SWITCH_TO_USER)
			return user_enter(tf);
		syscall_dispatch(tf);
		return tf;
	case EC_DABT_CUR:
	case EC_IABT_CUR:
		if (abort_fixup(tf, ec))
			return tf;
		if (signal_has_handler(SIGSEGV)) { // Go turns it into a panic
			u32 fsc = (u32)tf->esr & 0x3c;
			bkl_enter(); // signals are under the BKL
			signal_send(current->tid, SIGSEGV, fsc == 0x0c ? SEGV_ACCERR : SEGV_MAPERR, tf->far);
			bkl_exit();
			return tf;
		}
		panic_trap(tf);
	default:
		panic_trap(tf);
	}
}

// handle does the work of trap_handler. It takes no lock itself: each
// path takes the locks of what it touches (README.md, "Locks").
static struct trapframe *handle(struct trapframe *tf) {
	u64 from = tf->kind & 0xc;
	bool resched = false;
	if ((tf->kind & 3) == TRAP_IRQ)
		resched = irq_dispatch();
	if (from == FROM_EL0_64) {
		// A user program stopped: whatever the reason, its turn ends and
		// the Go task goroutine decides what happens next.
		if (!current->in_user)
			panic_trap(tf);
		if ((tf->kind & 3) != TRAP_IRQ && (tf->kind & 3) != TRAP_SYNC)
			panic_trap(tf); // FIQ or SError from EL0: hardware trouble
		trace(TR_USER, (u64)current->tid, tf->kind & 3);
		tf = user_exit(tf);
		from = FROM_EL1T;
	} else {
		switch (tf->kind & 3) {
		case TRAP_IRQ:
			break;
		case TRAP_SYNC:
			if (from == FROM_EL1T) {
				struct trapframe *next = go_trap(tf);
				if (next != tf)
					return next; // into a user program
				break;
			}
			if (from == FROM_EL1H && smptest_fault(tf))
				return tf; // a test's probe of an unmapped page
			// The C core touching Go memory for the first time (a system
			// call's buffer) is fine; everything else here is a bug.
			if (from == FROM_EL1H && esr_class(tf->esr) == EC_DABT_CUR && abort_fixup(tf, EC_DABT_CUR))
				return tf;
			panic_trap(tf);
		default:
			panic_trap(tf);
		}
	}
	if (from == FROM_EL1T) {
		if (resched)
			yield(); // preempt the Go thread: its slice is over
		// On the way back into Go, a pending signal is delivered. The
		// unlocked look is a hint: a sender sets the bit under the BKL
		// and then interrupts this CPU, so a signal missed here is
		// seen on the way out of that interrupt.
		if (current->sigpending & ~current->sigmask) {
			bkl_enter();
			signal_deliver(tf);
			bkl_exit();
		}
	}
	return tf;
}

struct trapframe *trap_handler(struct trapframe *tf) {
	if ((tf->kind & 0xc) == FROM_EL0_64) // the program's time on this CPU ends here
		mycpu()->user_ticks += counter_now() - mycpu()->user_start;
	struct trapframe *next = handle(tf);
	if (bkl_depth() && (tf->kind & 0xc) != FROM_EL1H)
		panic("trap_handler: returning to Go holding the BKL");
	return next;
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
