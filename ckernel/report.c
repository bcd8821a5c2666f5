// report.c: printing protocol lines; see report.h.
#include "report.h"
#include "lib.h"

const char *report_nonce;

void report(const char *kind, const char *fmt, ...) {
	if (!report_nonce)
		return;
	kprintf("@burrow %s %s ", report_nonce, kind);
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}
