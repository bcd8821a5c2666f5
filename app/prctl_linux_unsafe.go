//go:build linux

package app

import (
	"syscall"
	"unsafe"
)

// sysPrctl is prctl(option, buf) as a raw system call. The buffer's
// address goes to the kernel, which reads and writes it before returning.
func sysPrctl(option int, buf []byte) (uintptr, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	r, _, errno := syscall.Syscall6(syscall.SYS_PRCTL, uintptr(option), uintptr(p), 0, 0, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return r, nil
}

// sysPrctlRead is prctl(option, arg, buf, len(buf)): the shape of
// PR_BURROW_AI_READ.
func sysPrctlRead(option int, arg uintptr, buf []byte) (uintptr, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	r, _, errno := syscall.Syscall6(syscall.SYS_PRCTL, uintptr(option), arg, uintptr(p), uintptr(len(buf)), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return r, nil
}
