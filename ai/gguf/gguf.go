// Package gguf reads and writes GGUF files, the model container of
// llama.cpp (specification: github.com/ggml-org/ggml, docs/gguf.md,
// version 3; versions 2 and 3 share the layout read here).
//
// A GGUF file is a header ("GGUF", version, tensor count, metadata count),
// typed key/value metadata, tensor infos (name, dimensions, ggml type,
// offset), then the tensor data, aligned to general.alignment (32 by
// default). All values are little-endian. This package parses the
// container with explicit bounds checks, so truncated or inconsistent files
// fail with a reason, and builds a llama.Model and tokenizer.Tokenizer from
// files of architecture "llama" with F32, F16 or Q8_0 tensors (llama.go).
//
// Pure Go behind io.ReaderAt: it runs on the host and in the Burrow kernel.
package gguf

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Magic is "GGUF" read as a little-endian uint32.
const Magic = 0x46554747

// ValueType is the type tag of a metadata value.
type ValueType uint32

// Metadata value types, numbered as in the GGUF specification.
const (
	TypeUint8 ValueType = iota
	TypeInt8
	TypeUint16
	TypeInt16
	TypeUint32
	TypeInt32
	TypeFloat32
	TypeBool
	TypeString
	TypeArray
	TypeUint64
	TypeInt64
	TypeFloat64
)

// GGMLType is the storage type of a tensor.
type GGMLType uint32

// Tensor types this package reads and writes, numbered as in ggml.h.
const (
	F32  GGMLType = 0
	F16  GGMLType = 1
	Q8_0 GGMLType = 8
)

func (t GGMLType) String() string {
	switch t {
	case F32:
		return "F32"
	case F16:
		return "F16"
	case Q8_0:
		return "Q8_0"
	}
	return fmt.Sprintf("ggml type %d", uint32(t))
}

// QK8_0 is the number of weights in one Q8_0 block: an F16 scale followed
// by 32 int8 values, 34 bytes.
const QK8_0 = 32

// Array is a metadata array: all elements share Type.
type Array struct {
	Type   ValueType
	Values []any
}

// KV is one metadata entry. Value holds a Go value of the matching type:
// uint8, int8, uint16, int16, uint32, int32, float32, bool, string, Array,
// uint64, int64 or float64.
type KV struct {
	Key   string
	Value any
}

// TensorInfo describes one tensor. Dims[0] is the fastest-varying
// dimension, so a matrix of R rows of C columns has Dims = {C, R}.
type TensorInfo struct {
	Name   string
	Dims   []uint64
	Type   GGMLType
	Offset uint64 // from the start of the data section
}

// Elements returns the number of values in the tensor.
func (t TensorInfo) Elements() uint64 {
	n := uint64(1)
	for _, d := range t.Dims {
		n *= d
	}
	return n
}

// Bytes returns the size of the tensor's data, or an error for types this
// package does not handle or shapes they cannot hold.
func (t TensorInfo) Bytes() (uint64, error) {
	n := t.Elements()
	switch t.Type {
	case F32:
		return 4 * n, nil
	case F16:
		return 2 * n, nil
	case Q8_0:
		if len(t.Dims) == 0 || t.Dims[0]%QK8_0 != 0 {
			return 0, fmt.Errorf("gguf: tensor %s: Q8_0 rows of %v values are not whole 32-value blocks", t.Name, t.Dims)
		}
		return n / QK8_0 * 34, nil
	}
	return 0, fmt.Errorf("gguf: tensor %s has type %v; this reader handles F32, F16 and Q8_0", t.Name, t.Type)
}

// File is a parsed GGUF header: metadata and tensor infos. Tensor data
// stays in the underlying reader until asked for.
type File struct {
	Version    uint32
	KV         []KV
	Tensors    []TensorInfo
	Alignment  uint64
	DataOffset int64 // absolute offset of the data section

	r    io.ReaderAt
	size int64
}

// Get returns the value of key.
func (f *File) Get(key string) (any, bool) {
	for _, kv := range f.KV {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return nil, false
}

// Tensor returns the info of the named tensor.
func (f *File) Tensor(name string) (TensorInfo, bool) {
	for _, t := range f.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return TensorInfo{}, false
}

// parser reads consecutive fields and stops at the first error.
type parser struct {
	r    io.ReaderAt
	off  int64
	size int64
	err  error
	buf  [8]byte
}

func (p *parser) fail(format string, a ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("gguf: "+format, a...)
	}
}

func (p *parser) read(n int, what string) []byte {
	if p.err != nil {
		return nil
	}
	if int64(n) > p.size-p.off {
		p.fail("file truncated at offset %d reading %s", p.off, what)
		return nil
	}
	var b []byte
	if n <= len(p.buf) {
		b = p.buf[:n]
	} else {
		b = make([]byte, n)
	}
	if _, err := p.r.ReadAt(b, p.off); err != nil && err != io.EOF {
		p.fail("reading %s: %v", what, err)
		return nil
	}
	p.off += int64(n)
	return b
}

func (p *parser) u32(what string) uint32 {
	if b := p.read(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (p *parser) u64(what string) uint64 {
	if b := p.read(8, what); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (p *parser) str(what string) string {
	n := p.u64(what + " length")
	if p.err == nil && n > uint64(p.size-p.off) {
		p.fail("%s claims %d bytes, only %d remain", what, n, p.size-p.off)
	}
	if p.err != nil {
		return ""
	}
	return string(p.read(int(n), what))
}

// Parse reads the header, metadata and tensor infos of a GGUF file of the
// given size, and checks that every tensor lies inside the file.
func Parse(r io.ReaderAt, size int64) (*File, error) {
	p := &parser{r: r, size: size}
	if m := p.u32("magic"); p.err == nil && m != Magic {
		return nil, fmt.Errorf("gguf: bad magic %#08x, want %#08x (\"GGUF\")", m, Magic)
	}
	f := &File{r: r, size: size, Alignment: 32}
	f.Version = p.u32("version")
	if p.err == nil && (f.Version < 2 || f.Version > 3) {
		return nil, fmt.Errorf("gguf: version %d; this reader handles versions 2 and 3", f.Version)
	}
	nt := p.u64("tensor count")
	nkv := p.u64("metadata count")
	// Every metadata entry takes at least 12 bytes and every tensor info
	// at least 24, so larger counts cannot fit in the file.
	if p.err == nil && (nkv > uint64(size)/12 || nt > uint64(size)/24) {
		return nil, fmt.Errorf("gguf: %d metadata entries and %d tensors cannot fit in %d bytes", nkv, nt, size)
	}
	for i := uint64(0); i < nkv && p.err == nil; i++ {
		key := p.str("metadata key")
		t := ValueType(p.u32("type of " + key))
		v := p.value(t, key, 0)
		f.KV = append(f.KV, KV{key, v})
		if key == "general.alignment" && p.err == nil {
			a, ok := v.(uint32)
			if !ok || a == 0 || a&(a-1) != 0 {
				p.fail("general.alignment is %v, want a power of two as uint32", v)
			}
			f.Alignment = uint64(a)
		}
	}
	for i := uint64(0); i < nt && p.err == nil; i++ {
		var t TensorInfo
		t.Name = p.str("tensor name")
		nd := p.u32("dimension count of " + t.Name)
		if p.err == nil && (nd == 0 || nd > 4) {
			p.fail("tensor %s has %d dimensions, want 1 to 4", t.Name, nd)
		}
		for d := uint32(0); d < nd && p.err == nil; d++ {
			v := p.u64("dimension of " + t.Name)
			if p.err == nil && (v == 0 || v > 1<<32) {
				p.fail("tensor %s: dimension %d is %d", t.Name, d, v)
			}
			t.Dims = append(t.Dims, v)
		}
		t.Type = GGMLType(p.u32("type of " + t.Name))
		t.Offset = p.u64("offset of " + t.Name)
		f.Tensors = append(f.Tensors, t)
	}
	if p.err != nil {
		return nil, p.err
	}
	f.DataOffset = int64(align(uint64(p.off), f.Alignment))
	seen := map[string]bool{}
	for _, t := range f.Tensors {
		if seen[t.Name] {
			return nil, fmt.Errorf("gguf: tensor %s appears twice", t.Name)
		}
		seen[t.Name] = true
		n, err := t.Bytes()
		if err != nil {
			return nil, err
		}
		if t.Offset%f.Alignment != 0 {
			return nil, fmt.Errorf("gguf: tensor %s at offset %d is not %d-byte aligned", t.Name, t.Offset, f.Alignment)
		}
		if t.Elements() > 1<<40 || t.Offset > uint64(size) || uint64(f.DataOffset)+t.Offset+n > uint64(size) {
			return nil, fmt.Errorf("gguf: tensor %s (%d bytes at data offset %d) runs past the end of the %d-byte file",
				t.Name, n, t.Offset, size)
		}
	}
	return f, nil
}

func align(x, a uint64) uint64 { return (x + a - 1) / a * a }

// value reads one metadata value of type t. Arrays may nest, to a depth
// of 2.
func (p *parser) value(t ValueType, key string, depth int) any {
	var b []byte
	switch t {
	case TypeUint8, TypeInt8, TypeBool:
		b = p.read(1, key)
		if b == nil {
			return nil
		}
		switch t {
		case TypeUint8:
			return b[0]
		case TypeInt8:
			return int8(b[0])
		}
		if b[0] > 1 {
			p.fail("%s: bool value %d", key, b[0])
		}
		return b[0] == 1
	case TypeUint16, TypeInt16:
		if b = p.read(2, key); b == nil {
			return nil
		}
		v := binary.LittleEndian.Uint16(b)
		if t == TypeInt16 {
			return int16(v)
		}
		return v
	case TypeUint32, TypeInt32, TypeFloat32:
		v := p.u32(key)
		switch t {
		case TypeInt32:
			return int32(v)
		case TypeFloat32:
			return math.Float32frombits(v)
		}
		return v
	case TypeUint64, TypeInt64, TypeFloat64:
		v := p.u64(key)
		switch t {
		case TypeInt64:
			return int64(v)
		case TypeFloat64:
			return math.Float64frombits(v)
		}
		return v
	case TypeString:
		return p.str(key)
	case TypeArray:
		et := ValueType(p.u32(key + " element type"))
		n := p.u64(key + " element count")
		if p.err != nil {
			return nil
		}
		if depth >= 2 || et > TypeFloat64 {
			p.fail("%s: array of type %d at depth %d", key, et, depth)
			return nil
		}
		if n > uint64(p.size-p.off) { // every element takes at least a byte
			p.fail("%s: array of %d elements, only %d bytes remain", key, n, p.size-p.off)
			return nil
		}
		a := Array{Type: et, Values: make([]any, 0, n)}
		for i := uint64(0); i < n && p.err == nil; i++ {
			a.Values = append(a.Values, p.value(et, key, depth+1))
		}
		return a
	}
	p.fail("%s: unknown value type %d", key, t)
	return nil
}
