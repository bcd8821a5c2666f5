// swtch.S: switch kernel contexts (see struct context in thread.h). Called
// as a function, so only callee-saved state needs saving (AAPCS64 6.1.1);
// the rest of the thread's state is in its trap frame on its own stack.
	.text
	.globl	swtch
swtch:
	mov	x9, sp
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	str	x9, [x0, #96]
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x9, [x1, #96]
	mov	sp, x9
	clrex				// an exclusive monitor must not span threads
	ret
