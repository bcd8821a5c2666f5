package llama

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func TestRMSNorm(t *testing.T) {
	tests := []struct {
		x, w, want []float32
	}{
		// mean(x²) = 7.5, 1/sqrt(7.5) = 0.3651484
		{[]float32{1, 2, 3, 4}, []float32{1, 1, 1, 1}, []float32{0.3651484, 0.7302967, 1.0954451, 1.4605935}},
		{[]float32{3, 4}, []float32{2, 0.5}, []float32{2 * 3 / 3.5355339, 0.5 * 4 / 3.5355339}},
		{[]float32{0, 0}, []float32{1, 1}, []float32{0, 0}},
	}
	for _, tt := range tests {
		got := make([]float32, len(tt.x))
		RMSNorm(got, tt.x, tt.w, 1e-9)
		for i := range got {
			if !near(float64(got[i]), float64(tt.want[i]), 1e-6) {
				t.Errorf("RMSNorm(%v, %v) = %v, want %v", tt.x, tt.w, got, tt.want)
				break
			}
		}
	}
}

func TestSoftmax(t *testing.T) {
	tests := []struct{ x, want []float32 }{
		{[]float32{0, float32(math.Log(2)), float32(math.Log(3))}, []float32{1. / 6, 2. / 6, 3. / 6}},
		{[]float32{1000, 1000}, []float32{0.5, 0.5}}, // no overflow: max is subtracted
		{[]float32{float32(math.Inf(-1)), 0}, []float32{0, 1}},
	}
	for _, tt := range tests {
		got := append([]float32(nil), tt.x...)
		Softmax(got)
		for i := range got {
			if !near(float64(got[i]), float64(tt.want[i]), 1e-6) {
				t.Errorf("Softmax(%v) = %v, want %v", tt.x, got, tt.want)
				break
			}
		}
	}
}

func TestRoPE(t *testing.T) {
	c1, s1 := float32(math.Cos(1)), float32(math.Sin(1))
	c2, s2 := float32(math.Cos(0.01)), float32(math.Sin(0.01))
	tests := []struct {
		v       []float32
		pos, hs int
		want    []float32
	}{
		{[]float32{1, 0}, 0, 2, []float32{1, 0}},
		{[]float32{1, 0}, 1, 2, []float32{c1, s1}},
		{[]float32{0, 1}, 1, 2, []float32{-s1, c1}},
		// Second pair of a 4-wide head turns at 10000^(-2/4) = 0.01 rad per position.
		{[]float32{1, 0, 1, 0}, 1, 4, []float32{c1, s1, c2, s2}},
		// Two 2-wide heads each restart the frequency ladder.
		{[]float32{1, 0, 1, 0}, 1, 2, []float32{c1, s1, c1, s1}},
	}
	for _, tt := range tests {
		got := append([]float32(nil), tt.v...)
		RoPE(got, tt.pos, tt.hs, 10000)
		for i := range got {
			if !near(float64(got[i]), float64(tt.want[i]), 1e-6) {
				t.Errorf("RoPE(%v, pos %d, head %d) = %v, want %v", tt.v, tt.pos, tt.hs, got, tt.want)
				break
			}
		}
	}
}

func TestSwiGLU(t *testing.T) {
	sig1 := 1 / (1 + math.Exp(-1))
	h := []float32{0, 1, -2}
	h3 := []float32{5, 2, 1}
	want := []float32{0, float32(2 * sig1), float32(-2 / (1 + math.Exp(2)))}
	SwiGLU(h, h3)
	for i := range h {
		if !near(float64(h[i]), float64(want[i]), 1e-6) {
			t.Errorf("SwiGLU = %v, want %v", h, want)
			break
		}
	}
}
