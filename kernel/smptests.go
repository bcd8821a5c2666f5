package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// parallelTests is the SMP issue's parallel workload (test=parallel): one
// CPU-bound goroutine per online CPU for load= of virtual time (default
// 2 s). By the C core's own per-CPU accounting (core.CPUStats), every
// online CPU must have been busy at least 90% of that time. Wall-clock
// speedup is not measured: on an emulator with fewer host cores than
// vCPUs it means nothing.
func parallelTests(r *ktest.Reporter) bool {
	s, _ := core.ReadStats()
	clock := virtualClock(s.CounterFreq)
	load := 2 * time.Second
	if v, ok := ktest.Arg(os.Args, "load"); ok {
		if d, err := time.ParseDuration(v); err == nil {
			load = d
		}
	}
	before, err := core.CPUStats()
	if err != nil {
		r.Result("parallel-busy", err)
		return false
	}
	n := onlineCPUs(before)
	var wg sync.WaitGroup
	sums := make([]uint64, n)
	end := clock() + load
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[i] = spin(func() bool { return clock() < end })
		}()
	}
	wg.Wait()
	after, err := core.CPUStats()
	if err == nil {
		err = busyCheck(before, after, 90)
	}
	for i := range after {
		d := after[i].Sub(before[i])
		if d.Online == 0 {
			continue
		}
		r.Report("cpu", "n", i, "busy_pct", pct(d, d.Busy()), "idle_pct", pct(d, d.IdleTicks),
			"irq_pct", pct(d, d.IRQTicks), "system_pct", pct(d, d.SystemTicks), "switches", d.Switches)
	}
	r.Report("parallel", "cpus", n, "gomaxprocs", runtime.GOMAXPROCS(0), "virtual_ms", load.Milliseconds(), "work", fmt.Sprint(sums))
	r.Result("parallel-busy", err)
	return err == nil
}

// spin is CPU-bound work until more says stop: it hashes a counter and
// asks the clock only every 4096 steps, so nearly all of it is arithmetic.
func spin(more func() bool) uint64 {
	var h uint64 = 14695981039346656037
	for more() {
		for i := 0; i < 4096; i++ {
			h = (h ^ uint64(i)) * 1099511628211
		}
	}
	return h
}

func onlineCPUs(cpus []core.CPUStat) int {
	n := 0
	for _, c := range cpus {
		if c.Online != 0 {
			n++
		}
	}
	return n
}

func pct(c core.CPUStat, part uint64) string { return strconv.FormatFloat(c.Percent(part), 'f', 1, 64) }

// busyCheck returns an error naming every CPU online in both snapshots
// that was busy less than min percent of the interval between them.
func busyCheck(before, after []core.CPUStat, min float64) error {
	if len(before) != len(after) {
		return fmt.Errorf("%d CPUs before, %d after", len(before), len(after))
	}
	var low []string
	online := 0
	for i := range after {
		if before[i].Online == 0 || after[i].Online == 0 {
			continue
		}
		online++
		d := after[i].Sub(before[i])
		if p := d.Percent(d.Busy()); p < min {
			low = append(low, fmt.Sprintf("cpu%d %.1f%%", i, p))
		}
	}
	if online == 0 {
		return fmt.Errorf("no CPU online")
	}
	if len(low) > 0 {
		return fmt.Errorf("busy under %.0f%%: %v", min, low)
	}
	return nil
}
