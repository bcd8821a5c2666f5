//go:build linux && arm64

package core

import "unsafe"

// CPUStats returns a snapshot of every CPU's time (MaxCPUs entries; offline
// CPUs have Online == 0).
func CPUStats() ([]CPUStat, error) {
	var s [MaxCPUs]CPUStat
	n, err := svc0(svcCPUStats, uintptr(unsafe.Pointer(&s[0])), MaxCPUs, 0)
	if err != nil {
		return nil, err
	}
	return s[:n], nil
}
