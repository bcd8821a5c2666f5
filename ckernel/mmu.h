// mmu.h: the C core's page tables (ARM ARM D8, "The AArch64 Virtual Memory
// System Architecture"), built once at boot by boot_early.
#pragma once
#include "types.h"

// Stage 1 descriptor bits, ARM ARM D8.3 (VMSAv8-64 translation table format).
#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1)       // at L0-L2: next-level table; at L3: page
#define PTE_ATTR(i) ((u64)(i) << 2) // AttrIndx: which MAIR_EL1 byte
#define PTE_AP_RO (2UL << 6)        // AP[2:1] = 10: read-only at EL1, no EL0
#define PTE_SH_INNER (3UL << 8)     // inner shareable
#define PTE_AF (1UL << 10)          // access flag, preset so no fault
#define PTE_PXN (1UL << 53)         // never executable at EL1
#define PTE_UXN (1UL << 54)         // never executable at EL0
#define PTE_ADDR_MASK 0x0000fffffffff000UL

// MAIR_EL1 attribute indexes (D23.2.97): byte 0 normal write-back
// read/write-allocate (0xff), byte 1 device nGnRE (0x04), byte 2 normal
// non-cacheable (0x44, for DMA buffers later).
#define MT_NORMAL 0
#define MT_DEVICE 1
#define MT_NORMAL_NC 2
#define MAIR_VALUE 0x4404ffUL

// mmu_enable loads MAIR, TCR and both TTBRs, then sets SCTLR_EL1.M, C and I.
// It runs with the MMU off, from the identity-mapped boot code.
void mmu_enable(void);
// mmu_enable_secondary does the same on a secondary core, with the tables
// the primary built (smp.c), leaving the caches alone.
void mmu_enable_secondary(void);
// mmu_drop_identity disables TTBR0 walks once boot runs at its linked address.
void mmu_drop_identity(void);
// mmu_build makes the tables: the image at KIMAGE_VA, the direct map of RAM
// (ram_base/ram_size, n regions) and MMIO, and the boot identity map.
void mmu_build(u64 image_pa, const u64 *ram_base, const u64 *ram_size, int n);
// mmu_direct_map_end is the first physical address the direct map does not cover.
extern u64 mmu_direct_map_end;
