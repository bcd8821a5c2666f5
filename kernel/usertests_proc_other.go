//go:build !(linux && arm64)

package main

import "github.com/burrow-os/burrow/kernel/ktest"

// procTests needs EL0 and the initramfs: on the host it reports that.
func procTests(r *ktest.Reporter) bool {
	r.Report("result", "name", "proc-init", "status", "fail", "detail", "test=proc runs only at EL1 on Burrow")
	return false
}
