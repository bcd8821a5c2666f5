// user.c: the Switch model's C half (user.h).
//
// Stack picture while a user program runs on thread T (its kernel stack,
// growing down):
//
//   kstack top -> +-----------------------------+
//                 | Go frame: the EL1t state of |  saved when the Go task
//                 | the goroutine that called   |  goroutine issued the SVC;
//                 | SVC_SWITCH_TO_USER          |  T->user_go points here
//                 +-----------------------------+
//                 | user frame: the EL0 state   |  built by user_enter,
//                 |                             |  restored by trap_return
//                 +-----------------------------+
//
// user_enter stages the user frame in the thread (its own C stack occupies
// the place the frame must go), and vectors.S's trap_resume copies it there
// once trap_handler has returned. trap_return pops the user frame and erets
// to EL0, leaving SP_EL1 at the Go frame. The next exception from EL0
// therefore saves its frame exactly where the user frame was; user_exit
// copies it out and resumes the Go frame. The program's FP/SIMD state lives in the user frame, Go's in the Go frame, so
// neither disturbs the other.
#include "user.h"
#include "arch.h"
#include "errno.h"
#include "lib.h"
#include "services.h"
#include "thread.h"
#include "timer.h"
#include "vm.h"

// SPSR for EL0t (M = 0) with all of DAIF clear: a user program takes IRQs.
#define SPSR_EL0T 0UL
#define NZCV_MASK 0xf0000000UL

struct trapframe *user_enter(struct trapframe *go) {
	struct user_regs *regs = (struct user_regs *)go->x[0];
	u64 ttbr0 = go->x[1];
	struct user_trap *trap = (struct user_trap *)go->x[2];
	if (!regs || !trap || (ttbr0 & 0xffeUL) || !(ttbr0 & 0x0000fffffffff000UL)) {
		go->x[0] = (u64)-EINVAL;
		return go;
	}
	// 1. Stage the user frame from the Go kernel's copy of the registers
	//    (read before TTBR0 changes); vectors.S's trap_resume moves it
	//    below the Go frame once this C code's stack is gone.
	struct trapframe *u = &current->user_stage;
	memcpy(u->x, regs->x, sizeof u->x);
	u->sp = regs->sp;
	u->elr = regs->pc;
	u->spsr = SPSR_EL0T | (regs->pstate & NZCV_MASK);
	u->fpsr = regs->fpsr;
	u->fpcr = regs->fpcr;
	memcpy(u->q, regs->q, sizeof u->q);
	u->kind = FROM_EL0_64 | TRAP_SYNC; // trap_return restores SP_EL0 from u->sp
	current->user_regs = regs;
	current->user_trap = trap;
	current->user_go = go;
	current->in_user = true;
	// 2. The program's thread pointer and address space. Its table holds
	//    the kernel region's L0 entries too (kernel/mm shares them), and
	//    its pages are tagged with its ASID, so no TLB flush is needed.
	current->tpidr = read_sysreg(tpidr_el0);
	write_sysreg(tpidr_el0, regs->tpidr);
	write_sysreg(ttbr0_el1, ttbr0);
	isb();
	mycpu()->user_start = counter_now(); // user time, until trap_handler
	return u;
}

struct trapframe *user_exit(struct trapframe *tf) {
	// 1. Back to the kernel's own table first, then copy the state out
	//    into the Go kernel's memory.
	write_sysreg(ttbr0_el1, vm_ttbr0);
	isb();
	struct user_regs *regs = current->user_regs;
	memcpy(regs->x, tf->x, sizeof regs->x);
	regs->sp = tf->sp;
	regs->pc = tf->elr;
	regs->pstate = tf->spsr & NZCV_MASK;
	regs->tpidr = read_sysreg(tpidr_el0);
	regs->fpsr = tf->fpsr;
	regs->fpcr = tf->fpcr;
	memcpy(regs->q, tf->q, sizeof regs->q);
	current->user_trap->kind = tf->kind & 3;
	current->user_trap->esr = tf->esr;
	current->user_trap->far = tf->far;
	write_sysreg(tpidr_el0, current->tpidr);
	current->in_user = false;
	// 2. SVC_SWITCH_TO_USER returns 0 into the Go frame.
	struct trapframe *go = current->user_go;
	go->x[0] = 0;
	return go;
}
