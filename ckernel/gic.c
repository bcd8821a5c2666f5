// gic.c: GICv2 driver (ARM Generic Interrupt Controller Architecture
// Specification v2, IHI 0048B, chapter 4 "Programmers' model").
//
// The group rule: QEMU builds both boards' GICs without the Security
// Extensions, and a real Pi 4 runs the kernel Non-secure with every interrupt
// already in Group 1. So this driver never writes GICD_IGROUPRn, and it
// enables with bit 0 of GICD_CTLR and GICC_CTLR, which is Group 0 in QEMU's
// view and Group 1 on hardware. Getting this wrong makes GICC_IAR read 1022.
#include "gic.h"
#include "arch.h"

// Distributor registers, IHI 0048B table 4-1.
enum {
	GICD_CTLR = 0x000,
	GICD_TYPER = 0x004,
	GICD_ISENABLER = 0x100,
	GICD_ICENABLER = 0x180,
	GICD_ISPENDR = 0x200,
	GICD_ICPENDR = 0x280,
	GICD_IPRIORITYR = 0x400,
	GICD_ITARGETSR = 0x800,
	GICD_ICFGR = 0xc00,
	GICD_SGIR = 0xf00,
};
// CPU interface registers, IHI 0048B table 4-2.
enum {
	GICC_CTLR = 0x00,
	GICC_PMR = 0x04, // priority mask: only priorities below it signal
	GICC_BPR = 0x08,
	GICC_IAR = 0x0c,
	GICC_EOIR = 0x10,
};

static u64 gicd, gicc;
static u32 lines;

u32 gic_lines(void) { return lines; }

void gic_init(u64 dist, u64 cpu) {
	gicd = dist;
	gicc = cpu;
	// 1. Distributor off while it is configured.
	mmio_write32(gicd + GICD_CTLR, 0);
	// 2. GICD_TYPER.ITLinesNumber (bits 4:0) = N means 32(N+1) IDs (4.3.2).
	lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
	// 3. Every interrupt disabled and not pending: 32 per register.
	for (u32 i = 0; i < lines / 32; i++) {
		mmio_write32(gicd + GICD_ICENABLER + 4 * i, 0xffffffff);
		mmio_write32(gicd + GICD_ICPENDR + 4 * i, 0xffffffff);
	}
	// 4. Shared peripheral interrupts (ID 32 up): level-triggered (ICFGR
	//    0, two bits per ID, 4.3.13), routed to CPU 0 (ITARGETSR one byte
	//    per ID, bit 0 = CPU interface 0, 4.3.12).
	for (u32 i = 32; i < lines; i += 16)
		mmio_write32(gicd + GICD_ICFGR + i / 4, 0);
	for (u32 i = 32; i < lines; i += 4)
		mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101);
	// 5. Distributor on (bit 0; see the group rule above).
	mmio_write32(gicd + GICD_CTLR, 1);
	// 6. This core's CPU interface.
	gic_cpu_init();
}

void gic_cpu_init(void) {
	// The CPU interface is banked per core (IHI 0048B 4.1.1): let every
	// priority below 0xf0 through, no preemption grouping, then enable it.
	mmio_write32(gicc + GICC_PMR, 0xf0);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, 1);
}

void gic_send_sgi(u32 id, u32 targets) {
	// GICD_SGIR (4.3.15): TargetListFilter 0 (use the list), the
	// CPUTargetList in bits 23:16, the SGI number in bits 3:0.
	dsb(ishst); // stores before the interrupt are visible to its handler
	mmio_write32(gicd + GICD_SGIR, (targets & 0xff) << 16 | (id & 0xf));
}

void gic_enable(u32 id) {
	// Priority 0xa0, one byte per ID (4.3.11); lower is more urgent.
	u64 pr = gicd + GICD_IPRIORITYR + (id & ~3u);
	u32 shift = 8 * (id & 3);
	mmio_write32(pr, (mmio_read32(pr) & ~(0xffu << shift)) | (0xa0u << shift));
	mmio_write32(gicd + GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

u32 gic_ack(void) { return mmio_read32(gicc + GICC_IAR); }
void gic_eoi(u32 iar) { mmio_write32(gicc + GICC_EOIR, iar); }

void gic_disable(u32 id) { mmio_write32(gicd + GICD_ICENABLER + 4 * (id / 32), 1u << (id % 32)); }
void gic_set_pending(u32 id) { mmio_write32(gicd + GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32)); }
