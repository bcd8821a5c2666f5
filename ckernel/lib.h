// lib.h: the little libc the C core needs: memory and string helpers and a
// printf for the console. All of it is position independent, so boot code
// may call it before the MMU is on.
#pragma once
#include "spinlock.h"
#include "types.h"
#include <stdarg.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
// memmove copies correctly when the ranges overlap.
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
// parse_u64 parses a decimal or 0x-prefixed hexadecimal number; it stops at
// the first character that is not a digit.
u64 parse_u64(const char *s);

// console_lock guards the UART's transmitter and the log ring (klog.c),
// so a message is never interleaved with another CPU's. It is the last lock
// in the order: nothing is taken under it, and nothing under it may touch
// Go memory (a fault would take vm_lock), which is why console_write copies
// through a buffer on the stack. It is used only once smp_start sets
// console_smp (before that, and on one CPU, nothing can race), and ignored
// once panic sets console_panic, so a dying CPU always gets its report out.
extern struct spinlock console_lock;
extern bool console_smp, console_panic;
// console_enter takes console_lock unless this CPU holds it already (a
// panic inside kprintf) or it is not in use; console_exit(took) undoes it.
bool console_enter(void);
void console_exit(bool took);
// console_write sends n bytes at s (which may be Go memory) to the console.
void console_write(const char *s, u64 n);

// kprintf formats to the console: %s %c %d %u %x %p and the l (64-bit)
// modifier, with an optional 0 flag and width (%016lx).
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
// ksnprintf formats into buf and always NUL-terminates it.
int ksnprintf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
