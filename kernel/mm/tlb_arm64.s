// TLB maintenance and barrier instructions for ArchTLB (tlb_arm64.go).
// ARM ARM C6.2 (DSB, ISB, TLBI), D8.13 (TLB maintenance).
// The DSB/ISB option field CRm: ISHST = 0b1010, ISH = 0b1011, SY = 0b1111.

#include "textflag.h"

// func dsbISHST()
TEXT ·dsbISHST(SB), NOSPLIT|NOFRAME, $0-0
	DSB	$10	// DSB ISHST: wait for earlier stores, inner shareable domain
	RET

// func dsbISH()
TEXT ·dsbISH(SB), NOSPLIT|NOFRAME, $0-0
	DSB	$11	// DSB ISH: wait for earlier TLBIs and accesses, inner shareable
	RET

// func isb()
TEXT ·isb(SB), NOSPLIT|NOFRAME, $0-0
	ISB	$15	// ISB SY: refetch everything after this instruction
	RET

// func tlbiVAE1IS(xt uint64)
TEXT ·tlbiVAE1IS(SB), NOSPLIT|NOFRAME, $0-8
	MOVD	xt+0(FP), R0
	TLBI	VAE1IS, R0	// by VA and ASID, all levels, broadcast
	RET

// func tlbiVAAE1IS(xt uint64)
TEXT ·tlbiVAAE1IS(SB), NOSPLIT|NOFRAME, $0-8
	MOVD	xt+0(FP), R0
	TLBI	VAAE1IS, R0	// by VA, any ASID (global entries), broadcast
	RET

// func tlbiASIDE1IS(xt uint64)
TEXT ·tlbiASIDE1IS(SB), NOSPLIT|NOFRAME, $0-8
	MOVD	xt+0(FP), R0
	TLBI	ASIDE1IS, R0	// every entry of one ASID, broadcast
	RET
