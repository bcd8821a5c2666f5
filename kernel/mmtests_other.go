//go:build !(linux && arm64)

package main

import "github.com/burrow-os/burrow/kernel/ktest"

// memoryTests needs the real MMU: on the host it reports that and fails.
func memoryTests(r *ktest.Reporter) bool {
	r.Report("result", "name", "mm-init", "status", "fail", "detail", "test=mm runs only at EL1 on Burrow")
	return false
}

// userTests needs the C core's SwitchToUser: on the host it reports that.
func userTests(r *ktest.Reporter) bool {
	r.Report("result", "name", "user-init", "status", "fail", "detail", "test=user runs only at EL1 on Burrow")
	return false
}
