package fdt

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// busTree has two nested buses. /a translates 0x0 -> 0x1_0000_0000 (2-cell
// parent), /a/b translates 0x100 -> 0x8000 with a DMA offset, and /c has no
// ranges at all.
func busTree() *Tree {
	root := node("", []tprop{p("#address-cells", cells(2)), p("#size-cells", cells(1)), p("interrupt-parent", cells(1))},
		node("gic@0", []tprop{p("phandle", cells(1)), p("interrupt-controller", nil), p("#interrupt-cells", cells(3)),
			p("compatible", str("arm,gic-400")), p("reg", cells(0, 0, 0x1000))}),
		node("a", []tprop{p("#address-cells", cells(1)), p("#size-cells", cells(1)),
			p("ranges", cells(0, 1, 0, 0x10000)), p("dma-ranges", cells(0x80000000, 0, 0, 0x40000000))},
			node("b", []tprop{p("#address-cells", cells(1)), p("#size-cells", cells(1)),
				p("ranges", cells(0x100, 0x8000, 0x100)), p("dma-ranges", cells(0, 0x80000000, 0x10000000))},
				node("dev@100", []tprop{p("reg", cells(0x100, 0x10, 0x1f0, 0x10)), p("interrupts", cells(0, 5, 4))}),
				node("big@100", []tprop{p("reg", cells(0x100, 0x200))}),
			),
			node("ext", []tprop{p("interrupts-extended", cells(1, 1, 3, 0x304, 2, 7)), p("interrupt-parent", cells(99))}),
			node("l2@9", []tprop{p("phandle", cells(2)), p("interrupt-controller", nil), p("#interrupt-cells", cells(1))}),
		),
		node("c", []tprop{p("#address-cells", cells(1)), p("#size-cells", cells(1))},
			node("hidden@0", []tprop{p("reg", cells(0, 4))})),
		node("loop", []tprop{p("interrupt-parent", cells(3)), p("phandle", cells(3)), p("interrupts", cells(1))}),
		node("dangling", []tprop{p("interrupt-parent", cells(42)), p("interrupts", cells(1))}),
		node("badreg", []tprop{p("reg", cells(1, 2))}),
		node("pci", []tprop{p("#address-cells", cells(1)), p("#size-cells", cells(1)), p("#interrupt-cells", cells(1)),
			p("interrupt-map-mask", cells(0xf00, 7)), p("interrupt-map", cells(0x100, 1, 1, 0, 5, 4, 0x200, 1, 2, 9))},
			node("dev@100", []tprop{p("reg", cells(0x1ff, 0x10)), p("interrupts", cells(1))}),
			node("dev@200", []tprop{p("reg", cells(0x200, 0x10)), p("interrupts", cells(9))}),
		),
		node("wide", []tprop{p("#address-cells", cells(3))}, node("x@0", []tprop{p("reg", cells(0, 0, 0, 1))})),
	)
	t, err := Parse(buildDTB(root))
	if err != nil {
		panic(err)
	}
	return t
}

func TestTranslate(t *testing.T) {
	tree := busTree()
	tests := []struct {
		path    string
		want    []Region
		wantErr string
	}{
		// 0x100 -> 0x8000 on /a/b, then 0x8000 -> 0x1_0000_8000 on /a.
		{"/a/b/dev@100", []Region{{0x100008000, 0x10}, {0x1000080f0, 0x10}}, ""},
		{"/a/b/big@100", nil, "outside every ranges entry"}, // runs past the 0x100-byte window
		{"/c/hidden@0", nil, "has no ranges"},
		{"/badreg", nil, "not a multiple"},
		{"/wide/x@0", nil, "at most 2 cells"},
		{"/gic@0", []Region{{0, 0x1000}}, ""},
	}
	for _, tt := range tests {
		got, err := tree.RegCPU(tree.Lookup(tt.path))
		if tt.wantErr != "" {
			require.ErrorContains(t, err, tt.wantErr, "RegCPU(%s)", tt.path)
			continue
		}
		require.NoError(t, err, "RegCPU(%s)", tt.path)
		require.Equal(t, tt.want, got, "RegCPU(%s)", tt.path)
	}
}

// Two levels of dma-ranges compose: a device below /a/b at bus address 0
// reaches /a's 0x80000000, which /a maps to CPU physical 0.
func TestDMAComposes(t *testing.T) {
	tree := busTree()
	m, err := tree.DMA(tree.Lookup("/a/b/dev@100"))
	require.NoError(t, err)
	require.Equal(t, []DMARange{{Bus: 0, CPU: 0, Size: 0x10000000}}, m.Windows)
	m, err = tree.DMA(tree.Lookup("/a/ext"))
	require.NoError(t, err)
	got, err := m.ToBus(0x1000, 0x1000)
	require.NoError(t, err)
	require.Equal(t, uint64(0x80001000), got, "DMA(/a/ext).ToBus(0x1000)")
}

func TestInterruptResolution(t *testing.T) {
	tree := busTree()
	irqs, err := tree.Interrupts(tree.Lookup("/a/b/dev@100"))
	require.NoError(t, err)
	require.Len(t, irqs, 1)
	require.Equal(t, "/gic@0", irqs[0].Controller.Path(), "inherited from the root's interrupt-parent")
	g, err := irqs[0].GIC()
	require.NoError(t, err)
	require.Equal(t, uint32(37), g.INTID)

	// interrupts-extended wins over interrupt-parent, and each entry names
	// its own controller with its own cell count.
	irqs, err = tree.Interrupts(tree.Lookup("/a/ext"))
	require.NoError(t, err)
	require.Len(t, irqs, 2)
	require.Equal(t, []uint32{1, 3, 0x304}, irqs[0].Cells)
	require.Equal(t, "/a/l2@9", irqs[1].Controller.Path())
	require.Equal(t, []uint32{7}, irqs[1].Cells)
	g, err = irqs[0].GIC()
	require.NoError(t, err)
	require.Equal(t, GICInterrupt{Type: GICPPI, Number: 3, Trigger: TriggerLevelHigh, CPUMask: 3, INTID: 19}, g)

	for path, want := range map[string]string{"/loop": "does not end", "/dangling": "no node has"} {
		_, err := tree.Interrupts(tree.Lookup(path))
		require.ErrorContains(t, err, want, "Interrupts(%s)", path)
	}
}

func TestGICRejectsBadSpecifiers(t *testing.T) {
	gic := busTree().Lookup("/gic@0")
	for _, c := range [][]uint32{{0, 988, 4}, {1, 16, 4}, {2, 0, 4}, {0, 1}} {
		_, err := Interrupt{gic, c}.GIC()
		require.Error(t, err, "GIC(%v)", c)
	}
}

func TestNodeAccessors(t *testing.T) {
	tree := busTree()
	dev := tree.Lookup("/a/b/dev@100")
	require.Equal(t, "dev", dev.BaseName())
	require.Equal(t, "/a/b/dev@100", dev.Path())
	require.Equal(t, dev, tree.Lookup("/a/b/dev@100"))
	require.Equal(t, dev, tree.Lookup("/a/b/dev"), "Lookup without the unit address")
	_, ok := dev.U32("reg")
	require.False(t, ok, "U32 of a 4-cell reg")
	require.Equal(t, uint32(1), tree.Lookup("/gic@0").Phandle())
	require.True(t, tree.Lookup("/gic@0").Has("interrupt-controller"))
}

// Interrupts of devices below an interrupt nexus go through its
// interrupt-map, keyed by the masked unit address and specifier.
func TestInterruptMapSynthetic(t *testing.T) {
	tree := busTree()
	tests := []struct {
		path       string
		controller string
		cells      []uint32
	}{
		{"/pci/dev@100", "/gic@0", []uint32{0, 5, 4}}, // reg 0x1ff & 0xf00 = 0x100
		{"/pci/dev@200", "/a/l2@9", []uint32{9}},      // 9 & 7 = 1
	}
	for _, tt := range tests {
		irqs, err := tree.Interrupts(tree.Lookup(tt.path))
		require.NoError(t, err, "Interrupts(%s)", tt.path)
		require.Len(t, irqs, 1)
		require.Equal(t, tt.controller, irqs[0].Controller.Path(), "Interrupts(%s) controller", tt.path)
		require.Equal(t, tt.cells, irqs[0].Cells, "Interrupts(%s) cells", tt.path)
	}
	_, err := tree.MapInterrupt(tree.Lookup("/pci"), []uint32{0x300}, []uint32{1})
	require.ErrorContains(t, err, "no interrupt-map entry")
}

// QEMU virt's PCIe host bridge swizzles INTA-INTD of each slot onto SPIs
// 3-6: slot 1 (device number 1, unit address 0x800) INTA is SPI 4.
func TestInterruptMapVirtPCIe(t *testing.T) {
	tree := loadTree(t, "virt.dtb")
	pcie := tree.Lookup("/pcie@10000000")
	require.NotNil(t, pcie)
	tests := []struct {
		unit  uint32 // phys.hi: device number in bits 15:11
		pin   uint32 // 1 = INTA ... 4 = INTD
		intid uint32
	}{
		{0x0000, 1, 32 + 3}, {0x0000, 4, 32 + 6}, {0x0800, 1, 32 + 4}, {0x1000, 3, 32 + 3},
		{0x1800, 2, 32 + 3}, {0x2000, 1, 32 + 3}, // slot 4 wraps to slot 0 (mask 0x1800)
		{0x08ff, 1, 32 + 4}, // function and register bits are masked off
	}
	for _, tt := range tests {
		irq, err := tree.MapInterrupt(pcie, []uint32{tt.unit, 0, 0}, []uint32{tt.pin})
		require.NoError(t, err)
		g, err := irq.GIC()
		require.NoError(t, err)
		require.Equal(t, tt.intid, g.INTID, "MapInterrupt(pcie, %#x, INT%c).INTID", tt.unit, 'A'-1+rune(tt.pin))
	}
}
