// random.h: the Go runtime's only entropy (AT_RANDOM and getrandom), from a
// generator seeded by the seed= boot argument, so a run under icount can be
// replayed instruction for instruction.
#pragma once
#include "types.h"

void random_seed(u64 seed);
u64 random_next(void);
// random_fill writes len random bytes at buf and returns len.
long random_fill(u64 buf, u64 len);
