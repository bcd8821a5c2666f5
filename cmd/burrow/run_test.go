package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCardDrive(t *testing.T) {
	dir := t.TempDir()
	card := filepath.Join(dir, "card.img")
	require.NoError(t, os.WriteFile(card, make([]byte, 1<<20), 0o644))
	odd := filepath.Join(dir, "odd.img")
	require.NoError(t, os.WriteFile(odd, make([]byte, 3<<19), 0o644))
	for _, c := range []struct {
		board, path string
		want        []string
		err         string
	}{
		{"raspi4b", card, []string{"-drive", "if=sd,format=raw,file=" + card}, ""},
		{"virt", card, []string{"-drive", "if=none,id=sd,format=raw,file=" + card, "-device", "virtio-blk-device,drive=sd"}, ""},
		{"virt", odd, []string{"-drive", "if=none,id=sd,format=raw,file=" + odd, "-device", "virtio-blk-device,drive=sd"}, ""},
		{"raspi4b", odd, nil, "must be a power of two"},
		{"raspi4b", filepath.Join(dir, "missing.img"), nil, "make sdcard"},
	} {
		got, err := cardDrive(c.board, c.path)
		if c.err != "" {
			assert.ErrorContains(t, err, c.err, "cardDrive(%s, %s)", c.board, filepath.Base(c.path))
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "cardDrive(%s, %s)", c.board, filepath.Base(c.path))
	}
}
