package proc

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/mm"
)

// futexKey names a futex word: the address space and the user address.
// (Shared futexes between different address spaces are not supported: a
// vfork child shares its parent's space, which covers posix_spawn.)
type futexKey struct {
	mem  *mm.UserSpace
	addr uint64
}

type futexWaiter struct {
	ch     chan struct{}
	bitset uint32
}

// futexTable holds the threads waiting on futex words.
type futexTable struct {
	mu      sync.Mutex
	waiters map[futexKey][]*futexWaiter
}

func (f *futexTable) init() { f.waiters = map[futexKey][]*futexWaiter{} }

// wait blocks the thread while *addr == val, until a wake, a signal
// (EINTR) or the timeout (ETIMEDOUT; 0 means none).
func (f *futexTable) wait(t *Thread, mem *mm.UserSpace, addr uint64, val uint32, timeout time.Duration, bitset uint32) error {
	if addr%4 != 0 {
		return linux.EINVAL
	}
	key := futexKey{mem, addr}
	w := &futexWaiter{ch: make(chan struct{}), bitset: bitset}
	var b [4]byte
	f.mu.Lock()
	if err := mem.CopyIn(b[:], addr); err != nil {
		f.mu.Unlock()
		return linux.EFAULT
	}
	if binary.LittleEndian.Uint32(b[:]) != val {
		f.mu.Unlock()
		return linux.EAGAIN
	}
	f.waiters[key] = append(f.waiters[key], w)
	f.mu.Unlock()
	var timer <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(timeout)
		defer tm.Stop()
		timer = tm.C
	}
	for {
		if t.interrupted() {
			if f.remove(key, w) {
				return linux.EINTR
			}
			return nil
		}
		select {
		case <-w.ch:
			return nil
		case <-t.wake: // look again: a signal, or a stale wake-up
		case <-timer:
			if f.remove(key, w) {
				return linux.ETIMEDOUT
			}
			return nil
		}
	}
}

// remove takes w off the queue; false if a wake already took it.
func (f *futexTable) remove(key futexKey, w *futexWaiter) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[key]
	for i, x := range q {
		if x == w {
			f.waiters[key] = append(q[:i:i], q[i+1:]...)
			if len(f.waiters[key]) == 0 {
				delete(f.waiters, key)
			}
			return true
		}
	}
	return false
}

// wake wakes up to n waiters on addr whose bitset meets bitset.
func (f *futexTable) wake(mem *mm.UserSpace, addr uint64, n int, bitset uint32) int {
	key := futexKey{mem, addr}
	f.mu.Lock()
	defer f.mu.Unlock()
	q := f.waiters[key]
	woken := 0
	kept := q[:0]
	for _, w := range q {
		if woken < n && w.bitset&bitset != 0 {
			close(w.ch)
			woken++
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		delete(f.waiters, key)
	} else {
		f.waiters[key] = kept
	}
	return woken
}
