package fdt

import (
	"bytes"
	"encoding/binary"
)

// Structure block tokens (5.4.1). Each is a big-endian uint32 on a 4-byte
// boundary.
const (
	tokenBeginNode = 0x1 // followed by the NUL-terminated node name, padded to 4
	tokenEndNode   = 0x2
	tokenProp      = 0x3 // followed by len, nameoff, then len bytes of value, padded to 4
	tokenNop       = 0x4 // ignored; QEMU overwrites removed nodes with it
	tokenEnd       = 0x9 // end of the structure block
)

// MaxDepth bounds how deeply nodes may nest. Real trees are under ten levels
// deep; the bound stops a hostile blob from building a tree that recursive
// walkers would overflow the stack on.
const MaxDepth = 64

// Tree is a parsed device tree.
type Tree struct {
	Header     Header
	MemReserve []Region // the /memreserve/ entries, in blob order
	Root       *Node

	phandles map[uint32]*Node
}

// Parse checks blob and builds its Tree. Only the first totalsize bytes are
// read, and they are copied, so the caller may reuse blob afterwards (the
// kernel gives the firmware's copy back to the page allocator).
//
// A malformed or truncated blob returns an *Error with the offset and the
// reason; Parse never panics.
func Parse(blob []byte) (*Tree, error) {
	h, err := parseHeader(blob)
	if err != nil {
		return nil, err
	}
	blob = bytes.Clone(blob[:h.TotalSize])
	rsv, err := parseMemReserve(blob, h)
	if err != nil {
		return nil, err
	}
	p := parser{
		blob:    blob,
		off:     int(h.OffDtStruct),
		end:     int(h.OffDtStruct) + int(h.SizeDtStruct),
		strings: blob[h.OffDtStrings : h.OffDtStrings+h.SizeDtStrings],
		strOff:  int(h.OffDtStrings),
	}
	root, err := p.parseStruct()
	if err != nil {
		return nil, err
	}
	t := &Tree{Header: h, MemReserve: rsv, Root: root, phandles: map[uint32]*Node{}}
	if err := t.indexPhandles(root); err != nil {
		return nil, err
	}
	return t, nil
}

// parser walks the structure block. off is the offset of the next token.
type parser struct {
	blob     []byte
	off, end int
	strings  []byte
	strOff   int // offset of strings in blob, for error messages
}

// token reads the next token and advances past it.
func (p *parser) token() (uint32, int, error) {
	at := p.off
	if at+4 > p.end {
		return 0, at, errorf(at, "structure block ends in the middle of the tree (truncated)")
	}
	p.off += 4
	return binary.BigEndian.Uint32(p.blob[at:]), at, nil
}

// parseStruct parses the whole structure block: optional NOPs, exactly one
// root node, optional NOPs, and FDT_END. It keeps its own stack instead of
// recursing, so the depth limit is the only limit.
func (p *parser) parseStruct() (*Node, error) {
	var root *Node
	var stack []*Node // the open nodes, innermost last
	for {
		tok, at, err := p.token()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokenNop:
		case tokenBeginNode:
			if root != nil && len(stack) == 0 {
				return nil, errorf(at, "second root node")
			}
			if len(stack) == MaxDepth {
				return nil, errorf(at, "nodes nest deeper than %d levels", MaxDepth)
			}
			name, err := p.cstring(p.off, p.end, "node name")
			if err != nil {
				return nil, err
			}
			p.off = align4(p.off + len(name) + 1)
			if len(stack) == 0 && name != "" {
				return nil, errorf(at, "root node is named %q, want an empty name", name)
			}
			if len(stack) > 0 && name == "" {
				return nil, errorf(at, "node without a name under %s", stack[len(stack)-1].Path())
			}
			n := &Node{Name: name, Offset: at}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				n.Parent = parent
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
		case tokenEndNode:
			if len(stack) == 0 {
				return nil, errorf(at, "FDT_END_NODE without a matching FDT_BEGIN_NODE")
			}
			stack = stack[:len(stack)-1]
		case tokenProp:
			if len(stack) == 0 {
				return nil, errorf(at, "property outside any node")
			}
			if err := p.parseProp(stack[len(stack)-1], at); err != nil {
				return nil, err
			}
		case tokenEnd:
			if len(stack) != 0 {
				return nil, errorf(at, "FDT_END inside node %s", stack[len(stack)-1].Path())
			}
			if root == nil {
				return nil, errorf(at, "FDT_END before any root node")
			}
			return root, nil
		default:
			return nil, errorf(at, "unknown token %#x", tok)
		}
	}
}

// parseProp reads an FDT_PROP body into n. at is the offset of the token.
func (p *parser) parseProp(n *Node, at int) error {
	if p.off+8 > p.end {
		return errorf(at, "property header runs past the structure block (truncated)")
	}
	length := int64(binary.BigEndian.Uint32(p.blob[p.off:]))
	nameoff := binary.BigEndian.Uint32(p.blob[p.off+4:])
	val := p.off + 8
	if int64(val)+length > int64(p.end) {
		return errorf(at, "property value of %d bytes runs past the structure block (truncated)", length)
	}
	if uint64(nameoff) >= uint64(len(p.strings)) {
		return errorf(p.off+4, "property name offset %#x is outside the %d-byte strings block", nameoff, len(p.strings))
	}
	name, err := p.cstringIn(p.strings, int(nameoff), p.strOff, "property name")
	if err != nil {
		return err
	}
	if name == "" {
		return errorf(p.off+4, "property with an empty name in %s", n.Path())
	}
	if _, dup := n.prop(name); dup {
		return errorf(at, "property %q appears twice in %s", name, n.Path())
	}
	n.Props = append(n.Props, Property{Name: name, Value: p.blob[val : val+int(length) : val+int(length)], Offset: val})
	p.off = align4(val + int(length))
	return nil
}

// cstring reads a NUL-terminated string starting at off that must end before
// limit.
func (p *parser) cstring(off, limit int, what string) (string, error) {
	i := bytes.IndexByte(p.blob[off:limit], 0)
	if i < 0 {
		return "", errorf(off, "%s has no NUL terminator before the end of its block", what)
	}
	return string(p.blob[off : off+i]), nil
}

// cstringIn reads a NUL-terminated string at off inside block b, which
// starts at blobOff in the blob.
func (p *parser) cstringIn(b []byte, off, blobOff int, what string) (string, error) {
	i := bytes.IndexByte(b[off:], 0)
	if i < 0 {
		return "", errorf(blobOff+off, "%s has no NUL terminator before the end of the strings block", what)
	}
	return string(b[off : off+i]), nil
}

func align4(n int) int { return (n + 3) &^ 3 }

// indexPhandles records every node's phandle (2.3.3), and the legacy
// linux,phandle spelling, rejecting duplicates and the reserved values 0 and
// 0xffffffff.
func (t *Tree) indexPhandles(n *Node) error {
	for _, name := range []string{"phandle", "linux,phandle"} {
		p, ok := n.prop(name)
		if !ok {
			continue
		}
		if len(p.Value) != 4 {
			return errorf(p.Offset, "%s of %s is %d bytes, want 4", name, n.Path(), len(p.Value))
		}
		ph := binary.BigEndian.Uint32(p.Value)
		if ph == 0 || ph == 0xffffffff {
			return errorf(p.Offset, "%s of %s has the reserved value %#x", name, n.Path(), ph)
		}
		if other, dup := t.phandles[ph]; dup && other != n {
			return errorf(p.Offset, "phandle %#x of %s is already used by %s", ph, n.Path(), other.Path())
		}
		t.phandles[ph] = n
	}
	for _, c := range n.Children {
		if err := t.indexPhandles(c); err != nil {
			return err
		}
	}
	return nil
}
