#include "textflag.h"

// func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32
//
// For each of len(ws) groups of 32 int8 weights and activations:
// sign-extend both to 16-bit words (VPMOVSXBW), multiply and add adjacent
// pairs into eight int32 lanes (VPMADDWD), sum the lanes, convert the
// exact integer to float32, and accumulate val += (float(sum) * ws[g]) *
// xs[g] with scalar single-precision operations in group order, the same
// rounding steps as the Go loop in matVecQ8, so the result is bit-exact.
// Intel SDM Vol. 2: PMOVSX, PMADDWD, CVTDQ2PS.
TEXT ·rowQ8x32Asm(SB), NOSPLIT, $0-100
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


// func dotF32Asm(a, b []float32) float32
//
// Four 8-lane accumulators with fused multiply-add over 32 values per
// iteration, then 8 at a time, then a scalar tail; the lanes are summed at
// the end. The summation order differs from the Go loop's, so the result
// agrees with it within float32 rounding (1e-5 relative), not bit for bit.
// Intel SDM Vol. 2: VFMADD231PS, VEXTRACTF128, MOVHLPS, MOVSHDUP.
TEXT ·dotF32Asm(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ a_len+8(FP), CX
	MOVQ b_base+24(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3

loop32:
	CMPQ CX, $32
	JLT loop8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP loop32

loop8:
	CMPQ CX, $8
	JLT reduce
	VMOVUPS (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP loop8

reduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0

tail:
	TESTQ CX, CX
	JEQ done
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP tail

done:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET
