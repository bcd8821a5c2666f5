// smptest.h: boot-time tests on every core (smptest.c): lock torture and
// TLB shootdown, selected with test= on the command line.
#pragma once
#include "trap.h"
#include "types.h"

// smptest_select reads test= (and its parameters) before the secondary
// cores start.
void smptest_select(const char *cmdline);
// smptest_secondary runs the selected test on a secondary core, which
// then waits for CPU 0 to stop the machine; without a test it returns.
void smptest_secondary(int id);
// smptest_run runs CPU 0's part with online cores, reports and halts;
// without a test it returns.
void smptest_run(int online);
// smptest_fault handles a data abort that a test's probe expected (it
// skips the load) and returns true; false for any other fault.
bool smptest_fault(struct trapframe *tf);
