package llama

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGreedy(t *testing.T) {
	s := Sampler{}
	tests := []struct {
		logits  []float32
		allowed []bool
		want    int
	}{
		{[]float32{1, 3, 2}, nil, 1},
		{[]float32{1, 3, 3}, nil, 1}, // first on ties
		{[]float32{1, 3, 2}, []bool{true, false, true}, 2},
		{[]float32{1, 3, 2}, []bool{false, false, false}, -1},
	}
	for _, tt := range tests {
		in := append([]float32(nil), tt.logits...)
		if got := s.Sample(in, tt.allowed); got != tt.want {
			t.Errorf("Sample(%v, %v) = %d, want %d", tt.logits, tt.allowed, got, tt.want)
		}
	}
}

// TestTemperatureFrequencies draws from softmax(log p) with a fixed seed;
// the frequencies must match p.
func TestTemperatureFrequencies(t *testing.T) {
	s := Sampler{Temperature: 1, Rand: NewRand(42)}
	p := []float32{0.5, 0.3, 0.2, 0}
	logits := []float32{0, -0.5108256, -0.9162907, -1000} // log(p/0.5)
	counts := make([]int, 4)
	const n = 20000
	for i := 0; i < n; i++ {
		counts[s.Sample(append([]float32(nil), logits...), nil)]++
	}
	for i := range p {
		require.InDelta(t, p[i], float64(counts[i])/n, 0.015, "frequency of token %d", i)
	}
}

func TestTopP(t *testing.T) {
	// With top-p 0.6 only tokens 0 (0.5) and 1 (0.3) form the nucleus.
	s := Sampler{Temperature: 1, TopP: 0.6, Rand: NewRand(1)}
	logits := []float32{0, -0.5108256, -0.9162907}
	seen := map[int]int{}
	for i := 0; i < 2000; i++ {
		seen[s.Sample(append([]float32(nil), logits...), nil)]++
	}
	require.Zero(t, seen[2], "token outside the nucleus was sampled")
	require.InDelta(t, 0.625, float64(seen[0])/2000, 0.04, "share of token 0 within the nucleus")
}

func TestMaskedSamplingNeverPicksDisallowed(t *testing.T) {
	s := Sampler{Temperature: 1.5, TopP: 0.9, Rand: NewRand(9)}
	allowed := []bool{false, true, false, true}
	for i := 0; i < 1000; i++ {
		got := s.Sample([]float32{5, 0, 5, -3}, allowed)
		if got != 1 && got != 3 {
			t.Fatalf("Sample(masked) = %d, want 1 or 3", got)
		}
	}
}
