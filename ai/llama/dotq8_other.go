//go:build !amd64

package llama

// useAVX2 is false off amd64: the pure-Go loop is the only Q8_0 kernel.
const useAVX2 = false

func rowQ8x32AVX2(w, x []int8, ws, xs []float32) float32 { panic("unreachable") }

// useFMA is false off amd64: the pure-Go loop is the only float32 kernel.
const useFMA = false

func dotF32AVX2(a, b []float32) float32 { panic("unreachable") }
