package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/burrow-os/burrow/kernel/selftest"
)

// runTest runs the in-kernel test the host named with test=, reports its
// results, and powers off with 0 if everything passed.
func runTest(name string) {
	r := ktest.Default
	pass := true
	switch name {
	case "runtime":
		pass = runtimeTests(r)
	case "gopanic":
		// A Go panic prints the runtime's traceback on the console and
		// exits with status 2, which stops the machine (exit_group).
		var m map[string]int
		m["boom"] = 1
	case "bench":
		benchmarks(r)
	case "drivers":
		pass = driverTests(r)
	case "mm":
		pass = memoryTests(r)
	case "user":
		pass = userTests(r)
	case "ai":
		pass = aiTests(r)
	case "proc":
		pass = procTests(r) // user programs at EL0 from the initramfs: kernel/proc
	case "parallel":
		pass = parallelTests(r) // one busy goroutine per CPU: smptests.go
	default:
		r.Report("result", "name", name, "status", "fail", "detail", "no such test")
		pass = false
	}
	status := map[bool]string{true: "pass", false: "fail"}[pass]
	r.Report("done", "status", status)
	if pass {
		core.PowerOff(0)
	}
	core.PowerOff(1)
}

// runtimeTests is the runtime stress test of the hybrid-core issue: every
// check, then all of them at once until the virtual time in load= (default
// 10 s) has passed, then the syscall shim must have seen no unknown call.
func runtimeTests(r *ktest.Reporter) bool {
	s, _ := core.ReadStats()
	clock := virtualClock(s.CounterFreq)
	pages := func() uint64 { st, _ := core.ReadStats(); return st.CommittedPages }
	checks := []selftest.Check{
		{Name: "goroutines", Run: func() error { return selftest.Goroutines(10000, 100, 2) }},
		{Name: "select-timers", Run: selftest.SelectTimers},
		{Name: "sleep", Run: func() error { return selftest.Sleep(clock, 100*time.Millisecond) }},
		{Name: "ticker", Run: func() error { return selftest.Ticker(clock, 20*time.Millisecond, 10) }},
		{Name: "gc-returns-memory", Run: func() error { return selftest.ReturnsMemory(pages, 1<<30, 20, 2048) }},
		{Name: "maps", Run: func() error { return selftest.Maps(100000) }},
		{Name: "defer-recover", Run: selftest.DeferRecover},
		{Name: "stack", Run: selftest.Stack},
		{Name: "cpu-accounting", Run: func() error {
			read := func() selftest.CPUTime {
				st, _ := core.ReadStats()
				return selftest.CPUTime{Thread: st.ThreadTicks, Idle: st.IdleTicks, Now: st.Now}
			}
			return selftest.Accounting(read, clock, 50*time.Millisecond)
		}},
		{Name: "wait-irq", Run: func() error {
			raise, err := core.CFunc(core.CFuncIRQRaise)
			if err != nil {
				return err
			}
			const spi = 100 // a shared interrupt no device uses here
			return selftest.WaitIRQ(func() error { return core.WaitIRQ(spi) },
				func() { core.CCall(raise, spi, 0) })
		}},
	}
	pass := true
	for _, c := range checks {
		err := c.Run()
		r.Result(c.Name, err)
		pass = pass && err == nil
	}
	load := 10 * time.Second
	if v, ok := ktest.Arg(os.Args, "load"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			load = d
		}
	}
	err := selftest.Load(clock, load, checks)
	r.Result("load", err)
	pass = pass && err == nil
	st, _ := core.ReadStats()
	err = nil
	if st.Unimplemented != 0 {
		err = fmt.Errorf("%d unimplemented syscalls were called", st.Unimplemented)
	}
	r.Result("no-unimplemented-syscalls", err)
	r.Report("stats", "threads", st.Threads, "switches", st.Switches, "syscalls", st.Syscalls,
		"committed_pages", st.CommittedPages, "vmas", st.VMAs, "virtual_ms", strconv.FormatInt(clock().Milliseconds(), 10))
	return pass && err == nil
}
