// Package testenv tells tests where the Burrow tree and its build outputs
// are, and decides whether tests that boot QEMU run.
//
// Tests that boot QEMU are named TestQEMU... and call NeedQEMU first. A plain
// `go test ./...` skips them; `make test` runs them as their own tier with
// BURROW_QEMU=1, and then a missing tool or build output is a failure, never
// a silent skip.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Root returns the top of the Burrow tree: $BURROW_ROOT when set, otherwise
// the nearest parent directory holding go.mod.
func Root(t testing.TB) string {
	t.Helper()
	if r := os.Getenv("BURROW_ROOT"); r != "" {
		return r
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Build returns the path of a build output, such as Build(t, "kernel8.img").
func Build(t testing.TB, name string) string {
	return filepath.Join(Root(t), "build", name)
}

// NeedBuild skips the test unless BURROW_QEMU=1 (make test builds the
// outputs first); when it is set, a missing output fails the test. Tests
// that use it are named TestImage... and run in the same tier as QEMU boots.
func NeedBuild(t testing.TB, outputs ...string) {
	t.Helper()
	if os.Getenv("BURROW_QEMU") != "1" {
		t.Skip("needs build outputs: runs with BURROW_QEMU=1 (make test)")
	}
	for _, o := range outputs {
		if _, err := os.Stat(Build(t, o)); err != nil {
			t.Fatalf("build output %s is missing: run make (%v)", o, err)
		}
	}
}

// NeedQEMU skips the test unless BURROW_QEMU=1. When it is set, it fails the
// test if QEMU or any of the named build outputs is missing.
func NeedQEMU(t testing.TB, outputs ...string) {
	t.Helper()
	if os.Getenv("BURROW_QEMU") != "1" {
		t.Skip("boots QEMU: runs with BURROW_QEMU=1 (make test)")
	}
	if _, err := exec.LookPath("qemu-system-aarch64"); err != nil {
		t.Fatalf("qemu-system-aarch64 is not installed: run make setup")
	}
	for _, o := range outputs {
		if _, err := os.Stat(Build(t, o)); err != nil {
			t.Fatalf("build output %s is missing: run make kernel (%v)", o, err)
		}
	}
}
