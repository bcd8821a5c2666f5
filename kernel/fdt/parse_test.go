package fdt

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// smallTree is a valid tree the malformed-blob cases start from.
func smallTree() *tnode {
	return node("", []tprop{p("#address-cells", cells(1)), p("#size-cells", cells(1))},
		node("uart@1000", []tprop{p("reg", cells(0x1000, 0x100)), p("phandle", cells(1))}))
}

func put32(b []byte, off int, v uint32) { binary.BigEndian.PutUint32(b[off:], v) }

func TestParseRejectsMalformed(t *testing.T) {
	good := buildDTB(smallTree())
	structOff := int(binary.BigEndian.Uint32(good[8:]))
	stringsOff := int(binary.BigEndian.Uint32(good[12:]))
	tests := []struct {
		name   string
		blob   func() []byte
		offset int
		reason string
	}{
		{"empty", func() []byte { return nil }, 0, "shorter than"},
		{"bad magic", func() []byte { b := clone(good); put32(b, 0, 0xfeedd00d); return b }, 0, "bad magic"},
		{"truncated file", func() []byte { return good[:len(good)-1] }, 4, "truncated"},
		{"old version", func() []byte { b := clone(good); put32(b, 20, 16); return b }, 20, "older"},
		{"future last_comp_version", func() []byte { b := clone(good); put32(b, 24, 18); return b }, 24, "last_comp_version"},
		{"struct misaligned", func() []byte { b := clone(good); put32(b, 8, uint32(structOff+2)); return b }, 8, "aligned"},
		{"struct overlaps header", func() []byte { b := clone(good); put32(b, 8, 8); return b }, 8, "overlaps the header"},
		{"strings past totalsize", func() []byte { b := clone(good); put32(b, 32, 0xfffffff0); return b }, 12, "runs past totalsize"},
		{"reservation wraps", func() []byte { return buildDTB(smallTree(), Region{^uint64(0) - 0xfff, 0x2000}) }, 40, "wraps"},
		{"unknown token", func() []byte { b := clone(good); put32(b, structOff, 7); return b }, structOff, "unknown token 0x7"},
		{"end node first", func() []byte { b := clone(good); put32(b, structOff, tokenEndNode); return b }, structOff, "without a matching"},
		{"struct block cut short", func() []byte { b := clone(good); put32(b, 36, 12); return b }, structOff + 8, "truncated"},
		{"name offset outside strings", func() []byte {
			b := clone(good)
			put32(b, structOff+16, 0x1000) // nameoff of the root's first property
			return b
		}, structOff + 16, "outside the"},
		{"property longer than block", func() []byte {
			b := clone(good)
			put32(b, structOff+12, 0x10000) // len of the root's first property
			return b
		}, structOff + 8, "runs past"},
		{"property name without NUL", func() []byte {
			b := clone(good)
			put32(b, 32, uint32(len("#address-cells"))) // strings block ends before the NUL
			return b
		}, stringsOff, "no NUL"},
		{"second root", func() []byte {
			b := buildDTB(node("", nil))
			// Replace FDT_END by a second (empty) root.
			return patchTail(b, tokenBeginNode, 0, tokenEndNode, tokenEnd)
		}, -2, "second root"},
		{"root with a name", func() []byte { return buildDTB(node("root", nil)) }, structOff, "root node is named"},
		{"child without a name", func() []byte { return buildDTB(node("", nil, node("", nil))) }, -2, "without a name"},
		{"duplicate property", func() []byte {
			return buildDTB(node("", []tprop{p("model", str("a")), p("model", str("b"))}))
		}, -2, "appears twice"},
		{"duplicate phandle", func() []byte {
			return buildDTB(node("", nil, node("a", []tprop{p("phandle", cells(5))}), node("b", []tprop{p("phandle", cells(5))})))
		}, -2, "already used"},
		{"phandle zero", func() []byte { return buildDTB(node("", nil, node("a", []tprop{p("phandle", cells(0))}))) }, -2, "reserved value"},
		{"phandle wrong size", func() []byte { return buildDTB(node("", nil, node("a", []tprop{p("phandle", cells(1, 2))}))) }, -2, "want 4"},
		{"too deep", func() []byte {
			n := node("leaf", nil)
			for range MaxDepth {
				n = node("x", nil, n)
			}
			return buildDTB(node("", nil, n))
		}, -2, "deeper"},
	}
	for _, tt := range tests {
		tree, err := Parse(tt.blob())
		require.Nil(t, tree, "%s: Parse returned a tree", tt.name)
		var fe *Error
		require.True(t, errors.As(err, &fe), "%s: Parse() = %v, want an *fdt.Error", tt.name, err)
		require.Contains(t, fe.Reason, tt.reason, "%s: Parse() = %v, want reason %q", tt.name, err, tt.reason)
		if tt.offset != -2 { // -2: the offset is checked only to be inside the blob
			require.Equal(t, tt.offset, fe.Offset, "%s: Parse() = %v, want offset %#x", tt.name, err, tt.offset)
		} else {
			require.True(t, fe.Offset > 0 && fe.Offset < len(tt.blob()), "%s: offset %#x outside the blob", tt.name, fe.Offset)
		}
		require.True(t, strings.HasPrefix(err.Error(), "fdt: "), "%s: Error() = %q", tt.name, err)
	}
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// patchTail replaces the final FDT_END token of a built blob (which ends
// with the structure block followed by an empty strings block) with toks.
func patchTail(b []byte, toks ...uint32) []byte {
	structOff := binary.BigEndian.Uint32(b[8:])
	size := binary.BigEndian.Uint32(b[36:])
	end := int(structOff + size)
	out := clone(b[:end-4])
	for _, t := range toks {
		out = binary.BigEndian.AppendUint32(out, t)
	}
	out = append(out, b[end:]...)
	grow := uint32(len(out) - len(b))
	put32(out, 4, uint32(len(out)))
	put32(out, 12, binary.BigEndian.Uint32(b[12:])+grow)
	put32(out, 36, size+grow)
	return out
}

// Cutting the raspi4b structure block anywhere must give an error, never a
// panic or a partial tree.
func TestParseTruncatedStructBlock(t *testing.T) {
	blob := readDTB(t, "raspi4b.dtb")
	size := int(binary.BigEndian.Uint32(blob[36:]))
	for cut := 0; cut < size; cut += 37 {
		b := clone(blob)
		put32(b, 36, uint32(cut))
		tree, err := Parse(b)
		if err == nil {
			t.Fatalf("Parse(raspi4b with size_dt_struct %d) = %v, want an error", cut, tree)
		}
	}
}

// QEMU's raspi4b removes nodes by overwriting them with FDT_NOP. Writing NOPs
// over the whole structure of a node must make it disappear and keep the rest.
func TestParseNopRemovesNode(t *testing.T) {
	tree := smallTree()
	tree.kids = append(tree.kids, node("rng@2000", []tprop{p("compatible", str("brcm,bcm2711-rng200"))}))
	b := buildDTB(tree)
	parsed, err := Parse(b)
	require.NoError(t, err)
	rng := parsed.Lookup("/rng@2000")
	require.NotNil(t, rng)
	// The rng node runs from its FDT_BEGIN_NODE to the FDT_END_NODE before
	// the root's FDT_END_NODE and FDT_END.
	structOff := binary.BigEndian.Uint32(b[8:])
	end := int(structOff+binary.BigEndian.Uint32(b[36:])) - 8
	for off := rng.Offset; off < end; off += 4 {
		put32(b, off, tokenNop)
	}
	parsed, err = Parse(b)
	require.NoError(t, err)
	require.Nil(t, parsed.Lookup("/rng@2000"), "Lookup(/rng@2000) after NOPing it out")
	require.NotNil(t, parsed.Lookup("/uart@1000"))
}

func TestParseCopiesBlob(t *testing.T) {
	b := buildDTB(node("", []tprop{p("model", str("burrow"))}))
	tree, err := Parse(b)
	require.NoError(t, err)
	for i := range b {
		b[i] = 0xff
	}
	model, _ := tree.Root.String("model")
	require.Equal(t, "burrow", model, "String(model) after the caller overwrote its blob")
}
