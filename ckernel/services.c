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
// irq_lock guards the three tables below. The top half (services_irq, in
// the interrupt handler) takes it, which is safe because C always runs
// with IRQs masked: no interrupt can arrive on a CPU that holds it. Order:
// after the BKL, before the run queues (wakeup).
struct spinlock irq_lock = SPINLOCK_INIT("irq", RANK_IRQ);
static u8 irq_waited[1024]; // a Go driver has claimed this interrupt ID
static u8 irq_fired[1024];  // it fired since its waiter last returned
static u64 irq_stamp[1024]; // CNTVCT_EL0 when the top half saw it last

void services_poweroff(int status) {
	kprintf("burrow: power off, status %d\n", status);
	halt((u32)status);
}

// services_irq is the top half of a line a Go driver claimed: mask it (the
// Go bottom half unmasks it when it has served the device), remember that
// it fired and when, and wake the waiter. The flag means a wakeup that
// arrives while the goroutine is still busy with the previous one is not
// lost: its next wait returns at once.
bool services_irq(u32 id) {
	if (id >= 1024)
		return false;
	spin_lock(&irq_lock);
	bool ours = irq_waited[id];
	if (ours) {
		irq_stamp[id] = counter_now();
		gic_disable(id);
		irq_fired[id] = 1;
		wakeup(&irq_waited[id], MAX_THREADS);
	}
	spin_unlock(&irq_lock);
	return ours;
}

// wait_irq serves SVC_WAIT_IRQ. flags:
//   0                    unmask the line here, then wait (the original call);
//   WAIT_IRQ_CLAIM       only claim the line and return: the Go driver then
//                        configures and unmasks it at the GIC itself;
//   WAIT_IRQ_GO_UNMASKS  wait without touching the GIC: the Go driver has
//                        unmasked the line after serving the last interrupt.
static long wait_irq(u64 id, u64 flags) {
	if (id < 16 || id >= gic_lines() || id == timer_irq())
		return -EINVAL; // SGIs and the C core's own tick are not for drivers
	spin_lock(&irq_lock);
	irq_waited[id] = 1;
	long r = 0;
	if (!(flags & WAIT_IRQ_CLAIM)) {
		if (!(flags & WAIT_IRQ_GO_UNMASKS))
			gic_enable((u32)id);
		while (!irq_fired[id] && r == 0)
			r = sleep_on(&irq_waited[id], 0, &irq_lock); // -EINTR on a signal: Go retries
		if (r == 0)
			irq_fired[id] = 0;
	}
	spin_unlock(&irq_lock);
	return r;
}

// idle_average is the idle time of the online CPUs, averaged: on one CPU
// its idle thread's time, on four the mean of theirs (core.Stats.IdleTicks).
static u64 idle_average(void) {
	u64 sum = 0, n = 0;
	for (int i = 0; i < MAX_CPUS; i++)
		if (cpus[i].online) {
			sum += thread_cpu_ticks(cpus[i].idle);
			n++;
		}
	return n ? sum / n : thread_cpu_ticks(&threads[0]);
}

// klog_read_locked copies the log ring into a Go buffer: under the console
// lock (which guards the ring) into a buffer on the stack, then out of it
// without the lock, since a first touch of Go memory faults.
static long klog_read_locked(char *buf, u64 len, u64 from) {
	char chunk[256];
	u64 n = 0;
	u64 oldest = klog_head > KLOG_SIZE ? klog_head - KLOG_SIZE : 0;
	if (from < oldest)
		from = oldest; // as klog_read does, once, so the chunks follow on
	while (n < len) {
		u64 want = len - n < sizeof chunk ? len - n : sizeof chunk;
		bool took = console_enter();
		u64 got = klog_read(chunk, want, from + n);
		console_exit(took);
		memcpy(buf + n, chunk, got);
		n += got;
		if (got < want)
			break;
	}
	return (long)n;
}

// cpu_stats serves SVC_CPU_STATS: a snapshot of up to n CPUs' time. Each
// CPU writes only its own counters, so a reader elsewhere sees each value
// whole but the set only roughly together; system time is what is left,
// and is clamped at 0 should the snapshot straddle an update.
static long cpu_stats(struct cpu_stat *out, u64 n) {
	if (!out || n == 0)
		return -EINVAL;
	if (n > MAX_CPUS)
		n = MAX_CPUS;
	for (u64 i = 0; i < n; i++) {
		struct cpu *c = &cpus[i];
		struct cpu_stat *s = &out[i];
		memset(s, 0, sizeof *s);
		if (!__atomic_load_n(&c->online, __ATOMIC_ACQUIRE))
			continue;
		s->online = 1;
		s->since = c->online_since;
		s->now = counter_now();
		s->irq_ticks = c->irq_ticks;
		u64 idle = thread_cpu_ticks(c->idle);
		s->idle_ticks = idle > c->idle_irq_ticks ? idle - c->idle_irq_ticks : 0;
		s->user_ticks = c->user_ticks;
		u64 total = s->now - s->since, rest = s->idle_ticks + s->irq_ticks + s->user_ticks;
		s->system_ticks = total > rest ? total - rest : 0;
		s->switches = c->switches;
		s->irqs = c->irqs;
	}
	return (long)n;
}

long services_dispatch(struct trapframe *tf) {
	u64 *a = tf->x;
	switch (a[8]) {
	case SVC_CONSOLE_WRITE:
		console_write((const char *)a[0], a[1]);
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
		return wait_irq(a[0], a[1]);
	case SVC_IRQ_STAMP: // a racy read of one u64 is whole: no lock needed
		return a[0] < 1024 ? (long)irq_stamp[a[0]] : -EINVAL;
	case SVC_KLOG_READ:
		return klog_read_locked((char *)a[0], a[1], a[2]);
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
		s->thread_ticks = thread_cpu_ticks(current);
		s->idle_ticks = idle_average();
		s->now = counter_now();
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
	case SVC_CPU_STATS:
		return cpu_stats((struct cpu_stat *)a[0], a[1]);
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
