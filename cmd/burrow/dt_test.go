package main

import (
	"os"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/require"
)

func TestPrintTreeRaspi4b(t *testing.T) {
	blob, err := os.ReadFile("../../kernel/fdt/testdata/raspi4b.dtb")
	require.NoError(t, err)
	tree, err := fdt.Parse(blob)
	require.NoError(t, err)
	var out strings.Builder
	require.NoError(t, printTree(&out, tree, false))
	for _, want := range []string{
		"memory    [0x00000000, 0x3c000000)  960 MiB",
		"reserved  [0x00000000, 0x00001000)  /memreserve/",
		"reserved  64 MiB, placed by the OS in [0x00000000, 0x40000000)  /reserved-memory/linux,cma reusable",
		"stdout    /soc/serial@7e215040",
		"/soc/serial@7e201000                         arm,pl011 0xfe201000+0x200 irq153",
		"/soc/interrupt-controller@40041000           arm,gic-400 0xff841000+0x1000 0xff842000+0x2000",
	} {
		require.Contains(t, out.String(), want, "printTree(raspi4b)")
	}
	require.NotContains(t, out.String(), "rng200", "QEMU removed the RNG node")
}
