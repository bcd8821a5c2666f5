// semihost.c: SYS_EXIT through semihosting (spec section 6.5, SYS_EXIT 0x18).
#include "semihost.h"

bool semihosting;

enum {
	SYS_EXIT = 0x18,
	ADP_Stopped_ApplicationExit = 0x20026, // reason code for a normal exit
};

void semihost_exit(u32 status) {
	if (!semihosting)
		return;
	// On AArch64 the argument is a block {reason, subcode}; QEMU exits
	// with the subcode as its status. The call is HLT #0xF000.
	volatile u64 block[2] = {ADP_Stopped_ApplicationExit, status};
	register u64 x0 __asm__("x0") = SYS_EXIT;
	register volatile u64 *x1 __asm__("x1") = block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}
