// thread.c: thread creation, the run queue, sleep and wakeup.
//
// Locking: the thread table, the run queue and every sleeper are shared by
// all CPUs and guarded by the big kernel lock (spinlock.h), which every path
// into C holds. sched is called with it held exactly once (bkl_depth 1) and
// the lock passes to the thread switched to.
//
// Invariants, with interrupts masked whenever C code runs:
//   - exactly one thread is T_RUNNING or current is the idle thread;
//   - a thread running Go code has SP_EL1 at the top of its own kstack,
//     where its next trap frame will go, so switching kernel stacks in
//     swtch also switches which frame trap_return resumes.
#include "thread.h"
#include "arch.h"
#include "boot.h"
#include "errno.h"
#include "lib.h"
#include "memlayout.h"
#include "palloc.h"
#include "panic.h"
#include "smp.h"
#include "spinlock.h"
#include "timer.h"
#include "trace.h"

struct thread threads[MAX_THREADS];
struct cpu cpus[MAX_CPUS];
static int next_tid = 1;
static struct thread *zombie; // exited thread whose stacks await freeing

#define SLICE_MS 10

void cpu_init(int id) {
	cpus[id].id = id;
	write_sysreg(tpidr_el1, &cpus[id]);
}

void thread_init(void) {
	mycpu()->idle = &threads[0];
	current = &threads[0];
	current->tid = 0;
	current->state = T_IDLE;
	current->run_start = bootinfo.entry_count; // CPU 0 has run since the C core's entry
	mycpu()->online_since = bootinfo.entry_count;
}

int thread_count(void) {
	int n = 0;
	for (int i = 1; i < MAX_THREADS; i++)
		n += threads[i].state != T_UNUSED;
	return n;
}

u64 thread_cpu_ticks(struct thread *t) {
	return t->cpu_ticks + (t == cpus[t->cpu].thread ? counter_now() - t->run_start : 0);
}

struct thread *thread_by_tid(int tid) {
	for (int i = 1; i < MAX_THREADS; i++)
		if (threads[i].state != T_UNUSED && threads[i].state != T_ZOMBIE && threads[i].tid == tid)
			return &threads[i];
	return NULL;
}

// thread_start is where a new thread first runs (its context's return
// address): it lets go of the big kernel lock, which sched handed over,
// and erets into its trap frame (vectors.S).
extern void thread_start(void);

struct thread *thread_create(const struct trapframe *tf) {
	struct thread *t = NULL;
	for (int i = 1; i < MAX_THREADS && !t; i++)
		if (threads[i].state == T_UNUSED)
			t = &threads[i];
	if (!t)
		return NULL;
	u64 k = palloc_alloc(KSTACK_SIZE / PAGE_SIZE), c = palloc_alloc(CSTACK_SIZE / PAGE_SIZE);
	if (!k || !c) {
		if (k)
			palloc_free(k, KSTACK_SIZE / PAGE_SIZE);
		if (c)
			palloc_free(c, CSTACK_SIZE / PAGE_SIZE);
		return NULL;
	}
	memset(t, 0, sizeof *t);
	t->tid = next_tid++;
	t->kstack = (u64)PHYS_TO_VIRT(k);
	t->cstack = (u64)PHYS_TO_VIRT(c);
	// The first switch to the thread "returns" into trap_return with SP
	// at its frame, which erets into the frame's state.
	t->tf = (struct trapframe *)(t->kstack + KSTACK_SIZE - sizeof(struct trapframe));
	*t->tf = *tf;
	t->ctx.sp = (u64)t->tf;
	t->ctx.lr = (u64)thread_start;
	t->state = T_RUNNABLE;
	smp_kick();
	return t;
}

// free_zombie releases the stacks of a thread that exited. It runs on
// another thread's stack, never on the zombie's own.
static void free_zombie(void) {
	if (!zombie || zombie == current)
		return;
	palloc_free(VIRT_TO_PHYS(zombie->kstack), KSTACK_SIZE / PAGE_SIZE);
	palloc_free(VIRT_TO_PHYS(zombie->cstack), CSTACK_SIZE / PAGE_SIZE);
	zombie->state = T_UNUSED;
	zombie = NULL;
}

// pick returns the next runnable thread, round-robin from where this
// CPU's last search ended. Every CPU takes from the one table, so an idle
// core steals whatever is runnable.
static struct thread *pick(void) {
	int start = mycpu()->rr;
	for (int i = 1; i <= MAX_THREADS; i++) {
		int n = (start + i) % MAX_THREADS;
		if (threads[n].state == T_RUNNABLE) {
			mycpu()->rr = n;
			return &threads[n];
		}
	}
	return NULL;
}

void sched(void) {
	struct thread *prev = current;
	struct thread *next = pick();
	if (!next)
		next = prev->state == T_RUNNING ? prev : mycpu()->idle;
	if (prev->state == T_RUNNING && next != prev)
		prev->state = T_RUNNABLE;
	if (next == prev) {
		if (next != mycpu()->idle)
			next->state = T_RUNNING;
		return;
	}
	prev->tpidr = read_sysreg(tpidr_el0);
	if (next != mycpu()->idle) {
		next->state = T_RUNNING;
		next->cpu = mycpu()->id;
		next->slice_end = counter_now() + counter_freq() * SLICE_MS / 1000;
		// The Go-to-C trampoline finds its C stack in TPIDRRO_EL0,
		// which EL1 may write and Go never uses (ARM ARM D23.2.171).
		write_sysreg(tpidrro_el0, next->cstack + CSTACK_SIZE);
		write_sysreg(tpidr_el0, next->tpidr);
	}
	next->switches++;
	mycpu()->switches++;
	trace(TR_SWITCH, (u64)prev->tid, (u64)next->tid);
	// Accounting: prev ran from its run_start until now.
	u64 now = counter_now();
	prev->cpu_ticks += now - prev->run_start;
	next->run_start = now;
	current = next;
	swtch(&prev->ctx, &next->ctx);
	free_zombie();
}

void yield(void) {
	if (current->state == T_RUNNING)
		current->state = T_RUNNABLE;
	sched();
}

void thread_exit(void) {
	current->state = T_ZOMBIE;
	free_zombie(); // at most one zombie waits at a time
	zombie = current;
	sched();
	panic("thread_exit: a zombie ran again");
}

long sleep_on(const void *chan, u64 deadline) {
	current->chan = chan;
	current->deadline = deadline;
	current->wake_result = 0;
	current->state = T_SLEEPING;
	timer_rearm();
	sched();
	current->chan = NULL;
	current->deadline = 0;
	return current->wake_result;
}

static void wake(struct thread *t, long result) {
	t->wake_result = result;
	t->state = T_RUNNABLE;
	smp_kick();
}

int wakeup(const void *chan, int n) {
	int woken = 0;
	for (int i = 1; i < MAX_THREADS && woken < n; i++)
		if (threads[i].state == T_SLEEPING && threads[i].chan == chan) {
			wake(&threads[i], 0);
			woken++;
		}
	return woken;
}

void thread_interrupt(struct thread *t) {
	if (t->state == T_SLEEPING)
		wake(t, -EINTR);
}

void thread_wake_expired(u64 now) {
	for (int i = 1; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_SLEEPING && t->deadline && now >= t->deadline)
			wake(t, -ETIMEDOUT);
	}
}

bool thread_slice_over(u64 now) {
	if (current == mycpu()->idle || now < current->slice_end)
		return false;
	for (int i = 1; i < MAX_THREADS; i++)
		if (threads[i].state == T_RUNNABLE)
			return true;
	return false;
}

u64 thread_next_deadline(void) {
	u64 next = 0;
	for (int i = 1; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_SLEEPING && t->deadline && (!next || t->deadline < next))
			next = t->deadline;
	}
	return next;
}

void thread_idle_loop(void) {
	for (;;) {
		bool work = false;
		for (int i = 1; i < MAX_THREADS && !work; i++)
			work = threads[i].state == T_RUNNABLE;
		if (work) {
			sched();
			continue;
		}
		// Let go of the lock while waiting. WFI wakes on a pending
		// interrupt even while IRQs are masked, so nothing is lost
		// between the check above and the wait; another core's wakeup
		// arrives as an SGI (smp_kick).
		bkl_exit();
		wfi();
		irq_enable();
		isb();
		irq_disable();
		bkl_enter();
	}
}
