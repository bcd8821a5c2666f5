// klog.c: see klog.h. The debugger finds the ring by the symbols klog_buf
// and klog_head.
#include "klog.h"

char klog_buf[KLOG_SIZE];
u64 klog_head;

void klog_putc(char c) { klog_buf[klog_head++ & (KLOG_SIZE - 1)] = c; }

u64 klog_read(char *buf, u64 len, u64 from) {
	u64 oldest = klog_head > KLOG_SIZE ? klog_head - KLOG_SIZE : 0;
	if (from < oldest)
		from = oldest;
	u64 n = 0;
	for (; n < len && from + n < klog_head; n++)
		buf[n] = klog_buf[(from + n) & (KLOG_SIZE - 1)];
	return n;
}
