// gic.h: the GICv2 interrupt controller (GIC-400 on the Pi 4, GICv2 on QEMU virt).
#pragma once
#include "types.h"

// gic_init brings up the distributor at dist and this core's CPU
// interface at cpu; every interrupt starts disabled.
void gic_init(u64 dist, u64 cpu);
// gic_cpu_init enables the calling core's CPU interface (each core calls it).
void gic_cpu_init(void);
// gic_send_sgi raises software-generated interrupt id on the CPUs in the
// bit mask targets.
void gic_send_sgi(u32 id, u32 targets);
// gic_enable lets interrupt id through, at a middle priority, to CPU 0.
void gic_enable(u32 id);
// gic_disable masks interrupt id at the distributor.
void gic_disable(u32 id);
// gic_set_pending makes interrupt id pending, as if its device raised it.
void gic_set_pending(u32 id);
// gic_ack acknowledges the highest-priority pending interrupt and returns
// its IAR value; gic_irq_id extracts the interrupt ID (1023 = spurious).
u32 gic_ack(void);
static inline u32 gic_irq_id(u32 iar) { return iar & 0x3ff; }
// gic_eoi signals the end of handling the interrupt acknowledged as iar.
void gic_eoi(u32 iar);
// gic_lines is the number of interrupt IDs the distributor implements.
u32 gic_lines(void);
