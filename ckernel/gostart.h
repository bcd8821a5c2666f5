// gostart.h: loading the Go kernel and starting its runtime at EL1.
#pragma once
#include "types.h"

// go_start loads the Go kernel's ELF (embedded in the image by payload.S)
// into the kernel region, builds its Linux initial stack from the boot
// arguments, and makes its first thread runnable. It returns NULL or a
// message saying why the ELF was rejected.
const char *go_start(const char *bootargs);
