package fdt

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/require"
)

// TestQEMUDumpsMatchTestdata dumps the DTBs from the installed QEMU again and
// checks the committed ones are still what QEMU passes: byte for byte on
// raspi4b, and node for node on virt (whose /chosen holds fresh random
// seeds on every run).
func TestQEMUDumpsMatchTestdata(t *testing.T) {
	testenv.NeedQEMU(t, "deps/bcm2711-rpi-4-b.dtb")
	dir := t.TempDir()
	dump := func(machine string, extra ...string) []byte {
		out := filepath.Join(dir, machine+".dtb")
		args := append([]string{"-machine", machine + ",dumpdtb=" + out, "-nographic", "-nic", "none"}, extra...)
		cmd := exec.Command("qemu-system-aarch64", args...)
		msg, err := cmd.CombinedOutput()
		require.NoError(t, err, "qemu-system-aarch64 %v: %s", args, msg)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		return b
	}
	raspi := dump("raspi4b", "-dtb", testenv.Build(t, "deps/bcm2711-rpi-4-b.dtb"))
	want, err := os.ReadFile("testdata/raspi4b.dtb")
	require.NoError(t, err)
	require.True(t, bytes.Equal(raspi, want), "QEMU's raspi4b DTB differs from testdata/raspi4b.dtb: dump it again")

	virt, err := Parse(dump("virt", "-cpu", "cortex-a72"))
	require.NoError(t, err)
	paths := func(tr *Tree) []string {
		var p []string
		tr.Root.Walk(func(n *Node) { p = append(p, n.Path()) })
		return p
	}
	require.Equal(t, paths(loadTree(t, "virt.dtb")), paths(virt), "virt node paths")
	mem, err := virt.Memory()
	require.NoError(t, err)
	require.Equal(t, []Region{{0x40000000, 128 << 20}}, mem)
}
