package llama

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMatVecF32(t *testing.T) {
	out := make([]float32, 2)
	matVecF32(out, []float32{1, 2, 3, 4}, []float32{5, 6})
	require.Equal(t, []float32{17, 39}, out, "[[1 2] [3 4]]·[5 6]")
}

// TestDotAgreesWithFloat64 checks the unrolled float32 kernel against a
// float64 reference within 1e-5 relative (of the sum of |a_i b_i|).
func TestDotAgreesWithFloat64(t *testing.T) {
	r := NewRand(7)
	for _, n := range []int{1, 3, 4, 7, 64, 288, 769} {
		a, b := make([]float32, n), make([]float32, n)
		for i := range a {
			a[i], b[i] = 2*r.Float32()-1, 2*r.Float32()-1
		}
		var ref, mag float64
		for i := range a {
			ref += float64(a[i]) * float64(b[i])
			mag += math.Abs(float64(a[i]) * float64(b[i]))
		}
		if got := dot(a, b); math.Abs(float64(got)-ref) > 1e-5*mag {
			t.Errorf("dot(n=%d) = %v, want %v within 1e-5 of %v", n, got, ref, mag)
		}
		if useAsmF32 {
			if got := dotF32Asm(a, b); math.Abs(float64(got)-ref) > 1e-5*mag {
				t.Errorf("dotF32Asm(n=%d) = %v, want %v within 1e-5 of %v", n, got, ref, mag)
			}
		}
	}
}

func TestQuantizeInto(t *testing.T) {
	var v QVec
	QuantizeInto(&v, []float32{127, -63.5, 0.5, 0, 0, 0, 0, 0}, 4)
	// Group 0: scale 1, 0.5 rounds away from zero. Group 1: all zero.
	require.Equal(t, []int8{127, -64, 1, 0, 0, 0, 0, 0}, v.Q)
	require.Equal(t, []float32{1, 0}, v.Scale)
}

// refMatVecQ8 is runq.c's matmul written as plainly as possible.
func refMatVecQ8(out []float32, m *Matrix, x *QVec) {
	n, gs := m.Cols, m.Group
	for i := range out {
		var val float32
		in := i * n
		for j := 0; j < n; j += gs {
			var ival int32
			for k := 0; k < gs; k++ {
				ival += int32(x.Q[j+k]) * int32(m.Q[in+j+k])
			}
			val += float32(float32(ival) * m.Scale[(in+j)/gs] * x.Scale[j/gs])
		}
		out[i] = val
	}
}

// TestMatVecQ8BitExact requires the optimized int8 kernel to reproduce the
// reference bit for bit.
func TestMatVecQ8BitExact(t *testing.T) {
	r := NewRand(3)
	for _, shape := range [][3]int{{3, 32, 32}, {17, 64, 32}, {5, 96, 16}, {288, 288, 32}} {
		rows, cols, gs := shape[0], shape[1], shape[2]
		w := NewF32(rows, cols, make([]float32, rows*cols))
		for i := range w.F32 {
			w.F32[i] = 2*r.Float32() - 1
		}
		q, err := Quantize(w, gs)
		require.NoError(t, err)
		x := make([]float32, cols)
		for i := range x {
			x[i] = 2*r.Float32() - 1
		}
		var xq QVec
		QuantizeInto(&xq, x, gs)
		want := make([]float32, rows)
		refMatVecQ8(want, q, &xq)
		// Every kernel this CPU can run: assembly (when present) and Go.
		for _, asm := range []bool{useAsmQ8, false} {
			got := make([]float32, rows)
			withAsmQ8(asm, func() { matVecQ8(got, q, &xq) })
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("matVecQ8(%v, asm=%v)[%d] = %v, want %v bit for bit", shape, asm, i, got[i], want[i])
				}
			}
		}
	}
}

func TestQuantizeRejectsBadGroup(t *testing.T) {
	_, err := Quantize(NewF32(2, 6, make([]float32, 12)), 4)
	require.ErrorContains(t, err, "groups of 4")
}
