// Package proc runs user programs: unmodified static linux/arm64 ELF
// executables (Go programs, busybox) at EL0, answering their system calls
// with the Linux arm64 ABI (kernel/abi/linux). It follows the Switch model
// of ARCHITECTURE.md: every user thread is served by one Go goroutine (its
// task) that loops on core.SwitchToUser and handles each trap in Go: a
// system call through the table in table.go, a page fault through
// kernel/mm, a fault it cannot resolve or an undefined instruction as a
// signal delivered through a real arm64 rt_sigframe.
//
// It runs at EL1 in the Go kernel, after the runtime and kernel/mm are up.
// The machine-specific parts (entering EL0, the physical-memory writer, the
// instruction cache) come in through Config, so the logic also runs in host
// tests with a fake Switch. See README.md for the design.
package proc
