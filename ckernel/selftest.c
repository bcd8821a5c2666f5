// selftest.c: the C core's boot-time self-tests (the Go kernel has its own,
// in kernel/selftest, for every other test= name).
//
//   test=boot    wait for 5 timer ticks, report them, exit with success
//   fault=null   read address 0: a data abort with a translation fault
//   fault=undef  execute a permanently undefined instruction
//
// Faults are triggered from named functions two calls deep, so the panic
// report's backtrace has frames to symbolize.
#include "selftest.h"
#include "arch.h"
#include "bootargs.h"
#include "lib.h"
#include "panic.h"
#include "report.h"
#include "timer.h"

volatile u64 *selftest_null_ptr; // stays NULL; volatile so no compiler elides the load

__attribute__((noinline)) static u64 fault_read_null(void) { return *selftest_null_ptr; }
__attribute__((noinline)) static void fault_undefined(void) { __asm__ volatile("udf #0"); }

__attribute__((noinline)) static void trigger_fault(const char *kind) {
	if (strcmp(kind, "null") == 0)
		kprintf("read 0x%lx\n", fault_read_null());
	else if (strcmp(kind, "undef") == 0)
		fault_undefined();
	report("result", "name=fault status=fail detail=\"unknown fault kind %s\"", kind);
	halt(1);
}

// test_boot checks that the tick is alive: five ticks must arrive.
static void test_boot(void) {
	u64 start = ticks;
	while (ticks - start < 5)
		wfi();
	report("tick", "n=%lu", ticks);
	report("result", "name=boot status=pass");
	report("done", "status=pass");
	halt(0);
}

void selftest_run(const char *cmdline) {
	char buf[32];
	if (bootarg(cmdline, "fault", buf, sizeof buf))
		trigger_fault(buf);
	if (!bootarg(cmdline, "test", buf, sizeof buf))
		return;
	if (strcmp(buf, "boot") == 0)
		test_boot();
	// Any other test belongs to the Go kernel, which reports unknown names.
}
