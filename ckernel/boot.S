// boot.S: the first instructions Burrow runs, on every core, at whatever
// exception level the loader chose. It is position independent (adrp and
// add only) because it runs at the physical load address with the MMU off,
// while the rest of the C core is linked at KIMAGE_VA.
//
// Order: (1) Linux arm64 Image header, (2) park every core but core 0,
// (3) drop from EL3 or EL2 to EL1, (4) boot stack and BSS, (5) boot_early in
// C builds the page tables, (6) MMU on, (7) jump to the linked address and
// call kmain. Register use: x19 = counter at entry, x20 = DTB pointer from the
// loader, x21 = exception level at entry.
#include "memlayout.h"
#include "sysregs.h"

	.section .text.head, "ax"
	.globl _start
_start:
	// (1) The Linux arm64 Image header (Documentation/arm64/booting.rst):
	// the Pi firmware and QEMU read text_offset and image_size from it.
	b	primary_entry			// code0
	.long	0				// code1
	.quad	TEXT_OFFSET			// text_offset: load at base + 0x80000
	.quad	_image_size			// image_size, including BSS
	.quad	0x2				// flags: little endian, 4 KiB pages
	.quad	0, 0, 0				// res2-res4
	.ascii	"ARM\x64"			// magic
	.long	0				// res5

primary_entry:
	mrs	x19, cntpct_el0			// entry time, for the boot report
	mov	x20, x0				// DTB (Linux boot protocol: x0)
	mrs	x21, CurrentEL			// ARM ARM C5.2.1: EL in bits 3:2
	lsr	x21, x21, #2

	// (2) Only core 0 (MPIDR_EL1.Aff0 = 0, ARM ARM D23.2.101) boots. On
	// raspi4b an ELF enters on all four cores; the others wait in
	// park_secondary until smp.c releases them.
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, park_secondary

	// (3) Drop to EL1, one level at a time.
	bl	drop_to_el1

	// (4) At EL1, MMU off: a stack in BSS, addressed physically; BSS
	// zeroed.
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
3:	cmp	x0, x1
	b.hs	4f
	stp	xzr, xzr, [x0], #16
	b	3b

	// (5) and (6): boot_early (boot.c) reads RAM from the device tree,
	// builds the page tables and turns the MMU on. It returns to the same
	// physical address, which the boot identity map in TTBR0 still maps.
4:	mov	x0, x20
	mov	x1, x19
	mov	x2, x21
	adrp	x3, _start
	add	x3, x3, :lo12:_start
	bl	boot_early

	// (7) Continue at the linked (upper-half) address: the literal pool
	// holds the link-time address of high_entry.
	ldr	x0, =high_entry
	br	x0

	.text
high_entry:
	ldr	x0, =boot_stack_top
	mov	sp, x0
	bl	mmu_drop_identity		// TTBR0 walks off: NULL faults
	mov	x29, xzr			// end of the frame-pointer chain
	mov	x30, xzr
	bl	kmain
	b	park

park:
	wfe
	b	park

	.section .text.head, "ax"
// drop_to_el1 returns to its caller at EL1h, with the MMU off, DAIF masked
// and FP/SIMD enabled, from whichever of EL3, EL2 or EL1 it was called at.
// It uses x0 only, and is called with no stack.
drop_to_el1:
	mrs	x0, CurrentEL			// ARM ARM C5.2.1: EL in bits 3:2
	cmp	x0, #(3 << 2)
	b.ne	1f
	mov	x0, #SCR_EL3_VALUE
	msr	scr_el3, x0
	msr	cptr_el3, xzr			// D23.2.31: FP/SIMD not trapped to EL3
	ldr	x0, =SCTLR_EL2_RES1
	msr	sctlr_el2, x0
	mov	x0, #SPSR_EL2H_MASKED
	msr	spsr_el3, x0
	adr	x0, 1f				// near label: adr reaches it
	msr	elr_el3, x0
	eret
1:	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	2f
	ldr	x0, =HCR_EL2_VALUE
	msr	hcr_el2, x0
	ldr	x0, =CPTR_EL2_VALUE
	msr	cptr_el2, x0
	mov	x0, #CNTHCTL_EL2_VALUE
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr		// virtual counter = physical counter
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	adr	x0, 2f
	msr	elr_el2, x0
	eret
2:	ldr	x0, =SCTLR_EL1_RES1		// at EL1: MMU and caches off
	msr	sctlr_el1, x0
	mov	x0, #CPACR_EL1_FPEN		// FP/SIMD on: the Go runtime needs it
	msr	cpacr_el1, x0
	isb
	ret

// park_secondary: a secondary core that entered the image (all cores do
// when QEMU raspi4b loads the ELF at EL3) waits here, MMU off, until smp.c
// writes the physical address to jump to into secondary_release.
park_secondary:
	wfe
	adrp	x1, secondary_release
	add	x1, x1, :lo12:secondary_release
	ldr	x1, [x1]
	cbz	x1, park_secondary
	br	x1

// park_wfi is where smp.c sends the spin-table cores Burrow does not use:
// interrupts masked and no timer or GIC interface set up, so WFI never
// returns and the core stays asleep (MMU off, any EL).
	.globl	park_wfi
park_wfi:
	msr	daifset, #0xf
1:	wfi
	b	1b

// secondary_entry is where smp.c starts a secondary core: through the spin
// table (the Pi's firmware and QEMU raspi4b), PSCI CPU_ON (QEMU virt), or
// park_secondary. It runs at the physical address, MMU off, at any EL.
	.globl	secondary_entry
secondary_entry:
	bl	drop_to_el1
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff			// this core's number
	// Its boot stack: secondary_stacks + (n + 1) * SECONDARY_STACK_SIZE.
	adrp	x0, secondary_stacks
	add	x0, x0, :lo12:secondary_stacks
	add	x1, x19, #1
	mov	x2, #SECONDARY_STACK_SIZE
	madd	x0, x1, x2, x0
	mov	sp, x0
	bl	mmu_enable_secondary		// the primary's tables, MMU on
	ldr	x0, =secondary_high
	br	x0

	.text
secondary_high:
	ldr	x0, =secondary_stacks		// the same stack, now at its linked address
	add	x1, x19, #1
	mov	x2, #SECONDARY_STACK_SIZE
	madd	x0, x1, x2, x0
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	secondary_main			// never returns
	b	park
	.ltorg
