package reg

import (
	"errors"
	"fmt"
	"time"
)

// Backing performs the accesses of a Block: MMIO on the machine, a Fake on
// the host. Addresses are physical.
type Backing interface {
	Read32(pa uint64) uint32
	Write32(pa uint64, v uint32)
}

// Block is one device's register window: a backing and a base address.
// Offsets are in bytes, as datasheets give them.
type Block struct {
	B    Backing
	Base uint64
}

// New returns the block of registers at physical base.
func New(b Backing, base uint64) Block { return Block{B: b, Base: base} }

// Read returns the register at offset off.
func (r Block) Read(off uint32) uint32 { return r.B.Read32(r.Base + uint64(off)) }

// Write stores v into the register at offset off.
func (r Block) Write(off uint32, v uint32) { r.B.Write32(r.Base+uint64(off), v) }

// Set sets the bits of mask (read, or, write).
func (r Block) Set(off uint32, mask uint32) { r.Write(off, r.Read(off)|mask) }

// Clear clears the bits of mask (read, and-not, write).
func (r Block) Clear(off uint32, mask uint32) { r.Write(off, r.Read(off)&^mask) }

// Field replaces the bits of mask with v shifted into place (v is the
// field's value, counted from the mask's lowest bit).
func (r Block) Field(off uint32, mask uint32, v uint32) {
	shift := 0
	for shift < 32 && mask&(1<<shift) == 0 {
		shift++
	}
	r.Write(off, r.Read(off)&^mask|(v<<shift)&mask)
}

// ErrTimeout is wrapped by WaitFor's error when the register never matched.
var ErrTimeout = errors.New("reg: timed out")

// Clock tells WaitFor how long it has waited; the kernel passes the generic
// timer, the host tests a fake or time.Since.
var Clock = func() func() time.Duration {
	start := time.Now()
	return func() time.Duration { return time.Since(start) }
}

// WaitFor polls the register at off until (value & mask) == want, or until
// timeout has passed. It returns the last value read. A device that never
// answers is an error, never a hang.
func (r Block) WaitFor(off, mask, want uint32, timeout time.Duration) (uint32, error) {
	elapsed := Clock()
	for i := 0; ; i++ {
		v := r.Read(off)
		if v&mask == want {
			return v, nil
		}
		// Check the clock only every few reads: polling is the fast path.
		if i%16 == 15 && elapsed() > timeout {
			return v, fmt.Errorf("%w: register %#x of %#x reads %#x, waited for %#x under mask %#x",
				ErrTimeout, off, r.Base, v, want, mask)
		}
	}
}

// WaitAny polls the register at off until any bit of mask is set, or until
// timeout has passed, and returns the last value read.
func (r Block) WaitAny(off, mask uint32, timeout time.Duration) (uint32, error) {
	elapsed := Clock()
	for i := 0; ; i++ {
		v := r.Read(off)
		if v&mask != 0 {
			return v, nil
		}
		if i%16 == 15 && elapsed() > timeout {
			return v, fmt.Errorf("%w: register %#x of %#x reads %#x, waited for any of %#x",
				ErrTimeout, off, r.Base, v, mask)
		}
	}
}
