// spinlock.c: see spinlock.h.
#include "spinlock.h"
#include "arch.h"
#include "cpu.h"

void ticket_lock(struct ticketlock *l) {
	u32 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	// Load-acquire: nothing the lock guards is read before we own it.
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		wfe();
}

void ticket_unlock(struct ticketlock *l) {
	// Store-release: everything written under the lock is visible to the
	// next owner before it sees its ticket served; DSB then SEV wakes the
	// cores waiting in WFE.
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	dsb(ish);
	__asm__ volatile("sev" ::: "memory");
}

// The big kernel lock: the ticket lock, plus which CPU holds it and how
// deeply, so an exception inside C on that CPU can enter again.
static struct ticketlock bkl;
static volatile int bkl_holder = -1;
static int bkl_nest[MAX_CPUS];

int bkl_depth(void) { return bkl_nest[mycpu()->id]; }

void bkl_enter(void) {
	int me = mycpu()->id;
	if (bkl_holder == me) {
		bkl_nest[me]++;
		return;
	}
	ticket_lock(&bkl);
	bkl_holder = me;
	bkl_nest[me] = 1;
}

void bkl_exit(void) {
	int me = mycpu()->id;
	if (--bkl_nest[me] > 0)
		return;
	bkl_holder = -1;
	ticket_unlock(&bkl);
}
