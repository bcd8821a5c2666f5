// platform.h: board policy: which board this is and where its console,
// interrupt controller and timer are, all read from the device tree.
#pragma once
#include "fdt.h"
#include "types.h"

struct platform {
	struct fdt fdt;      // the device tree, through the direct map
	const char *board;   // "raspi4b", "virt" or the root compatible
	const char *model;   // /model, for the banner
	u64 uart, gpio;      // MMIO bases (direct map); gpio 0 if none
	u32 uart_clk;        // PL011 reference clock in Hz
	u64 gicd, gicc;      // GIC distributor and CPU interface (direct map)
	u32 timer_irq;       // the virtual timer's interrupt ID
	int cpus;            // /cpus/cpu@* nodes
	const char *bootargs; // /chosen/bootargs, or ""
};

extern struct platform plat;

// platform_probe fills plat from the device tree at dtb (a direct-map
// address). It returns NULL on success or a message naming what is missing.
const char *platform_probe(const void *dtb);
