package llama

// Assembly kernels. Each GOARCH file (kernels_amd64.go, kernels_arm64.go,
// kernels_other.go) sets these switches and provides the two functions;
// the pure-Go loops in matmul.go are the reference and the fallback.
var (
	// useAsmQ8 selects rowQ8x32Asm for Q8_0 rows in groups of 32.
	useAsmQ8 = hasAsmQ8
	// useAsmF32 selects dotF32Asm for float32 matrix rows.
	useAsmF32 = hasAsmF32
)

// UseAssembly switches the assembly kernels (where this CPU has them) on
// or off and returns the previous setting. Benchmarks use it to measure
// the pure-Go kernels; it must not be called while a forward pass runs.
func UseAssembly(on bool) bool {
	prev := useAsmQ8 || useAsmF32
	useAsmQ8, useAsmF32 = on && hasAsmQ8, on && hasAsmF32
	return prev
}
