// main.c: kmain, the C core's boot order after the MMU is on. One init call
// per line, each saying what it brings up.
#include "arch.h"
#include "boot.h"
#include "bootargs.h"
#include "console.h"
#include "gic.h"
#include "gpio.h"
#include "lib.h"
#include "memlayout.h"
#include "panic.h"
#include "platform.h"
#include "report.h"
#include "selftest.h"
#include "semihost.h"
#include "timer.h"
#include "trap.h"
#include "uart.h"

static char nonce[40];

// console_init puts the PL011 on its pins (Pi only) and programs it.
static void console_init(void) {
	if (plat.gpio)
		gpio_uart0_pins(plat.gpio);
	if (plat.uart)
		uart_init(plat.uart, plat.uart_clk);
}

// args_init reads the boot arguments that change the C core's behaviour.
static void args_init(void) {
	char buf[8];
	semihosting = bootarg(plat.bootargs, "semihosting", buf, sizeof buf) != NULL;
	report_nonce = bootarg(plat.bootargs, "nonce", nonce, sizeof nonce);
}

static u64 ram_total(void) {
	u64 sum = 0;
	for (int i = 0; i < bootinfo.nram; i++)
		sum += bootinfo.ram_size[i];
	return sum;
}

// banner prints who we are, where we run, and the boot report line.
static void banner(void) {
	// Under QEMU's -icount shift=0 one instruction is one nanosecond of
	// guest time, so this counter delta is an instruction count.
	u64 insns = (counter_now() - bootinfo.entry_count) * 1000000000UL / counter_freq();
	kprintf("\nBurrow C core on %s (%s)\n", plat.model, plat.board);
	kprintf("device tree at 0x%lx (%s)\n", bootinfo.dtb_pa,
		bootinfo.dtb_searched ? "found by search: the loader did not pass it in x0" : "from x0");
	kprintf("entered at EL%lu, running at EL1; RAM %lu MiB (0x%lx) from the device tree; %d CPUs\n",
		bootinfo.entry_el, ram_total() / MiB, ram_total(), plat.cpus);
	report("boot", "board=%s el=%lu ram=0x%lx cpus=%d banner_insns=%lu", plat.board,
	       bootinfo.entry_el, ram_total(), plat.cpus, insns);
}

void kmain(void) {
	trap_init();                                  // exception vectors: faults are reported from here on
	const char *err = platform_probe(PHYS_TO_VIRT(bootinfo.dtb_pa)); // board, UART, GIC, timer from the DT
	console_init();                               // GPIO 14/15 and the PL011
	if (err)
		panic("device tree: %s", err);
	if (bootinfo.nram < 0)
		panic("device tree: no /memory node with a reg entry");
	args_init();                                  // nonce, semihosting
	banner();                                     // board, entry EL, RAM; the boot report
	gic_init(plat.gicd, plat.gicc);               // interrupt controller, all lines off
	timer_init(plat.timer_irq);                   // 100 Hz tick from the virtual timer
	gic_enable(plat.timer_irq);                   // let the tick through
	irq_enable();                                 // and unmask IRQs at EL1
	selftest_run(plat.bootargs);                  // test=... or fault=... from the host
	console_run();                                // the kernel console, forever
}
