package fdt

import "fmt"

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
			if next.Has("interrupt-map") && !next.Has("interrupt-controller") {
				return nil, &Error{-1, fmt.Sprintf("interrupts of %s go through the interrupt nexus %s; interrupt-map is not supported", n.Path(), next.Path())}
			}
			return next, nil
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
			out = append(out, Interrupt{c, cells[i+1 : i+1+k]})
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
		out = append(out, Interrupt{c, cells[i : i+k]})
	}
	return out, nil
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
