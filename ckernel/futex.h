// futex.h: futex(2) and timespec timeouts.
#pragma once
#include "spinlock.h"
#include "types.h"

long sys_futex(u64 uaddr, int op, u32 val, u64 timeout);
// futex_wake wakes up to n threads waiting on the futex word at uaddr.
int futex_wake(u64 uaddr, int n);
// futex_lock makes a wait's check and sleep atomic against wakes (futex.c).
extern struct spinlock futex_lock;
// timeout_deadline turns a relative struct timespec at ts_addr into an
// absolute counter value: 0 for none (NULL), ~0 if the timespec is invalid.
u64 timeout_deadline(u64 ts_addr);
