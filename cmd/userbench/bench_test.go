package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The benchmarks run on the host too (any Linux), which checks that each
// does its work without error and measures a positive time. The exec of
// userbench itself is left to TestQEMUUserbench: here os.Args[0] is the
// test binary, which knows no -noop.
func TestBenchmarksOnHost(t *testing.T) {
	if _, err := os.Stat("/bin/true"); err != nil {
		t.Skip("no /bin/true on this host")
	}
	for _, b := range benchmarks {
		if b.name == "vfork-exec-wait-self" {
			continue
		}
		ns, err := b.run(3)
		if assert.NoError(t, err, "%s(3)", b.name) {
			assert.Positive(t, ns, "%s(3) = %v ns/op, want > 0", b.name, ns)
		}
	}
}

func TestNonceFrom(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "nonce")
	require.NoError(t, os.WriteFile(file, []byte("00000000000000ff\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		env  string
		file string
		want string
	}{
		{"argument first", []string{"x", "nonce=0000000000000001"}, "0000000000000002", file, "0000000000000001"},
		{"then the environment", nil, "0000000000000002", file, "0000000000000002"},
		{"then the file, trimmed", nil, "", file, "00000000000000ff"},
		{"none", nil, "", filepath.Join(dir, "missing"), ""},
	} {
		got := nonceFrom(tc.args, func(string) string { return tc.env }, tc.file)
		assert.Equal(t, tc.want, got, "nonceFrom(%s) = %q, want %q", tc.name, got, tc.want)
	}
}
