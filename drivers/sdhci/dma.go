package sdhci

import (
	"fmt"
)

// DMAMemory allocates size bytes of memory the controller can reach by
// DMA: physically contiguous, zeroed, returned as the bytes the CPU uses
// and the address the controller must be given (the bus address, after
// the device tree's dma-ranges). The kernel passes kernel/mm's allocator,
// whose buffers are mapped non-cacheable, so no cache maintenance is
// needed around a transfer; host tests pass a slice that a fake controller
// reads and writes.
type DMAMemory func(size int) (buf []byte, bus uint64, err error)

// bounceSize is the bounce buffer the driver asks for: one full command of
// maxBlocks sectors.
const bounceSize = maxBlocks * SectorSize

// admaBuffers is what ADMA2 transfers need: a descriptor table, and a
// bounce buffer that data goes through, because the caller's slice lives
// in the Go heap, whose pages the driver cannot translate to bus addresses.
// The bounce buffer is a list of equal chunks, as large as the allocator
// gives (the C core's gives at most 2 KiB, kernel/mm's 64 KiB at once):
// PageSegments turns it into the table's scatter list.
type admaBuffers struct {
	table    []byte
	tableBus uint32
	chunks   [][]byte
	bus      []uint64 // each chunk's bus address
	chunk    int      // bytes per chunk
	used     int      // descriptors in the table of the last transfer
}

// newADMABuffers allocates the bounce buffer, in the largest chunks mem
// gives (halving from bounceSize down to one sector), and a table big
// enough to describe all of it.
func newADMABuffers(mem DMAMemory) (*admaBuffers, error) {
	d := &admaBuffers{}
	var err error
	for d.chunk = bounceSize; d.chunk >= SectorSize; d.chunk /= 2 {
		var buf []byte
		var bus uint64
		if buf, bus, err = mem(d.chunk); err == nil {
			d.chunks, d.bus = append(d.chunks, buf[:d.chunk]), append(d.bus, bus)
			break
		}
	}
	if len(d.chunks) == 0 {
		return nil, fmt.Errorf("no DMA memory for a bounce buffer: %w", err)
	}
	for len(d.chunks)*d.chunk < bounceSize {
		buf, bus, err := mem(d.chunk)
		if err != nil {
			break // a smaller bounce buffer still works
		}
		d.chunks, d.bus = append(d.chunks, buf[:d.chunk]), append(d.bus, bus)
	}
	// The worst case is one descriptor per chunk (no two adjacent).
	tableSize := len(d.chunks) * DescSize
	table, bus, err := mem(tableSize)
	if err != nil {
		return nil, fmt.Errorf("no DMA memory for the descriptor table: %w", err)
	}
	if bus%4 != 0 || bus+uint64(tableSize) > 1<<32 {
		return nil, fmt.Errorf("descriptor table at bus address %#x: not 4-byte aligned below 4 GiB: %w", bus, ErrMisaligned)
	}
	d.table, d.tableBus = table[:tableSize], uint32(bus)
	// Check once that the whole buffer can be described: a chunk the
	// 32-bit engine cannot reach is found now, not in the middle of a read.
	if _, err := d.describe(d.size()); err != nil {
		return nil, err
	}
	return d, nil
}

// size is the bounce buffer's size in bytes.
func (d *admaBuffers) size() int { return len(d.chunks) * d.chunk }

func (d *admaBuffers) String() string {
	return fmt.Sprintf("a %d KiB bounce buffer in %d chunk(s) of %d bytes, descriptor table at bus address %#x",
		d.size()>>10, len(d.chunks), d.chunk, d.tableBus)
}

// describe writes the table for the first n bytes of the bounce buffer.
func (d *admaBuffers) describe(n int) (int, error) {
	segs, err := PageSegments(d.bus, d.chunk, 0, n)
	if err != nil {
		return 0, err
	}
	table, err := BuildTable(segs)
	if err != nil {
		return 0, err
	}
	return len(table), PutTable(d.table, table)
}

// copy moves p into the bounce buffer (in) or out of it.
func (d *admaBuffers) copy(p []byte, in bool) {
	for i, n := 0, 0; n < len(p); i++ {
		if in {
			n += copy(d.chunks[i], p[n:])
		} else {
			n += copy(p[n:], d.chunks[i])
		}
	}
}

// chooseDMA picks how data moves: ADMA2 when the controller advertises it
// and DMA memory was given, else PIO, remembering why for Control.
func (c *Card) chooseDMA() {
	c.dma = nil
	switch caps := c.regs.Read(CAPABILITIES); {
	case caps&CAP_ADMA2 == 0:
		c.pioWhy = "CAPABILITIES has no ADMA2"
	case c.mem == nil:
		c.pioWhy = "no DMA memory was given"
	default:
		d, err := newADMABuffers(c.mem)
		if err != nil {
			c.pioWhy = "ADMA2 set-up failed: " + err.Error()
			return
		}
		c.dma = d
		c.regs.Field(CONTROL0, CONTROL0_DMA_MASK, CONTROL0_DMA_ADMA2>>3)
	}
}

// adma moves p (at most the bounce buffer) by ADMA2, following SDHCI 3.00
// 3.7.2.3 "Using ADMA".
func (c *Card) adma(write bool, p []byte, off int64) error {
	d := c.dma
	// 1. Describe the bounce buffer's first len(p) bytes; a write copies
	//    the data in first. Both go to memory the controller reads
	//    without the CPU's caches (see DMAMemory), and the release store
	//    of the command below orders them before the transfer starts.
	n, err := d.describe(len(p))
	if err != nil {
		return err
	}
	d.used = n
	if write {
		d.copy(p, true)
	}
	// 2. Where the table is; 3-5. block size and count, argument, and the
	//    command with DMA enabled, which starts the engine.
	c.regs.Write(ADMA_SYS_ADDR, d.tableBus)
	if err := c.start(write, p, off, true); err != nil {
		return c.failed(write, p, off, err)
	}
	// 6. Wait for Transfer Complete, which comes after the last block
	//    (and Auto CMD12); an error stops the engine and says where.
	if err := c.wait(DATA_DONE); err != nil {
		return c.failed(write, p, off, err)
	}
	c.regs.Write(INTERRUPT, 0xffffffff)
	if !write {
		d.copy(p, false)
	}
	return nil
}
