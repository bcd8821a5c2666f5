// spinlock.c: see spinlock.h.
#include "spinlock.h"
#include "arch.h"
#include "cpu.h"
#include "panic.h"

bool spin_trylock(struct spinlock *l) {
	// Exchange is LDAXR/STXR: acquire, so nothing the lock guards is read
	// before the lock is ours.
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0)
		return false;
	l->cpu = mycpu()->id;
	l->acquires++;
	mycpu()->held[l->rank]++;
	return true;
}

// check_order panics if this CPU holds a lock that must come after l.
static void check_order(struct spinlock *l) {
	struct cpu *c = mycpu();
	if (l->cpu == c->id && l->locked)
		panic("spinlock %s: CPU %d takes it twice", l->name, c->id);
	for (int r = l->rank; r < LOCK_RANKS; r++)
		if (c->held[r])
			panic("lock order: CPU %d takes %s (rank %d) holding a lock of rank %d", c->id, l->name, l->rank, r);
}

void spin_lock(struct spinlock *l) {
	check_order(l);
	bool waited = false;
	while (!spin_trylock(l)) {
		waited = true;
		// Test before the next test-and-set: plain loads share the
		// cache line instead of bouncing it between waiters. WFE
		// sleeps until the holder's SEV (or any other event).
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			wfe();
	}
	if (waited)
		l->contended++;
}

void spin_unlock(struct spinlock *l) {
	if (!l->locked || l->cpu != mycpu()->id)
		panic("spinlock %s: CPU %d releases it, held by %d", l->name, mycpu()->id, l->cpu);
	mycpu()->held[l->rank]--;
	l->cpu = -1;
	// Store-release: everything written under the lock is visible to
	// the next holder before it sees the lock free. DSB ISH makes the
	// store visible before SEV wakes the cores waiting in WFE.
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	dsb(ish);
	__asm__ volatile("sev" ::: "memory");
}

bool spin_holding(struct spinlock *l) { return l->locked && l->cpu == mycpu()->id; }

// The big kernel lock: the spinlock plus how deeply this CPU holds it.
struct spinlock bkl_lock = SPINLOCK_INIT("bkl", RANK_BKL);
static int bkl_nest[MAX_CPUS];

int bkl_depth(void) { return bkl_nest[mycpu()->id]; }

void bkl_enter(void) {
	int me = mycpu()->id;
	if (bkl_nest[me]++ == 0)
		spin_lock(&bkl_lock);
}

void bkl_exit(void) {
	int me = mycpu()->id;
	if (bkl_nest[me] <= 0)
		panic("bkl_exit without bkl_enter on CPU %d", me);
	if (--bkl_nest[me] == 0)
		spin_unlock(&bkl_lock);
}

int bkl_release_all(void) {
	int me = mycpu()->id, depth = bkl_nest[me];
	if (depth) {
		bkl_nest[me] = 0;
		spin_unlock(&bkl_lock);
	}
	return depth;
}

void bkl_reacquire(int depth) {
	if (depth) {
		spin_lock(&bkl_lock);
		bkl_nest[mycpu()->id] = depth;
	}
}
