// report.h: the in-kernel test protocol (qemu/PROTOCOL.md). A structured
// line starts with "@burrow", then the per-run nonce from the boot
// arguments, then a kind and key=value fields:
//
//   @burrow 9f3c2a1b7d4e5f60 boot board=raspi4b el=2 ram=0x3c000000
//
// Without a nonce (an interactive boot) nothing is reported.
#pragma once
#include "types.h"

extern const char *report_nonce; // NULL when the host passed none

// report prints one protocol line: kind, then the formatted fields.
void report(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
