package llama

import "golang.org/x/sys/cpu"

// useFMA selects the assembly float32 dot product on CPUs with AVX2 and
// FMA3; others, and every other GOARCH, use the pure-Go loop.
var useFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotF32AVX2 returns the dot product of a and b[:len(a)], in
// dotf32_amd64.s. Callers guarantee len(b) >= len(a).
//
//go:noescape
func dotF32AVX2(a, b []float32) float32
