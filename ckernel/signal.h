// signal.h: Linux signals for the Go runtime: handlers, masks, the
// alternate stack, and delivery through an arm64 rt_sigframe, exactly as
// Linux lays it out (arch/arm64/kernel/signal.c), because Go's signal
// handler reads and edits that frame (it injects asyncPreempt calls).
#pragma once
#include "trap.h"
#include "types.h"

#define SIGSEGV 11
#define SIGURG 23
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2

long sys_rt_sigaction(int sig, u64 act, u64 oldact, u64 setsize);
long sys_rt_sigprocmask(int how, u64 set, u64 oldset, u64 setsize);
long sys_sigaltstack(u64 ss, u64 old);
long sys_rt_sigreturn(struct trapframe *tf);
// signal_send marks sig pending on the thread with tid, with its si_code
// and address, and interrupts its sleep. It returns 0 or -errno.
long signal_send(int tid, int sig, int code, u64 addr);
// signal_deliver sets up the handler of the lowest pending, unblocked
// signal of the current thread in tf, if any. Called on every return to
// Go code. A signal nobody handles panics the kernel, naming it.
void signal_deliver(struct trapframe *tf);
// signal_has_handler reports whether the Go runtime installed a handler.
bool signal_has_handler(int sig);
