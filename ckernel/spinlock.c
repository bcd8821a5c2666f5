// spinlock.c: see spinlock.h.
#include "spinlock.h"
#include "arch.h"
#include "cpu.h"
#include "panic.h"

// took records that this CPU now holds l.
static void took(struct spinlock *l) {
	struct cpu *c = mycpu();
	l->cpu = c->id;
	l->acquires++;
	c->held[l->rank]++;
	c->held_mask |= 1u << l->rank;
}

bool spin_trylock(struct spinlock *l) {
	// Take the next ticket only if it is the one being served: a
	// compare-and-swap (LDAXR/STXR), acquire, so nothing the lock
	// guards is read before the lock is ours.
	u32 t = __atomic_load_n(&l->ticket, __ATOMIC_RELAXED);
	if ((u16)t != (u16)(t >> 16))
		return false;
	if (!__atomic_compare_exchange_n(&l->ticket, &t, t + (1u << 16), false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	took(l);
	return true;
}

// order_broken reports a broken lock order (taking l while holding a lock
// of its rank or a later one: the same lock twice is one case) and stops.
__attribute__((noinline, noreturn)) static void order_broken(struct spinlock *l) {
	struct cpu *c = mycpu();
	int r = LOCK_RANKS - 1;
	while (r > 0 && !c->held[r])
		r--;
	if (spin_is_locked(l) && l->cpu == c->id)
		panic("spinlock %s: CPU %d takes it twice", l->name, c->id);
	panic("lock order: CPU %d takes %s (rank %d) holding a lock of rank %d", c->id, l->name, l->rank, r);
}

void spin_lock(struct spinlock *l) {
	// The order check is one load and a shift: held_mask has a bit for
	// each rank this CPU holds, and none may be l's rank or later.
	if (mycpu()->held_mask >> l->rank)
		order_broken(l);
	// Draw a ticket (one atomic add of 1 to the next half), then wait,
	// asleep in WFE until the releaser's SEV, for owner to reach it.
	// Acquire: nothing the lock guards is read before it is ours.
	u16 mine = (u16)(__atomic_fetch_add(&l->ticket, 1u << 16, __ATOMIC_ACQUIRE) >> 16);
	if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != mine) {
		l->contended++; // racy on purpose: a figure, not a guard
		while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != mine)
			wfe();
	}
	took(l);
}

void spin_unlock(struct spinlock *l) {
	struct cpu *c = mycpu();
	if (!spin_is_locked(l) || l->cpu != c->id)
		panic("spinlock %s: CPU %d releases it, held by %d", l->name, c->id, l->cpu);
	if (--c->held[l->rank] == 0)
		c->held_mask &= ~(1u << l->rank);
	l->cpu = -1;
	// Serve the next ticket with a store-release: everything written
	// under the lock is visible to the next holder before it sees its
	// turn. DSB ISH makes the store visible before SEV wakes the cores
	// waiting in WFE.
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
	dsb(ish);
	__asm__ volatile("sev" ::: "memory");
}

bool spin_holding(struct spinlock *l) { return spin_is_locked(l) && l->cpu == mycpu()->id; }

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
