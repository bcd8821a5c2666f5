//go:build !(linux && arm64)

package main

import "github.com/burrow-os/burrow/kernel/ktest"

// On the host the kernel's AI wiring has nothing to read: the engine itself
// is tested in ai/.
func aiInit() {}

func aiTests(r *ktest.Reporter) bool {
	r.Report("result", "name", "ai-model", "status", "fail", "detail", "test=ai runs only at EL1 on Burrow")
	return false
}
