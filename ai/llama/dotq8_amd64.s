#include "textflag.h"

// func rowQ8x32AVX2(w, x []int8, ws, xs []float32) float32
//
// For each of len(ws) groups of 32 int8 weights and activations:
// sign-extend both to 16-bit words (VPMOVSXBW), multiply and add adjacent
// pairs into eight int32 lanes (VPMADDWD), sum the lanes, convert the
// exact integer to float32, and accumulate val += (float(sum) * ws[g]) *
// xs[g] with scalar single-precision operations in group order, the same
// rounding steps as the Go loop in matVecQ8, so the result is bit-exact.
// Intel SDM Vol. 2: PMOVSX, PMADDWD, CVTDQ2PS.
TEXT ·rowQ8x32AVX2(SB), NOSPLIT, $0-100
	MOVQ w_base+0(FP), SI
	MOVQ x_base+24(FP), DI
	MOVQ ws_base+48(FP), R8
	MOVQ ws_len+56(FP), CX
	MOVQ xs_base+72(FP), R9
	VXORPS X3, X3, X3
	TESTQ CX, CX
	JEQ done

loop:
	VPMOVSXBW (SI), Y0
	VPMOVSXBW 16(SI), Y1
	VPMOVSXBW (DI), Y2
	VPMOVSXBW 16(DI), Y4
	VPMADDWD Y2, Y0, Y0
	VPMADDWD Y4, Y1, Y1
	VPADDD Y1, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0x4E, X0, X1
	VPADDD X1, X0, X0
	VPSHUFD $0xB1, X0, X1
	VPADDD X1, X0, X0
	VCVTDQ2PS X0, X2
	VMULSS (R8), X2, X2
	VMULSS (R9), X2, X2
	VADDSS X2, X3, X3
	ADDQ $32, SI
	ADDQ $32, DI
	ADDQ $4, R8
	ADDQ $4, R9
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	MOVSS X3, ret+96(FP)
	RET
