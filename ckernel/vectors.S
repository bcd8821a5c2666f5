// vectors.S: the EL1 exception vector table (ARM ARM D1.10.2). Every entry
// saves a full trap frame (struct trapframe in trap.h), calls trap_handler
// with it, and restores everything it saved before ERET, so any handler may
// change the frame to change what resumes.
#include "trap.h"

// save_frame: build the frame below the current SP (SP_EL1: an exception
// always selects SP_ELx). kind says which vector we came through.
.macro save_frame kind
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	// The interrupted SP: SP_EL0 for EL1t and EL0, else the SP_EL1
	// value before the frame was pushed.
	.if (\kind & 0xc) == FROM_EL1H
	add	x0, sp, #TF_SIZE
	.else
	mrs	x0, sp_el0
	.endif
	stp	x30, x0, [sp, #TF_SP - 8]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #TF_ELR]
	mrs	x0, esr_el1
	mrs	x1, far_el1
	stp	x0, x1, [sp, #TF_ESR]
	mov	x0, #\kind
	str	x0, [sp, #TF_KIND]
	mrs	x0, fpsr
	mrs	x1, fpcr
	stp	x0, x1, [sp, #TF_FPSR]
	add	x0, sp, #TF_Q
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
.endm

// A vector entry is 0x80 bytes: save the frame out of line. The kind is
// a plain number (FROM_* | TRAP_* from trap.h) so it can name a label.
.macro vector kind
	.balign	0x80
	sub	sp, sp, #16			// room to keep x0 and x30 for the branch
	stp	x0, x30, [sp]
	bl	trap_entry_\kind
.endm

	.text
	.balign	0x800
	.globl	vectors
vectors:
	vector	0			// FROM_EL1T | TRAP_SYNC
	vector	1			// FROM_EL1T | TRAP_IRQ
	vector	2			// FROM_EL1T | TRAP_FIQ
	vector	3			// FROM_EL1T | TRAP_SERROR
	vector	4			// FROM_EL1H | TRAP_SYNC
	vector	5			// FROM_EL1H | TRAP_IRQ
	vector	6			// FROM_EL1H | TRAP_FIQ
	vector	7			// FROM_EL1H | TRAP_SERROR
	vector	8			// FROM_EL0_64 | TRAP_SYNC
	vector	9			// FROM_EL0_64 | TRAP_IRQ
	vector	10			// FROM_EL0_64 | TRAP_FIQ
	vector	11			// FROM_EL0_64 | TRAP_SERROR
	vector	12			// FROM_EL0_32 | TRAP_SYNC
	vector	13			// FROM_EL0_32 | TRAP_IRQ
	vector	14			// FROM_EL0_32 | TRAP_FIQ
	vector	15			// FROM_EL0_32 | TRAP_SERROR

// trap_entry_N: undo the vector's scratch push, save the frame, call C,
// and resume the frame trap_handler returns: usually the one just saved,
// but entering or leaving user mode resumes another (see user.c).
.macro entry kind
trap_entry_\kind:
	ldp	x0, x30, [sp], #16
	save_frame \kind
	mov	x0, sp
	bl	trap_handler
	b	trap_resume
.endm
	entry	0			// FROM_EL1T | TRAP_SYNC
	entry	1			// FROM_EL1T | TRAP_IRQ
	entry	2			// FROM_EL1T | TRAP_FIQ
	entry	3			// FROM_EL1T | TRAP_SERROR
	entry	4			// FROM_EL1H | TRAP_SYNC
	entry	5			// FROM_EL1H | TRAP_IRQ
	entry	6			// FROM_EL1H | TRAP_FIQ
	entry	7			// FROM_EL1H | TRAP_SERROR
	entry	8			// FROM_EL0_64 | TRAP_SYNC
	entry	9			// FROM_EL0_64 | TRAP_IRQ
	entry	10			// FROM_EL0_64 | TRAP_FIQ
	entry	11			// FROM_EL0_64 | TRAP_SERROR
	entry	12			// FROM_EL0_32 | TRAP_SYNC
	entry	13			// FROM_EL0_32 | TRAP_IRQ
	entry	14			// FROM_EL0_32 | TRAP_FIQ
	entry	15			// FROM_EL0_32 | TRAP_SERROR

// trap_resume resumes the frame at x0. An EL0 frame comes from user_enter,
// staged elsewhere because it belongs exactly below the current frame,
// where trap_handler's own stack was until it returned: copy it there now.
trap_resume:
	ldr	x1, [x0, #TF_KIND]
	and	x1, x1, #0xc
	cmp	x1, #FROM_EL0_64
	b.ne	2f
	sub	x1, sp, #TF_SIZE
	mov	x2, #TF_SIZE
1:	ldp	x3, x4, [x0], #16
	stp	x3, x4, [x1], #16
	subs	x2, x2, #16
	b.ne	1b
	sub	x0, sp, #TF_SIZE
2:	mov	sp, x0
	b	trap_return

// thread_start is a new thread's first code (thread.c): release the run
// queue lock that the sched which picked it holds, then enter its frame.
	.globl	thread_start
thread_start:
	bl	thread_first_run
	b	trap_return

// trap_return restores the frame at SP and returns from the exception.
// SP_EL0 is restored for frames that came from EL1t or EL0; for EL1h the
// stack pointer is simply popped.
	.globl	trap_return
trap_return:
	add	x0, sp, #TF_Q
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	ldp	x0, x1, [sp, #TF_FPSR]
	msr	fpsr, x0
	msr	fpcr, x1
	ldp	x0, x1, [sp, #TF_ELR]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldr	x0, [sp, #TF_KIND]
	and	x0, x0, #0xc
	cmp	x0, #FROM_EL1H
	b.eq	1f
	ldr	x0, [sp, #TF_SP]
	msr	sp_el0, x0
1:	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #TF_SP - 8]
	add	sp, sp, #TF_SIZE
	clrex					// no exclusive monitor crosses contexts
	eret
