package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userbenchCpio builds cmd/userbench for linux/arm64 and packs it as /init
// with busybox as /bin/true, as mk/bench.mk does.
func userbenchCpio(t *testing.T) string {
	root := t.TempDir()
	for _, d := range []string{"bin", "etc", "dev", "proc", "tmp"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(root, "init"), "../userbench")
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building userbench: %s", out)
	bb, err := os.ReadFile(testenv.Build(t, "deps/busybox"))
	require.NoError(t, err, "busybox: run scripts/setup.sh busybox")
	require.NoError(t, os.WriteFile(filepath.Join(root, "bin", "busybox"), bb, 0o755))
	require.NoError(t, os.Symlink("busybox", filepath.Join(root, "bin", "true")))
	cpio := filepath.Join(t.TempDir(), "userbench.cpio")
	pack := exec.Command("sh", "-c", "find . | LC_ALL=C sort | cpio -o -H newc --quiet > "+cpio)
	pack.Dir = root
	out, err = pack.CombinedOutput()
	require.NoError(t, err, "cpio: %s", out)
	return cpio
}

// TestQEMUUserbench runs make bench-user's Burrow half with a hundredth of
// the iterations, so the benchmark cannot rot: userbench must run at EL0
// as /init, and every figure must parse and be positive.
func TestQEMUUserbench(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	rows, err := runUserbench(burrowTarget(testenv.Build(t, "kernel8.img")), userbenchCpio(t), 0.01, nil)
	require.NoError(t, err)
	got := map[string]userRow{}
	for _, r := range rows {
		got[r.name] = r
		assert.Positive(t, r.iters, "%s iterations", r.name)
		assert.Positive(t, r.ns, "%s ns/op", r.name)
		t.Logf("%s: %d iterations, %.1f ns/op", r.name, r.iters, r.ns)
	}
	for _, name := range []string{"getppid", "pipe-roundtrip", "vfork-exec-wait-true", "vfork-exec-wait-self", "page-fault"} {
		assert.Contains(t, got, name, "userbench reported no %s figure", name)
	}
}
