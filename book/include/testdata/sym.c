#include "x.h"

/* A block comment
 * on two lines. */
static int helper(int x)
{
	return x;
}

struct point {
	int x, y;
};

int proto(void);

// ANCHOR: r
void marked(void)
{
}
// ANCHOR_END: r
