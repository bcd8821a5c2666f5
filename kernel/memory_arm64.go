//go:build linux && arm64

package main

import (
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/burrow-os/burrow/kernel/mm"
)

// The Go kernel's memory manager and the device tree it was built from,
// brought up once at boot (kmmErr says why not). The debugger's pmm view
// finds kmm by its type.
var (
	kmm    *mm.KernelMemoryManager
	kfdt   *fdt.Tree
	kmmErr error
)

// memoryInit brings up kernel/mm over the RAM the C core hands over.
func memoryInit() error {
	kmm, kfdt, kmmErr = newMemoryManager()
	return kmmErr
}

// newMemoryManager brings up kernel/mm as the kernel will at boot: the
// device tree the machine booted with, the RAM the C core hands over, and
// the C core's live kernel page tables, which it adopts.
func newMemoryManager() (*mm.KernelMemoryManager, *fdt.Tree, error) {
	dtb, err := core.DeviceTree()
	if err != nil {
		return nil, nil, err
	}
	h, err := core.PhysHandover()
	if err != nil {
		return nil, nil, err
	}
	k, err := mm.NewKernelManager(mm.KernelEnv{DTB: dtb,
		Handover:   mm.Region{Address: h.Base, Size: h.Size},
		KernelRoot: mm.TTBRBaddr(mm.ReadTTBR0())})
	if err != nil {
		return nil, nil, err
	}
	tree, err := fdt.Parse(dtb)
	return k, tree, err
}
