// Package core is the only Go code that crosses into Burrow's C core. It
// wraps the kernel services (SVC with numbers from 0x1000, served by
// ckernel/services.c) and the direct-call trampoline that runs a C function
// on the calling thread's C stack. ckernel/CONTRACT.md lists every crossing,
// who may use it and when.
//
// It runs at EL1 inside the Go kernel, after the Go runtime has started. On
// any other platform (the host, for tests) the calls return ErrNotBurrow.
package core

import "errors"

// ErrNotBurrow is returned by every call when not running on Burrow.
var ErrNotBurrow = errors.New("core: not running on the Burrow C core")

// Service numbers: ckernel/services.h.
const (
	svcConsoleWrite = 0x1000
	svcPowerOff     = 0x1001
	svcPhysHandover = 0x1002
	svcWaitIRQ      = 0x1003
	svcKlogRead     = 0x1004
	svcCFunc        = 0x1005
	svcStats        = 0x1006
	svcDTB          = 0x1007
	svcNop          = 0x1008
	svcInitRD       = 0x100a
)

// C functions callable through the trampoline, by index: ckernel/cfuncs.h.
const (
	CFuncAlloc = 0 // void *go_alloc_kernel_memory(size_t)
	CFuncFree  = 1 // void go_free_kernel_memory(void *)
	CFuncNop   = 2 // u64 c_nop(u64): returns its argument
	CFuncLoop  = 3 // u64 c_call_loop(u64 n): n C-to-C calls of c_nop
	// CFuncIRQRaise makes an interrupt pending at the GIC, as if a device
	// raised it (u64 c_irq_raise(u64 id)): for tests of WaitIRQ.
	CFuncIRQRaise = 4
)

// Stats mirrors struct core_stats in ckernel/services.h, field for field.
type Stats struct {
	CommittedPages uint64 // Go kernel pages backed by RAM now
	FreePages      uint64
	TotalPages     uint64
	Threads        uint64
	Switches       uint64
	Syscalls       uint64
	Unimplemented  uint64 // distinct unknown syscall numbers seen
	VMAs           uint64
	IRQs           uint64
	CounterFreq    uint64 // Hz of the generic timer's counter
	EntryCounter   uint64 // the counter at the C core's first instruction
	ThreadTicks    uint64 // counter ticks the calling thread (this M) has run
	IdleTicks      uint64 // counter ticks the online CPUs have spent idle, on average
	Now            uint64 // the counter now
}

// Region is a range of physical memory.
type Region struct {
	Base, Size uint64
}
