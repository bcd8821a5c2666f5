// smp.c: bringing up the Cortex-A72's other three cores.
//
// How a secondary starts depends on how it waits (the device tree's
// enable-method for each /cpus/cpu@N):
//   - spin-table (the Pi 4's firmware, QEMU raspi4b with a raw Image): the
//     core spins reading its cpu-release-addr (0xd8, 0xe0, 0xe8, 0xf0);
//     write secondary_entry's physical address there and SEV (Linux's
//     Documentation/arm64/booting.rst, "spin-table");
//   - psci (QEMU virt): the firmware (QEMU itself) starts it on a CPU_ON call
//     (PSCI 1.1, DEN0022, 5.1.4: function 0xC4000003, target MPIDR, entry
//     point, context id), made with HVC or SMC as /psci's method says;
//   - when QEMU raspi4b loads our ELF, every core entered the image at EL3
//     and waits in park_secondary for secondary_release.
// Each then runs secondary_entry (boot.S): EL drop, the primary's page
// tables, and secondary_main below.
#include "smp.h"
#include "arch.h"
#include "boot.h"
#include "cpu.h"
#include "fdt.h"
#include "gic.h"
#include "lib.h"
#include "memlayout.h"
#include "platform.h"
#include "smptest.h"
#include "spinlock.h"
#include "thread.h"
#include "timer.h"
#include "trap.h"
#include "vm.h"

u64 secondary_release; // park_secondary's mailbox (physical address to jump to)
u8 secondary_stacks[MAX_CPUS][SECONDARY_STACK_SIZE] __attribute__((aligned(16)));
static struct thread idle_threads[MAX_CPUS];
extern char secondary_entry[], park_wfi[], _start[];

u64 cpus_online(void) {
	u64 m = 0;
	for (int i = 0; i < MAX_CPUS; i++)
		if (cpus[i].online)
			m |= 1UL << i;
	return m;
}

// clean_to_poc makes a store visible to a core whose MMU and caches are off
// (DC CIVAC, ARM ARM C5.3.11, then DSB).
static void clean_to_poc(void *p) {
	__asm__ volatile("dc civac, %0" ::"r"(p) : "memory");
	dsb(sy);
}

static u64 psci_call(bool smc, u64 fn, u64 a1, u64 a2, u64 a3) {
	register u64 x0 __asm__("x0") = fn, x1 __asm__("x1") = a1, x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;
	if (smc)
		__asm__ volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

// release starts core n (its /cpus/cpu@ node is node) at entry_pa.
static const char *release(int n, int node, u64 entry_pa) {
	const struct fdt *f = &plat.fdt;
	if (bootinfo.entry_el == 3) { // every core entered the image: park_secondary
		secondary_release = entry_pa;
		clean_to_poc(&secondary_release);
		__asm__ volatile("sev");
		return NULL;
	}
	const char *method = fdt_prop(f, node, "enable-method", NULL);
	if (method && strcmp(method, "spin-table") == 0) {
		int len;
		const u8 *ra = fdt_prop(f, node, "cpu-release-addr", &len);
		if (!ra || len != 8)
			return "spin-table without an 8-byte cpu-release-addr";
		u64 *slot = PHYS_TO_VIRT((u64)fdt_be32(ra) << 32 | fdt_be32(ra + 4));
		*slot = entry_pa;
		clean_to_poc(slot);
		__asm__ volatile("sev");
		return NULL;
	}
	if (method && strcmp(method, "psci") == 0) {
		const char *conduit = fdt_prop(f, fdt_find_path(f, "/psci"), "method", NULL);
		if (!conduit)
			return "psci without a /psci method";
		u64 r = psci_call(strcmp(conduit, "smc") == 0, 0xc4000003, (u64)n, entry_pa, 0);
		return r == 0 ? NULL : "PSCI CPU_ON failed";
	}
	return "no enable-method this kernel knows";
}

// park_idle sends the spin-table cores Burrow will not use to park_wfi
// (boot.S), where they sleep in WFI with interrupts masked for good. Left
// in the firmware's loop they would keep executing it: on a Pi that is
// power spent polling, and under QEMU's icount a never-idle machine,
// whose idle time is never skipped (a `sleep 1` became a billion
// instructions to execute). PSCI cores are powered off already, and
// cores parked in the image (entered at EL3) share one mailbox, so only
// spin-table cores are parked here.
static void park_idle(int from) {
	const struct fdt *f = &plat.fdt;
	if (bootinfo.entry_el == 3)
		return;
	u64 park_pa = bootinfo.image_pa + (u64)(park_wfi - _start);
	for (int n = from; n < MAX_CPUS; n++) {
		char path[24];
		ksnprintf(path, sizeof path, "/cpus/cpu@%d", n);
		int node = fdt_find_path(f, path);
		const char *method = node < 0 ? NULL : fdt_prop(f, node, "enable-method", NULL);
		if (method && strcmp(method, "spin-table") == 0)
			release(n, node, park_pa);
	}
}

int smp_start(int max) {
	const struct fdt *f = &plat.fdt;
	u64 entry_pa = bootinfo.image_pa + (u64)(secondary_entry - _start);
	int cpus_node = fdt_find_path(f, "/cpus");
	park_idle(max < 1 ? 1 : max);
	for (int n = 1; n < max && n < MAX_CPUS; n++) {
		char path[24];
		ksnprintf(path, sizeof path, "/cpus/cpu@%d", n);
		int node = fdt_find_path(f, path);
		if (node < 0 || cpus_node < 0)
			break;
		const char *err = release(n, node, entry_pa);
		if (err) {
			kprintf("smp: cpu %d not started: %s\n", n, err);
			continue;
		}
		// Wait up to a second for it: a core takes microseconds, but a
		// vCPU on a loaded emulator host may wait far longer for a turn.
		u64 deadline = counter_now() + counter_freq();
		while (!__atomic_load_n(&cpus[n].online, __ATOMIC_ACQUIRE) && counter_now() < deadline)
			;
		if (!cpus[n].online)
			kprintf("smp: cpu %d did not come online\n", n);
	}
	int n = 0;
	for (u64 m = cpus_online(); m; m &= m - 1)
		n++;
	return n;
}

// secondary_main is a secondary core's kmain: its own per-CPU state,
// vectors, GIC CPU interface and tick, then the idle loop.
void secondary_main(int id) {
	cpu_init(id);                        // TPIDR_EL1 -> cpus[id]
	trap_init();                         // VBAR_EL1 is per core
	write_sysreg(ttbr0_el1, vm_ttbr0);   // the kernel region, instead of the boot identity map
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
	idle_threads[id].tid = -id;
	thread_init_cpu(&idle_threads[id]);  // this context becomes its idle thread
	gic_cpu_init();                      // this core's CPU interface; its banked PPIs and SGIs
	gic_enable(timer_irq());             // its own timer's PPI
	gic_enable(SGI_WAKE);
	timer_init(timer_irq());             // its periodic tick
	// Say so before saying so to CPU 0, which may report and stop the
	// machine the moment the last core is online (test=smp).
	kprintf("smp: cpu %d online\n", id);
	__atomic_store_n(&mycpu()->online, true, __ATOMIC_RELEASE);
	smptest_secondary(id);               // test=locktorture, tlbshoot: its part
	thread_idle_loop();
}

void smp_kick_cpu(int n) {
	if (n != mycpu()->id && cpus[n].online)
		gic_send_sgi(SGI_WAKE, 1u << n);
}
