package mm

import (
	"fmt"
	"sync"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// DMA buffers are memory that a device reads or writes by itself. Two
// things differ from ordinary memory:
//
//  1. Addresses. A device does not see CPU physical addresses but bus
//     addresses. On the BCM2711 the legacy peripherals below /soc see RAM at
//     bus address 0xc0000000 + physical, and only the first 1 GiB of it
//     (/soc's dma-ranges). The device tree says this; the allocator turns a
//     buffer's physical address into the bus address the driver must
//     program, and refuses memory the device cannot reach.
//
//  2. Caches. The DMA engines on the BCM2711 do not snoop the Cortex-A72's
//     caches. Data the CPU wrote may still sit in its cache when the device
//     reads RAM, and data the device wrote may be hidden behind stale cache
//     lines. Burrow picks the simpler of the two standard answers: every
//     buffer is mapped Normal Non-cacheable (AttrNormalNC) in the kernel's
//     DMA window, so CPU accesses go straight to RAM and no cache clean or
//     invalidate is needed around transfers (only once, when the buffer is
//     allocated: see Cache). The price is slower CPU access to the
//     buffer, which is fine for descriptors and small I/O buffers. (The
//     other answer, cacheable buffers plus DC CVAC / DC IVAC around each
//     transfer, is faster for large buffers the CPU processes; a driver that
//     needs it can add it later.)
//
// Buffers are physically contiguous blocks from the buddy allocator, so a
// device that knows nothing of paging can use them, and at most 4 MiB.

// DMABuffer is one DMA buffer.
type DMABuffer struct {
	CPU  uint64 // physical address, for the kernel's bookkeeping
	Bus  uint64 // address to give the device
	VA   uint64 // kernel virtual address, mapped non-cacheable: DMABase + CPU
	Size uint64 // bytes, a power of two pages
}

// DMAAllocator hands out DMA buffers for the devices below one bus.
type DMAAllocator struct {
	pages  PageAllocator
	mem    PhysMem
	cache  Cache
	kernel *AddressSpace
	bus    fdt.DMAMap

	mu    sync.Mutex // guards live and the counters
	live  map[uint64]DMABuffer
	bytes uint64
	fails uint64
}

// DMAStats describes the DMA allocator's use.
type DMAStats struct {
	Buffers int
	Bytes   uint64
	Failed  uint64
}

// NewDMAAllocator makes an allocator whose buffers are reachable through
// bus, mapped in kernel's DMA window.
func NewDMAAllocator(pages PageAllocator, mem PhysMem, cache Cache, kernel *AddressSpace, bus fdt.DMAMap) *DMAAllocator {
	return &DMAAllocator{pages: pages, mem: mem, cache: cache, kernel: kernel, bus: bus, live: map[uint64]DMABuffer{}}
}

// Alloc returns a zeroed buffer of at least size bytes.
func (d *DMAAllocator) Alloc(size uint64) (DMABuffer, error) {
	order := OrderFor(size)
	if size == 0 || order > MaxOrder {
		return DMABuffer{}, fmt.Errorf("mm: DMA buffer of %d bytes: %w", size, ErrBadArgument)
	}
	buf, err := d.alloc(order)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil {
		d.fails++
		return DMABuffer{}, err
	}
	d.live[buf.CPU] = buf
	d.bytes += buf.Size
	return buf, nil
}

func (d *DMAAllocator) alloc(order int) (DMABuffer, error) {
	// 1. Physically contiguous memory.
	pa, err := d.pages.Alloc(order)
	if err != nil {
		return DMABuffer{}, fmt.Errorf("mm: DMA buffer: %w", err)
	}
	buf := DMABuffer{CPU: pa, VA: DMABase + pa, Size: PageSize << order}
	// 2. Where the device sees it; memory outside every dma-ranges window
	//    is no use to it.
	if buf.Bus, err = d.bus.ToBus(pa, buf.Size); err != nil {
		d.pages.Free(pa)
		return DMABuffer{}, fmt.Errorf("mm: DMA buffer at %#x is not reachable by the device: %w", pa, err)
	}
	// 3. A non-cacheable kernel mapping, so no cache maintenance is needed.
	if err := d.kernel.Map(buf.VA, pa, buf.Size, AttrNormalNC, ProtRead|ProtWrite); err != nil {
		d.pages.Free(pa)
		return DMABuffer{}, err
	}
	// 4. No stale data from the page's last owner reaches a device: zero
	//    the buffer (through the direct map), then push those zeroes and
	//    any other dirty lines out of the cache for good (see Cache).
	d.mem.Zero(pa, buf.Size)
	d.cache.CleanInvalidate(pa, buf.Size)
	return buf, nil
}

// Free unmaps and frees a buffer. The device must be done with it.
func (d *DMAAllocator) Free(buf DMABuffer) error {
	d.mu.Lock()
	live, ok := d.live[buf.CPU]
	if !ok || live != buf {
		d.mu.Unlock()
		return fmt.Errorf("mm: free DMA buffer %#x: %w", buf.CPU, ErrForeign)
	}
	delete(d.live, buf.CPU)
	d.bytes -= buf.Size
	d.mu.Unlock()
	if err := d.kernel.Unmap(buf.VA, buf.Size); err != nil {
		return err
	}
	return d.pages.Free(buf.CPU)
}

// Stats returns the allocator's counters.
func (d *DMAAllocator) Stats() DMAStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return DMAStats{Buffers: len(d.live), Bytes: d.bytes, Failed: d.fails}
}
