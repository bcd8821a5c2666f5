// sysregs.h: system-register values boot programs, shared by boot.S and C.
// Each value is spelled out bit by bit with its ARM ARM (DDI 0487) section.
#pragma once

// SCR_EL3 (D23.2.143): NS=1 (bit 0, lower ELs Non-secure), bits 4-5 RES1,
// SMD=1 (bit 7, no SMC: there is no secure monitor), HCE=1 (bit 8, HVC
// allowed), RW=1 (bit 10, EL2 is AArch64).
#define SCR_EL3_VALUE ((1 << 0) | (3 << 4) | (1 << 7) | (1 << 8) | (1 << 10))
// SPSR for an exception return to EL2h (M=0b1001) or EL1h (M=0b0101) with
// D, A, I and F masked (bits 9:6).
#define SPSR_EL2H_MASKED ((0xf << 6) | 0x9)
#define SPSR_EL1H_MASKED ((0xf << 6) | 0x5)
// HCR_EL2 (D23.2.54): RW=1 (bit 31), EL1 is AArch64; nothing trapped.
#define HCR_EL2_VALUE (1 << 31)
// CPTR_EL2 with HCR_EL2.E2H=0 (D23.2.30): bits 13:12, 9:0 RES1; TFP
// (bit 10) = 0 so FP/SIMD is not trapped to EL2.
#define CPTR_EL2_VALUE 0x33ff
// CNTHCTL_EL2 (D23.2.27): EL1PCTEN and EL1PCEN (bits 0, 1) let EL1 read the
// physical counter and use the physical timer.
#define CNTHCTL_EL2_VALUE 3
// SCTLR_EL2 / SCTLR_EL1 reset values with the MMU and caches off, RES1 bits
// set (D23.2.160/161); SCTLR_EL1 bit 11 (EOS), 20 (TSCXT), 22 (EIS),
// 23 (SPAN), 28, 29 are RES1 or safe-at-one in ARMv8.0.
#define SCTLR_EL2_RES1 0x30c50830
#define SCTLR_EL1_RES1 0x30d00800
// SCTLR_EL1 bits boot turns on: M (0, MMU), C (2, data cache), SA (3, SP
// alignment check), I (12, instruction cache).
#define SCTLR_EL1_MMU_ON ((1 << 0) | (1 << 2) | (1 << 3) | (1 << 12))
// CPACR_EL1 (D23.2.34): FPEN = 0b11 (bits 21:20), FP/SIMD not trapped.
#define CPACR_EL1_FPEN (3 << 20)
