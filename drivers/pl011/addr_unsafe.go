package pl011

import "unsafe"

// bufAddr is the address of b's first byte, for the C functions. b must
// stay alive across the call, which the callers' use of it after the call
// guarantees; the Go GC does not move heap objects.
func bufAddr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
