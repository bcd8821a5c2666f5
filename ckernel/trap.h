// trap.h: the trap frame every exception saves, and trap dispatch.
#pragma once

// Offsets of struct trapframe fields, for vectors.S.
#define TF_SP 248
#define TF_ELR 256
#define TF_SPSR 264
#define TF_ESR 272
#define TF_FAR 280
#define TF_KIND 288
#define TF_FPSR 304
#define TF_Q 320
#define TF_SIZE 832

// The trap kind is the vector-table entry (ARM ARM D1.10.2, table D1-5):
// the source (current EL with SP_EL0, with SP_ELx, lower EL) plus the type.
#define TRAP_SYNC 0
#define TRAP_IRQ 1
#define TRAP_FIQ 2
#define TRAP_SERROR 3
#define FROM_EL1T (0 << 2)
#define FROM_EL1H (1 << 2)
#define FROM_EL0_64 (2 << 2)
#define FROM_EL0_32 (3 << 2)

#ifndef __ASSEMBLER__
#include "types.h"

// struct trapframe is what vectors.S pushes on the exception stack: the
// complete state of the interrupted context, so it can be inspected,
// changed and resumed. Its layout is shared with vectors.S (TF_* offsets
// below) and, later, with Go; a test checks the offsets.
struct trapframe {
	u64 x[31];   // x0-x30
	u64 sp;      // the interrupted stack pointer (SP_EL0 or SP_EL1)
	u64 elr;     // ELR_EL1: where the exception was taken
	u64 spsr;    // SPSR_EL1: the interrupted PSTATE
	u64 esr;     // ESR_EL1: why (syndrome)
	u64 far;     // FAR_EL1: the faulting address, for aborts
	u64 kind;    // which vector: TRAP_* | FROM_*
	u64 pad;
	u64 fpsr, fpcr;
	u64 q[32][2]; // q0-q31, the FP/SIMD registers
};

void trap_init(void);
// trap_handler handles the exception saved in tf and returns the frame to
// resume, which vectors.S restores and erets into.
struct trapframe *trap_handler(struct trapframe *tf);
#endif
