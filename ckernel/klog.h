// klog.h: the kernel log, a ring of everything printed on the console, which
// the Go kernel and the debugger can read back.
#pragma once
#include "types.h"

#define KLOG_SIZE (64 * 1024) // a power of two

extern char klog_buf[KLOG_SIZE];
extern u64 klog_head; // bytes ever written; the ring holds the last KLOG_SIZE

void klog_putc(char c);
// klog_read copies bytes [from, from+len) of the log into buf, clamped to
// what the ring still holds, and returns how many it copied.
u64 klog_read(char *buf, u64 len, u64 from);
