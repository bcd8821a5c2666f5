// random.c: SplitMix64 (Steele, Lea and Flood, "Fast splittable
// pseudorandom number generators", OOPSLA 2014). Not cryptographic: it is
// here for reproducible runs, and the seed is printed in the boot log.
#include "random.h"

static u64 state;

void random_seed(u64 seed) { state = seed; }

// SplitMix64's state only ever has a constant added, so an atomic add makes
// it safe on every CPU at once without a lock.
u64 random_next(void) {
	u64 z = __atomic_add_fetch(&state, 0x9e3779b97f4a7c15UL, __ATOMIC_RELAXED);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

long random_fill(u64 buf, u64 len) {
	u8 *p = (u8 *)buf;
	for (u64 i = 0; i < len; i += 8) {
		u64 r = random_next();
		for (u64 j = 0; j < 8 && i + j < len; j++)
			p[i + j] = (u8)(r >> (8 * j));
	}
	return (long)len;
}
