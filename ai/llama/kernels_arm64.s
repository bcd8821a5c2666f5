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

// func dotF32Asm(a, b []float32) float32
//
// Four 4-lane accumulators (V16-V19) with fused multiply-add (FMLA) over
// 16 values per iteration, then 4 at a time, then a scalar FMADD tail
// after the lanes are summed (FADD, FADDP). The order differs from the Go
// loop's, so it agrees within float32 rounding (1e-5 relative). FADD and
// FADDP are WORD-encoded (Arm ARM C7.2: FADD .4S 0x4E20D400, FADDP .4S
// 0x6E20D400, | Rm<<16 | Rn<<5 | Rd; FADDP scalar .2S 0x7E30D800 | Rn<<5 | Rd).
TEXT ·dotF32Asm(SB), NOSPLIT, $0-52
	MOVD a_base+0(FP), R0
	MOVD a_len+8(FP), R2
	MOVD b_base+24(FP), R1
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16

loop16:
	CMP $16, R2
	BLT loop4
	VLD1.P 64(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R1), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA V0.S4, V4.S4, V16.S4
	VFMLA V1.S4, V5.S4, V17.S4
	VFMLA V2.S4, V6.S4, V18.S4
	VFMLA V3.S4, V7.S4, V19.S4
	SUB $16, R2, R2
	B loop16

loop4:
	CMP $4, R2
	BLT reduce
	VLD1.P 16(R0), [V0.S4]
	VLD1.P 16(R1), [V4.S4]
	VFMLA V0.S4, V4.S4, V16.S4
	SUB $4, R2, R2
	B loop4

reduce:
	WORD $0x4E31D610 // FADD  V16.4S, V16.4S, V17.4S
	WORD $0x4E33D652 // FADD  V18.4S, V18.4S, V19.4S
	WORD $0x4E32D610 // FADD  V16.4S, V16.4S, V18.4S
	WORD $0x6E30D610 // FADDP V16.4S, V16.4S, V16.4S
	WORD $0x7E30DA14 // FADDP S20, V16.2S

tail:
	CBZ R2, done
	FMOVS.P 4(R0), F21
	FMOVS.P 4(R1), F22
	FMADDS F22, F20, F21, F20
	SUB $1, R2, R2
	B tail

done:
	FMOVS F20, ret+48(FP)
	RET
