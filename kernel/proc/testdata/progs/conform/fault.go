package main

import "runtime/debug"

// debugSetPanicOnFault turns a fault at a non-nil address into a panic the
// program can recover, instead of a crash.
func debugSetPanicOnFault() { debug.SetPanicOnFault(true) }
