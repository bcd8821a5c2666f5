package llama

// withAVX2 runs f with the assembly kernel switched on or off.
func withAVX2(on bool, f func()) {
	old := useAVX2
	useAVX2 = on
	defer func() { useAVX2 = old }()
	f()
}

// withFMA runs f with the float32 assembly kernel switched on or off.
func withFMA(on bool, f func()) {
	old := useFMA
	useFMA = on
	defer func() { useFMA = old }()
	f()
}
