package llama

import (
	"fmt"
	"math"
)

// Matrix is a weight matrix of Rows×Cols stored row-major, either as
// float32 (F32 set) or as Q8_0 int8 groups (Q and Scale set). A projection
// computes out = W·x with len(x) = Cols and len(out) = Rows.
//
// In the Q8_0 form every run of Group consecutive weights of a row shares
// one float32 scale: w = float32(q) * scale. Cols must be a multiple of
// Group, as in llama2.c's runq.c and GGUF's Q8_0 (where Group is 32).
type Matrix struct {
	Rows, Cols int
	F32        []float32
	Q          []int8
	Scale      []float32
	Group      int
}

// NewF32 wraps data as a Rows×Cols float32 matrix.
func NewF32(rows, cols int, data []float32) *Matrix {
	return &Matrix{Rows: rows, Cols: cols, F32: data}
}

// Quantized reports whether m holds int8 weights.
func (m *Matrix) Quantized() bool { return m.Q != nil }

// Check reports whether the storage of m matches its shape.
func (m *Matrix) Check(name string) error {
	if m == nil {
		return fmt.Errorf("llama: tensor %s is missing", name)
	}
	n := m.Rows * m.Cols
	if m.Q == nil {
		if len(m.F32) != n {
			return fmt.Errorf("llama: tensor %s has %d floats, want %d×%d", name, len(m.F32), m.Rows, m.Cols)
		}
		return nil
	}
	if m.Group <= 0 || m.Cols%m.Group != 0 {
		return fmt.Errorf("llama: tensor %s: row length %d is not a multiple of group size %d", name, m.Cols, m.Group)
	}
	if len(m.Q) != n || len(m.Scale) != n/m.Group {
		return fmt.Errorf("llama: tensor %s has %d weights and %d scales, want %d and %d",
			name, len(m.Q), len(m.Scale), n, n/m.Group)
	}
	return nil
}

// Row writes row i of m, dequantized if needed, into dst.
func (m *Matrix) Row(i int, dst []float32) {
	if m.Q == nil {
		copy(dst, m.F32[i*m.Cols:(i+1)*m.Cols])
		return
	}
	q := m.Q[i*m.Cols : (i+1)*m.Cols]
	s := m.Scale[i*m.Cols/m.Group:]
	for j := range q {
		dst[j] = float32(q[j]) * s[j/m.Group]
	}
}

// Dequantize returns m in float32 form (m itself when it already is).
func (m *Matrix) Dequantize() *Matrix {
	if m.Q == nil {
		return m
	}
	out := make([]float32, m.Rows*m.Cols)
	for i := 0; i < m.Rows; i++ {
		m.Row(i, out[i*m.Cols:(i+1)*m.Cols])
	}
	return NewF32(m.Rows, m.Cols, out)
}

// QVec is a vector quantized to Q8_0 groups, the activation side of an int8
// matrix-vector product.
type QVec struct {
	Q     []int8
	Scale []float32
	Group int
}

// QuantizeInto quantizes x into v in groups of size group, the way
// llama2.c's runq.c does: scale = max|x|/127 per group and q =
// round(x/scale), rounding half away from zero. v's buffers are reused.
func QuantizeInto(v *QVec, x []float32, group int) {
	ng := len(x) / group
	if cap(v.Q) < len(x) {
		v.Q = make([]int8, len(x))
	}
	if cap(v.Scale) < ng {
		v.Scale = make([]float32, ng)
	}
	v.Q, v.Scale, v.Group = v.Q[:len(x)], v.Scale[:ng], group
	for g := 0; g < ng; g++ {
		xs := x[g*group : (g+1)*group]
		var amax float32
		for _, f := range xs {
			if f < 0 {
				f = -f
			}
			if f > amax {
				amax = f
			}
		}
		scale := amax / 127
		v.Scale[g] = scale
		qs := v.Q[g*group : (g+1)*group]
		if scale == 0 {
			clear(qs)
			continue
		}
		for j, f := range xs {
			qs[j] = int8(math.Round(float64(f / scale)))
		}
	}
}

// Quantize converts a float32 matrix to Q8_0 with the given group size.
func Quantize(m *Matrix, group int) (*Matrix, error) {
	if m.Q != nil {
		return m, nil
	}
	if group <= 0 || m.Cols%group != 0 {
		return nil, fmt.Errorf("llama: cannot quantize %d-wide rows in groups of %d", m.Cols, group)
	}
	var v QVec
	QuantizeInto(&v, m.F32, group)
	return &Matrix{Rows: m.Rows, Cols: m.Cols, Q: v.Q, Scale: v.Scale, Group: group}, nil
}
