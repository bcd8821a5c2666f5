// memlayout.h: Burrow's virtual address map and the physical facts boot needs.
//
// Virtual addresses (4 KiB granule, 48-bit VAs, TCR_EL1.T0SZ = T1SZ = 16):
//
//   0xFFFF_FFFF_FFFF_FFFF +-------------------------------------------+
//                         |                (unused)                   |
//   0xFFFF_8000_0020_0000 +-------------------------------------------+
//                         | C core image: text RX, rodata R, data RW  |  KIMAGE_VA + 0x80000
//   0xFFFF_8000_0000_0000 +-------------------------------------------+  KIMAGE_VA (TTBR1, L0 slot 256)
//                         |                (unused)                   |
//                         | direct map: all RAM (normal write-back)   |
//                         | and MMIO below 4 GiB (device nGnRE)       |
//   0xFFFF_0000_0000_0000 +-------------------------------------------+  DIRECT_MAP (TTBR1, L0 slot 0)
//                         |      non-canonical hole (faults)          |
//   0x0001_0000_0000_0000 +-------------------------------------------+
//                         | Go kernel (the hybrid-core issue),        |
//                         | EL1-only, shared by every address space   |
//   0x0000_8000_0000_0000 +-------------------------------------------+  2^47 (TTBR0)
//                         | user programs at EL0 (a later issue)      |
//   0x0000_0000_0000_0000 +-------------------------------------------+
//
// The image mapping is separate from the direct map, as in Linux: the image
// is linked at one fixed address and boot maps it to wherever the loader put
// it (PA 0x80000 on the Pi 4 and QEMU raspi4b, 0x40080000 on QEMU virt).
// Until the Go kernel owns TTBR0, TTBR0 walks are disabled after boot
// (TCR_EL1.EPD0), so a NULL dereference faults.
//
// Physical addresses are not constants here: RAM, the UART and the GIC come
// from the device tree. For the record, the BCM2711 ARM peripherals guide
// (section 1.2, "low peripheral" mode) puts the main peripherals at
// 0xFE000000 (PL011 UART0 at 0xFE201000, GPIO at 0xFE200000) and the GIC-400
// at 0xFF840000; QEMU virt puts the GIC at 0x08000000 and the PL011 at
// 0x09000000.
#pragma once

#define DIRECT_MAP 0xFFFF000000000000UL
#define KIMAGE_VA 0xFFFF800000000000UL
#define TEXT_OFFSET 0x80000UL // Linux arm64 boot protocol: image at base + 0x80000

// Sizes of the stacks that live in the image's BSS.
#define BOOT_STACK_SIZE (16 * 1024)
#define EXC_STACK_SIZE (16 * 1024)
#define SECONDARY_STACK_SIZE (16 * 1024) // each secondary core's boot and idle stack

#ifndef __ASSEMBLER__
#include "types.h"
// PHYS_TO_VIRT turns a physical address into its direct-map address.
#define PHYS_TO_VIRT(pa) ((void *)((u64)(pa) + DIRECT_MAP))
#define VIRT_TO_PHYS(va) ((u64)(va) - DIRECT_MAP)
#endif
