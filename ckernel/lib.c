// lib.c: memory, string and formatting helpers for the freestanding C core.
#include "lib.h"
#include "uart.h"

// memset and memcpy work a word at a time when both ends allow it: the C
// core is built with -mstrict-align, so unaligned words would fault.
void *memset(void *dst, int c, size_t n) {
	u8 *d = dst;
	if ((((u64)d | n) & 7) == 0) {
		u64 w = (u8)c * 0x0101010101010101UL;
		for (u64 *p = dst; n; n -= 8)
			*p++ = w;
		return dst;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

// memcpy is on the hot path of every trap from EL0 (user.c copies the
// saved registers, 760 bytes, in and out), so whole words go four at a
// time: the compiler turns each group into two LDP/STP pairs.
void *memcpy(void *dst, const void *src, size_t n) {
	u8 *d = dst;
	const u8 *s = src;
	if ((((u64)d | (u64)s | n) & 7) == 0) {
		u64 *dw = dst;
		const u64 *sw = src;
		for (; n >= 32; n -= 32, dw += 4, sw += 4) {
			u64 a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			dw[0] = a, dw[1] = b, dw[2] = c, dw[3] = e;
		}
		for (; n; n -= 8)
			*dw++ = *sw++;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
	u8 *d = dst;
	const u8 *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n); // memcpy copies forwards
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s) {
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b) {
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

u64 parse_u64(const char *s) {
	u64 v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2;; s++) {
			int d;
			if (*s >= '0' && *s <= '9')
				d = *s - '0';
			else if (*s >= 'a' && *s <= 'f')
				d = *s - 'a' + 10;
			else if (*s >= 'A' && *s <= 'F')
				d = *s - 'A' + 10;
			else
				return v;
			v = v * 16 + (u64)d;
		}
	}
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (u64)(*s - '0');
	return v;
}

// A sink receives formatted characters: the console, or a buffer.
struct sink {
	char *buf; // NULL means the console
	size_t len, cap;
};

static void put(struct sink *k, char c) {
	if (!k->buf) {
		uart_putc(c);
		return;
	}
	if (k->len + 1 < k->cap)
		k->buf[k->len] = c;
	k->len++;
}

static void put_num(struct sink *k, u64 v, unsigned base, int width, bool zero, bool neg) {
	char tmp[24];
	int n = 0;
	do {
		unsigned d = (unsigned)(v % base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (int pad = width - n; pad > 0; pad--)
		put(k, zero ? '0' : ' ');
	while (n)
		put(k, tmp[--n]);
}

static void format(struct sink *k, const char *fmt, va_list ap) {
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(k, *fmt);
			continue;
		}
		fmt++;
		bool zero = false, lng = false;
		int width = 0;
		if (*fmt == '0')
			zero = true, fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == 'l')
			lng = true, fmt++;
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = (int)strlen(s);
			for (int pad = width - n; pad > 0; pad--)
				put(k, ' ');
			while (*s)
				put(k, *s++);
			break;
		}
		case 'c':
			put(k, (char)va_arg(ap, int));
			break;
		case 'd': {
			i64 v = lng ? va_arg(ap, i64) : va_arg(ap, int);
			put_num(k, v < 0 ? (u64)-v : (u64)v, 10, width, zero, v < 0);
			break;
		}
		case 'u':
			put_num(k, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 10, width, zero, false);
			break;
		case 'x':
			put_num(k, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 16, width, zero, false);
			break;
		case 'p':
			put(k, '0'), put(k, 'x');
			put_num(k, (u64)va_arg(ap, void *), 16, 16, true, false);
			break;
		case '%':
			put(k, '%');
			break;
		default: // show what was not understood rather than guess
			put(k, '%'), put(k, *fmt);
			if (!*fmt)
				return;
		}
	}
}

struct spinlock console_lock = SPINLOCK_INIT("console", RANK_CONSOLE);
bool console_smp, console_panic;

bool console_enter(void) {
	if (!console_smp || console_panic || spin_holding(&console_lock))
		return false;
	spin_lock(&console_lock);
	return true;
}

void console_exit(bool took) {
	if (took)
		spin_unlock(&console_lock);
}

void console_write(const char *s, u64 n) {
	char chunk[128];
	while (n) {
		u64 k = n < sizeof chunk ? n : sizeof chunk;
		memcpy(chunk, s, k); // may fault in Go memory: not under the lock
		bool took = console_enter();
		for (u64 i = 0; i < k; i++)
			uart_putc(chunk[i]);
		console_exit(took);
		s += k;
		n -= k;
	}
}

void kvprintf(const char *fmt, va_list ap) {
	struct sink k = {0};
	bool took = console_enter();
	format(&k, fmt, ap);
	console_exit(took);
}

void kprintf(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}


int ksnprintf(char *buf, size_t n, const char *fmt, ...) {
	struct sink k = {.buf = buf, .cap = n};
	va_list ap;
	va_start(ap, fmt);
	format(&k, fmt, ap);
	va_end(ap);
	if (n)
		buf[k.len < n ? k.len : n - 1] = 0;
	return (int)k.len;
}
