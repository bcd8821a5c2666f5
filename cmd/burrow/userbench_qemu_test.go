package main

import (
	"os"
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
	testenv.GoArm64(t, filepath.Join(root, "init"), "../userbench")
	testenv.Busybox(t, filepath.Join(root, "bin"), "true")
	return testenv.Cpio(t, root)
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
