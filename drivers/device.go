package drivers

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// State is where a device is in its life.
type State int

// Device states.
const (
	Found    State = iota // in the device tree, no driver claims it
	Disabled              // status is not "okay": reported, never touched
	Bound                 // a driver initialised it
	Failed                // its driver's Initialize failed, or a resource was bad
)

func (s State) String() string {
	return [...]string{"unbound", "disabled", "bound", "failed"}[s]
}

// Device is one device-tree node with a compatible string, and what became
// of it.
type Device struct {
	Path       string
	Compatible []string
	Node       *fdt.Node
	Regs       []fdt.Region // CPU physical addresses (translated through ranges)
	IRQs       []int        // GIC INTIDs
	edge       []int        // those of IRQs the device tree says are edge-triggered

	State    State
	Reason   string // why it is unbound, disabled or failed
	Binding  *Binding
	Driver   DeviceDriver
	InitTime time.Duration // how long Initialize took
	Serving  bool          // an interrupt goroutine serves its first line

	irqs    atomic.Uint64
	handled atomic.Int64 // total time in HandleInterrupt, ns
	errors  atomic.Uint64
	last    atomic.Value // string: the last error
}

// IRQCount is how many times the device's interrupt handler has run.
func (d *Device) IRQCount() uint64 { return d.irqs.Load() }

// HandlerTime is the mean time HandleInterrupt took (virtual time: under
// icount, instructions), or 0 before the first interrupt.
func (d *Device) HandlerTime() time.Duration {
	n := d.irqs.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(d.handled.Load() / int64(n))
}

// ServedLines returns the interrupt IDs the framework serves for the
// device: the node's interrupts at the binding's Lines (the first when
// Lines is empty).
func (d *Device) ServedLines() []int {
	if d.Binding == nil || !d.Binding.IRQ || len(d.IRQs) == 0 {
		return nil
	}
	if len(d.Binding.Lines) == 0 {
		return d.IRQs[:1]
	}
	var ids []int
	for _, i := range d.Binding.Lines {
		if i < len(d.IRQs) {
			ids = append(ids, d.IRQs[i])
		}
	}
	return ids
}

// Errors is how many errors the driver has returned since it was bound.
func (d *Device) Errors() uint64 { return d.errors.Load() }

// LastError is the text of the last error, or "".
func (d *Device) LastError() string {
	s, _ := d.last.Load().(string)
	return s
}

// Fail counts an error of the device's driver.
func (d *Device) Fail(err error) {
	d.errors.Add(1)
	d.last.Store(err.Error())
}

// Reg returns the i-th register window's base address.
func (d *Device) Reg(i int) (uint64, error) {
	if i >= len(d.Regs) {
		return 0, fmt.Errorf("%s: no register window %d in reg", d.Path, i)
	}
	return d.Regs[i].Address, nil
}

// Name is the node's name, the last element of its path.
func (d *Device) Name() string { return d.Node.Name }

// String is one line of the device list.
func (d *Device) String() string {
	s := fmt.Sprintf("%-32s %-9s", d.Path, d.State)
	if d.Binding != nil && d.State != Found && d.State != Disabled {
		s += fmt.Sprintf(" %-8s %-2s init %6d us  irqs %d (%d ns each)  errors %d",
			d.Binding.Name, d.Binding.Kind, d.InitTime.Microseconds(), d.IRQCount(), d.HandlerTime().Nanoseconds(), d.Errors())
	}
	if d.Reason != "" {
		s += "  (" + d.Reason + ")"
	}
	return s
}
