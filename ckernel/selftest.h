// selftest.h: in-kernel tests the host selects with boot arguments and
// reads back through the protocol (report.h).
#pragma once

// selftest_run runs test=NAME or fault=KIND if the boot arguments name one.
// It returns only when there is nothing to run.
void selftest_run(const char *cmdline);
