package fdt

import (
	"encoding/binary"
)

// This file builds small DTBs for tests, so each test states the tree it
// needs. It writes the version 17 layout of the specification's chapter 5:
// header, memory reservation block, structure block, strings block.

// tnode is a node to build: its name, properties in order, and children.
type tnode struct {
	name  string
	props []tprop
	kids  []*tnode
}

type tprop struct {
	name  string
	value []byte
}

// cells encodes uint32 cells big-endian, as a property value.
func cells(c ...uint32) []byte {
	b := make([]byte, 4*len(c))
	for i, v := range c {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
	return b
}

// str encodes a string (or a stringlist) property value.
func str(s ...string) []byte {
	var b []byte
	for _, x := range s {
		b = append(b, x...)
		b = append(b, 0)
	}
	return b
}

func node(name string, props []tprop, kids ...*tnode) *tnode {
	return &tnode{name: name, props: props, kids: kids}
}

// buildDTB serializes root and the /memreserve/ entries into a blob.
func buildDTB(root *tnode, rsv ...Region) []byte {
	var strs []byte
	nameOff := map[string]uint32{}
	var st []byte
	u32 := func(v uint32) { st = binary.BigEndian.AppendUint32(st, v) }
	pad := func() {
		for len(st)%4 != 0 {
			st = append(st, 0)
		}
	}
	var emit func(n *tnode)
	emit = func(n *tnode) {
		u32(tokenBeginNode)
		st = append(st, n.name...)
		st = append(st, 0)
		pad()
		for _, p := range n.props {
			off, ok := nameOff[p.name]
			if !ok {
				off = uint32(len(strs))
				nameOff[p.name] = off
				strs = append(append(strs, p.name...), 0)
			}
			u32(tokenProp)
			u32(uint32(len(p.value)))
			u32(off)
			st = append(st, p.value...)
			pad()
		}
		for _, k := range n.kids {
			emit(k)
		}
		u32(tokenEndNode)
	}
	emit(root)
	u32(tokenEnd)

	rsvOff := uint32(headerSize)
	rsvLen := uint32(16 * (len(rsv) + 1))
	structOff := rsvOff + rsvLen
	stringsOff := structOff + uint32(len(st))
	total := stringsOff + uint32(len(strs))

	b := make([]byte, headerSize, total)
	be := binary.BigEndian
	for i, v := range []uint32{Magic, total, structOff, stringsOff, rsvOff, 17, 16, 0, uint32(len(strs)), uint32(len(st))} {
		be.PutUint32(b[4*i:], v)
	}
	for _, r := range rsv {
		b = be.AppendUint64(b, r.Address)
		b = be.AppendUint64(b, r.Size)
	}
	b = append(b, make([]byte, 16)...)
	b = append(b, st...)
	b = append(b, strs...)
	return b
}

// p is shorthand for a property.
func p(name string, value []byte) tprop { return tprop{name, value} }
