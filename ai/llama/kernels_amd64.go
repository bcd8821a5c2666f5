package llama

import "golang.org/x/sys/cpu"

// On amd64 the kernels need AVX2 (and FMA3 for float32), checked at start.
var (
	hasAsmQ8  = cpu.X86.HasAVX2
	hasAsmF32 = cpu.X86.HasAVX2 && cpu.X86.HasFMA
)

// rowQ8x32Asm returns Σ_g float32(w_g·x_g)·ws[g]·xs[g] over len(ws)
// groups of 32 values, bit-exact with the Go loop; in kernels_amd64.s.
// Callers guarantee len(w), len(x) >= 32·len(ws) and len(xs) >= len(ws).
//
//go:noescape
func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32

// dotF32Asm returns the dot product of a and b[:len(a)]; in
// kernels_amd64.s. Callers guarantee len(b) >= len(a).
//
//go:noescape
func dotF32Asm(a, b []float32) float32
