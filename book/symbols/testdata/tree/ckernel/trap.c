#include "trap.h"

struct trapframe {
	u64 x[31];
};

typedef unsigned long u64;

typedef struct {
	int a;
} pair_t;

static void dump(struct trapframe *tf);

void
not_at_col0_style(void);

void trap_el1_sync(struct trapframe *tf)
{
	if (tf)
		dump(tf);
}

static void dump(struct trapframe *tf)
{
}

int many_args(int a,
	      int b)
{
	return a + b;
}

u64 *page_of(u64 va) { return 0; }
