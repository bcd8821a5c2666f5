package fdt

import (
	"fmt"
	"slices"
)

// Interrupt is one interrupt specifier of a device: the controller it goes
// to and the controller-specific cells that name it (2.4.1).
type Interrupt struct {
	Controller *Node
	Cells      []uint32
}

// maxInterruptHops bounds the interrupt-parent walk, so a cycle of
// interrupt-parent references in a hostile blob ends in an error.
const maxInterruptHops = 2 * MaxDepth

// InterruptParent returns the controller that n's interrupts go to. As in
// 2.4.1, it follows n's interrupt-parent phandle, or n's tree parent when n
// has none, and repeats from there until it reaches a node with
// #interrupt-cells (the interrupt controller).
func (t *Tree) InterruptParent(n *Node) (*Node, error) {
	cur := n
	for hops := 0; hops < maxInterruptHops; hops++ {
		var next *Node
		if p, ok := cur.prop("interrupt-parent"); ok {
			ph, ok := cur.U32("interrupt-parent")
			if !ok {
				return nil, errorf(p.Offset, "interrupt-parent of %s is %d bytes, want 4", cur.Path(), len(p.Value))
			}
			if next = t.ByPhandle(ph); next == nil {
				return nil, errorf(p.Offset, "interrupt-parent of %s names phandle %#x, which no node has", cur.Path(), ph)
			}
		} else {
			next = cur.Parent
		}
		if next == nil {
			return nil, &Error{-1, fmt.Sprintf("%s has no interrupt parent", n.Path())}
		}
		if next.Has("#interrupt-cells") {
			return next, nil // a controller, or a nexus that Interrupts maps through
		}
		cur = next
	}
	return nil, &Error{-1, fmt.Sprintf("interrupt-parent chain of %s does not end (cycle?)", n.Path())}
}

// interruptCells returns a controller's #interrupt-cells.
func interruptCells(c *Node) (int, error) {
	p, ok := c.prop("#interrupt-cells")
	if !ok {
		return 0, &Error{-1, fmt.Sprintf("%s is used as an interrupt controller but has no #interrupt-cells", c.Path())}
	}
	v, ok := c.U32("#interrupt-cells")
	if !ok || v == 0 || v > 4 {
		return 0, errorf(p.Offset, "#interrupt-cells of %s is not a count from 1 to 4", c.Path())
	}
	return int(v), nil
}

// Interrupts returns n's interrupts. It reads interrupts-extended when
// present (each entry names its own controller by phandle), and otherwise
// splits interrupts into specifiers of the interrupt parent's
// #interrupt-cells.
func (t *Tree) Interrupts(n *Node) ([]Interrupt, error) {
	if cells, ok, err := n.Cells("interrupts-extended"); ok || err != nil {
		if err != nil {
			return nil, err
		}
		p, _ := n.prop("interrupts-extended")
		var out []Interrupt
		for i := 0; i < len(cells); {
			c := t.ByPhandle(cells[i])
			if c == nil {
				return nil, errorf(p.Offset+4*i, "interrupts-extended of %s names phandle %#x, which no node has", n.Path(), cells[i])
			}
			k, err := interruptCells(c)
			if err != nil {
				return nil, err
			}
			if i+1+k > len(cells) {
				return nil, errorf(p.Offset+4*i, "interrupts-extended of %s ends inside a %d-cell specifier", n.Path(), k)
			}
			irq, err := t.throughNexus(n, Interrupt{c, cells[i+1 : i+1+k]})
			if err != nil {
				return nil, err
			}
			out = append(out, irq)
			i += 1 + k
		}
		return out, nil
	}
	cells, ok, err := n.Cells("interrupts")
	if err != nil || !ok {
		return nil, err
	}
	c, err := t.InterruptParent(n)
	if err != nil {
		return nil, err
	}
	k, err := interruptCells(c)
	if err != nil {
		return nil, err
	}
	if len(cells)%k != 0 {
		p, _ := n.prop("interrupts")
		return nil, errorf(p.Offset, "interrupts of %s has %d cells, not a multiple of %s's #interrupt-cells %d",
			n.Path(), len(cells), c.Path(), k)
	}
	var out []Interrupt
	for i := 0; i < len(cells); i += k {
		irq, err := t.throughNexus(n, Interrupt{c, cells[i : i+k]})
		if err != nil {
			return nil, err
		}
		out = append(out, irq)
	}
	return out, nil
}

// throughNexus translates irq of device n while its controller is an
// interrupt nexus. The child unit address is the start of n's reg, as many
// cells as the nexus's #address-cells (zeros if n has no reg).
func (t *Tree) throughNexus(n *Node, irq Interrupt) (Interrupt, error) {
	if !isNexus(irq.Controller) {
		return irq, nil
	}
	nac, err := rawCells(irq.Controller, "#address-cells", 0)
	if err != nil {
		return Interrupt{}, err
	}
	unit := make([]uint32, nac)
	if reg, ok, _ := n.Cells("reg"); ok {
		copy(unit, reg)
	}
	return t.MapInterrupt(irq.Controller, unit, irq.Cells)
}

func isNexus(n *Node) bool { return n.Has("interrupt-map") && !n.Has("interrupt-controller") }

// rawCells reads a cell-count property such as #address-cells, without the
// two-cell limit of AddressCells: interrupt maps also name PCI's three.
func rawCells(n *Node, name string, def int) (int, error) {
	p, ok := n.prop(name)
	if !ok {
		return def, nil
	}
	v, ok := n.U32(name)
	if !ok || v > 4 {
		return 0, errorf(p.Offset, "%s of %s is not a count from 0 to 4", name, n.Path())
	}
	return int(v), nil
}

// MapInterrupt translates an interrupt through an interrupt nexus
// (2.4.3): a node such as a PCI host bridge that routes its children's
// interrupts to controllers with an interrupt-map table. unit is the
// child's unit address and spec its specifier. Each interrupt-map entry is
//
//	child unit address, child specifier, parent phandle, parent unit address, parent specifier
//
// sized by the nexus's #address-cells and #interrupt-cells and the parent's
// #address-cells (0 if absent) and #interrupt-cells. The child's cells,
// ANDed with interrupt-map-mask, select the entry. If the parent is a
// nexus too, the translation repeats.
func (t *Tree) MapInterrupt(nexus *Node, unit, spec []uint32) (Interrupt, error) {
	for hops := 0; hops < maxInterruptHops; hops++ {
		nac, err := rawCells(nexus, "#address-cells", 0)
		if err != nil {
			return Interrupt{}, err
		}
		nic, err := interruptCells(nexus)
		if err != nil {
			return Interrupt{}, err
		}
		if len(unit) != nac || len(spec) != nic {
			return Interrupt{}, &Error{-1, fmt.Sprintf("%s maps %d+%d cells, got %d+%d", nexus.Path(), nac, nic, len(unit), len(spec))}
		}
		key := append(append([]uint32(nil), unit...), spec...)
		if mask, ok, err := nexus.Cells("interrupt-map-mask"); err != nil {
			return Interrupt{}, err
		} else if ok {
			if len(mask) != len(key) {
				p, _ := nexus.prop("interrupt-map-mask")
				return Interrupt{}, errorf(p.Offset, "interrupt-map-mask of %s has %d cells, want %d", nexus.Path(), len(mask), len(key))
			}
			for i := range key {
				key[i] &= mask[i]
			}
		}
		table, _, err := nexus.Cells("interrupt-map")
		if err != nil {
			return Interrupt{}, err
		}
		p, _ := nexus.prop("interrupt-map")
		var found *Interrupt
		var parentUnit []uint32
		for i := 0; i < len(table); {
			end := i + len(key) + 1 // through the phandle
			if end > len(table) {
				return Interrupt{}, errorf(p.Offset+4*i, "interrupt-map of %s ends inside an entry", nexus.Path())
			}
			parent := t.ByPhandle(table[end-1])
			if parent == nil {
				return Interrupt{}, errorf(p.Offset+4*(end-1), "interrupt-map of %s names phandle %#x, which no node has", nexus.Path(), table[end-1])
			}
			pac, err := rawCells(parent, "#address-cells", 0)
			if err != nil {
				return Interrupt{}, err
			}
			pic, err := interruptCells(parent)
			if err != nil {
				return Interrupt{}, err
			}
			if end+pac+pic > len(table) {
				return Interrupt{}, errorf(p.Offset+4*i, "interrupt-map of %s ends inside an entry", nexus.Path())
			}
			if found == nil && slices.Equal(table[i:i+len(key)], key) {
				found = &Interrupt{parent, table[end+pac : end+pac+pic]}
				parentUnit = table[end : end+pac]
			}
			i = end + pac + pic
		}
		if found == nil {
			return Interrupt{}, &Error{-1, fmt.Sprintf("no interrupt-map entry of %s matches %v", nexus.Path(), key)}
		}
		if !isNexus(found.Controller) {
			return *found, nil
		}
		nexus, unit, spec = found.Controller, parentUnit, found.Cells
	}
	return Interrupt{}, &Error{-1, fmt.Sprintf("interrupt-map chain from %s does not end", nexus.Path())}
}

// GIC interrupt types, the first cell of a GIC specifier
// (Linux Documentation/devicetree/bindings/interrupt-controller/arm,gic.yaml).
const (
	GICSPI = 0 // shared peripheral interrupt: INTID = 32 + number
	GICPPI = 1 // private peripheral interrupt: INTID = 16 + number
)

// GIC trigger types, the low bits of the third cell.
const (
	TriggerEdgeRising  = 1
	TriggerEdgeFalling = 2
	TriggerLevelHigh   = 4
	TriggerLevelLow    = 8
)

// GICInterrupt is a decoded GIC interrupt specifier.
type GICInterrupt struct {
	Type    uint32 // GICSPI or GICPPI
	Number  uint32 // SPI or PPI number as the binding writes it
	Trigger uint32 // Trigger* value (flags bits 3:0)
	CPUMask uint32 // for PPIs, the CPUs it is wired to (flags bits 15:8)
	INTID   uint32 // the interrupt ID the GIC distributor and GICC_IAR use
}

// gicCompatibles are the controllers whose specifiers GIC decodes: the
// BCM2711's GIC-400, QEMU virt's GICv2 and GICv3.
var gicCompatibles = []string{"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,gic-v3"}

// GIC decodes a specifier of an ARM GIC: type, number and flags cells, and
// the INTID they denote (GIC architecture specification, "INTIDs": SGIs are
// 0-15, PPIs 16-31, SPIs 32-1019). The PL011 on the BCM2711 has
// <GIC_SPI 121 IRQ_TYPE_LEVEL_HIGH>, which is INTID 153.
func (i Interrupt) GIC() (GICInterrupt, error) {
	isGIC := false
	for _, c := range gicCompatibles {
		isGIC = isGIC || i.Controller.Compatible(c)
	}
	if !isGIC {
		return GICInterrupt{}, &Error{-1, fmt.Sprintf("%s is not a GIC", i.Controller.Path())}
	}
	if len(i.Cells) < 3 {
		return GICInterrupt{}, &Error{-1, fmt.Sprintf("GIC specifier has %d cells, want at least 3", len(i.Cells))}
	}
	g := GICInterrupt{Type: i.Cells[0], Number: i.Cells[1], Trigger: i.Cells[2] & 0xf, CPUMask: i.Cells[2] >> 8 & 0xff}
	switch {
	case g.Type == GICSPI && g.Number < 988:
		g.INTID = 32 + g.Number
	case g.Type == GICPPI && g.Number < 16:
		g.INTID = 16 + g.Number
	default:
		return GICInterrupt{}, &Error{-1, fmt.Sprintf("GIC specifier <%d %d %#x> is not a valid SPI or PPI", g.Type, g.Number, i.Cells[2])}
	}
	return g, nil
}
