package main

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCpioWithFile(t *testing.T) {
	base := append(cpioEntry("etc", 0o40755, nil), cpioEntry("init", 0o100755, []byte("#!/bin/sh\n"))...)
	base = append(base, cpioEntry("TRAILER!!!", 0, nil)...)
	out, err := cpioWithFile(base, "etc/nonce", []byte("0123456789abcdef\n"))
	require.NoError(t, err)

	// The kernel's own cpio reader sees the old files and the new one.
	fs := vfs.New()
	n, err := fs.LoadCpio(out)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "LoadCpio(cpioWithFile(...)) files")
	for path, want := range map[string]string{"/init": "#!/bin/sh\n", "/etc/nonce": "0123456789abcdef\n"} {
		ino, err := fs.Lookup(nil, path, true)
		if assert.NoError(t, err, path) {
			assert.Equal(t, want, string(ino.Data()), "%s after cpioWithFile", path)
		}
	}
}

func TestCpioWithFileRejects(t *testing.T) {
	noTrailer := cpioEntry("init", 0o100755, []byte("x"))
	for _, tc := range []struct {
		name    string
		archive []byte
		want    string
	}{
		{"empty", nil, "no TRAILER!!!"},
		{"no trailer", noTrailer, "no TRAILER!!!"},
		{"odc magic", append([]byte("070707"), make([]byte, 200)...), "magic"},
		{"truncated", noTrailer[:cpioHeaderLen+2], "past the end"},
	} {
		_, err := cpioWithFile(tc.archive, "etc/nonce", []byte("n"))
		if assert.Error(t, err, "cpioWithFile(%s) = nil error, want one", tc.name) {
			assert.Contains(t, err.Error(), tc.want, "cpioWithFile(%s) error", tc.name)
		}
	}
}
