//go:build !(linux && arm64)

package core

func ClaimIRQ(id int) error        { return ErrNotBurrow }
func WaitIRQUnmasked(id int) error { return ErrNotBurrow }
func IRQStamp(id int) uint64       { return 0 }
