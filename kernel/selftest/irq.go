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
	// Others still run: count to a number a blocked scheduler never reaches.
	progress := make(chan int)
	go func() {
		n := 0
		for i := 0; i < 1000; i++ {
			time.Sleep(time.Microsecond)
			n++
		}
		progress <- n
	}()
	select {
	case n := <-progress:
		if n != 1000 {
			return errorf("the other goroutine counted %d, want 1000", n)
		}
	case err := <-woke:
		return errorf("WaitIRQ returned %v before the interrupt was raised", err)
	case <-time.After(10 * time.Second):
		return errorf("goroutines stalled while one waited for an interrupt")
	}
	raise()
	select {
	case err := <-woke:
		return err
	case <-time.After(10 * time.Second):
		return errorf("the waiter did not wake within 10 s of the interrupt")
	}
}
