package proc

import (
	"encoding/binary"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Poll events (include/uapi/asm-generic/poll.h).
const (
	pollIn     = 0x1
	pollOut    = 0x4
	pollErr    = 0x8
	pollHup    = 0x10
	pollNval   = 0x20
	pollRdNorm = 0x40
	pollWrNorm = 0x100
)

// pollInterval is how often a waiting ppoll or pselect6 looks at its
// files again. Pipes and the terminal have no wait queue a poller could
// join, so it re-checks them; a signal still ends the wait at once.
const pollInterval = 10 * time.Millisecond

// pollUntil calls check until it finds something ready, the timeout passes
// (a negative timeout waits for ever, zero does not wait), or a signal
// arrives (EINTR).
func (t *Thread) pollUntil(timeout time.Duration, check func() (uint64, error)) (uint64, error) {
	clock := t.p.k.cfg.Clock
	deadline := clock() + timeout
	for {
		if n, err := check(); err != nil || n > 0 {
			return n, err
		}
		left := deadline - clock()
		if timeout >= 0 && left <= 0 {
			return 0, nil
		}
		if t.interrupted() {
			return 0, linux.EINTR
		}
		wait := pollInterval
		if timeout >= 0 {
			wait = min(wait, left)
		}
		tm := time.NewTimer(wait)
		select {
		case <-tm.C:
		case <-t.wake:
		}
		tm.Stop()
	}
}

// pollTimeout reads a timeout argument: a null pointer waits for ever.
func (t *Thread) pollTimeout(addr uint64) (time.Duration, error) {
	if addr == 0 {
		return -1, nil
	}
	return t.timespec(addr)
}

// withSigmask runs wait with the signal mask at addr (if any) in place,
// as ppoll and pselect6 do. If a signal interrupts the wait, the old mask
// is restored by the handler's sigreturn (or before a restart), as for
// rt_sigsuspend.
func (t *Thread) withSigmask(addr, size uint64, wait func() (uint64, error)) (uint64, error) {
	if addr == 0 {
		return wait()
	}
	if size != 8 {
		return 0, linux.EINVAL
	}
	b := make([]byte, 8)
	if err := t.p.memory().CopyIn(b, addr); err != nil {
		return 0, linux.EFAULT
	}
	t.mu.Lock()
	t.savedMask, t.hasSaved = t.mask, true
	t.mask = binary.LittleEndian.Uint64(b) &^ unblockable
	t.mu.Unlock()
	n, err := wait()
	if err != linux.EINTR {
		t.mu.Lock()
		t.mask, t.hasSaved = t.savedMask, false
		t.mu.Unlock()
		t.notice()
	}
	return n, err
}

// revents turns a file's readiness into the poll bits it was asked for
// (POLLHUP and POLLERR are reported whether asked for or not).
func revents(r vfs.Readiness, events uint16) uint16 {
	var rev uint16
	if r.In {
		rev |= events & (pollIn | pollRdNorm)
	}
	if r.Out {
		rev |= events & (pollOut | pollWrNorm)
	}
	if r.HangUp {
		if r.Out {
			rev |= pollErr // a write end whose readers are gone
		} else {
			rev |= pollHup
		}
	}
	return rev
}

// sysPpoll is ppoll(fds, nfds, timeout, sigmask, sigsetsize).
func sysPpoll(t *Thread, a args) (uint64, error) {
	n := a[1]
	if n > maxFDs {
		return 0, linux.EINVAL
	}
	mem := t.p.memory()
	b := make([]byte, 8*n)
	if err := mem.CopyIn(b, a[0]); err != nil {
		return 0, linux.EFAULT
	}
	timeout, err := t.pollTimeout(a[2])
	if err != nil {
		return 0, err
	}
	check := func() (uint64, error) {
		ready := uint64(0)
		for i := uint64(0); i < n; i++ {
			e := b[8*i:]
			fd := int32(binary.LittleEndian.Uint32(e))
			var rev uint16
			if fd >= 0 {
				if f, err := t.p.fds.get(uint64(fd)); err != nil {
					rev = pollNval
				} else {
					rev = revents(f.Poll(), binary.LittleEndian.Uint16(e[4:]))
				}
			}
			binary.LittleEndian.PutUint16(e[6:], rev)
			if rev != 0 {
				ready++
			}
		}
		return ready, nil
	}
	ready, err := t.withSigmask(a[3], a[4], func() (uint64, error) { return t.pollUntil(timeout, check) })
	if err != nil {
		return 0, err
	}
	return ready, mem.CopyOut(a[0], b)
}

// sysPselect6 is pselect6(n, readfds, writefds, exceptfds, timeout,
// {sigmask, size}). No file here has exceptional conditions, so the
// except set comes back empty.
func sysPselect6(t *Thread, a args) (uint64, error) {
	n := a[0]
	if n > maxFDs {
		return 0, linux.EINVAL
	}
	mem := t.p.memory()
	words := (n + 63) / 64 * 8
	var sets [3][]byte
	for i, addr := range a[1:4] {
		if addr == 0 {
			continue
		}
		sets[i] = make([]byte, words)
		if err := mem.CopyIn(sets[i], addr); err != nil {
			return 0, linux.EFAULT
		}
	}
	timeout, err := t.pollTimeout(a[4])
	if err != nil {
		return 0, err
	}
	var maskAddr, maskSize uint64
	if a[5] != 0 {
		b := make([]byte, 16)
		if err := mem.CopyIn(b, a[5]); err != nil {
			return 0, linux.EFAULT
		}
		maskAddr, maskSize = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
	}
	var out [3][]byte
	check := func() (uint64, error) {
		count := uint64(0)
		for i := range out {
			if sets[i] != nil {
				out[i] = make([]byte, words)
			}
		}
		for fd := uint64(0); fd < n; fd++ {
			bit, mask := fd/8, byte(1)<<(fd%8)
			inRead := sets[0] != nil && sets[0][bit]&mask != 0
			inWrite := sets[1] != nil && sets[1][bit]&mask != 0
			if !inRead && !inWrite {
				continue
			}
			f, err := t.p.fds.get(fd)
			if err != nil {
				return 0, linux.EBADF
			}
			r := f.Poll()
			if inRead && (r.In || r.HangUp) {
				out[0][bit] |= mask
				count++
			}
			if inWrite && r.Out {
				out[1][bit] |= mask
				count++
			}
		}
		return count, nil
	}
	count, err := t.withSigmask(maskAddr, maskSize, func() (uint64, error) { return t.pollUntil(timeout, check) })
	if err != nil {
		return 0, err
	}
	for i, addr := range a[1:4] {
		if sets[i] == nil {
			continue
		}
		if out[i] == nil {
			out[i] = make([]byte, words)
		}
		if err := mem.CopyOut(addr, out[i]); err != nil {
			return 0, linux.EFAULT
		}
	}
	return count, nil
}
