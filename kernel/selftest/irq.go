package selftest

import (
	"time"
)

// WaitIRQ checks the path from an interrupt to a goroutine: one goroutine
// blocks in wait (core.WaitIRQ); while it waits, others must keep running
// (the blocking service hands its P to another thread), and when raise makes
// the interrupt pending the waiter wakes.
func WaitIRQ(wait func() error, raise func()) error {
	woke := make(chan error, 1)
	go func() { woke <- wait() }()
	// Others still run: count to a number a blocked scheduler never
	// reaches. The sleeps are long enough to leave the CPU to the waiter
	// (a timer that has already expired would run this goroutine again
	// first, and starve the waiter on one CPU).
	progress := make(chan int)
	go func() {
		n := 0
		for i := 0; i < 100; i++ {
			time.Sleep(100 * time.Microsecond)
			n++
		}
		progress <- n
	}()
	select {
	case n := <-progress:
		if n != 100 {
			return errorf("the other goroutine counted %d, want 100", n)
		}
	case <-time.After(10 * time.Second):
		return errorf("goroutines stalled while one waited for an interrupt")
	}
	// The waiter had a hundred chances to run by now: it must still wait.
	select {
	case err := <-woke:
		return errorf("WaitIRQ returned %v before the interrupt was raised", err)
	default:
	}
	raise()
	select {
	case err := <-woke:
		return err
	case <-time.After(10 * time.Second):
		return errorf("the waiter did not wake within 10 s of the interrupt")
	}
}
