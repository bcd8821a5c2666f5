// platform.c: reading the board from the device tree (Devicetree
// Specification v0.4 and the Linux bindings named below). No addresses are
// compiled in: the same image finds the PL011 at 0xFE201000 on a Pi 4 and
// at 0x09000000 on QEMU virt.
#include "platform.h"
#include "lib.h"
#include "memlayout.h"

struct platform plat;

// board_name maps the root compatible to Burrow's short board names.
static const char *board_name(const struct fdt *f) {
	int len;
	const char *c = fdt_prop(f, 0, "compatible", &len);
	for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1) {
		if (strcmp(c + i, "raspberrypi,4-model-b") == 0)
			return "raspi4b";
		if (strcmp(c + i, "linux,dummy-virt") == 0)
			return "virt";
	}
	return c ? c : "unknown";
}

// uart_clock follows the PL011's first clock: a fixed-clock with
// clock-frequency (QEMU virt's 24 MHz apb_pclk) gives the rate; the Pi's
// firmware clock does not, and its UART clock is 48 MHz.
static u32 uart_clock(const struct fdt *f, int uart) {
	const u8 *clocks = fdt_prop(f, uart, "clocks", NULL);
	if (clocks) {
		int clk = fdt_node_by_phandle(f, fdt_be32(clocks));
		const u8 *hz = fdt_prop(f, clk, "clock-frequency", NULL);
		if (hz)
			return fdt_be32(hz);
	}
	return 48000000;
}

// virtual_timer_irq reads the timer node (binding arm,armv8-timer): four
// interrupts (secure physical, non-secure physical, virtual, hypervisor),
// each <type number flags>; the virtual timer is the third, a PPI, and PPI n
// is interrupt ID 16 + n (GIC v2 spec, 2.2.1).
static u32 virtual_timer_irq(const struct fdt *f) {
	int t = fdt_find_compatible(f, -1, "arm,armv8-timer");
	int len;
	const u8 *irqs = fdt_prop(f, t, "interrupts", &len);
	if (!irqs || len < 3 * 12)
		return 27; // the architected default (SBSA)
	return 16 + fdt_be32(irqs + 2 * 12 + 4);
}

static bool reg(const struct fdt *f, int node, int idx, u64 *va) {
	u64 pa, size;
	if (node < 0 || !fdt_reg(f, node, idx, &pa, &size))
		return false;
	*va = (u64)PHYS_TO_VIRT(pa);
	return true;
}

const char *platform_probe(const void *dtb) {
	struct fdt *f = &plat.fdt;
	if (!fdt_open(f, dtb))
		return "no device tree (nothing in x0, none at the start of RAM)";
	plat.board = board_name(f);
	plat.model = fdt_prop(f, 0, "model", NULL);
	if (!plat.model)
		plat.model = plat.board;
	// The console is the first enabled PL011: UART0 on the Pi, whatever
	// /chosen/stdout-path says (it names the mini UART there).
	int uart = fdt_find_compatible(f, -1, "arm,pl011");
	if (!reg(f, uart, 0, &plat.uart))
		return "no enabled arm,pl011 UART";
	plat.uart_clk = uart_clock(f, uart);
	if (!reg(f, fdt_find_compatible(f, -1, "brcm,bcm2711-gpio"), 0, &plat.gpio))
		plat.gpio = 0;
	int gic = fdt_find_compatible(f, -1, "arm,gic-400");
	if (gic < 0)
		gic = fdt_find_compatible(f, -1, "arm,cortex-a15-gic");
	if (!reg(f, gic, 0, &plat.gicd) || !reg(f, gic, 1, &plat.gicc))
		return "no GICv2 (arm,gic-400 or arm,cortex-a15-gic)";
	plat.timer_irq = virtual_timer_irq(f);
	plat.cpus = fdt_count_children(f, fdt_find_path(f, "/cpus"), "cpu@");
	plat.bootargs = fdt_prop(f, fdt_find_path(f, "/chosen"), "bootargs", NULL);
	if (!plat.bootargs)
		plat.bootargs = "";
	return NULL;
}
