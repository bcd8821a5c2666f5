package fdt

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// loadTree parses a DTB from testdata. raspi4b.dtb and virt.dtb are what
// QEMU 10 passes to the kernel, dumped with
//
//	qemu-system-aarch64 -machine raspi4b,dumpdtb=raspi4b.dtb -dtb build/deps/bcm2711-rpi-4-b.dtb
//	qemu-system-aarch64 -machine virt,dumpdtb=virt.dtb -cpu cortex-a72 -nic none
func loadTree(t testing.TB, name string) *Tree {
	t.Helper()
	tree, err := Parse(readDTB(t, name))
	require.NoError(t, err, "Parse(%s)", name)
	return tree
}

func TestBoardMemory(t *testing.T) {
	tests := []struct {
		dtb  string
		want []Region
	}{
		{"raspi4b.dtb", []Region{{0, 0x3c000000}}},      // 960 MiB at 0
		{"virt.dtb", []Region{{0x40000000, 128 << 20}}}, // QEMU's default -m 128M
	}
	for _, tt := range tests {
		got, err := loadTree(t, tt.dtb).Memory()
		require.NoError(t, err)
		require.Equal(t, tt.want, got, "Memory(%s)", tt.dtb)
	}
}

func TestBoardRegCPU(t *testing.T) {
	tests := []struct {
		dtb, path string
		want      []Region
	}{
		// PL011 UART0: bus 0x7e201000 through /soc ranges 0x7e000000 -> 0xfe000000.
		{"raspi4b.dtb", "/soc/serial@7e201000", []Region{{0xfe201000, 0x200}}},
		// GIC-400 distributor, CPU interface, and virtualization frames:
		// bus 0x40041000 through the 0x40000000 -> 0xff800000 window.
		{"raspi4b.dtb", "/soc/interrupt-controller@40041000", []Region{
			{0xff841000, 0x1000}, {0xff842000, 0x2000}, {0xff844000, 0x2000}, {0xff846000, 0x2000}}},
		// Mini UART (serial1, the stdout-path).
		{"raspi4b.dtb", "serial1", []Region{{0xfe215040, 0x40}}},
		// EMMC2 sits below /emmc2bus, a two-cell bus.
		{"raspi4b.dtb", "/emmc2bus/mmc@7e340000", []Region{{0xfe340000, 0x100}}},
		{"virt.dtb", "/pl011@9000000", []Region{{0x9000000, 0x1000}}},
		{"virt.dtb", "/intc@8000000", []Region{{0x8000000, 0x10000}, {0x8010000, 0x10000}}},
	}
	for _, tt := range tests {
		tree := loadTree(t, tt.dtb)
		n := tree.Lookup(tt.path)
		require.NotNil(t, n, "Lookup(%s) in %s", tt.path, tt.dtb)
		got, err := tree.RegCPU(n)
		require.NoError(t, err)
		require.Equal(t, tt.want, got, "RegCPU(%s) in %s", tt.path, tt.dtb)
	}
}

func TestBoardInterrupts(t *testing.T) {
	tests := []struct {
		dtb, path string
		want      GICInterrupt
	}{
		// <GIC_SPI 121 IRQ_TYPE_LEVEL_HIGH>: INTID 32+121.
		{"raspi4b.dtb", "/soc/serial@7e201000", GICInterrupt{Type: GICSPI, Number: 121, Trigger: TriggerLevelHigh, INTID: 153}},
		// The mini UART shares the AUX interrupt, SPI 93.
		{"raspi4b.dtb", "/soc/serial@7e215040", GICInterrupt{Type: GICSPI, Number: 93, Trigger: TriggerLevelHigh, INTID: 125}},
		// The GIC's own maintenance interrupt: PPI 9 on all four CPUs.
		{"raspi4b.dtb", "/soc/interrupt-controller@40041000", GICInterrupt{Type: GICPPI, Number: 9, Trigger: TriggerLevelHigh, CPUMask: 0xf, INTID: 25}},
		{"raspi4b.dtb", "/emmc2bus/mmc@7e340000", GICInterrupt{Type: GICSPI, Number: 126, Trigger: TriggerLevelHigh, INTID: 158}},
		{"virt.dtb", "/pl011@9000000", GICInterrupt{Type: GICSPI, Number: 1, Trigger: TriggerLevelHigh, INTID: 33}},
	}
	for _, tt := range tests {
		tree := loadTree(t, tt.dtb)
		n := tree.Lookup(tt.path)
		require.NotNil(t, n, "Lookup(%s)", tt.path)
		irqs, err := tree.Interrupts(n)
		require.NoError(t, err)
		require.NotEmpty(t, irqs, "Interrupts(%s)", tt.path)
		got, err := irqs[0].GIC()
		require.NoError(t, err)
		require.Equal(t, tt.want, got, "Interrupts(%s)[0].GIC() in %s", tt.path, tt.dtb)
	}
}

// The virt timer has four PPIs; the CPU mask sits in bits 15:8 of the flags.
func TestVirtTimerPPIs(t *testing.T) {
	tree := loadTree(t, "virt.dtb")
	timers := tree.FindCompatible("arm,armv8-timer")
	require.Len(t, timers, 1)
	irqs, err := tree.Interrupts(timers[0])
	require.NoError(t, err)
	var ids []uint32
	for _, irq := range irqs {
		g, err := irq.GIC()
		require.NoError(t, err)
		ids = append(ids, g.INTID)
	}
	// Secure, non-secure physical, virtual, hypervisor timers: PPIs 13, 14, 11, 10.
	require.Equal(t, []uint32{29, 30, 27, 26}, ids)
}

// Interrupts of the HDMI block go to the BCM2711 L2 controller, named by an
// interrupt-parent phandle that overrides the root's GIC.
func TestRaspi4bChainedInterruptParent(t *testing.T) {
	tree := loadTree(t, "raspi4b.dtb")
	hdmi := tree.Lookup("/soc/hdmi@7ef00700")
	require.NotNil(t, hdmi)
	irqs, err := tree.Interrupts(hdmi)
	require.NoError(t, err)
	require.Len(t, irqs, 6)
	require.Equal(t, "/soc/interrupt-controller@7ef00100", irqs[0].Controller.Path())
	require.Equal(t, []uint32{0}, irqs[0].Cells)
	_, err = irqs[0].GIC()
	require.Error(t, err, "GIC() of an L2-intc specifier")
}

func TestRaspi4bRemovedAndDisabled(t *testing.T) {
	tree := loadTree(t, "raspi4b.dtb")
	// QEMU overwrote these nodes with FDT_NOP: they must be gone entirely.
	for _, c := range []string{"brcm,bcm2711-pcie", "brcm,bcm2711-rng200", "brcm,bcm2711-thermal", "brcm,bcm2711-genet-v5"} {
		require.Empty(t, tree.FindCompatible(c), "FindCompatible(%q)", c)
	}
	require.Len(t, tree.FindCompatible("arm,pl011"), 1)
	// nvram@0 has status = "disabled".
	nv := tree.Lookup("/reserved-memory/nvram@0")
	require.NotNil(t, nv)
	require.False(t, nv.Enabled(), "Enabled(nvram@0)")
	require.True(t, tree.Lookup("/soc/serial@7e201000").Enabled())
}

func TestRaspi4bReservations(t *testing.T) {
	tree := loadTree(t, "raspi4b.dtb")
	// /memreserve/ 0 0x1000: the spin tables for the secondary cores.
	require.Equal(t, []Region{{0, 0x1000}}, tree.MemReserve)
	rm, err := tree.ReservedMemory()
	require.NoError(t, err)
	require.Len(t, rm, 1, "enabled /reserved-memory children")
	cma := rm[0]
	require.Equal(t, "linux,cma", cma.Node.Name)
	require.True(t, cma.Reusable)
	require.Equal(t, uint64(64<<20), cma.Size)
	require.Equal(t, []Region{{0, 0x40000000}}, cma.AllocRanges)
	got, err := tree.StaticReservations()
	require.NoError(t, err)
	require.Equal(t, []Region{{0, 0x1000}}, got)
}

func TestRaspi4bDMA(t *testing.T) {
	tree := loadTree(t, "raspi4b.dtb")
	tests := []struct {
		path     string
		cpu, bus uint64
	}{
		// /soc dma-ranges: bus 0xc0000000 is CPU physical 0, for 1 GiB.
		{"/soc/serial@7e201000", 0, 0xc0000000},
		{"/soc/serial@7e201000", 0x3bfff000, 0xfbfff000},
		{"/emmc2bus/mmc@7e340000", 0x100000, 0xc0100000},
	}
	for _, tt := range tests {
		m, err := tree.DMA(tree.Lookup(tt.path))
		require.NoError(t, err)
		got, err := m.ToBus(tt.cpu, 0x1000)
		require.NoError(t, err)
		require.Equal(t, tt.bus, got, "DMA(%s).ToBus(%#x)", tt.path, tt.cpu)
		back, err := m.ToCPU(got)
		require.NoError(t, err)
		require.Equal(t, tt.cpu, back, "ToCPU(ToBus(%#x))", tt.cpu)
	}
	m, _ := tree.DMA(tree.Lookup("/soc/serial@7e201000"))
	_, err := m.ToBus(0x40000000, 0x1000)
	require.Error(t, err, "ToBus above the 1 GiB DMA window")
	_, err = m.ToBus(0x3ffff000, 0x2000)
	require.Error(t, err, "ToBus straddling the end of the window")

	virt := loadTree(t, "virt.dtb")
	vm, err := virt.DMA(virt.Lookup("/pl011@9000000"))
	require.NoError(t, err)
	require.True(t, vm.Identity, "virt has no dma-ranges: identity")
}

func TestBoardLookups(t *testing.T) {
	tree := loadTree(t, "raspi4b.dtb")
	require.Equal(t, "/soc/serial@7e215040", tree.StdoutPath().Path())
	require.Equal(t, "/memory@0", tree.Lookup("/memory").Path())
	require.Nil(t, tree.Lookup("/soc/no-such-node"))
	require.Nil(t, tree.Lookup("nosuchalias"))
	gic := tree.ByPhandle(1)
	require.NotNil(t, gic)
	require.True(t, gic.Compatible("arm,gic-400"))
	require.Equal(t, []string{"raspberrypi,4-model-b", "brcm,bcm2711"}, tree.Root.Strings("compatible"))
	model, _ := tree.Root.String("model")
	require.Equal(t, "Raspberry Pi 4 Model B", model)
	require.Equal(t, "/pl011@9000000", loadTree(t, "virt.dtb").StdoutPath().Path())
}

// BenchmarkParseRaspi4b measures parsing the whole raspi4b DTB, as the
// kernel does once at boot.
func BenchmarkParseRaspi4b(b *testing.B) {
	blob := readDTB(b, "raspi4b.dtb")
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, err := Parse(blob); err != nil {
			b.Fatal(err)
		}
	}
}
