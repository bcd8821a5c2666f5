// Command gopmm stands in for the Go kernel in the debugger's pmm test: it
// keeps a physical page allocator in a global, the way the kernel will, and
// calls ready() for the debugger to break on. The test runs it under
// qemu-aarch64 (user mode) with its gdbstub.
package main

import (
	"os"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/burrow-os/burrow/kernel/mm"
)

var kmm *mm.KernelMemoryManager

//go:noinline
func ready(n int) int { return n + 1 }

func main() {
	// 64 MiB of "RAM" with its first MiB reserved: 16128 usable pages.
	b, err := mm.NewBuddy([]fdt.Region{{Address: 0x40000000, Size: 64 << 20}},
		[]fdt.Region{{Address: 0x40000000, Size: 1 << 20}})
	if err != nil {
		os.Exit(2)
	}
	for i := 0; i < 5; i++ {
		b.Alloc(0) // five pages
	}
	b.Alloc(3) // and eight more
	kmm = &mm.KernelMemoryManager{Phys: b}
	os.Exit(ready(0) - 1)
}
