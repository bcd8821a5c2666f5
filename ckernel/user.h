// user.h: switching a Go task goroutine's thread to a user program at EL0
// and back: the Switch model (ARCHITECTURE.md). The Go kernel calls
// SVC_SWITCH_TO_USER with the program's registers and page table; the C core
// erets to EL0; the next exception from EL0 saves the registers back and
// returns from the service with what happened. Policy (what to do about a
// system call, a fault, a tick) is all Go.
#pragma once
#include "trap.h"
#include "types.h"

// struct user_regs is a user thread's state, owned by the Go kernel
// (kernel/core.UserRegs mirrors it; a host test compares them).
struct user_regs {
	u64 x[31];
	u64 sp, pc, pstate; // pstate: only the condition flags (NZCV) are honoured
	u64 tpidr;          // TPIDR_EL0, the user's thread pointer
	u64 fpsr, fpcr;
	u64 pad;
	u64 q[32][2];
};

// struct user_trap says why the program stopped: kind is TRAP_SYNC (then
// esr and far describe it: a system call is EC 0x15), TRAP_IRQ (the tick or
// a device; the program was just interrupted), TRAP_FIQ or TRAP_SERROR.
struct user_trap {
	u64 kind, esr, far;
};

// user_enter serves SVC_SWITCH_TO_USER from the Go frame go: it returns the
// frame to resume, the user program's, or go itself with -errno in x0 when
// the arguments are bad.
struct trapframe *user_enter(struct trapframe *go);
// user_exit handles an exception from EL0 saved in tf: it copies the
// program's state out and returns the Go frame that called user_enter.
struct trapframe *user_exit(struct trapframe *tf);
