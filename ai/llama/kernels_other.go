//go:build !amd64 && !arm64

package llama

// No assembly on this GOARCH: the pure-Go loops run.
const (
	hasAsmQ8  = false
	hasAsmF32 = false
)

func rowQ8x32Asm(w, x []int8, ws, xs []float32) float32 { panic("unreachable") }
func dotF32Asm(a, b []float32) float32                  { panic("unreachable") }
