// Package rng200 drives the BCM2711's hardware random number generator,
// the Broadcom iProc RNG200 ("brcm,bcm2711-rng200"). Broadcom publishes no
// datasheet for it; the register layout is the one Linux's
// drivers/char/hw_random/iproc-rng200.c programs.
//
// QEMU's raspi4b has no RNG200 (it removes the node from the device tree),
// so there the framework reports it absent and the kernel keeps its seeded
// generator; on a real Pi 4 Read returns hardware entropy.
//
// Where it runs: the Go kernel at EL1 after the runtime has started; the
// host with reg.Fake.
package rng200

import (
	"fmt"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Registers (iproc-rng200.c).
const (
	RNG_CTRL       = 0x00
	RNG_INT_STATUS = 0x18
	RNG_FIFO_DATA  = 0x20
	RNG_FIFO_COUNT = 0x24

	RNG_CTRL_RBGEN      = 1 << 0 // enable the bit generator
	RNG_FIFO_COUNT_MASK = 0xff   // words waiting in the FIFO
)

// RNG is the driver.
type RNG struct {
	drivers.Base
	regs reg.Block
}

// New returns a driver for the RNG200 at regs.
func New(regs reg.Block) *RNG { return &RNG{regs: regs} }

// Initialize clears stale status, starts the generator and waits for its
// first word.
func (r *RNG) Initialize() error {
	r.regs.Write(RNG_INT_STATUS, 0xffffffff)
	r.regs.Set(RNG_CTRL, RNG_CTRL_RBGEN)
	_, err := r.wait()
	return err
}

// wait returns how many words the FIFO holds, waiting up to a second for
// the first.
func (r *RNG) wait() (uint32, error) {
	elapsed := reg.Clock()
	for {
		if n := r.regs.Read(RNG_FIFO_COUNT) & RNG_FIFO_COUNT_MASK; n != 0 {
			return n, nil
		}
		if elapsed() > time.Second {
			return 0, fmt.Errorf("rng200: no random words after 1 s: %w", reg.ErrTimeout)
		}
	}
}

// Read fills p with hardware random bytes, four per FIFO word.
func (r *RNG) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		words, err := r.wait()
		if err != nil {
			return n, err
		}
		for ; words > 0 && n < len(p); words-- {
			w := r.regs.Read(RNG_FIFO_DATA)
			for k := 0; k < 4 && n < len(p); k++ {
				p[n] = byte(w >> (8 * k))
				n++
			}
		}
	}
	return n, nil
}
