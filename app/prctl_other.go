//go:build !linux

package app

import "syscall"

// Off Linux there is no prctl: the program is not on Burrow, and runs
// unadmitted.
func sysPrctl(int, []byte) (uintptr, error) { return 0, syscall.EINVAL }

func sysPrctlRead(int, uintptr, []byte) (uintptr, error) { return 0, syscall.EINVAL }
