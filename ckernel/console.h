// console.h: the kernel console, a line-oriented shell on the UART that runs
// until user space exists.
#pragma once

// console_run prints a prompt and serves commands forever.
void console_run(void) __attribute__((noreturn));
