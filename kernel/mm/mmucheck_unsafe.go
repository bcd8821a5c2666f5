package mm

import (
	"errors"
	"fmt"
	"runtime/debug"
	"unsafe"
)

// MMUChecks are in-kernel checks that let the MMU itself use tables this
// package wrote: they map pages in the live kernel region and touch them
// through ordinary loads and stores. So they run only at EL1, in a manager
// made with KernelEnv.KernelRoot (AdoptVM of the live TTBR0 table); on the
// host they would crash.
//
// This file is unsafe because it dereferences virtual addresses it has just
// mapped. The pages lie outside the Go heap, in mmuTestWindow.
//
// Precondition: nothing else edits the kernel region's L0 entries while
// AdoptVM fills them. The C core creates L0 entries only for new Go runtime
// areas, so run these checks before the runtime grows its heap into a new
// 512 GiB slot (in practice: early, and they are a test).
func MMUChecks(k *KernelMemoryManager) []KernelCheck {
	kern := k.VM.Kernel()
	va1, va2 := uint64(mmuTestWindow), uint64(mmuTestWindow+2<<20)
	return []KernelCheck{
		{"mm-mmu-two-aliases", func() error {
			pa, err := k.Phys.Alloc(0)
			if err != nil {
				return err
			}
			for _, va := range []uint64{va1, va2} {
				if err := kern.Map(va, pa, PageSize, AttrNormal, ProtRead|ProtWrite); err != nil {
					return err
				}
			}
			*word(va1 + 8) = 0x6275_7272_6f77 // through the first alias
			if got := *word(va2 + 8); got != 0x6275_7272_6f77 {
				return fmt.Errorf("read through the second alias = %#x, want 0x627572726f77", got)
			}
			if got := k.VM.mem.Load64(pa + 8); got != 0x6275_7272_6f77 {
				return fmt.Errorf("read through the direct map = %#x", got)
			}
			return nil
		}},
		{"mm-mmu-unmap-faults", func() error {
			// After Unmap (with its TLBI) a load from va2 must fault. The C
			// core turns the fault into SIGSEGV with the address, and
			// SetPanicOnFault makes the runtime panic instead of crashing.
			if err := kern.Unmap(va2, PageSize); err != nil {
				return err
			}
			addr, err := faultAddr(va2 + 16)
			if err != nil {
				return err
			}
			if addr != uintptr(va2+16) {
				return fmt.Errorf("fault at %#x, want %#x", addr, va2+16)
			}
			// The first alias still works, then goes too.
			if *word(va1 + 8) != 0x6275_7272_6f77 {
				return errors.New("the first alias lost its data")
			}
			tr, _ := kern.Translate(va1)
			if err := kern.Unmap(va1, PageSize); err != nil {
				return err
			}
			return k.Phys.Free(tr.PA)
		}},
		{"mm-mmu-dma-buffer", func() error {
			buf, err := k.DMA.Alloc(PageSize)
			if err != nil {
				return err
			}
			defer k.DMA.Free(buf)
			*word(buf.VA) = 0xd1a
			if got := k.VM.mem.Load64(buf.CPU); got != 0xd1a {
				return fmt.Errorf("DMA buffer written at VA %#x reads %#x at PA %#x", buf.VA, got, buf.CPU)
			}
			return nil
		}},
	}
}

// mmuTestWindow is where MMUChecks map their pages: in the kernel region,
// in the upper half of the DMA window, where no DMA buffer lands (those are
// at DMABase + physical address, far below).
const mmuTestWindow = DMABase + 1<<39

// word turns a mapped kernel virtual address into a pointer. The address is
// not a Go heap pointer, so converting through memory keeps vet's unsafeptr
// check (which guards Go pointers) out of the way.
func word(va uint64) *uint64 {
	p := uintptr(va)
	return (*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&p)))
}

// faultAddr loads from va and returns the address of the fault it must
// cause, or an error if it did not fault.
func faultAddr(va uint64) (addr uintptr, err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		r := recover()
		if e, ok := r.(interface{ Addr() uintptr }); ok {
			addr = e.Addr()
			return
		}
		if r != nil {
			panic(r)
		}
	}()
	v := *word(va)
	return 0, fmt.Errorf("load from unmapped %#x returned %#x instead of faulting", va, v)
}
