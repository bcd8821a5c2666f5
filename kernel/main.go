// Command kernel is Burrow's Go kernel: an ordinary static linux/arm64 Go
// program, built by the standard tool chain and linked at 2^47, that the C
// core loads and runs at EL1. The Go runtime inside it believes it runs on
// Linux; the C core answers its system calls (ckernel/CONTRACT.md).
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

func main() {
	stats, err := core.ReadStats() // the C core answers kernel services
	if err != nil {
		panic(err)
	}
	banner(stats)                        // what the C core did before us
	if err := memoryInit(); err != nil { // kernel/mm over the RAM the C core hands over
		fmt.Println("memory manager:", err)
	}
	deviceInit() // drivers bound to what the device tree describes; the zero-configuration report
	aiInit()     // the AI engine with the shipped model; a demonstration decision
	if test, ok := ktest.Arg(os.Args, "test"); ok {
		runTest(test) // test=NAME from the host: run it, report, power off
	}
	if bootShell() {
		runShell() // /init and busybox's shell at EL0; back to the console when it exits
		fmt.Println("type sh for a new shell, poweroff to stop")
	}
	console() // the kernel console on the UART
}

// bootShell reports whether booting ends in the user shell: it does when
// there is an initramfs, unless the boot word console=kernel asks for the
// kernel console first (for researchers, and on a board without one).
func bootShell() bool {
	if v, _ := ktest.Arg(os.Args, "console"); v == "kernel" {
		return false
	}
	return hasUserland()
}

// virtualClock returns the time since boot as the generic timer counts it:
// guest time, which under QEMU's icount is also an instruction count.
func virtualClock(freq uint64) func() time.Duration {
	return func() time.Duration {
		c := core.Counter()
		return time.Duration(c/freq*1e9 + c%freq*1e9/freq)
	}
}

func banner(s core.Stats) {
	entry := virtualClock(s.CounterFreq)() - time.Duration(s.EntryCounter*1e9/s.CounterFreq)
	fmt.Printf("Burrow Go kernel: %s at EL1, %d ns (instructions under icount) from C entry to Go main\n",
		goVersion(), entry.Nanoseconds())
	ktest.Default.Report("go", "main_insns", entry.Nanoseconds())
}
