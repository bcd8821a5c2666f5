// Package selftest holds the Go kernel's in-kernel tests, selected by the
// test= boot argument and reported through package ktest. The runtime
// stress test proves the unmodified Go runtime works at EL1 on the C core:
// goroutines, channels, timers, the garbage collector returning memory,
// maps, panics and tracebacks.
//
// It runs at EL1 in the Go kernel. The checks are plain Go, so they also
// run on the host (go test), where they must pass as well: a check that
// fails on Linux is a wrong check, not a kernel bug.
package selftest

import (
	"fmt"
	"time"
)

// Check is one named self-test.
type Check struct {
	Name string
	Run  func() error
}

// Clock measures virtual time: under QEMU's -icount shift=0 the generic
// timer's count is guest time, and one nanosecond is one instruction.
type Clock func() time.Duration

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
