package llama

// On arm64 Advanced SIMD is part of ARMv8-A, so the Q8_0 kernel always
// runs; there is no float32 kernel yet.
const (
	hasAsmQ8  = true
	hasAsmF32 = false
)

// rowQ8x32Asm returns Σ_g float32(w_g·x_g)·ws[g]·xs[g] over len(ws)
// groups of 32 values, bit-exact with the Go loop; in kernels_arm64.s.
// Callers guarantee len(w), len(x) >= 32·len(ws) and len(xs) >= len(ws).
//
//go:noescape
func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32

func dotF32Asm(a, b []float32) float32 { panic("unreachable") }
