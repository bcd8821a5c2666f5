//go:build !(linux && arm64)

package main

// memoryInit: on the host there is no C core to hand memory over.
func memoryInit() error { return nil }
