package selftest

import (
	"runtime"
	"time"
)

// CPUTime is what the C core counts for the calling thread and the CPU, in
// counter ticks (core.Stats' ThreadTicks, IdleTicks and Now).
type CPUTime struct {
	Thread, Idle, Now uint64
}

// Accounting checks the C core's CPU-time counters: a thread that spins for
// d is charged for nearly all of it, and while everything sleeps for d the
// CPU is counted as idle for most of it.
func Accounting(read func() CPUTime, clock Clock, d time.Duration) error {
	runtime.LockOSThread() // the thread read() reports is this one
	defer runtime.UnlockOSThread()
	a := read()
	for end := clock() + d; clock() < end; {
	}
	b := read()
	if spun, ran := b.Now-a.Now, b.Thread-a.Thread; ran*10 < spun*9 {
		return errorf("spinning for %d ticks charged the thread %d", spun, ran)
	}
	time.Sleep(d)
	c := read()
	if slept, idle := c.Now-b.Now, c.Idle-b.Idle; idle*2 < slept {
		return errorf("sleeping for %d ticks counted %d idle", slept, idle)
	}
	return nil
}
