// services.c: Burrow's kernel services (services.h).
#include "services.h"
#include "boot.h"
#include "cfuncs.h"
#include "errno.h"
#include "gic.h"
#include "klog.h"
#include "lib.h"
#include "memlayout.h"
#include "palloc.h"
#include "panic.h"
#include "platform.h"
#include "semihost.h"
#include "syscall.h"
#include "thread.h"
#include "timer.h"
#include "uart.h"
#include "vm.h"
#include "vma.h"

u64 irq_count;
static u8 irq_waited[1024]; // a Go driver waits for this interrupt ID

void services_poweroff(int status) {
	kprintf("burrow: power off, status %d\n", status);
	halt((u32)status);
}

bool services_irq(u32 id) {
	if (id >= 1024 || !irq_waited[id])
		return false;
	gic_disable(id); // masked until the Go handler asks for the next one
	wakeup(&irq_waited[id], MAX_THREADS);
	return true;
}

static long wait_irq(u64 id) {
	if (id < 16 || id >= gic_lines() || id == timer_irq())
		return -EINVAL; // SGIs and the C core's own tick are not for drivers
	irq_waited[id] = 1;
	gic_enable((u32)id);
	return sleep_on(&irq_waited[id], 0); // -EINTR on a signal: Go retries
}

long services_dispatch(struct trapframe *tf) {
	u64 *a = tf->x;
	switch (a[8]) {
	case SVC_CONSOLE_WRITE:
		for (u64 i = 0; i < a[1]; i++)
			uart_putc(((const char *)a[0])[i]);
		return (long)a[1];
	case SVC_POWEROFF:
		services_poweroff((int)a[0]);
	case SVC_PHYS_HANDOVER: {
		struct palloc_stats s;
		palloc_stats(&s);
		u64 *out = (u64 *)a[0];
		out[0] = s.handover_base;
		out[1] = s.handover_size;
		return 0;
	}
	case SVC_WAIT_IRQ:
		return wait_irq(a[0]);
	case SVC_KLOG_READ:
		return (long)klog_read((char *)a[0], a[1], a[2]);
	case SVC_C_FUNC:
		return a[0] < cfunc_count ? (long)cfuncs[a[0]] : -EINVAL;
	case SVC_STATS: {
		if (a[1] < sizeof(struct core_stats))
			return -EINVAL;
		struct palloc_stats p;
		palloc_stats(&p);
		struct core_stats *s = (void *)a[0];
		s->committed_pages = vm_committed;
		s->free_pages = p.free_pages;
		s->total_pages = p.total_pages;
		s->threads = (u64)thread_count();
		s->switches = s->syscalls = 0;
		for (int i = 0; i < MAX_THREADS; i++) {
			s->switches += threads[i].switches;
			s->syscalls += threads[i].syscalls;
		}
		s->unimplemented = (u64)syscall_unimplemented_count;
		s->vmas = (u64)vma_count();
		s->irqs = irq_count;
		s->counter_freq = counter_freq();
		s->entry_counter = bootinfo.entry_count;
		return 0;
	}
	case SVC_DTB: {
		u64 *out = (u64 *)a[0];
		out[0] = (u64)PHYS_TO_VIRT(bootinfo.dtb_pa);
		out[1] = plat.fdt.totalsize;
		return 0;
	}
	case SVC_NOP:
		return 0;
	case SVC_INITRD: {
		if (!bootinfo.initrd_size)
			return -ENOENT;
		u64 *out = (u64 *)a[0];
		out[0] = (u64)PHYS_TO_VIRT(bootinfo.initrd_pa);
		out[1] = bootinfo.initrd_size;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}
