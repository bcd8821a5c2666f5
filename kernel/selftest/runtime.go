package selftest

import (
	"errors"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// Goroutines: n goroutines in a ring pass rounds*tokens messages along it.
func Goroutines(n, tokens, rounds int) error {
	chans := make([]chan int, n)
	for i := range chans {
		chans[i] = make(chan int, 1)
	}
	done := make(chan int)
	for i := 0; i < n; i++ {
		go func(in, out chan int) {
			for v := range in {
				if v == 0 {
					done <- 0
					continue
				}
				out <- v - 1
			}
		}(chans[i], chans[(i+1)%n])
	}
	for t := 0; t < tokens; t++ {
		chans[t*n/tokens] <- rounds * n
	}
	for t := 0; t < tokens; t++ {
		select {
		case <-done:
		case <-time.After(time.Minute):
			return errorf("token %d of %d still travelling after a minute", t+1, tokens)
		}
	}
	for _, c := range chans {
		close(c)
	}
	return nil
}

// SelectTimers: timers of different lengths, raced in select against a
// channel that never fires, each fire, and none before its time. (Their
// order is not checked: with several Ps on one CPU, the goroutine a timer
// wakes may wait for its thread's turn, as it may on a loaded Linux.)
func SelectTimers() error {
	never := make(chan struct{})
	type fired struct {
		want, got time.Duration
	}
	results := make(chan fired, 5)
	start := time.Now()
	for _, ms := range []int{50, 10, 40, 20, 30} {
		go func(d time.Duration) {
			select {
			case <-never:
			case <-time.After(d):
				results <- fired{d, time.Since(start)}
			}
		}(time.Duration(ms) * time.Millisecond)
	}
	for i := 0; i < 5; i++ {
		select {
		case f := <-results:
			if f.got < f.want {
				return errorf("a %v timer fired after %v", f.want, f.got)
			}
		case <-time.After(10 * time.Second):
			return errorf("only %d of 5 timers fired within 10 s", i)
		}
	}
	return nil
}

// within reports whether got is within 5% of want.
func within(got, want time.Duration) bool {
	d := got - want
	if d < 0 {
		d = -d
	}
	return d*20 <= want
}

// Sleep: time.Sleep(d) takes d of virtual time, to 5%.
func Sleep(clock Clock, d time.Duration) error {
	start := clock()
	time.Sleep(d)
	if got := clock() - start; !within(got, d) {
		return errorf("time.Sleep(%v) took %v of virtual time", d, got)
	}
	return nil
}

// Ticker: n ticks of a period-d ticker take n*d of virtual time, to 5%.
func Ticker(clock Clock, d time.Duration, n int) error {
	t := time.NewTicker(d)
	defer t.Stop()
	start := clock()
	for i := 0; i < n; i++ {
		<-t.C
	}
	want := time.Duration(n) * d
	if got := clock() - start; !within(got, want) {
		return errorf("%d ticks of %v took %v of virtual time, want %v", n, d, got, want)
	}
	return nil
}

var sink [][]byte // keeps a small live set so the GC has work

// Churn allocates total bytes in pieces of random size up to 64 KiB,
// keeping at most 256 pieces alive, and returns how many GC cycles ran.
func Churn(total int, seed uint64) (gcs uint32) {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r := rand.New(rand.NewPCG(seed, 1))
	sink = make([][]byte, 256)
	for allocated := 0; allocated < total; {
		n := 1 + r.IntN(64*1024)
		b := make([]byte, n)
		b[0], b[n-1] = 1, 2 // touch both ends
		sink[r.IntN(len(sink))] = b
		allocated += n
	}
	sink = nil
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// ReturnsMemory: after churn and debug.FreeOSMemory, the memory the kernel
// has committed (pages() counts it) is back within slack of its baseline.
func ReturnsMemory(pages func() uint64, churn int, minGCs uint32, slackPages uint64) error {
	debug.FreeOSMemory()
	base := pages()
	if gcs := Churn(churn, 7); gcs < minGCs {
		return errorf("%d MiB of churn ran %d GC cycles, want at least %d", churn>>20, gcs, minGCs)
	}
	debug.FreeOSMemory()
	if after := pages(); after > base+slackPages {
		return errorf("committed pages %d after FreeOSMemory, baseline %d: %d over, allowed %d",
			after, base, after-base, slackPages)
	}
	return nil
}

// Maps: a map of n entries keeps every value; deleting half leaves half.
func Maps(n int) error {
	m := make(map[int]string)
	for i := 0; i < n; i++ {
		m[i] = strings.Repeat("x", i%7)
	}
	for i := 0; i < n; i += 2 {
		delete(m, i)
	}
	if len(m) != n/2 {
		return errorf("map has %d entries after deleting half of %d", len(m), n)
	}
	for i := 1; i < n; i += 2 {
		if m[i] != strings.Repeat("x", i%7) {
			return errorf("m[%d] = %q", i, m[i])
		}
	}
	return nil
}

var nilPtr *struct{ x int }

// recovered runs f and returns the value it panicked with.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// DeferRecover: deferred calls run in reverse order, and panics, including
// the runtime's own from a nil dereference (a page fault turned into
// SIGSEGV and then into a Go panic), are recovered.
func DeferRecover() error {
	var order []int
	func() {
		for i := 0; i < 3; i++ {
			defer func(i int) { order = append(order, i) }(i)
		}
	}()
	if len(order) != 3 || order[0] != 2 || order[2] != 0 {
		return errorf("defers ran in order %v, want [2 1 0]", order)
	}
	if v := recovered(func() { panic("boom") }); v != "boom" {
		return errorf("recover() = %v, want boom", v)
	}
	v := recovered(func() { _ = nilPtr.x })
	err, ok := v.(runtime.Error)
	if !ok || !strings.Contains(err.Error(), "nil pointer dereference") {
		return errorf("nil dereference recovered %v, want a runtime.Error about a nil pointer", v)
	}
	var idx = 5
	if v := recovered(func() { _ = []int{1}[idx] }); v == nil {
		return errors.New("an out-of-range index did not panic")
	}
	return nil
}

// Stack: runtime.Stack names the functions on the stack.
func Stack() error {
	buf := make([]byte, 4096)
	s := string(buf[:runtime.Stack(buf, false)])
	for _, want := range []string{"selftest.Stack", "goroutine "} {
		if !strings.Contains(s, want) {
			return errorf("runtime.Stack does not mention %q:\n%s", want, s)
		}
	}
	return nil
}
