//go:build linux && arm64

#include "textflag.h"

// func ccall(fn, a0, a1 uintptr) uintptr
//
// The Go-to-C trampoline. C runs on this thread's own C stack, whose top
// the C core keeps in TPIDRRO_EL0 (EL1 writes it on every thread switch;
// Go never uses it), with IRQs masked so the C function cannot be preempted
// or interrupted by a signal. R19 and R20 are callee-saved under AAPCS64
// (the C compiler preserves them), so they carry Go's SP and LR across.
TEXT ·ccall(SB), NOSPLIT|NOFRAME, $0-32
	MOVD	fn+0(FP), R9
	MOVD	a0+8(FP), R0
	MOVD	a1+16(FP), R1
	MOVD	RSP, R19
	MOVD	R30, R20
	MSR	$2, DAIFSet			// mask IRQs (ARM ARM C5.2.2)
	MRS	TPIDRRO_EL0, R10
	MOVD	R10, RSP
	CALL	(R9)
	MOVD	R19, RSP
	MOVD	R20, R30
	MSR	$2, DAIFClr
	MOVD	R0, ret+24(FP)
	RET

// func Counter() uint64
TEXT ·Counter(SB), NOSPLIT, $0-8
	ISB	$15
	MRS	CNTVCT_EL0, R0
	MOVD	R0, ret+0(FP)
	RET
