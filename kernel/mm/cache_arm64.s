// Data-cache maintenance for ArchCache (cache_arm64.go).
// ARM ARM C5.3 (DC CIVAC), D19.2 (CTR_EL0).

#include "textflag.h"

// func dcCIVACRange(va, size uintptr)
TEXT ·dcCIVACRange(SB), NOSPLIT|NOFRAME, $0-16
	MOVD	va+0(FP), R0
	MOVD	size+8(FP), R1
	ADD	R0, R1, R1	// R1 = end
	// Smallest data cache line: CTR_EL0.DminLine (bits 19:16) is log2 of
	// the line size in 4-byte words, so line = 4 << DminLine bytes.
	MRS	CTR_EL0, R2
	UBFX	$16, R2, $4, R2
	MOVD	$4, R3
	LSL	R2, R3, R3	// R3 = line size
	SUB	$1, R3, R4
	BIC	R4, R0, R0	// start at the line holding va
loop:
	DC	CIVAC, R0	// clean and invalidate to the point of coherency
	ADD	R3, R0, R0
	CMP	R1, R0
	BLO	loop
	DSB	$15	// DSB SY: the maintenance has finished everywhere
	RET
