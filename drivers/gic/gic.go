// Package gic manages the interrupt lines Go drivers use on an ARM GICv2
// (ARM Generic Interrupt Controller Architecture Specification v2, IHI
// 0048B, chapter 4 "Programmers' model"): the GIC-400 of the BCM2711 and
// QEMU virt's GICv2. It sets priorities, enables and disables lines,
// routes shared peripheral interrupts (SPIs) to CPU 0 and chooses level or
// edge triggering.
//
// It shares the controller with the C core, which brought it up
// (ckernel/gic.c), acknowledges and EOIs every interrupt in its top half
// and owns its own timer tick. So this driver never resets or disables the
// distributor or the CPU interface, never touches the C core's timer line,
// and never writes GICD_IGROUPRn (the group rule: QEMU's GICs have no
// Security Extensions, and a real Pi 4 runs Non-secure with every
// interrupt already in Group 1).
//
// Where it runs: the Go kernel at EL1 after the runtime has started; the
// host with reg.Fake.
package gic

import (
	"fmt"
	"sync"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Distributor registers, IHI 0048B table 4-1.
const (
	GICD_CTLR       = 0x000
	GICD_TYPER      = 0x004
	GICD_IGROUPR    = 0x080 // never written: see the package comment
	GICD_ISENABLER  = 0x100
	GICD_ICENABLER  = 0x180
	GICD_ISPENDR    = 0x200
	GICD_ICPENDR    = 0x280
	GICD_ISACTIVER  = 0x300
	GICD_IPRIORITYR = 0x400
	GICD_ITARGETSR  = 0x800
	GICD_ICFGR      = 0xc00
)

// CPU interface registers, IHI 0048B table 4-2.
const (
	GICC_CTLR = 0x00
	GICC_PMR  = 0x04
)

// Priority is the default of Go drivers' lines, the same middle priority
// the C core uses (lower is more urgent; GICC_PMR lets below 0xf0 through).
const Priority = 0xa0

// GIC is the driver. mu guards the read-modify-write of the byte-per-line
// registers (priority, target) and of ICFGR; the enable, disable and
// pending registers are write-1 and need no lock.
type GIC struct {
	drivers.Base
	dist, cpu reg.Block
	lines     int
	reserved  map[int]bool // lines the C core owns (its timer)
	mu        sync.Mutex
}

// New returns the driver for the distributor at dist and the CPU interface
// at cpu. reserved are the IDs the C core keeps for itself.
func New(dist, cpu reg.Block, reserved ...int) *GIC {
	g := &GIC{dist: dist, cpu: cpu, reserved: map[int]bool{}}
	for _, id := range reserved {
		g.reserved[id] = true
	}
	return g
}

// Initialize reads the number of lines and checks that the C core has
// enabled the distributor and the CPU interface; it changes nothing.
func (g *GIC) Initialize() error {
	// GICD_TYPER.ITLinesNumber (bits 4:0) = N means 32(N+1) IDs (4.3.2).
	g.lines = 32 * (int(g.dist.Read(GICD_TYPER)&0x1f) + 1)
	if g.dist.Read(GICD_CTLR)&1 == 0 || g.cpu.Read(GICC_CTLR)&1 == 0 {
		return fmt.Errorf("gic: the distributor or CPU interface is off; the C core brings them up")
	}
	return nil
}

// Lines is the number of interrupt IDs the distributor implements.
func (g *GIC) Lines() int { return g.lines }

func (g *GIC) check(id int) error {
	switch {
	case id < 16:
		return fmt.Errorf("gic: %d is an SGI, not a device line", id)
	case id >= g.lines:
		return fmt.Errorf("gic: no line %d (%d implemented)", id, g.lines)
	case g.reserved[id]:
		return fmt.Errorf("gic: line %d belongs to the C core", id)
	}
	return nil
}

// setByte replaces byte id of the byte-per-line register block at base.
func (g *GIC) setByte(base uint32, id int, v uint32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dist.Field(base+uint32(id&^3), 0xff<<(8*(id&3)), v)
}

// SetPriority sets line id's priority (4.3.11, one byte per ID).
func (g *GIC) SetPriority(id int, p uint8) error {
	if err := g.check(id); err != nil {
		return err
	}
	g.setByte(GICD_IPRIORITYR, id, uint32(p))
	return nil
}

// RouteToCPU0 sends SPI id to CPU interface 0 (4.3.12, one byte per ID,
// bit n = CPU interface n). PPIs are per CPU already and are left alone.
func (g *GIC) RouteToCPU0(id int) error {
	if err := g.check(id); err != nil {
		return err
	}
	if id >= 32 {
		g.setByte(GICD_ITARGETSR, id, 0x01)
	}
	return nil
}

// SetEdge makes SPI id edge-triggered (true) or level-sensitive (4.3.13:
// two bits per ID, bit 1 of the field is the edge bit).
func (g *GIC) SetEdge(id int, edge bool) error {
	if err := g.check(id); err != nil {
		return err
	}
	if id < 32 {
		return nil // SGI/PPI configuration is fixed on the GIC-400
	}
	off := GICD_ICFGR + 4*uint32(id/16)
	bit := uint32(2) << (2 * (id % 16))
	g.mu.Lock()
	defer g.mu.Unlock()
	if edge {
		g.dist.Set(off, bit)
	} else {
		g.dist.Clear(off, bit)
	}
	return nil
}

// Enable unmasks line id (4.3.5: write 1 to GICD_ISENABLERn).
func (g *GIC) Enable(id int) {
	if g.check(id) == nil {
		g.dist.Write(GICD_ISENABLER+4*uint32(id/32), 1<<(id%32))
	}
}

// Disable masks line id (4.3.6: write 1 to GICD_ICENABLERn).
func (g *GIC) Disable(id int) {
	if g.check(id) == nil {
		g.dist.Write(GICD_ICENABLER+4*uint32(id/32), 1<<(id%32))
	}
}

// Enabled reports whether line id is unmasked.
func (g *GIC) Enabled(id int) bool {
	return g.dist.Read(GICD_ISENABLER+4*uint32(id/32))&(1<<(id%32)) != 0
}

// Pending reports whether line id is pending (4.3.7).
func (g *GIC) Pending(id int) bool {
	return g.dist.Read(GICD_ISPENDR+4*uint32(id/32))&(1<<(id%32)) != 0
}

// Configure prepares line id for a Go driver: the trigger the device tree
// gives, the default priority, to CPU 0. The framework calls it before the
// first Enable.
func (g *GIC) Configure(id int, edge bool) {
	g.SetEdge(id, edge)
	g.SetPriority(id, Priority)
	g.RouteToCPU0(id)
}
