package llama

// withAsmQ8 runs f with the Q8_0 assembly kernel on (if this CPU has it)
// or off.
func withAsmQ8(on bool, f func()) {
	old := useAsmQ8
	useAsmQ8 = on && hasAsmQ8
	defer func() { useAsmQ8 = old }()
	f()
}

// withAsmF32 runs f with the float32 assembly kernel on (if present) or
// off.
func withAsmF32(on bool, f func()) {
	old := useAsmF32
	useAsmF32 = on && hasAsmF32
	defer func() { useAsmF32 = old }()
	f()
}
