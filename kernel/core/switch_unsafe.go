//go:build linux && arm64

package core

import (
	"syscall"
	"unsafe"
)

const svcSwitchToUser = 0x1009

// SwitchToUser runs the user program whose registers are in regs, in the
// address space whose TTBR0 value (table address and ASID) is ttbr0, until
// it takes any exception: a system call, a fault, an interrupt. Then regs
// holds its state and the result says why it stopped. It blocks through
// syscall.Syscall, so while the program runs the Go scheduler gives this
// thread's P to other goroutines.
func SwitchToUser(regs *UserRegs, ttbr0 uint64) (UserTrap, error) {
	var t UserTrap
	_, _, e := syscall.Syscall(svcSwitchToUser, uintptr(unsafe.Pointer(regs)), uintptr(ttbr0), uintptr(unsafe.Pointer(&t)))
	if e != 0 {
		return t, e
	}
	return t, nil
}
