// signal.c: see signal.h. One set of handlers serves all threads: the Go
// runtime is one process.
#include "signal.h"
#include "errno.h"
#include "lib.h"
#include "panic.h"
#include "smp.h"
#include "thread.h"

#define NSIG 64
#define SA_ONSTACK 0x08000000
#define SA_NODEFER 0x40000000
#define SS_ONSTACK 1
#define SS_DISABLE 2

// struct k_sigaction is the kernel's sigaction for arm64 (handler, flags,
// restorer, mask), as rt_sigaction passes it.
struct k_sigaction {
	u64 handler, flags, restorer, mask;
};
static struct k_sigaction actions[NSIG + 1];

// The frame Linux pushes on arm64, and the offsets Go's runtime uses
// (runtime/defs_linux_arm64.go): siginfo (128 bytes), then the ucontext
// whose uc_mcontext starts 176 bytes in, then a frame record.
struct siginfo {
	i32 signo, errno_, code, pad;
	u64 addr; // si_addr for faults; si_pid/si_uid for kill
	u8 rest[128 - 24];
};
struct fpsimd_context {
	u32 magic, size; // 0x46508001, 528
	u32 fpsr, fpcr;
	u64 vregs[32][2];
};
struct sigcontext {
	u64 fault_address;
	u64 regs[31];
	u64 sp, pc, pstate;
	u8 pad[8];
	union {
		u8 reserved[4096];
		struct fpsimd_context fpsimd;
	};
};
struct ucontext {
	u64 flags, link;
	u64 ss_sp;
	i32 ss_flags, ss_pad;
	u64 ss_size;
	u64 sigmask;
	u8 pad[120 + 8];
	struct sigcontext mcontext;
};
struct rt_sigframe {
	struct siginfo info;
	struct ucontext uc;
	u64 fp, lr; // a frame record, so backtraces cross the signal
};
_Static_assert(__builtin_offsetof(struct ucontext, mcontext) == 176, "Go's uc_mcontext offset");
_Static_assert(sizeof(struct siginfo) == 128, "siginfo size");

#define FPSIMD_MAGIC 0x46508001

// The handler returns here: __kernel_rt_sigreturn, as Linux's vDSO has it.
extern char sigreturn_trampoline[];
__asm__(".text\n.globl sigreturn_trampoline\nsigreturn_trampoline:\n"
	"\tmov x8, #139\n\tsvc #0\n"); // rt_sigreturn

bool signal_has_handler(int sig) { return sig > 0 && sig <= NSIG && actions[sig].handler > 1; }

long sys_rt_sigaction(int sig, u64 act, u64 oldact, u64 setsize) {
	if (sig < 1 || sig > NSIG || setsize != 8)
		return -EINVAL;
	if (oldact)
		memcpy((void *)oldact, &actions[sig], sizeof actions[sig]);
	if (act) {
		if (sig == 9 || sig == 19) // SIGKILL and SIGSTOP cannot be caught
			return -EINVAL;
		memcpy(&actions[sig], (void *)act, sizeof actions[sig]);
	}
	return 0;
}

long sys_rt_sigprocmask(int how, u64 set, u64 oldset, u64 setsize) {
	if (setsize != 8)
		return -EINVAL;
	u64 old = current->sigmask;
	if (set) {
		u64 s = *(u64 *)set & ~((1UL << 8) | (1UL << 18)); // never block SIGKILL, SIGSTOP
		switch (how) {
		case 0: current->sigmask |= s; break;  // SIG_BLOCK
		case 1: current->sigmask &= ~s; break; // SIG_UNBLOCK
		case 2: current->sigmask = s; break;   // SIG_SETMASK
		default: return -EINVAL;
		}
	}
	if (oldset)
		*(u64 *)oldset = old;
	return 0;
}

static bool on_altstack(u64 sp) {
	return current->altstack_size && sp - current->altstack_sp <= current->altstack_size;
}

long sys_sigaltstack(u64 ss, u64 old) {
	struct { u64 sp; i32 flags, pad; u64 size; } *s = (void *)ss, *o = (void *)old;
	if (o) {
		o->sp = current->altstack_sp;
		o->size = current->altstack_size;
		o->flags = current->altstack_size ? 0 : SS_DISABLE;
	}
	if (s) {
		if (on_altstack(current->tf->sp))
			return -EPERM;
		if (s->flags & SS_DISABLE) {
			current->altstack_sp = current->altstack_size = 0;
		} else {
			current->altstack_sp = s->sp;
			current->altstack_size = s->size;
		}
	}
	return 0;
}

long signal_send(int tid, int sig, int code, u64 addr) {
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	struct thread *t = thread_by_tid(tid);
	if (!t)
		return -ESRCH;
	if (sig == 0)
		return 0; // just a check that the thread exists
	t->sigpending |= 1UL << (sig - 1);
	t->sigcode[sig] = (u64)(i64)code;
	t->sigaddr[sig] = addr;
	if (!(t->sigmask & (1UL << (sig - 1)))) {
		thread_interrupt(t);
		if (t->state == T_RUNNING)
			smp_kick_cpu(t->cpu); // it takes the signal on its way back from the SGI
	}
	return 0;
}

void signal_deliver(struct trapframe *tf) {
	u64 ready = current->sigpending & ~current->sigmask;
	// Deliver only into Go code running with IRQs unmasked: with them
	// masked the thread is in a C function called through kernel/core's
	// trampoline, on a C stack, where Go's handler must not run.
	if (!ready || (tf->spsr & (1 << 7)))
		return;
	int sig = __builtin_ctzl(ready) + 1;
	current->sigpending &= ~(1UL << (sig - 1));
	struct k_sigaction *a = &actions[sig];
	if (a->handler == 1) // SIG_IGN
		return;
	if (a->handler == 0) {
		if (sig == SIGURG || sig == 17 || sig == 28) // ignored by default: URG, CHLD, WINCH
			return;
		panic("signal %d with no handler (si_addr 0x%lx, pc 0x%lx)", sig, current->sigaddr[sig], tf->elr);
	}
	// 1. Pick the stack: the alternate one if asked for and not already on it.
	u64 sp = tf->sp;
	if ((a->flags & SA_ONSTACK) && current->altstack_size && !on_altstack(sp))
		sp = current->altstack_sp + current->altstack_size;
	sp = ALIGN_DOWN(sp - sizeof(struct rt_sigframe), 16);
	struct rt_sigframe *f = (struct rt_sigframe *)sp;
	// 2. Fill in siginfo and the ucontext with the interrupted state.
	memset(f, 0, sizeof *f);
	f->info.signo = sig;
	f->info.code = (i32)current->sigcode[sig];
	f->info.addr = current->sigaddr[sig];
	f->uc.ss_sp = current->altstack_sp;
	f->uc.ss_size = current->altstack_size;
	f->uc.ss_flags = current->altstack_size ? (on_altstack(tf->sp) ? SS_ONSTACK : 0) : SS_DISABLE;
	f->uc.sigmask = current->sigmask;
	struct sigcontext *m = &f->uc.mcontext;
	m->fault_address = current->sigaddr[sig];
	memcpy(m->regs, tf->x, sizeof m->regs);
	m->sp = tf->sp;
	m->pc = tf->elr;
	m->pstate = tf->spsr;
	m->fpsimd.magic = FPSIMD_MAGIC;
	m->fpsimd.size = sizeof(struct fpsimd_context);
	m->fpsimd.fpsr = (u32)tf->fpsr;
	m->fpsimd.fpcr = (u32)tf->fpcr;
	memcpy(m->fpsimd.vregs, tf->q, sizeof m->fpsimd.vregs);
	f->fp = tf->x[29];
	f->lr = tf->elr;
	// 3. Block the signal (and sa_mask) while its handler runs.
	current->sigmask |= a->mask;
	if (!(a->flags & SA_NODEFER))
		current->sigmask |= 1UL << (sig - 1);
	// 4. Enter the handler: handler(sig, &info, &uc), returning to the
	//    trampoline that calls rt_sigreturn.
	tf->x[0] = (u64)sig;
	tf->x[1] = (u64)&f->info;
	tf->x[2] = (u64)&f->uc;
	tf->x[29] = (u64)&f->fp;
	tf->x[30] = (u64)sigreturn_trampoline;
	tf->sp = sp;
	tf->elr = a->handler;
}

long sys_rt_sigreturn(struct trapframe *tf) {
	struct rt_sigframe *f = (struct rt_sigframe *)tf->sp;
	struct sigcontext *m = &f->uc.mcontext;
	memcpy(tf->x, m->regs, sizeof tf->x);
	tf->sp = m->sp;
	tf->elr = m->pc;
	// Only the condition flags may change: the frame cannot raise the
	// exception level or unmask what the kernel masks.
	tf->spsr = (tf->spsr & 0x0fffffffUL) | (m->pstate & 0xf0000000UL);
	if (m->fpsimd.magic == FPSIMD_MAGIC) {
		tf->fpsr = m->fpsimd.fpsr;
		tf->fpcr = m->fpsimd.fpcr;
		memcpy(tf->q, m->fpsimd.vregs, sizeof tf->q);
	}
	current->sigmask = f->uc.sigmask & ~((1UL << 8) | (1UL << 18));
	return (long)tf->x[0]; // the interrupted x0, untouched
}
