package gpio

import (
	"fmt"
	"sync"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Edge chooses which transitions raise an event.
type Edge int

// Event kinds that Watch accepts; they may be combined.
const (
	Rising  Edge = 1 << iota // GPRENn
	Falling                  // GPFENn
)

// Event is one detected edge: the pin and its level when the handler ran.
type Event struct {
	Pin   int
	Level bool
}

// GPIO is the driver. Function select and pull are read-modify-write of
// registers shared by several pins, so mu serialises them; set, clear and
// the event status are write-1 registers that need no lock.
type GPIO struct {
	drivers.Base
	regs   reg.Block
	mu     sync.Mutex
	events chan Event
}

// New returns a driver for the GPIO block at regs.
func New(regs reg.Block) *GPIO { return &GPIO{regs: regs, events: make(chan Event, 64)} }

// Initialize clears stale events; pins keep the functions the firmware or
// the board gave them.
func (g *GPIO) Initialize() error {
	g.regs.Write(GPEDS0, 0xffffffff)
	g.regs.Write(GPEDS0+4, 0x03ffffff)
	return nil
}

func check(pin int) error {
	if pin < 0 || pin >= Pins {
		return fmt.Errorf("gpio: no pin %d (the BCM2711 has 0-%d)", pin, Pins-1)
	}
	return nil
}

// SetFunction selects pin's function.
func (g *GPIO) SetFunction(pin int, f Function) error {
	if err := check(pin); err != nil {
		return err
	}
	off, shift := fselReg(pin)
	g.mu.Lock()
	g.regs.Field(off, 7<<shift, uint32(f))
	g.mu.Unlock()
	return nil
}

// FunctionOf returns pin's function.
func (g *GPIO) FunctionOf(pin int) (Function, error) {
	if err := check(pin); err != nil {
		return 0, err
	}
	off, shift := fselReg(pin)
	return Function(g.regs.Read(off) >> shift & 7), nil
}

// SetPull sets pin's pull resistor. The BCM2711 takes the setting directly
// (no GPPUD/GPPUDCLK clocking sequence as on the BCM2835).
func (g *GPIO) SetPull(pin int, p Pull) error {
	if err := check(pin); err != nil {
		return err
	}
	if p > PullDown {
		return fmt.Errorf("gpio: pull code %#b is reserved", uint32(p))
	}
	off, shift := pullReg(pin)
	g.mu.Lock()
	g.regs.Field(off, 3<<shift, uint32(p))
	g.mu.Unlock()
	return nil
}

// Set drives pin high (an output pin).
func (g *GPIO) Set(pin int) error { return g.write1(GPSET0, pin) }

// Clear drives pin low.
func (g *GPIO) Clear(pin int) error { return g.write1(GPCLR0, pin) }

func (g *GPIO) write1(base uint32, pin int) error {
	if err := check(pin); err != nil {
		return err
	}
	off, bit := bank(base, pin)
	g.regs.Write(off, bit)
	return nil
}

// Level reads pin's level.
func (g *GPIO) Level(pin int) (bool, error) {
	if err := check(pin); err != nil {
		return false, err
	}
	off, bit := bank(GPLEV0, pin)
	return g.regs.Read(off)&bit != 0, nil
}

// Watch enables edge events on pin; they arrive on Events.
func (g *GPIO) Watch(pin int, e Edge) error {
	if err := check(pin); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, x := range []struct {
		edge Edge
		base uint32
	}{{Rising, GPREN0}, {Falling, GPFEN0}} {
		off, bit := bank(x.base, pin)
		if e&x.edge != 0 {
			g.regs.Set(off, bit)
		} else {
			g.regs.Clear(off, bit)
		}
	}
	return nil
}

// Events delivers detected edges. When nobody reads and 64 wait, newer
// events are dropped.
func (g *GPIO) Events() <-chan Event { return g.events }

// HandleInterrupt reads the event status of both banks, clears what it
// saw (write 1 to clear) and delivers one Event per pin.
func (g *GPIO) HandleInterrupt() error {
	var dropped int
	for b := 0; b < 2; b++ {
		off := GPEDS0 + 4*uint32(b)
		st := g.regs.Read(off)
		if st == 0 {
			continue
		}
		g.regs.Write(off, st)
		lev := g.regs.Read(GPLEV0 + 4*uint32(b))
		for i := 0; i < 32; i++ {
			if st&(1<<i) == 0 {
				continue
			}
			select {
			case g.events <- Event{Pin: 32*b + i, Level: lev&(1<<i) != 0}:
			default:
				dropped++
			}
		}
	}
	if dropped > 0 {
		return fmt.Errorf("gpio: %d events dropped: nobody reads them", dropped)
	}
	return nil
}
