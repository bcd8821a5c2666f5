package gguf

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/burrow-os/burrow/ai/llama"
)

// Matrix reads the named tensor as a matrix of Dims[1] rows by Dims[0]
// columns (a vector is one row). F32 and F16 become float32; Q8_0 stays
// int8 with one scale per 32 values.
func (f *File) Matrix(name string) (*llama.Matrix, error) {
	t, ok := f.Tensor(name)
	if !ok {
		return nil, fmt.Errorf("gguf: tensor %s is missing", name)
	}
	if len(t.Dims) > 2 {
		return nil, fmt.Errorf("gguf: tensor %s has %d dimensions, want a matrix", name, len(t.Dims))
	}
	cols := int(t.Dims[0])
	rows := 1
	if len(t.Dims) == 2 {
		rows = int(t.Dims[1])
	}
	n, err := t.Bytes()
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if got, err := f.r.ReadAt(b, f.DataOffset+int64(t.Offset)); got < len(b) {
		return nil, fmt.Errorf("gguf: tensor %s: read %d of %d bytes: %v", name, got, len(b), err)
	}
	le := binary.LittleEndian
	count := rows * cols
	switch t.Type {
	case F32:
		d := make([]float32, count)
		for i := range d {
			d[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		return llama.NewF32(rows, cols, d), nil
	case F16:
		d := make([]float32, count)
		for i := range d {
			d[i] = HalfToFloat(le.Uint16(b[2*i:]))
		}
		return llama.NewF32(rows, cols, d), nil
	}
	// Q8_0: blocks of {f16 d; int8 qs[32]}.
	nb := count / QK8_0
	m := &llama.Matrix{Rows: rows, Cols: cols, Q: make([]int8, count), Scale: make([]float32, nb), Group: QK8_0}
	for i := 0; i < nb; i++ {
		blk := b[34*i : 34*(i+1)]
		m.Scale[i] = HalfToFloat(le.Uint16(blk))
		for j, v := range blk[2:] {
			m.Q[i*QK8_0+j] = int8(v)
		}
	}
	return m, nil
}

// Vector reads a one-dimensional tensor of n values as float32.
func (f *File) Vector(name string, n int) ([]float32, error) {
	m, err := f.Matrix(name)
	if err != nil {
		return nil, err
	}
	if m.Rows*m.Cols != n {
		return nil, fmt.Errorf("gguf: tensor %s has %d values, want %d", name, m.Rows*m.Cols, n)
	}
	return m.Dequantize().F32, nil
}

// HalfToFloat converts an IEEE 754 binary16 value to float32.
func HalfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: mant · 2^-24
		f := float32(mant) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// FloatToHalf converts a float32 to binary16, rounding to nearest even.
func FloatToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case b&0x7fffffff > 0x7f800000: // NaN
		return sign | 0x7e00
	case exp >= 0x1f: // overflow or infinity
		return sign | 0x7c00
	case exp <= 0: // subnormal or zero
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint32(14 - exp)
		half := uint32(1) << (shift - 1)
		r := mant >> shift
		if rem := mant & (1<<shift - 1); rem > half || rem == half && r&1 == 1 {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(exp)<<10 | mant>>13
	if rem := mant & 0x1fff; rem > 0x1000 || rem == 0x1000 && r&1 == 1 {
		r++ // may carry into the exponent, which is still correct
	}
	return sign | uint16(r)
}
