#include "types.h"

// ANCHOR: outer
static int counter;

// ANCHOR: inner
void bump(void)
{
	counter++;
}
// ANCHOR_END: inner

int read_counter(void)
{
	/* ANCHOR: body */
	return counter;
	/* ANCHOR_END: body */
}
// ANCHOR_END: outer
