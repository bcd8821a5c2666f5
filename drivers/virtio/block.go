package virtio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// queueSize is the number of descriptors: a request needs three.
const queueSize = 8

// Memory layout of the one 2 KiB DMA area, offsets in bytes. The split
// virtqueue (2.6) is descriptor table, available ring and used ring; the
// legacy transport wants them contiguous with the used ring aligned to
// QueueAlign, which this layout satisfies with QueueAlign = 256.
const (
	offDesc   = 0    // 8 descriptors of 16 bytes
	offAvail  = 128  // flags, idx, ring[8], used_event: 22 bytes
	offUsed   = 256  // flags, idx, ring[8] of {id, len}, avail_event: 70 bytes
	offHeader = 512  // the request header: type, reserved, sector
	offStatus = 528  // the status byte the device writes
	offData   = 1024 // one sector
	areaSize  = 2048
	alignUsed = 256
)

// Block is the virtio block driver.
type Block struct {
	drivers.Base
	regs    reg.Block
	dma     func(int) ([]byte, uint64, error)
	mem     []byte // the DMA area
	pa      uint64 // its physical address (identity bus on virt)
	legacy  bool
	sectors uint64
	mu      sync.Mutex // one request at a time
	avail   uint16     // our next available index
	used    uint16     // the used index we have seen

	// Interrupts is set when requests should sleep until the device's
	// interrupt instead of spinning (the board sets it when the framework
	// serves the line); done carries HandleInterrupt's wakeups.
	Interrupts atomic.Bool
	done       chan struct{}
}

// New returns a driver for the virtio-mmio transport at regs. It fails with
// drivers.ErrNoDevice if no device, or not a block device, is behind it.
func New(regs reg.Block, dma func(int) ([]byte, uint64, error)) (*Block, error) {
	if regs.Read(MagicValue) != Magic {
		return nil, fmt.Errorf("virtio: bad magic %#x", regs.Read(MagicValue))
	}
	switch id := regs.Read(DeviceID); id {
	case DeviceBlock:
	case 0:
		return nil, fmt.Errorf("empty virtio-mmio slot: %w", drivers.ErrNoDevice)
	default:
		return nil, fmt.Errorf("virtio device type %d is not a block device: %w", id, drivers.ErrNoDevice)
	}
	return &Block{regs: regs, dma: dma, done: make(chan struct{}, 1)}, nil
}

// Initialize is the driver initialisation of 3.1.1, with the queue set up
// as 4.2.3.2 (modern) or 4.2.4 (legacy) says.
func (b *Block) Initialize() error {
	r := b.regs
	b.legacy = r.Read(Version) == 1
	// 1. Reset, then ACKNOWLEDGE and DRIVER.
	r.Write(Status, 0)
	r.Write(Status, StatusAcknowledge)
	r.Write(Status, StatusAcknowledge|StatusDriver)
	// 2. Features: none of the block device's own; VERSION_1 on modern.
	r.Write(DriverFeaturesSel, 0)
	r.Write(DriverFeatures, 0)
	if !b.legacy {
		r.Write(DeviceFeaturesSel, 1)
		if r.Read(DeviceFeatures)&featureVersion1 == 0 {
			return b.fail("the device does not offer VERSION_1")
		}
		r.Write(DriverFeaturesSel, 1)
		r.Write(DriverFeatures, featureVersion1)
		r.Write(Status, StatusAcknowledge|StatusDriver|StatusFeaturesOK)
		if r.Read(Status)&StatusFeaturesOK == 0 {
			return b.fail("the device refused our features")
		}
	}
	// 3. Queue 0.
	var err error
	if b.mem, b.pa, err = b.dma(areaSize); err != nil {
		return err
	}
	r.Write(QueueSel, 0)
	if max := r.Read(QueueNumMax); max < queueSize {
		return b.fail(fmt.Sprintf("queue 0 holds %d descriptors, need %d", max, queueSize))
	}
	r.Write(QueueNum, queueSize)
	if b.legacy {
		// The queue's address is a page number; a 2 KiB "page" fits our
		// 2 KiB-aligned area.
		r.Write(GuestPageSize, areaSize)
		r.Write(QueueAlign, alignUsed)
		r.Write(QueuePFN, uint32(b.pa/areaSize))
	} else {
		for _, q := range []struct {
			lo  uint32
			off uint64
		}{{QueueDescLow, offDesc}, {QueueDriverLow, offAvail}, {QueueDeviceLow, offUsed}} {
			r.Write(q.lo, uint32(b.pa+q.off))
			r.Write(q.lo+4, uint32((b.pa+q.off)>>32))
		}
		r.Write(QueueReady, 1)
	}
	// 4. Capacity in 512-byte sectors, then DRIVER_OK.
	b.sectors = uint64(r.Read(Config)) | uint64(r.Read(Config+4))<<32
	st := uint32(StatusAcknowledge | StatusDriver | StatusDriverOK)
	if !b.legacy {
		st |= StatusFeaturesOK
	}
	r.Write(Status, st)
	return nil
}

func (b *Block) fail(why string) error {
	b.regs.Set(Status, StatusFailed)
	return errors.New("virtio: " + why)
}

// Size is the device's capacity in bytes.
func (b *Block) Size() int64 { return int64(b.sectors) * SectorSize }

// ReadAt reads whole sectors: off and len(p) must be multiples of 512.
func (b *Block) ReadAt(p []byte, off int64) (int, error) { return b.rw(blkIn, p, off) }

// WriteAt writes whole sectors.
func (b *Block) WriteAt(p []byte, off int64) (int, error) { return b.rw(blkOut, p, off) }

func (b *Block) rw(op uint32, p []byte, off int64) (int, error) {
	if off%SectorSize != 0 || len(p)%SectorSize != 0 {
		return 0, fmt.Errorf("virtio: %d bytes at %d: not whole sectors", len(p), off)
	}
	if off < 0 || off+int64(len(p)) > b.Size() {
		return 0, fmt.Errorf("virtio: %d bytes at %d: beyond the %d-byte disk", len(p), off, b.Size())
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for n := 0; n < len(p); n += SectorSize {
		data := b.mem[offData : offData+SectorSize]
		if op == blkOut {
			copy(data, p[n:])
		}
		if err := b.request(op, uint64(off+int64(n))/SectorSize); err != nil {
			return n, err
		}
		if op == blkIn {
			copy(p[n:], data)
		}
	}
	return len(p), nil
}

// request runs one request for one sector and waits for it.
func (b *Block) request(op uint32, sector uint64) error {
	le := binary.LittleEndian
	m := b.mem
	le.PutUint32(m[offHeader:], op)
	le.PutUint32(m[offHeader+4:], 0)
	le.PutUint64(m[offHeader+8:], sector)
	m[offStatus] = 0xff
	dataFlags := uint16(descNext)
	if op == blkIn {
		dataFlags |= descWrite
	}
	// The chain: header (device reads), data, status (device writes).
	b.desc(0, offHeader, 16, descNext, 1)
	b.desc(1, offData, SectorSize, dataFlags, 2)
	b.desc(2, offStatus, 1, descWrite, 0)
	// Publish head 0 in the available ring, then the new index. The
	// notify below is an MMIO store-release, ordering both before it.
	le.PutUint16(m[offAvail+4+2*int(b.avail%queueSize):], 0)
	b.avail++
	storeIndex(m[offAvail:], b.avail)
	b.regs.Write(QueueNotify, 0)
	// Wait for the used index to move: spinning, or, once the interrupt
	// goroutine runs, sleeping until HandleInterrupt says it did.
	elapsed := reg.Clock()
	for loadIndex(m[offUsed:]) == b.used {
		if elapsed() > 2*time.Second {
			return fmt.Errorf("virtio: request for sector %d: no answer in 2 s", sector)
		}
		if b.Interrupts.Load() {
			select {
			case <-b.done:
			case <-time.After(10 * time.Millisecond): // a lost interrupt costs 10 ms, not the request
			}
		}
	}
	b.used++
	if !b.Interrupts.Load() {
		b.regs.Write(InterruptACK, b.regs.Read(InterruptStatus))
	}
	if s := m[offStatus]; s != blkOK {
		return fmt.Errorf("virtio: request for sector %d: status %d", sector, s)
	}
	return nil
}

func (b *Block) desc(i int, off uint64, n uint32, flags, next uint16) {
	d := b.mem[offDesc+16*i:]
	le := binary.LittleEndian
	le.PutUint64(d, b.pa+off)
	le.PutUint32(d[8:], n)
	le.PutUint16(d[12:], flags)
	le.PutUint16(d[14:], next)
}

// InterruptsServed tells the driver its interrupt goroutine runs, so
// requests may sleep until the interrupt (drivers.InterruptsServed).
func (b *Block) InterruptsServed() { b.Interrupts.Store(true) }

// HandleInterrupt acknowledges the device's interrupt (4.2.2:
// InterruptStatus bit 0 is "used buffer notification") and wakes the
// request waiting for it.
func (b *Block) HandleInterrupt() error {
	st := b.regs.Read(InterruptStatus)
	b.regs.Write(InterruptACK, st)
	if st&1 != 0 {
		select {
		case b.done <- struct{}{}:
		default:
		}
	}
	return nil
}

// Control answers ControlDescribe.
func (b *Block) Control(cmd drivers.ControlCommand, arg any) error {
	if s, ok := arg.(*string); ok && cmd == drivers.ControlDescribe {
		kind := "modern"
		if b.legacy {
			kind = "legacy"
		}
		wait := "polled"
		if b.Interrupts.Load() {
			wait = "interrupt-driven"
		}
		*s = fmt.Sprintf("virtio block device (%s transport), %d sectors (%d KiB), %s completion", kind, b.sectors, b.sectors/2, wait)
		return nil
	}
	return drivers.ErrUnsupported
}
