package llama

import "math"

// RMSNorm writes o = w ⊙ x / sqrt(mean(x²) + eps) (Zhang & Sennrich 2019),
// with llama2.c's float32 rounding. o may alias x.
func RMSNorm(o, x, w []float32, eps float32) {
	var ss float32
	for _, v := range x {
		ss += v * v
	}
	ss /= float32(len(x))
	ss += eps
	ss = 1 / float32(math.Sqrt(float64(ss)))
	for i := range x {
		o[i] = w[i] * (ss * x[i])
	}
}

// Softmax replaces x by exp(x - max x) / Σ exp(x - max x).
func Softmax(x []float32) {
	if len(x) == 0 {
		return
	}
	maxv := x[0]
	for _, v := range x[1:] {
		if v > maxv {
			maxv = v
		}
	}
	var sum float32
	for i, v := range x {
		e := float32(math.Exp(float64(v - maxv)))
		x[i] = e
		sum += e
	}
	for i := range x {
		x[i] /= sum
	}
}

// RoPE rotates consecutive pairs (v[i], v[i+1]) of every head of v by the
// angle pos·θ^(-(i mod headSize)/headSize), the rotary position embedding
// of Su et al. (2021) in the interleaved layout used by Meta's llama code,
// llama2.c and GGUF's "llama" architecture.
func RoPE(v []float32, pos, headSize int, theta float32) {
	cos, sin := make([]float32, headSize/2), make([]float32, headSize/2)
	ropeTable(cos, sin, pos, headSize, theta)
	ropeApply(v, cos, sin)
}

// ropeTable computes the cosines and sines of one position's angles, one
// per pair of a head, with llama2.c's float32 steps.
func ropeTable(cos, sin []float32, pos, headSize int, theta float32) {
	for i := 0; i < headSize; i += 2 {
		freq := 1 / float32(math.Pow(float64(theta), float64(float32(i)/float32(headSize))))
		val := float32(pos) * freq
		cos[i/2] = float32(math.Cos(float64(val)))
		sin[i/2] = float32(math.Sin(float64(val)))
	}
}

// ropeApply rotates every head of v with a table from ropeTable.
func ropeApply(v, cos, sin []float32) {
	hs := 2 * len(cos)
	for h := 0; h+hs <= len(v); h += hs {
		head := v[h : h+hs]
		for j := range cos {
			c, s := cos[j], sin[j]
			v0, v1 := head[2*j], head[2*j+1]
			head[2*j] = v0*c - v1*s
			head[2*j+1] = v0*s + v1*c
		}
	}
}

// SwiGLU writes h = silu(h) ⊙ h3, the gated unit of Shazeer (2020), where
// silu(x) = x·σ(x).
func SwiGLU(h, h3 []float32) {
	h3 = h3[:len(h)]
	for i, v := range h {
		v *= 1 / (1 + float32(math.Exp(float64(-v))))
		h[i] = v * h3[i]
	}
}
