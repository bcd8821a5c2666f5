// Package board is Burrow's board policy for drivers: the table of every
// driver the kernel has (which compatible strings bind which driver, in
// which order, with which interrupts), how each is wired to the devices it
// depends on (the UART's pins and clock), which UART is the console, and
// the environment the drivers get on the machine (MMIO through the C
// core's direct map, interrupts through kernel/core, DMA memory from the C
// core's allocator).
//
// There is no per-board configuration: the table is the same on every
// board, and the device tree decides what binds. It follows the
// Devicetree Specification v0.4 and the Linux bindings named in each
// driver package.
//
// Where it runs: the Go kernel at EL1 after the runtime has started
// (Machine); the table itself (Drivers) also builds on the host.
package board

import (
	"errors"
	"fmt"
	"io"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/gic"
	"github.com/burrow-os/burrow/drivers/gpio"
	"github.com/burrow-os/burrow/drivers/mbox"
	"github.com/burrow-os/burrow/drivers/pl011"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/drivers/rng200"
	"github.com/burrow-os/burrow/drivers/systimer"
	"github.com/burrow-os/burrow/kernel/fdt"
)

// TimerIRQ is the C core's own tick, the EL1 virtual timer: PPI 11, INTID
// 27, the third line of the arm,armv8-timer binding on both boards. Go
// drivers never touch it.
const TimerIRQ = 27

// Options choose between driver variants at boot.
type Options struct {
	// CUART binds the PL011 to its critical (C) driver instead of the Go
	// one (kernel argument uart=c).
	CUART bool
	// DMA, when set, replaces the C core's allocator as the source of
	// DMA memory (the kernel passes kernel/mm's non-cacheable buffers).
	DMA func(size int) ([]byte, uint64, error)
	// PollBlock makes block devices spin for completions instead of
	// sleeping until their interrupt (kernel argument block=poll).
	PollBlock bool
}

// Drivers returns the registry: every driver, in no particular order (the
// After lists give the order).
func Drivers(o Options) *drivers.Registry {
	r := &drivers.Registry{}
	r.Register(drivers.Binding{
		Name: "gic", Compatible: []string{"arm,gic-400", "arm,cortex-a15-gic"},
		New: newGIC,
	})
	r.Register(drivers.Binding{
		Name: "timer", Compatible: []string{"arm,armv8-timer"}, New: newGenericTimer,
	})
	r.Register(drivers.Binding{
		Name: "mbox", Compatible: []string{"brcm,bcm2835-mbox"}, After: []string{"gic"},
		New: newMailbox,
	})
	r.Register(drivers.Binding{
		// Its first three interrupts are the three banks' events (pins
		// 0-27, 28-45, 46-57); the fourth, any bank, would duplicate them.
		Name: "gpio", Compatible: []string{"brcm,bcm2711-gpio"}, After: []string{"gic"},
		IRQ: true, Lines: []int{0, 1, 2},
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			return gpio.New(reg.New(env.Regs, d.Regs[0].Address)), nil
		},
	})
	kind := drivers.Standard
	if o.CUART {
		kind = drivers.Critical
	}
	r.Register(drivers.Binding{
		Name: "uart", Compatible: []string{"arm,pl011"}, Kind: kind, IRQ: true,
		After: []string{"gic", "gpio", "mbox"}, // pins and clock first
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			return newUART(d, env, o.CUART)
		},
	})
	r.Register(drivers.Binding{
		Name: "systimer", Compatible: []string{"brcm,bcm2835-system-timer"},
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			hz, _ := d.Node.U32("clock-frequency")
			return systimer.New(reg.New(env.Regs, d.Regs[0].Address), hz), nil
		},
	})
	r.Register(drivers.Binding{
		Name: "rng200", Compatible: []string{"brcm,bcm2711-rng200"},
		Absent: "keeping the C core's seeded generator",
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			return rng200.New(reg.New(env.Regs, d.Regs[0].Address)), nil
		},
	})
	registerBlock(r, o)
	return r
}

// gicDriver hands the Go GIC to the framework once it is up, so the
// interrupt loops of the drivers probed after it configure and unmask
// their lines through it.
type gicDriver struct {
	*gic.GIC
	env *drivers.Env
}

func (g gicDriver) Initialize() error {
	if err := g.GIC.Initialize(); err != nil {
		return err
	}
	g.env.IRQ = g.GIC
	return nil
}

func newGIC(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
	if len(d.Regs) < 2 {
		return nil, fmt.Errorf("gic: reg needs the distributor and the CPU interface")
	}
	g := gic.New(reg.New(env.Regs, d.Regs[0].Address), reg.New(env.Regs, d.Regs[1].Address), TimerIRQ)
	return gicDriver{g, env}, nil
}

func newMailbox(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
	if env.DMA == nil {
		return nil, errors.New("mbox: no DMA memory")
	}
	buf, pa, err := env.DMA(256)
	if err != nil {
		return nil, err
	}
	// The firmware sees the buffer at its bus address: the soc bus's
	// dma-ranges put ARM RAM at 0xc0000000 on the BCM2711.
	bus := pa
	if dm, err := env.Tree.DMA(d.Node); err == nil {
		if b, err := dm.ToBus(pa, uint64(len(buf))); err == nil {
			bus = b
		}
	}
	return mbox.New(reg.New(env.Regs, d.Regs[0].Address), buf, uint32(bus)), nil
}

// newUART wires the PL011 to its pins and clock: on the Pi, GPIO 14/15 to
// ALT0 (TXD0/RXD0, BCM2711 ARM Peripherals 5.3 "Alternative Function
// Assignments") and the clock from the firmware; elsewhere the clock from
// the device tree's fixed clock.
func newUART(d *drivers.Device, env *drivers.Env, inC bool) (drivers.DeviceDriver, error) {
	cfg := pl011.Config{ClockHz: treeClock(env.Tree, d.Node)}
	if m, ok := env.Lookup("mbox").(*mbox.Mailbox); ok {
		if hz, err := m.ClockRate(mbox.ClockUART); err == nil && hz != 0 {
			cfg.ClockHz = hz
		}
	}
	if g, ok := env.Lookup("gpio").(*gpio.GPIO); ok {
		cfg.Pins = func() error {
			for _, p := range []struct {
				pin  int
				pull gpio.Pull
			}{{14, gpio.PullNone}, {15, gpio.PullUp}} {
				if err := g.SetFunction(p.pin, gpio.Alt0); err != nil {
					return err
				}
				if err := g.SetPull(p.pin, p.pull); err != nil {
					return err
				}
			}
			return nil
		}
	}
	regs := reg.New(env.Regs, d.Regs[0].Address)
	if inC {
		return pl011.NewC(regs, cfg)
	}
	return pl011.New(regs, cfg), nil
}

// treeClock returns the clock-frequency of the first clock in n's clocks
// property (a fixed-clock, as QEMU virt's apb_pclk), or 0.
func treeClock(t *fdt.Tree, n *fdt.Node) uint32 {
	cells, ok, err := n.Cells("clocks")
	if !ok || err != nil || len(cells) == 0 {
		return 0
	}
	if c := t.ByPhandle(cells[0]); c != nil {
		hz, _ := c.U32("clock-frequency")
		return hz
	}
	return 0
}

// Console returns the bound UART the console uses: the first PL011, if its
// receive interrupt is served (otherwise Read would wait forever).
func Console(m *drivers.Manager) io.ReadWriter {
	if d := m.Find("uart"); d != nil && d.Serving {
		return d.Driver
	}
	return nil
}

// GIC returns the bound Go GIC driver, or nil.
func GIC(m *drivers.Manager) *gic.GIC {
	if d := m.Find("gic"); d != nil {
		return d.Driver.(gicDriver).GIC
	}
	return nil
}
