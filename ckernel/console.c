// console.c: the kernel console. The core idles in WFI; the 100 Hz tick
// wakes it, and it polls the UART for typed characters.
#include "console.h"
#include "arch.h"
#include "boot.h"
#include "gic.h"
#include "lib.h"
#include "mmu.h"
#include "panic.h"
#include "platform.h"
#include "semihost.h"
#include "timer.h"
#include "uart.h"

static void cmd_help(void) {
	kprintf("commands:\n"
		"  help      this list\n"
		"  info      board, entry level, CPUs and boot arguments\n"
		"  mem       RAM regions from the device tree and the direct map\n"
		"  ticks     timer ticks and uptime\n"
		"  irq       the interrupt controller\n"
		"  panic     trigger a kernel panic (to see the report)\n"
		"  poweroff  stop the machine\n");
}

static void cmd_info(void) {
	kprintf("board     %s (%s)\n", plat.model, plat.board);
	kprintf("entry     EL%lu\n", bootinfo.entry_el);
	kprintf("cpus      %d (only CPU 0 runs until SMP lands)\n", plat.cpus);
	kprintf("bootargs  %s\n", plat.bootargs);
}

static void cmd_mem(void) {
	for (int i = 0; i < bootinfo.nram; i++)
		kprintf("ram       0x%010lx-0x%010lx  %lu MiB\n", bootinfo.ram_base[i],
			bootinfo.ram_base[i] + bootinfo.ram_size[i], bootinfo.ram_size[i] / MiB);
	kprintf("direct    PA 0-0x%lx at VA 0x%016lx\n", mmu_direct_map_end, 0xffff000000000000UL);
	kprintf("image     PA 0x%lx at VA 0x%016lx\n", bootinfo.image_pa, 0xffff800000080000UL);
	kprintf("dtb       PA 0x%lx\n", bootinfo.dtb_pa);
}

static void cmd_ticks(void) {
	kprintf("%lu ticks at %d Hz: up %lu.%02lu s; counter %lu Hz\n", ticks, HZ, ticks / HZ,
		ticks % HZ, counter_freq());
}

static void run(const char *line) {
	if (!*line)
		return;
	if (strcmp(line, "help") == 0)
		cmd_help();
	else if (strcmp(line, "info") == 0)
		cmd_info();
	else if (strcmp(line, "mem") == 0)
		cmd_mem();
	else if (strcmp(line, "ticks") == 0)
		cmd_ticks();
	else if (strcmp(line, "irq") == 0)
		kprintf("GICv2 with %u interrupt IDs; timer on ID %u\n", gic_lines(), timer_irq());
	else if (strcmp(line, "panic") == 0)
		panic("requested from the console");
	else if (strcmp(line, "poweroff") == 0) {
		kprintf("powering off%s\n", semihosting ? "" : " (halting: no semihosting)");
		halt(0);
	} else
		kprintf("unknown command '%s'; try help\n", line);
}

void console_run(void) {
	char line[128];
	size_t n = 0;
	kprintf("Type 'help' for commands.\nburrow> ");
	for (;;) {
		int c = uart_getc();
		if (c < 0) {
			wfi(); // the tick wakes us to poll again
			continue;
		}
		if (c == '\r' || c == '\n') {
			kprintf("\n");
			line[n] = 0;
			run(line);
			n = 0;
			kprintf("burrow> ");
		} else if ((c == 0x7f || c == '\b') && n > 0) {
			n--;
			kprintf("\b \b");
		} else if (c >= ' ' && c < 0x7f && n < sizeof line - 1) {
			line[n++] = (char)c;
			uart_putc((char)c);
		}
	}
}
