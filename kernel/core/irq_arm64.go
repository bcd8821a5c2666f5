//go:build linux && arm64

package core

import "syscall"

// ClaimIRQ makes the caller's driver the owner of interrupt id without
// unmasking it: the C top half will mask it and wake the driver's waiter
// when it fires. The driver then configures and unmasks the line at the
// GIC (drivers/gic) and calls WaitIRQUnmasked.
func ClaimIRQ(id int) error {
	_, err := svc0(svcWaitIRQ, uintptr(id), waitIRQClaim, 0)
	return err
}

// WaitIRQUnmasked blocks until claimed interrupt id fires, without
// touching the GIC: the Go driver unmasked the line itself. It returns at
// once if the line fired since the last return.
func WaitIRQUnmasked(id int) error {
	for {
		_, _, e := syscall.Syscall(svcWaitIRQ, uintptr(id), waitIRQGoUnmasks, 0)
		if e == syscall.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

// IRQStamp returns the counter value (CNTVCT_EL0) at which the C top half
// last saw interrupt id: under icount, subtracting it from Counter() in the
// Go handler gives the entry-to-handler latency in instructions.
func IRQStamp(id int) uint64 {
	v, _ := svc0(svcIRQStamp, uintptr(id), 0, 0)
	return uint64(v)
}
