//go:build linux && arm64

package core

import (
	"syscall"
)

// svc0 issues a service that never blocks: RawSyscall does not tell the Go
// scheduler, which is right for calls that return at once.
func svc0(nr, a0, a1, a2 uintptr) (uintptr, error) {
	r, _, e := syscall.RawSyscall(nr, a0, a1, a2)
	if e != 0 {
		return 0, e
	}
	return r, nil
}

// ConsoleWrite writes b to the console, bypassing the Go runtime's stdout.
func ConsoleWrite(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := svc0(svcConsoleWrite, bufPtr(b), uintptr(len(b)), 0)
	return int(n), err
}

// PowerOff stops the machine; under QEMU with semihosting, QEMU exits with
// status. It does not return.
func PowerOff(status int) {
	svc0(svcPowerOff, uintptr(status), 0, 0)
	select {}
}

// WaitIRQ unmasks interrupt id and blocks until it fires; the C core then
// masks it again until the next WaitIRQ. It goes through syscall.Syscall, so
// the Go scheduler runs other goroutines while this one waits.
func WaitIRQ(id int) error {
	for {
		_, _, e := syscall.Syscall(svcWaitIRQ, uintptr(id), 0, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

// Nop is the cheapest service round trip, for measuring the crossing.
func Nop() { syscall.RawSyscall(svcNop, 0, 0, 0) }

// CFunc returns the address of C function index (CFunc* constants).
func CFunc(index int) (uintptr, error) { return svc0(svcCFunc, uintptr(index), 0, 0) }

// CCall calls the C function at fn with two arguments on this thread's C
// stack, with IRQs masked, and returns its result (ccall_arm64.s).
func CCall(fn, a0, a1 uintptr) uintptr { return ccall(fn, a0, a1) }

func ccall(fn, a0, a1 uintptr) uintptr

// Counter reads the generic timer's virtual count (CNTVCT_EL0). Under QEMU
// with -icount shift=0 it advances once per nanosecond of guest time, which
// is one instruction.
func Counter() uint64
