package selftest

import (
	"testing"
	"time"
)

// The checks run on the host too: each must pass on Linux, so a failure in
// the kernel is the kernel's fault.
func wall() Clock {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }
}

func TestChecksPassOnTheHost(t *testing.T) {
	checks := []Check{
		{"goroutines", func() error { return Goroutines(1000, 10, 3) }},
		{"select", SelectTimers},
		{"maps", func() error { return Maps(10000) }},
		{"defer", DeferRecover},
		{"stack", Stack},
		{"churn", func() error {
			if gcs := Churn(64<<20, 1); gcs < 2 {
				return errorf("64 MiB of churn ran %d GCs", gcs)
			}
			return nil
		}},
	}
	for _, c := range checks {
		if err := c.Run(); err != nil {
			t.Errorf("%s: %v", c.Name, err)
		}
	}
}

func TestWithin(t *testing.T) {
	cases := []struct {
		got, want time.Duration
		ok        bool
	}{
		{100, 100, true}, {105, 100, true}, {95, 100, true}, {106, 100, false}, {94, 100, false},
	}
	for _, c := range cases {
		if got := within(c.got, c.want); got != c.ok {
			t.Errorf("within(%d, %d) = %v, want %v", c.got, c.want, got, c.ok)
		}
	}
}

func TestSleepCheckCatchesAWrongClock(t *testing.T) {
	// A clock that runs twice as fast must fail the 5% check.
	fast := wall()
	double := func() time.Duration { return 2 * fast() }
	if err := Sleep(double, 20*time.Millisecond); err == nil {
		t.Errorf("Sleep with a clock running at double speed passed")
	}
}

func TestWaitIRQCheck(t *testing.T) {
	line := make(chan struct{})
	good := WaitIRQ(func() error { <-line; return nil }, func() { close(line) })
	if good != nil {
		t.Errorf("WaitIRQ with a waiter that wakes on raise: %v", good)
	}
	early := WaitIRQ(func() error { return nil }, func() {})
	if early == nil {
		t.Errorf("WaitIRQ with a waiter that returns before the raise passed")
	}
}
