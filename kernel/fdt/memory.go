package fdt

import "fmt"

// Memory returns the RAM banks: the reg of every enabled node whose
// device_type is "memory" (3.4), as CPU physical addresses.
func (t *Tree) Memory() ([]Region, error) {
	var out []Region
	for _, n := range t.Root.Children {
		if dt, _ := n.String("device_type"); dt != "memory" || !n.Enabled() {
			continue
		}
		regs, err := t.RegCPU(n)
		if err != nil {
			return nil, err
		}
		for _, r := range regs {
			if r.Size > 0 {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// ReservedMemory is one child of /reserved-memory (3.5). A static
// reservation has Regions; a dynamic one (such as the Pi's linux,cma pool)
// has only a Size, to be placed by the OS inside AllocRanges.
type ReservedMemory struct {
	Node        *Node
	Regions     []Region // CPU physical, for static reservations
	Size        uint64   // for dynamic reservations
	Alignment   uint64   // for dynamic reservations, 0 if unconstrained
	AllocRanges []Region // for dynamic reservations, where it may go
	NoMap       bool     // the OS must not map it at all (not even the direct map)
	Reusable    bool     // the OS may use it until its owner claims it
}

// ReservedMemory returns the enabled children of /reserved-memory.
func (t *Tree) ReservedMemory() ([]ReservedMemory, error) {
	rm := t.Root.Child("reserved-memory")
	if rm == nil {
		return nil, nil
	}
	var out []ReservedMemory
	for _, n := range rm.Children {
		if !n.Enabled() {
			continue
		}
		r := ReservedMemory{Node: n, NoMap: n.Has("no-map"), Reusable: n.Has("reusable")}
		var err error
		if r.Regions, err = t.RegCPU(n); err != nil {
			return nil, err
		}
		ac, err := rm.AddressCells()
		if err != nil {
			return nil, err
		}
		sc, err := rm.SizeCells()
		if err != nil {
			return nil, err
		}
		if r.Size, err = cellsValue(n, "size", sc); err != nil {
			return nil, err
		}
		if r.Alignment, err = cellsValue(n, "alignment", sc); err != nil {
			return nil, err
		}
		if cells, ok, err := n.Cells("alloc-ranges"); err != nil {
			return nil, err
		} else if ok {
			if len(cells)%(ac+sc) != 0 {
				p, _ := n.prop("alloc-ranges")
				return nil, errorf(p.Offset, "alloc-ranges of %s is not a list of %d+%d-cell entries", n.Path(), ac, sc)
			}
			for i := 0; i < len(cells); i += ac + sc {
				r.AllocRanges = append(r.AllocRanges, Region{readCells(cells[i:], ac), readCells(cells[i+ac:], sc)})
			}
		}
		if len(r.Regions) == 0 && r.Size == 0 {
			return nil, &Error{n.Offset, fmt.Sprintf("reserved-memory node %s has neither reg nor size", n.Path())}
		}
		out = append(out, r)
	}
	return out, nil
}

// cellsValue reads a property of exactly count cells as one number; a
// missing property is 0.
func cellsValue(n *Node, name string, count int) (uint64, error) {
	cells, ok, err := n.Cells(name)
	if err != nil || !ok {
		return 0, err
	}
	if len(cells) != count {
		p, _ := n.prop(name)
		return 0, errorf(p.Offset, "%s of %s has %d cells, want %d", name, n.Path(), len(cells), count)
	}
	return readCells(cells, count), nil
}

// StaticReservations returns every range the kernel must keep out of its
// page allocator: the /memreserve/ entries plus the static /reserved-memory
// regions. Dynamic reservations are left to the caller, which decides
// whether to honour them.
func (t *Tree) StaticReservations() ([]Region, error) {
	out := append([]Region(nil), t.MemReserve...)
	rm, err := t.ReservedMemory()
	if err != nil {
		return nil, err
	}
	for _, r := range rm {
		for _, reg := range r.Regions {
			if reg.Size > 0 {
				out = append(out, reg)
			}
		}
	}
	return out, nil
}
