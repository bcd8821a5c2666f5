// bootargs.h: the kernel command line (/chosen/bootargs), words of the form
// key=value or key. Burrow's keys: nonce, seed, semihosting, test, fault.
#pragma once
#include "types.h"

// bootarg copies the value of key into buf (at most n-1 bytes plus NUL) and
// returns buf, or returns NULL if key is absent. A bare key has value "".
const char *bootarg(const char *cmdline, const char *key, char *buf, size_t n);
