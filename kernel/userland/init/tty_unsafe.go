package main

import (
	"syscall"
	"unsafe"
)

// isTerminal reports whether fd is a terminal: TCGETS succeeds on it.
func isTerminal(fd int) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
