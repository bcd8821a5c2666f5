//go:build linux && arm64

package main

import (
	"unsafe"

	"github.com/burrow-os/burrow/kernel/mm"
)

// writeWords stores instructions at physical address pa through the C
// core's direct map.
func writeWords(pa uint64, words []uint32) {
	p := unsafe.Slice((*uint32)(unsafe.Add(nil, mm.DirectMapBase+pa)), len(words))
	copy(p, words)
}
