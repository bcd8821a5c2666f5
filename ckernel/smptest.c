// smptest.c: the C core's tests on several cores, run at boot right after
// smp_start, before the Go kernel exists, with every core taking part:
//
//   test=locktorture  every lock of the C core taken from every core for
//                     ms= milliseconds (default 2000), with invariants
//   test=tlbshoot     one core unmaps a page that the others are reading
//                     in a loop: afterwards they must fault, and never see
//                     the page's next contents (rounds=, default 200);
//                     tlbi=local does the same with a TLB flush of this
//                     core only, the control run that must fail
//
// Results go out through the nonce protocol (qemu/PROTOCOL.md); CPU 0
// reports and stops the machine. The tests use the real locks and the real
// page-table code (vm.c), so they exercise what the kernel runs.
#include "smptest.h"
#include "arch.h"
#include "bootargs.h"
#include "cfuncs.h"
#include "cpu.h"
#include "futex.h"
#include "lib.h"
#include "memlayout.h"
#include "palloc.h"
#include "panic.h"
#include "report.h"
#include "services.h"
#include "spinlock.h"
#include "thread.h"
#include "timer.h"
#include "vm.h"
#include "vma.h"

static void (*selected)(int id); // the test every core runs, or NULL
static volatile int started, finished;
static u64 arg_ms, arg_rounds;
static int ncpus;

// ----- lock torture -----

// Each lock gets a shared counter that only its holder may touch, and a
// guard that names the holder: a second core inside the lock would find
// the guard set, or lose an increment.
struct victim {
	struct spinlock *lock;
	volatile int guard;  // -1, or the CPU inside
	volatile u64 count;  // incremented by the holder, non-atomically
	u64 ops[MAX_CPUS];   // how often each CPU took it
};

#define NLOCKS 8 // the locks other than the run queues
#define NVICTIMS (NLOCKS + MAX_CPUS)
static struct victim victims[NVICTIMS];
static volatile u64 torture_errors;
static volatile u64 pages_ok, objs_ok;

static void victims_init(void) {
	struct spinlock *locks[NVICTIMS] = {&bkl_lock, &futex_lock, &irq_lock, &vm_lock, &alloc_lock,
					    &threads_lock, &palloc_lock, &console_lock};
	for (int i = 0; i < MAX_CPUS; i++)
		locks[NLOCKS + i] = &cpus[i].rq.lock;
	for (int i = 0; i < NVICTIMS; i++) {
		victims[i].lock = locks[i];
		victims[i].guard = -1;
	}
}

// fail counts a broken invariant and says which; only the first few print.
static void fail(const char *what, const char *lock, int me) {
	if (__atomic_fetch_add(&torture_errors, 1, __ATOMIC_RELAXED) < 5)
		kprintf("locktorture: cpu %d: %s: %s\n", me, lock, what);
}

// critical is the body run inside a lock: check the guard is free, claim
// it, increment the counter slowly (a read, a pause, a write: a second
// core inside would lose an update), check nobody else claimed it.
static void critical(struct victim *v, int me) {
	if (v->lock->cpu != me)
		fail("the lock does not name its holder", v->lock->name, me);
	if (v->guard != -1)
		fail("two CPUs inside", v->lock->name, me);
	v->guard = me;
	u64 c = v->count;
	for (volatile int i = 0; i < 8; i++)
		;
	v->count = c + 1;
	if (v->guard != me)
		fail("guard changed under the lock", v->lock->name, me);
	v->guard = -1;
	v->ops[me]++;
}

// torture_real takes the locks the way the kernel does: a page from the
// allocator and an object from the C allocator, each filled with this
// CPU's pattern and checked before it goes back (a double hand-out would
// show another CPU's pattern), and a legal nesting, futex then run queue
// then palloc, as a futex wait that frees a zombie does.
static void torture_real(int me) {
	u64 pat = 0x5a5a000000000000UL | (u64)me << 32;
	u64 pa = palloc_alloc(1);
	if (!pa) {
		fail("no page", "palloc", me);
		return;
	}
	volatile u64 *p = PHYS_TO_VIRT(pa);
	for (int i = 0; i < 512; i += 64)
		p[i] = pat | (u64)i;
	for (int i = 0; i < 512; i += 64)
		if (p[i] != (pat | (u64)i))
			fail("a page handed to two CPUs", "palloc", me);
	palloc_free(pa, 1);
	__atomic_fetch_add(&pages_ok, 1, __ATOMIC_RELAXED);

	volatile u64 *o = go_alloc_kernel_memory(64);
	if (!o) {
		fail("no object", "alloc", me);
		return;
	}
	for (int i = 0; i < 8; i++)
		o[i] = pat | (u64)i;
	for (int i = 0; i < 8; i++)
		if (o[i] != (pat | (u64)i))
			fail("an object handed to two CPUs", "alloc", me);
	go_free_kernel_memory((void *)o);
	__atomic_fetch_add(&objs_ok, 1, __ATOMIC_RELAXED);

	spin_lock(&futex_lock);
	spin_lock(&mycpu()->rq.lock);
	spin_lock(&palloc_lock);
	spin_unlock(&palloc_lock);
	spin_unlock(&mycpu()->rq.lock);
	spin_unlock(&futex_lock);
}

static void locktorture(int me) {
	u64 end = counter_now() + arg_ms * counter_freq() / 1000;
	u64 i = (u64)me; // cores start at different victims
	while (counter_now() < end) {
		struct victim *v = &victims[i++ % NVICTIMS];
		if (v->lock == &bkl_lock) {
			bkl_enter();
			bkl_enter(); // it is recursive: the inner pair only counts
			critical(v, me);
			bkl_exit();
			bkl_exit();
		} else {
			spin_lock(v->lock);
			critical(v, me);
			spin_unlock(v->lock);
		}
		if (i % NVICTIMS == 0)
			torture_real(me);
	}
	// The console lock last: every CPU prints its line under it.
	kprintf("locktorture: cpu %d done\n", me);
}

static bool locktorture_report(void) {
	bool pass = torture_errors == 0;
	u64 total = 0;
	for (int i = 0; i < NVICTIMS; i++) {
		struct victim *v = &victims[i];
		u64 sum = 0;
		for (int c = 0; c < MAX_CPUS; c++)
			sum += v->ops[c];
		total += sum;
		if (v->count != sum) {
			kprintf("locktorture: %s: counter %lu after %lu increments\n", v->lock->name, v->count, sum);
			pass = false;
		}
		if (spin_is_locked(v->lock)) {
			kprintf("locktorture: %s is still held\n", v->lock->name);
			pass = false;
		}
		char name[16];
		if (i >= NLOCKS) // the run queues share a name: add their CPU
			ksnprintf(name, sizeof name, "%s%d", v->lock->name, i - NLOCKS);
		else
			ksnprintf(name, sizeof name, "%s", v->lock->name);
		report("lock", "name=%s ops=%lu count=%lu cpu0=%lu cpu1=%lu cpu2=%lu cpu3=%lu acquires=%lu contended=%lu",
		       name, sum, v->count, v->ops[0], v->ops[1], v->ops[2], v->ops[3], v->lock->acquires,
		       v->lock->contended);
	}
	report("locktorture", "cpus=%d ms=%lu ops=%lu pages=%lu objects=%lu errors=%lu", ncpus, arg_ms, total,
	       pages_ok, objs_ok, torture_errors);
	return pass;
}

// ----- TLB shootdown -----

// The page is mapped at SHOOT_VA, in the kernel region, far from where
// the Go kernel will live (it is not loaded yet anyway).
#define SHOOT_VA 0x0000f00000000000UL
#define POISON 0xdeaddeaddeaddeadUL
static volatile u64 round;     // the round being played
static volatile int phase;     // 0 nothing mapped, 1 mapped, 2 unmapped
static volatile int acks;      // readers that finished the current phase
static volatile u64 stale, faults, reads, late;
static volatile int aborted; // a phase took over a second: readers stuck on stale data

// wait_acks waits for n readers to acknowledge the current phase, for at
// most a second; false (and everyone stops) if they do not.
static bool wait_acks(int n) {
	u64 deadline = counter_now() + counter_freq();
	while (__atomic_load_n(&acks, __ATOMIC_ACQUIRE) < n)
		if (counter_now() > deadline) {
			aborted = 1;
			return false;
		}
	return true;
}

// read_probe reads SHOOT_VA; it returns false if the read faulted (the
// trap handler skips the load and records it, see smptest_fault).
static bool read_probe(u64 *v) {
	struct cpu *c = mycpu();
	c->probe_faults = 0;
	c->probe_va = SHOOT_VA;
	u64 x = 0;
	__asm__ volatile("mov %0, #0\n\tldr %0, [%1]" : "=&r"(x) : "r"(SHOOT_VA) : "memory");
	c->probe_va = 0;
	*v = x;
	return c->probe_faults == 0;
}

static void shoot_reader(int me) {
	(void)me;
	for (u64 r = 1; r <= arg_rounds; r++) {
		while ((round != r || __atomic_load_n(&phase, __ATOMIC_ACQUIRE) != 1) && !aborted)
			;
		if (aborted)
			return;
		u64 magic = 0x1111000000000000UL | r;
		// While mapped: every read sees this round's value. The
		// acquire orders each probe after the phase it saw.
		bool seen = false;
		while (__atomic_load_n(&phase, __ATOMIC_ACQUIRE) == 1 && !aborted) {
			u64 v;
			if (!read_probe(&v))
				continue; // cannot happen while mapped: counted below if late
			__atomic_fetch_add(&reads, 1, __ATOMIC_RELAXED);
			if (v != magic)
				__atomic_fetch_add(&stale, 1, __ATOMIC_RELAXED);
			else if (!seen) {
				seen = true;
				__atomic_fetch_add(&acks, 1, __ATOMIC_RELEASE);
			}
		}
		// Unmapped and poisoned: a read must fault now. A read that
		// still succeeds used a stale TLB entry, and sees POISON.
		u64 v;
		if (read_probe(&v)) {
			__atomic_fetch_add(&late, 1, __ATOMIC_RELAXED);
			if (v == POISON)
				__atomic_fetch_add(&stale, 1, __ATOMIC_RELAXED);
		} else {
			__atomic_fetch_add(&faults, 1, __ATOMIC_RELAXED);
		}
		__atomic_fetch_add(&acks, 1, __ATOMIC_RELEASE);
	}
}

// shoot_writer is CPU 0: map, let the readers see the page, unmap it (the
// TLBI broadcast is in vm.c), then reuse its memory, as the allocator
// would, by poisoning it through the direct map.
static void shoot_writer(void) {
	int readers = ncpus - 1;
	for (u64 r = 1; r <= arg_rounds; r++) {
		u64 pa = palloc_alloc(1);
		*(volatile u64 *)PHYS_TO_VIRT(pa) = 0x1111000000000000UL | r;
		spin_lock(&vm_lock);
		vm_map(SHOOT_VA, pa, VM_READ | VM_WRITE);
		spin_unlock(&vm_lock);
		acks = 0;
		round = r;
		__atomic_store_n(&phase, 1, __ATOMIC_RELEASE);
		if (!wait_acks(readers)) // every reader has read the page through its TLB
			return;
		for (volatile int i = 0; i < 2000; i++)
			; // and goes on reading it for a while
		spin_lock(&vm_lock);
		u64 got = vm_unmap(SHOOT_VA);
		spin_unlock(&vm_lock);
		// vm_unmap returned after TLBI VAAE1IS and DSB ISH: no core
		// may now translate SHOOT_VA from an old entry, so the page
		// can be reused.
		*(volatile u64 *)PHYS_TO_VIRT(got) = POISON;
		acks = 0;
		__atomic_store_n(&phase, 2, __ATOMIC_RELEASE);
		if (!wait_acks(readers))
			return;
		palloc_free(got, 1);
		phase = 0;
	}
}

static void tlbshoot(int me) {
	if (me != 0)
		shoot_reader(me);
}

static bool tlbshoot_report(void) {
	shoot_writer();
	u64 want = arg_rounds * (u64)(ncpus - 1);
	report("tlbshoot", "cpus=%d rounds=%lu reads=%lu faults=%lu stale=%lu late=%lu stuck=%d flush=%s", ncpus,
	       arg_rounds, reads, faults, stale, late, aborted, vm_tlbi_local ? "local" : "broadcast");
	return ncpus > 1 && !aborted && stale == 0 && late == 0 && faults == want;
}

// ----- plumbing -----

bool smptest_fault(struct trapframe *tf) {
	struct cpu *c = mycpu();
	if (!c->probe_va || tf->far != c->probe_va)
		return false;
	c->probe_faults++;
	tf->elr += 4; // skip the load; the probe's register keeps its 0
	return true;
}

void smptest_select(const char *cmdline) {
	char name[24], n[24];
	if (!bootarg(cmdline, "test", name, sizeof name))
		return;
	arg_ms = bootarg(cmdline, "ms", n, sizeof n) ? parse_u64(n) : 2000;
	arg_rounds = bootarg(cmdline, "rounds", n, sizeof n) ? parse_u64(n) : 200;
	vm_tlbi_local = bootarg(cmdline, "tlbi", n, sizeof n) && strcmp(n, "local") == 0;
	if (strcmp(name, "locktorture") == 0) {
		victims_init();
		selected = locktorture;
	} else if (strcmp(name, "tlbshoot") == 0) {
		selected = tlbshoot;
	}
}

void smptest_secondary(int id) {
	if (!selected)
		return;
	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		;
	selected(id);
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
	for (;;)
		wfi(); // CPU 0 reports and stops the machine
}

void smptest_run(int online) {
	if (!selected)
		return;
	ncpus = online;
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	bool pass;
	if (selected == locktorture) {
		locktorture(0);
		// Every core online now takes part, even one that came up
		// after smp_start stopped waiting for it.
		for (;;) {
			int n = 0;
			for (u64 m = cpus_online(); m; m &= m - 1)
				n++;
			if (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) >= n - 1) {
				ncpus = n;
				break;
			}
		}
		pass = locktorture_report();
	} else {
		pass = tlbshoot_report();
	}
	report("result", "name=%s status=%s", selected == locktorture ? "locktorture" : "tlbshoot",
	       pass ? "pass" : "fail");
	report("done", "status=%s", pass ? "pass" : "fail");
	halt(pass ? 0 : 1);
}
