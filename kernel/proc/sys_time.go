package proc

import (
	"encoding/binary"
	"runtime"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

func (t *Thread) timespec(addr uint64) (time.Duration, error) {
	b := make([]byte, 16)
	if err := t.p.memory().CopyIn(b, addr); err != nil {
		return 0, linux.EFAULT
	}
	sec, nsec := int64(binary.LittleEndian.Uint64(b)), int64(binary.LittleEndian.Uint64(b[8:]))
	if sec < 0 || nsec < 0 || nsec >= 1e9 {
		return 0, linux.EINVAL
	}
	if sec > 1<<32 {
		sec = 1 << 32
	}
	return time.Duration(sec)*time.Second + time.Duration(nsec), nil
}

func putTimespec(d time.Duration) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(d/time.Second))
	return binary.LittleEndian.AppendUint64(b, uint64(d%time.Second))
}

// clock returns a clock's reading as a duration since its epoch.
func (t *Thread) clock(id uint64) (time.Duration, error) {
	k := t.p.k
	switch id {
	case linux.CLOCK_REALTIME, linux.CLOCK_REALTIME_COARSE:
		return time.Duration(k.now().UnixNano()), nil
	case linux.CLOCK_MONOTONIC, linux.CLOCK_MONOTONIC_RAW, linux.CLOCK_MONOTONIC_COARSE, linux.CLOCK_BOOTTIME,
		linux.CLOCK_PROCESS_CPUTIME_ID, linux.CLOCK_THREAD_CPUTIME_ID:
		return k.cfg.Clock(), nil
	}
	return 0, linux.EINVAL
}

// maxTimer bounds one Go timer: a long sleep is a series of them, each
// checked against the clock, so a timer that fires early (long timers were
// seen to on raspi4b without icount) cannot end the sleep early.
const maxTimer = time.Second

// sleep blocks for d unless a signal interrupts it; it returns what is left.
func (t *Thread) sleep(d time.Duration) (time.Duration, error) {
	clock := t.p.k.cfg.Clock
	deadline := clock() + d
	if t.resumeSleep { // restarted after a stop: the first call's deadline holds
		deadline = t.sleepDeadline
	}
	t.resumeSleep = false
	for {
		left := deadline - clock()
		if left <= 0 {
			return 0, nil
		}
		if t.interrupted() {
			t.sleepDeadline = deadline
			return left, linux.EINTR
		}
		tm := time.NewTimer(min(left, maxTimer))
		select {
		case <-tm.C:
		case <-t.wake:
		}
		tm.Stop()
	}
}

func sysNanosleep(t *Thread, a args) (uint64, error) {
	d, err := t.timespec(a[0])
	if err != nil {
		return 0, err
	}
	left, err := t.sleep(d)
	if err == linux.EINTR && a[1] != 0 {
		t.p.memory().CopyOut(a[1], putTimespec(left))
	}
	return 0, err
}

func sysClockNanosleep(t *Thread, a args) (uint64, error) {
	d, err := t.timespec(a[2])
	if err != nil {
		return 0, err
	}
	if a[1]&linux.TIMER_ABSTIME != 0 {
		now, err := t.clock(a[0])
		if err != nil {
			return 0, err
		}
		d -= now
	} else if _, err := t.clock(a[0]); err != nil {
		return 0, err
	}
	left, err := t.sleep(d)
	if err == linux.EINTR && a[3] != 0 && a[1]&linux.TIMER_ABSTIME == 0 {
		t.p.memory().CopyOut(a[3], putTimespec(left))
	}
	return 0, err
}

func sysClockGettime(t *Thread, a args) (uint64, error) {
	d, err := t.clock(a[0])
	if err != nil {
		return 0, err
	}
	return 0, t.p.memory().CopyOut(a[1], putTimespec(d))
}

func sysClockGetres(t *Thread, a args) (uint64, error) {
	if _, err := t.clock(a[0]); err != nil {
		return 0, err
	}
	if a[1] == 0 {
		return 0, nil
	}
	return 0, t.p.memory().CopyOut(a[1], putTimespec(1))
}

func sysGettimeofday(t *Thread, a args) (uint64, error) {
	if a[0] != 0 {
		now := t.p.k.now()
		b := binary.LittleEndian.AppendUint64(nil, uint64(now.Unix()))
		b = binary.LittleEndian.AppendUint64(b, uint64(now.Nanosecond()/1000))
		if err := t.p.memory().CopyOut(a[0], b); err != nil {
			return 0, err
		}
	}
	if a[1] != 0 {
		return 0, t.p.memory().CopyOut(a[1], make([]byte, 8))
	}
	return 0, nil
}

func sysTimes(t *Thread, a args) (uint64, error) {
	if a[0] != 0 {
		if err := t.p.memory().CopyOut(a[0], make([]byte, 32)); err != nil {
			return 0, err
		}
	}
	return uint64(t.p.k.cfg.Clock() / (10 * time.Millisecond)), nil
}

func sysSchedYield(t *Thread, a args) (uint64, error) {
	runtime.Gosched()
	return 0, nil
}

func sysFutex(t *Thread, a args) (uint64, error) {
	addr, op, val, val3 := a[0], a[1], uint32(a[2]), uint32(a[5])
	mem := t.p.memory()
	k := t.p.k
	switch op &^ (linux.FUTEX_PRIVATE_FLAG | linux.FUTEX_CLOCK_REALTIME) {
	case linux.FUTEX_WAIT:
		var d time.Duration
		if a[3] != 0 {
			var err error
			if d, err = t.timespec(a[3]); err != nil {
				return 0, err
			}
			if d == 0 {
				return 0, linux.ETIMEDOUT
			}
		}
		return 0, k.futex.wait(t, mem, addr, val, d, ^uint32(0))
	case linux.FUTEX_WAIT_BITSET:
		if val3 == 0 {
			return 0, linux.EINVAL
		}
		var d time.Duration
		if a[3] != 0 {
			abs, err := t.timespec(a[3])
			if err != nil {
				return 0, err
			}
			clk := uint64(linux.CLOCK_MONOTONIC)
			if op&linux.FUTEX_CLOCK_REALTIME != 0 {
				clk = linux.CLOCK_REALTIME
			}
			now, _ := t.clock(clk)
			if d = abs - now; d <= 0 {
				return 0, linux.ETIMEDOUT
			}
		}
		return 0, k.futex.wait(t, mem, addr, val, d, val3)
	case linux.FUTEX_WAKE:
		return uint64(k.futex.wake(mem, addr, int(min(val, 1<<30)), ^uint32(0))), nil
	case linux.FUTEX_WAKE_BITSET:
		if val3 == 0 {
			return 0, linux.EINVAL
		}
		return uint64(k.futex.wake(mem, addr, int(min(val, 1<<30)), val3)), nil
	}
	return 0, linux.ENOSYS
}
