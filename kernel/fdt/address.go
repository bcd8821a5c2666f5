package fdt

import "fmt"

// Default cell counts when a node does not say (2.3.5): a client "should
// assume" 2 address cells and 1 size cell.
const (
	defaultAddressCells = 2
	defaultSizeCells    = 1
)

// AddressCells returns n's #address-cells: how many 32-bit cells an address
// takes in the reg and ranges of n's children. Addresses wider than two
// cells (PCI's three) are refused, since this parser keeps addresses in a
// uint64.
func (n *Node) AddressCells() (int, error) {
	return n.cellCount("#address-cells", defaultAddressCells)
}

// SizeCells returns n's #size-cells, as AddressCells does for addresses.
func (n *Node) SizeCells() (int, error) {
	return n.cellCount("#size-cells", defaultSizeCells)
}

func (n *Node) cellCount(name string, def int) (int, error) {
	p, ok := n.prop(name)
	if !ok {
		return def, nil
	}
	v, ok := n.U32(name)
	if !ok {
		return 0, errorf(p.Offset, "%s of %s is %d bytes, want 4", name, n.Path(), len(p.Value))
	}
	if v > 2 {
		return 0, errorf(p.Offset, "%s of %s is %d; at most 2 cells are supported", name, n.Path(), v)
	}
	return int(v), nil
}

// readCells decodes a number made of count big-endian cells (count <= 2).
func readCells(c []uint32, count int) uint64 {
	var v uint64
	for _, x := range c[:count] {
		v = v<<32 | uint64(x)
	}
	return v
}

// Reg returns n's reg entries as addresses in its parent's bus address space
// (2.3.6), without translation. The parent's #address-cells and
// #size-cells give each entry's shape.
func (n *Node) Reg() ([]Region, error) {
	if n.Parent == nil {
		return nil, &Error{-1, "the root node has no reg"}
	}
	ac, err := n.Parent.AddressCells()
	if err != nil {
		return nil, err
	}
	sc, err := n.Parent.SizeCells()
	if err != nil {
		return nil, err
	}
	cells, ok, err := n.Cells("reg")
	if err != nil || !ok {
		return nil, err
	}
	p, _ := n.prop("reg")
	entry := ac + sc
	if entry == 0 || len(cells)%entry != 0 {
		return nil, errorf(p.Offset, "reg of %s has %d cells, not a multiple of %d address + %d size cells",
			n.Path(), len(cells), ac, sc)
	}
	var out []Region
	for i := 0; i < len(cells); i += entry {
		r := Region{readCells(cells[i:], ac), readCells(cells[i+ac:], sc)}
		if r.Address+r.Size < r.Address {
			return nil, errorf(p.Offset+4*i, "reg entry %d of %s wraps around", i/entry, n.Path())
		}
		out = append(out, r)
	}
	return out, nil
}

// RegCPU returns n's reg entries translated through the ranges of every
// ancestor bus into CPU physical addresses: the addresses the kernel maps.
// On the BCM2711 the PL011's reg 0x7e201000 (a VideoCore bus address) comes
// out as 0xfe201000.
func (t *Tree) RegCPU(n *Node) ([]Region, error) {
	regs, err := n.Reg()
	if err != nil {
		return nil, err
	}
	for i, r := range regs {
		a, err := t.Translate(n.Parent, r.Address, r.Size)
		if err != nil {
			return nil, err
		}
		regs[i].Address = a
	}
	return regs, nil
}

// rangeEntry is one (child, parent, size) triple of a ranges or dma-ranges
// property: child addresses [Child, Child+Size) map to [Parent, ...).
type rangeEntry struct {
	Child, Parent, Size uint64
}

// parseRanges decodes bus's ranges or dma-ranges. identity is true for an
// empty property (the two address spaces are the same); present is false
// when the property is missing.
func parseRanges(bus *Node, name string) (entries []rangeEntry, identity, present bool, err error) {
	p, ok := bus.prop(name)
	if !ok {
		return nil, false, false, nil
	}
	if len(p.Value) == 0 {
		return nil, true, true, nil
	}
	cac, err := bus.AddressCells()
	if err != nil {
		return nil, false, true, err
	}
	csc, err := bus.SizeCells()
	if err != nil {
		return nil, false, true, err
	}
	pac := defaultAddressCells
	if bus.Parent != nil {
		if pac, err = bus.Parent.AddressCells(); err != nil {
			return nil, false, true, err
		}
	}
	cells, _, err := bus.Cells(name)
	if err != nil {
		return nil, false, true, err
	}
	entry := cac + pac + csc
	if entry == 0 || len(cells)%entry != 0 {
		return nil, false, true, errorf(p.Offset, "%s of %s has %d cells, not a multiple of %d+%d+%d",
			name, bus.Path(), len(cells), cac, pac, csc)
	}
	for i := 0; i < len(cells); i += entry {
		e := rangeEntry{readCells(cells[i:], cac), readCells(cells[i+cac:], pac), readCells(cells[i+cac+pac:], csc)}
		if e.Child+e.Size < e.Child || e.Parent+e.Size < e.Parent {
			return nil, false, true, errorf(p.Offset+4*i, "%s entry %d of %s wraps around", name, i/entry, bus.Path())
		}
		entries = append(entries, e)
	}
	return entries, false, true, nil
}

// Translate maps [addr, addr+size) in the child address space of bus up to a
// CPU physical address, one bus at a time (2.3.8): at each level it finds the
// ranges entry that contains the whole region and rebases the address into
// the parent's space. A bus without ranges does not map its children into
// its parent at all, so their addresses are not reachable by the CPU.
func (t *Tree) Translate(bus *Node, addr, size uint64) (uint64, error) {
	for ; bus != nil && bus.Parent != nil; bus = bus.Parent {
		entries, identity, present, err := parseRanges(bus, "ranges")
		switch {
		case err != nil:
			return 0, err
		case !present:
			return 0, &Error{-1, fmt.Sprintf("%s has no ranges, so address %#x below it is not visible to the CPU", bus.Path(), addr)}
		case identity:
			continue
		}
		found := false
		for _, e := range entries {
			// off < Size puts the start inside the entry; size <= Size-off
			// keeps the end inside too, without overflowing.
			if off := addr - e.Child; addr >= e.Child && off < e.Size && size <= e.Size-off {
				addr = e.Parent + off
				found = true
				break
			}
		}
		if !found {
			return 0, &Error{-1, fmt.Sprintf("[%#x, +%#x) is outside every ranges entry of %s", addr, size, bus.Path())}
		}
	}
	return addr, nil
}

// DMARange says that device (bus) addresses [Bus, Bus+Size) reach CPU
// physical addresses [CPU, CPU+Size).
type DMARange struct {
	Bus, CPU, Size uint64
}

// DMAMap is how a device's DMA addresses relate to CPU physical ones.
// Identity means they are equal everywhere; otherwise only the Windows are
// reachable by the device.
type DMAMap struct {
	Identity bool
	Windows  []DMARange
}

// ToBus converts the CPU physical range [cpu, cpu+size) to the address the
// device must be given, failing when the device cannot reach all of it.
func (m DMAMap) ToBus(cpu, size uint64) (uint64, error) {
	if m.Identity {
		return cpu, nil
	}
	for _, w := range m.Windows {
		if cpu >= w.CPU && cpu-w.CPU < w.Size && size <= w.Size-(cpu-w.CPU) {
			return w.Bus + (cpu - w.CPU), nil
		}
	}
	return 0, &Error{-1, fmt.Sprintf("CPU range [%#x, +%#x) is outside every dma-ranges window", cpu, size)}
}

// ToCPU converts a bus address back to a CPU physical address.
func (m DMAMap) ToCPU(bus uint64) (uint64, error) {
	if m.Identity {
		return bus, nil
	}
	for _, w := range m.Windows {
		if bus >= w.Bus && bus-w.Bus < w.Size {
			return w.CPU + (bus - w.Bus), nil
		}
	}
	return 0, &Error{-1, fmt.Sprintf("bus address %#x is outside every dma-ranges window", bus)}
}

// DMA returns the DMA map of device n: the dma-ranges of each ancestor bus
// (2.3.9), composed from n's parent up to the root. On the BCM2711, /soc's
// dma-ranges put CPU physical 0 at bus address 0xc0000000, which is what a
// DMA engine below /soc must be given.
//
// A missing dma-ranges is treated like an empty one (identity), as Linux
// does; the specification leaves that case open.
func (t *Tree) DMA(n *Node) (DMAMap, error) { return t.DMABelow(n.Parent) }

// DMABelow returns the DMA map of any device directly below bus.
func (t *Tree) DMABelow(bus *Node) (DMAMap, error) {
	m := DMAMap{Identity: true}
	for ; bus != nil && bus.Parent != nil; bus = bus.Parent {
		entries, identity, present, err := parseRanges(bus, "dma-ranges")
		if err != nil {
			return DMAMap{}, err
		}
		if !present || identity {
			continue
		}
		if m.Identity {
			// First translating bus: its entries are the windows.
			m.Identity = false
			for _, e := range entries {
				m.Windows = append(m.Windows, DMARange{Bus: e.Child, CPU: e.Parent, Size: e.Size})
			}
			continue
		}
		// A further bus: push each window's CPU side through this bus,
		// keeping only the parts some entry covers.
		var next []DMARange
		for _, w := range m.Windows {
			for _, e := range entries {
				lo, hi := max(w.CPU, e.Child), min(w.CPU+w.Size, e.Child+e.Size)
				if lo >= hi {
					continue
				}
				next = append(next, DMARange{Bus: w.Bus + (lo - w.CPU), CPU: e.Parent + (lo - e.Child), Size: hi - lo})
			}
		}
		m.Windows = next
	}
	return m, nil
}
