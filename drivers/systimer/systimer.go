// Package systimer drives the BCM2711 system timer (BCM2711 ARM
// Peripherals, chapter 10 "System Timer"): a free-running 64-bit counter at
// 1 MHz and four compare channels, of which the VideoCore uses 0 and 2, so
// the ARM has 1 and 3.
//
// Where it runs: the Go kernel at EL1 after the runtime has started, the
// compare interrupt in the device's interrupt goroutine; the host with
// reg.Fake.
package systimer

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Registers, BCM2711 ARM Peripherals section 10.2.
const (
	CS  = 0x00 // control/status: bit n = channel n matched; write 1 to clear
	CLO = 0x04 // counter, low 32 bits
	CHI = 0x08 // counter, high 32 bits
	C0  = 0x0c // compare 0-3, 4 bytes apart
)

// Channel is the compare channel the ARM uses.
const Channel = 1

// Timer is the driver.
type Timer struct {
	drivers.Base
	regs  reg.Block
	hz    uint32
	Fired atomic.Uint64 // compare matches handled
}

// New returns a driver for the timer at regs counting at hz (the node's
// clock-frequency, 1 MHz).
func New(regs reg.Block, hz uint32) *Timer {
	if hz == 0 {
		hz = 1_000_000
	}
	return &Timer{regs: regs, hz: hz}
}

// Initialize clears a stale match on the ARM's channel.
func (t *Timer) Initialize() error {
	t.regs.Write(CS, 1<<Channel)
	return nil
}

// Count reads the 64-bit counter. CHI and CLO are two reads, so read CHI,
// CLO, CHI again, and retry if the low half wrapped in between.
func (t *Timer) Count() uint64 {
	for {
		hi := t.regs.Read(CHI)
		lo := t.regs.Read(CLO)
		if t.regs.Read(CHI) == hi {
			return uint64(hi)<<32 | uint64(lo)
		}
	}
}

// Now is the counter as a duration since the timer started.
func (t *Timer) Now() time.Duration {
	c := t.Count()
	return time.Duration(c/uint64(t.hz))*time.Second + time.Duration(c%uint64(t.hz))*time.Second/time.Duration(t.hz)
}

// Arm makes channel 1 match d from now; its interrupt then fires once.
func (t *Timer) Arm(d time.Duration) {
	ticks := uint32(d * time.Duration(t.hz) / time.Second)
	t.regs.Write(C0+4*Channel, t.regs.Read(CLO)+ticks)
}

// HandleInterrupt acknowledges the match (write 1 to CS bit 1).
func (t *Timer) HandleInterrupt() error {
	if t.regs.Read(CS)&(1<<Channel) == 0 {
		return fmt.Errorf("systimer: interrupt without a match on channel %d", Channel)
	}
	t.regs.Write(CS, 1<<Channel)
	t.Fired.Add(1)
	return nil
}
