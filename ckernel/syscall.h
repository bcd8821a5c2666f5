// syscall.h: the Linux-ABI shim that serves the Go runtime, and Burrow's
// kernel services. Both arrive as SVC #0 from Go at EL1 (ESR_EL1.EC 0x15):
// x8 is the number, x0-x5 the arguments, x0 the result or -errno.
#pragma once
#include "trap.h"

// Burrow kernel services use numbers from 0x1000 up, far above Linux's.
// ckernel/CONTRACT.md lists each, and kernel/core is their only Go caller.
#define BURROW_SVC_BASE 0x1000

// syscall_dispatch serves the call in tf and stores its result in x0.
void syscall_dispatch(struct trapframe *tf);
// syscall_unimplemented_count is how many distinct unknown numbers were seen.
extern int syscall_unimplemented_count;
