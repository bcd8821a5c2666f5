package sdhci_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQEMUADMA2 boots this package's in-kernel test image on virt with
// QEMU's PCI SDHCI (whose CAPABILITIES has ADMA2) and a 1 MiB card image
// holding Pattern, runs TestKernelADMA2 there, and checks that its writes
// reached the image file. The ECAM must sit below 4 GiB for the kernel's
// direct map: highmem-ecam=off.
func TestQEMUADMA2(t *testing.T) {
	const img = "ktest/drivers-sdhci.img"
	testenv.NeedQEMU(t, img)
	const size = 1 << 20 // QEMU wants a power of two; 1 MiB is an SDSC card (byte addresses)
	path := filepath.Join(t.TempDir(), "sd.img")
	require.NoError(t, os.WriteFile(path, Pattern(size), 0o644))
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "virt", Kernel: testenv.Build(t, img), Root: testenv.Root(t),
		Append: "semihosting=1 -test.run=^TestKernelADMA2$", Icount: true, Semihosting: true,
		Protocol: true, Backstop: 5 * time.Minute,
		Extra: []string{"-machine", "highmem-ecam=off", "-device", "sdhci-pci",
			"-drive", "if=none,id=sd0,format=raw,file=" + path, "-device", "sd-card,drive=sd0"},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	status := map[string]string{}
	for _, r := range res.Find("result") {
		status[r.Get("name")] = r.Get("status")
	}
	require.Equal(t, "pass", status["TestKernelADMA2"], "console:\n%s", console)
	for _, l := range res.Lines {
		if strings.Contains(l, "sdhci-figure") || strings.Contains(l, "data by") {
			t.Log(strings.TrimSpace(l))
		}
	}
	assert.Contains(t, console, "data by ADMA2 through a 64 KiB bounce buffer")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	w := WrittenPattern()
	assert.True(t, bytes.Equal(got[size-len(w):], w), "the written sectors are in the image file")
	assert.True(t, bytes.Equal(got[:size-len(w)], Pattern(size)[:size-len(w)]), "the rest of the image is unchanged")
}
