//go:build !(linux && arm64)

package core

// On the host every crossing fails with ErrNotBurrow, so packages that use
// core still build and test there.

func ConsoleWrite(b []byte) (int, error)          { return 0, ErrNotBurrow }
func PowerOff(status int)                         { panic(ErrNotBurrow) }
func WaitIRQ(id int) error                        { return ErrNotBurrow }
func Nop()                                        {}
func CFunc(index int) (uintptr, error)            { return 0, ErrNotBurrow }
func CCall(fn, a0, a1 uintptr) uintptr            { panic(ErrNotBurrow) }
func Counter() uint64                             { return 0 }
func PhysHandover() (Region, error)               { return Region{}, ErrNotBurrow }
func ReadStats() (Stats, error)                   { return Stats{}, ErrNotBurrow }
func KlogRead(b []byte, from uint64) (int, error) { return 0, ErrNotBurrow }
func DeviceTree() ([]byte, error)                 { return nil, ErrNotBurrow }
func InitRD() ([]byte, error)                     { return nil, ErrNotBurrow }
func CPUStats() ([]CPUStat, error)                { return nil, ErrNotBurrow }
