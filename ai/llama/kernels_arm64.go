package llama

// On arm64 Advanced SIMD is part of ARMv8-A, so both kernels always run.
const (
	hasAsmQ8  = true
	hasAsmF32 = true
)

// rowQ8x32Asm returns Σ_g float32(w_g·x_g)·ws[g]·xs[g] over len(ws)
// groups of 32 values, bit-exact with the Go loop; in kernels_arm64.s.
// Callers guarantee len(w), len(x) >= 32·len(ws) and len(xs) >= len(ws).
//
//go:noescape
func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32

// dotF32Asm returns the dot product of a and b[:len(a)]; in
// kernels_arm64.s. Callers guarantee len(b) >= len(a).
//
//go:noescape
func dotF32Asm(a, b []float32) float32
