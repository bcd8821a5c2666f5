package drivers

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/kernel/fdt"
)

// DeviceDriver is what every driver implements (the plan's interface).
// Initialize brings the device up; HandleInterrupt runs in the device's
// interrupt goroutine each time its line fires; Read and Write move the
// device's data stream, if it has one; Control is everything else.
type DeviceDriver interface {
	Initialize() error
	HandleInterrupt() error
	Read(buffer []byte) (int, error)
	Write(buffer []byte) (int, error)
	Control(cmd ControlCommand, arg any) error
}

// ControlCommand names a Control request. Drivers define their own from
// ControlDriver up; the framework's are below it.
type ControlCommand int

// Control commands every driver may answer.
const (
	// ControlDescribe asks for a one-line summary; arg is a *string.
	ControlDescribe ControlCommand = iota
	// ControlDriver is where driver-specific commands start.
	ControlDriver = 100
)

// InterruptsServed is implemented by drivers that work either polled or
// interrupt-driven: the framework calls InterruptsServed once their
// interrupt goroutines run.
type InterruptsServed interface {
	InterruptsServed()
}

// ErrUnsupported is returned by Read, Write or Control of a driver that
// has no such operation.
var ErrUnsupported = errors.New("drivers: operation not supported by this device")

// ErrNoDevice is wrapped by a driver's constructor or Initialize when the
// node is real but nothing is behind it (an empty virtio-mmio slot, an SD
// slot without a card): the device is then listed as unbound with the
// reason, not as failed.
var ErrNoDevice = errors.New("nothing behind this node")

// Base is embedded by drivers to refuse what they do not implement.
type Base struct{}

// HandleInterrupt of a device without interrupts does nothing.
func (Base) HandleInterrupt() error { return nil }

// Read is unsupported.
func (Base) Read([]byte) (int, error) { return 0, ErrUnsupported }

// Write is unsupported.
func (Base) Write([]byte) (int, error) { return 0, ErrUnsupported }

// Control is unsupported.
func (Base) Control(ControlCommand, any) error { return ErrUnsupported }

// Kind says how a driver is built.
type Kind int

// The two kinds of the plan.
const (
	Standard Kind = iota // Go
	Critical             // C hot path behind the direct-call trampoline
)

func (k Kind) String() string {
	if k == Critical {
		return "C"
	}
	return "Go"
}

// Binding registers one driver: the compatible strings it binds, the
// bindings that must initialise before it (by Name; an absent one is
// skipped), whether it takes interrupts, and the constructor.
type Binding struct {
	Name       string
	Compatible []string
	Kind       Kind
	After      []string
	IRQ        bool  // run an interrupt goroutine for the device's lines
	Lines      []int // which of the node's interrupts to serve (indexes); empty: the first
	// Absent, when set, is what to do if no node matches, said in one
	// line of the report (for example "using the seeded generator").
	Absent string
	New    func(d *Device, env *Env) (DeviceDriver, error)
}

// IRQController is the interrupt controller's side of the interrupt loop:
// the Go GIC driver on the machine, a fake on the host.
type IRQController interface {
	Configure(id int, edge bool) // priority, CPU-0 routing, trigger
	Enable(id int)               // unmask at the controller
}

// Env is what drivers get from the kernel.
type Env struct {
	Regs  reg.Backing          // MMIO on the machine, a reg.Fake on the host
	Tree  *fdt.Tree            // the booted device tree
	Clock func() time.Duration // time since boot (virtual time under icount)
	Log   io.Writer            // the console
	// Claim registers the caller as the waiter of interrupt id (the C top
	// half then masks it and wakes the waiter), and Wait blocks until it
	// fires. core.ClaimIRQ and core.WaitIRQ on the machine.
	Claim func(id int) error
	Wait  func(id int) error
	IRQ   IRQController
	// DMA returns physically contiguous memory a device can reach: its
	// bytes and its physical (bus) address.
	DMA func(size int) ([]byte, uint64, error)

	m *Manager
}

// Lookup returns the driver bound by binding name, or nil: drivers reach
// the devices they depend on this way (the UART asks the mailbox for its
// clock).
func (e *Env) Lookup(name string) DeviceDriver {
	if e.m == nil {
		return nil
	}
	for _, d := range e.m.Devices {
		if d.Binding != nil && d.Binding.Name == name && d.State == Bound {
			return d.Driver
		}
	}
	return nil
}

// Logf writes one line to the console.
func (e *Env) Logf(format string, args ...any) {
	if e.Log != nil {
		fmt.Fprintf(e.Log, format+"\n", args...)
	}
}
