//go:build !amd64

package llama

func withAVX2(on bool, f func()) { f() }

func withFMA(on bool, f func()) { f() }
