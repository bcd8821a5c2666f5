package main

import (
	"fmt"
	"runtime"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// benchmarks measures the crossings of the hybrid design in instructions
// per operation (the counter under QEMU's -icount shift=0: one nanosecond
// per instruction) and prints a table with each figure's ratio to the C
// baseline, a C-to-C function call. make bench boots test=bench.
func benchmarks(r *ktest.Reporter) {
	s, _ := core.ReadStats()
	clock := virtualClock(s.CounterFreq)
	measure := func(n int, f func(n int)) float64 {
		start := clock()
		f(n)
		return float64(clock()-start) / float64(n)
	}
	alloc, _ := core.CFunc(core.CFuncAlloc)
	free, _ := core.CFunc(core.CFuncFree)
	nop, _ := core.CFunc(core.CFuncNop)
	loop, _ := core.CFunc(core.CFuncLoop)

	const n = 200000
	rows := []struct {
		name string
		per  float64
	}{
		{"c-to-c call (baseline)", measure(n, func(n int) { core.CCall(loop, uintptr(n), 0) })},
		{"plain go call", measure(n, func(n int) {
			for i := 0; i < n; i++ {
				goSink += goNop(uintptr(i))
			}
		})},
		{"go-to-c trampoline call", measure(n, func(n int) {
			for i := 0; i < n; i++ {
				goSink += core.CCall(nop, uintptr(i), 0)
			}
		})},
		{"go new 64 B", measure(n, func(n int) {
			for i := 0; i < n; i++ {
				allocSink = new([64]byte)
			}
		})},
		{"go_alloc_kernel_memory 64 B (+free)", measure(n, func(n int) {
			for i := 0; i < n; i++ {
				p := core.CCall(alloc, 64, 0)
				core.CCall(free, p, 0)
			}
		})},
		{"kernel-service svc round trip", measure(n, func(n int) {
			for i := 0; i < n; i++ {
				core.Nop()
			}
		})},
		{"thread switch (futex ping-pong)", measure(2000, pingPong) / 2},
	}
	base := rows[0].per
	fmt.Printf("%-38s %14s %10s\n", "benchmark", "insns/op", "vs C call")
	for _, row := range rows {
		fmt.Printf("%-38s %14.1f %9.1fx\n", row.name, row.per, row.per/base)
		r.Report("bench", "name", row.name, "insns_per_op", fmt.Sprintf("%.1f", row.per),
			"ratio", fmt.Sprintf("%.2f", row.per/base))
	}
}

var (
	goSink    uintptr
	allocSink *[64]byte
)

//go:noinline
func goNop(x uintptr) uintptr { return x }

// pingPong bounces a message between two goroutines locked to their own
// threads n times each way: every hop wakes the other M through a futex.
func pingPong(n int) {
	ping, pong := make(chan int), make(chan int)
	done := make(chan bool)
	go func() {
		runtime.LockOSThread()
		for i := 0; i < n; i++ {
			pong <- <-ping
		}
		done <- true
	}()
	runtime.LockOSThread()
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
	<-done
	runtime.UnlockOSThread()
}
