#include "trap.h"

// ANCHOR: dispatch
void trap_handler(struct trapframe *tf)
{
	// ANCHOR: class
	unsigned ec = tf->esr >> 26;
	// ANCHOR_END: class
	if (ec == 0x15)
		svc(tf);
}
// ANCHOR_END: dispatch

static const char *name(unsigned ec)
{
	return ec == 0x15 ? "svc" : "other";
}
