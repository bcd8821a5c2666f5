package sdhci_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/board"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/drivers/sdhci"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one place QEMU runs this driver's DMA path: no Pi's SDHCI in QEMU
// advertises ADMA2 (raspi4b's CAPABILITIES is 0x052134b4), but a generic
// SDHCI on PCI does (0x057834b4), and QEMU's virt has PCI. This file finds
// it the way firmware would, through the ECAM configuration space (PCI
// Local Bus Specification 3.0, 6.1 "Configuration Space Organization";
// PCI Express Base 4.0, 7.2.2 "ECAM"), gives its BAR0 an address in the
// host bridge's 32-bit memory window, and enables memory decoding and bus
// mastering. It is test scaffolding, not a PCI driver: bus 0 only, one
// BAR, no interrupts.

// Configuration space offsets and the SD host class (PCI Code and ID
// Assignment 1.9, base class 08h "generic system peripheral", sub-class
// 05h "SD host controller").
const (
	pciID       = 0x00
	pciCommand  = 0x04
	pciClass    = 0x08 // class code in bits 31:8
	pciBAR0     = 0x10
	cmdMemory   = 1 << 1
	cmdMaster   = 1 << 2
	classSDHost = 0x0805
)

// pciSDHost returns the registers of the first SD host controller on PCI
// bus 0, set up for use, or skips the test: on the host, in the kernel
// without an ECAM below 4 GiB (the direct map's device window), or without
// such a controller.
func pciSDHost(t *testing.T) reg.Block {
	blob, err := core.DeviceTree()
	if err != nil {
		t.Skip("runs in the kernel on virt with -device sdhci-pci (TestQEMUADMA2)")
	}
	tree, err := fdt.Parse(blob)
	require.NoError(t, err)
	hosts := tree.FindCompatible("pci-host-ecam-generic")
	if len(hosts) == 0 {
		t.Skip("no PCI host bridge")
	}
	host := hosts[0]
	ecam, err := tree.RegCPU(host)
	require.NoError(t, err)
	if ecam[0].Address >= 1<<32 {
		t.Skipf("the ECAM at %#x is above the 4 GiB the direct map's device window covers (boot with -machine highmem-ecam=off)", ecam[0].Address)
	}
	window := memWindow(t, host)
	for dev := range 32 {
		cfg := reg.New(reg.MMIO{}, ecam[0].Address+uint64(dev)<<15) // bus 0, device dev, function 0
		if cfg.Read(pciID) == 0xffffffff || cfg.Read(pciClass)>>16 != classSDHost {
			continue
		}
		cfg.Write(pciBAR0, uint32(window))
		cfg.Write(pciCommand, cmdMemory|cmdMaster)
		t.Logf("SD host %#x at 00:%02x.0, BAR0 %#x", cfg.Read(pciID), dev, window)
		return reg.New(reg.MMIO{}, window)
	}
	t.Skip("no SD host controller on PCI bus 0")
	return reg.Block{}
}

// memWindow returns the start of the host bridge's 32-bit memory window
// from its ranges (PCI Bus Binding to Open Firmware 2.2.1.1: three child
// address cells whose first says the space, 0b10 in bits 25:24 being
// 32-bit memory; two parent address cells; two size cells). On virt PCI
// and CPU addresses are equal there, which the BAR relies on.
func memWindow(t *testing.T, host *fdt.Node) uint64 {
	cells, ok, err := host.Cells("ranges")
	require.True(t, ok && err == nil, "ranges of %s: %v", host.Path(), err)
	for i := 0; i+7 <= len(cells); i += 7 {
		pci := uint64(cells[i+1])<<32 | uint64(cells[i+2])
		cpu := uint64(cells[i+3])<<32 | uint64(cells[i+4])
		if cells[i]>>24&3 == 2 && pci == cpu && cpu < 1<<32 {
			return cpu
		}
	}
	t.Fatalf("no identity-mapped 32-bit memory window in the ranges of %s", host.Path())
	return 0
}

// Pattern is what the host writes into the card image: no two sectors
// alike, so a sector read from the wrong place is caught.
func Pattern(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i>>9)*13 + byte(i)
	}
	return p
}

// WrittenPattern is what TestKernelADMA2 writes into the card's last 16
// sectors; the host finds it in the image afterwards.
func WrittenPattern() []byte {
	return bytes.Repeat([]byte("burrow ADMA2 was here. "), 16*sdhci.SectorSize/23+1)[:16*sdhci.SectorSize]
}

// perSector times fn, which moves n bytes, in counter ticks converted to
// ns per 512-byte sector: instructions per sector under -icount shift=0.
func perSector(t *testing.T, n int, fn func() error) uint64 {
	st, err := core.ReadStats()
	require.NoError(t, err)
	t0 := core.Counter()
	require.NoError(t, fn())
	return (core.Counter() - t0) * 1e9 / st.CounterFreq / uint64(n/sdhci.SectorSize)
}

// TestKernelADMA2 runs in the kernel (TestQEMUADMA2 boots it): the driver
// picks ADMA2 on QEMU's PCI SDHCI, with the C core's 2 KiB DMA buffers as
// a scattered bounce buffer, reads the whole card and compares it with
// Pattern, writes and reads back its last sectors, then does the same by
// PIO on the same controller for comparison.
func TestKernelADMA2(t *testing.T) {
	regs := pciSDHost(t)
	env, err := board.Machine(io.Discard)
	require.NoError(t, err)
	caps := regs.Read(sdhci.CAPABILITIES)
	baseHz := (caps >> 8 & 0xff) * 1_000_000 // Base Clock Frequency, MHz (SDHCI 3.00 2.2.26)
	for _, mode := range []string{"ADMA2", "PIO"} {
		c := sdhci.New(regs, baseHz)
		if mode == "ADMA2" {
			c.UseDMA(env.DMA)
		}
		require.NoError(t, c.Initialize(), mode)
		var desc string
		require.NoError(t, c.Control(drivers.ControlDescribe, &desc))
		t.Logf("%s: %s", mode, desc)
		require.True(t, strings.Contains(desc, "data by "+mode), "%s: described as %q", mode, desc)

		got := make([]byte, c.Size())
		read := perSector(t, len(got), func() error { _, err := c.ReadAt(got, 0); return err })
		w := WrittenPattern()
		off := c.Size() - int64(len(w)) // the first pass writes there
		if want := Pattern(int(off)); !bytes.Equal(got[:off], want) {
			i := 0
			for got[i] == want[i] {
				i++
			}
			t.Errorf("%s: the card differs from the pattern at byte %d: %#x, want %#x", mode, i, got[i], want[i])
		}
		write := perSector(t, len(w), func() error { _, err := c.WriteAt(w, off); return err })
		back := make([]byte, len(w))
		_, err := c.ReadAt(back, off)
		require.NoError(t, err)
		assert.Equal(t, w, back, "%s: the written sectors read back", mode)
		// The figure the host test collects.
		fmt.Printf("sdhci-figure mode=%s read_ns_per_sector=%d write_ns_per_sector=%d\n", mode, read, write)
	}
}
