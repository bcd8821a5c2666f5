package fdt

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Node is one node of the tree.
type Node struct {
	Name     string // node-name@unit-address, "" for the root
	Parent   *Node  // nil for the root
	Children []*Node
	Props    []Property // in blob order
	Offset   int        // blob offset of the node's FDT_BEGIN_NODE token
}

// Property is one property of a node. Value is the raw big-endian bytes.
type Property struct {
	Name   string
	Value  []byte
	Offset int // blob offset of the value, for error messages
}

// Path returns the node's full path, such as "/soc/serial@7e201000".
func (n *Node) Path() string {
	if n.Parent == nil {
		return "/"
	}
	if n.Parent.Parent == nil {
		return "/" + n.Name
	}
	return n.Parent.Path() + "/" + n.Name
}

// BaseName returns the name without the unit address: "serial" for
// "serial@7e201000".
func (n *Node) BaseName() string {
	name, _, _ := strings.Cut(n.Name, "@")
	return name
}

// Child returns the direct child with the given name. A name without a unit
// address also matches a child that has one, if it is the only such child.
func (n *Node) Child(name string) *Node {
	var match *Node
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
		if !strings.Contains(name, "@") && c.BaseName() == name {
			if match != nil {
				return nil // ambiguous
			}
			match = c
		}
	}
	return match
}

func (n *Node) prop(name string) (Property, bool) {
	for _, p := range n.Props {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}

// Prop returns the property with the given name.
func (n *Node) Prop(name string) (Property, bool) { return n.prop(name) }

// Has reports whether the node has the property (empty properties such as
// "interrupt-controller" carry meaning by being there).
func (n *Node) Has(name string) bool {
	_, ok := n.prop(name)
	return ok
}

// String returns a string property (a NUL-terminated string, 2.2.4.1).
func (n *Node) String(name string) (string, bool) {
	p, ok := n.prop(name)
	if !ok || len(p.Value) == 0 || p.Value[len(p.Value)-1] != 0 {
		return "", false
	}
	s := p.Value[:len(p.Value)-1]
	if bytes.IndexByte(s, 0) >= 0 {
		s = s[:bytes.IndexByte(s, 0)] // a stringlist: return the first
	}
	return string(s), true
}

// Strings returns a stringlist property, such as compatible.
func (n *Node) Strings(name string) []string {
	p, ok := n.prop(name)
	if !ok || len(p.Value) == 0 || p.Value[len(p.Value)-1] != 0 {
		return nil
	}
	return strings.Split(string(p.Value[:len(p.Value)-1]), "\x00")
}

// U32 returns a property holding one big-endian uint32 cell.
func (n *Node) U32(name string) (uint32, bool) {
	p, ok := n.prop(name)
	if !ok || len(p.Value) != 4 {
		return 0, false
	}
	return binary.BigEndian.Uint32(p.Value), true
}

// Cells returns a property as a list of uint32 cells. It fails when the
// value is not a whole number of cells.
func (n *Node) Cells(name string) ([]uint32, bool, error) {
	p, ok := n.prop(name)
	if !ok {
		return nil, false, nil
	}
	if len(p.Value)%4 != 0 {
		return nil, true, errorf(p.Offset, "%s of %s is %d bytes, not a whole number of cells", name, n.Path(), len(p.Value))
	}
	c := make([]uint32, len(p.Value)/4)
	for i := range c {
		c[i] = binary.BigEndian.Uint32(p.Value[4*i:])
	}
	return c, true, nil
}

// Compatible reports whether one of the node's compatible strings is c.
func (n *Node) Compatible(c string) bool {
	for _, s := range n.Strings("compatible") {
		if s == c {
			return true
		}
	}
	return false
}

// Enabled reports whether the node is usable: its status is absent, "okay"
// or the legacy "ok" (2.3.4). QEMU and firmware switch devices off with
// status = "disabled".
func (n *Node) Enabled() bool {
	s, ok := n.String("status")
	return !ok || s == "okay" || s == "ok"
}

// Phandle returns the node's phandle, or 0 when it has none.
func (n *Node) Phandle() uint32 {
	if ph, ok := n.U32("phandle"); ok {
		return ph
	}
	ph, _ := n.U32("linux,phandle")
	return ph
}

// Walk calls fn for n and every node below it, parents before children.
func (n *Node) Walk(fn func(*Node)) {
	fn(n)
	for _, c := range n.Children {
		c.Walk(fn)
	}
}
