#include "textflag.h"

// func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32
//
// For each of len(ws) groups of 32 int8 weights (R0) and activations (R1):
// four SMULL/SMULL2 multiply 8 byte pairs each into 16-bit products (each
// at most 128·128 = 16384, so no overflow), SADALP adds adjacent products
// into four 32-bit lanes of V16, ADDV sums the lanes. The exact integer is
// converted to float32 (SCVTF) and accumulated as (float(sum)·ws[g])·xs[g]
// with separate, unfused FMUL and FADD, the rounding steps of the Go loop,
// so the result is bit-exact. Scalars live in F20-F23: F0-F7 are the low
// lanes of the vectors V0-V7 that the loads and products use. The Go assembler has no mnemonics for SMULL,
// SADALP or ADDV, so they are WORD-encoded from the Arm ARM (DDI 0487,
// C7.2: SMULL, SMULL2 0x0E20C000/0x4E20C000 | Rm<<16 | Rn<<5 | Rd; SADALP
// .4S from .8H 0x4E606800 | Rn<<5 | Rd; ADDV S from .4S 0x4EB1B800 | Rn<<5 | Rd).
TEXT ·rowQ8x32Asm(SB), NOSPLIT, $0-100
	MOVD w_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD ws_base+48(FP), R2
	MOVD ws_len+56(FP), R3
	MOVD xs_base+72(FP), R4
	FMOVS ZR, F20
	CBZ R3, done

loop:
	VLD1.P 32(R0), [V0.B16, V1.B16]
	VLD1.P 32(R1), [V2.B16, V3.B16]
	VEOR V16.B16, V16.B16, V16.B16
	WORD $0x0E22C004 // SMULL  V4.8H, V0.8B, V2.8B
	WORD $0x4E22C005 // SMULL2 V5.8H, V0.16B, V2.16B
	WORD $0x0E23C026 // SMULL  V6.8H, V1.8B, V3.8B
	WORD $0x4E23C027 // SMULL2 V7.8H, V1.16B, V3.16B
	WORD $0x4E606890 // SADALP V16.4S, V4.8H
	WORD $0x4E6068B0 // SADALP V16.4S, V5.8H
	WORD $0x4E6068D0 // SADALP V16.4S, V6.8H
	WORD $0x4E6068F0 // SADALP V16.4S, V7.8H
	WORD $0x4EB1BA10 // ADDV   S16, V16.4S
	VMOV V16.S[0], R5
	SCVTFWS R5, F21
	FMOVS.P 4(R2), F22
	FMULS F22, F21, F21
	FMOVS.P 4(R4), F23
	FMULS F23, F21, F21
	FADDS F21, F20, F20
	SUB $1, R3, R3
	CBNZ R3, loop

done:
	FMOVS F20, ret+96(FP)
	RET
