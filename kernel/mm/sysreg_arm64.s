// System register reads for sysreg_arm64.go. ARM ARM D19.2 (TTBR0_EL1).

#include "textflag.h"

// func ReadTTBR0() uint64
TEXT ·ReadTTBR0(SB), NOSPLIT|NOFRAME, $0-8
	MRS	TTBR0_EL1, R0
	MOVD	R0, ret+0(FP)
	RET
