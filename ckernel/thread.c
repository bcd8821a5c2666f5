// thread.c: thread creation, per-CPU run queues, sleep and wakeup.
//
// Each CPU has its own run queue (struct runq in cpu.h), a FIFO of
// runnable threads under its own lock. A CPU runs the threads of its own
// queue round-robin; when its queue is empty it steals the first thread of
// another CPU's queue. Idle CPUs wait in WFI; whoever makes a thread
// runnable puts it on an idle CPU's queue if its own CPU is busy, and
// wakes that CPU with an SGI (make_runnable).
//
// Locking (the full table is in ckernel/README.md):
//   - threads_lock guards the thread table's free slots and next_tid;
//   - a CPU's rq.lock guards its queue and the state, chan, deadline and
//     wake_result of every thread whose cpu field names it. A sleeping
//     thread stays on the CPU it slept on, so a waker finds the lock by
//     reading t->cpu, and checks it again once it holds the lock, because
//     a thief may have moved the thread in between (rq_lock_thread);
//   - a thief holds its own queue's lock and takes the victim's with
//     spin_trylock only, so two CPUs stealing from each other never wait
//     for each other's lock: no lock order between run queues is needed.
//
// The context switch: sched runs with this CPU's rq.lock held, and the
// lock stays held across swtch. Whatever runs next on this CPU releases
// it: the thread returning from its own sched, or a new thread in
// thread_first_run. So no other CPU can pick the outgoing thread (its
// queue is locked) until its registers are saved, which is xv6's rule of
// holding p->lock across swtch, with one lock per CPU. The BKL, being a
// sleeping thread's and not the CPU's, is let go of before the switch and
// taken back after (bkl_release_all).
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
struct spinlock threads_lock = SPINLOCK_INIT("threads", RANK_THREADS);
static int next_tid = 1;

#define SLICE_MS 10

void cpu_init(int id) {
	cpus[id].id = id;
	cpus[id].rq.lock = (struct spinlock)SPINLOCK_INIT("runq", RANK_RUNQ);
	write_sysreg(tpidr_el1, &cpus[id]);
}

void thread_init_cpu(struct thread *idle) {
	idle->state = T_IDLE;
	idle->cpu = mycpu()->id;
	idle->run_start = counter_now(); // idle from here, until sched runs a thread
	mycpu()->idle = idle;
	mycpu()->thread = idle;
	mycpu()->online_since = idle->run_start;
}

void thread_init(void) {
	threads[0].tid = 0;
	thread_init_cpu(&threads[0]);
	// CPU 0 has run since the C core's first instruction.
	threads[0].run_start = mycpu()->online_since = bootinfo.entry_count;
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

int thread_runnable(void) {
	int n = 0;
	for (int i = 0; i < MAX_CPUS; i++)
		n += cpus[i].rq.n;
	return n;
}

// ----- run queues -----

static void enqueue(struct cpu *c, struct thread *t) {
	t->rq_next = NULL;
	if (c->rq.tail)
		c->rq.tail->rq_next = t;
	else
		c->rq.head = t;
	c->rq.tail = t;
	c->rq.n++;
}

static struct thread *dequeue(struct cpu *c) {
	struct thread *t = c->rq.head;
	if (t) {
		c->rq.head = t->rq_next;
		if (!c->rq.head)
			c->rq.tail = NULL;
		c->rq.n--;
	}
	return t;
}

// rq_lock_thread locks the run queue that guards t and returns its CPU.
static struct cpu *rq_lock_thread(struct thread *t) {
	for (;;) {
		struct cpu *c = &cpus[__atomic_load_n(&t->cpu, __ATOMIC_RELAXED)];
		spin_lock(&c->rq.lock);
		if (t->cpu == c->id)
			return c;
		spin_unlock(&c->rq.lock); // stolen meanwhile: follow it
	}
}

// steal takes the first queued thread of another CPU whose queue lock is
// free right now, and moves it to this CPU (me's lock is held).
static struct thread *steal(struct cpu *me) {
	for (int i = 1; i < MAX_CPUS; i++) {
		struct cpu *v = &cpus[(me->id + i) % MAX_CPUS];
		if (!v->online || v->rq.n == 0 || !spin_trylock(&v->rq.lock))
			continue;
		struct thread *t = dequeue(v);
		if (t)
			t->cpu = me->id; // both queues' locks held: the move is atomic
		spin_unlock(&v->rq.lock);
		if (t)
			return t;
	}
	return NULL;
}

// make_runnable queues t, asleep or new, on c, whose lock guards it (and
// is held), and makes sure a CPU comes for it: c itself if it idles, else
// one idle CPU, woken with an SGI, which steals t. Whichever is first runs
// it. Often that is c: a Go M that wakes another and then sleeps (the
// runtime's hand-off of a P) lets c switch to the woken M at once, while
// waking another core costs an interrupt, and on an emulator with fewer
// host cores than vCPUs, waiting for the host to run that vCPU.
static void make_runnable(struct cpu *c, struct thread *t, long result) {
	t->wake_result = result;
	t->state = T_RUNNABLE;
	enqueue(c, t);
	if (c->thread == c->idle) {
		smp_kick_cpu(c->id);
		return;
	}
	for (int i = 1; i < MAX_CPUS; i++) {
		struct cpu *d = &cpus[(c->id + i) % MAX_CPUS];
		if (d->online && d->thread == d->idle) {
			smp_kick_cpu(d->id);
			return;
		}
	}
}

// ----- switching -----

// free_zombie releases the stacks of a thread that exited on this CPU. It
// runs on another thread's stack, never on the zombie's own.
static void free_zombie(void) {
	struct thread *z = mycpu()->zombie;
	if (!z || z == current)
		return;
	mycpu()->zombie = NULL;
	palloc_free(VIRT_TO_PHYS(z->kstack), KSTACK_SIZE / PAGE_SIZE);
	palloc_free(VIRT_TO_PHYS(z->cstack), CSTACK_SIZE / PAGE_SIZE);
	spin_lock(&threads_lock);
	z->state = T_UNUSED;
	spin_unlock(&threads_lock);
}

// sched switches this CPU to its next thread: the head of its queue, else
// one stolen from another CPU, else the current thread if it may go on
// running, else the idle thread. The caller holds this CPU's rq.lock and
// has set current's state (RUNNING to be preempted: it is queued here);
// sched returns, with the lock held, when the thread runs again.
static void sched(void) {
	struct cpu *c = mycpu();
	struct thread *prev = c->thread;
	if (prev->state == T_RUNNING) {
		prev->state = T_RUNNABLE;
		enqueue(c, prev);
	}
	struct thread *next = dequeue(c);
	if (!next)
		next = steal(c);
	if (!next)
		next = c->idle;
	if (next == prev) {
		if (next != c->idle)
			next->state = T_RUNNING;
		return;
	}
	prev->tpidr = read_sysreg(tpidr_el0);
	if (next != c->idle) {
		next->state = T_RUNNING;
		next->slice_end = counter_now() + counter_freq() * SLICE_MS / 1000;
		// The Go-to-C trampoline finds its C stack in TPIDRRO_EL0,
		// which EL1 may write and Go never uses (ARM ARM D23.2.171).
		write_sysreg(tpidrro_el0, next->cstack + CSTACK_SIZE);
		write_sysreg(tpidr_el0, next->tpidr);
	}
	next->switches++;
	c->switches++;
	trace(TR_SWITCH, (u64)prev->tid, (u64)next->tid);
	// Accounting: prev ran from its run_start until now.
	u64 now = counter_now();
	prev->cpu_ticks += now - prev->run_start;
	next->run_start = now;
	c->thread = next;
	swtch(&prev->ctx, &next->ctx);
	// prev runs again, on whichever CPU picked it: mycpu() may have changed.
	free_zombie();
}

// switch_away is every caller's way into sched: it lets go of the BKL if
// the thread holds it, switches, and takes it back once the thread runs
// again. The caller holds this CPU's rq.lock, which is released here.
static void switch_away(void) {
	int depth = bkl_depth();
	if (depth)
		current->bkl_depth = bkl_release_all();
	sched();
	spin_unlock(&mycpu()->rq.lock);
	if (depth)
		bkl_reacquire(current->bkl_depth);
}

// thread_first_run is where a new thread starts (thread_start in
// vectors.S calls it before erets into its frame): it releases the run
// queue lock that the sched which picked it holds.
void thread_first_run(void) {
	free_zombie();
	spin_unlock(&mycpu()->rq.lock);
}

// thread_start is a new thread's first code (vectors.S).
extern void thread_start(void);

struct thread *thread_create(const struct trapframe *tf) {
	u64 k = palloc_alloc(KSTACK_SIZE / PAGE_SIZE), c = palloc_alloc(CSTACK_SIZE / PAGE_SIZE);
	struct thread *t = NULL;
	spin_lock(&threads_lock);
	for (int i = 1; i < MAX_THREADS && !t && k && c; i++)
		if (threads[i].state == T_UNUSED)
			t = &threads[i];
	if (t) {
		memset(t, 0, sizeof *t);
		t->state = T_SLEEPING; // reserved; not yet on a queue
		t->tid = next_tid++;
	}
	spin_unlock(&threads_lock);
	if (!t) {
		if (k)
			palloc_free(k, KSTACK_SIZE / PAGE_SIZE);
		if (c)
			palloc_free(c, CSTACK_SIZE / PAGE_SIZE);
		return NULL;
	}
	t->kstack = (u64)PHYS_TO_VIRT(k);
	t->cstack = (u64)PHYS_TO_VIRT(c);
	// The first switch to the thread "returns" into thread_start with SP
	// at its frame, which erets into the frame's state.
	t->tf = (struct trapframe *)(t->kstack + KSTACK_SIZE - sizeof(struct trapframe));
	*t->tf = *tf;
	t->ctx.sp = (u64)t->tf;
	t->ctx.lr = (u64)thread_start;
	return t;
}

void thread_run(struct thread *t) {
	// Queue it here, or on an idle CPU, which then runs it at once: so
	// everything about t must be set before this call.
	struct cpu *me = mycpu();
	spin_lock(&me->rq.lock);
	t->cpu = me->id;
	make_runnable(me, t, 0);
	spin_unlock(&me->rq.lock);
}

void yield(void) {
	spin_lock(&mycpu()->rq.lock);
	switch_away(); // current is RUNNING: sched queues it behind the others
}

void thread_exit(void) {
	spin_lock(&mycpu()->rq.lock);
	free_zombie(); // at most one zombie per CPU waits at a time
	current->state = T_ZOMBIE;
	mycpu()->zombie = current;
	bkl_release_all();
	sched();
	panic("thread_exit: a zombie ran again");
}

long sleep_on(const void *chan, u64 deadline, struct spinlock *lk) {
	struct thread *t = current;
	spin_lock(&mycpu()->rq.lock);
	t->chan = chan;
	t->deadline = deadline;
	t->wake_result = 0;
	t->state = T_SLEEPING;
	if (lk)
		spin_unlock(lk); // a waker may take it now: it will find us asleep
	if (deadline)
		timer_rearm(); // this CPU's timer wakes its own sleepers
	switch_away();
	t->chan = NULL;
	t->deadline = 0;
	if (lk)
		spin_lock(lk);
	return t->wake_result;
}

// wake_one ends t's sleep on chan (any chan if chan is NULL) with result.
static bool wake_one(struct thread *t, const void *chan, long result) {
	struct cpu *c = rq_lock_thread(t);
	bool woke = t->state == T_SLEEPING && (!chan || t->chan == chan);
	if (woke)
		make_runnable(c, t, result);
	spin_unlock(&c->rq.lock);
	return woke;
}

int wakeup(const void *chan, int n) {
	int woken = 0;
	for (int i = 1; i < MAX_THREADS && woken < n; i++) {
		struct thread *t = &threads[i];
		// A lock-free look first: most threads are not asleep on chan,
		// and a thread that is cannot stop being so unless woken.
		if (t->state == T_SLEEPING && t->chan == chan && wake_one(t, chan, 0))
			woken++;
	}
	return woken;
}

void thread_interrupt(struct thread *t) {
	if (t->state == T_SLEEPING && t->chan)
		wake_one(t, NULL, -EINTR);
}

void thread_wake_expired(u64 now) {
	int me = mycpu()->id;
	for (int i = 1; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		if (t->cpu != me || t->state != T_SLEEPING || !t->deadline || now < t->deadline)
			continue;
		struct cpu *c = rq_lock_thread(t);
		if (t->state == T_SLEEPING && t->deadline && now >= t->deadline)
			make_runnable(c, t, -ETIMEDOUT);
		spin_unlock(&c->rq.lock);
	}
}

bool thread_slice_over(u64 now) {
	return current != mycpu()->idle && now >= current->slice_end && mycpu()->rq.n > 0;
}

u64 thread_next_deadline(void) {
	u64 next = 0;
	int me = mycpu()->id;
	for (int i = 1; i < MAX_THREADS; i++) {
		struct thread *t = &threads[i];
		u64 d = t->deadline;
		if (t->cpu == me && t->state == T_SLEEPING && d && (!next || d < next))
			next = d;
	}
	return next;
}

void thread_idle_loop(void) {
	for (;;) {
		if (thread_runnable()) {
			yield(); // runs this CPU's next thread, or steals one
			continue;
		}
		// Nothing to run: wait for an interrupt. WFI wakes on a
		// pending interrupt even while IRQs are masked, so a wakeup's
		// SGI sent between the check above and the WFI is not lost.
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
}
