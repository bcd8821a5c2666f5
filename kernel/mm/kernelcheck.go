package mm

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// This file holds the memory manager's checks and benchmarks for the
// in-kernel test tier (issue #4): the same code as the host tests, but run
// by the Go kernel at EL1 on real RAM through the real direct map, with the
// real TLBI, DSB and DC instructions. The kernel runs them with one line
// each (test=mm, and in its benchmark table); the host test
// kernelcheck_test.go runs them over a byte slice.
//
// They work inside the region the C core hands over to the Go kernel and
// build their own address spaces there. They never load a TTBR or touch the
// kernel region's live tables, which the C core still edits on its own, so
// "two aliases" and "unmapped access faults" are checked through the
// software walk (Translate, CopyIn) rather than by the MMU.

// KernelEnv is what the checks need from the running kernel.
type KernelEnv struct {
	DTB      []byte     // core.DeviceTree()
	Handover Region     // core.PhysHandover(): the RAM the C core gave the Go kernel
	Direct   *DirectMap // nil: the C core's direct map, DirectMapBase + pa
	TLB      TLB        // nil: ArchTLB on arm64
	Cache    Cache      // nil: ArchCache on arm64
	// KernelRoot, if set, is the live kernel-region L0 table to adopt
	// (TTBRBaddr(ReadTTBR0()) at EL1), which MMUChecks needs. Zero keeps
	// the checks away from the live tables.
	KernelRoot uint64
}

// NewKernelManager parses the DTB and initializes a KernelMemoryManager
// confined to env.Handover: the rest of RAM is passed as reserved.
func NewKernelManager(env KernelEnv) (*KernelMemoryManager, error) {
	tree, err := fdt.Parse(env.DTB)
	if err != nil {
		return nil, err
	}
	ram, err := tree.Memory()
	if err != nil {
		return nil, err
	}
	if len(ram) == 0 || env.Handover.Size == 0 {
		return nil, fmt.Errorf("mm: no RAM or no handover region: %w", ErrBadArgument)
	}
	lo, hi := ram[0].Address, ram[0].End()
	for _, r := range ram {
		lo, hi = min(lo, r.Address), max(hi, r.End())
	}
	if env.Direct == nil {
		env.Direct = NewDirectMap(uintptr(DirectMapBase+lo), lo, hi-lo)
	}
	if env.TLB == nil {
		env.TLB = archTLB()
	}
	if env.Cache == nil {
		env.Cache = archCache(env.Direct)
	}
	if env.TLB == nil || env.Cache == nil {
		return nil, fmt.Errorf("mm: no TLB or cache maintenance on this architecture: pass them: %w", ErrBadArgument)
	}
	h := env.Handover
	if h.Address < lo || h.End() > hi || h.End() < h.Address {
		return nil, fmt.Errorf("mm: handover region %#x+%#x is not inside RAM: %w", h.Address, h.Size, ErrBadArgument)
	}
	bus := ""
	if soc := tree.Lookup("/soc"); soc != nil && soc.Has("dma-ranges") {
		bus = "/soc"
	}
	k := &KernelMemoryManager{}
	return k, k.Initialize(Config{
		Tree: tree, Direct: env.Direct, TLB: env.TLB, Cache: env.Cache, DMABus: bus, KernelRoot: env.KernelRoot,
		Reserved: []Region{{Address: lo, Size: h.Address - lo}, {Address: h.End(), Size: hi - h.End()}},
	})
}

// KernelCheck is one named check; Run returns nil when it passes.
type KernelCheck struct {
	Name string
	Run  func() error
}

// KernelChecks returns the in-kernel checks of the memory manager k.
func KernelChecks(k *KernelMemoryManager, tree *fdt.Tree) []KernelCheck {
	mem := k.VM.mem
	return []KernelCheck{
		{"mm-phys-alloc-free", func() error {
			// Every order: allocate, write both ends through the direct
			// map, read back, free; then every invariant.
			for order := 0; order <= MaxOrder; order++ {
				pa, err := k.Phys.Alloc(order)
				if err != nil {
					return err
				}
				end := pa + PageSize<<order - 8
				mem.Store64(pa, pa^0x5a5a)
				mem.Store64(end, end^0xa5a5)
				if mem.Load64(pa) != pa^0x5a5a || mem.Load64(end) != end^0xa5a5 {
					return fmt.Errorf("order %d block at %#x does not hold what was written", order, pa)
				}
				if err := k.Phys.Free(pa); err != nil {
					return err
				}
				if err := k.Phys.Free(pa); !errors.Is(err, ErrDoubleFree) {
					return fmt.Errorf("double free of %#x = %v, want ErrDoubleFree", pa, err)
				}
			}
			return k.Phys.Check()
		}},
		{"mm-two-aliases", func() error {
			// One page mapped at two user VAs: written through one, read
			// through the other and through the direct map.
			us, err := k.VM.NewUserSpace()
			if err != nil {
				return err
			}
			defer us.Destroy()
			pa, err := k.Phys.Alloc(0)
			if err != nil {
				return err
			}
			defer k.Phys.Free(pa)
			mem.Zero(pa, PageSize)
			as := us.AddressSpace()
			for _, va := range []uint64{0x400000, 0x800000} {
				if err := as.Map(va, pa, PageSize, AttrNormal, ProtRead|ProtWrite); err != nil {
					return err
				}
			}
			if err := us.CopyOut(0x400000+8, []byte("burrow")); err != nil {
				return err
			}
			got := make([]byte, 6)
			if err := us.CopyIn(got, 0x800000+8); err != nil || string(got) != "burrow" {
				return fmt.Errorf("read through the second alias = %q, %v, want \"burrow\"", got, err)
			}
			mem.ReadAt(got, int64(pa+8))
			if string(got) != "burrow" {
				return fmt.Errorf("read through the direct map = %q, want \"burrow\"", got)
			}
			// Unmapped: the next access is a fault with its address.
			if err := as.Unmap(0x800000, PageSize); err != nil {
				return err
			}
			if err := us.CopyIn(got, 0x800000+8); !errors.Is(err, ErrFault) {
				return fmt.Errorf("CopyIn after Unmap = %v, want ErrFault", err)
			}
			return as.Unmap(0x400000, PageSize)
		}},
		{"mm-copyin-two-spaces", func() error {
			var spaces [2]*UserSpace
			for i := range spaces {
				us, err := k.VM.NewUserSpace()
				if err != nil {
					return err
				}
				defer us.Destroy()
				if err := us.MapAnon(0x10000, PageSize, ProtRead|ProtWrite, false); err != nil {
					return err
				}
				if err := us.CopyOut(0x10000, []byte{'A' + byte(i)}); err != nil {
					return err
				}
				spaces[i] = us
			}
			for i, us := range spaces {
				b := []byte{0}
				if err := us.CopyIn(b, 0x10000); err != nil || b[0] != 'A'+byte(i) {
					return fmt.Errorf("space %d reads %q, %v at the shared VA", i, b, err)
				}
			}
			if err := spaces[0].CopyIn(make([]byte, 1), 0x20000); !errors.Is(err, ErrFault) {
				return fmt.Errorf("CopyIn of an unmapped address = %v, want EFAULT", err)
			}
			return nil
		}},
		{"mm-fork-cow", func() error {
			parent, err := k.VM.NewUserSpace()
			if err != nil {
				return err
			}
			defer parent.Destroy()
			if err := parent.MapAnon(0x10000, PageSize, ProtRead|ProtWrite, false); err != nil {
				return err
			}
			if err := parent.CopyOut(0x10000, []byte("parent")); err != nil {
				return err
			}
			child, err := parent.Fork()
			if err != nil {
				return err
			}
			defer child.Destroy()
			if err := child.CopyOut(0x10000, []byte("child!")); err != nil {
				return err
			}
			got := make([]byte, 6)
			if err := parent.CopyIn(got, 0x10000); err != nil {
				return err
			}
			if string(got) != "parent" || child.Faults.COWCopied.Load() != 1 {
				return fmt.Errorf("after the child's write the parent reads %q (COW copies %d)", got, child.Faults.COWCopied.Load())
			}
			return nil
		}},
		{"mm-dma-bus-address", func() error {
			buf, err := k.DMA.Alloc(PageSize)
			if err != nil {
				return err
			}
			defer k.DMA.Free(buf)
			// What the device tree implies: on the BCM2711, /soc's
			// dma-ranges put physical 0 at bus 0xc0000000; elsewhere bus
			// addresses are physical ones.
			want := buf.CPU
			if tree.Root.Compatible("brcm,bcm2711") {
				want += 0xc0000000
			}
			if buf.Bus != want {
				return fmt.Errorf("DMA buffer at %#x has bus address %#x, want %#x", buf.CPU, buf.Bus, want)
			}
			tr, err := k.VM.Kernel().Translate(buf.VA)
			if err != nil || tr.PA != buf.CPU || tr.Attr != AttrNormalNC {
				return fmt.Errorf("DMA buffer mapping = %+v, %v; want PA %#x, normal-nc", tr, err, buf.CPU)
			}
			b := make([]byte, PageSize)
			mem.ReadAt(b, int64(buf.CPU))
			if !bytes.Equal(b, make([]byte, PageSize)) {
				return errors.New("DMA buffer is not zeroed")
			}
			return nil
		}},
		{"mm-pool-concurrent", func() error {
			p, err := CreatePool[poolCheckObject](k, "check", 256)
			if err != nil {
				return err
			}
			var wg sync.WaitGroup
			errs := make(chan error, 4)
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 2000 {
						o, err := p.Get()
						if err != nil {
							continue
						}
						o.Owner, o.Seq = uint32(g), uint32(i)
						if o.Owner != uint32(g) || o.Seq != uint32(i) {
							errs <- fmt.Errorf("pool object %p changed under goroutine %d", o, g)
							return
						}
						if err := p.Put(o); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			if err := <-errs; err != nil {
				return err
			}
			if s := p.Stats(); s.InUse != 0 || s.BadPuts != 0 {
				return fmt.Errorf("pool stats after the run: %+v", s)
			}
			return nil
		}},
	}
}

type poolCheckObject struct{ Owner, Seq uint32 }

// KernelBenchmark is one benchmark: Run does n operations, and the kernel
// times it with the generic timer (instructions, under icount).
type KernelBenchmark struct {
	Name string
	Run  func(n int)
}

// KernelBenchmarks returns the benchmarks: pool alloc/free, page
// alloc/free at orders 0 and 9, map plus unmap of a 4 KiB page and of a
// 2 MiB block, and a demand-zero page fault.
func KernelBenchmarks(k *KernelMemoryManager) ([]KernelBenchmark, error) {
	pool, err := CreatePool[[64]byte](k, "bench", 64)
	if err != nil {
		return nil, err
	}
	us, err := k.VM.NewUserSpace()
	if err != nil {
		return nil, err
	}
	if err := us.MapAnon(0x10000, PageSize, ProtRead|ProtWrite, false); err != nil {
		return nil, err
	}
	block, err := k.Phys.Alloc(9)
	if err != nil {
		return nil, err
	}
	as := us.AddressSpace()
	mapUnmap := func(size uint64) func(int) {
		return func(n int) {
			for range n {
				as.Map(0x40000000, block, size, AttrNormal, ProtRead|ProtWrite)
				as.Unmap(0x40000000, size)
			}
		}
	}
	allocFree := func(order int) func(int) {
		return func(n int) {
			for range n {
				pa, _ := k.Phys.Alloc(order)
				k.Phys.Free(pa)
			}
		}
	}
	return []KernelBenchmark{
		{"mm pool get+put 64 B", func(n int) {
			for range n {
				o, _ := pool.Get()
				pool.Put(o)
			}
		}},
		{"mm page alloc+free order 0", allocFree(0)},
		{"mm page alloc+free order 9", allocFree(9)},
		{"mm map+unmap 4 KiB page", mapUnmap(PageSize)},
		{"mm map+unmap 2 MiB block", mapUnmap(2 << 20)},
		{"mm demand-zero fault (+discard)", func(n int) {
			for range n {
				us.Fault(0x10000, AccessWrite)
				us.Discard(0x10000, PageSize)
			}
		}},
	}, nil
}
