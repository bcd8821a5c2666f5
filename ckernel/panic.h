// panic.h: stopping the machine with a report a student can act on.
#pragma once
#include "trap.h"

// panic prints the message and a backtrace of the caller, then halts (or,
// with semihosting, exits QEMU with status 1). It never returns.
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
// panic_trap reports an unexpected exception: every register, the ESR
// decoded, FAR, ELR and a symbolized backtrace.
void panic_trap(struct trapframe *tf) __attribute__((noreturn));
// halt stops this core for good, after exiting QEMU if semihosting is on.
void halt(u32 status) __attribute__((noreturn));
