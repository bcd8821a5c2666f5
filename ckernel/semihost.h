// semihost.h: Arm semihosting (the "Semihosting for AArch32 and AArch64"
// specification, version 2.0), used only when the host asked for it with
// the semihosting=1 boot argument: on real hardware HLT would trap.
#pragma once
#include "types.h"

extern bool semihosting; // set from the boot arguments

// semihost_exit ends the QEMU run with status (0 = success). Without
// semihosting it returns, and the caller halts instead.
void semihost_exit(u32 status);
