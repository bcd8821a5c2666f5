// arch.h: AArch64 system-register access and barriers (ARM ARM, DDI 0487).
// Each accessor names the register; its fields are described where used.
#pragma once
#include "types.h"

#define read_sysreg(r) ({                                    \
	u64 __v;                                             \
	__asm__ volatile("mrs %0, " #r : "=r"(__v));         \
	__v;                                                 \
})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((u64)(v)))

// Barriers: ARM ARM B2.3.12 (DMB, DSB) and C6.2.96 (ISB).
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi")
#define wfe() __asm__ volatile("wfe")

// DAIF masking of IRQs at EL1: ARM ARM C5.2.2 (DAIF), DAIFSet/DAIFClr bit 1 = I.
static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("msr daifset, #2" ::: "memory"); }

// MMIO: every device register access in the C core goes through these, so
// a grep for mmio_ finds all of them. Device memory is mapped nGnRE, so
// accesses reach the device in program order.
static inline u32 mmio_read32(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(u64 addr, u32 v) { *(volatile u32 *)addr = v; }
