package llama

import "golang.org/x/sys/cpu"

// useAVX2 selects the assembly row kernel for Q8_0 groups of 32 on CPUs
// with AVX2; others, and every other GOARCH, use the pure-Go loop.
var useAVX2 = cpu.X86.HasAVX2

// rowQ8x32AVX2 returns Σ_g float32(w_g·x_g)·ws[g]·xs[g] over len(ws)
// groups of 32 values, bit-exact with the Go loop. It is in
// dotq8_amd64.s; callers guarantee len(w), len(x) >= 32·len(ws) and
// len(xs) >= len(ws).
//
//go:noescape
func rowQ8x32AVX2(w, x []int8, ws, xs []float32) float32
