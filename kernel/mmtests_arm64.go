//go:build linux && arm64

package main

import (
	"fmt"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/burrow-os/burrow/kernel/mm"
)

// memoryTests brings up the Go memory manager on the real machine, as the
// kernel will at boot: the device tree the machine booted with, the RAM the
// C core hands over, and the C core's live kernel page tables. Then it runs
// the manager's in-kernel checks (the buddy allocator, page tables read by
// the real MMU, DMA buffers) and its benchmarks, in instructions per op.
func memoryTests(r *ktest.Reporter) bool {
	k, tree, err := kmm, kfdt, kmmErr
	r.Result("mm-init", err)
	if err != nil {
		return false
	}
	pass := true
	for _, c := range append(mm.KernelChecks(k, tree), mm.MMUChecks(k)...) {
		err := c.Run()
		r.Result(c.Name, err)
		pass = pass && err == nil
	}
	benches, err := mm.KernelBenchmarks(k)
	if err != nil {
		r.Result("mm-benchmarks", err)
		return false
	}
	s, _ := core.ReadStats()
	clock := virtualClock(s.CounterFreq)
	const n = 20000
	for _, b := range benches {
		start := clock()
		b.Run(n)
		per := float64(clock()-start) / n
		fmt.Printf("%-40s %10.1f insns/op\n", b.Name, per)
		r.Report("bench", "name", b.Name, "insns_per_op", fmt.Sprintf("%.1f", per))
	}
	return pass
}
