// main.c: kmain, the C core's boot order after the MMU is on. One init call
// per line, each saying what it brings up.
#include "arch.h"
#include "boot.h"
#include "bootargs.h"
#include "console.h"
#include "cpu.h"
#include "gic.h"
#include "gostart.h"
#include "gpio.h"
#include "lib.h"
#include "memlayout.h"
#include "panic.h"
#include "palloc.h"
#include "platform.h"
#include "random.h"
#include "report.h"
#include "selftest.h"
#include "semihost.h"
#include "smp.h"
#include "smptest.h"
#include "spinlock.h"
#include "timer.h"
#include "thread.h"
#include "trap.h"
#include "uart.h"
#include "vm.h"

static char nonce[40];

// console_init puts the PL011 on its pins (Pi only) and programs it.
static void console_init(void) {
	if (plat.gpio)
		gpio_uart0_pins(plat.gpio);
	if (plat.uart)
		uart_init(plat.uart, plat.uart_clk);
}

static u64 ram_total(void);

// args_init reads the boot arguments that change the C core's behaviour.
static void args_init(void) {
	char buf[24];
	semihosting = bootarg(plat.bootargs, "semihosting", buf, sizeof buf) != NULL;
	report_nonce = bootarg(plat.bootargs, "nonce", nonce, sizeof nonce);
	// seed= makes the Go runtime's entropy, and so a whole run under
	// icount, repeatable. Without it the counter at boot is the seed.
	u64 seed = bootarg(plat.bootargs, "seed", buf, sizeof buf) ? parse_u64(buf) : counter_now();
	random_seed(seed);
	kprintf("random seed %lu\n", seed);
}

// memory_init hands RAM to the page allocator, minus what is in use: the
// image, the device tree, and what the tree reserves. A quarter of RAM is set
// aside for the Go kernel's own memory manager.
static void memory_init(void) {
	extern char _start[], _end[];
	u64 image_end = bootinfo.image_pa + (u64)(_end - _start);
	palloc_init(bootinfo.ram_base, bootinfo.ram_size, bootinfo.nram, image_end, bootinfo.dtb_pa,
		    plat.fdt.totalsize, ALIGN_DOWN(ram_total() / 4, 2 * MiB));
	// An initial RAM disk the loader placed (QEMU -initrd, the Pi firmware's
	// "initramfs" line) is named in /chosen; keep it for the Go kernel.
	int chosen = fdt_find_path(&plat.fdt, "/chosen");
	int len_s, len_e;
	const u8 *is = fdt_prop(&plat.fdt, chosen, "linux,initrd-start", &len_s);
	const u8 *ie = fdt_prop(&plat.fdt, chosen, "linux,initrd-end", &len_e);
	if (is && ie) {
		u64 start = len_s == 8 ? (u64)fdt_be32(is) << 32 | fdt_be32(is + 4) : fdt_be32(is);
		u64 end = len_e == 8 ? (u64)fdt_be32(ie) << 32 | fdt_be32(ie + 4) : fdt_be32(ie);
		if (end > start) {
			palloc_reserve(start, end - start);
			bootinfo.initrd_pa = start;
			bootinfo.initrd_size = end - start;
			kprintf("initial RAM disk at 0x%lx, %lu KiB\n", start, (end - start) / KiB);
		}
	}
	// /memreserve/ entries: pairs of big-endian u64 (address, size) at
	// off_mem_rsvmap, ending with a pair of zeros (DT spec 5.3).
	const u8 *rsv = plat.fdt.base + fdt_be32(plat.fdt.base + 16);
	for (; fdt_be32(rsv + 4) | fdt_be32(rsv + 12); rsv += 16) {
		u64 a = (u64)fdt_be32(rsv) << 32 | fdt_be32(rsv + 4);
		u64 n = (u64)fdt_be32(rsv + 8) << 32 | fdt_be32(rsv + 12);
		palloc_reserve(a, n);
	}
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

// start_secondaries brings up as many cores as cpus= asks, by default all
// the device tree lists (the test harness asks for one: README.md says why).
static void start_secondaries(void) {
	char buf[8];
	cpus[0].online = true;
	gic_enable(SGI_WAKE);
	int want = bootarg(plat.bootargs, "cpus", buf, sizeof buf) ? (int)parse_u64(buf) : MAX_CPUS;
	if (want <= 1) {
		smp_start(1); // starts none, parks the firmware's spinning cores
		return;
	}
	console_smp = true; // from here on, console output takes console_lock
	smptest_select(plat.bootargs); // test=locktorture or tlbshoot: every core runs it
	int online = smp_start(want);
	kprintf("%d CPUs online\n", online);
	smptest_run(online);           // only with a test: reports and stops
	// test=smp: report which cores came up, and stop.
	if (bootarg(plat.bootargs, "test", buf, sizeof buf) && strcmp(buf, "smp") == 0) {
		report("smp", "online=%d mask=0x%lx", online, cpus_online());
		report("done", "status=%s", online == want ? "pass" : "fail");
		halt(online == want ? 0 : 1);
	}
}

// start_go loads the Go kernel unless the boot arguments say go=0, which
// keeps the C core's own console (for debugging the C core alone).
static bool start_go(void) {
	char buf[8];
	if (bootarg(plat.bootargs, "go", buf, sizeof buf) && strcmp(buf, "0") == 0)
		return false;
	const char *err = go_start(plat.bootargs);
	if (err)
		panic("cannot start the Go kernel: %s", err);
	return true;
}

void kmain(void) {
	trap_init();                                  // exception vectors: faults are reported from here on
	cpu_init(0);                                  // this core's per-CPU block in TPIDR_EL1
	const char *err = platform_probe(PHYS_TO_VIRT(bootinfo.dtb_pa)); // board, UART, GIC, timer from the DT
	console_init();                               // GPIO 14/15 and the PL011
	if (err)
		panic("device tree: %s", err);
	if (bootinfo.nram < 0)
		panic("device tree: no /memory node with a reg entry");
	args_init();                                  // nonce, semihosting, seed
	banner();                                     // board, entry EL, RAM; the boot report
	memory_init();                                // the page allocator, over RAM from the DT
	vm_init();                                    // the kernel region's page tables in TTBR0
	thread_init();                                // this context becomes CPU 0's idle thread
	gic_init(plat.gicd, plat.gicc);               // interrupt controller, all lines off
	timer_init(plat.timer_irq);                   // 100 Hz tick from the virtual timer
	gic_enable(plat.timer_irq);                   // let the tick through
	irq_enable();                                 // and unmask IRQs at EL1
	selftest_run(plat.bootargs);                  // test=... or fault=... from the host
	irq_disable();                                // C runs with IRQs masked from here on
	start_secondaries();                          // cpus=N: the other cores, into their idle loops
	if (start_go())                               // load the Go kernel and make it runnable
		thread_idle_loop();                   // run it; idle in WFI when nothing is runnable
	irq_enable();                                 // no Go kernel (go=0): the tick wakes
	console_run();                                // the C console, forever
}
